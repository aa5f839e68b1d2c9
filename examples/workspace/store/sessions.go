package store

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"time"
)

// A Session is a signed-in browser: the admin, or a member of a workspace. Sessions
// live in the database so that any app process behind a load balancer knows them.
type Session struct {
	Kind        string // "admin" or "member"
	WorkspaceID string // for members
	MemberID    string // for members
	// CSRF is the per-session token that every form POST must carry back.
	CSRF    string
	Expires time.Time
}

// CreateSession stores s with a fresh CSRF token and returns the secret to put in
// the session cookie; only its hash is stored.
func (db *DB) CreateSession(ctx context.Context, s Session) (secret string, err error) {
	secret = rand.Text() + rand.Text()
	s.CSRF = rand.Text()
	_, err = db.SQL.ExecContext(ctx, `INSERT INTO sessions (hash, kind, workspace_id, member_id, csrf, expires_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, hashSecret(secret), s.Kind, s.WorkspaceID, s.MemberID, s.CSRF,
		db.Dialect.Time(s.Expires))
	if err != nil {
		return "", fmt.Errorf("store: create session: %w", err)
	}
	return secret, nil
}

// Session returns the unexpired session of a cookie secret, or ErrNotFound.
func (db *DB) Session(ctx context.Context, secret string) (*Session, error) {
	s := &Session{}
	var ws, member sql.NullString
	err := db.SQL.QueryRowContext(ctx, `SELECT kind, workspace_id, member_id, csrf, expires_at
		FROM sessions WHERE hash = $1 AND expires_at > $2`, hashSecret(secret), db.Dialect.Time(Now())).
		Scan(&s.Kind, &ws, &member, &s.CSRF, ScanTime(&s.Expires))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: read session: %w", err)
	}
	s.WorkspaceID, s.MemberID = ws.String, member.String
	return s, nil
}

// hashSecret is how session secrets are stored: hex SHA-256, as for tokens.
func hashSecret(secret string) string {
	h := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(h[:])
}

// DeleteSession ends the session of a cookie secret, and any expired ones.
func (db *DB) DeleteSession(ctx context.Context, secret string) error {
	_, err := db.SQL.ExecContext(ctx, `DELETE FROM sessions WHERE hash = $1 OR expires_at < $2`,
		hashSecret(secret), db.Dialect.Time(Now()))
	if err != nil {
		return fmt.Errorf("store: delete session: %w", err)
	}
	return nil
}

// EndMemberSessions signs a member out of every browser, inside tx: the store of
// SCIM users calls it when the identity provider deactivates or deletes them.
func EndMemberSessions(ctx context.Context, tx *sql.Tx, workspaceID, memberID string) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE kind = 'member' AND workspace_id = $1
		AND member_id = $2`, workspaceID, memberID)
	if err != nil {
		return fmt.Errorf("store: end member sessions: %w", err)
	}
	return nil
}
