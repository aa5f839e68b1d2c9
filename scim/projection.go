package scim

import (
	"strings"

	"github.com/scimkit/scimkit/schema"
)

// This file resolves the attributes and excludedAttributes parameters of a request
// (RFC 7644 section 3.9). What they keep is decided by package schema's one rule
// (schema.Projector, the rule of ResourceType.Project); the encoder asks it about
// each attribute through a projection.

// An attrRef is an attribute of a resource type: top-level attribute top of schema s
// (the core schema for the common attributes), or its sub-attribute sub.
type attrRef struct {
	s        *schema.Schema
	top, sub *schema.Attribute
}

// attr returns the attribute that r names.
func (r attrRef) attr() *schema.Attribute {
	if r.sub != nil {
		return r.sub
	}
	return r.top
}

// attrIndex maps the canonical paths of a resource type's attributes ("name",
// "name.givenName", "urn:…:User:manager", "meta.created") to them.
type attrIndex map[string]attrRef

func newAttrIndex(rt *schema.ResourceType) attrIndex {
	ix := attrIndex{}
	add := func(prefix string, s *schema.Schema, attrs []*schema.Attribute) {
		for _, a := range attrs {
			p := prefix + a.Name
			ix[p] = attrRef{s: s, top: a}
			for _, sa := range a.SubAttributes {
				ix[p+"."+sa.Name] = attrRef{s: s, top: a, sub: sa}
			}
		}
	}
	add("", rt.Schema, rt.Schema.Attributes)
	add("", rt.Schema, schema.CommonAttributes)
	for _, e := range rt.Extensions {
		add(e.Schema.ID+":", e.Schema, e.Schema.Attributes)
	}
	return ix
}

// A projection is the attributes and excludedAttributes parameters of a request
// resolved to canonical paths, with the schema rule compiled for them. A nil
// *projection means the default set: every attribute returned by default.
type projection struct {
	attrs []string // canonical paths; extension URNs stand for the whole extension
	excl  []string
	ix    attrIndex
	sp    *schema.Projector
}

// newProjection resolves the two comma-separated parameters against rt, under the
// rule of schema.ResourceType.Project: names rt does not know are ignored, and an
// attributes list of only such names keeps only the attributes returned always. It
// returns nil when both parameters are empty: the default set.
func newProjection(rt *schema.ResourceType, ix attrIndex, attributes, excluded string) *projection {
	if strings.TrimSpace(attributes) == "" && strings.TrimSpace(excluded) == "" {
		return nil
	}
	attrNames, exclNames := strings.Split(attributes, ","), strings.Split(excluded, ",")
	return &projection{
		ix:    ix,
		attrs: resolvePaths(rt, attrNames),
		excl:  resolvePaths(rt, exclNames),
		sp:    rt.NewProjector(attrNames, exclNames),
	}
}

// resolvePaths returns the canonical paths of the names that name something of rt.
func resolvePaths(rt *schema.ResourceType, names []string) []string {
	var out []string
	for _, n := range names {
		if p := resolvePath(rt, strings.TrimSpace(n)); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// resolvePath returns the canonical form of one attribute path, or "".
func resolvePath(rt *schema.ResourceType, s string) string {
	if sch := rt.SchemaByURN(s); sch != nil {
		return sch.ID // a whole schema, core or extension
	}
	if ref, ok := rt.Lookup(s); ok {
		return ref.String()
	}
	// The common attributes of RFC 7643 section 3.1 live outside the schemas.
	urn, rest := rt.SplitURN(s)
	if urn != "" && urn != rt.Schema.ID {
		return ""
	}
	name, sub, _ := strings.Cut(rest, ".")
	switch {
	case strings.EqualFold(name, "id") && sub == "":
		return "id"
	case strings.EqualFold(name, "externalId") && sub == "":
		return "externalId"
	case strings.EqualFold(name, "meta"):
		if sub == "" {
			return "meta"
		}
		for _, m := range metaSubs {
			if strings.EqualFold(sub, m) {
				return "meta." + m
			}
		}
	}
	return ""
}

var metaSubs = []string{"resourceType", "created", "lastModified", "location", "version"}

// Projection returns the store-facing form of p.
func (p *projection) Projection() Projection {
	if p == nil {
		return Projection{}
	}
	return Projection{Attributes: p.attrs, ExcludedAttributes: p.excl}
}

// want reports whether the top-level attribute at the canonical path (a core
// attribute name, a common attribute, or an extension attribute's "urn:…:name") is
// in the response.
func (p *projection) want(path string) bool {
	if p == nil {
		return true // every typed field is returned by default; the encoder checks extensions
	}
	r, ok := p.ix[path]
	return ok && p.sp.Keep(r.s, r.top)
}

// wantSub reports whether sub-attribute sub of the top-level attribute at path is in
// the response, given that the attribute is.
func (p *projection) wantSub(path, sub string) bool {
	if p == nil {
		return true
	}
	r, ok := p.ix[path+"."+sub]
	return ok && p.sp.KeepSub(r.s, r.top, r.sub)
}
