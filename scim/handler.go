package scim

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
	"github.com/scimkit/scimkit/schema"
)

// A Handler serves the SCIM 2.0 protocol (RFC 7644) over the host's stores: /Users,
// /Groups, their /.search endpoints, and the discovery endpoints
// /ServiceProviderConfig, /Schemas and /ResourceTypes. /Bulk and /Me answer 501.
//
// Mount it with [http.StripPrefix] at any path; the Handler sees the paths relative to
// its base URL and tolerates a trailing or doubled slash. Note that an [http.ServeMux]
// answers a path holding "//" with a redirect before the Handler sees it; Entra ID
// sends such paths when its Tenant URL ends in a slash, and clients drop the
// Authorization header when they follow a redirect. To accept them, route the SCIM
// prefix to the Handler ahead of the ServeMux (see examples/minimal). Every request
// is authenticated before it is routed. A Handler is safe for concurrent use.
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
	userAttrs     attrIndex
	groupAttrs    attrIndex
	userSorter    Sorter // the Users store as a Sorter, or nil
	groupSorter   Sorter // the Groups store as a Sorter, or nil
	userSK        storeKind[User]
	groupSK       storeKind[Group]
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
	if h.userRT, err = userResourceType(cfg.UserExtensions); err != nil {
		return nil, err
	}
	if h.groupRT, err = groupResourceType(cfg.GroupExtensions); err != nil {
		return nil, err
	}
	h.userSorter, _ = h.users.(Sorter)
	h.groupSorter, _ = h.groups.(Sorter)
	h.userSK = h.userStore()
	if h.groups != nil {
		h.groupSK = h.groupStore()
	}
	h.userAttrs = newAttrIndex(h.userRT)
	h.groupAttrs = newAttrIndex(h.groupRT)
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

// endpoint is the first path segment, which decides the route.
type endpoint int

const (
	epUnknown endpoint = iota
	epUsers
	epGroups
	epServiceProviderConfig
	epSchemas
	epResourceTypes
	epBulk
	epMe
)

func (e endpoint) discovery() bool {
	return e == epServiceProviderConfig || e == epSchemas || e == epResourceTypes
}

func parseEndpoint(s string) endpoint {
	switch {
	case s == "Users" || strings.EqualFold(s, "Users"):
		return epUsers
	case s == "Groups" || strings.EqualFold(s, "Groups"):
		return epGroups
	case strings.EqualFold(s, "ServiceProviderConfig"), strings.EqualFold(s, "ServiceProviderConfigs"):
		return epServiceProviderConfig
	case strings.EqualFold(s, "Schemas"):
		return epSchemas
	case strings.EqualFold(s, "ResourceTypes"):
		return epResourceTypes
	case strings.EqualFold(s, "Bulk"):
		return epBulk
	case strings.EqualFold(s, "Me"):
		return epMe
	}
	return epUnknown
}

// splitPath returns the first two non-empty segments of p and how many there are in
// all (capped at 3), so that "//Users/", "/Users" and "Users/" route alike.
func splitPath(p string) (s0, s1 string, n int) {
	for len(p) > 0 && n < 3 {
		for len(p) > 0 && p[0] == '/' {
			p = p[1:]
		}
		if p == "" {
			break
		}
		i := strings.IndexByte(p, '/')
		seg := p
		if i >= 0 {
			seg, p = p[:i], p[i:]
		} else {
			p = ""
		}
		switch n {
		case 0:
			s0 = seg
		case 1:
			s1 = seg
		}
		n++
	}
	return s0, s1, n
}

// call is the state of one request.
type call struct {
	h     *Handler
	w     http.ResponseWriter
	r     *http.Request
	ctx   context.Context
	wrote bool
	base  string // base URL, computed on first use
	// For the Failure of a request that fails: the name the body carried, and the
	// hint of a refused token.
	name      string
	tokenHint string
	authFail  bool
	// dl is the request deadline (Config.RequestTimeout), kept in the call, which
	// escapes to the heap anyway, to save an allocation.
	dl deadlineCtx
}

