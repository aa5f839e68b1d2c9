package scimstore_test

import (
	"context"
	"database/sql"
	"os"
	"testing"

	"github.com/scimkit/scimkit/examples/workspace/internal/testdb"
	"github.com/scimkit/scimkit/examples/workspace/store"
	"github.com/scimkit/scimkit/scim"
)

// TestMigrationToSqlstoreKeepsMembersManagersAndBookings: a database written by the
// store that came before sqlstore (members deleted by marking them) migrates so that
// the deleted member is gone from SCIM and the app but their booking keeps their
// name, and the live members keep their emails, teams and manager.
func TestMigrationToSqlstoreKeepsMembersManagersAndBookings(t *testing.T) {
	for _, d := range testdb.Dialects() {
		t.Run(d.String(), func(t *testing.T) {
			dsn := testdb.DSN(t, d)
			driver, name := "pgx", dsn
			if d == store.SQLite {
				driver, name = "sqlite", "file:"+dsn+"?_pragma=foreign_keys(1)"
			}
			raw, err := sql.Open(driver, name)
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			const at = "'2026-01-01T00:00:00.000000Z'"
			stmts := []string{
				read(t, "../store/migrations/"+d.String()+"/0001_init.sql"),
				read(t, "../store/migrations/"+d.String()+"/0002_console.sql"),
				`CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL)`,
				`INSERT INTO schema_migrations VALUES (1, '0001_init.sql'), (2, '0002_console.sql')`,
				`INSERT INTO workspaces VALUES ('w', 'Contoso', TRUE, ` + at + `)`,
				`INSERT INTO members (id, workspace_id, user_name, display_name, active, created_at, updated_at)
					VALUES ('grace', 'w', 'grace@x.example', 'Grace', TRUE, ` + at + `, ` + at + `)`,
				`INSERT INTO members (id, workspace_id, user_name, active, manager_id, created_at, updated_at)
					VALUES ('ada', 'w', 'ada@x.example', TRUE, 'grace', ` + at + `, ` + at + `)`,
				`INSERT INTO members (id, workspace_id, user_name, display_name, active, created_at, updated_at, deleted_at)
					VALUES ('bob', 'w', 'bob@x.example', 'Bob', FALSE, ` + at + `, ` + at + `, ` + at + `)`,
				`INSERT INTO member_emails VALUES ('ada', 0, 'ada@x.example', 'work', NULL, TRUE)`,
				`INSERT INTO member_emails VALUES ('bob', 0, 'bob@x.example', 'work', NULL, TRUE)`,
				`INSERT INTO teams (id, workspace_id, display_name, created_at, updated_at) VALUES ('t', 'w', 'Finance', ` + at + `, ` + at + `)`,
				`INSERT INTO team_members VALUES ('t', 'ada', ` + at + `)`,
				`INSERT INTO desks VALUES ('d', 'w', 'Desk 1', 'desk')`,
				`INSERT INTO bookings VALUES ('b', 'w', 'd', 'bob', '2026-01-02', ` + at + `)`,
			}
			for _, s := range stmts {
				if _, err := raw.Exec(s); err != nil {
					t.Fatalf("%s: %v", s, err)
				}
			}
			raw.Close()

			db, err := store.Open(context.Background(), dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			ctx := scim.WithTenant(context.Background(), "w")
			s := newStore(t, db)
			ada, err := s.GetUser(ctx, "ada")
			if err != nil {
				t.Fatal(err)
			}
			if ada.Enterprise == nil || ada.Enterprise.Manager == nil || ada.Enterprise.Manager.Value != "grace" ||
				len(ada.Emails) != 1 || len(ada.Groups) != 1 || ada.Groups[0].Display != "Finance" {
				t.Errorf("ada after the migration: %+v", ada)
			}
			if _, err := s.GetUser(ctx, "bob"); err == nil {
				t.Error("the deleted member is a SCIM user again")
			}
			if bs, err := db.BookingsOf(context.Background(), "w", "bob"); err != nil || len(bs) != 1 || bs[0].MemberName != "Bob" {
				t.Errorf("bookings of the deleted member: %+v %v", bs, err)
			}
			if n := db.ResourceName(context.Background(), "User", "bob"); n != "bob@x.example" {
				t.Errorf("activity log name of the deleted member: %q", n)
			}
			// bob's userName is free again.
			if _, err := s.CreateUser(ctx, &scim.User{ID: "bob2", UserName: "BOB@x.example", Active: true}); err != nil {
				t.Errorf("reusing a deleted member's userName: %v", err)
			}
		})
	}
}

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
