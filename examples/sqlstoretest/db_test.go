package sqlstoretest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"

	_ "github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"github.com/scimkit/scimkit/sqlstore"
)

// A backend is one database the tests run on.
type backend struct {
	name    string
	dialect sqlstore.Dialect
	// open returns a connection pool for a test, or skips it.
	open func(t testing.TB) *sql.DB
}

var backends = []backend{
	{"SQLite", sqlstore.SQLite, openSQLite},
	{"PostgreSQL", sqlstore.PostgreSQL, openEnv("pgx", "SCIMKIT_POSTGRES_DSN", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable")},
	{"MariaDB", sqlstore.MariaDB, openEnv("mysql", "SCIMKIT_MYSQL_DSN", "root@tcp(127.0.0.1:3306)/test")},
}

// openSQLite opens a new database in a temporary file, with the settings that
// concurrent writers need: WAL and a busy timeout.
func openSQLite(t testing.TB) *sql.DB {
	dsn := "file:" + filepath.Join(t.TempDir(), "scim.db") + "?_pragma=busy_timeout(20000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func openEnv(driver, env, example string) func(t testing.TB) *sql.DB {
	return func(t testing.TB) *sql.DB {
		dsn := os.Getenv(env)
		if dsn == "" {
			t.Skipf("%s not set: set it (such as %s) to run this test on %s", env, example, driver)
		}
		if driver == "mysql" && !strings.Contains(dsn, "parseTime") {
			// The mapped tables keep times in DATETIME(6) columns.
			sep := "?"
			if strings.Contains(dsn, "?") {
				sep = "&"
			}
			dsn += sep + "parseTime=true"
		}
		db, err := sql.Open(driver, dsn)
		if err != nil {
			t.Fatal(err)
		}
		db.SetMaxOpenConns(16)
		t.Cleanup(func() { db.Close() })
		if err := db.PingContext(context.Background()); err != nil {
			t.Fatalf("%s: %v", env, err)
		}
		return db
	}
}

// prefix returns a table name prefix of its own for one test.
func prefix() string {
	var b [5]byte
	rand.Read(b[:])
	return "t" + hex.EncodeToString(b[:]) + "_"
}

// A mode is how a store's tables come to be.
type mode struct {
	name string
	// setup creates the tables of a store with prefix p and returns its description
	// (nil for owned tables) and the tables to drop afterwards.
	setup func(t testing.TB, db *sql.DB, d sqlstore.Dialect, p string) (*sqlstore.Tables, []string)
}

var modes = []mode{
	{"Owned", func(t testing.TB, db *sql.DB, d sqlstore.Dialect, p string) (*sqlstore.Tables, []string) {
		if err := sqlstore.Migrate(context.Background(), db, d, p); err != nil {
			t.Fatal(err)
		}
		tb := sqlstore.Owned(d, p)
		return tb, append(tb.Names(), p+"schema")
	}},
	{"Mapped", func(t testing.TB, db *sql.DB, d sqlstore.Dialect, p string) (*sqlstore.Tables, []string) {
		for _, q := range hostDDL(d, p) {
			if _, err := db.Exec(q); err != nil {
				t.Fatalf("%v\n%s", err, q)
			}
		}
		tb := hostTables(d, p)
		return tb, tb.Names()
	}},
}

// newStore returns a store over new tables of their own in the backend's database.
func newStore(t testing.TB, b backend, m mode, opts sqlstore.Options) (*sqlstore.Store, *sql.DB) {
	t.Helper()
	db := b.open(t)
	p := prefix()
	tables, drop := m.setup(t, db, b.dialect, p)
	if b.dialect != sqlstore.SQLite {
		t.Cleanup(func() {
			if _, err := db.Exec("DROP TABLE IF EXISTS " + strings.Join(drop, ", ")); err != nil {
				t.Errorf("dropping the test's tables: %v", err)
			}
		})
	}
	opts.Dialect = b.dialect
	opts.Tables = tables
	s, err := sqlstore.New(db, opts)
	if err != nil {
		t.Fatal(err)
	}
	return s, db
}

// each runs f for every backend and mode, as subtests "SQLite/Owned" and so on.
func each(t *testing.T, f func(t *testing.T, b backend, m mode)) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			for _, m := range modes {
				t.Run(m.name, func(t *testing.T) { f(t, b, m) })
			}
		})
	}
}
