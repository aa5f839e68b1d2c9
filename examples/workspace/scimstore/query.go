package scimstore

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/scimkit/scimkit/examples/workspace/store"
	"github.com/scimkit/scimkit/filter"
	"github.com/scimkit/scimkit/scim"
)

// A column is where one SCIM attribute lives in SQL.
type column struct {
	sql       string // the column, qualified by its table alias
	caseExact bool   // compare strings as they are; otherwise ignoring case
	kind      kind
	table     *childTable // for a multi-valued attribute: the table of its values
}

type kind int

const (
	kindString kind = iota
	kindBool
	kindTime
)

// A childTable holds the values of a multi-valued attribute, one row each.
type childTable struct {
	// exists opens the correlated subquery that a condition on the values completes.
	exists string
}

var (
	emailsTable  = &childTable{exists: "SELECT 1 FROM member_emails e WHERE e.member_id = m.id"}
	membersTable = &childTable{exists: "SELECT 1 FROM team_members tm WHERE tm.team_id = t.id"}
)

// invalidFilter is the error for a filter this store cannot run: 400 invalidFilter.
func invalidFilter(format string, a ...any) error {
	return &scim.Error{Status: 400, ScimType: "invalidFilter", Detail: fmt.Sprintf(format, a...)}
}

// A where builds a parameterised SQL condition; args holds the values of $1, $2, ...
type where struct {
	d    store.Dialect
	cols map[string]column
	args []any
}

// bind adds a parameter and returns its placeholder.
func (w *where) bind(v any) string {
	w.args = append(w.args, v)
	return "$" + strconv.Itoa(len(w.args))
}

// expr translates a validated filter into SQL over cols.
func (w *where) expr(e filter.Expr, prefix string) (string, error) {
	switch e := e.(type) {
	case *filter.Logical:
		l, err := w.expr(e.Left, prefix)
		if err != nil {
			return "", err
		}
		r, err := w.expr(e.Right, prefix)
		if err != nil {
			return "", err
		}
		return "(" + l + " " + strings.ToUpper(string(e.Op)) + " " + r + ")", nil
	case *filter.Not:
		x, err := w.expr(e.X, prefix)
		if err != nil {
			return "", err
		}
		return "NOT COALESCE(" + x + ", FALSE)", nil
	case *filter.ValuePath:
		key := pathKey(e.Path)
		var table *childTable
		for k, c := range w.cols {
			if len(k) > len(key) && strings.EqualFold(k[:len(key)+1], key+".") && c.table != nil {
				table = c.table
			}
		}
		if table == nil {
			return "", invalidFilter("%s cannot be filtered on", key)
		}
		inner, err := w.expr(e.Filter, key+".")
		if err != nil {
			return "", err
		}
		return "EXISTS (" + table.exists + " AND " + inner + ")", nil
	case *filter.Compare:
		return w.compare(e, prefix)
	}
	return "", invalidFilter("unsupported filter %v", e)
}

// lookup finds the column of an attribute path, ignoring case as SCIM does.
func lookup(cols map[string]column, key string) (column, bool) {
	if c, ok := cols[key]; ok {
		return c, true
	}
	for k, c := range cols {
		if strings.EqualFold(k, key) {
			return c, true
		}
	}
	return column{}, false
}

func pathKey(p filter.AttrPath) string {
	k := p.Name
	if p.URN != "" {
		k = p.URN + ":" + k
	}
	if p.Sub != "" {
		k += "." + p.Sub
	}
	return k
}

func (w *where) compare(e *filter.Compare, prefix string) (string, error) {
	key := prefix + pathKey(e.Path)
	c, ok := lookup(w.cols, key)
	if !ok {
		c, ok = lookup(w.cols, key+".value") // "emails eq x", "members eq x"
	}
	if !ok {
		return "", invalidFilter("%s cannot be filtered on", key)
	}
	cond, err := w.condition(c, e)
	if err != nil {
		return "", err
	}
	if c.table != nil && prefix == "" {
		return "EXISTS (" + c.table.exists + " AND " + cond + ")", nil
	}
	return cond, nil
}

