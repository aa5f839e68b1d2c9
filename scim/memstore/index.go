package memstore

import (
	"slices"
	"strings"

	"github.com/scimkit/scimkit/filter"
)

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

// unchain removes g from the chain m[k] whose links next returns; it serves the
// chains of both users and groups.
func unchain[R any](m map[string]*R, k string, g *R, next func(*R) **R) {
	if m[k] == g {
		if n := *next(g); n == nil {
			delete(m, k)
		} else {
			m[k] = n
		}
	} else {
		for p := m[k]; p != nil; p = *next(p) {
			if *next(p) == g {
				*next(p) = *next(g)
				break
			}
		}
	}
	*next(g) = nil
}
