package sqlfilter

import (
	"encoding/json"
	"errors"
	"math/big"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/scimkit/scimkit/filter"
	"github.com/scimkit/scimkit/schema"
)

// A Dialect selects the placeholder syntax and the few SQL constructs that differ
// between databases.
type Dialect int

// The supported dialects.
const (
	// PostgreSQL numbers placeholders $1, $2, …. It is the zero Dialect.
	PostgreSQL Dialect = iota
	// SQLite uses ? placeholders.
	SQLite
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
	// such as a PostgreSQL uuid, with ::text); booleans a boolean (or, in SQLite, a
	// 0/1 integer) column; integers and decimals a numeric column; dateTimes see
	// TimeLayout.
	Columns map[string]string

	// Tables maps a multi-valued complex attribute, such as "emails" or "members", to
	// the child table that holds one row per value.
	Tables map[string]Table

	// TimeLayout says how dateTime columns store instants. The empty string means a
	// timestamp type (timestamptz in PostgreSQL); operands are then passed as
	// time.Time values. Otherwise the columns hold text in this layout of package
	// time, which must format every UTC instant with the same width (such as
	// "2006-01-02T15:04:05Z" or "2006-01-02T15:04:05.000000Z") so that text order is
	// time order; operands are then passed as UTC text in that layout. SQLite has no
	// timestamp type and needs a layout.
	TimeLayout string
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
// The translation matches [filter.Matcher] on the same data:
//
//   - Strings of attributes that are not caseExact compare as lower(col) = lower($1);
//     an index on lower(col) serves such lookups (CREATE INDEX … ON users
//     (lower(user_name))). PostgreSQL's lower() is Unicode-aware; SQLite's lower()
//     only folds ASCII letters, so non-ASCII letters compare exactly there.
//   - co, sw and ew become LIKE with the operand's wildcards escaped and ESCAPE '\';
//     caseExact operands use LIKE in PostgreSQL and GLOB in SQLite, whose LIKE
//     ignores ASCII case.
//   - gt, ge, lt and le on strings compare by code point: COLLATE "C" in PostgreSQL,
//     SQLite's default BINARY collation.
//   - Numbers are passed exactly (as text cast to numeric) in PostgreSQL; SQLite gets
//     an int64 when the number is an integer in range, a float64 otherwise.
//   - dateTimes compare as instants, after rounding the operand to the precision of
//     the column (microseconds for timestamps, the layout's for text).
//   - A multi-valued attribute becomes EXISTS (SELECT 1 FROM child WHERE join AND …);
//     a value path attr[filter] puts the whole inner filter into one EXISTS.
//   - SQL NULL never leaks into the result: ne, not and eq null are translated so
//     that an absent (NULL) attribute behaves as in filter.Matcher (ne and not
//     (… eq …) are true for it).
//   - pr is "col IS NOT NULL AND col <> ”" for text, "col IS NOT NULL" otherwise,
//     and EXISTS over the child table for a multi-valued attribute (any row counts
//     as a value). A single-valued complex attribute (name pr) is present when one
//     of its mapped sub-attributes is.
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
	m    *Mapping
	b    strings.Builder
	args []any
}

// elem is the context inside a value path: the multi-valued attribute and its table.
type elem struct {
	attr  *schema.Attribute
	table *Table
}

