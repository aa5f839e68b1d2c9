package sqlstore_test

import (
	"database/sql"
	"fmt"
	"strings"

	"github.com/scimkit/scimkit/schema"
	"github.com/scimkit/scimkit/sqlstore"
)

// The owned tables' DDL, for a host that runs its own migration tool: the version
// record's table first, the version itself last.
func ExampleDDL() {
	for _, stmt := range sqlstore.DDL(sqlstore.PostgreSQL, "scim_") {
		first, _, _ := strings.Cut(stmt, "\n")
		fmt.Println(first)
	}
	// Output:
	// CREATE TABLE IF NOT EXISTS scim_schema (
	// CREATE TABLE IF NOT EXISTS scim_users (
	// CREATE TABLE IF NOT EXISTS scim_groups (
	// CREATE TABLE IF NOT EXISTS scim_user_emails (
	// CREATE TABLE IF NOT EXISTS scim_group_members (
	// CREATE UNIQUE INDEX IF NOT EXISTS scim_users_user_name ON scim_users (lower(user_name), tenant)
	// CREATE INDEX IF NOT EXISTS scim_users_external_id ON scim_users (external_id, tenant)
	// CREATE INDEX IF NOT EXISTS scim_users_created ON scim_users (created, id, tenant)
	// CREATE UNIQUE INDEX IF NOT EXISTS scim_groups_display_name ON scim_groups (lower(display_name), tenant)
	// CREATE INDEX IF NOT EXISTS scim_groups_external_id ON scim_groups (external_id, tenant)
	// CREATE INDEX IF NOT EXISTS scim_groups_created ON scim_groups (created, id, tenant)
	// CREATE INDEX IF NOT EXISTS scim_user_emails_value ON scim_user_emails (lower(value), tenant)
	// CREATE INDEX IF NOT EXISTS scim_group_members_user_id ON scim_group_members (user_id, tenant)
	// INSERT INTO scim_schema (id, version) VALUES (1, 2) ON CONFLICT DO NOTHING
}

// The owned tables in the order in which they can be dropped; the version record's
// table, prefix+"schema", goes last.
func ExampleTables_Names() {
	fmt.Println(sqlstore.Owned(sqlstore.PostgreSQL, "scim_").Names())
	// Output:
	// [scim_group_members scim_user_emails scim_groups scim_users]
}

// A host's own tables, described once: the store derives every statement from this.
// New checks the description without touching the database.
func ExampleNew_mappedTables() {
	tables := &sqlstore.Tables{
		Users: sqlstore.Table{
			Name: "people", Tenant: "workspace_id", ID: "person_id", Version: "row_version",
			Created: "created_at", Modified: "updated_at", Attributes: "scim_json",
			Columns: map[string]string{
				"userName":       "login",
				"displayName":    "full_name",
				"active":         "enabled",
				"name.givenName": "first_name",
				schema.EnterpriseUserURN + ":manager.value": "manager_ref",
			},
			Lists: map[string]sqlstore.List{"emails": {
				Name: "person_emails", Tenant: "workspace_id", Parent: "person_id", Position: "idx",
				Columns: map[string]string{"value": "address", "display": "label", "type": "kind", "primary": "main"},
			}},
		},
		Groups: sqlstore.Table{
			Name: "teams", Tenant: "workspace_id", ID: "team_id", Version: "row_version",
			Created: "created_at", Modified: "updated_at", Attributes: "scim_json",
			Columns: map[string]string{"displayName": "name"},
		},
		Members: sqlstore.Membership{Name: "team_members", Tenant: "workspace_id", Group: "team_id", Member: "person_id"},
	}
	var db *sql.DB // sql.Open("pgx", dsn) in the host
	store, err := sqlstore.New(db, sqlstore.Options{Dialect: sqlstore.PostgreSQL, Tables: tables})
	fmt.Println(err)
	fmt.Println(store.SortsBy("User", "userName"), store.SortsBy("User", "nickName"))
	// Output:
	// <nil>
	// true false
}

// The statements that bring owned tables made at layout version 1 to the current
// one, for a host that runs its own migration tool.
func ExampleUpgradeDDL() {
	stmts, err := sqlstore.UpgradeDDL(sqlstore.PostgreSQL, "scim_", 1)
	if err != nil {
		panic(err)
	}
	for _, stmt := range stmts {
		fmt.Println(stmt)
	}
	// Output:
	// CREATE INDEX IF NOT EXISTS scim_users_created ON scim_users (created, id, tenant)
	// CREATE INDEX IF NOT EXISTS scim_groups_created ON scim_groups (created, id, tenant)
	// UPDATE scim_schema SET version = 2 WHERE id = 1
}
