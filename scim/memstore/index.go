package memstore

import (
	"slices"
	"strings"
	"unicode/utf8"

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
	// folded, for an index that ignores case (foldKey), returns a record's value. Its
	// hits surely match when they and the value are ASCII, where ignoring case has one
	// meaning; otherwise the filter decides.
	folded func(R) string
}

var userLookups = []lookup[*userRec]{
	{"userName", func(t *tenant, v string) []*userRec {
		if r := t.userByName[foldKey(v)]; r != nil {
			return []*userRec{r}
		}
		return nil
	}, func(r *userRec) string { _, _, name := userKeys(r.data); return name }},
	{"externalId", func(t *tenant, v string) []*userRec { return t.userByExt.find(v) }, nil},
}

var groupLookups = []lookup[*groupRec]{
	{"displayName", func(t *tenant, v string) []*groupRec { return t.groupByName.find(foldKey(v)) },
		func(g *groupRec) string { return g.displayName }},
	{"externalId", func(t *tenant, v string) []*groupRec { return t.groupByExt.find(v) }, nil},
}

// candidates returns, in default order, the records of tb that can match f: when f
// (or a conjunct of its top-level "and") compares id or an attribute of lookups (the
// earlier the better) with eq, the records the index gives, else every record. The
// slice must not be modified. exact reports that the records are exactly those that
// match f, so that the filter need not be evaluated.
func candidates[R record](t *tenant, tb *table[R], f filter.Expr, core string, lookups []lookup[R]) (rs []R, exact bool) {
	if f == nil {
		return tb.order, true
	}
	cs := conjuncts(f, make([]filter.Expr, 0, 4))
	best, value := len(lookups), ""
	for _, c := range cs {
		name, v, ok := indexable(c, core)
		if !ok {
			continue
		}
		if strings.EqualFold(name, "id") {
			if r, ok := tb.byID[v]; ok {
				return []R{r}, len(cs) == 1
			}
			return []R{}, true
		}
		for i, lk := range lookups[:best] {
			if strings.EqualFold(name, lk.attr) {
				best, value, rs = i, v, lk.find(t, v)
				break
			}
		}
	}
	if best == len(lookups) {
		return tb.order, false
	}
	exact = len(cs) == 1
	if folded := lookups[best].folded; folded != nil {
		exact = exact && isASCII(value) && !slices.ContainsFunc(rs, func(r R) bool { return !isASCII(folded(r)) })
	}
	if rs == nil {
		return []R{}, true
	}
	slices.SortFunc(rs, compareOrder)
	return rs, exact
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// A chains indexes records by a key that several may share (externalId, a group's
// displayName): heads holds the newest record of each key, and each record links to
// the next one with the field that next returns.
type chains[R record] struct {
	heads map[string]R
	next  func(R) *R
}

// add indexes r under k, unless k is empty.
func (c chains[R]) add(k string, r R) {
	if k != "" {
		*c.next(r) = c.heads[k]
		c.heads[k] = r
	}
}

// remove unindexes r, which was indexed under k.
func (c chains[R]) remove(k string, r R) {
	var none R
	if k == "" {
		return
	}
	if n := *c.next(r); c.heads[k] == r && n == none {
		delete(c.heads, k)
	} else if c.heads[k] == r {
		c.heads[k] = n
	} else {
		for p := c.heads[k]; p != none; p = *c.next(p) {
			if *c.next(p) == r {
				*c.next(p) = n
				break
			}
		}
	}
	*c.next(r) = none
}

// find returns the records indexed under k, in any order.
func (c chains[R]) find(k string) []R {
	var out []R
	var none R
	for r := c.heads[k]; r != none; r = *c.next(r) {
		out = append(out, r)
	}
	return out
}
