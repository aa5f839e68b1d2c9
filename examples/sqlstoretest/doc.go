// Package sqlstoretest proves package sqlstore against real databases: the
// conformance suites of package scimtest (TestUserStore, TestGroupStore and
// RunIdPFlows) on SQLite, PostgreSQL and MariaDB/MySQL, on owned tables and on
// host-described (mapped) tables, and the behaviour that only a database shows:
// writes serialised under contention, statements stopped at the deadline, filters
// too large to plan, what each dialect cannot do.
//
// SQLite always runs, in temporary files. PostgreSQL runs when SCIMKIT_POSTGRES_DSN
// names a server (postgres://postgres@127.0.0.1:5432/test?sslmode=disable), MariaDB
// when SCIMKIT_MYSQL_DSN does (root@tcp(127.0.0.1:3306)/test). Every test works in
// tables of its own (a random name prefix, dropped afterwards), so that tests of
// several packages may share one database.
//
// Its only code is BulkLoad, which the tests and the load command (examples/sqlload)
// share. It lives in the examples module because that module may depend on database
// drivers and the core module may not.
package sqlstoretest
