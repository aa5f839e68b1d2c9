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
	u.RawQuery = q.Encode()
	return u.String()
}
