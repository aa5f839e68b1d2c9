package schema

import "strings"

// Type is the data type of an attribute (RFC 7643 section 2.3).
type Type string

// The attribute data types of RFC 7643 section 2.3.
const (
	String    Type = "string"
	Boolean   Type = "boolean"
	Decimal   Type = "decimal"
	Integer   Type = "integer"
	DateTime  Type = "dateTime"
	Binary    Type = "binary"
	Reference Type = "reference"
	Complex   Type = "complex"
)

// Mutability says whether and how an attribute may be modified (RFC 7643 section 7).
type Mutability string

// The mutability values of RFC 7643 section 7.
const (
	ReadOnly  Mutability = "readOnly"
	ReadWrite Mutability = "readWrite"
	Immutable Mutability = "immutable"
	WriteOnly Mutability = "writeOnly"
)

// Returned says when an attribute appears in a response (RFC 7643 section 7).
type Returned string

// The returned values of RFC 7643 section 7.
const (
	Always  Returned = "always"
	Never   Returned = "never"
	Default Returned = "default"
	Request Returned = "request"
)

// Uniqueness says how the service provider enforces uniqueness of an attribute value (RFC 7643 section 7).
type Uniqueness string

// The uniqueness values of RFC 7643 section 7.
const (
	None   Uniqueness = "none"
	Server Uniqueness = "server"
	Global Uniqueness = "global"
)

// An Attribute defines one attribute of a schema, or one sub-attribute of a complex attribute,
// with every characteristic of RFC 7643 sections 2 and 7.
//
// The zero values of Mutability, Returned and Uniqueness mean the RFC defaults:
// readWrite, default and none. An Attribute must not be modified once it is part of a
// [Schema] in use.
type Attribute struct {
	Name            string
	Type            Type
	SubAttributes   []*Attribute // only for Type Complex
	MultiValued     bool
	Description     string
	Required        bool
	CanonicalValues []string
	CaseExact       bool
	Mutability      Mutability
	Returned        Returned
	Uniqueness      Uniqueness
	ReferenceTypes  []string // only for Type Reference
}

// SubAttribute returns the sub-attribute of a named name, compared ignoring case, or nil.
func (a *Attribute) SubAttribute(name string) *Attribute {
	return find(a.SubAttributes, name)
}

// A Schema is a named collection of attribute definitions (RFC 7643 section 7), such as the
// core User schema or an extension schema.
type Schema struct {
	ID          string // the schema URN
	Name        string
	Description string
	Attributes  []*Attribute
}

// Attribute returns the top-level attribute of s called name, compared ignoring case, or nil.
func (s *Schema) Attribute(name string) *Attribute {
	return find(s.Attributes, name)
}

// EffectiveMutability returns a.Mutability, or ReadWrite when it is unset.
func (a *Attribute) EffectiveMutability() Mutability {
	if a.Mutability == "" {
		return ReadWrite
	}
	return a.Mutability
}

// EffectiveReturned returns a.Returned, or Default when it is unset.
func (a *Attribute) EffectiveReturned() Returned {
	if a.Returned == "" {
		return Default
	}
	return a.Returned
}

// EffectiveUniqueness returns a.Uniqueness, or None when it is unset.
func (a *Attribute) EffectiveUniqueness() Uniqueness {
	if a.Uniqueness == "" {
		return None
	}
	return a.Uniqueness
}

// find returns the attribute of attrs called name ignoring case. Clients nearly always
// send the canonical spelling, so an exact match is tried first: comparing lengths and
// bytes is cheaper than folding case on every candidate. Attribute names are ASCII
// (RFC 7643 section 2.1), so names of another length never match; this also keeps
// Unicode folding (the Kelvin sign K matches k) from letting a non-ASCII key in.
func find(attrs []*Attribute, name string) *Attribute {
	for _, a := range attrs {
		if a.Name == name {
			return a
		}
	}
	for _, a := range attrs {
		if len(a.Name) == len(name) && strings.EqualFold(a.Name, name) {
			return a
		}
	}
	return nil
}

// An Extension is a schema extension of a [ResourceType] (RFC 7643 section 6).
type Extension struct {
	Schema   *Schema
	Required bool
}

// A ResourceType describes one kind of resource (RFC 7643 section 6): its endpoint,
// its core schema and its schema extensions.
type ResourceType struct {
	ID          string
	Name        string
	Endpoint    string // relative to the base URL, like "/Users"
	Description string
	Schema      *Schema
	Extensions  []Extension
}
