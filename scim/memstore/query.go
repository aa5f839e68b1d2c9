package memstore

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/scimkit/scimkit/filter"
	"github.com/scimkit/scimkit/schema"
	"github.com/scimkit/scimkit/scim"
)

// ListUsers returns one page of the tenant's users that match q.Filter, in q's order.
// See the [Store] type for which filters use an index and what a scan costs.
func (s *Store) ListUsers(ctx context.Context, q scim.Query) (*scim.Page[scim.User], error) {
	l, err := newLister(ctx, s.userType(), q)
	if err != nil {
		return nil, err
	}
	need := userNeeds(q.Filter, l.sort)
	return list(ctx, s.tenant(ctx, false), l, q,
		func(t *tenant) []*userRec { return candidates(t, &t.users, q.Filter, schema.UserURN, userLookups) },
		func(r *userRec) map[string]any { return r.filterTree(need) },
		(*userRec).user)
}

// ListGroups returns one page of the tenant's groups that match q.Filter, in q's order,
// with Members nil when q.Projection excludes members. A filter on members reads every
// member of every group it tests.
func (s *Store) ListGroups(ctx context.Context, q scim.Query) (*scim.Page[scim.Group], error) {
	l, err := newLister(ctx, s.groupType(), q)
	if err != nil {
		return nil, err
	}
	withMembers := refersTo(q.Filter, "members") || l.sort != nil && l.sort.key == "members"
	members := s.includesMembers(q.Projection)
	return list(ctx, s.tenant(ctx, false), l, q,
		func(t *tenant) []*groupRec { return candidates(t, &t.groups, q.Filter, schema.GroupURN, groupLookups) },
		func(g *groupRec) map[string]any { return g.groupTree(withMembers) },
		func(g *groupRec) *scim.Group { return g.group(members) })
}

// SortsBy reports whether ListUsers (resourceType "User") or ListGroups ("Group") can
// order by the attribute at path: any attribute of the resource type but a singular
// complex one, such as name. It implements [scim.Sorter].
func (s *Store) SortsBy(resourceType, path string) bool {
	var rt *schema.ResourceType
	switch resourceType {
	case s.userType().Name:
		rt = s.userType()
	case s.groupType().Name:
		rt = s.groupType()
	default:
		return false
	}
	_, err := newSortSpec(rt, path)
	return err == nil
}

// chunk is how many records a list reads per hold of the tenant's read lock.
const chunk = 256

// scanChunkHook, when set by a test, runs between two chunks of a scan, with no lock
// held.
var scanChunkHook func()

// list returns the page that q asks for of the records of one kind: candidates gives
// the records an index yields, or all of them, in default order; tree gives a record's
// resource tree for l, and out the copy returned to the caller.
func list[R record, T any](ctx context.Context, t *tenant, l *lister, q scim.Query,
	candidates func(*tenant) []R, tree func(R) map[string]any, out func(R) *T) (*scim.Page[T], error) {
	page := &scim.Page[T]{Resources: []*T{}}
	if t == nil {
		return page, nil
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	rs := candidates(t)
	if l.match != nil || l.sort != nil {
		var err error
		if rs, err = scan(ctx, t, l, rs, tree); err != nil {
			return nil, err
		}
	}
	page.Total = len(rs)
	sel := pageOf(rs, q)
	page.Resources = make([]*T, len(sel))
	for i, r := range sel {
		page.Resources[i] = out(r)
	}
	return page, nil
}

// scan returns the records of rs (in default order) that l matches, in l's order. It
// is called, and returns, holding the tenant's read lock, which it releases between
// chunks of records and while it sorts, so that a costly filter or sort holds back a
// write for at most one chunk; ctx is checked between chunks. A record deleted
// meanwhile is left out; one replaced meanwhile is read as it is then.
func scan[R record](ctx context.Context, t *tenant, l *lister, rs []R, tree func(R) map[string]any) ([]R, error) {
	out := make([]R, 0, min(len(rs), 1024))
	var keys []sortValue
	for start := 0; start < len(rs); start += chunk {
		if start > 0 {
			t.mu.RUnlock()
			if scanChunkHook != nil {
				scanChunkHook()
			}
			err := ctx.Err()
			t.mu.RLock()
			if err != nil {
				return nil, fmt.Errorf("memstore: list stopped after %d of %d resources: %w", start, len(rs), err)
			}
		}
		for _, r := range rs[start:min(start+chunk, len(rs))] {
			if r.state().deleted {
				continue
			}
			tr := tree(r)
			if l.match != nil && !l.match.Match(tr) {
				continue
			}
			out = append(out, r)
			if l.sort != nil {
				keys = append(keys, l.sort.value(tr))
			}
		}
	}
	if l.sort == nil {
		return out, nil
	}
	t.mu.RUnlock()
	defer t.mu.RLock()
	idx := make([]int, len(out))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return compareSort(keys[a], keys[b], l.desc) })
	sorted := make([]R, len(out))
	for i, j := range idx {
		sorted[i] = out[j]
	}
	return sorted, nil
}

