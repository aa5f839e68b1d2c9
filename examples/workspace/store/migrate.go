package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

//go:embed migrations
var migrations embed.FS

// migrationLock is the PostgreSQL advisory lock key that serialises migrations of
// processes starting at the same time.
const migrationLock = 7243_1108

// migrate applies, in order and each once, the migrations of db's dialect that the
// database has not seen yet.
func (db *DB) migrate(ctx context.Context) error {
	dir := "migrations/" + db.Dialect.String()
	entries, err := fs.ReadDir(migrations, dir)
	if err != nil {
		return fmt.Errorf("store: read migrations: %w", err)
	}
	sort.Slice(entries, func(i, j int) bool { return entries[i].Name() < entries[j].Name() })
	return db.InTx(ctx, func(tx *sql.Tx) error {
		if db.Dialect == Postgres {
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, migrationLock); err != nil {
				return fmt.Errorf("store: lock migrations: %w", err)
			}
		}
		if _, err := tx.ExecContext(ctx,
			`CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)`); err != nil {
			return fmt.Errorf("store: create schema_migrations: %w", err)
		}
		for _, e := range entries {
			name := e.Name()
			num, _, _ := strings.Cut(name, "_")
			version, err := strconv.Atoi(num)
			if err != nil || !strings.HasSuffix(name, ".sql") {
				return fmt.Errorf("store: migration file %s is not named NNNN_name.sql", name)
			}
			var seen int
			if err := tx.QueryRowContext(ctx,
				`SELECT count(*) FROM schema_migrations WHERE version = $1`, version).Scan(&seen); err != nil {
				return fmt.Errorf("store: read schema_migrations: %w", err)
			}
			if seen > 0 {
				continue
			}
			body, err := migrations.ReadFile(path.Join(dir, name))
			if err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, string(body)); err != nil {
				return fmt.Errorf("store: migration %s: %w", name, err)
			}
			if _, err := tx.ExecContext(ctx,
				`INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, version, name); err != nil {
				return fmt.Errorf("store: record migration %s: %w", name, err)
			}
		}
		return nil
	})
}
