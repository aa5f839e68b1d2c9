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
//
// # Built-in schemas
//
// [User], [Group] and [EnterpriseUser] follow the schema representations of RFC 7643
// section 8.7.1, and [CommonAttributes] section 3.1. Where the RFC contradicts itself
// or the identity providers, this package decides as follows:
//
//   - addresses has a primary sub-attribute (section 4.1.2 defines it, the section 8.7.1
//     table forgets it, and Entra ID sends it);
//   - Group displayName is required (section 4.2 says REQUIRED; the table says false);
//   - Group members has a display sub-attribute, immutable like its siblings, as
//     section 2.4 defines display for multi-valued attributes; Okta sends it;
//   - the id common attribute is required, caseExact, readOnly, returned always and
//     unique per server; meta and all its sub-attributes are readOnly and returned by
//     default;
//   - the descriptions are short summaries, not the RFC's text.
//
// The discovery schemas ([ServiceProviderConfigSchema], [ResourceTypeSchema],
// [SchemaSchema]) follow section 8.7.2, with schemaExtensions multi-valued (it is a
// list), binary among the attribute types, and the type and primary sub-attributes of
// authenticationSchemes that section 5 defines.
package schema
