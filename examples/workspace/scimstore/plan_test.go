package scimstore_test

import (
	"strings"
	"testing"

	"github.com/scimkit/scimkit/examples/sqlstoretest"
	"github.com/scimkit/scimkit/examples/workspace/internal/testdb"
	"github.com/scimkit/scimkit/examples/workspace/store"
)

// On PostgreSQL, a lookup of a member or team by (workspace, id) that a connection
// prepared while the tables were empty, and whose generic plan it keeps, still
// finds the row through an index on its id after 20,000 members arrive with no
// ANALYZE, not through an index that narrows only the workspace; a lookup by
// userName, through the userName index.
func TestByIDPlansMadeOnEmptyTablesFindTheRowByItsID(t *testing.T) {
	db := testdb.Open(t, store.Postgres)
	ctx := t.Context()
	if _, err := db.SQL.ExecContext(ctx, `INSERT INTO workspaces (id, name, created_at) VALUES ('w', 'Contoso', now())`); err != nil {
		t.Fatal(err)
	}
	stmts := map[string]string{}
	for _, table := range []string{"members", "teams"} {
		stmts[table] = "SELECT r.id FROM " + table + " r WHERE r.id = $2 AND r.workspace_id = $1"
	}
	stmts["userName"] = "SELECT r.id FROM members r WHERE r.workspace_id = $1 AND lower(r.user_name) = lower($2)"
	plans, err := sqlstoretest.GenericPlans(ctx, db.SQL, stmts, func() error {
		for _, q := range []string{
			`INSERT INTO members (id, workspace_id, user_name, active, created_at, updated_at)
				SELECT 'm' || i, 'w', 'user' || i, TRUE, now(), now() FROM generate_series(1, 20000) AS s(i)`,
			`INSERT INTO teams (id, workspace_id, display_name, created_at, updated_at)
				SELECT 't' || i, 'w', 'team' || i, now(), now() FROM generate_series(1, 2000) AS s(i)`,
		} {
			if _, err := db.SQL.ExecContext(ctx, q); err != nil {
				return err
			}
		}
		return nil
	}, "w", "m777")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(plans["userName"], "using members_user_name ") {
		t.Errorf("generic plan of a userName lookup, made on empty tables, after the rows arrived:\n%swant members_user_name", plans["userName"])
	}
	delete(plans, "userName")
	for table, plan := range plans {
		if !strings.Contains(plan, "Index Cond: (id = $2)") && !strings.Contains(plan, "(id = $2))") {
			t.Errorf("generic plan of a %s lookup by id, made on empty tables, after the rows arrived:\n%swant an index condition on the id", table, plan)
		}
	}
}
