package sqlstoretest

import (
	"database/sql"
	"strings"
	"testing"

	"github.com/scimkit/scimkit/sqlstore"
)

// bulkLoad inserts n users into the owned users table of tenant "big" in one
// statement, as a migration or a first import would, and runs no ANALYZE.
func bulkLoad(t testing.TB, db *sql.DB, d sqlstore.Dialect, users string, n int) {
	t.Helper()
	cols := "tenant, id, version, created, modified, attrs, user_name, active"
	row := "'big', 'u' || i, 1, '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z', '{}', 'user' || i || '@contoso.example', TRUE"
	var q string
	switch d {
	case sqlstore.PostgreSQL:
		q = "INSERT INTO " + users + " (" + cols + ") SELECT " + row + " FROM generate_series(1, $1) AS s(i)"
	case sqlstore.SQLite:
		q = "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?) INSERT INTO " + users + " (" + cols + ") SELECT " + row + " FROM s"
	default:
		row = strings.NewReplacer("'u' || i", "CONCAT('u', i)", "'user' || i || '@contoso.example'", "CONCAT('user', i, '@contoso.example')").Replace(row)
		q = "INSERT INTO " + users + " (" + cols + ") WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?) SELECT " + row + " FROM s"
		q = "SET STATEMENT max_recursive_iterations = 10000000 FOR " + q
	}
	if _, err := db.Exec(q, n); err != nil {
		t.Fatal(err)
	}
}

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
// condition: id and tenant) uses the primary key (tenant, id), not an index that
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
			bulkLoad(t, db, b.dialect, users, 20000)
			q := "SELECT u.id, u.attrs FROM " + users + " u WHERE u.id = ? AND u.tenant = ?"
			if b.dialect == sqlstore.PostgreSQL {
				q = "SELECT u.id, u.attrs FROM " + users + " u WHERE u.id = $1 AND u.tenant = $2"
			}
			plan := explain(t, db, b.dialect, q, "u777", "big")
			want := map[sqlstore.Dialect]string{
				sqlstore.PostgreSQL: "Index Scan using " + users + "_pkey",
				sqlstore.MariaDB:    "key=PRIMARY",
				sqlstore.SQLite:     "USING INDEX sqlite_autoindex_" + users + "_1 (tenant=? AND id=?)",
			}[b.dialect]
			if !strings.Contains(plan, want) {
				t.Errorf("plan of a GET by id after a bulk load:\n%s\nwant %q", plan, want)
			}
		})
	}
}
