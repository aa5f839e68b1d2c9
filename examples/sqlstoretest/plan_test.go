package sqlstoretest

import (
	"database/sql"
	"fmt"
	"strings"
	"testing"

	"github.com/scimkit/scimkit/filter"
	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/sqlstore"
)

// explain returns the plan of q in the dialect's EXPLAIN format, as one string.
func explain(t *testing.T, db *sql.DB, d sqlstore.Dialect, q string, args ...any) string {
	t.Helper()
	prefix := "EXPLAIN "
	if d == sqlstore.SQLite {
		prefix = "EXPLAIN QUERY PLAN "
	}
	rows, err := db.Query(prefix+q, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var b strings.Builder
	for rows.Next() {
		vals := make([]sql.NullString, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, v := range vals {
			b.WriteString(cols[i] + "=" + v.String + " ")
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// Right after a bulk load, before any ANALYZE, a lookup by id (the store's
// condition: id and tenant) uses the primary key (id, tenant), not an index that
// only narrows the tenant: a GET costs the same at 20,000 users as at 20.
func TestGetByIDUsesThePrimaryKeyWithoutStatistics(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			db := b.open(t)
			p := prefix()
			tables, drop := modes[0].setup(t, db, b.dialect, p)
			if b.dialect != sqlstore.SQLite {
				t.Cleanup(func() { db.Exec("DROP TABLE IF EXISTS " + strings.Join(drop, ", ")) })
			}
			users := tables.Users.Name
			if err := BulkLoad(t.Context(), db, b.dialect, tables, "big", 20000); err != nil {
				t.Fatal(err)
			}
			q := "SELECT u.id, u.attrs FROM " + users + " u WHERE u.id = ? AND u.tenant = ?"
			if b.dialect == sqlstore.PostgreSQL {
				q = "SELECT u.id, u.attrs FROM " + users + " u WHERE u.id = $1 AND u.tenant = $2"
			}
			plan := explain(t, db, b.dialect, q, "u777", "big")
			want := map[sqlstore.Dialect]string{
				sqlstore.PostgreSQL: "Index Scan using " + users + "_pkey",
				sqlstore.MariaDB:    "key=PRIMARY",
				sqlstore.SQLite:     "USING INDEX sqlite_autoindex_" + users + "_1 (id=? AND tenant=?)",
			}[b.dialect]
			if !strings.Contains(plan, want) {
				t.Errorf("plan of a GET by id after a bulk load:\n%s\nwant %q", plan, want)
			}
		})
	}
}

// On PostgreSQL, a lookup that a connection prepared while the owned tables were
// empty, and whose generic plan it keeps, still reaches the row through the index
// on its own key after a bulk load with no ANALYZE: no index of the owned tables
// starts with the tenant, so none can narrow only the tenant. That holds for users
// and groups by id, a user's emails, a group's members and userName eq. The first
// page of a list (no filter, the default order, as the store writes it) reads the
// tenant's users in order from the index on (created, id, tenant), stopping after
// the page, and the page's rows by the primary key.
func TestByIDPlansMadeOnEmptyTablesUseThePrimaryKey(t *testing.T) {
	b := backends[1]
	if b.dialect != sqlstore.PostgreSQL {
		t.Fatal("backends[1] is not PostgreSQL")
	}
	db := b.open(t)
	tables, drop := modes[0].setup(t, db, b.dialect, prefix())
	t.Cleanup(func() { db.Exec("DROP TABLE IF EXISTS " + strings.Join(drop, ", ")) })
	emails, members := tables.Users.Lists["emails"].Name, tables.Members.Name
	stmts := map[string]string{
		"user":     "SELECT attrs FROM " + tables.Users.Name + " WHERE id = $2 AND tenant = $1",
		"group":    "SELECT attrs FROM " + tables.Groups.Name + " WHERE id = $2 AND tenant = $1",
		"emails":   "SELECT value FROM " + emails + " WHERE user_id = $2 AND tenant = $1",
		"members":  "SELECT user_id FROM " + members + " WHERE group_id = $2 AND tenant = $1",
		"userName": "SELECT attrs FROM " + tables.Users.Name + " WHERE tenant = $1 AND lower(user_name) = lower($2)",
		"list": "SELECT u.attrs, page.total FROM (SELECT u.id AS page_id, u.tenant AS page_tenant, (SELECT COUNT(*) FROM " + tables.Users.Name +
			" u WHERE u.tenant = $1) AS total FROM " + tables.Users.Name + " u WHERE u.tenant = $1 ORDER BY u.created, u.id LIMIT 100 OFFSET 0) page JOIN " +
			tables.Users.Name + " u ON u.id = page.page_id AND u.tenant = page.page_tenant WHERE $2 <> '' ORDER BY u.created, u.id",
	}
	indexes := map[string]string{"user": tables.Users.Name + "_pkey", "group": tables.Groups.Name + "_pkey",
		"emails": emails + "_pkey", "members": members + "_pkey", "userName": tables.Users.Name + "_user_name",
		"list": tables.Users.Name + "_pkey"}
	plans, err := GenericPlans(t.Context(), db, stmts, func() error {
		if err := BulkLoad(t.Context(), db, b.dialect, tables, "big", 20000); err != nil {
			return err
		}
		if _, err := db.ExecContext(t.Context(), "INSERT INTO "+tables.Groups.Name+" (tenant, id, version, created, modified, attrs) VALUES ('big', 'g1', 1, 'x', 'x', '{}')"); err != nil {
			return err
		}
		_, err := db.ExecContext(t.Context(), "INSERT INTO "+members+" (tenant, group_id, user_id) SELECT 'big', 'g1', 'u' || i FROM generate_series(1, 20000) AS s(i)")
		return err
	}, "big", "u777")
	if err != nil {
		t.Fatal(err)
	}
	for name, plan := range plans {
		if want := "using " + indexes[name] + " "; !strings.Contains(plan, want) {
			t.Errorf("generic plan of the %s lookup, made on empty tables, after 20,000 rows:\n%swant an index scan %s", name, plan, want)
		}
	}
	// One sort: of the page's 100 rows, not of the tenant's keys.
	if want := "using " + tables.Users.Name + "_created "; !strings.Contains(plans["list"], want) || strings.Count(plans["list"], "Sort Key:") > 1 {
		t.Errorf("generic plan of the first page of a list, made on empty tables, after 20,000 rows:\n%swant the page's keys read in order from %s", plans["list"], want)
	}
}

// On MariaDB a case-insensitive userName eq, the lookup of every user in an
// identity provider's first sync, finds the user through the index of the folded
// (lower-cased) column, in both modes, instead of reading the tenant's rows: the
// statement reads a handful of rows of 20,000 (mapped: 800) users. The store and the status
// counters share one connection, so the counters are the statement's.
func TestUserNameEqReadsThroughTheFoldedIndexOnMariaDB(t *testing.T) {
	for _, b := range backends {
		if b.dialect != sqlstore.MariaDB {
			continue
		}
		t.Run(b.name, func(t *testing.T) {
			for _, m := range modes {
				t.Run(m.name, func(t *testing.T) {
					st, db := newStore(t, b, m, sqlstore.Options{})
					db.SetMaxOpenConns(1)
					ctx := scim.WithTenant(t.Context(), "big")
					if m.name == "Owned" {
						if err := BulkLoad(t.Context(), db, b.dialect, st.Tables(), "big", 20000); err != nil {
							t.Fatal(err)
						}
					} else {
						for i := range 800 {
							u := &scim.User{ID: fmt.Sprintf("u%d", i), UserName: fmt.Sprintf("user%d@contoso.example", i), Active: true}
							if _, err := st.CreateUser(ctx, u); err != nil {
								t.Fatal(err)
							}
						}
					}
					q, err := filter.Parse(`userName eq "USER777@Contoso.Example"`)
					if err != nil {
						t.Fatal(err)
					}
					before := rowsRead(t, db)
					page, err := st.ListUsers(ctx, scim.Query{Filter: q, Count: 10})
					if err != nil {
						t.Fatal(err)
					}
					read := rowsRead(t, db) - before
					if page.Total != 1 || len(page.Resources) != 1 || page.Resources[0].ID != "u777" {
						t.Fatalf("userName eq found %d users: %+v", page.Total, page.Resources)
					}
					t.Logf("userName eq read %d rows", read)
					if read > 100 {
						t.Errorf("userName eq read %d rows of the tenant: no index served it", read)
					}
				})
			}
		})
	}
}

// rowsRead returns how many rows the session's statements have read from tables and
// indexes so far (MariaDB's Handler_read_* counters, without the statement itself).
func rowsRead(t *testing.T, db *sql.DB) int64 {
	t.Helper()
	return sessionStatus(t, db, "Handler_read_next", "Handler_read_rnd_next", "Handler_read_prev")
}

// sessionStatus returns the sum of the MariaDB session status counters names.
func sessionStatus(t *testing.T, db *sql.DB, names ...string) int64 {
	t.Helper()
	rows, err := db.Query("SHOW SESSION STATUS WHERE Variable_name IN ('" + strings.Join(names, "', '") + "')")
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var n int64
	for rows.Next() {
		var name string
		var v int64
		if err := rows.Scan(&name, &v); err != nil {
			t.Fatal(err)
		}
		n += v
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return n
}
