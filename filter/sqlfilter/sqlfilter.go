package sqlfilter

import (
	"encoding/json"
	"errors"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/scimkit/scimkit/filter"
	"github.com/scimkit/scimkit/schema"
)

// A Mapping tells [Mapping.Where] how the attributes of a resource type are stored.
// A Mapping is read-only once in use and safe for concurrent use.
type Mapping struct {
	// ResourceType is the resource type the filters are written for, such as
	// schema.UserResourceType. Required.
	ResourceType *schema.ResourceType

	// Dialect is the SQL dialect to generate. The zero value is PostgreSQL.
	Dialect Dialect

	// Columns maps the canonical path of a single-valued attribute or sub-attribute
	// to a SQL expression of the parent row, typically a column: "userName" to
	// "u.user_name", "name.familyName" to "u.family_name", "meta.lastModified" to
	// "u.updated_at", schema.EnterpriseUserURN+":manager.value" to "u.manager_id".
	// Paths are spelled as filter.Validate writes them: canonical attribute names,
	// and the schema URN only for extension attributes.
	//
	// String, reference and binary attributes need text expressions (cast other types,
	// such as a PostgreSQL uuid, with ::text; in MySQL, text in utf8mb4); booleans a
	// boolean (or, in SQLite and MySQL, a 0/1 integer) column; integers and decimals
	// a numeric column; dateTimes see TimeLayout.
	Columns map[string]string

	// Tables maps a multi-valued complex attribute, such as "emails" or "members", to
	// the child table that holds one row per value.
	Tables map[string]Table

	// TimeLayout says how dateTime columns store instants. The empty string means a
	// timestamp type (timestamptz in PostgreSQL, DATETIME(6) holding UTC in MySQL);
	// operands are then passed as time.Time values in UTC. Otherwise the columns hold text in this layout of package
	// time, which must format every UTC instant with the same width (such as
	// "2006-01-02T15:04:05Z" or "2006-01-02T15:04:05.000000Z") so that text order is
	// time order; operands are then passed as UTC text in that layout. SQLite has no
	// timestamp type and needs a layout.
	TimeLayout string

	// CaseInsensitiveCollation, for MySQL, says that the string columns of
	// attributes that are not caseExact use case-insensitive collations, such as
	// utf8mb4_unicode_ci or utf8mb4_general_ci. eq then also compares col = ?,
	// which an index on the column serves (MariaDB has no index on LOWER(col)), and
	// keeps the exact comparison to drop what the collation alone would let through
	// ("é" = "e", "a " = "a"). Setting it for a case-sensitive column loses
	// matches that differ in case. Other dialects ignore it.
	CaseInsensitiveCollation bool

	// Folded, for MySQL, maps the path of a Columns attribute that is not caseExact
	// to a column that holds LOWER of it in a binary, no-pad collation, such as a
	// stored generated column `user_name_folded AS (lower(user_name))` with
	// utf8mb4_nopad_bin (MariaDB) or utf8mb4_0900_bin (MySQL). eq then also
	// compares folded = LOWER(?), which an index on the folded column serves, and
	// keeps the exact comparison. Other dialects ignore it: an index on lower(col)
	// serves their comparison.
	Folded map[string]string
}

// A Table describes the child table of a multi-valued complex attribute.
type Table struct {
	// From is the table with an alias, as written after FROM: "user_emails e".
	From string
	// Join is the condition that ties a row of From to the parent row:
	// "e.user_id = u.id".
	Join string
	// Columns maps sub-attribute names ("value", "type", "primary") to SQL
	// expressions of the child row ("e.address", "e.kind", "e.is_primary"), with the
	// same type rules as Mapping.Columns.
	Columns map[string]string
}

