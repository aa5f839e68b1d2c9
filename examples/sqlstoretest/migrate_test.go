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
			for _, n := range append(tb.Names(), p+"schema") {
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

// makeVersion1 creates the owned tables with prefix p as layout version 1 made them:
// without version 2's index on (created, id, tenant), with version 1 recorded.
func makeVersion1(t *testing.T, db *sql.DB, d sqlstore.Dialect, p string) {
	t.Helper()
	for _, q := range sqlstore.DDL(d, p) {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%v\n%s", err, q)
		}
	}
	tb := sqlstore.Owned(d, p)
	for _, tbl := range []string{tb.Users.Name, tb.Groups.Name} {
		q := "DROP INDEX " + tbl + "_created"
		if d == sqlstore.MariaDB || d == sqlstore.MySQL {
			q += " ON " + tbl
		}
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := db.Exec("UPDATE " + p + "schema SET version = 1"); err != nil {
		t.Fatal(err)
	}
}

// indexExists reports whether the index name exists.
func indexExists(t *testing.T, db *sql.DB, d sqlstore.Dialect, name string) bool {
	t.Helper()
	q := map[sqlstore.Dialect]string{
		sqlstore.PostgreSQL: "SELECT to_regclass($1) IS NOT NULL",
		sqlstore.SQLite:     "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?)",
		sqlstore.MariaDB:    "SELECT EXISTS (SELECT 1 FROM information_schema.statistics WHERE table_schema = DATABASE() AND index_name = ?)",
	}[d]
	var there bool
	if err := db.QueryRow(q, name).Scan(&there); err != nil {
		t.Fatal(err)
	}
	return there
}

// Tables at layout version 1 are brought to the current version, their users kept:
// by Migrate, also when processes run it at once, or by a host's own tool running
// UpgradeDDL's statements. Either way the users and groups tables get the index on
// (created, id, tenant), the current version is recorded once, and a later Migrate
// changes nothing.
func TestVersion1TablesAreUpgraded(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			for _, how := range []string{"Migrate", "UpgradeDDL"} {
				t.Run(how, func(t *testing.T) {
					db := b.open(t)
					p := freshPrefix(t, b, db)
					makeVersion1(t, db, b.dialect, p)
					tb := sqlstore.Owned(b.dialect, p)
					s, err := sqlstore.New(db, sqlstore.Options{Dialect: b.dialect, Tables: tb})
					if err != nil {
						t.Fatal(err)
					}
					ctx := scim.WithTenant(t.Context(), "acme")
					id := makeUsers(t, ctx, s, "ada", 1)[0]
					if how == "Migrate" {
						for _, err := range parallel(3, func(int) error { return sqlstore.Migrate(t.Context(), db, b.dialect, p) }) {
							if err != nil {
								t.Fatal(err)
							}
						}
					} else {
						stmts, err := sqlstore.UpgradeDDL(b.dialect, p, 1)
						if err != nil {
							t.Fatal(err)
						}
						for _, q := range stmts {
							if _, err := db.Exec(q); err != nil {
								t.Fatalf("%v\n%s", err, q)
							}
						}
					}
					if got := recordedVersions(t, db, p); len(got) != 1 || got[0] != sqlstore.SchemaVersion {
						t.Errorf("recorded versions %v after the upgrade, want [%d]", got, sqlstore.SchemaVersion)
					}
					for _, tbl := range []string{tb.Users.Name, tb.Groups.Name} {
						if !indexExists(t, db, b.dialect, tbl+"_created") {
							t.Errorf("no index %s_created after the upgrade", tbl)
						}
					}
					if err := sqlstore.Migrate(t.Context(), db, b.dialect, p); err != nil {
						t.Fatalf("Migrate after the upgrade: %v", err)
					}
					if _, err := s.GetUser(ctx, id); err != nil {
						t.Errorf("the user after the upgrade: %v", err)
					}
				})
			}
		})
	}
}

// UpgradeDDL knows the versions from 1 to the current one only.
func TestUpgradeDDLRefusesUnknownVersions(t *testing.T) {
	for _, from := range []int{0, sqlstore.SchemaVersion + 1} {
		if _, err := sqlstore.UpgradeDDL(sqlstore.PostgreSQL, "scim_", from); err == nil {
			t.Errorf("UpgradeDDL from version %d: no error", from)
		}
	}
	if stmts, err := sqlstore.UpgradeDDL(sqlstore.PostgreSQL, "scim_", sqlstore.SchemaVersion); err != nil || len(stmts) != 0 {
		t.Errorf("UpgradeDDL from the current version: %q, %v; want nothing", stmts, err)
	}
}
