package sqlstoretest

import (
	"context"
	"database/sql"
	"strings"

	"github.com/scimkit/scimkit/sqlstore"
)

// BulkLoad inserts n users into the owned tables t of tenant, with one work email
// each, in two statements, as a migration or a first import would; the attrs
// column holds each whole user, as the owned tables keep it (Table.Document). It runs no
// ANALYZE. User i (from 1) has id "u<i>" and userName "user<i>@contoso.example".
// The load command and the tests share it.
func BulkLoad(ctx context.Context, db *sql.DB, d sqlstore.Dialect, t *sqlstore.Tables, tenant string, n int) error {
	const stamp = "'2026-01-01T00:00:00.000000Z'"
	users := [][2]string{
		{"tenant", "?"}, {"id", "'u' || i"}, {"version", "1"}, {"created", stamp}, {"modified", stamp},
		{"attrs", `'{"userName":"user' || i || '@contoso.example","displayName":"User ' || i || ` +
			`'","name":{"givenName":"Given","familyName":"Family' || i || '"},"active":true,"nickName":"n' || i || ` +
			`'","emails":[{"value":"user' || i || '@contoso.example","type":"work","primary":true}]}'`}, {"user_name", "'user' || i || '@contoso.example'"},
		{"display_name", "'User ' || i"}, {"given_name", "'Given'"}, {"family_name", "'Family' || i"}, {"active", "TRUE"},
	}
	emails := [][2]string{
		{"tenant", "?"}, {"user_id", "'u' || i"}, {"pos", "0"}, {"value", "'user' || i || '@contoso.example'"},
		{"type", "'work'"}, {"is_primary", "TRUE"},
	}
	for _, tbl := range []struct {
		name string
		cols [][2]string
	}{{t.Users.Name, users}, {t.Users.Lists["emails"].Name, emails}} {
		var names, exprs []string
		for _, c := range tbl.cols {
			names = append(names, c[0])
			exprs = append(exprs, c[1])
		}
		sel := strings.Join(exprs, ", ")
		var q string
		switch d {
		case sqlstore.PostgreSQL:
			sel = strings.Replace(sel, "?", "$1", 1)
			q = "INSERT INTO " + tbl.name + " (" + strings.Join(names, ", ") + ") SELECT " + sel + " FROM generate_series(1, $2) AS s(i)"
		case sqlstore.SQLite:
			q = "INSERT INTO " + tbl.name + " (" + strings.Join(names, ", ") + ") WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?2) SELECT " +
				strings.Replace(sel, "?", "?1", 1) + " FROM s"
		default:
			sel = concat(sel)
			q = "SET STATEMENT max_recursive_iterations = 100000000 FOR INSERT INTO " + tbl.name + " (" + strings.Join(names, ", ") +
				") WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?) SELECT " + sel + " FROM s"
		}
		args := []any{tenant, n}
		if d.String() == "MariaDB" || d.String() == "MySQL" {
			args = []any{n, tenant}
		}
		if _, err := db.ExecContext(ctx, q, args...); err != nil {
			return err
		}
	}
	return nil
}

// concat rewrites the ||-concatenations of BulkLoad for MariaDB and MySQL.
func concat(sel string) string {
	parts := strings.Split(sel, ", ")
	for i, p := range parts {
		if strings.Contains(p, " || ") {
			parts[i] = "CONCAT(" + strings.ReplaceAll(p, " || ", ", ") + ")"
		}
	}
	return strings.Join(parts, ", ")
}
