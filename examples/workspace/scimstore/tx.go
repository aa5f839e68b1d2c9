package scimstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/scimkit/scimkit/examples/workspace/store"
	"github.com/scimkit/scimkit/scim"
)

// querier is what *sql.DB and *sql.Tx have in common.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// tenant returns the workspace of the request. A context without one names no
// workspace: nothing is found in it, and nothing can be created.
func tenant(ctx context.Context) (string, error) {
	ws, _ := scim.TenantFrom(ctx)
	return ws, nil
}

// maxAttempts bounds how often a transaction that lost a deadlock or lock race runs.
const maxAttempts = 5

// inTx runs fn in a transaction, again when the database aborted it for a deadlock or
// serialization failure (fn must be safe to repeat: it only touches tx).
func inTx(ctx context.Context, db *store.DB, fn func(tx *sql.Tx) error) error {
	for attempt := 1; ; attempt++ {
		err := db.InTx(ctx, fn)
		if err == nil || !store.IsRetryable(err) || attempt == maxAttempts {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(time.Duration(rand.IntN(10*attempt)+1) * time.Millisecond):
		}
	}
}

// lockVersion locks the row of a member ("members") or team ("teams") of the
// workspace for the rest of the transaction and checks it against ifMatch. It fails
// with ErrNotFound for a missing (or deleted) row and ErrPreconditionFailed when
// ifMatch is set and is not the row's version.
func lockVersion(ctx context.Context, tx *sql.Tx, d store.Dialect, table, ws, id, ifMatch string) error {
	q := `SELECT version FROM teams WHERE workspace_id = $1 AND id = $2`
	if table == "members" {
		q = `SELECT version FROM members WHERE workspace_id = $1 AND id = $2 AND deleted_at IS NULL`
	}
	var v int64
	err := tx.QueryRowContext(ctx, q+d.ForUpdate(), ws, id).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("scimstore: %s %q: %w", table, id, scim.ErrNotFound)
	}
	if err != nil {
		return err
	}
	if ifMatch != "" && ifMatch != version(v) {
		return fmt.Errorf("scimstore: %s %q is at version %d, not %s: %w", table, id, v, ifMatch,
			scim.ErrPreconditionFailed)
	}
	return nil
}

// stamp returns t at the precision the databases keep, or now if t is zero.
func stamp(t time.Time) time.Time {
	if t.IsZero() {
		return store.Now()
	}
	return t.UTC().Truncate(time.Microsecond)
}

// errUnavailable answers requests that found the database down: 503, which identity
// providers retry later.
var errUnavailable = &scim.Error{Status: 503, Detail: "the database is unavailable; retry later"}

// wrap adds context to err; database outages become errUnavailable.
func wrap(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case store.IsUnavailable(err):
		return fmt.Errorf("scimstore: %s: %w (%w)", op, errUnavailable, err)
	}
	return fmt.Errorf("scimstore: %s: %w", op, err)
}
