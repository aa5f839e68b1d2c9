package sqlfilter

import (
	"errors"
	"strings"
)

// A TooComplexError reports a filter that a database cannot plan or run as one
// statement: too many values, nesting too deep, or a limit the database itself
// reported. Its ScimType is "invalidFilter", so a SCIM handler answers 400; the
// client should send a smaller filter.
type TooComplexError struct {
	// Err is the database's error, or nil when [Mapping.Where] refused the filter
	// before it reached the database.
	Err error
	msg string
}

// Error returns a message safe to show to the client; the database's own message is
// left to Unwrap.
func (e *TooComplexError) Error() string {
	if e.msg != "" {
		return "sqlfilter: the filter is too complex: " + e.msg
	}
	return "sqlfilter: the filter is too complex for the database"
}

// Unwrap returns the database's error, if any.
func (e *TooComplexError) Unwrap() error { return e.Err }

// ScimType returns "invalidFilter" (RFC 7644 section 3.12).
func (e *TooComplexError) ScimType() string { return "invalidFilter" }

// TooComplex returns a [*TooComplexError] wrapping err when err is a database's
// refusal of a statement as too large or too deeply nested, and nil otherwise. A
// store calls it on the error of a query whose WHERE clause came from
// [Mapping.Where], so that such a filter answers 400 invalidFilter rather than 500.
//
// It recognises PostgreSQL's SQLSTATE class 54 (program limit exceeded, as reported
// by drivers whose errors have a SQLState method, such as pgx), SQLite's "Expression
// tree is too large", "too many SQL variables", "parser stack overflow" and "LIKE or
// GLOB pattern too complex", and MySQL's and MariaDB's thread stack overrun (1436),
// too many placeholders (1390) and select nesting (1473) errors.
func TooComplex(err error) error {
	if err == nil {
		return nil
	}
	var tc *TooComplexError
	if errors.As(err, &tc) {
		return tc
	}
	var st interface{ SQLState() string }
	if errors.As(err, &st) && strings.HasPrefix(st.SQLState(), "54") {
		return &TooComplexError{Err: err}
	}
	msg := err.Error()
	for _, s := range tooComplexMessages {
		if strings.Contains(msg, s) {
			return &TooComplexError{Err: err}
		}
	}
	return nil
}

// tooComplexMessages are parts of the messages of SQLite, MySQL and MariaDB errors
// that mean a statement is beyond the database's limits.
var tooComplexMessages = []string{
	// SQLite
	"Expression tree is too large",
	"too many SQL variables",
	"parser stack overflow",
	"LIKE or GLOB pattern too complex",
	// MySQL and MariaDB, by error number as go-sql-driver/mysql writes it, and text.
	"Error 1436 ", "Thread stack overrun",
	"Error 1390 ", "too many placeholders",
	"Error 1473 ", "Too high level of nesting for select",
	// PostgreSQL drivers without a SQLState method
	"stack depth limit exceeded",
	"statement is too complex",
}