// Where translates the filter e into a SQL boolean expression for the WHERE clause of
// a query over the parent table, with one placeholder per comparison value. It
// appends the values to args and returns the extended slice; PostgreSQL placeholders
// are numbered after the values already in args, so that Where can be combined with
// conditions of the host's own:
//
//	args := []any{tenantID}
//	where, args, err := users.Where(expr, args)
//	rows, err := db.QueryContext(ctx, "SELECT … FROM users u WHERE u.tenant_id = $1 AND "+where, args...)
//
// Where validates e with [filter.Validate] first, so it may be given a filter just
// returned by [filter.Parse]. Attributes that the Mapping does not cover, and
// validation failures, yield a [*filter.ValidationError] (scimType "invalidFilter"):
// a filter is never dropped or weakened. A malformed Mapping yields another error.
//
// Huge filters stay plannable: chains of and and or become balanced trees, so that
// 5,000 or-ed terms nest 13 levels deep rather than 5,000; or-ed terms that are
// EXISTS over the same child table merge into one EXISTS; or-ed eq (and and-ed ne)
// comparisons of one string column merge into one IN (NOT IN) list. A filter beyond what any
// database takes (more than 32,000 values, or nesting deeper than 200 levels, which
// filter.Parse never produces) yields a [*TooComplexError] (scimType
// "invalidFilter"); a store passes the database's own errors through [TooComplex].
//
// The translation matches [filter.Matcher] on the same data:
//
//   - Strings of attributes that are not caseExact compare as lower(col) = lower($1);
//     an index on lower(col) serves such lookups in PostgreSQL and SQLite (CREATE
//     INDEX … ON users (lower(user_name))). MySQL compares
//     CAST(LOWER(col) AS BINARY) = CAST(LOWER(?) AS BINARY), and caseExact strings
//     as CAST(col AS BINARY), so that neither the column's collation (ci,
//     accent-insensitive or PAD SPACE, which find "é" equal to "e", "ß" to "ss" and
//     "a " to "a") nor the connection's decides.
//   - co, sw and ew become LIKE with the operand's %, _ and ! escaped and ESCAPE '!'
//     (a backslash cannot be written in a MySQL literal that works both with and
//     without sql_mode NO_BACKSLASH_ESCAPES); caseExact operands use LIKE in
//     PostgreSQL and MySQL and GLOB in SQLite, whose LIKE ignores ASCII case.
//   - gt, ge, lt and le on strings compare by code point: COLLATE "C" in PostgreSQL,
//     SQLite's default BINARY collation, binary strings in MySQL.
//   - Numbers are passed exactly where the dialect can carry them: as text cast to
//     numeric in PostgreSQL, as an int64 for an integer in range, as DECIMAL(65,30)
//     in MySQL. Otherwise the operand is rounded down, to a float64 (or, in MySQL,
//     to 30 decimals) and the operator adjusted, as for dateTimes: exact for integer
//     columns, float64 (REAL) columns in SQLite and DECIMAL columns in MySQL.
//   - dateTimes compare as instants, after rounding the operand to the precision of
//     the column (microseconds for timestamps, the layout's for text).
//   - A multi-valued attribute becomes EXISTS (SELECT 1 FROM child WHERE join AND …);
//     a value path attr[filter] puts the whole inner filter into one EXISTS.
//   - SQL NULL never leaks into the result: ne, not and eq null are translated so
//     that an absent (NULL) attribute behaves as in filter.Matcher (ne and not
//     (… eq …) are true for it).
//   - pr is "col IS NOT NULL AND col <> ”" for text (LENGTH(col) > 0 in MySQL,
//     whose PAD SPACE collations find "  " equal to ""), "col IS NOT NULL"
//     otherwise, and EXISTS over the child table for a multi-valued attribute (any
//     row counts as a value). A single-valued complex attribute (name pr) is present
//     when one of its mapped sub-attributes is.
//
// What each dialect cannot do:
//
//   - PostgreSQL: text cannot hold U+0000; a filter value containing it is refused
//     with invalidFilter.
//   - SQLite: lower() folds only ASCII letters, so "É" and "é" differ there even for
//     attributes that are not caseExact. Integers beyond 2^53 compared with a
//     non-integer operand may be off by one value. There is no timestamp type:
//     dateTimes need TimeLayout.
//   - MySQL and MariaDB: string columns must use the character set utf8mb4 (any
//     collation): the comparison is between the bytes of the column and of the
//     parameter, which the driver sends in the connection's character set, utf8mb4.
//     LOWER() follows the case table of the collation of its argument
//     (utf8mb4_general_ci, go-sql-driver/mysql's default for the connection, folds
//     no letter beyond U+FFFF); Go's unicode.ToLower may differ on rare letters. No
//     index serves a case-insensitive comparison (MariaDB has no expression
//     indexes); caseExact ones compare binary casts, which an index on a _bin
//     column does not serve either. dateTime columns are DATETIME(6) holding UTC
//     (with the driver's loc UTC, its default) or TIMESTAMP(6) with the session
//     time_zone '+00:00'; booleans are 0/1 (BOOLEAN is TINYINT(1)). Numbers beyond
//     DECIMAL(65,30) compare as float64, exactly only against DOUBLE columns.
func (m *Mapping) Where(e filter.Expr, args []any) (string, []any, error) {
	if m.ResourceType == nil {
		return "", args, errors.New("sqlfilter: Mapping.ResourceType is nil")
	}
	v, err := filter.Validate(e, m.ResourceType)
	if err != nil {
		return "", args, err
	}
	t := translator{m: m, args: args}
	if err := t.expr(v, false, nil); err != nil {
		return "", args, err
	}
	if len(t.args) > maxArgs {
		return "", args, &TooComplexError{msg: "it has more than " + strconv.Itoa(maxArgs) + " values"}
	}
	return t.b.String(), t.args, nil
}