func (w *where) condition(c column, e *filter.Compare) (string, error) {
	col := c.sql
	if e.Op == filter.Pr {
		if c.kind == kindString {
			return "(" + col + " IS NOT NULL AND " + col + " <> '')", nil
		}
		return col + " IS NOT NULL", nil
	}
	if e.Value == nil {
		switch e.Op {
		case filter.Eq:
			return col + " IS NULL", nil
		case filter.Ne:
			return col + " IS NOT NULL", nil
		}
		return "", invalidFilter("%s null is not supported", e.Op)
	}
	switch c.kind {
	case kindBool:
		b, ok := boolValue(e.Value)
		if !ok {
			return "", invalidFilter("%s needs true or false", e.Path.Name)
		}
		switch e.Op {
		case filter.Eq:
			return col + " = " + w.bind(b), nil
		case filter.Ne:
			return "(" + col + " IS NULL OR " + col + " <> " + w.bind(b) + ")", nil
		}
		return "", invalidFilter("%s cannot be applied to a Boolean", e.Op)
	case kindTime:
		s, ok := e.Value.(string)
		t, err := time.Parse(time.RFC3339Nano, s)
		if !ok || err != nil {
			return "", invalidFilter("%s needs a dateTime value", e.Path.Name)
		}
		op, ok := sqlOps[e.Op]
		if !ok {
			return "", invalidFilter("%s cannot be applied to a dateTime", e.Op)
		}
		return col + " " + op + " " + w.bind(w.d.Time(t)), nil
	}
	var s string
	switch v := e.Value.(type) {
	case string:
		s = v
	case bool:
		s = strconv.FormatBool(v)
	case json.Number:
		s = v.String()
	}
	if !c.caseExact {
		col, s = "lower("+col+")", strings.ToLower(s)
	}
	switch e.Op {
	case filter.Co, filter.Sw, filter.Ew:
		if c.caseExact {
			return "", invalidFilter("%s is not supported on %s", e.Op, e.Path.Name)
		}
		pattern := escapeLike(s)
		if e.Op != filter.Sw {
			pattern = "%" + pattern
		}
		if e.Op != filter.Ew {
			pattern += "%"
		}
		return col + " LIKE " + w.bind(pattern) + ` ESCAPE '\'`, nil
	case filter.Ne:
		return "(" + c.sql + " IS NULL OR " + col + " <> " + w.bind(s) + ")", nil
	}
	return col + " " + sqlOps[e.Op] + " " + w.bind(s), nil
}

var sqlOps = map[filter.CompareOp]string{
	filter.Eq: "=", filter.Gt: ">", filter.Ge: ">=", filter.Lt: "<", filter.Le: "<=",
}

func escapeLike(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// boolValue reads a filter value as a Boolean; Entra writes them as "True"/"False".
func boolValue(v any) (bool, bool) {
	switch v := v.(type) {
	case bool:
		return v, true
	case string:
		switch strings.ToLower(v) {
		case "true":
			return true, true
		case "false":
			return false, true
		}
	}
	return false, false
}

// orderBy returns the ORDER BY list for a query: the sort attribute if any, then
// creation time and id, which is the default order and breaks ties stably.
func orderBy(q scim.Query, cols map[string]column, alias string) (string, error) {
	tail := alias + ".created_at, " + alias + ".id"
	if q.SortBy == "" {
		return tail, nil
	}
	c, ok := lookup(cols, q.SortBy)
	if !ok || c.table != nil {
		return "", &scim.Error{Status: 400, ScimType: "invalidValue", Detail: "cannot sort by " + q.SortBy}
	}
	col := c.sql
	if !c.caseExact && c.kind == kindString {
		col = "lower(" + col + ")"
	}
	dir := " ASC"
	if q.Descending {
		dir = " DESC"
	}
	// NULLs (unassigned values) sort last in either direction, as RFC 7644 3.4.2.3 asks.
	return "(" + c.sql + " IS NULL), " + col + dir + ", " + tail, nil
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
