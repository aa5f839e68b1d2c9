package sqlstore

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/scimkit/scimkit/filter/sqlfilter"
	"github.com/scimkit/scimkit/schema"
)

// A plan is one Table compiled for a dialect: the column lists of its statements,
// where each attribute sits in a resource tree, and its filter mapping.
type plan struct {
	d       Dialect
	rt      *schema.ResourceType
	t       *Table
	alias   string // the table's alias in every statement: "u" or "g"
	scalars []scalar
	lists   []list
	filter  *sqlfilter.Mapping
	sorts   map[string]string // canonical path → SQL expression to order by
	// columns is the SELECT list without the relation (groups or members).
	columns string
	// byID holds the statements that read one row by id: relation → SELECT.
	byID sync.Map
}

// A scalar is a single-valued attribute with a column.
type scalar struct {
	path    string   // canonical path
	keys    []string // where it sits in a resource tree
	col     string
	boolean bool
}

// A list is a multi-valued attribute with a child table.
type list struct {
	keys  []string
	l     *List
	alias string
	subs  []sub
}

type sub struct {
	name    string
	col     string
	boolean bool
}

// treeKeys returns where the attribute r sits in a resource tree.
func treeKeys(r schema.Ref) []string {
	var k []string
	if r.Extension {
		k = append(k, r.Schema.ID)
	}
	k = append(k, r.Attr.Name)
	if r.Sub != nil {
		k = append(k, r.Sub.Name)
	}
	return k
}

