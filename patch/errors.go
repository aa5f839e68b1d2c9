package patch

import (
	"strconv"

	"github.com/scimkit/scimkit/schema"
)

// An Error reports a PATCH request that cannot be parsed or applied. Every error that
// [Parse] and [Apply] return for client input is an *Error; package scim answers it
// with status 400 and the scimType of Type.
type Error struct {
	// Index is the index of the offending operation in Operations, or -1 when the
	// problem is in the body as a whole.
	Index int
	// Type is the scimType of the error response (RFC 7644 section 3.12).
	Type schema.ScimType
	// Detail says what is wrong. It is safe to show to the client: it never holds a
	// value of a writeOnly attribute such as password.
	Detail string
}

// Error returns "patch: " followed by the operation index, when there is one, and Detail.
func (e *Error) Error() string {
	if e.Index < 0 {
		return "patch: " + e.Detail
	}
	return "patch: operation " + strconv.Itoa(e.Index) + ": " + e.Detail
}

// ScimType returns the scimType of the error as a string.
func (e *Error) ScimType() string { return string(e.Type) }

func errorf(index int, t schema.ScimType, detail string) *Error {
	return &Error{Index: index, Type: t, Detail: detail}
}
