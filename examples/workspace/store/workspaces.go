package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// ErrNotFound reports that a row the caller named does not exist.
var ErrNotFound = errors.New("store: not found")

// A Workspace is one customer organisation: the tenant of SCIM provisioning.
type Workspace struct {
	ID   string
	Name string
	// ProvisioningEnabled is the admin's switch: when false, SCIM requests for the
	// workspace are refused with 403.
	ProvisioningEnabled bool
	Created             time.Time
}

// defaultDesks are the desks and rooms a new workspace starts with.
var defaultDesks = []Desk{
	{Name: "Desk 1", Kind: "desk"}, {Name: "Desk 2", Kind: "desk"}, {Name: "Desk 3", Kind: "desk"},
	{Name: "Desk 4", Kind: "desk"}, {Name: "Desk 5", Kind: "desk"}, {Name: "Desk 6", Kind: "desk"},
	{Name: "Room Ada", Kind: "room"}, {Name: "Room Grace", Kind: "room"},
}

// CreateWorkspace creates a workspace with provisioning enabled and a few desks and rooms.
func (db *DB) CreateWorkspace(ctx context.Context, name string) (*Workspace, error) {
	var w *Workspace
	err := db.InTx(ctx, func(tx *sql.Tx) (err error) {
		w, err = db.createWorkspace(ctx, tx, name)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: create workspace: %w", err)
	}
	return w, nil
}

// FirstWorkspace returns the oldest workspace, or creates one called name in an empty
// database. App processes that start together over one database create only one.
func (db *DB) FirstWorkspace(ctx context.Context, name string) (*Workspace, error) {
	var w *Workspace
	err := db.InTx(ctx, func(tx *sql.Tx) error {
		if db.Dialect == Postgres {
			if _, err := tx.ExecContext(ctx, `SELECT pg_advisory_xact_lock($1)`, migrationLock); err != nil {
				return err
			}
		}
		w = &Workspace{}
		err := tx.QueryRowContext(ctx, `SELECT id, name, provisioning_enabled, created_at FROM workspaces
			ORDER BY created_at, id LIMIT 1`).Scan(&w.ID, &w.Name, &w.ProvisioningEnabled, ScanTime(&w.Created))
		if errors.Is(err, sql.ErrNoRows) {
			w, err = db.createWorkspace(ctx, tx, name)
		}
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("store: first workspace: %w", err)
	}
	return w, nil
}

func (db *DB) createWorkspace(ctx context.Context, tx *sql.Tx, name string) (*Workspace, error) {
	w := &Workspace{ID: uuid.NewString(), Name: name, ProvisioningEnabled: true, Created: Now()}
	if _, err := tx.ExecContext(ctx,
		`INSERT INTO workspaces (id, name, provisioning_enabled, created_at) VALUES ($1, $2, $3, $4)`,
		w.ID, w.Name, w.ProvisioningEnabled, db.Dialect.Time(w.Created)); err != nil {
		return nil, err
	}
	for _, d := range defaultDesks {
		if _, err := tx.ExecContext(ctx,
			`INSERT INTO desks (id, workspace_id, name, kind) VALUES ($1, $2, $3, $4)`,
			uuid.NewString(), w.ID, d.Name, d.Kind); err != nil {
			return nil, err
		}
	}
	return w, nil
}

// Workspace returns the workspace with that id, or an error wrapping ErrNotFound.
func (db *DB) Workspace(ctx context.Context, id string) (*Workspace, error) {
	w := &Workspace{}
	err := db.SQL.QueryRowContext(ctx,
		`SELECT id, name, provisioning_enabled, created_at FROM workspaces WHERE id = $1`, id).
		Scan(&w.ID, &w.Name, &w.ProvisioningEnabled, ScanTime(&w.Created))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: workspace %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: read workspace: %w", err)
	}
	return w, nil
}

// Workspaces returns every workspace, oldest first.
func (db *DB) Workspaces(ctx context.Context) ([]Workspace, error) {
	return queryList(ctx, db, "workspaces",
		`SELECT id, name, provisioning_enabled, created_at FROM workspaces ORDER BY created_at, id`, nil,
		func(rows *sql.Rows, w *Workspace) error {
			return rows.Scan(&w.ID, &w.Name, &w.ProvisioningEnabled, ScanTime(&w.Created))
		})
}

// SetProvisioning turns SCIM provisioning of the workspace on or off.
func (db *DB) SetProvisioning(ctx context.Context, id string, enabled bool) error {
	res, err := db.SQL.ExecContext(ctx,
		`UPDATE workspaces SET provisioning_enabled = $1 WHERE id = $2`, enabled, id)
	if err != nil {
		return fmt.Errorf("store: set provisioning: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("store: workspace %q: %w", id, ErrNotFound)
	}
	return nil
}
