// Package scimkit turns a Go web app into a SCIM 2.0 service provider (RFC 7643,
// RFC 7644) that Microsoft Entra ID and Okta can provision users and groups into.
//
// This package holds no code. The host app keeps its own database and its own user
// model; it implements the small, typed store interfaces of package scim over them and
// mounts one http.Handler. scimkit owns the protocol, including the quirks of both
// identity providers: string booleans, path-less PATCH operations, member removal by
// value list, bare-string managers, Entra's random-GUID probes.
//
// # Quick start
//
// Mount a [github.com/scimkit/scimkit/scim.Handler] on your mux, here over the
// in-memory reference store:
//
//	st := memstore.New(memstore.Options{})
//	h, err := scim.NewHandler(scim.Config{
//		Users:  st,
//		Groups: st,
//		Auth:   scim.StaticToken(token), // scim.BearerTokens(verifier) for many tenants
//	})
//	if err != nil {
//		log.Fatal(err)
//	}
//	mux := http.NewServeMux() // your app's own routes
//	log.Fatal(http.ListenAndServe(":8080", scim.Mount(mux, "/scim/v2", h)))
//
// scim.Mount serves the SCIM prefix ahead of the ServeMux, which would redirect the
// "/scim/v2//Users" that Entra ID sends when its Tenant URL ends in a slash. Inside,
// one request path serves Users and Groups: routes of ServeMux method patterns, each
// returning an error that one place turns into the SCIM error response.
//
// The customer's admin pastes the URL of /scim/v2 into Entra ID as Tenant URL (Okta:
// SCIM connector base URL) and the token as Secret Token. To use your own database,
// implement [github.com/scimkit/scimkit/scim.UserStore] and
// [github.com/scimkit/scimkit/scim.GroupStore], and check them with one call each
// in a test:
//
//	scimtest.TestUserStore(t, func(t *testing.T) scim.UserStore { return newStore(t) })
//
// The examples module has a complete host app, examples/workspace, with SQL stores for
// SQLite and PostgreSQL and an admin page for tokens and provisioning activity.
//
// # Packages
//
//   - [github.com/scimkit/scimkit/scim]: the http.Handler, its Config, the typed User
//     and Group, the store interfaces, authenticators and events.
//   - [github.com/scimkit/scimkit/scim/memstore]: an in-memory reference store.
//   - [github.com/scimkit/scimkit/scim/scimtest]: a conformance kit for stores, and a
//     replay of Entra ID and Okta request sequences against a handler.
//   - [github.com/scimkit/scimkit/filter]: the SCIM filter parser, AST and evaluator,
//     and [github.com/scimkit/scimkit/filter/sqlfilter] for SQL translation.
//   - [github.com/scimkit/scimkit/patch]: the PATCH engine, with the quirks of Entra ID and Okta.
//   - [github.com/scimkit/scimkit/schema]: the RFC 7643 schema model, normalisation and
//     projection.
package scimkit
