package memstore

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/scimkit/scimkit/filter"
	"github.com/scimkit/scimkit/schema"
	"github.com/scimkit/scimkit/scim"
)

// ListUsers returns one page of the tenant's users that match q.Filter, in q's order.
// See the [Store] type for which filters use an index.
func (s *Store) ListUsers(ctx context.Context, q scim.Query) (*scim.Page[scim.User], error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rt := s.userType()
	l, err := newLister(rt, q)
	if err != nil {
		return nil, err
	}
	need := userNeeds(q.Filter, l.sort)
	page := &scim.Page[scim.User]{}
	t := s.tenant(ctx, false)
	if t == nil {
		page.Resources = []*scim.User{}
		return page, nil
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	cands, err := run(ctx, l, t.userCandidates(q.Filter), func(r *userRec) map[string]any {
		return r.filterTree(need)
	})
	if err != nil {
		return nil, err
	}
	page.Total = len(cands)
	sel := pageOf(cands, q)
	page.Resources = make([]*scim.User, len(sel))
	for i, r := range sel {
		page.Resources[i] = r.user()
	}
	return page, nil
}

// ListGroups returns one page of the tenant's groups that match q.Filter, in q's order,
// with Members nil when q.Projection excludes members. A filter on members reads every
// member of every group it tests.
func (s *Store) ListGroups(ctx context.Context, q scim.Query) (*scim.Page[scim.Group], error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	rt := s.groupType()
	l, err := newLister(rt, q)
	if err != nil {
		return nil, err
	}
	withMembers := refersTo(q.Filter, "members") || l.sort != nil && l.sort.key == "members"
	page := &scim.Page[scim.Group]{}
	t := s.tenant(ctx, false)
	if t == nil {
		page.Resources = []*scim.Group{}
		return page, nil
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	cands, err := run(ctx, l, t.groupCandidates(q.Filter), func(g *groupRec) map[string]any {
		return g.groupTree(withMembers)
	})
	if err != nil {
		return nil, err
	}
	page.Total = len(cands)
	sel := pageOf(cands, q)
	page.Resources = make([]*scim.Group, len(sel))
	members := s.includesMembers(q.Projection)
	for i, g := range sel {
		page.Resources[i] = g.group(members)
	}
	return page, nil
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

func newLister(rt *schema.ResourceType, q scim.Query) (*lister, error) {
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

// run returns the records of cands (in default order) that match, in the requested
// order. cands is not modified. tree builds the resource tree of a record for the
// filter and the sort key.
func run[R any](ctx context.Context, l *lister, cands []R, tree func(R) map[string]any) ([]R, error) {
	if l.match == nil && l.sort == nil {
		return cands, nil
	}
	out := make([]R, 0, min(len(cands), 1024))
	var keys []sortValue
	for i, r := range cands {
		if i&1023 == 1023 {
			if err := ctx.Err(); err != nil {
				return nil, err
			}
		}
		t := tree(r)
		if l.match != nil && !l.match.Match(t) {
			continue
		}
		out = append(out, r)
		if l.sort != nil {
			keys = append(keys, l.sort.value(t))
		}
	}
	if l.sort != nil {
		idx := make([]int, len(out))
		for i := range idx {
			idx[i] = i
		}
		slices.SortStableFunc(idx, func(a, b int) int { return compareSort(keys[a], keys[b], l.desc) })
		sorted := make([]R, len(out))
		for i, j := range idx {
			sorted[i] = out[j]
		}
		out = sorted
	}
	return out, nil
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

// userCandidates returns, in default order, the users that can match f: when f (or a
// conjunct of its top-level "and") compares id, userName or externalId with eq, the
// users an index gives, else every user. The slice must not be modified.
func (t *tenant) userCandidates(f filter.Expr) []*userRec {
	if f == nil {
		return t.userOrder
	}
	best := -1
	var out []*userRec
	for _, c := range conjuncts(f, make([]filter.Expr, 0, 4)) {
		name, v, ok := indexable(c, schema.UserURN)
		if !ok {
			continue
		}
		switch {
		case strings.EqualFold(name, "id"):
			out = out[:0]
			if r := t.users[v]; r != nil {
				out = append(out, r)
			}
			return out
		case strings.EqualFold(name, "userName") && best < 2:
			best = 2
			out = out[:0]
			if r := t.userByName[foldKey(v)]; r != nil {
				out = append(out, r)
			}
		case strings.EqualFold(name, "externalId") && best < 1:
			best = 1
			out = out[:0]
			for r := t.userByExt[v]; r != nil; r = r.nextExt {
				out = append(out, r)
			}
			sortOrdered(out)
		}
	}
	if best < 0 {
		return t.userOrder
	}
	if out == nil {
		out = []*userRec{}
	}
	return out
}

// groupCandidates is userCandidates for groups: id, displayName and externalId.
func (t *tenant) groupCandidates(f filter.Expr) []*groupRec {
	if f == nil {
		return t.groupOrder
	}
	best := -1
	var out []*groupRec
	for _, c := range conjuncts(f, make([]filter.Expr, 0, 4)) {
		name, v, ok := indexable(c, schema.GroupURN)
		if !ok {
			continue
		}
		switch {
		case strings.EqualFold(name, "id"):
			out = out[:0]
			if g := t.groups[v]; g != nil {
				out = append(out, g)
			}
			return out
		case strings.EqualFold(name, "displayName") && best < 2:
			best = 2
			out = out[:0]
			for g := t.groupByName[foldKey(v)]; g != nil; g = g.nextName {
				out = append(out, g)
			}
			sortOrdered(out)
		case strings.EqualFold(name, "externalId") && best < 1:
			best = 1
			out = out[:0]
			for g := t.groupByExt[v]; g != nil; g = g.nextExt {
				out = append(out, g)
			}
			sortOrdered(out)
		}
	}
	if best < 0 {
		return t.groupOrder
	}
	if out == nil {
		out = []*groupRec{}
	}
	return out
}

func sortOrdered[R ordered](s []R) {
	if len(s) < 2 {
		return
	}
	slices.SortFunc(s, func(a, b R) int {
		bc, bid := b.key()
		return compareOrder(a, bc, bid)
	})
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

// userFields maps top-level keys of a user tree to decodeUser fields.
var userFields = map[string]int{
	"id": fID, "externalId": fExternalID, "userName": fUserName, "displayName": fDisplayName,
	"nickName": fNickName, "profileUrl": fProfileURL, "title": fTitle, "userType": fUserType,
	"preferredLanguage": fPreferredLanguage, "locale": fLocale, "timezone": fTimezone,
	"name": fName, "emails": fEmails, "phoneNumbers": fPhoneNumbers, "ims": fIMs,
	"photos": fPhotos, "entitlements": fEntitlements, "roles": fRoles,
	"x509Certificates": fX509Certificates, "addresses": fAddresses,
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
			i, ok := userFields[name]
			if !ok {
				for k, v := range userFields {
					if strings.EqualFold(k, name) {
						i, ok = v, true
					}
				}
			}
			if !ok {
				return false
			}
			n.mask |= 1 << i
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
		u.Meta = scim.Meta{Created: r.created, LastModified: r.modified, Version: r.version}
	}
	if n.ext {
		u.Extensions = r.ext // Tree copies them.
	}
	return u.Tree()
}

func (g *groupRec) groupTree(withMembers bool) map[string]any {
	out := scim.Group{
		ID: g.id, ExternalID: g.externalID, DisplayName: g.displayName, Extensions: g.ext,
		Meta: scim.Meta{Created: g.created, LastModified: g.modified, Version: formatVersion(g.version)},
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
