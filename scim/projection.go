package scim

import (
	"strings"

	"github.com/scimkit/scimkit/schema"
)

// attrIndex maps canonical attribute paths of a resource type ("name",
// "name.givenName", "urn:…:User:manager") to their definitions, for projection.
type attrIndex map[string]*schema.Attribute

func newAttrIndex(rt *schema.ResourceType) attrIndex {
	ix := attrIndex{}
	add := func(prefix string, s *schema.Schema) {
		for _, a := range s.Attributes {
			p := prefix + a.Name
			ix[p] = a
			for _, sa := range a.SubAttributes {
				ix[p+"."+sa.Name] = sa
			}
		}
	}
	add("", rt.Schema)
	for _, e := range rt.Extensions {
		add(e.Schema.ID+":", e.Schema)
	}
	return ix
}

// returned returns the returned characteristic of a canonical path; the common
// attributes id (always) and meta, externalId (default) are not in the schemas.
func (ix attrIndex) returned(path string) schema.Returned {
	if path == "id" {
		return schema.Always
	}
	if a := ix[path]; a != nil && a.Returned != "" {
		return a.Returned
	}
	return schema.Default
}

// A projection is the attributes and excludedAttributes parameters of a request
// resolved to canonical paths (RFC 7644 section 3.9). A nil *projection means the
// default set: every attribute returned by default.
type projection struct {
	attrs []string // canonical paths; extension URNs stand for the whole extension
	excl  []string
	ix    attrIndex
}

// newProjection resolves the two comma-separated parameters against rt. Names that
// resolve to no attribute are ignored (RFC-ATTR-1). It returns nil when the result is
// the default set.
func newProjection(rt *schema.ResourceType, ix attrIndex, attributes, excluded string) *projection {
	p := &projection{ix: ix}
	p.attrs = resolvePaths(rt, attributes)
	if len(p.attrs) == 0 {
		p.excl = resolvePaths(rt, excluded)
	}
	if len(p.attrs) == 0 && len(p.excl) == 0 {
		return nil
	}
	return p
}

func resolvePaths(rt *schema.ResourceType, list string) []string {
	var out []string
	for list != "" {
		var part string
		part, list, _ = strings.Cut(list, ",")
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if p := resolvePath(rt, part); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// resolvePath returns the canonical form of one attribute path, or "".
func resolvePath(rt *schema.ResourceType, s string) string {
	if ext := rt.SchemaByURN(s); ext != nil {
		if ext == rt.Schema {
			return ""
		}
		return ext.ID
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

// want reports whether the top-level attribute path (a core attribute name, "meta",
// or an extension attribute's "urn:…:name") is in the response. urn is the
// extension's URN for extension attributes, else "".
func (p *projection) want(path, urn string) bool {
	if p == nil {
		return true // the encoder checks returned:never/request itself on this path
	}
	ret := p.ix.returned(path)
	switch ret {
	case schema.Always:
		return true
	case schema.Never:
		return false
	}
	if len(p.attrs) > 0 {
		for _, a := range p.attrs {
			if a == path || (urn != "" && a == urn) || (len(a) > len(path) && a[len(path)] == '.' && a[:len(path)] == path) {
				return true
			}
		}
		return false
	}
	if ret == schema.Request {
		return false
	}
	for _, a := range p.excl {
		if a == path || (urn != "" && a == urn) {
			return false
		}
	}
	return true
}

// wantSub reports whether sub-attribute sub of a wanted attribute path is in the
// response.
func (p *projection) wantSub(path, sub string) bool {
	if p == nil {
		return true
	}
	full := path + "." + sub
	switch p.ix.returned(full) {
	case schema.Always:
		return true
	case schema.Never:
		return false
	}
	if len(p.attrs) > 0 {
		urn, _ := splitExtPath(path)
		for _, a := range p.attrs {
			if a == path || a == full || (urn != "" && a == urn) {
				return true
			}
		}
		return false
	}
	for _, a := range p.excl {
		if a == full {
			return false
		}
	}
	return true
}

// splitExtPath splits "urn:…:User:manager" into the URN and "manager"; a core path
// yields "" and the path.
func splitExtPath(path string) (urn, rest string) {
	if !strings.HasPrefix(path, "urn:") {
		return "", path
	}
	i := strings.LastIndexByte(path, ':')
	return path[:i], path[i+1:]
}
