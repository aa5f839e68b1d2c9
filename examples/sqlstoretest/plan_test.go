package sqlstoretest

import (
	"database/sql"
	"strings"
	"testing"

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
				sqlstore.SQLite:     "USING INDEX sqlite_autoindex_" + users + "_1 (tenant=? AND id=?)",
			}[b.dialect]
			if !strings.Contains(plan, want) {
				t.Errorf("plan of a GET by id after a bulk load:\n%s\nwant %q", plan, want)
			}
		})
	}
}