// Check reports problems of m that Where would only meet with particular filters:
// keys of Columns and Tables that are not canonical attribute paths of the kind
// expected, a TimeLayout that is not fixed-width, SQLite without a TimeLayout while
// a dateTime attribute is mapped. Hosts can call it in a test or at start-up.
func (m *Mapping) Check() error {
	rt := m.ResourceType
	if rt == nil {
		return errors.New("sqlfilter: Mapping.ResourceType is nil")
	}
	var errs []error
	hasTime := false
	keys := make([]string, 0, len(m.Columns))
	for k := range m.Columns {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		a, canonical := lookup(rt, k)
		switch {
		case a == nil:
			errs = append(errs, errors.New("sqlfilter: Columns key "+strconv.Quote(k)+" names no attribute of "+rt.Name))
		case canonical != k:
			errs = append(errs, errors.New("sqlfilter: Columns key "+strconv.Quote(k)+" must be spelled "+strconv.Quote(canonical)))
		case a.MultiValued || a.Type == schema.Complex:
			errs = append(errs, errors.New("sqlfilter: Columns key "+strconv.Quote(k)+" is a multi-valued or complex attribute; map it in Tables or map its sub-attributes"))
		case a.Type == schema.DateTime:
			hasTime = true
		}
	}
	keys = keys[:0]
	for k := range m.Tables {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		a, canonical := lookup(rt, k)
		switch {
		case a == nil:
			errs = append(errs, errors.New("sqlfilter: Tables key "+strconv.Quote(k)+" names no attribute of "+rt.Name))
			continue
		case canonical != k:
			errs = append(errs, errors.New("sqlfilter: Tables key "+strconv.Quote(k)+" must be spelled "+strconv.Quote(canonical)))
			continue
		case !a.MultiValued || a.Type != schema.Complex:
			errs = append(errs, errors.New("sqlfilter: Tables key "+strconv.Quote(k)+" is not a multi-valued complex attribute"))
			continue
		}
		tbl := m.Tables[k]
		if tbl.From == "" || tbl.Join == "" {
			errs = append(errs, errors.New("sqlfilter: Tables["+strconv.Quote(k)+"] needs From and Join"))
		}
		for sub := range tbl.Columns {
			s := a.SubAttribute(sub)
			switch {
			case s == nil:
				errs = append(errs, errors.New("sqlfilter: Tables["+strconv.Quote(k)+"].Columns key "+strconv.Quote(sub)+" names no sub-attribute"))
			case s.Name != sub:
				errs = append(errs, errors.New("sqlfilter: Tables["+strconv.Quote(k)+"].Columns key "+strconv.Quote(sub)+" must be spelled "+strconv.Quote(s.Name)))
			case s.Type == schema.DateTime:
				hasTime = true
			}
		}
	}
	if m.TimeLayout != "" {
		if _, err := m.textTime(time.Date(2000, 1, 2, 3, 4, 5, 6, time.UTC)); err != nil {
			errs = append(errs, err)
		}
	} else if hasTime && m.Dialect == SQLite {
		errs = append(errs, errors.New("sqlfilter: SQLite has no timestamp type: set Mapping.TimeLayout for the dateTime columns"))
	}
	return errors.Join(errs...)
}

// lookup resolves a canonical path as filter.Validate writes it and returns the
// attribute it names and the path's canonical spelling.
func lookup(rt *schema.ResourceType, path string) (*schema.Attribute, string) {
	urn, rest := rt.SplitURN(path)
	name, sub, _ := strings.Cut(rest, ".")
	ref, ok := rt.Resolve(urn, name, sub)
	if !ok {
		return nil, ""
	}
	return ref.Target(), ref.String()
}

type translator struct {
	m     *Mapping
	b     strings.Builder
	args  []any
	depth int // nesting of NOT, EXISTS and parentheses being written
}

// elem is the context inside a value path: the multi-valued attribute and its table.
type elem struct {
	attr  *schema.Attribute
	table *Table
}

// nest counts one more level of nesting and fails beyond maxNesting; done undoes it.
func (t *translator) nest() error {
	t.depth++
	if t.depth > maxNesting {
		return &TooComplexError{msg: "it nests more than " + strconv.Itoa(maxNesting) + " levels deep"}
	}
	return nil
}