// compile checks t against rt and derives its plan.
func compile(d Dialect, rt *schema.ResourceType, t *Table, alias, timeLayout string) (*plan, error) {
	p := &plan{d: d, rt: rt, t: t, alias: alias, sorts: map[string]string{}}
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("sqlstore: %s table %q: "+format, append([]any{rt.Name, t.Name}, args...)...))
	}
	for what, col := range map[string]string{"Name": t.Name, "ID": t.ID, "Version": t.Version,
		"Created": t.Created, "Modified": t.Modified, "Attributes": t.Attributes} {
		if col == "" {
			bad("%s is required", what)
		}
	}
	a := alias + "."
	p.filter = &sqlfilter.Mapping{
		ResourceType: rt,
		Dialect:      d.filterDialect(),
		TimeLayout:   timeLayout,
		Columns: map[string]string{
			"id": a + t.ID, "meta.created": a + t.Created, "meta.lastModified": a + t.Modified,
		},
		Tables: map[string]sqlfilter.Table{},
	}
	for path, expr := range p.filter.Columns {
		p.sorts[path] = expr
	}
	for _, path := range sortedKeys(t.Columns) {
		r, ok := rt.Lookup(path)
		switch {
		case !ok:
			bad("Columns key %q names no attribute", path)
			continue
		case r.String() != path:
			bad("Columns key %q must be spelled %q", path, r.String())
			continue
		}
		at := r.Target()
		switch {
		case at.MultiValued || at.Type == schema.Complex:
			bad("Columns key %q is multi-valued or complex", path)
			continue
		case at.Type != schema.String && at.Type != schema.Reference && at.Type != schema.Binary && at.Type != schema.Boolean:
			bad("Columns key %q has type %s; only string, reference, binary and boolean attributes get columns", path, at.Type)
			continue
		case path == "id" || strings.HasPrefix(path, "meta."):
			bad("Columns key %q is a Table field", path)
			continue
		}
		col := t.Columns[path]
		p.scalars = append(p.scalars, scalar{path: path, keys: treeKeys(r), col: col, boolean: at.Type == schema.Boolean})
		p.filter.Columns[path] = a + col
		p.sorts[path] = a + col
		if at.Type == schema.String && !at.CaseExact {
			p.sorts[path] = "lower(" + a + col + ")"
		}
	}
	for _, path := range sortedKeys(t.Folded) {
		r, ok := rt.Lookup(path)
		switch {
		case t.Columns[path] == "":
			bad("Folded key %q has no column in Columns", path)
		case !ok || r.Target().Type != schema.String || r.Target().CaseExact:
			bad("Folded key %q is not a case-insensitive string attribute", path)
		default:
			if p.filter.Folded == nil {
				p.filter.Folded = map[string]string{}
			}
			p.filter.Folded[path] = a + t.Folded[path]
		}
	}
	for i, name := range sortedKeys(t.Lists) {
		l := t.Lists[name]
		r, ok := rt.Lookup(name)
		switch {
		case !ok || r.Sub != nil:
			bad("Lists key %q names no attribute", name)
			continue
		case r.String() != name:
			bad("Lists key %q must be spelled %q", name, r.String())
			continue
		case !r.Attr.MultiValued || r.Attr.Type != schema.Complex:
			bad("Lists key %q is not a multi-valued complex attribute", name)
			continue
		case r.Attr.Mutability == schema.ReadOnly:
			bad("Lists key %q is read-only", name)
			continue
		case l.Name == "" || l.Parent == "" || l.Position == "":
			bad("Lists[%q] needs Name, Parent and Position", name)
			continue
		case (l.Tenant == "") != (t.Tenant == ""):
			bad("Lists[%q].Tenant must be set exactly when Table.Tenant is", name)
			continue
		}
		ls := list{keys: treeKeys(r), l: &l, alias: "c" + strconv.Itoa(i)}
		ft := sqlfilter.Table{From: l.Name + " " + ls.alias, Join: p.join(ls.alias, l.Parent, l.Tenant), Columns: map[string]string{}}
		for _, s := range r.Attr.SubAttributes {
			col, ok := l.Columns[s.Name]
			if !ok {
				if s.Name != "$ref" {
					bad("Lists[%q].Columns has no column for %q", name, s.Name)
				}
				continue
			}
			ls.subs = append(ls.subs, sub{name: s.Name, col: col, boolean: s.Type == schema.Boolean})
			ft.Columns[s.Name] = ls.alias + "." + col
		}
		for k := range l.Columns {
			if r.Attr.SubAttribute(k) == nil || !slices.ContainsFunc(ls.subs, func(s sub) bool { return s.name == k }) {
				bad("Lists[%q].Columns key %q names no sub-attribute", name, k)
			}
		}
		p.lists = append(p.lists, ls)
		p.filter.Tables[name] = ft
		if v, ok := l.Columns["value"]; ok {
			// sortBy a multi-valued attribute orders by its primary value, else its first.
			first := "(SELECT " + ls.alias + "." + v + " FROM " + ft.From + " WHERE " + ft.Join + " ORDER BY "
			if pr, ok := l.Columns["primary"]; ok {
				first += ls.alias + "." + pr + " DESC, "
			}
			first += ls.alias + "." + l.Position + " LIMIT 1)"
			if s := r.Attr.SubAttribute("value"); s != nil && !s.CaseExact {
				first = "lower(" + first + ")"
			}
			p.sorts[name], p.sorts[name+".value"] = first, first
		}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	p.mapJSON()
	cols := []string{a + t.ID, a + t.Version, a + t.Created, a + t.Modified, a + t.Attributes}
	if !t.Document {
		for _, s := range p.scalars {
			cols = append(cols, a+s.col)
		}
		for _, ls := range p.lists {
			keys := make([]string, len(ls.subs))
			exprs := make([]string, len(ls.subs))
			for i, s := range ls.subs {
				keys[i], exprs[i] = s.name, ls.alias+"."+s.col
			}
			cols = append(cols, "(SELECT "+d.jsonArray(keys, exprs, ls.alias+"."+ls.l.Position)+
				" FROM "+ls.l.Name+" "+ls.alias+" WHERE "+p.join(ls.alias, ls.l.Parent, ls.l.Tenant)+")")
		}
	}
	p.columns = strings.Join(cols, ", ")
	return p, nil
}

// join is the condition that ties rows of the child table alias to the row of p.
func (p *plan) join(alias, parent, tenant string) string {
	j := alias + "." + parent + " = " + p.alias + "." + p.t.ID
	if tenant != "" {
		j += " AND " + alias + "." + tenant + " = " + p.alias + "." + p.t.Tenant
	}
	return j
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

func sqlfilterTable(from, join string, cols map[string]string) sqlfilter.Table {
	return sqlfilter.Table{From: from, Join: join, Columns: cols}
}