func (s *Store) userType() *schema.ResourceType {
	if s.opts.UserType != nil {
		return s.opts.UserType
	}
	return schema.UserResourceType
}

func (s *Store) groupType() *schema.ResourceType {
	if s.opts.GroupType != nil {
		return s.opts.GroupType
	}
	return schema.GroupResourceType
}

// includesMembers reports whether a response with projection p shows members.
func (s *Store) includesMembers(p scim.Projection) bool {
	if len(p.Attributes) == 0 && len(p.ExcludedAttributes) == 0 {
		return true
	}
	return s.groupType().Includes(p.Attributes, p.ExcludedAttributes, "members")
}

// A lister filters and sorts the records of one list request.
type lister struct {
	match *filter.Matcher // nil: every record matches
	sort  *sortSpec       // nil: default order
	desc  bool
}

func newLister(ctx context.Context, rt *schema.ResourceType, q scim.Query) (*lister, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	l := &lister{desc: q.Descending}
	if q.Filter != nil {
		m, err := filter.Compile(q.Filter, rt)
		if err != nil {
			return nil, err
		}
		l.match = m
	}
	if q.SortBy != "" {
		sp, err := newSortSpec(rt, q.SortBy)
		if err != nil {
			return nil, err
		}
		l.sort = sp
	}
	return l, nil
}

// pageOf returns the page of rs that q asks for.
func pageOf[R any](rs []R, q scim.Query) []R {
	start := max(q.StartIndex, 1) - 1
	if start >= len(rs) || q.Count <= 0 {
		return nil
	}
	return rs[start:min(len(rs), start+q.Count)]
}

// ---- index use ----

// conjuncts appends to out the operands of the top-level "and" chain of e.
func conjuncts(e filter.Expr, out []filter.Expr) []filter.Expr {
	if l, ok := e.(*filter.Logical); ok && l.Op == filter.And {
		return conjuncts(l.Right, conjuncts(l.Left, out))
	}
	return append(out, e)
}

// indexable returns the attribute name and string value of a conjunct of the form
// `attr eq "value"` on a core attribute; ok is false otherwise.
func indexable(e filter.Expr, core string) (name, value string, ok bool) {
	c, isCmp := e.(*filter.Compare)
	if !isCmp || c.Op != filter.Eq || c.Path.Sub != "" || (c.Path.URN != "" && !strings.EqualFold(c.Path.URN, core)) {
		return "", "", false
	}
	v, isStr := c.Value.(string)
	return c.Path.Name, v, isStr
}

// A lookup finds, through an index, the records whose attribute attr equals a value.
type lookup[R record] struct {
	attr string
	find func(t *tenant, v string) []R // in any order
}

var userLookups = []lookup[*userRec]{
	{"userName", func(t *tenant, v string) []*userRec {
		if r := t.userByName[foldKey(v)]; r != nil {
			return []*userRec{r}
		}
		return nil
	}},
	{"externalId", func(t *tenant, v string) []*userRec {
		return walk(t.userByExt[v], func(r *userRec) *userRec { return r.nextExt })
	}},
}

var groupLookups = []lookup[*groupRec]{
	{"displayName", func(t *tenant, v string) []*groupRec {
		return walk(t.groupByName[foldKey(v)], func(g *groupRec) *groupRec { return g.nextName })
	}},
	{"externalId", func(t *tenant, v string) []*groupRec {
		return walk(t.groupByExt[v], func(g *groupRec) *groupRec { return g.nextExt })
	}},
}

// walk returns the records of the chain that starts at head.
func walk[R comparable](head R, next func(R) R) []R {
	var out []R
	var zero R
	for r := head; r != zero; r = next(r) {
		out = append(out, r)
	}
	return out
}