func (t *translator) done() { t.depth-- }

func (t *translator) expr(e filter.Expr, neg bool, el *elem) error {
	if err := t.nest(); err != nil {
		return err
	}
	defer t.done()
	switch e := e.(type) {
	case *filter.Logical:
		return t.chain(flatten(e, e.Op, nil), e.Op, neg, el)
	case *filter.Not:
		t.b.WriteString("NOT (")
		if err := t.expr(e.X, !neg, el); err != nil {
			return err
		}
		t.b.WriteByte(')')
		return nil
	case *filter.ValuePath:
		el, err := t.valuePath(e)
		if err != nil {
			return err
		}
		// EXISTS is never NULL: inside it, NULL may again stand for false.
		return t.existsWith(el.table, func() error { return t.expr(e.Filter, false, el) })
	case *filter.Compare:
		return t.compare(e, neg, el)
	}
	return errors.New("sqlfilter: unexpected filter node")
}

// flatten appends the operands of the chain of op that e heads to terms.
func flatten(e filter.Expr, op filter.LogicalOp, terms []filter.Expr) []filter.Expr {
	if l, ok := e.(*filter.Logical); ok && l.Op == op {
		terms = flatten(l.Left, op, terms)
		return flatten(l.Right, op, terms)
	}
	return append(terms, e)
}

// balanced writes the parts joined by op as a balanced tree of parentheses, so that
// a chain of n terms nests log2(n) levels deep rather than n: SQLite refuses
// expressions deeper than 1,000 and PostgreSQL runs out of stack on deep ones.
func (t *translator) balanced(parts []func() error, op string) error {
	if len(parts) == 1 {
		return parts[0]()
	}
	if err := t.nest(); err != nil {
		return err
	}
	defer t.done()
	mid := (len(parts) + 1) / 2
	t.b.WriteByte('(')
	if err := t.balanced(parts[:mid], op); err != nil {
		return err
	}
	t.b.WriteString(op)
	if err := t.balanced(parts[mid:], op); err != nil {
		return err
	}
	t.b.WriteByte(')')
	return nil
}

// chain writes the conjunction or disjunction of terms, merging terms to cut the
// work per row:
//
//   - or-ed terms that are EXISTS over the same child table become one EXISTS whose
//     condition is the disjunction of theirs: emails[value eq "a"] or
//     emails[value eq "b"] reads the user's e-mail rows once, not once per term;
//   - or-ed eq, and and-ed ne, comparisons of one string column become one IN or
//     NOT IN list, which the databases look up rather than test term by term.
func (t *translator) chain(terms []filter.Expr, op filter.LogicalOp, neg bool, el *elem) error {
	listOp, joiner := filter.Eq, " OR "
	if op == filter.And {
		listOp, joiner = filter.Ne, " AND "
	}
	type group struct {
		el     *elem         // for EXISTS: the child table
		terms  []filter.Expr // for EXISTS: conditions on its rows
		col    string        // for IN: the column
		attr   *schema.Attribute
		values []string
	}
	var parts []func() error
	var groups []*group
	byKey := map[string]*group{}
	join := func(key string, make func() *group) *group {
		g, ok := byKey[key]
		if !ok {
			g = make()
			byKey[key] = g
			groups = append(groups, g)
			parts = append(parts, func() error {
				switch {
				case g.el != nil:
					return t.existsWith(g.el.table, func() error { return t.chain(g.terms, filter.Or, false, g.el) })
				case len(g.values) == 1:
					return t.atom(g.col, g.attr, &filter.Compare{Op: listOp, Value: g.values[0]}, neg)
				}
				cond, err := t.eqStrings(g.col, g.attr, g.values)
				if err != nil {
					return err
				}
				if listOp == filter.Ne {
					t.b.WriteString("(" + g.col + " IS NULL OR NOT (" + cond + "))")
					return nil
				}
				t.notNull(g.col, cond, neg)
				return nil
			})
		}
		return g
	}
	for _, x := range terms {
		if el == nil && op == filter.Or {
			key, xel, inner, err := t.positiveExists(x)
			if err != nil {
				return err
			}
			if inner != nil {
				g := join("exists\x00"+key, func() *group { return &group{el: xel} })
				g.terms = flatten(inner, filter.Or, g.terms)
				continue
			}
		}
		if col, a, s, ok := t.stringCompare(x, listOp, el); ok {
			g := join("in\x00"+col, func() *group { return &group{col: col, attr: a} })
			g.values = append(g.values, s)
			continue
		}
		parts = append(parts, func() error { return t.expr(x, neg, el) })
	}
	return t.balanced(parts, joiner)
}

