package scimstore

// This file is the part of the workspace app that a team adopting scimkit writes for
// its own product: where each SCIM attribute lives in the app's tables (one
// sqlstore.Tables value), and what else changes in the same transaction (the hooks).
// Package sqlstore derives every statement, scan and filter from it.
//
// A SCIM User is a row of members; a SCIM Group a row of teams, its members rows of
// team_members; the tenant of each request is a workspace (workspace_id). What has
// no column of its own (nickName, addresses, phone numbers, other extensions…) is
// kept verbatim as SCIM JSON in scim_attributes.
//
// Deleting a User deletes the member, who leaves every team (each team's version
// changes); a row in former_members keeps their name for the bookings they made,
// which stay.
// Deactivating or deleting a member ends their sessions, in the same transaction.

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"

	"github.com/scimkit/scimkit/examples/workspace/store"
	"github.com/scimkit/scimkit/schema"
	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/sqlstore"
)

// Tables says where SCIM Users and Groups live in the app's tables on database d.
func Tables(d store.Dialect) *sqlstore.Tables {
	const ent = schema.EnterpriseUserURN + ":"
	return &sqlstore.Tables{
		Users: sqlstore.Table{
			Name: "members", Tenant: "workspace_id", ID: "id", Version: "version",
			Created: "created_at", Modified: "updated_at", Attributes: "scim_attributes",
			Columns: map[string]string{
				"userName":             "user_name", // sign-in, unique per workspace in any case
				"externalId":           "external_id",
				"displayName":          "display_name", // names on bookings and teams
				"name.formatted":       "name_formatted",
				"name.givenName":       "given_name",
				"name.familyName":      "family_name",
				"name.middleName":      "middle_name",
				"name.honorificPrefix": "honorific_prefix",
				"name.honorificSuffix": "honorific_suffix",
				"title":                "title",
				"active":               "active", // false: no sign-in, no booking
				ent + "employeeNumber": "employee_number",
				ent + "costCenter":     "cost_center",
				ent + "organization":   "organization",
				ent + "division":       "division",
				ent + "department":     "department", // the people list
				ent + "manager.value":  "manager_id", // stored as sent
			},
			Lists: map[string]sqlstore.List{
				"emails": { // sign-in by any email
					Name: "member_emails", Tenant: "workspace_id", Parent: "member_id", Position: "position",
					Columns: map[string]string{"value": "value", "type": "type", "display": "display", "primary": "is_primary"},
				},
			},
		},
		Groups: sqlstore.Table{
			Name: "teams", Tenant: "workspace_id", ID: "id", Version: "version",
			Created: "created_at", Modified: "updated_at", Attributes: "scim_attributes",
			Columns: map[string]string{"displayName": "display_name", "externalId": "external_id"},
		},
		Members:    sqlstore.Membership{Name: "team_members", Tenant: "workspace_id", Group: "team_id", Member: "member_id"},
		TimeLayout: d.TimeLayout(),
	}
}

// New returns the SCIM store of the app over db: users are members, groups teams.
func New(db *store.DB) (*sqlstore.Store, error) {
	d := sqlstore.PostgreSQL
	if db.Dialect == store.SQLite {
		d = sqlstore.SQLite
	}
	return sqlstore.New(db.SQL, sqlstore.Options{Dialect: d, Tables: Tables(db.Dialect),
		UserHook: func(ctx context.Context, tx *sql.Tx, before, after *scim.User) error {
			return userChanged(ctx, tx, db.Dialect, before, after)
		}})
}

// userChanged keeps the app's own tables in step with a SCIM write to a member: a
// member who can no longer sign in loses their sessions, and a deleted one leaves a
// row in former_members.
func userChanged(ctx context.Context, tx *sql.Tx, d store.Dialect, before, after *scim.User) error {
	if before == nil || (after != nil && (after.Active || !before.Active)) {
		return nil
	}
	ws, _ := scim.TenantFrom(ctx)
	if err := store.EndMemberSessions(ctx, tx, ws, before.ID); err != nil {
		return err
	}
	if after != nil {
		return nil
	}
	// The member leaves their teams, which therefore change version.
	teams := make([]string, len(before.Groups))
	for i, g := range before.Groups {
		teams[i] = g.Value
	}
	now := d.Time(store.Now())
	if len(teams) > 0 {
		ids, _ := json.Marshal(teams)
		if _, err := tx.ExecContext(ctx, `UPDATE teams SET version = version + 1, updated_at = $1
			WHERE workspace_id = $2 AND id IN (`+d.StringList(3)+`)`, now, ws, string(ids)); err != nil {
			return fmt.Errorf("scimstore: teams of a deleted member: %w", err)
		}
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO former_members (id, workspace_id, user_name, display_name,
		deleted_at) VALUES ($1, $2, $3, $4, $5)`, before.ID, ws, before.UserName, null(before.DisplayName), now)
	if err != nil {
		return fmt.Errorf("scimstore: keep former member: %w", err)
	}
	return nil
}

// null stores an unassigned ("") string as NULL.
func null(s string) any {
	if s == "" {
		return nil
	}
	return s
}
