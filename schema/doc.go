// Package schema models SCIM schemas and resource types (RFC 7643): attribute definitions
// with all their characteristics, the built-in User, Group and Enterprise User schemas,
// path lookup, normalisation and validation of incoming resources, and projection of
// outgoing ones.
//
// # Resource trees
//
// Packages filter, patch and scim exchange resources as trees of decoded JSON in
// canonical form, typed map[string]any:
//
//   - keys are the canonical attribute names of the schema ("userName", "name",
//     "givenName"), whatever letter case the client used;
//   - core attributes are top-level keys; attributes of an extension schema live in a
//     map under the extension's URN (as in RFC 7643 section 3.3);
//   - values are string (also for dateTime, reference and binary), bool, json.Number
//     (integer and decimal, kept exact), map[string]any (complex) and []any
//     (multi-valued);
//   - an absent attribute has no key: a canonical tree never holds nil, empty strings
//     stand as sent, and empty lists and maps are removed.
package schema
