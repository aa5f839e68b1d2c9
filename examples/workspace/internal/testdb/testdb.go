// Package testdb opens throw-away databases of the workspace app for tests: a SQLite
// file in the test's temporary directory, or a fresh schema in the PostgreSQL
// database named by SCIMKIT_POSTGRES_DSN.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/scimkit/scimkit/examples/workspace/store"
)

// PostgresEnv is the environment variable that names the test PostgreSQL database.
const PostgresEnv = "SCIMKIT_POSTGRES_DSN"

// Dialects returns the databases tests should run against: SQLite always,
// PostgreSQL when PostgresEnv is set.
func Dialects() []store.Dialect {
	if os.Getenv(PostgresEnv) == "" {
		return []store.Dialect{store.SQLite}
	}
	return []store.Dialect{store.SQLite, store.Postgres}
}

// Open returns a migrated, empty database of dialect d that lives until the test
// ends. For PostgreSQL without PostgresEnv it skips the test.
func Open(t testing.TB, d store.Dialect) *store.DB {
	t.Helper()
	dsn := DSN(t, d)
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// DSN returns the name of a new, empty database of dialect d for the test (not yet
// migrated); store.Open or the app accepts it. The database is removed when the
// test ends.
func DSN(t testing.TB, d store.Dialect) string {
	t.Helper()
	if d == store.SQLite {
		return t.TempDir() + "/workspace.db"
	}
	base := os.Getenv(PostgresEnv)
	if base == "" {
		t.Skip(PostgresEnv + " not set: set it to a PostgreSQL URL (postgres://user@host:5432/db) to run the PostgreSQL tests")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	schema := "ws_test_" + strings.ToLower(rand.Text()[:12])
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		admin.Close()
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		if _, err := admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			t.Logf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	// Tests need atomicity, not durability across a crash of the server: waiting for
	// every commit to reach the disk would make them slow on slow disks.
	q.Set("synchronous_commit", "off")
	u.RawQuery = q.Encode()
	return u.String()
}

// Durable returns a PostgreSQL dsn from DSN with commits waiting for the disk again,
// as in production, for tests that measure throughput or restart the server.
func Durable(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil || u.Scheme == "" {
		return dsn
	}
	q := u.Query()
	q.Del("synchronous_commit")
	u.RawQuery = q.Encode()
	return u.String()
}

// tables lists every table of the app, children before parents.
var tables = []string{"sessions", "provisioning_events", "scim_tokens", "bookings", "desks",
	"team_members", "teams", "member_emails", "members", "workspaces"}

// Reset empties every table of db, so that one migrated database can serve many
// subtests that each need an empty one.
func Reset(t testing.TB, db *store.DB) {
	t.Helper()
	var err error
	if db.Dialect == store.Postgres {
		_, err = db.SQL.Exec(`TRUNCATE ` + strings.Join(tables, ", ") + ` CASCADE`)
	} else {
		err = db.InTx(context.Background(), func(tx *sql.Tx) error {
			for _, table := range tables {
				if _, err := tx.Exec(`DELETE FROM ` + table); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err != nil {
		t.Fatalf("reset database: %v", err)
	}
}
