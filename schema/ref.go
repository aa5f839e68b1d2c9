package schema

import "strings"

// A Ref names one attribute of a resource type, and optionally one of its sub-attributes,
// by its definitions. The zero Ref names nothing.
type Ref struct {
	Schema *Schema    // the core schema or an extension schema of the resource type
	Attr   *Attribute // the top-level attribute
	Sub    *Attribute // the sub-attribute, or nil for Attr itself
	// Extension is true when Schema is an extension schema: the attribute then lives
	// under the schema URN in a resource tree.
	Extension bool
}

// IsZero reports whether r names nothing.
func (r Ref) IsZero() bool { return r.Attr == nil }

// Target returns the attribute r finally names: Sub if set, else Attr.
func (r Ref) Target() *Attribute {
	if r.Sub != nil {
		return r.Sub
	}
	return r.Attr
}

// Resolve returns the Ref for a path given as an optional schema URN, an attribute name and an
// optional sub-attribute name, all compared ignoring case. An empty urn means the core schema;
// when no core attribute has that name the [CommonAttributes] (id, externalId, meta) are
// searched, and then nothing else: the extensions are not searched. A common attribute
// resolves with Schema set to the core schema and Extension false. The second result
// is false if the path names no attribute of rt.
func (rt *ResourceType) Resolve(urn, name, sub string) (Ref, bool) {
	s := rt.Schema
	if urn != "" {
		s = rt.SchemaByURN(urn)
		if s == nil {
			return Ref{}, false
		}
	}
	a := s.Attribute(name)
	if a == nil && s == rt.Schema {
		a = find(CommonAttributes, name)
	}
	if a == nil {
		return Ref{}, false
	}
	r := Ref{Schema: s, Attr: a, Extension: s != rt.Schema}
	if sub != "" {
		r.Sub = a.SubAttribute(sub)
		if r.Sub == nil {
			return Ref{}, false
		}
	}
	return r, true
}

// SchemaByURN returns the core schema or the extension schema of rt whose ID equals urn
// ignoring case, or nil.
func (rt *ResourceType) SchemaByURN(urn string) *Schema {
	if sameURN(rt.Schema.ID, urn) {
		return rt.Schema
	}
	for _, e := range rt.Extensions {
		if sameURN(e.Schema.ID, urn) {
			return e.Schema
		}
	}
	return nil
}

// sameURN compares two schema URNs ignoring case. URNs are ASCII, so the lengths must
// be equal, which rules most candidates out before any folding.
func sameURN(a, b string) bool {
	return len(a) == len(b) && (a == b || strings.EqualFold(a, b))
}

// Lookup resolves a textual attribute path without filters: "userName", "name.givenName",
// "NAME.GIVENNAME", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value",
// or a bare extension URN's attribute. It returns false if the path names no attribute of rt.
func (rt *ResourceType) Lookup(path string) (Ref, bool) {
	urn, rest := rt.SplitURN(path)
	name, sub, _ := strings.Cut(rest, ".")
	return rt.Resolve(urn, name, sub)
}

// SplitURN splits a path that starts with the URN of one of rt's schemas (compared ignoring
// case) into that URN, in its canonical spelling, and the rest after the separating colon.
// A path with no such prefix is returned whole as rest with an empty urn.
func (rt *ResourceType) SplitURN(path string) (urn, rest string) {
	if len(path) < 4 || !strings.EqualFold(path[:4], "urn:") {
		return "", path
	}
	try := func(s *Schema) bool {
		id := s.ID
		if len(path) > len(id) && path[len(id)] == ':' && strings.EqualFold(path[:len(id)], id) {
			urn, rest = id, path[len(id)+1:]
			return true
		}
		return false
	}
	if try(rt.Schema) {
		return urn, rest
	}
	for _, e := range rt.Extensions {
		if try(e.Schema) {
			return urn, rest
		}
	}
	return "", path
}

// String returns the canonical path of r: "name.givenName", or for an extension attribute
// "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value".
func (r Ref) String() string {
	if r.Attr == nil {
		return ""
	}
	var b strings.Builder
	if r.Extension {
		b.WriteString(r.Schema.ID)
		b.WriteByte(':')
	}
	b.WriteString(r.Attr.Name)
	if r.Sub != nil {
		b.WriteByte('.')
		b.WriteString(r.Sub.Name)
	}
	return b.String()
}
