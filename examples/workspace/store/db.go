package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	_ "modernc.org/sqlite"             // registers the "sqlite" database/sql driver
)

// A DB is the app's database: a database/sql pool and the dialect of the server
// behind it. It is safe for concurrent use.
type DB struct {
	SQL     *sql.DB
	Dialect Dialect
}

// Open opens the database named by dsn and applies the pending migrations.
//
// A dsn that starts with postgres:// or postgresql:// opens PostgreSQL through pgx
// (parameters such as search_path=myschema in the URL become session settings).
// Anything else is the path of a SQLite file, created when missing.
func Open(ctx context.Context, dsn string) (*DB, error) {
	db := &DB{}
	var err error
	switch {
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		db.Dialect = Postgres
		db.SQL, err = sql.Open("pgx", dsn)
		if err == nil {
			db.SQL.SetMaxOpenConns(16)
			db.SQL.SetMaxIdleConns(16)
			db.SQL.SetConnMaxIdleTime(time.Minute)
		}
	default:
		if dsn == "" {
			return nil, errors.New("store: empty database name")
		}
		db.Dialect = SQLite
		// SQLite has one writer at a time. One pooled connection makes requests queue
		// in Go, fairly and without the sleeps of SQLite's busy handler; a second
		// process on the same file still works: _txlock=immediate takes the write lock
		// when a transaction begins (so no transaction deadlocks upgrading a read
		// lock), and busy_timeout makes it wait for the lock instead of failing.
		db.SQL, err = sql.Open("sqlite", "file:"+dsn+
			"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(20000)&_pragma=foreign_keys(1)"+
			"&_pragma=synchronous(NORMAL)&_txlock=immediate")
		if err == nil {
			db.SQL.SetMaxOpenConns(1)
			db.SQL.SetMaxIdleConns(1)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("store: open %s database: %w", db.Dialect, err)
	}
	if err := db.SQL.PingContext(ctx); err != nil {
		db.SQL.Close()
		return nil, fmt.Errorf("store: connect to %s database: %w", db.Dialect, err)
	}
	if err := db.migrate(ctx); err != nil {
		db.SQL.Close()
		return nil, err
	}
	return db, nil
}

// Close closes the pool.
func (db *DB) Close() error { return db.SQL.Close() }

// InTx runs fn inside a transaction and commits when fn returns nil; otherwise, or
// when fn panics, it rolls back. fn must do all its work through tx.
func (db *DB) InTx(ctx context.Context, fn func(tx *sql.Tx) error) (err error) {
	tx, err := db.SQL.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	defer func() {
		if p := recover(); p != nil {
			tx.Rollback()
			panic(p)
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	if err = tx.Commit(); err != nil {
		return fmt.Errorf("store: commit: %w", err)
	}
	return nil
}

// queryList runs query with args and returns one T per row, each filled by scan.
// what names the list in errors ("store: list desks: ...").
func queryList[T any](ctx context.Context, db *DB, what, query string, args []any,
	scan func(rows *sql.Rows, v *T) error) ([]T, error) {
	rows, err := db.SQL.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: list %s: %w", what, err)
	}
	defer rows.Close()
	var out []T
	for rows.Next() {
		var v T
		if err := scan(rows, &v); err != nil {
			return nil, fmt.Errorf("store: list %s: %w", what, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}
