package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
)

// attributeJSON is the representation of an attribute in a /Schemas resource (RFC 7643
// section 7), in the RFC's member order.
type attributeJSON struct {
	Name            string       `json:"name"`
	Type            Type         `json:"type"`
	MultiValued     bool         `json:"multiValued"`
	Description     string       `json:"description,omitempty"`
	Required        bool         `json:"required"`
	CaseExact       *bool        `json:"caseExact,omitempty"`
	CanonicalValues []string     `json:"canonicalValues,omitempty"`
	Mutability      Mutability   `json:"mutability"`
	Returned        Returned     `json:"returned"`
	Uniqueness      Uniqueness   `json:"uniqueness,omitempty"`
	ReferenceTypes  []string     `json:"referenceTypes,omitempty"`
	SubAttributes   []*Attribute `json:"subAttributes,omitempty"`
}

// MarshalJSON writes a as an attribute of a /Schemas resource (RFC 7643 section 7):
// name, type, multiValued, description (when not empty), required, caseExact (for
// string, reference and binary attributes), canonicalValues and referenceTypes (when
// not empty), mutability, returned, uniqueness (except for boolean and complex
// attributes) and subAttributes (for complex ones). Unset characteristics are written
// as their effective defaults; no member is ever null.
func (a *Attribute) MarshalJSON() ([]byte, error) {
	j := attributeJSON{
		Name:            a.Name,
		Type:            a.Type,
		MultiValued:     a.MultiValued,
		Description:     a.Description,
		Required:        a.Required,
		CanonicalValues: a.CanonicalValues,
		Mutability:      a.EffectiveMutability(),
		Returned:        a.EffectiveReturned(),
		ReferenceTypes:  a.ReferenceTypes,
	}
	switch a.Type {
	case String, Reference, Binary:
		ce := a.CaseExact
		j.CaseExact = &ce
	}
	if a.Type != Boolean && a.Type != Complex {
		j.Uniqueness = a.EffectiveUniqueness()
	}
	if a.Type == Complex {
		j.SubAttributes = a.SubAttributes
	}
	return json.Marshal(j)
}

type schemaJSON struct {
	ID          string       `json:"id"`
	Name        string       `json:"name,omitempty"`
	Description string       `json:"description,omitempty"`
	Attributes  []*Attribute `json:"attributes"`
}

// MarshalJSON writes s as a /Schemas resource without its schemas and meta members
// (see [Schema.Resource]): id, name and description (when not empty) and attributes.
func (s *Schema) MarshalJSON() ([]byte, error) {
	attrs := s.Attributes
	if attrs == nil {
		attrs = []*Attribute{}
	}
	return json.Marshal(schemaJSON{ID: s.ID, Name: s.Name, Description: s.Description, Attributes: attrs})
}

// Resource returns the whole /Schemas resource of s for json.Marshal, with schemas
// and meta (resourceType "Schema" and location, when location is not empty).
func (s *Schema) Resource(location string) map[string]any {
	meta := map[string]any{"resourceType": "Schema"}
	if location != "" {
		meta["location"] = location
	}
	attrs := s.Attributes
	if attrs == nil {
		attrs = []*Attribute{}
	}
	m := map[string]any{
		"schemas":    []string{SchemaURN},
		"id":         s.ID,
		"attributes": attrs,
		"meta":       meta,
	}
	if s.Name != "" {
		m["name"] = s.Name
	}
	if s.Description != "" {
		m["description"] = s.Description
	}
	return m
}

type extensionJSON struct {
	Schema   string `json:"schema"`
	Required bool   `json:"required"`
}

type resourceTypeJSON struct {
	ID               string          `json:"id"`
	Name             string          `json:"name"`
	Endpoint         string          `json:"endpoint"`
	Description      string          `json:"description,omitempty"`
	Schema           string          `json:"schema"`
	SchemaExtensions []extensionJSON `json:"schemaExtensions,omitempty"`
}