func (t *translator) expr(e filter.Expr, neg bool, el *elem) error {
	switch e := e.(type) {
	case *filter.Logical:
		op := " AND "
		if e.Op == filter.Or {
			op = " OR "
		}
		t.b.WriteByte('(')
		if err := t.expr(e.Left, neg, el); err != nil {
			return err
		}
		t.b.WriteString(op)
		if err := t.expr(e.Right, neg, el); err != nil {
			return err
		}
		t.b.WriteByte(')')
		return nil
	case *filter.Not:
		t.b.WriteString("NOT (")
		if err := t.expr(e.X, !neg, el); err != nil {
			return err
		}
		t.b.WriteByte(')')
		return nil
	case *filter.ValuePath:
		a, tbl, err := t.table(e.Path)
		if err != nil {
			return err
		}
		t.exists(tbl)
		t.b.WriteString(" AND ")
		// EXISTS is never NULL: inside it, NULL may again stand for false.
		if err := t.expr(e.Filter, false, &elem{attr: a, table: tbl}); err != nil {
			return err
		}
		t.b.WriteByte(')')
		return nil
	case *filter.Compare:
		return t.compare(e, neg, el)
	}
	return errors.New("sqlfilter: unexpected filter node")
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

func (t *translator) exists(tbl *Table) {
	t.b.WriteString("EXISTS (SELECT 1 FROM ")
	t.b.WriteString(tbl.From)
	t.b.WriteString(" WHERE ")
	t.b.WriteString(tbl.Join)
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
		_, tbl, err := t.table(c.Path)
		if err != nil {
			return err
		}
		if ref.Sub == nil {
			// Only pr reaches here: Validate turns other comparisons of a complex
			// attribute into comparisons of its value sub-attribute.
			if c.Op != filter.Pr {
				return notMapped(path)
			}
			t.exists(tbl)
			t.b.WriteByte(')')
			return nil
		}
		col, ok := tbl.Columns[ref.Sub.Name]
		if !ok {
			return notMapped(path)
		}
		// ne and eq null hold when no value satisfies eq, pr: NOT EXISTS.
		inner := *c
		switch {
		case c.Op == filter.Ne && c.Value != nil:
			inner.Op = filter.Eq
			t.b.WriteString("NOT ")
		case c.Op == filter.Eq && c.Value == nil:
			inner.Op = filter.Pr
			t.b.WriteString("NOT ")
		case c.Op == filter.Ne:
			inner.Op = filter.Pr
		}
		t.exists(tbl)
		t.b.WriteString(" AND ")
		if err := t.atom(col, ref.Sub, &inner, false); err != nil {
			return err
		}
		t.b.WriteByte(')')
		return nil
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
	switch a.Type {
	case schema.String, schema.Reference, schema.Binary:
		return true
	case schema.DateTime:
		return t.m.TimeLayout != ""
	}
	return false
}

func (t *translator) absent(col string, a *schema.Attribute) {
	if t.textual(a) {
		t.b.WriteString("(" + col + " IS NULL OR " + col + " = '')")
		return
	}
	t.b.WriteString(col + " IS NULL")
}

func (t *translator) present(col string, a *schema.Attribute) {
	if t.textual(a) {
		t.b.WriteString("(" + col + " IS NOT NULL AND " + col + " <> '')")
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
	if neg {
		t.b.WriteString("(" + col + " IS NOT NULL AND " + cond + ")")
		return nil
	}
	t.b.WriteString(cond)
	return nil
}

// condition returns `col op value` in SQL. It is not NULL when col is not NULL.
func (t *translator) condition(col string, a *schema.Attribute, op filter.CompareOp, value any) (string, error) {
	pg := t.m.Dialect == PostgreSQL
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
		if pg {
			return col + " " + sqlOp(op) + " CAST(" + t.arg(string(n)) + " AS numeric)", nil
		}
		return col + " " + sqlOp(op) + " " + t.arg(sqliteNumber(n)), nil
	case schema.DateTime:
		return t.timeCondition(col, op, value)
	}
	s, ok := value.(string)
	if !ok {
		return "", errUnexpected
	}
	if pg && strings.IndexByte(s, 0) >= 0 {
		return "", &filter.ValidationError{Attr: a.Name, Msg: "PostgreSQL text cannot hold the character U+0000"}
	}
	exact := a.CaseExact || a.Type == schema.Binary
	switch op {
	case filter.Co, filter.Sw, filter.Ew:
		switch {
		case s == "":
			return col + " IS NOT NULL", nil
		case exact && !pg:
			return col + " GLOB " + t.arg(globPattern(op, s)), nil
		case exact:
			return col + " LIKE " + t.arg(likePattern(op, s)) + ` ESCAPE '\'`, nil
		}
		return "lower(" + col + ") LIKE lower(" + t.arg(likePattern(op, s)) + `) ESCAPE '\'`, nil
	}
	lhs, rhs := col, t.arg(s)
	if !exact {
		lhs, rhs = "lower("+col+")", "lower("+rhs+")"
	}
	if op != filter.Eq && pg {
		rhs += ` COLLATE "C"`
	}
	return lhs + " " + sqlOp(op) + " " + rhs, nil
}

// arg appends v to the arguments and returns its placeholder.
func (t *translator) arg(v any) string {
	t.args = append(t.args, v)
	if t.m.Dialect == SQLite {
		return "?"
	}
	return "$" + strconv.Itoa(len(t.args))
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

// likePattern returns the LIKE pattern for co, sw or ew with s, whose %, _ and \
// are escaped with \.
func likePattern(op filter.CompareOp, s string) string {
	var b strings.Builder
	if op == filter.Co || op == filter.Ew {
		b.WriteByte('%')
	}
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '%', '_', '\\':
			b.WriteByte('\\')
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

// sqliteNumber converts a JSON number for SQLite: an int64 if it is an integer in
// range, else a float64.
func sqliteNumber(n json.Number) any {
	if i, err := n.Int64(); err == nil {
		return i
	}
	if r, ok := new(big.Rat).SetString(string(n)); ok && r.IsInt() && r.Num().IsInt64() {
		return r.Num().Int64()
	}
	f, _ := strconv.ParseFloat(string(n), 64)
	return f
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
	frac := !floor.Equal(tm)
	switch {
	case frac && op == filter.Eq:
		return "1 = 0", nil
	case frac && op == filter.Ge:
		op = filter.Gt
	case frac && op == filter.Lt:
		op = filter.Le
	}
	return col + " " + sqlOp(op) + " " + t.arg(arg), nil
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
