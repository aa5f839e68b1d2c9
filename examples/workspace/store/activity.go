package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// An Event is one entry of a workspace's provisioning activity log: one SCIM
// request that changed something, or failed.
type Event struct {
	ID           int64
	WorkspaceID  string // "" for a refused request whose token matches no workspace
	At           time.Time
	UserAgent    string // the identity provider's User-Agent header, "" if none
	Operation    string // a scim.EventType for changes, a scim.Operation for failures
	ResourceType string // "User", "Group" or ""
	ResourceID   string
	ResourceName string   // userName or displayName, when known
	Attributes   []string // the attributes the request changed, short names
	Status       int      // HTTP status of the response
	EventDetails
}

// EventDetails is what an Event says beyond its columns: why a request failed, and
// the values and members a change touched.
type EventDetails struct {
	Method   string `json:"method,omitempty"`
	Path     string `json:"path,omitempty"`
	ScimType string `json:"scimType,omitempty"`
	Detail   string `json:"detail,omitempty"`
	// Token names the token of a refused request: its label, or its hint.
	Token string `json:"token,omitempty"`
	// Values are the old and new values of single-valued attributes that changed.
	Values []ValueChange `json:"values,omitempty"`
	// Added and Removed name the first members a group change added and removed;
	// AddedMore and RemovedMore count the others.
	Added       []string `json:"added,omitempty"`
	Removed     []string `json:"removed,omitempty"`
	AddedMore   int      `json:"addedMore,omitempty"`
	RemovedMore int      `json:"removedMore,omitempty"`
	// Skipped lists the attributes of the request that were not kept.
	Skipped []string `json:"skipped,omitempty"`
}

// A ValueChange is one attribute's value before and after a change; "" means unassigned.
type ValueChange struct {
	Attribute string `json:"attribute"`
	Old       string `json:"old,omitempty"`
	New       string `json:"new,omitempty"`
}

// Unvalued returns the changed attributes that Values does not show, other than
// members (which Added and Removed show).
func (e *Event) Unvalued() []string {
	var out []string
next:
	for _, a := range e.Attributes {
		if a == "members" {
			continue
		}
		for _, v := range e.Values {
			if v.Attribute == a {
				continue next
			}
		}
		out = append(out, a)
	}
	return out
}

// Failed reports whether the request the event records was refused or failed.
func (e *Event) Failed() bool { return e.Status >= 400 }

// RecordEvent appends e to its workspace's activity log (or to the log of refused
// requests of no workspace, when e.WorkspaceID is ""). e.ID is ignored.
func (db *DB) RecordEvent(ctx context.Context, e Event) error {
	if e.At.IsZero() {
		e.At = Now()
	}
	details, err := json.Marshal(e.EventDetails)
	if err != nil {
		return fmt.Errorf("store: record event: %w", err)
	}
	var ws any
	if e.WorkspaceID != "" {
		ws = e.WorkspaceID
	}
	_, err = db.SQL.ExecContext(ctx, `INSERT INTO provisioning_events
		(workspace_id, at, user_agent, operation, resource_type, resource_id, resource_name, attributes, status, details)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		ws, db.Dialect.Time(e.At), e.UserAgent, e.Operation, e.ResourceType, e.ResourceID,
		e.ResourceName, strings.Join(e.Attributes, ","), e.Status, string(details))
	if err != nil {
		return fmt.Errorf("store: record event: %w", err)
	}
	return nil
}

// EventQuery selects and pages the events of a workspace.
type EventQuery struct {
	// Workspace is the workspace whose log is read; "" reads the refused requests
	// that belong to no workspace.
	Workspace string
	// Resource keeps the events of one person or team: its id, or text found in
	// its userName or displayName, ignoring case. "" keeps all.
	Resource string
	// Member keeps the events of one member: those about its id, and those without
	// an id that name its userName (such as a refused create). "" keeps all.
	Member, MemberUserName string
	// Operation keeps the events of one operation ("" keeps all).
	Operation string
	// Result keeps "ok" or "failed" requests ("" keeps both).
	Result string
	// Before starts after the event with this id (0: from the newest).
	Before int64
	Limit  int
}

// Events returns the events q selects, newest first, and whether older ones remain.
func (db *DB) Events(ctx context.Context, q EventQuery) (es []Event, more bool, err error) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if q.Workspace == "" {
		where = append(where, "workspace_id IS NULL")
	} else {
		where = append(where, "workspace_id = "+arg(q.Workspace))
	}
	if q.Resource != "" {
		where = append(where, "(resource_id = "+arg(q.Resource)+
			` OR lower(resource_name) LIKE `+arg("%"+likeEscape(strings.ToLower(q.Resource))+"%")+` ESCAPE '\')`)
	}
	if q.Member != "" {
		where = append(where, "(resource_id = "+arg(q.Member)+" OR resource_id = '' AND resource_type = 'User' AND lower(resource_name) = "+
			arg(strings.ToLower(q.MemberUserName))+")")
	}
	if q.Operation != "" {
		where = append(where, "operation = "+arg(q.Operation))
	}
	switch q.Result {
	case "ok":
		where = append(where, "status < 400")
	case "failed":
		where = append(where, "status >= 400")
	}
	if q.Before > 0 {
		where = append(where, "id < "+arg(q.Before))
	}
	if q.Limit <= 0 {
		q.Limit = 25
	}
	es, err = db.queryEvents(ctx, " WHERE "+strings.Join(where, " AND ")+" ORDER BY id DESC LIMIT "+arg(q.Limit+1), args...)
	if err != nil {
		return nil, false, err
	}
	if len(es) > q.Limit {
		return es[:q.Limit], true, nil
	}
	return es, false, nil
}