// candidates returns, in default order, the records of tb that can match f: when f
// (or a conjunct of its top-level "and") compares id or an attribute of lookups (the
// earlier the better) with eq, the records the index gives, else every record. The
// slice must not be modified.
func candidates[R record](t *tenant, tb *table[R], f filter.Expr, core string, lookups []lookup[R]) []R {
	if f == nil {
		return tb.order
	}
	best := len(lookups)
	var out []R
	for _, c := range conjuncts(f, make([]filter.Expr, 0, 4)) {
		name, v, ok := indexable(c, core)
		if !ok {
			continue
		}
		if strings.EqualFold(name, "id") {
			if r, ok := tb.byID[v]; ok {
				return []R{r}
			}
			return []R{}
		}
		for i, lk := range lookups[:best] {
			if strings.EqualFold(name, lk.attr) {
				best, out = i, lk.find(t, v)
				break
			}
		}
	}
	if best == len(lookups) {
		return tb.order
	}
	if out == nil {
		return []R{}
	}
	slices.SortFunc(out, compareOrder)
	return out
}

// ---- trees for filtering ----

// A needs says which parts of a user tree a filter or sort reads.
type needs struct {
	mask   uint64 // decodeUser fields
	groups bool
	meta   bool
	ext    bool
}

var allNeeds = needs{mask: ^uint64(0), groups: true, meta: true, ext: true}

// userFields maps the name of each core User attribute and common attribute of package
// schema's definitions to the bits of the encoding (see encodeUser) that hold it, found by encoding a user
// that has only that attribute. Attributes that are not encoded (active, groups,
// meta) are absent.
var userFields = func() map[string]uint64 {
	m := make(map[string]uint64)
	for _, a := range slices.Concat(schema.CommonAttributes, schema.User.Attributes) {
		u, err := scim.UserFromTree(map[string]any{a.Name: sampleValue(a)})
		if err != nil {
			continue // a filter on it decodes everything
		}
		data, _ := encodeUser(u, u.ID, 0)
		if set := (&decoder{s: data}).uvarint(); set != 0 {
			m[a.Name] = set
		}
	}
	return m
}()

// sampleValue returns a value of attribute a with every string sub-attribute set.
func sampleValue(a *schema.Attribute) any {
	var v any = "x"
	if a.Type == schema.Complex {
		sub := make(map[string]any)
		for _, s := range a.SubAttributes {
			if s.Type == schema.String || s.Type == schema.Reference {
				sub[s.Name] = "x"
			}
		}
		v = sub
	}
	if a.MultiValued {
		return []any{v}
	}
	return v
}

// userNeeds returns the parts of a user tree that f and sp read.
func userNeeds(f filter.Expr, sp *sortSpec) needs {
	var n needs
	add := func(urn, name string) bool {
		switch {
		case urn != "" && strings.EqualFold(urn, schema.EnterpriseUserURN):
			n.mask |= 1 << fEnterprise
		case urn != "" && !strings.EqualFold(urn, schema.UserURN):
			n.ext = true
		case strings.EqualFold(name, "active"):
		case strings.EqualFold(name, "groups"):
			n.groups = true
		case strings.EqualFold(name, "meta"):
			n.meta = true
		default:
			bits, ok := userFields[name]
			if !ok {
				for k, v := range userFields {
					if strings.EqualFold(k, name) {
						bits, ok = v, true
					}
				}
			}
			if !ok {
				return false
			}
			n.mask |= bits
		}
		return true
	}
	ok := walkPaths(f, func(p filter.AttrPath) bool { return add(p.URN, p.Name) })
	if ok && sp != nil {
		ok = add(sp.urn, sp.key)
	}
	if !ok {
		return allNeeds
	}
	return n
}

// walkPaths calls fn for the path of every comparison and value path in e, stopping
// and returning false when fn does.
func walkPaths(e filter.Expr, fn func(filter.AttrPath) bool) bool {
	switch e := e.(type) {
	case nil:
		return true
	case *filter.Compare:
		return fn(e.Path)
	case *filter.ValuePath:
		return fn(e.Path)
	case *filter.Logical:
		return walkPaths(e.Left, fn) && walkPaths(e.Right, fn)
	case *filter.Not:
		return walkPaths(e.X, fn)
	}
	return false
}

// refersTo reports whether e reads the core attribute name (or may: an unknown node).
func refersTo(e filter.Expr, name string) bool {
	return !walkPaths(e, func(p filter.AttrPath) bool {
		return p.URN != "" && !strings.EqualFold(p.URN, schema.GroupURN) || !strings.EqualFold(p.Name, name)
	})
}