// stringCompare reports whether x is `attr op "string"` of a column (of the parent
// row, or of the child row el), and returns the column, its attribute and the string.
func (t *translator) stringCompare(x filter.Expr, op filter.CompareOp, el *elem) (string, *schema.Attribute, string, bool) {
	c, ok := x.(*filter.Compare)
	if !ok || c.Op != op {
		return "", nil, "", false
	}
	s, ok := c.Value.(string)
	if !ok {
		return "", nil, "", false
	}
	var a *schema.Attribute
	var col string
	if el != nil {
		a, col = el.attr.SubAttribute(c.Path.Name), el.table.Columns[c.Path.Name]
	} else if ref, found := t.m.ResourceType.Resolve(c.Path.URN, c.Path.Name, c.Path.Sub); found && !ref.Attr.MultiValued {
		a, col = ref.Target(), t.m.Columns[c.Path.String()]
	}
	if a == nil || col == "" || !textType(a) {
		return "", nil, "", false
	}
	return col, a, s, true
}

// positiveExists returns, for a term that is translated as EXISTS over a child table
// (a value path, or a comparison of a multi-valued attribute's sub-attribute that
// some value must satisfy), the table's key, the child row context and the
// condition on the rows. For other terms it returns a nil condition.
func (t *translator) positiveExists(x filter.Expr) (string, *elem, filter.Expr, error) {
	switch x := x.(type) {
	case *filter.ValuePath:
		el, err := t.valuePath(x)
		if err != nil {
			return "", nil, nil, err
		}
		return x.Path.String(), el, x.Filter, nil
	case *filter.Compare:
		ref, ok := t.m.ResourceType.Resolve(x.Path.URN, x.Path.Name, x.Path.Sub)
		if !ok || !ref.Attr.MultiValued || ref.Attr.Type != schema.Complex || ref.Sub == nil {
			return "", nil, nil, nil
		}
		el, not, inner, err := t.multiValued(x, ref)
		if err != nil || not {
			return "", nil, nil, err
		}
		return filter.AttrPath{URN: x.Path.URN, Name: x.Path.Name}.String(), el, inner, nil
	}
	return "", nil, nil, nil
}

// valuePath returns the child row context of the value path e.
func (t *translator) valuePath(e *filter.ValuePath) (*elem, error) {
	a, tbl, err := t.table(e.Path)
	if err != nil {
		return nil, err
	}
	return &elem{attr: a, table: tbl}, nil
}

// table returns the multi-valued attribute path names and its child table.
func (t *translator) table(p filter.AttrPath) (*schema.Attribute, *Table, error) {
	ref, ok := t.m.ResourceType.Resolve(p.URN, p.Name, "")
	if !ok {
		return nil, nil, &filter.ValidationError{Attr: p.String(), Msg: "unknown attribute"}
	}
	key := filter.AttrPath{URN: p.URN, Name: p.Name}.String()
	tbl, ok := t.m.Tables[key]
	if !ok {
		return nil, nil, notMapped(key)
	}
	return ref.Attr, &tbl, nil
}

// existsWith writes EXISTS over tbl's rows of the parent row, with the condition
// that inner writes, or none when inner is nil.
func (t *translator) existsWith(tbl *Table, inner func() error) error {
	if err := t.nest(); err != nil {
		return err
	}
	defer t.done()
	t.b.WriteString("EXISTS (SELECT 1 FROM ")
	t.b.WriteString(tbl.From)
	t.b.WriteString(" WHERE ")
	t.b.WriteString(tbl.Join)
	if inner != nil {
		t.b.WriteString(" AND ")
		if err := inner(); err != nil {
			return err
		}
	}
	t.b.WriteByte(')')
	return nil
}

// errUnexpected reports a validated filter that does not look validated: a bug.
var errUnexpected = errors.New("sqlfilter: unexpected comparison value after validation")

func notMapped(path string) error {
	return &filter.ValidationError{Attr: path, Msg: "filtering on this attribute is not supported"}
}

