package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// SetFlash keeps a one-time value for the session of a cookie secret until it is
// taken or expires, replacing any earlier one. The caller seals the value: the store
// keeps it as given.
func (db *DB) SetFlash(ctx context.Context, sessionSecret, sealed string, ttl time.Duration) error {
	_, err := db.SQL.ExecContext(ctx, `INSERT INTO flashes (session_hash, sealed, expires_at) VALUES ($1, $2, $3)
		ON CONFLICT (session_hash) DO UPDATE SET sealed = excluded.sealed, expires_at = excluded.expires_at`,
		hashSecret(sessionSecret), sealed, db.Dialect.Time(Now().Add(ttl)))
	if err != nil {
		return fmt.Errorf("store: set flash: %w", err)
	}
	return nil
}

// TakeFlash returns the unexpired flash of a session and deletes it, so that it is
// shown once; "" when there is none.
func (db *DB) TakeFlash(ctx context.Context, sessionSecret string) (string, error) {
	var sealed string
	var expires time.Time
	err := db.SQL.QueryRowContext(ctx, `DELETE FROM flashes WHERE session_hash = $1 RETURNING sealed, expires_at`,
		hashSecret(sessionSecret)).Scan(&sealed, ScanTime(&expires))
	if errors.Is(err, sql.ErrNoRows) || err == nil && Now().After(expires) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("store: take flash: %w", err)
	}
	return sealed, nil
}