// filterTree returns the tree of r with (at least) the parts n names.
func (r *userRec) filterTree(n needs) map[string]any {
	u := scim.User{Active: r.active}
	decodeUser(r.data, &u, n.mask)
	if n.groups {
		u.Groups = r.groupRefs()
	}
	if n.meta {
		u.Meta = scim.Meta{Created: r.created, LastModified: r.modified, Version: r.version()}
	}
	if n.ext {
		u.Extensions = r.ext // Tree copies them.
	}
	return u.Tree()
}

func (g *groupRec) groupTree(withMembers bool) map[string]any {
	out := scim.Group{
		ID: g.id, ExternalID: g.externalID, DisplayName: g.displayName, Extensions: g.ext,
		Meta: scim.Meta{Created: g.created, LastModified: g.modified, Version: g.ver},
	}
	if withMembers {
		out.Members = g.memberList()
	}
	return out.Tree()
}

// ---- sorting ----

// A sortSpec says where a sort key lives in a resource tree and how to compare it.
type sortSpec struct {
	urn   string // extension URN holding the attribute, or ""
	key   string // the attribute's name
	sub   string // sub-attribute, or ""
	multi bool
	typ   schema.Type
	exact bool // caseExact
}

func newSortSpec(rt *schema.ResourceType, path string) (*sortSpec, error) {
	ref, ok := rt.Lookup(path)
	if !ok {
		return nil, &scim.Error{Status: 400, ScimType: "invalidValue", Detail: "sortBy " + strconv.Quote(path) + " names no attribute"}
	}
	sp := &sortSpec{key: ref.Attr.Name, multi: ref.Attr.MultiValued}
	if ref.Extension {
		sp.urn = ref.Schema.ID
	}
	target := ref.Target()
	if ref.Sub != nil {
		sp.sub = ref.Sub.Name
	} else if ref.Attr.Type == schema.Complex {
		v := ref.Attr.SubAttribute("value")
		if !ref.Attr.MultiValued || v == nil {
			return nil, &scim.Error{Status: 400, ScimType: "invalidValue", Detail: "sortBy " + strconv.Quote(path) + " names a complex attribute"}
		}
		sp.sub, target = v.Name, v
	}
	sp.typ, sp.exact = target.Type, target.CaseExact
	return sp, nil
}

// A sortValue is the sort key of one resource.
type sortValue struct {
	kind int // 0 missing, 1 string, 2 number, 3 time, 4 bool
	s    string
	n    float64
	t    time.Time
}

// value returns the sort key of tree: for a multi-valued attribute the primary value,
// else the first.
func (sp *sortSpec) value(tree map[string]any) sortValue {
	var v any = tree
	if sp.urn != "" {
		v = tree[sp.urn]
	}
	m, _ := v.(map[string]any)
	v = m[sp.key]
	if sp.multi {
		l, _ := v.([]any)
		v = nil
		if len(l) > 0 {
			v = l[0]
		}
		for _, e := range l {
			if em, ok := e.(map[string]any); ok && em["primary"] == true {
				v = e
				break
			}
		}
	}
	if sp.sub != "" {
		m, _ := v.(map[string]any)
		v = m[sp.sub]
	}
	switch x := v.(type) {
	case string:
		switch sp.typ {
		case schema.DateTime:
			if t, err := time.Parse(time.RFC3339Nano, x); err == nil {
				return sortValue{kind: 3, t: t}
			}
		case schema.String:
			if !sp.exact {
				// As package filter orders strings for gt and lt.
				x = strings.ToLower(x)
			}
		}
		return sortValue{kind: 1, s: x}
	case json.Number:
		if f, err := x.Float64(); err == nil {
			return sortValue{kind: 2, n: f}
		}
		return sortValue{kind: 1, s: x.String()}
	case bool:
		if x {
			return sortValue{kind: 4, n: 1}
		}
		return sortValue{kind: 4}
	}
	return sortValue{}
}

// compareSort orders a and b: missing values last whatever the direction, present
// values ascending or, with desc, descending.
func compareSort(a, b sortValue, desc bool) int {
	if a.kind == 0 || b.kind == 0 {
		switch {
		case a.kind == b.kind:
			return 0
		case a.kind == 0:
			return 1
		}
		return -1
	}
	c := 0
	switch {
	case a.kind != b.kind:
		c = a.kind - b.kind
	case a.kind == 1:
		c = strings.Compare(a.s, b.s)
	case a.kind == 3:
		c = a.t.Compare(b.t)
	case a.n < b.n:
		c = -1
	case a.n > b.n:
		c = 1
	}
	if desc {
		return -c
	}
	return c
}
