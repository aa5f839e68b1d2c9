package filter

import "strconv"

// A SyntaxError reports a filter or PATCH path that does not follow the grammar of
// RFC 7644, or that exceeds the limits of [Parse] and [ParsePath].
type SyntaxError struct {
	Offset int    // byte offset into the input at which the problem was found
	Msg    string // what is wrong, safe to show to the client
	// InPath is true for errors returned by [ParsePath]: ScimType then reports
	// "invalidPath" instead of "invalidFilter".
	InPath bool
}

// Error returns the message prefixed with "filter: offset N: ".
func (e *SyntaxError) Error() string {
	return "filter: offset " + strconv.Itoa(e.Offset) + ": " + e.Msg
}

// ScimType returns "invalidFilter", or "invalidPath" for an error from [ParsePath]
// (RFC 7644 section 3.12).
func (e *SyntaxError) ScimType() string {
	if e.InPath {
		return "invalidPath"
	}
	return "invalidFilter"
}

// A ValidationError reports a filter that is well formed but does not fit the schema of
// the resource type it is checked against: an unknown attribute, an operator that the
// attribute's type does not support, or a comparison value of the wrong type.
type ValidationError struct {
	Attr string // the attribute path as written in the filter
	Msg  string // what is wrong, safe to show to the client
}

// Error returns the message prefixed with "filter: " and the attribute path.
func (e *ValidationError) Error() string {
	if e.Attr == "" {
		return "filter: " + e.Msg
	}
	return "filter: " + e.Attr + ": " + e.Msg
}

// ScimType returns "invalidFilter" (RFC 7644 section 3.12).
func (e *ValidationError) ScimType() string { return "invalidFilter" }
