package sqlstore_test

import (
	"fmt"
	"strings"

	"github.com/scimkit/scimkit/sqlstore"
)

// The owned tables' DDL, for a host that runs its own migration tool.
func ExampleDDL() {
	for _, stmt := range sqlstore.DDL(sqlstore.PostgreSQL, "scim_") {
		first, _, _ := strings.Cut(stmt, "\n")
		fmt.Println(first)
	}
	// Output:
	// CREATE TABLE IF NOT EXISTS scim_users (
	// CREATE TABLE IF NOT EXISTS scim_groups (
	// CREATE TABLE IF NOT EXISTS scim_user_emails (
	// CREATE TABLE IF NOT EXISTS scim_group_members (
	// CREATE UNIQUE INDEX IF NOT EXISTS scim_users_user_name ON scim_users (tenant, lower(user_name))
	// CREATE INDEX IF NOT EXISTS scim_users_external_id ON scim_users (tenant, external_id)
	// CREATE UNIQUE INDEX IF NOT EXISTS scim_groups_display_name ON scim_groups (tenant, lower(display_name))
	// CREATE INDEX IF NOT EXISTS scim_groups_external_id ON scim_groups (tenant, external_id)
	// CREATE INDEX IF NOT EXISTS scim_user_emails_value ON scim_user_emails (tenant, lower(value))
	// CREATE INDEX IF NOT EXISTS scim_group_members_user_id ON scim_group_members (tenant, user_id)
}