func (rt *ResourceType) toJSON() resourceTypeJSON {
	j := resourceTypeJSON{ID: rt.ID, Name: rt.Name, Endpoint: rt.Endpoint, Description: rt.Description}
	if rt.Schema != nil {
		j.Schema = rt.Schema.ID
	}
	for _, e := range rt.Extensions {
		j.SchemaExtensions = append(j.SchemaExtensions, extensionJSON{Schema: e.Schema.ID, Required: e.Required})
	}
	return j
}

// MarshalJSON writes rt as a /ResourceTypes resource (RFC 7643 section 6) without its
// schemas and meta members (see [ResourceType.Resource]): id, name, endpoint,
// description (when not empty), schema and schemaExtensions (when there are any).
func (rt *ResourceType) MarshalJSON() ([]byte, error) {
	return json.Marshal(rt.toJSON())
}

// Resource returns the whole /ResourceTypes resource of rt for json.Marshal, with
// schemas and meta (resourceType "ResourceType" and location, when not empty).
func (rt *ResourceType) Resource(location string) map[string]any {
	j := rt.toJSON()
	meta := map[string]any{"resourceType": "ResourceType"}
	if location != "" {
		meta["location"] = location
	}
	m := map[string]any{
		"schemas":  []string{ResourceTypeURN},
		"id":       j.ID,
		"name":     j.Name,
		"endpoint": j.Endpoint,
		"schema":   j.Schema,
		"meta":     meta,
	}
	if j.Description != "" {
		m["description"] = j.Description
	}
	if len(j.SchemaExtensions) > 0 {
		m["schemaExtensions"] = j.SchemaExtensions
	}
	return m
}

// attributeIn is an attribute definition as read by ParseSchema. Member names match
// ignoring case, as encoding/json does.
type attributeIn struct {
	Name            string        `json:"name"`
	Type            string        `json:"type"`
	MultiValued     bool          `json:"multiValued"`
	Description     string        `json:"description"`
	Required        bool          `json:"required"`
	CanonicalValues []string      `json:"canonicalValues"`
	CaseExact       bool          `json:"caseExact"`
	Mutability      string        `json:"mutability"`
	Returned        string        `json:"returned"`
	Uniqueness      string        `json:"uniqueness"`
	ReferenceTypes  []string      `json:"referenceTypes"`
	SubAttributes   []attributeIn `json:"subAttributes"`
}

type schemaIn struct {
	ID          string        `json:"id"`
	Name        string        `json:"name"`
	Description string        `json:"description"`
	Attributes  []attributeIn `json:"attributes"`
}

// ParseSchema reads a schema from its RFC 7643 section 7 JSON representation, the
// form /Schemas returns, so that a host can declare an extension schema in a file.
// Members other than id, name, description and attributes (such as schemas and meta)
// are ignored. Values of type, mutability, returned and uniqueness are matched
// ignoring case. The result is checked with [Schema.Validate]; errors name the
// offending attribute.
func ParseSchema(data []byte) (*Schema, error) {
	var in schemaIn
	d := json.NewDecoder(bytes.NewReader(data))
	if err := d.Decode(&in); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return nil, &Error{Type: ScimInvalidValue, Path: te.Field, Detail: fmt.Sprintf("schema JSON: %s must not be a JSON %s", te.Field, te.Value)}
		}
		return nil, &Error{Type: ScimInvalidSyntax, Detail: "schema JSON: " + err.Error()}
	}
	if d.More() {
		return nil, &Error{Type: ScimInvalidSyntax, Detail: "schema JSON: data after the schema object"}
	}
	s := &Schema{ID: in.ID, Name: in.Name, Description: in.Description}
	for i := range in.Attributes {
		s.Attributes = append(s.Attributes, in.Attributes[i].attribute())
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return s, nil
}

