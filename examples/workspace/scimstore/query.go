package scimstore

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/scimkit/scimkit/examples/workspace/store"
	"github.com/scimkit/scimkit/filter/sqlfilter"
	"github.com/scimkit/scimkit/schema"
	"github.com/scimkit/scimkit/scim"
)

// sqlDialect is the sqlfilter dialect of a database.
func sqlDialect(d store.Dialect) sqlfilter.Dialect {
	if d == store.SQLite {
		return sqlfilter.SQLite
	}
	return sqlfilter.PostgreSQL
}

// jsonAttrs builds the SQL that reads attributes kept in m.scim_attributes (JSON text).
type jsonAttrs store.Dialect

// field reads a top-level string attribute.
func (j jsonAttrs) field(name string) string {
	if store.Dialect(j) == store.SQLite {
		return "json_extract(m.scim_attributes, '$." + name + "')"
	}
	return "(m.scim_attributes::jsonb ->> '" + name + "')"
}

// list reads a multi-valued attribute as a table of its values, alias a, whose
// string sub-attributes are subs; "primary" is added as a Boolean.
func (j jsonAttrs) list(name, a string, subs ...string) sqlfilter.Table {
	cols := make(map[string]string, len(subs)+1)
	if store.Dialect(j) == store.SQLite {
		for _, s := range subs {
			cols[s] = "json_extract(" + a + ".value, '$." + s + "')"
		}
		cols["primary"] = "json_extract(" + a + ".value, '$.primary')"
		return sqlfilter.Table{From: "json_each(m.scim_attributes, '$." + name + "') " + a, Join: "TRUE", Columns: cols}
	}
	for _, s := range subs {
		cols[s] = "(" + a + ".value ->> '" + s + "')"
	}
	cols["primary"] = "(" + a + ".value ->> 'primary')::boolean"
	return sqlfilter.Table{
		From: "jsonb_array_elements(COALESCE(m.scim_attributes::jsonb -> '" + name + "', '[]'::jsonb)) AS " + a + "(value)",
		Join: "TRUE", Columns: cols,
	}
}

// where translates a query's filter (nil: every row) after the host's own arguments
// args, which the SQL text must use first.
func where(m *sqlfilter.Mapping, q scim.Query, args []any) (string, []any, error) {
	if q.Filter == nil {
		return "TRUE", args, nil
	}
	return m.Where(q.Filter, args)
}

// orderBy returns the ORDER BY list for a query: the sort attribute if any, then
// creation time and id, which is the default order and breaks ties stably.
func orderBy(d store.Dialect, q scim.Query, m *sqlfilter.Mapping, alias string) (string, error) {
	tail := alias + ".created_at, " + alias + ".id"
	if q.SortBy == "" {
		return tail, nil
	}
	ref, ok := m.ResourceType.Lookup(q.SortBy)
	col := ""
	if ok {
		col = m.Columns[ref.String()]
		if path := ref.String(); path == "emails" || path == "emails.value" {
			col = sortPrimaryEmail
		}
	}
	if col == "" {
		return "", fmt.Errorf("%w %w", &scim.Error{Status: 400, ScimType: "invalidValue",
			Detail: "cannot sort by " + q.SortBy}, errors.ErrUnsupported)
	}
	key := col
	switch t := ref.Target(); {
	case t.Type == schema.Boolean, t.Type == schema.DateTime, t.Type == schema.Integer, t.Type == schema.Decimal:
	case t.CaseExact:
		key += d.ByteOrder()
	default:
		key = "lower(" + col + ")" + d.ByteOrder()
	}
	dir := " ASC"
	if q.Descending {
		dir = " DESC"
	}
	// Unassigned values sort last in either direction (RFC 7644 section 3.4.2.3).
	return "(" + col + " IS NULL), " + key + dir + ", " + tail, nil
}

// pageRows reads the rows of one page of a List and the number of all matching
// rows: sel is the SELECT list, from the FROM and WHERE clauses (which use args)
// and order the ORDER BY list. The total comes with the page in one query; only a
// page without rows (Count 0, or a page past the end) is counted on its own. noun
// names the resources in errors ("users").
func pageRows[R any](ctx context.Context, db *store.DB, q scim.Query, noun, sel, from, order string, args []any,
	scan func(s interface{ Scan(...any) error }, extra ...any) (R, error)) ([]R, int, error) {
	d := db.Dialect
	n := len(args)
	total := 0
	var rows []R
	if q.Count > 0 {
		rs, err := db.SQL.QueryContext(ctx, sel+", count(*) OVER ()"+from+
			" ORDER BY "+order+" LIMIT "+d.Param(n+1)+" OFFSET "+d.Param(n+2), append(args, q.Count, q.StartIndex-1)...)
		if err != nil {
			return nil, 0, wrap("list "+noun, err)
		}
		defer rs.Close()
		for rs.Next() {
			r, err := scan(rs, &total)
			if err != nil {
				return nil, 0, wrap("list "+noun, err)
			}
			rows = append(rows, r)
		}
		if err := rs.Err(); err != nil {
			return nil, 0, wrap("list "+noun, err)
		}
		rs.Close()
	}
	if len(rows) == 0 {
		if err := db.SQL.QueryRowContext(ctx, "SELECT count(*)"+from, args...).Scan(&total); err != nil {
			return nil, 0, wrap("count "+noun, err)
		}
	}
	return rows, total, nil
}

// wants reports whether a response with projection p carries attribute attr (a
// top-level attribute that is returned by default), so that the store need not
// load it otherwise.
func wants(p scim.Projection, attr string) bool {
	for _, a := range p.ExcludedAttributes {
		if strings.EqualFold(a, attr) {
			return false
		}
	}
	if len(p.Attributes) == 0 {
		return true
	}
	for _, a := range p.Attributes {
		if strings.EqualFold(a, attr) || len(a) > len(attr) && strings.EqualFold(a[:len(attr)+1], attr+".") {
			return true
		}
	}
	return false
}
