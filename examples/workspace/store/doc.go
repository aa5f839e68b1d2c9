// Package store is the persistence layer of the workspace example app: the tables a
// desk-booking product has before it ever hears of SCIM (workspaces, members, teams,
// desks, bookings), the few it adds to offer provisioning (labelled SCIM tokens, the
// provisioning activity log with the reasons of failures, and its health summary),
// and those of its admin pages (sessions, one-time flashes, the server's keys), on
// SQLite or PostgreSQL through one database/sql code path.
//
// # Databases
//
// [Open] takes either a SQLite file path (pure Go driver, no cgo) or a postgres:// URL
// (pgx through its database/sql adapter). The SQL text is shared: both databases accept
// $1-style parameters, partial and expression indexes, ON CONFLICT and RETURNING. What
// differs is kept in [Dialect]: column types in the migrations, how times are stored,
// how a list of ids is passed as one parameter, row locks, and error codes.
//
// # Migrations
//
// [Open] applies the embedded migrations (migrations/sqlite or migrations/postgres) in
// order, once, inside a transaction; two processes starting at once over one
// PostgreSQL database serialise on an advisory lock.
//
// Package scimstore maps SCIM Users and Groups onto the members and teams tables.
package store