func (in *attributeIn) attribute() *Attribute {
	a := &Attribute{
		Name:            in.Name,
		Type:            Type(canonicalWord(in.Type, "string", "complex", "boolean", "decimal", "integer", "dateTime", "reference", "binary")),
		MultiValued:     in.MultiValued,
		Description:     in.Description,
		Required:        in.Required,
		CanonicalValues: in.CanonicalValues,
		CaseExact:       in.CaseExact,
		Mutability:      Mutability(canonicalWord(in.Mutability, "readOnly", "readWrite", "immutable", "writeOnly")),
		Returned:        Returned(canonicalWord(in.Returned, "always", "never", "default", "request")),
		Uniqueness:      Uniqueness(canonicalWord(in.Uniqueness, "none", "server", "global")),
		ReferenceTypes:  in.ReferenceTypes,
	}
	for i := range in.SubAttributes {
		a.SubAttributes = append(a.SubAttributes, in.SubAttributes[i].attribute())
	}
	return a
}

// canonicalWord returns the word of words that equals s ignoring case, or s.
func canonicalWord(s string, words ...string) string {
	for _, w := range words {
		if strings.EqualFold(s, w) {
			return w
		}
	}
	return s
}

// Validate checks that s is a well-formed schema for use as a resource type's schema or
// extension, by the rules of RFC 7643 sections 2 and 7: an id that is a URN; at least
// one attribute; attribute names made of letters, digits, "-" and "_" starting with a
// letter ("$ref" is allowed for sub-attributes), distinct ignoring case among
// siblings; known types and characteristics; sub-attributes only, and at least one,
// for complex attributes, and not complex themselves; referenceTypes only for
// references; no canonicalValues for Booleans and complex attributes.
//
// The built-in schemas pass, except [SchemaSchema], whose attribute definitions nest
// one level deeper than section 2.3.8 allows (as in the RFC).
func (s *Schema) Validate() error {
	if s == nil {
		return &Error{Type: ScimInvalidValue, Detail: "nil schema"}
	}
	if len(s.ID) < 5 || !strings.EqualFold(s.ID[:4], "urn:") || strings.ContainsAny(s.ID, " \t\r\n") || strings.HasSuffix(s.ID, ":") {
		return &Error{Type: ScimInvalidValue, Detail: fmt.Sprintf("schema id %q must be a URN such as urn:ietf:params:scim:schemas:extension:acme:2.0:User", s.ID)}
	}
	if len(s.Attributes) == 0 {
		return &Error{Type: ScimInvalidValue, Path: s.ID, Detail: "schema " + s.ID + " declares no attributes"}
	}
	return validateAttributes(s.Attributes, s.ID+":", false)
}

func validateAttributes(attrs []*Attribute, prefix string, sub bool) error {
	for i, a := range attrs {
		if a == nil {
			return &Error{Type: ScimInvalidValue, Path: strings.TrimSuffix(prefix, ":"), Detail: fmt.Sprintf("attribute %d is nil", i)}
		}
		p := prefix + a.Name
		bad := func(format string, args ...any) error {
			return &Error{Type: ScimInvalidValue, Path: p, Detail: "attribute " + p + ": " + fmt.Sprintf(format, args...)}
		}
		if !validName(a.Name) && !(sub && a.Name == "$ref") {
			return bad("invalid name %q: use letters, digits, - and _, starting with a letter", a.Name)
		}
		for _, b := range attrs[:i] {
			if b != nil && strings.EqualFold(a.Name, b.Name) {
				return bad("declared twice (names are compared ignoring case)")
			}
		}
		switch a.Type {
		case String, Boolean, Decimal, Integer, DateTime, Binary, Reference, Complex:
		case "":
			return bad("missing type")
		default:
			return bad("unknown type %q", a.Type)
		}
		switch a.Mutability {
		case "", ReadOnly, ReadWrite, Immutable, WriteOnly:
		default:
			return bad("unknown mutability %q", a.Mutability)
		}
		switch a.Returned {
		case "", Always, Never, Default, Request:
		default:
			return bad("unknown returned %q", a.Returned)
		}
		switch a.Uniqueness {
		case "", None, Server, Global:
		default:
			return bad("unknown uniqueness %q", a.Uniqueness)
		}
		if len(a.ReferenceTypes) > 0 && a.Type != Reference {
			return bad("referenceTypes are only for attributes of type reference, not %s", a.Type)
		}
		if len(a.CanonicalValues) > 0 && (a.Type == Boolean || a.Type == Complex) {
			return bad("canonicalValues are not allowed for a %s attribute", a.Type)
		}
		if a.Type != Complex {
			if len(a.SubAttributes) > 0 {
				return bad("only complex attributes have subAttributes; this one is %s", a.Type)
			}
			continue
		}
		if sub {
			return bad("a sub-attribute must not be complex (RFC 7643 section 2.3.8)")
		}
		if len(a.SubAttributes) == 0 {
			return bad("a complex attribute needs subAttributes")
		}
		if err := validateAttributes(a.SubAttributes, p+".", true); err != nil {
			return err
		}
	}
	return nil
}

