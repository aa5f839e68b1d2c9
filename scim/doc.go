// Package scim turns a Go web application into a SCIM 2.0 service provider (RFC 7643,
// RFC 7644) that Microsoft Entra ID and Okta can provision users and groups into.
//
// The host application keeps its own database and user model and writes one small
// store; the [Handler] owns the protocol: routing, authentication, filters, paging,
// PATCH, ETags, discovery and the many quirks of the two identity providers.
//
//	st := memstore.New(memstore.Options{}) // or the host's own UserStore/GroupStore
//	h, err := scim.NewHandler(scim.Config{
//		Users:  st,
//		Groups: st,
//		Auth:   scim.StaticToken(os.Getenv("SCIM_TOKEN")),
//	})
//	if err != nil {
//		log.Fatal(err)
//	}
//	mux := http.NewServeMux() // the application's own routes
//	http.ListenAndServe(":8080", scim.Mount(mux, "/scim/v2", h))
//
// [Mount] routes the SCIM prefix ahead of the ServeMux, which would redirect the
// "/scim/v2//Users" that Entra ID sends when its Tenant URL ends in a slash. The base URL to paste into Entra ID (Tenant URL) or Okta (SCIM connector base URL)
// is then https://host/scim/v2, with the token as Secret Token or API token.
//
// # Stores
//
// A [UserStore] and, optionally, a [GroupStore] persist resources. They receive typed
// values ([User], [Group]) and a [Query] that carries a validated filter
// ([filter.Expr]), the sort order, paging, and the attributes the response will
// show, so that a SQL store can push all of them into one query (package
// filter/sqlfilter translates filters). Stores report outcomes with the sentinel
// errors [ErrNotFound], [ErrUniqueness], [ErrPreconditionFailed] and
// [ErrInvalidReference], wrapped as they like; the Handler turns them into SCIM
// error responses. Any other error becomes a 500 whose cause is logged, never sent.
// A store or authenticator that throttles a tenant returns an [Error] with Status
// 429 and RetryAfter set; the response then carries a Retry-After header, after
// which Entra ID retries the failed requests.
//
// Optional capabilities are small interfaces a store may add, each with a documented
// fallback: a [MemberPatcher] applies group membership changes in time proportional
// to the change, which keeps Entra ID's member PATCHes on large groups cheap. A
// [UserUpdater] or [GroupUpdater] serialises the writes to one resource, so that
// concurrent PUTs and PATCHes never lose a race; without it the Handler reads,
// applies and replaces with the version it read, retrying with jittered backoff
// until the request's deadline and then answering 503 with Retry-After. A [Sorter]
// says which attributes the store can order by; /ServiceProviderConfig advertises
// sorting only when the stores are Sorters, and a sortBy a store cannot serve is
// answered in the default order.
//
// # The request path
//
// One path serves Users and Groups. [Handler.ServeHTTP] brings the request path into
// a canonical form (doubled and trailing slashes dropped, endpoint names in their
// usual letter case) and hands the request to a [net/http.ServeMux] of method
// patterns ("GET /Users/{id}", "POST /Groups", "POST /.search", …). Each route
// authenticates, bounds the request's work by Config.RequestTimeout through its
// context, and runs a handler that returns an error; one place turns that error into
// the SCIM error response and reports it to Config.Failures. The resource handlers
// are written once for both resource types, with a few per-type hooks: passwords and
// the manager reference for users, the member diff and [MemberPatcher] for groups.
// Responses are encoded straight from the typed values; the attributes and
// excludedAttributes parameters are decided by package schema's one projection rule.
//
// # Limits
//
// Config bounds the cost of a request with safe defaults: the body size, the page
// size, the number of comparisons in a filter (400 invalidFilter beyond it), the
// number of values of a multi-valued attribute other than members (400 invalidValue),
// and a deadline that reaches the stores through the context. A store error that
// wraps context.DeadlineExceeded or context.Canceled is answered 503 with
// Retry-After, as is every 503.
//
// Package memstore is an in-memory store for tests and examples, and package
// scimtest checks a store against the contract (scimtest.TestUserStore) and
// replays recorded Entra ID and Okta sequences against a handler
// (scimtest.RunIdPFlows).
//
// # Authentication
//
// Every request passes through an [Authenticator] before it is routed. It resolves
// the request's tenant, which the Handler passes to the stores in the context
// ([TenantFrom]); one SCIM endpoint can so serve many customer organisations, each
// with its own token. [StaticToken] serves one tenant with one token; [BearerTokens]
// looks tokens up with a [TokenVerifier], such as the in-memory [TokenHashes], and
// allows several live tokens per tenant so that an administrator can rotate one
// without re-provisioning. [GenerateToken] makes tokens and [HashToken] the hashes to
// store. Failures answer 401 with a WWW-Authenticate challenge, or 403 for
// [ErrForbidden]. Tokens are of type [Token], which never prints itself.
//
// # Events and failures
//
// Config.Events receives an [Event] after every successful change: user created,
// updated, deactivated (active went from true to false, which is how both identity
// providers disable people), reactivated or deleted, and group created, renamed,
// membership changed or deleted, with the attributes that changed and the member ids
// added and removed. Hosts use it for audit logs and to end the sessions of
// deactivated users. Config.Failures receives a [Failure] for every request answered
// with an error status, authentication failures included, so that an administrator
// can see why provisioning failed. A removal of active leaves the attribute
// unassigned, which reads as inactive: a removal never enables an account.
//
// # Writes
//
// A PUT replaces each attribute its body names and keeps the others, so that an
// omitted members or active never empties a group or disables a user; null, [] and
// {} clear the attribute they name. Keys may be top-level names, dotted paths
// ("name.givenName" replaces that sub-attribute only) or URN-qualified paths, also of
// extension attributes. On every create, PUT and PATCH, repeated values of a
// multi-valued attribute (the same email value and type twice, a member id twice)
// are merged into one, and at most one value stays primary. Ids and strings that a
// SQL database cannot hold (U+0000, invalid UTF-8 in an id) are refused before they
// reach a store.
//
// # Leniency
//
// Entra ID and Okta do not always follow the RFCs: Entra sends "Replace" with a
// capital R, the strings "True" and "False" for booleans, a manager as a bare id,
// filters such as emails[type eq "work"].value eq "x", and PATCH paths for attributes
// the application does not have; Okta sends path-less PATCH operations and may drop
// the Bearer scheme from the Authorization header. The Handler accepts all of this by
// default, per handler and never process-wide: unknown attributes are skipped and
// reported in events and logs rather than failing every provisioning cycle.
// Config.Strict turns the leniency off.
package scim
