// Package sqlstore keeps SCIM users and groups in SQL tables, over database/sql: a
// [scim.UserStore] and [scim.GroupStore] with the optional capabilities
// ([scim.MemberPatcher], [scim.UserUpdater], [scim.GroupUpdater], [scim.Sorter]),
// for PostgreSQL, MariaDB/MySQL and SQLite. The driver is the host's choice.
//
// # Two modes, one mechanism
//
// Owned tables are the zero-configuration default: [Migrate] creates them (or [DDL]
// hands their statements to the host's migration tool), and [New] with a nil
// Options.Tables uses them. Each table has a tenant column. The table prefix+"schema"
// records their layout version ([SchemaVersion]); DDL's statements write it too.
// Migrate does nothing on tables at the current version, upgrades tables at an
// older one ([UpgradeDDL] hands those statements to the host's tool), and refuses
// tables at a newer version and owned tables without the record (made by an
// unreleased layout: drop them first). Processes may run Migrate at once: they take
// turns.
//
// Mapped tables are the host's own: one [Tables] value says where each SCIM
// attribute lives — a column per single-valued attribute, a child table per
// multi-valued one (emails…), the membership table, and a JSON text column for
// everything else, so that every attribute reads back verbatim. Every SELECT,
// INSERT and UPDATE, every scan and the filter translation (package
// filter/sqlfilter) are derived from that one description; the owned tables are
// themselves just a built-in description ([Owned]).
//
// # Writes
//
// Every write runs in one transaction. Writes to one resource are serialised by
// the database: UpdateUser, UpdateGroup, ReplaceUser, PatchMembers and the deletes
// lock the row (SELECT … FOR UPDATE; on SQLite the transaction's first statement
// writes the row, which takes SQLite's write lock), so that concurrent writes
// without If-Match all succeed, one after the other. ErrPreconditionFailed means
// only that the client's If-Match did not match. A member PATCH checks the member
// ids before its transaction, so that an unknown member costs none, and concurrent
// member additions to one group (without If-Match or GroupHook) share one
// transaction per batch, one COMMIT for all that waited meanwhile. Every write that
// adds members checks them again inside its transaction, with the users' rows
// share-locked (SQLite: under its write lock), so that a concurrent DeleteUser
// either ends first (the member is unknown) or removes the new membership: no
// membership outlives its user. Groups are locked before users, by every write.
// Deleting a user gives each of its groups a new version and lastModified.
//
// The request's deadline bounds the wait for a connection and every statement of a
// write, but not its COMMIT: a write whose deadline passed before the COMMIT is
// rolled back (503), and a COMMIT that has begun runs to its end, so that a write
// answers 503 only when it stored nothing. A client that retries a POST answered
// 503 therefore never meets 409 for its own user. A batch of member additions runs
// until the latest deadline of its additions, so that none is refused for another's.
//
// Options.UserHook and Options.GroupHook run inside that transaction with the old
// and the new resource, so that the host's own tables (seats, sessions, audit)
// change atomically with the SCIM write; a hook's error rolls everything back.
//
// # Reads
//
// A GET is one statement: the resource's row, its child tables and its groups (or
// members) aggregated as JSON in subqueries. The owned users table keeps each
// whole user in its JSON column as well (Table.Document), with the columns and the
// emails table as copies for filters, sorting and uniqueness, so that a GET of a
// user reads one row and the user's groups. A list is one statement that also
// counts the matches (with no filter a COUNT(*) of the tenant, else COUNT(*) OVER
// ()), plus a count only when a page after the first is empty; it pages the keys
// first, so child tables, groups and members are read for the page's rows only,
// not for the rows that startIndex skips. A projection that leaves out members or groups does not read
// them. Lookups by id use the primary key (id, tenant), and lookups by userName or
// externalId their own index, also right after a bulk load with no statistics and
// in plans a database made while the tables were empty: no index of the owned
// tables starts with the tenant column, so none can narrow only the tenant. Mapped
// tables should follow the same rule (the tenant last in every index).
//
// # Bounded cost
//
// Every statement runs under the request's context. When it has a deadline, the
// database itself stops the statement there: MariaDB through SET STATEMENT
// max_statement_time, MySQL through a MAX_EXECUTION_TIME hint, PostgreSQL through
// statement_timeout set for one read-only transaction (skipped for the cheap
// lookups identity providers make: no filter, or one eq comparison), SQLite
// through the driver's interrupt (modernc.org/sqlite does this). A statement
// stopped at the deadline returns context.DeadlineExceeded, which the Handler
// answers with 503. A filter the database refuses to plan (SQLite's "Expression
// tree is too large", PostgreSQL's stack depth) answers 400 invalidFilter; a
// database that cannot be reached, 503 with Retry-After. A write that the database
// rolled back to break a deadlock starts again where sqlstore owns the whole
// transaction (DeleteUser, member additions); elsewhere (an update that runs the
// caller's fn) it answers 503 with Retry-After, having written nothing.
//
// # References
//
// A manager id is stored as sent, even when it names no user yet (identity
// providers send users in any order). A member id must name a user of the tenant,
// else the write fails with scim.ErrInvalidReference. Nested groups are not
// supported.
//
// # What each dialect cannot do
//
//   - SQLite's lower() folds only ASCII letters: "ÉMILE" and "émile" are two
//     userNames there, and a filter userName eq "ÉMILE" does not find "émile".
//     Concurrent writers need WAL and a busy timeout in the DSN
//     (?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000) for
//     modernc.org/sqlite). Times are text (Tables.TimeLayout is required).
//   - MariaDB and MySQL: the owned tables' indexed columns (tenant, id, userName,
//     displayName, externalId, email values) hold at most 255 characters; a
//     case-insensitive filter compares CAST(LOWER(col) AS BINARY), which no index
//     serves, except eq on a column with a folded copy (Table.Folded: the owned
//     tables' userName and group displayName), found through that copy's index. MySQL
//     (not MariaDB) aggregates child rows without ORDER BY, so list values may
//     read back in another order. Mapped timestamp columns need the driver's
//     parseTime=true.
//   - PostgreSQL: text cannot hold U+0000; such a value or filter is refused (400).
//     A prepared statement's generic plan, which PostgreSQL may keep until the
//     next ANALYZE, is safe for lookups (see Reads); on mapped tables with an
//     index that starts with the tenant, run sqlstore's connections with
//     plan_cache_mode=force_custom_plan.
//   - Filters on attributes kept in the JSON column work on every dialect but
//     use no index.
package sqlstore
