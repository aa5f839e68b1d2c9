// Package testdb opens throw-away databases of the workspace app for tests: a SQLite
// file in a temporary directory, or a fresh schema in the PostgreSQL database named
// by SCIMKIT_POSTGRES_DSN.
package testdb

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/scimkit/scimkit/examples/workspace/store"
)

// PostgresEnv is the environment variable that names the test PostgreSQL database.
const PostgresEnv = "SCIMKIT_POSTGRES_DSN"

// ErrNoPostgres is returned for PostgreSQL when PostgresEnv is not set.
var ErrNoPostgres = errors.New(PostgresEnv + " not set: set it to a PostgreSQL URL (postgres://user@host:5432/db) to run the PostgreSQL tests")

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
	db, err := store.Open(context.Background(), DSN(t, d))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// DSN returns the name of a new, empty database of dialect d for the test (not yet
// migrated); store.Open or the app accepts it. The database is removed when the
// test ends. For PostgreSQL without PostgresEnv it skips the test.
func DSN(t testing.TB, d store.Dialect) string {
	t.Helper()
	if d == store.SQLite {
		return t.TempDir() + "/workspace.db"
	}
	dsn, drop, err := newSchema()
	if errors.Is(err, ErrNoPostgres) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := drop(); err != nil {
			t.Logf("drop test schema: %v", err)
		}
	})
	return dsn
}

// OpenShared returns a migrated, empty database of dialect d for several tests,
// and the function that removes it. Tests that share it must keep to their own
// workspaces. For PostgreSQL without PostgresEnv it returns ErrNoPostgres.
func OpenShared(d store.Dialect) (*store.DB, func(), error) {
	var dsn string
	var drop func() error
	if d == store.SQLite {
		dir, err := os.MkdirTemp("", "workspace-test-")
		if err != nil {
			return nil, nil, err
		}
		dsn, drop = dir+"/workspace.db", func() error { return os.RemoveAll(dir) }
	} else {
		var err error
		if dsn, drop, err = newSchema(); err != nil {
			return nil, nil, err
		}
	}
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		drop()
		return nil, nil, err
	}
	return db, func() { db.Close(); drop() }, nil
}

// newSchema creates a uniquely named schema in the PostgreSQL database of
// PostgresEnv and returns a DSN that works in it, and the function that drops it.
func newSchema() (dsn string, drop func() error, err error) {
	base := os.Getenv(PostgresEnv)
	if base == "" {
		return "", nil, ErrNoPostgres
	}
	u, err := url.Parse(base)
	if err != nil {
		return "", nil, err
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		return "", nil, err
	}
	schema := "ws_test_" + strings.ToLower(rand.Text()[:12])
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		admin.Close()
		return "", nil, err
	}
	q := u.Query()
	q.Set("search_path", schema)
	// Tests need atomicity, not durability across a crash of the server: waiting for
	// every commit to reach the disk would make them slow on slow disks.
	q.Set("synchronous_commit", "off")
	u.RawQuery = q.Encode()
	return u.String(), func() error {
		defer admin.Close()
		_, err := admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
		return err
	}, nil
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
	"team_members", "teams", "member_emails", "members", "former_members", "workspaces"}

// Reset empties every table of db, so that one migrated database can serve many
// subtests that each need an empty one.
func Reset(t testing.TB, db *store.DB) {
	t.Helper()
	err := db.InTx(context.Background(), func(tx *sql.Tx) error {
		for _, table := range tables {
			if _, err := tx.Exec(`DELETE FROM ` + table); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("reset database: %v", err)
	}
}
