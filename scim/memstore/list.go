package memstore

import (
	"context"
	"fmt"
	"slices"

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
		func(t *tenant) ([]*userRec, bool) {
			return candidates(t, &t.users, q.Filter, schema.UserURN, userLookups)
		},
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
		func(t *tenant) ([]*groupRec, bool) {
			return candidates(t, &t.groups, q.Filter, schema.GroupURN, groupLookups)
		},
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
// the records an index yields, or all of them, in default order, and whether they are
// exactly the matches; tree gives a record's resource tree for l, and out the copy
// returned to the caller.
func list[R record, T any](ctx context.Context, t *tenant, l *lister, q scim.Query,
	candidates func(*tenant) ([]R, bool), tree func(R) map[string]any, out func(R) *T) (*scim.Page[T], error) {
	page := &scim.Page[T]{Resources: []*T{}}
	if t == nil {
		return page, nil
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	rs, exact := candidates(t)
	if l.match != nil && !exact || l.sort != nil {
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
