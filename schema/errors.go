package schema

import "strings"

// ScimType is a scimType value of an error response (RFC 7644 section 3.12).
//
// Every error that this module returns for bad client input has a method
//
//	ScimType() string
//
// that returns one of these values; package scim turns such an error into a
// 400 SCIM error response with that scimType.
type ScimType string

// The scimType values of RFC 7644 section 3.12.
const (
	ScimInvalidFilter ScimType = "invalidFilter"
	ScimTooMany       ScimType = "tooMany"
	ScimUniqueness    ScimType = "uniqueness"
	ScimMutability    ScimType = "mutability"
	ScimInvalidSyntax ScimType = "invalidSyntax"
	ScimInvalidPath   ScimType = "invalidPath"
	ScimNoTarget      ScimType = "noTarget"
	ScimInvalidValue  ScimType = "invalidValue"
	ScimInvalidVers   ScimType = "invalidVers"
	ScimSensitive     ScimType = "sensitive"
)

// An Error reports a resource or value that does not fit its schema.
type Error struct {
	Type   ScimType // the scimType of the error response
	Path   string   // canonical attribute path of the offending value, if known
	Detail string   // human-readable, safe to show to the client
}

// Error implements the error interface: "schema: " followed by the path and the
// detail, or the detail alone when it names the path already.
func (e *Error) Error() string {
	if e.Path == "" || strings.Contains(e.Detail, e.Path) {
		return "schema: " + e.Detail
	}
	return "schema: " + e.Path + ": " + e.Detail
}

// ScimType returns the scimType of the error as a string.
func (e *Error) ScimType() string { return string(e.Type) }