func (t *translator) compare(c *filter.Compare, neg bool, el *elem) error {
	path := c.Path.String()
	if el != nil {
		a := el.attr.SubAttribute(c.Path.Name)
		col, ok := el.table.Columns[c.Path.Name]
		if a == nil || !ok {
			return notMapped(filter.AttrPath{Name: el.attr.Name, Sub: c.Path.Name}.String())
		}
		return t.atom(col, a, c, neg)
	}
	ref, ok := t.m.ResourceType.Resolve(c.Path.URN, c.Path.Name, c.Path.Sub)
	if !ok {
		return &filter.ValidationError{Attr: path, Msg: "unknown attribute"}
	}
	attr := ref.Attr
	switch {
	case attr.MultiValued && attr.Type == schema.Complex:
		if ref.Sub == nil {
			_, tbl, err := t.table(c.Path)
			if err != nil {
				return err
			}
			// Only pr reaches here: Validate turns other comparisons of a complex
			// attribute into comparisons of its value sub-attribute.
			if c.Op != filter.Pr {
				return notMapped(path)
			}
			return t.existsWith(tbl, nil)
		}
		el, not, inner, err := t.multiValued(c, ref)
		if err != nil {
			return err
		}
		if not {
			t.b.WriteString("NOT ")
		}
		return t.existsWith(el.table, func() error { return t.compare(inner, false, el) })
	case attr.MultiValued:
		return notMapped(path)
	case attr.Type == schema.Complex && ref.Sub == nil:
		if c.Op != filter.Pr {
			return notMapped(path)
		}
		return t.complexPresent(path, attr)
	}
	col, ok := t.m.Columns[path]
	if !ok {
		return notMapped(path)
	}
	return t.atom(col, ref.Target(), c, neg)
}

// multiValued translates the comparison c of a sub-attribute of a multi-valued
// attribute: into EXISTS over the child table el with the condition inner on its
// rows, or into NOT EXISTS when not is set.
func (t *translator) multiValued(c *filter.Compare, ref schema.Ref) (el *elem, not bool, inner *filter.Compare, err error) {
	a, tbl, err := t.table(c.Path)
	if err != nil {
		return nil, false, nil, err
	}
	if _, ok := tbl.Columns[ref.Sub.Name]; !ok {
		return nil, false, nil, notMapped(c.Path.String())
	}
	// ne and eq null hold when no value satisfies eq, pr: NOT EXISTS.
	inner = &filter.Compare{Path: filter.AttrPath{Name: ref.Sub.Name}, Op: c.Op, Value: c.Value}
	switch {
	case c.Op == filter.Ne && c.Value != nil:
		inner.Op, not = filter.Eq, true
	case c.Op == filter.Eq && c.Value == nil:
		inner.Op, not = filter.Pr, true
	case c.Op == filter.Ne:
		inner.Op = filter.Pr
	}
	return &elem{attr: a, table: tbl}, not, inner, nil
}

// complexPresent writes `attr pr` for a single-valued complex attribute: one of its
// mapped sub-attributes is present.
func (t *translator) complexPresent(path string, attr *schema.Attribute) error {
	n := 0
	for _, s := range attr.SubAttributes {
		col, ok := t.m.Columns[path+"."+s.Name]
		if !ok {
			continue
		}
		if n == 0 {
			t.b.WriteByte('(')
		} else {
			t.b.WriteString(" OR ")
		}
		t.present(col, s)
		n++
	}
	if n == 0 {
		return notMapped(path)
	}
	t.b.WriteByte(')')
	return nil
}

// textual reports whether a's column holds text.
func (t *translator) textual(a *schema.Attribute) bool {
	return textType(a) || a.Type == schema.DateTime && t.m.TimeLayout != ""
}

// textType reports whether a is compared as a string.
func textType(a *schema.Attribute) bool {
	switch a.Type {
	case schema.String, schema.Reference, schema.Binary:
		return true
	}
	return false
}

func (t *translator) absent(col string, a *schema.Attribute) {
	if t.textual(a) {
		t.b.WriteString("(" + col + " IS NULL OR " + t.m.Dialect.empty(col, true) + ")")
		return
	}
	t.b.WriteString(col + " IS NULL")
}

func (t *translator) present(col string, a *schema.Attribute) {
	if t.textual(a) {
		t.b.WriteString("(" + col + " IS NOT NULL AND " + t.m.Dialect.empty(col, false) + ")")
		return
	}
	t.b.WriteString(col + " IS NOT NULL")
}

// atom writes the comparison c of column col, whose attribute is a. With neg set the
// result must not be NULL, because it is under an odd number of NOTs.
func (t *translator) atom(col string, a *schema.Attribute, c *filter.Compare, neg bool) error {
	switch {
	case c.Op == filter.Pr:
		t.present(col, a)
		return nil
	case c.Value == nil && c.Op == filter.Eq:
		t.absent(col, a)
		return nil
	case c.Value == nil && c.Op == filter.Ne:
		t.present(col, a)
		return nil
	}
	op := c.Op
	if op == filter.Ne {
		// ne is the negation of eq, true for NULL.
		cond, err := t.condition(col, a, filter.Eq, c.Value)
		if err != nil {
			return err
		}
		t.b.WriteString("(" + col + " IS NULL OR NOT (" + cond + "))")
		return nil
	}
	cond, err := t.condition(col, a, op, c.Value)
	if err != nil {
		return err
	}
	t.notNull(col, cond, neg)
	return nil
}

