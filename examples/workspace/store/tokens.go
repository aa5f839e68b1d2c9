package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/google/uuid"
	"github.com/scimkit/scimkit/scim"
)

// A Token is a live SCIM bearer token of a workspace as the admin page lists it.
// The secret itself is shown once, when it is created, and only its hash is stored.
type Token struct {
	ID          string
	WorkspaceID string
	Label       string // the admin's name for the token, such as "Entra ID production"
	Hint        string // the last four characters of the secret, to tell tokens apart
	Created     time.Time
	LastUsed    time.Time // zero if never used
	Revoked     bool
}

// Name returns how the admin pages name t: its label, else its hint.
func (t *Token) Name() string {
	if t.Label != "" {
		return t.Label
	}
	return "…" + t.Hint
}

// ErrDisabled reports a valid token of a workspace whose admin turned provisioning off.
var ErrDisabled = errors.New("store: provisioning is disabled for this workspace")

// lastUsedEvery bounds how often verifying a token writes its last-used time.
const lastUsedEvery = 30 * time.Second

// CreateToken makes a new unlabelled SCIM token for the workspace; see CreateLabeledToken.
func (db *DB) CreateToken(ctx context.Context, workspaceID string) (secret string, t *Token, err error) {
	return db.CreateLabeledToken(ctx, workspaceID, "")
}

// CreateLabeledToken makes a new SCIM token for the workspace (scim.GenerateToken)
// with the admin's label and returns its secret, which is not stored and cannot be
// shown again, with the token's listing. Only scim.HashToken of the secret is stored.
func (db *DB) CreateLabeledToken(ctx context.Context, workspaceID, label string) (secret string, t *Token, err error) {
	secret, err = scim.GenerateToken()
	if err != nil {
		return "", nil, fmt.Errorf("store: create token: %w", err)
	}
	t = &Token{ID: uuid.NewString(), WorkspaceID: workspaceID, Label: label, Hint: secret[len(secret)-4:], Created: Now()}
	_, err = db.SQL.ExecContext(ctx, `INSERT INTO scim_tokens (id, workspace_id, hash, hint, label, created_at)
		VALUES ($1, $2, $3, $4, $5, $6)`, t.ID, workspaceID, scim.HashToken(secret), t.Hint, label, db.Dialect.Time(t.Created))
	if IsForeignKeyViolation(err) {
		return "", nil, fmt.Errorf("store: workspace %q: %w", workspaceID, ErrNotFound)
	}
	if err != nil {
		return "", nil, fmt.Errorf("store: create token: %w", err)
	}
	return secret, t, nil
}

// Tokens returns the live (not revoked) tokens of a workspace, newest first.
func (db *DB) Tokens(ctx context.Context, workspaceID string) ([]Token, error) {
	return queryList(ctx, db, "tokens", tokenSelect+` WHERE workspace_id = $1 AND revoked_at IS NULL
		ORDER BY created_at DESC, id`, []any{workspaceID}, scanToken)
}

const tokenSelect = `SELECT id, workspace_id, label, hint, created_at, last_used_at, revoked_at IS NOT NULL FROM scim_tokens`

func scanToken(rows *sql.Rows, t *Token) error {
	return rows.Scan(&t.ID, &t.WorkspaceID, &t.Label, &t.Hint, ScanTime(&t.Created), ScanTime(&t.LastUsed), &t.Revoked)
}

// Token returns a token of the workspace, live or revoked, or ErrNotFound.
func (db *DB) Token(ctx context.Context, workspaceID, id string) (*Token, error) {
	ts, err := queryList(ctx, db, "tokens", tokenSelect+` WHERE workspace_id = $1 AND id = $2`,
		[]any{workspaceID, id}, scanToken)
	if err != nil {
		return nil, err
	}
	if len(ts) == 0 {
		return nil, fmt.Errorf("store: token %q: %w", id, ErrNotFound)
	}
	return &ts[0], nil
}

// TokenByHashPrefix returns the token, live or revoked, whose stored hash
// (scim.HashToken of the secret) starts with prefix, such as the TokenHint of a
// scim.Failure; ErrNotFound when none does. prefix must be hex digits.
func (db *DB) TokenByHashPrefix(ctx context.Context, prefix string) (*Token, error) {
	if prefix == "" || strings.Trim(prefix, "0123456789abcdef") != "" {
		return nil, fmt.Errorf("store: token hash prefix %q: %w", prefix, ErrNotFound)
	}
	ts, err := queryList(ctx, db, "tokens", tokenSelect+` WHERE hash LIKE $1 ORDER BY created_at DESC LIMIT 1`,
		[]any{prefix + "%"}, scanToken)
	if err != nil {
		return nil, err
	}
	if len(ts) == 0 {
		return nil, fmt.Errorf("store: token hash prefix %q: %w", prefix, ErrNotFound)
	}
	return &ts[0], nil
}

// RevokeToken revokes a token of the workspace; requests bearing it fail from now on.
func (db *DB) RevokeToken(ctx context.Context, workspaceID, id string) error {
	res, err := db.SQL.ExecContext(ctx, `UPDATE scim_tokens SET revoked_at = $1
		WHERE workspace_id = $2 AND id = $3 AND revoked_at IS NULL`, db.Dialect.Time(Now()), workspaceID, id)
	if err != nil {
		return fmt.Errorf("store: revoke token: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: token %q: %w", id, ErrNotFound)
	}
	return nil
}

// VerifyToken returns the workspace of a live token with that secret. It fails with
// ErrNotFound for an unknown or revoked secret and with ErrDisabled when the
// workspace's provisioning is switched off. It records the time of use, at most
// every 30 seconds per token. The lookup is by hash: an index finds the row, and
// nothing about the secret can be learnt from its timing.
func (db *DB) VerifyToken(ctx context.Context, secret string) (workspaceID string, err error) {
	var id string
	var enabled bool
	var lastUsed time.Time
	err = db.SQL.QueryRowContext(ctx, `SELECT t.id, t.workspace_id, w.provisioning_enabled, t.last_used_at
		FROM scim_tokens t JOIN workspaces w ON w.id = t.workspace_id
		WHERE t.hash = $1 AND t.revoked_at IS NULL`, scim.HashToken(secret)).
		Scan(&id, &workspaceID, &enabled, ScanTime(&lastUsed))
	if errors.Is(err, sql.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("store: verify token: %w", err)
	}
	if !enabled {
		return workspaceID, ErrDisabled
	}
	if now := Now(); now.Sub(lastUsed) > lastUsedEvery {
		_, err := db.SQL.ExecContext(ctx, `UPDATE scim_tokens SET last_used_at = $1
			WHERE id = $2 AND (last_used_at IS NULL OR last_used_at < $3)`,
			db.Dialect.Time(now), id, db.Dialect.Time(now.Add(-lastUsedEvery)))
		if err != nil {
			return "", fmt.Errorf("store: record token use: %w", err)
		}
	}
	return workspaceID, nil
}