// likeEscape escapes the wildcards of a LIKE pattern (with ESCAPE '\').
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

func (db *DB) queryEvents(ctx context.Context, tail string, args ...any) ([]Event, error) {
	return queryList(ctx, db, "events", `SELECT id, COALESCE(workspace_id, ''), at, user_agent, operation,
		resource_type, resource_id, resource_name, attributes, status, details FROM provisioning_events`+tail, args,
		func(rows *sql.Rows, e *Event) error {
			var attrs, details string
			if err := rows.Scan(&e.ID, &e.WorkspaceID, ScanTime(&e.At), &e.UserAgent, &e.Operation,
				&e.ResourceType, &e.ResourceID, &e.ResourceName, &attrs, &e.Status, &details); err != nil {
				return err
			}
			if attrs != "" {
				e.Attributes = strings.Split(attrs, ",")
			}
			return json.Unmarshal([]byte(details), &e.EventDetails)
		})
}

// Operations returns the operations that occur in a workspace's log, sorted: the
// choices of the log's operation filter.
func (db *DB) Operations(ctx context.Context, workspaceID string) ([]string, error) {
	return queryList(ctx, db, "operations", `SELECT DISTINCT operation FROM provisioning_events
		WHERE workspace_id = $1 ORDER BY operation`, []any{workspaceID},
		func(rows *sql.Rows, op *string) error { return rows.Scan(op) })
}

// Health sums up how provisioning of a workspace is going, from its activity log.
type Health struct {
	LastSuccess *Event // the newest change, nil if none
	LastFailure *Event // the newest failed request, nil if none
	Failures24h int    // failed requests in the last 24 hours
	UserAgent   string // the User-Agent of the newest request that sent one
	// Recent and RecentFailed count the newest logged requests (at most
	// HealthWindow) and the failed ones among them.
	Recent, RecentFailed int
}

// HealthWindow is how many of the newest logged requests Health.Recent looks at.
const HealthWindow = 20

// Failing reports whether most of the recent requests failed: what, sustained, makes
// Entra ID quarantine an application. It needs at least 5 requests to say so.
func (h *Health) Failing() bool { return h.Recent >= 5 && 2*h.RecentFailed > h.Recent }

// Health returns the health summary of a workspace at time now.
func (db *DB) Health(ctx context.Context, workspaceID string, now time.Time) (*Health, error) {
	h := &Health{}
	one := func(cond string) (*Event, error) {
		es, err := db.queryEvents(ctx, " WHERE workspace_id = $1 AND "+cond+" ORDER BY id DESC LIMIT 1", workspaceID)
		if err != nil || len(es) == 0 {
			return nil, err
		}
		return &es[0], nil
	}
	var err error
	if h.LastSuccess, err = one("status < 400"); err != nil {
		return nil, err
	}
	if h.LastFailure, err = one("status >= 400"); err != nil {
		return nil, err
	}
	if ua, err := one("user_agent <> ''"); err != nil {
		return nil, err
	} else if ua != nil {
		h.UserAgent = ua.UserAgent
	}
	err = db.SQL.QueryRowContext(ctx, `SELECT count(*) FROM provisioning_events
		WHERE workspace_id = $1 AND status >= 400 AND at >= $2`, workspaceID, db.Dialect.Time(now.Add(-24*time.Hour))).
		Scan(&h.Failures24h)
	if err != nil {
		return nil, fmt.Errorf("store: health: %w", err)
	}
	err = db.SQL.QueryRowContext(ctx, `SELECT count(*), COALESCE(sum(CASE WHEN status >= 400 THEN 1 ELSE 0 END), 0)
		FROM (SELECT status FROM provisioning_events WHERE workspace_id = $1 ORDER BY id DESC LIMIT $2) recent`,
		workspaceID, HealthWindow).Scan(&h.Recent, &h.RecentFailed)
	if err != nil {
		return nil, fmt.Errorf("store: health: %w", err)
	}
	return h, nil
}

// ResourceName returns the userName of a member or the name of a team by id, for the
// activity log; deleted members keep theirs. It returns "" when there is none.
func (db *DB) ResourceName(ctx context.Context, resourceType, id string) string {
	q := `SELECT user_name FROM members WHERE id = $1
		UNION ALL SELECT user_name FROM former_members WHERE id = $1`
	if resourceType == "Group" {
		q = `SELECT display_name FROM teams WHERE id = $1`
	}
	var name string
	if err := db.SQL.QueryRowContext(ctx, q, id).Scan(&name); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return ""
	}
	return name
}
