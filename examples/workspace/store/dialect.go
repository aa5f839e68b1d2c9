package store

import (
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"
)

// Dialect is the kind of database server: everything the SQL of this app needs to
// know about it lives in the methods of Dialect.
type Dialect int

// The supported databases.
const (
	SQLite Dialect = iota + 1
	Postgres
)

// String returns "sqlite" or "postgres".
func (d Dialect) String() string {
	switch d {
	case SQLite:
		return "sqlite"
	case Postgres:
		return "postgres"
	}
	return "dialect(" + strconv.Itoa(int(d)) + ")"
}

// sqliteTime is how SQLite stores times: UTC text of fixed width, so that comparing
// and sorting the text compares and sorts the times.
const sqliteTime = "2006-01-02T15:04:05.000000Z"

// TimeLayout returns the layout of package time in which time columns hold text:
// fixed-width UTC for SQLite, "" for PostgreSQL, whose columns are timestamptz.
func (d Dialect) TimeLayout() string {
	if d == SQLite {
		return sqliteTime
	}
	return ""
}

// Now returns the current time at the precision both databases keep (microseconds), in UTC.
func Now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// Time returns the value to bind for t: t itself for PostgreSQL (a timestamptz
// column), fixed-width UTC text for SQLite. The zero time binds as NULL.
func (d Dialect) Time(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	if d == SQLite {
		return t.UTC().Format(sqliteTime)
	}
	return t.UTC()
}

// StringList returns a subquery that yields, as column "value", the strings of the
// JSON array bound to parameter $n. It lets one statement take any number of ids
// through a single parameter (see [JSONStrings]).
func (d Dialect) StringList(n int) string {
	if d == Postgres {
		return fmt.Sprintf("SELECT jsonb_array_elements_text($%d::jsonb) AS value", n)
	}
	return fmt.Sprintf("SELECT value FROM json_each($%d)", n)
}

// ForUpdate returns the clause that locks the rows a SELECT reads until the
// transaction ends: " FOR UPDATE" on PostgreSQL; nothing on SQLite, where a
// transaction holds the database's write lock from its start.
func (d Dialect) ForUpdate() string {
	if d == Postgres {
		return " FOR UPDATE"
	}
	return ""
}

// IsUniqueViolation reports whether err is a unique index violation.
func IsUniqueViolation(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23505"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	return false
}

// IsForeignKeyViolation reports whether err is a foreign key violation.
func IsForeignKeyViolation(err error) bool {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code == "23503"
	}
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
	}
	return false
}

// ScanTime returns a scanner that reads a time column of either database into dst;
// NULL reads as the zero time.
func ScanTime(dst *time.Time) sql.Scanner { return timeScanner{dst} }

type timeScanner struct{ dst *time.Time }

func (s timeScanner) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*s.dst = time.Time{}
	case time.Time:
		*s.dst = v.UTC()
	case string:
		return s.parse(v)
	case []byte:
		return s.parse(string(v))
	default:
		return fmt.Errorf("store: cannot read %T as a time", src)
	}
	return nil
}

func (s timeScanner) parse(v string) error {
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		return fmt.Errorf("store: bad time %q: %w", v, err)
	}
	*s.dst = t.UTC()
	return nil
}
