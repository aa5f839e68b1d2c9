package scim

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/scimkit/scimkit/schema"
)

// A Handler serves the SCIM 2.0 protocol (RFC 7644) over the host's stores: /Users,
// /Groups, their /.search endpoints, the root /.search over both, and the discovery
// endpoints /ServiceProviderConfig, /Schemas and /ResourceTypes. /Bulk and /Me answer
// 501.
//
// Mount it with [Mount] (or [http.StripPrefix]) at any path; the Handler sees the
// paths relative to its base URL and tolerates a trailing or doubled slash and any
// letter case of the endpoint names. An [http.ServeMux] in front of it would answer a
// path holding "//" with a redirect before the Handler sees it; Entra ID sends such
// paths when its Tenant URL ends in a slash, which is why [Mount] routes the SCIM
// prefix ahead of the application's ServeMux. Every request is authenticated before
// it is served. A Handler is safe for concurrent use.
type Handler struct {
	users         UserStore
	groups        GroupStore
	auth          Authenticator
	tokenAuth     *bearerAuth // auth, when it is a built-in bearer authenticator
	events        func(context.Context, Event)
	failures      func(context.Context, Failure)
	pwHook        func(ctx context.Context, userID, password string) error
	log           *slog.Logger
	newID         func() string
	now           func() time.Time
	userRT        *schema.ResourceType
	groupRT       *schema.ResourceType
	baseURL       string // without a trailing slash; "" means derived per request
	trustFwd      bool
	maxBody       int64
	maxResults    int
	pageSize      int
	maxTerms      int
	maxValues     int
	timeout       time.Duration
	strict        bool
	publicDisc    bool
	groupPatch200 bool
	etags         bool
	user          *kind[User]
	group         *kind[Group] // nil without a GroupStore
	mux           *http.ServeMux
}

// NewHandler returns a Handler that serves the SCIM endpoints described by cfg. It
// reports an error if cfg lacks Users or Auth, if BaseURL is not an absolute http(s)
// URL, or if an extension schema clashes with a built-in one.
func NewHandler(cfg Config) (*Handler, error) {
	if cfg.Users == nil {
		return nil, errors.New("scim: Config.Users is required")
	}
	if cfg.Auth == nil {
		return nil, errors.New("scim: Config.Auth is required (use scim.NoAuth() to serve without authentication)")
	}
	h := &Handler{
		users:         cfg.Users,
		groups:        cfg.Groups,
		auth:          cfg.Auth,
		events:        cfg.Events,
		failures:      cfg.Failures,
		pwHook:        cfg.PasswordHook,
		log:           cfg.Logger,
		newID:         cfg.NewID,
		now:           cfg.Now,
		trustFwd:      cfg.TrustForwardedHeaders,
		maxBody:       cfg.MaxBodyBytes,
		maxResults:    cfg.MaxResults,
		pageSize:      cfg.DefaultCount,
		maxTerms:      cfg.MaxFilterTerms,
		maxValues:     cfg.MaxValues,
		timeout:       cfg.RequestTimeout,
		strict:        cfg.Strict,
		publicDisc:    cfg.PublicDiscovery,
		groupPatch200: cfg.GroupPatchReturnsResource,
		etags:         !cfg.NoETags,
	}
	if ba, ok := cfg.Auth.(*bearerAuth); ok {
		h.tokenAuth = ba
	}
	if h.log == nil {
		h.log = slog.Default()
	}
	if h.newID == nil {
		h.newID = newUUIDv7
	}
	if h.now == nil {
		h.now = time.Now
	}
	if h.maxBody <= 0 {
		h.maxBody = DefaultMaxBodyBytes
	}
	if h.maxResults <= 0 {
		h.maxResults = DefaultMaxResults
	}
	if h.maxTerms <= 0 {
		h.maxTerms = DefaultMaxFilterTerms
	}
	if h.maxValues <= 0 {
		h.maxValues = DefaultMaxValues
	}
	if h.timeout == 0 {
		h.timeout = DefaultRequestTimeout
	}
	if h.pageSize <= 0 {
		h.pageSize = DefaultPageSize
	}
	if h.pageSize > h.maxResults {
		h.pageSize = h.maxResults
	}
	if cfg.BaseURL != "" {
		b, err := checkBaseURL(cfg.BaseURL)
		if err != nil {
			return nil, err
		}
		h.baseURL = b
	}
	var err error
	if h.userRT, err = withExtensions(schema.UserResourceType, cfg.UserExtensions); err != nil {
		return nil, err
	}
	if h.groupRT, err = withExtensions(schema.GroupResourceType, cfg.GroupExtensions); err != nil {
		return nil, err
	}
	h.user = h.userKind()
	if h.groups != nil {
		h.group = h.groupKind()
	}
	h.mux = h.routes()
	return h, nil
}

func newUUIDv7() string {
	id, err := uuid.NewV7()
	if err != nil {
		// NewV7 fails only when crypto/rand does, which the runtime treats as fatal
		// since Go 1.24; a random UUID is the sane fallback for older runtimes.
		return uuid.NewString()
	}
	return id.String()
}

// call is the state of one request. It is the http.ResponseWriter that the
// Handler's ServeMux passes to the routes, which is how a route finds it. The
// routes' func values would make every call escape to the heap, so calls are
// recycled through callPool once the request is answered: nothing may keep a *call
// beyond ServeHTTP (stores and callbacks get ctx, never the call).
type call struct {
	h     *Handler
	w     http.ResponseWriter
	r     *http.Request
	ctx   context.Context
	wrote bool
	base  string // base URL, computed on first use
	// What the route serves, for the Failure of a request that fails: the
	// operation, the resource type and id, the name the body carried, and the hint
	// of a refused token.
	op        Operation
	rtype     string
	id        string
	path      string // the request path as the Handler got it
	name      string
	tokenHint string
	authFail  bool
	panicked  bool // a store or hook panicked, and may still hold the call
	// rc is what ctx starts as: the request's context with the deadline of
	// Config.RequestTimeout and, after a bearer token is accepted, the tenant. It
	// is not recycled: a store may keep its context.
	rc *requestCtx
}