// validName reports whether s is an ATTRNAME of RFC 7643 section 2.1.
func validName(s string) bool {
	if s == "" || !isAlpha(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !isAlpha(c) && !(c >= '0' && c <= '9') && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

func isAlpha(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

// Validate checks rt: an id, a name, an endpoint starting with "/", a valid core
// schema (see [Schema.Validate]) that does not redefine the common attributes id,
// externalId and meta, and valid extension schemas whose URNs differ, ignoring case,
// from each other and from the core schema's.
func (rt *ResourceType) Validate() error {
	if rt.ID == "" || rt.Name == "" {
		return &Error{Type: ScimInvalidValue, Detail: "resource type needs an id and a name"}
	}
	if !strings.HasPrefix(rt.Endpoint, "/") {
		return &Error{Type: ScimInvalidValue, Detail: fmt.Sprintf("resource type %s: endpoint %q must start with /", rt.ID, rt.Endpoint)}
	}
	if rt.Schema == nil {
		return &Error{Type: ScimInvalidValue, Detail: "resource type " + rt.ID + " has no schema"}
	}
	if err := rt.Schema.Validate(); err != nil {
		return err
	}
	for _, a := range CommonAttributes {
		if rt.Schema.Attribute(a.Name) != nil {
			return &Error{Type: ScimInvalidValue, Path: a.Name, Detail: "schema " + rt.Schema.ID + " redefines the common attribute " + a.Name}
		}
	}
	for i, e := range rt.Extensions {
		if err := e.Schema.Validate(); err != nil {
			return err
		}
		if strings.EqualFold(e.Schema.ID, rt.Schema.ID) {
			return &Error{Type: ScimInvalidValue, Path: e.Schema.ID, Detail: "extension " + e.Schema.ID + " has the URN of the core schema"}
		}
		for _, f := range rt.Extensions[:i] {
			if strings.EqualFold(e.Schema.ID, f.Schema.ID) {
				return &Error{Type: ScimInvalidValue, Path: e.Schema.ID, Detail: "extension " + e.Schema.ID + " is listed twice"}
			}
		}
	}
	// A URN that continues another one ("urn:x:a" and "urn:x:a:b") would make
	// "urn:x:a:b:c" ambiguous: attribute b:c of the first, or c of the second?
	ids := []string{rt.Schema.ID}
	for _, e := range rt.Extensions {
		ids = append(ids, e.Schema.ID)
	}
	for _, a := range ids {
		for _, b := range ids {
			if len(b) > len(a) && b[len(a)] == ':' && strings.EqualFold(b[:len(a)], a) {
				return &Error{Type: ScimInvalidValue, Path: b, Detail: "schema URN " + b + " starts with schema URN " + a + ": attribute paths would be ambiguous"}
			}
		}
	}
	return nil
}
