package sqlstoretest

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/sqlstore"
)

// freshPrefix returns a prefix of its own for one test on the backend's database
// and drops the owned tables and the version record's table made with it afterwards.
func freshPrefix(t *testing.T, b backend, db *sql.DB) string {
	p := prefix()
	if b.dialect != sqlstore.SQLite {
		tb := sqlstore.Owned(b.dialect, p)
		t.Cleanup(func() {
			for _, n := range []string{tb.Members.Name, tb.Users.Lists["emails"].Name, tb.Groups.Name, tb.Users.Name, p + "schema"} {
				if _, err := db.Exec("DROP TABLE IF EXISTS " + n); err != nil {
					t.Errorf("dropping %s: %v", n, err)
				}
			}
		})
	}
	return p
}

// recordedVersions returns the rows of the version record.
func recordedVersions(t *testing.T, db *sql.DB, p string) []int64 {
	t.Helper()
	rows, err := db.Query("SELECT version FROM " + p + "schema")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

// Processes that start at once all run Migrate on a new database: all succeed, the
// version is recorded once, and the tables work.
func TestConcurrentMigrateOnAFreshPrefixAllSucceed(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			db := b.open(t)
			p := freshPrefix(t, b, db)
			errs := parallel(4, func(int) error { return sqlstore.Migrate(t.Context(), db, b.dialect, p) })
			for _, err := range errs {
				t.Error(err)
			}
			if got := recordedVersions(t, db, p); len(got) != 1 || got[0] != sqlstore.SchemaVersion {
				t.Errorf("recorded versions %v, want [%d]", got, sqlstore.SchemaVersion)
			}
			s, err := sqlstore.New(db, sqlstore.Options{Dialect: b.dialect, Tables: sqlstore.Owned(b.dialect, p)})
			if err != nil {
				t.Fatal(err)
			}
			ctx := scim.WithTenant(t.Context(), "acme")
			makeUsers(t, ctx, s, "ada", 1)
		})
	}
}

// Migrate on tables at the current version changes nothing: the users stay, the
// version stays recorded once.
func TestMigrateOnCurrentTablesIsANoOp(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			db := b.open(t)
			p := freshPrefix(t, b, db)
			if err := sqlstore.Migrate(t.Context(), db, b.dialect, p); err != nil {
				t.Fatal(err)
			}
			s, err := sqlstore.New(db, sqlstore.Options{Dialect: b.dialect, Tables: sqlstore.Owned(b.dialect, p)})
			if err != nil {
				t.Fatal(err)
			}
			ctx := scim.WithTenant(t.Context(), "acme")
			id := makeUsers(t, ctx, s, "ada", 1)[0]
			if err := sqlstore.Migrate(t.Context(), db, b.dialect, p); err != nil {
				t.Fatalf("second Migrate: %v", err)
			}
			if _, err := s.GetUser(ctx, id); err != nil {
				t.Errorf("the user after a second Migrate: %v", err)
			}
			if got := recordedVersions(t, db, p); len(got) != 1 || got[0] != sqlstore.SchemaVersion {
				t.Errorf("recorded versions %v, want [%d]", got, sqlstore.SchemaVersion)
			}
		})
	}
}

// Tables that a newer sqlstore migrated are refused, with both versions named, and
// left as they are.
func TestMigrateRefusesANewerSchemaVersion(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			db := b.open(t)
			p := freshPrefix(t, b, db)
			if err := sqlstore.Migrate(t.Context(), db, b.dialect, p); err != nil {
				t.Fatal(err)
			}
			newer := sqlstore.SchemaVersion + 1
			if _, err := db.Exec(fmt.Sprintf("UPDATE %sschema SET version = %d", p, newer)); err != nil {
				t.Fatal(err)
			}
			err := sqlstore.Migrate(t.Context(), db, b.dialect, p)
			if err == nil || !strings.Contains(err.Error(), fmt.Sprint(newer)) || !strings.Contains(err.Error(), fmt.Sprint(sqlstore.SchemaVersion)) {
				t.Fatalf("Migrate on version %d: %v; want an error naming versions %d and %d", newer, err, newer, sqlstore.SchemaVersion)
			}
			if got := recordedVersions(t, db, p); len(got) != 1 || got[0] != int64(newer) {
				t.Errorf("recorded versions %v after the refusal, want [%d]", got, newer)
			}
		})
	}
}

// Owned tables without a version record were made before there was one, by a
// layout that may differ: Migrate refuses them and says what to do.
func TestMigrateRefusesOwnedTablesWithoutAVersionRecord(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			db := b.open(t)
			p := freshPrefix(t, b, db)
			for _, q := range sqlstore.DDL(b.dialect, p) {
				if strings.Contains(q, p+"schema") {
					continue // the tables as an unversioned sqlstore made them
				}
				if _, err := db.Exec(q); err != nil {
					t.Fatalf("%v\n%s", err, q)
				}
			}
			err := sqlstore.Migrate(t.Context(), db, b.dialect, p)
			if err == nil || !strings.Contains(err.Error(), "version record") || !strings.Contains(err.Error(), "drop them") {
				t.Fatalf("Migrate on unversioned tables: %v; want a refusal that says what to do", err)
			}
			var n int
			q := "SELECT COUNT(*) FROM information_schema.tables WHERE table_name = '" + p + "schema'"
			if b.dialect == sqlstore.SQLite {
				q = "SELECT COUNT(*) FROM sqlite_master WHERE name = '" + p + "schema'"
			}
			if err := db.QueryRow(q).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				t.Errorf("the refusing Migrate created %sschema", p)
			}
		})
	}
}
