package store

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"fmt"
)

// Key returns the app's secret key called name (32 random bytes), creating it on
// first use. Every app process over the database gets the same key, so a value one
// process signs, another can check.
func (db *DB) Key(ctx context.Context, name string) ([]byte, error) {
	fresh := make([]byte, 32)
	rand.Read(fresh)
	if _, err := db.SQL.ExecContext(ctx, `INSERT INTO app_keys (name, value) VALUES ($1, $2)
		ON CONFLICT (name) DO NOTHING`, name, base64.StdEncoding.EncodeToString(fresh)); err != nil {
		return nil, fmt.Errorf("store: create key: %w", err)
	}
	var v string
	if err := db.SQL.QueryRowContext(ctx, `SELECT value FROM app_keys WHERE name = $1`, name).Scan(&v); err != nil {
		return nil, fmt.Errorf("store: read key: %w", err)
	}
	return base64.StdEncoding.DecodeString(v)
}