// notNull writes cond, made false rather than NULL for a NULL col when neg is set.
func (t *translator) notNull(col, cond string, neg bool) {
	if neg {
		t.b.WriteString("(" + col + " IS NOT NULL AND " + cond + ")")
		return
	}
	t.b.WriteString(cond)
}

// condition returns `col op value` in SQL. It is not NULL when col is not NULL.
func (t *translator) condition(col string, a *schema.Attribute, op filter.CompareOp, value any) (string, error) {
	d := t.m.Dialect
	switch a.Type {
	case schema.Boolean:
		b, ok := value.(bool)
		if !ok || op != filter.Eq {
			return "", errUnexpected
		}
		return col + " = " + t.arg(b), nil
	case schema.Integer, schema.Decimal:
		n, ok := value.(json.Number)
		if !ok {
			return "", errUnexpected
		}
		arg, cast, below := d.number(n)
		return floored(col, op, below, func() string {
			if cast == "" {
				return t.arg(arg)
			}
			return "CAST(" + t.arg(arg) + " AS " + cast + ")"
		}), nil
	case schema.DateTime:
		return t.timeCondition(col, op, value)
	}
	s, ok := value.(string)
	if !ok {
		return "", errUnexpected
	}
	if op == filter.Eq {
		return t.eqStrings(col, a, []string{s})
	}
	if err := d.checkText(a, s); err != nil {
		return "", err
	}
	exact := a.CaseExact || a.Type == schema.Binary
	switch op {
	case filter.Co, filter.Sw, filter.Ew:
		switch {
		case s == "":
			return col + " IS NOT NULL", nil
		case exact && d == SQLite:
			return col + " GLOB " + t.arg(globPattern(op, s)), nil
		case exact:
			return d.exact(col) + " LIKE " + d.exact(t.arg(likePattern(op, s))) + " ESCAPE '" + string(likeEscape) + "'", nil
		}
		return d.fold(col) + " LIKE " + d.fold(t.arg(likePattern(op, s))) + " ESCAPE '" + string(likeEscape) + "'", nil
	}
	lhs, rhs := d.exact(col), t.arg(s)
	if exact {
		rhs = d.exact(rhs)
	} else {
		lhs, rhs = d.fold(col), d.fold(rhs)
	}
	if d == PostgreSQL {
		rhs += ` COLLATE "C"`
	}
	return lhs + " " + sqlOp(op) + " " + rhs, nil
}

// eqStrings returns the condition that the string column col equals one of values.
func (t *translator) eqStrings(col string, a *schema.Attribute, values []string) (string, error) {
	d := t.m.Dialect
	for _, s := range values {
		if err := d.checkText(a, s); err != nil {
			return "", err
		}
	}
	exact := a.CaseExact || a.Type == schema.Binary
	// In MySQL, col = ? holds whenever the binary comparison does, if the column's
	// collation ignores case or the comparison is caseExact; an index on col serves it.
	indexed := ""
	if folded := t.folded(col); d == MySQL && !exact && folded != "" {
		indexed = t.member(folded, values, func(x string) string { return "LOWER(" + x + ")" }) + " AND "
	} else if d == MySQL && (exact || t.m.CaseInsensitiveCollation) {
		indexed = t.member(col, values, func(x string) string { return x }) + " AND "
	}
	lhs, wrap := d.exact(col), d.exact
	if !exact {
		lhs, wrap = d.fold(col), d.fold
	}
	cond := t.member(lhs, values, wrap)
	if indexed != "" {
		return "(" + indexed + cond + ")", nil
	}
	return cond, nil
}

// folded returns the folded column (Mapping.Folded) of the parent row's column
// expression col, or "".
func (t *translator) folded(col string) string {
	for path, f := range t.m.Folded {
		if t.m.Columns[path] == col {
			return f
		}
	}
	return ""
}

// member returns `lhs = v` for one value or `lhs IN (v, …)` for several, each value
// an argument whose placeholder wrap turns into SQL.
func (t *translator) member(lhs string, values []string, wrap func(string) string) string {
	if len(values) == 1 {
		return lhs + " = " + wrap(t.arg(values[0]))
	}
	var b strings.Builder
	b.WriteString(lhs + " IN (")
	for i, s := range values {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(wrap(t.arg(s)))
	}
	b.WriteByte(')')
	return b.String()
}

