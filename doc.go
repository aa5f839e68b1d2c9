// Package scimkit turns a Go web app into a SCIM 2.0 service provider (RFC 7643,
// RFC 7644) that Microsoft Entra ID and Okta can provision users and groups into.
//
// This package holds no code; the work is done by its subpackages:
//
//   - [github.com/scimkit/scimkit/scim]: the http.Handler, its Config, the typed User
//     and Group, and the store interfaces a host implements over its own database.
//   - [github.com/scimkit/scimkit/scim/memstore]: an in-memory reference store.
//   - [github.com/scimkit/scimkit/scim/scimtest]: a conformance kit for stores and handlers.
//   - [github.com/scimkit/scimkit/filter]: the SCIM filter parser, evaluator, and
//     [github.com/scimkit/scimkit/filter/sqlfilter] for SQL translation.
//   - [github.com/scimkit/scimkit/patch]: the PATCH engine, with the quirks of Entra ID and Okta.
//   - [github.com/scimkit/scimkit/schema]: the RFC 7643 schema model.
package scimkit
