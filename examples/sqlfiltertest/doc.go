// Package sqlfiltertest proves package sqlfilter against real databases. Its tests
// store a few hundred generated users (with e-mail rows in a child table) in SQLite
// and, when the environment variables SCIMKIT_POSTGRES_DSN and SCIMKIT_MYSQL_DSN
// name servers, in PostgreSQL and in MySQL or MariaDB, each in a schema or database
// of its own that is dropped afterwards; they then run a table of filters, filters
// of 1,000 and 5,000 terms, and many randomly generated ones both as SQL from
// sqlfilter.Mapping.Where and in memory with filter.Matcher, and require the same
// users from both.
//
// The package has no code of its own; it lives in the examples module because that
// module may depend on database drivers and the core module may not.
package sqlfiltertest