// arg appends v to the arguments and returns its placeholder.
func (t *translator) arg(v any) string {
	t.args = append(t.args, v)
	return t.m.Dialect.Placeholder(len(t.args))
}

func sqlOp(op filter.CompareOp) string {
	switch op {
	case filter.Eq:
		return "="
	case filter.Gt:
		return ">"
	case filter.Ge:
		return ">="
	case filter.Lt:
		return "<"
	case filter.Le:
		return "<="
	}
	return "="
}

// likePattern returns the LIKE pattern for co, sw or ew with s, whose %, _ and
// likeEscape are escaped with likeEscape.
func likePattern(op filter.CompareOp, s string) string {
	var b strings.Builder
	if op == filter.Co || op == filter.Ew {
		b.WriteByte('%')
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '%', '_', likeEscape:
			b.WriteByte(likeEscape)
			b.WriteByte(c)
		default:
			b.WriteByte(c)
		}
	}
	if op == filter.Co || op == filter.Sw {
		b.WriteByte('%')
	}
	return b.String()
}

// globPattern returns the SQLite GLOB pattern for co, sw or ew with s, whose *, ?
// and [ are put in brackets.
func globPattern(op filter.CompareOp, s string) string {
	var b strings.Builder
	if op == filter.Co || op == filter.Ew {
		b.WriteByte('*')
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '*', '?', '[':
			b.WriteByte('[')
			b.WriteByte(c)
			b.WriteByte(']')
		default:
			b.WriteByte(c)
		}
	}
	if op == filter.Co || op == filter.Sw {
		b.WriteByte('*')
	}
	return b.String()
}

// timeCondition compares a dateTime column with an operand. The operand is rounded
// down to the column's precision; when that changes it, the operators are adjusted
// so that the result stays exact for values stored at that precision.
func (t *translator) timeCondition(col string, op filter.CompareOp, value any) (string, error) {
	s, ok := value.(string)
	if !ok {
		return "", errUnexpected
	}
	tm, err := schema.ParseDateTime(s)
	if err != nil {
		return "", errUnexpected
	}
	tm = tm.UTC()
	var arg any
	var floor time.Time
	switch {
	case t.m.TimeLayout != "":
		text, err := t.m.textTime(tm)
		if err != nil {
			return "", err
		}
		floor, _ = time.Parse(t.m.TimeLayout, text)
		arg = text
	case t.m.Dialect == SQLite:
		return "", errors.New("sqlfilter: SQLite has no timestamp type: set Mapping.TimeLayout for the dateTime columns")
	default:
		floor = tm.Truncate(time.Microsecond)
		arg = floor
	}
	return floored(col, op, !floor.Equal(tm), func() string { return t.arg(arg) }), nil
}

// floored returns `col op x` for an operand x that reaches the database rounded
// down to floor, the largest value of the column's precision not above x, which rhs
// writes; below reports floor < x. For values of that precision, v >= x is then
// v > floor, v < x is v <= floor, and v = x never holds.
func floored(col string, op filter.CompareOp, below bool, rhs func() string) string {
	switch {
	case below && op == filter.Eq:
		return "1 = 0"
	case below && op == filter.Ge:
		op = filter.Gt
	case below && op == filter.Lt:
		op = filter.Le
	}
	return col + " " + sqlOp(op) + " " + rhs()
}

// textTime formats tm in m.TimeLayout and checks that the layout is usable: of fixed
// width, and parsing back to tm rounded down to at most a second.
func (m *Mapping) textTime(tm time.Time) (string, error) {
	tm = tm.UTC()
	text := tm.Format(m.TimeLayout)
	wide := time.Date(2000, 12, 28, 23, 59, 59, 999999999, time.UTC).Format(m.TimeLayout)
	narrow := time.Date(2000, 1, 2, 3, 4, 5, 0, time.UTC).Format(m.TimeLayout)
	if len(wide) != len(narrow) {
		return "", errors.New("sqlfilter: Mapping.TimeLayout " + strconv.Quote(m.TimeLayout) + " does not have a fixed width")
	}
	back, err := time.Parse(m.TimeLayout, text)
	if err != nil || back.After(tm) || tm.Sub(back) >= time.Second {
		return "", errors.New("sqlfilter: Mapping.TimeLayout " + strconv.Quote(m.TimeLayout) + " does not hold a complete date and time")
	}
	return text, nil
}
