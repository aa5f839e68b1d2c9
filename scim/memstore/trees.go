package memstore

import (
	"slices"
	"strings"

	"github.com/scimkit/scimkit/filter"
	"github.com/scimkit/scimkit/schema"
	"github.com/scimkit/scimkit/scim"
)

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
