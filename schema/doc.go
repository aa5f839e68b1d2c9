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
//   - the value sub-attributes that hold another resource's id (Group members.value,
//     User groups.value, Enterprise manager.value) are caseExact like id itself, so that
//     members[value eq "..."] never selects a different member than the one named;
//   - the descriptions are short summaries, not the RFC's text.
//
// The discovery schemas ([ServiceProviderConfigSchema], [ResourceTypeSchema],
// [SchemaSchema]) follow section 8.7.2, with schemaExtensions multi-valued (it is a
// list), binary among the attribute types, and the type and primary sub-attributes of
// authenticationSchemes that section 5 defines.
//
// # Paths
//
// [ResourceType.Lookup] resolves "userName", "name.givenName" or
// "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value" to a [Ref],
// ignoring case, and finds the common attributes id, externalId and meta as if they
// belonged to the core schema.
//
// # Incoming data
//
// [ResourceType.Normalize] turns a decoded POST or PUT body into a canonical tree:
// names in canonical spelling, extension data under its URN, readOnly attributes and
// the schemas member dropped, nulls and empty values removed, and every value checked
// against its type. By default it accepts what Entra ID and Okta are known to send
// ("True" for true, a manager given as a bare id or a one-element array, "7" for an
// integer, one object where an array belongs) and drops unknown attributes, reporting
// them to the caller; [Options.Strict] turns all of that into errors.
// [NormalizeValue] and [NormalizeElement] do the same for one PATCH value, and
// [ResourceType.CheckRequired] checks required attributes. Every problem is an *[Error]
// whose Type is the scimType of the response, invalidValue for bad values.
//
// # Outgoing data
//
// [ResourceType.Project] applies the returned characteristics (password never
// leaves; id always does) and the attributes and excludedAttributes query parameters
// to a tree, copying only what changes. [ResourceType.Includes] tells a handler in
// advance whether an attribute, such as a group's members, will be shown at all.
//
// # Discovery and custom schemas
//
// A [Schema] and a [ResourceType] marshal to their /Schemas and /ResourceTypes JSON
// (RFC 7643 sections 6 and 7); [Schema.Resource] and [ResourceType.Resource] add the
// schemas and meta members. A host declares an extension schema in Go or reads one
// with [ParseSchema], checks it with [Schema.Validate] or [ResourceType.Validate], and
// adds it with [ResourceType.WithExtensions].
//
// Schemas, attributes and resource types are read-only once in use, and then safe for
// concurrent use; all functions of this package are.
package schema
