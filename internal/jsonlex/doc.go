// Package jsonlex holds the small pieces of JSON lexing (RFC 8259) that the filter
// parser, the PATCH body reader and schema normalisation share: decoding the escapes
// of a string and scanning a number.
//
// The functions work on strings, never allocate except for a decoded result, and
// report a problem with its byte offset instead of an error value, so that each
// caller can word its own error (a filter error, a PATCH invalidSyntax, ...) and
// keep its own fast path for the common input without escapes.
package jsonlex