// ServeHTTP authenticates and serves one SCIM request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c := &call{h: h, w: w, r: r, ctx: r.Context()}
	if h.timeout > 0 {
		c.dl.Context, c.dl.deadline = c.ctx, time.Now().Add(h.timeout)
		c.ctx = &c.dl
		defer c.dl.stop()
	}
	defer c.recoverPanic()
	s0, s1, n := splitPath(r.URL.Path)
	ep := parseEndpoint(s0)
	if !(ep.discovery() && h.publicDisc) {
		ctx, err := h.authenticate(c.ctx, r)
		if err != nil {
			c.authFailed(err)
			return
		}
		c.ctx = ctx
	}
	switch ep {
	case epUsers:
		c.serveResource(userKind, s1, n)
	case epGroups:
		if h.groups == nil {
			if n == 1 && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
				// Entra ID probes groups with a random displayName at the start of a
				// cycle; an empty list answers that probe (ENTRA-CONN-1).
				c.writeBody(http.StatusOK, append(appendListHead(nil, 0), "]}"...))
				return
			}
			c.fail(&Error{Status: http.StatusNotFound, Detail: "this service provider has no groups"})
			return
		}
		c.serveResource(groupKind, s1, n)
	case epServiceProviderConfig:
		if n > 1 {
			c.notFound()
			return
		}
		c.serveDiscovery(c.serviceProviderConfig)
	case epSchemas:
		c.serveDiscoveryList(n, s1, c.schemas)
	case epResourceTypes:
		c.serveDiscoveryList(n, s1, c.resourceTypes)
	case epBulk:
		c.fail(&Error{Status: http.StatusNotImplemented, Detail: "bulk operations are not supported (see bulk.supported in /ServiceProviderConfig)"})
	case epMe:
		c.fail(&Error{Status: http.StatusNotImplemented, Detail: "the /Me endpoint is not supported"})
	default:
		c.notFound()
	}
}

// authenticate authenticates r within ctx, which is r's context with the request
// deadline.
func (h *Handler) authenticate(ctx context.Context, r *http.Request) (context.Context, error) {
	if h.tokenAuth != nil {
		t, ok := BearerToken(r, !h.strict)
		if !ok {
			if r.Header.Get("Authorization") == "" {
				return nil, errMissingCredentials
			}
			return nil, ErrUnauthenticated
		}
		return h.tokenAuth.authenticateToken(ctx, t)
	}
	r = r.WithContext(ctx)
	actx, err := h.auth.Authenticate(r)
	if err == nil && actx == nil {
		actx = ctx
	}
	return actx, err
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
			slog.String("error", err.Error()), slog.String("path", c.r.URL.Path))
	}
	c.writeError(e)
}

// kind tells users and groups apart in the shared resource routes.
type kind int

const (
	userKind kind = iota
	groupKind
)

func (k kind) String() string {
	if k == groupKind {
		return "Group"
	}
	return "User"
}

// serveResource routes /Users and /Groups requests.
func (c *call) serveResource(k kind, s1 string, n int) {
	m := c.r.Method
	switch n {
	case 1:
		switch m {
		case http.MethodGet, http.MethodHead:
			c.list(k, nil)
		case http.MethodPost:
			c.create(k)
		default:
			c.methodNotAllowed("GET, POST")
		}
	case 2:
		if s1 == ".search" {
			if m != http.MethodPost {
				c.methodNotAllowed("POST")
				return
			}
			c.search(k)
			return
		}
		switch m {
		case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodPatch, http.MethodDelete:
		default:
			c.methodNotAllowed("GET, PUT, PATCH, DELETE")
			return
		}
		if !storableID(s1) {
			// No resource can have this id, and a SQL store would fail on it.
			c.fail(notFoundError(k, s1))
			return
		}
		switch m {
		case http.MethodGet, http.MethodHead:
			c.get(k, s1)
		case http.MethodPut:
			c.replace(k, s1)
		case http.MethodPatch:
			c.patch(k, s1)
		default:
			c.delete(k, s1)
		}
	default:
		c.notFound()
	}
}

// storableID reports whether id can name a stored resource: valid UTF-8 without
// U+0000, which PostgreSQL text columns refuse.
func storableID(id string) bool {
	return utf8.ValidString(id) && strings.IndexByte(id, 0) < 0
}

func (c *call) notFound() {
	c.fail(&Error{Status: http.StatusNotFound, Detail: "no SCIM endpoint at " + strings.TrimSpace(c.r.URL.Path)})
}

func (c *call) methodNotAllowed(allow string) {
	c.w.Header().Set("Allow", allow)
	c.fail(&Error{Status: http.StatusMethodNotAllowed, Detail: "method " + c.r.Method + " is not allowed here; allowed: " + allow})
}

// recoverPanic turns a panic in a store or hook into a 500, unless the response has
// started, in which case the connection is aborted as net/http does.
func (c *call) recoverPanic() {
	v := recover()
	if v == nil {
		return
	}
	if v == http.ErrAbortHandler {
		panic(v)
	}
	c.h.log.LogAttrs(c.ctx, slog.LevelError, "scim: panic while serving request",
		slog.String("method", c.r.Method), slog.String("path", c.r.URL.Path),
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
	body := http.MaxBytesReader(c.w, c.r.Body, c.h.maxBody)
	data, err := io.ReadAll(body)
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, &Error{Status: http.StatusRequestEntityTooLarge,
				Detail: fmt.Sprintf("request body is larger than the limit of %d bytes", mbe.Limit)}
		}
		return nil, &Error{Status: http.StatusBadRequest, ScimType: "invalidSyntax", Detail: "could not read the request body"}
	}
	return decodeObject(data)
}
