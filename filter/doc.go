// Package filter parses SCIM filter expressions and PATCH paths (RFC 7644 sections
// 3.4.2.2 and 3.5.2) into an AST, checks them against a resource type's schema, and
// evaluates them against resources in memory.
//
// # Parsing
//
// [Parse] turns a filter such as
//
//	emails[type eq "work" and value co "@example.com"] or userName eq "bjensen"
//
// into an [Expr], a tree of [*Compare], [*Logical], [*Not] and [*ValuePath] nodes.
// [ParsePath] turns a PATCH path such as `emails[type eq "work"].value` into a [Path].
// Both are hand-written single-pass parsers: they allocate a few objects per node,
// take time linear in the input, reject input longer than [MaxLength] or nested deeper
// than [MaxDepth], and report every problem as a [*SyntaxError] with a byte offset.
// The String method of every node returns canonical text that parses back into an
// equal tree.
//
// The parser accepts two forms that identity providers send although they are not in
// the RFC grammar: a bare word as comparison value (externalId eq jyoung, read as a
// string) and Microsoft Entra ID's emails[type eq "work"].value eq "x" (read as
// emails[type eq "work" and value eq "x"]).
//
// # Validating and evaluating
//
// [Validate] checks an Expr against a [schema.ResourceType]: every attribute must
// exist, operators must suit the attribute's type, values must have the right type.
// It returns a copy with canonical attribute names. [Compile] validates and prepares
// an Expr for [Matcher.Match], which evaluates it against a resource tree in the
// canonical form described in package schema. Comparisons follow the RFC 7644 rules:
// strings compare ignoring case unless the attribute is caseExact, dateTimes compare
// as instants, a multi-valued attribute matches if one of its values does, and a
// complex multi-valued attribute compared directly (members eq "u-7") compares its
// "value" sub-attribute. [CompileElement] compiles the filter of a PATCH value path
// for one element of a multi-valued attribute.
//
// Errors from Validate and Compile are of type [*ValidationError]. Every error of this
// package has a method ScimType() string that returns the scimType of the SCIM error
// response ("invalidFilter", or "invalidPath" for [ParsePath]).
//
// Package sqlfilter translates a validated Expr into a parameterised SQL WHERE clause.
package filter