var callPool = sync.Pool{New: func() any { return new(call) }}

// release stops the request's deadline timer and recycles c, unless the request
// panicked.
func (c *call) release() {
	c.rc.stop()
	if c.panicked {
		return
	}
	*c = call{}
	callPool.Put(c)
}

func (c *call) Header() http.Header         { return c.w.Header() }
func (c *call) Write(b []byte) (int, error) { return c.w.Write(b) }
func (c *call) WriteHeader(status int)      { c.w.WriteHeader(status) }

// ServeHTTP authenticates and serves one SCIM request: it brings the path into the
// form of the route patterns (see canonicalPath) and lets the Handler's ServeMux pick
// the route, which authenticates, serves, and turns any error into the response.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rc := &requestCtx{Context: r.Context()}
	if h.timeout > 0 {
		rc.deadline = time.Now().Add(h.timeout)
	}
	c := callPool.Get().(*call) // zero: release clears it
	c.h, c.w, c.r, c.ctx, c.rc = h, w, r, rc, rc
	c.op, c.path = OpOther, r.URL.Path
	defer c.release()
	defer c.recoverPanic()
	p, ok := canonicalPath(r.URL.Path)
	if !ok {
		route{h: h, op: OpOther, fn: (*call).notFound}.ServeHTTP(c, r)
		return
	}
	if p != r.URL.Path {
		r2 := new(http.Request)
		*r2 = *r
		u := *r.URL
		u.Path, u.RawPath = p, ""
		r2.URL = &u
		r = r2
	}
	h.mux.ServeHTTP(c, r)
}

// authenticate authenticates r and makes c.ctx the context of the authenticated
// request. A built-in bearer authenticator's tenant goes into c.rc; any other
// Authenticator gets r within c.ctx and returns the context itself.
func (c *call) authenticate(r *http.Request) error {
	h := c.h
	if h.tokenAuth != nil {
		t, ok := BearerToken(r, !h.strict)
		if !ok {
			if headerValue(r.Header, "Authorization") == "" {
				return errMissingCredentials
			}
			return ErrUnauthenticated
		}
		tenant, err := h.tokenAuth.verify(c.ctx, t)
		if err != nil {
			return err
		}
		c.rc.tenant.Store(tenant)
		return nil
	}
	ctx, err := h.auth.Authenticate(r.WithContext(c.ctx))
	if err != nil {
		return err
	}
	if ctx != nil {
		c.ctx = ctx
	}
	return nil
}

func (c *call) authFailed(err error) {
	c.authFail = true
	if t, ok := BearerToken(c.r, true); ok {
		c.tokenHint = HashToken(string(t))[:8]
	}
	e := authError(err)
	if e.Status == http.StatusUnauthorized {
		c.w.Header().Set("WWW-Authenticate", `Bearer realm="scim"`)
	}
	if !errors.Is(err, errMissingCredentials) && !errors.Is(err, ErrUnauthenticated) {
		c.h.log.LogAttrs(c.ctx, slog.LevelInfo, "scim: authentication failed",
			slog.String("error", err.Error()), slog.String("path", c.path))
	}
	c.writeError(e)
}

// headerValue returns the first value of the header key, which must be in canonical
// form: it is what h.Get(key) returns, without canonicalising a key that is
// canonical already.
func headerValue(h http.Header, key string) string {
	if v := h[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

// storableID reports whether id can name a stored resource: valid UTF-8 without
// U+0000, which PostgreSQL text columns refuse.
func storableID(id string) bool {
	return utf8.ValidString(id) && strings.IndexByte(id, 0) < 0
}

func (c *call) notFound() error {
	return &Error{Status: http.StatusNotFound, Detail: "no SCIM endpoint at " + strings.TrimSpace(c.path)}
}

func (c *call) methodNotAllowed(allow string) error {
	c.w.Header().Set("Allow", allow)
	return &Error{Status: http.StatusMethodNotAllowed, Detail: "method " + c.r.Method + " is not allowed here; allowed: " + allow}
}

// recoverPanic turns a panic in a store or hook into a 500, unless the response has
// started, in which case the connection is aborted as net/http does.
func (c *call) recoverPanic() {
	v := recover()
	if v == nil {
		return
	}
	c.panicked = true
	if v == http.ErrAbortHandler {
		panic(v)
	}
	c.h.log.LogAttrs(c.ctx, slog.LevelError, "scim: panic while serving request",
		slog.String("method", c.r.Method), slog.String("path", c.path),
		slog.String("panic", fmt.Sprint(v)))
	if c.wrote {
		panic(http.ErrAbortHandler)
	}
	c.writeError(&Error{Status: http.StatusInternalServerError, Detail: internalDetail})
}

const internalDetail = "internal server error; the service provider logged the cause"

// readBody reads the request body under the size limit and decodes it as a JSON
// object. Any media type is accepted (RFC-CT-2: scim+json, json, with a charset
// or none at all); what is not JSON fails as invalidSyntax.
func (c *call) readBody() (map[string]any, error) {
	data, err := c.read()
	if err != nil {
		return nil, err
	}
	return decodeObject(data)
}
