package store

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// An Event is one entry of a workspace's provisioning activity log: one SCIM
// request that changed something, or failed.
type Event struct {
	ID           int64
	WorkspaceID  string
	At           time.Time
	UserAgent    string // the identity provider's User-Agent header, "" if none
	Operation    string // "create", "replace", "patch", "delete", ...
	ResourceType string // "User" or "Group"
	ResourceID   string
	ResourceName string   // userName or displayName, when known
	Attributes   []string // the attributes the request changed, canonical paths
	Status       int      // HTTP status of the response
}

// RecordEvent appends e to its workspace's activity log. e.ID is ignored.
func (db *DB) RecordEvent(ctx context.Context, e Event) error {
	if e.At.IsZero() {
		e.At = Now()
	}
	_, err := db.SQL.ExecContext(ctx, `INSERT INTO provisioning_events
		(workspace_id, at, user_agent, operation, resource_type, resource_id, resource_name, attributes, status)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		e.WorkspaceID, db.Dialect.Time(e.At), e.UserAgent, e.Operation, e.ResourceType, e.ResourceID,
		e.ResourceName, strings.Join(e.Attributes, ","), e.Status)
	if err != nil {
		return fmt.Errorf("store: record event: %w", err)
	}
	return nil
}

// Events returns up to limit events of a workspace, newest first, starting after the
// event with id before (0: from the newest). It also says whether older events remain.
func (db *DB) Events(ctx context.Context, workspaceID string, before int64, limit int) (es []Event, more bool, err error) {
	q := `SELECT id, workspace_id, at, user_agent, operation, resource_type, resource_id, resource_name,
		attributes, status FROM provisioning_events WHERE workspace_id = $1`
	args := []any{workspaceID, limit + 1}
	if before > 0 {
		q += ` AND id < $3`
		args = append(args, before)
	}
	rows, err := db.SQL.QueryContext(ctx, q+` ORDER BY id DESC LIMIT $2`, args...)
	if err != nil {
		return nil, false, fmt.Errorf("store: list events: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e Event
		var attrs string
		if err := rows.Scan(&e.ID, &e.WorkspaceID, ScanTime(&e.At), &e.UserAgent, &e.Operation,
			&e.ResourceType, &e.ResourceID, &e.ResourceName, &attrs, &e.Status); err != nil {
			return nil, false, fmt.Errorf("store: list events: %w", err)
		}
		if attrs != "" {
			e.Attributes = strings.Split(attrs, ",")
		}
		es = append(es, e)
	}
	if err := rows.Err(); err != nil {
		return nil, false, fmt.Errorf("store: list events: %w", err)
	}
	if len(es) > limit {
		return es[:limit], true, nil
	}
	return es, false, nil
}

// ResourceName returns the userName of a member or the name of a team by id, for the
// activity log; deleted members keep theirs. It returns "" when there is none.
func (db *DB) ResourceName(ctx context.Context, resourceType, id string) string {
	q := `SELECT user_name FROM members WHERE id = $1`
	if resourceType == "Group" {
		q = `SELECT display_name FROM teams WHERE id = $1`
	}
	var name string
	db.SQL.QueryRowContext(ctx, q, id).Scan(&name)
	return name
}
