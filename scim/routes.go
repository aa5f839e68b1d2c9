package scim

import (
	"net/http"
	"strings"
)

// This file routes requests: the route table, a ServeMux of method patterns, and
// the one place where a route's error becomes the response.

// A route serves one endpoint and method. It authenticates the request (unless it
// is a discovery route and Config.PublicDiscovery is set), runs fn, and answers an
// error fn returns with the SCIM error it stands for (see errorFor); that is the
// only place where errors become responses, and where Config.Failures is called.
type route struct {
	h      *Handler
	op     Operation
	rtype  string // "User", "Group" or ""
	public bool   // served without authentication under Config.PublicDiscovery
	fn     func(c *call) error
}

func (rt route) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	c := w.(*call)
	c.r, c.op, c.rtype = r, rt.op, rt.rtype
	c.id = r.PathValue("id")
	if !(rt.public && rt.h.publicDisc) {
		if err := c.authenticate(r); err != nil {
			c.authFailed(err)
			return
		}
	}
	if err := rt.fn(c); err != nil {
		c.fail(err)
	}
}

// routes returns the route table as a ServeMux. Patterns with a method serve; the
// pattern of the same path without a method answers the other methods with 405,
// and "/" answers 404.
func (h *Handler) routes() *http.ServeMux {
	m := http.NewServeMux()
	handle := func(pattern string, op Operation, rtype string, fn func(c *call) error) {
		m.Handle(pattern, route{h: h, op: op, rtype: rtype, fn: fn})
	}
	allow := func(methods string) func(c *call) error {
		return func(c *call) error { return c.methodNotAllowed(methods) }
	}
	resources := func(path, rtype string, list, create, search, get, replace, patch, del func(c *call) error) {
		handle("GET "+path, OpList, rtype, list)
		handle("POST "+path, OpCreate, rtype, create)
		handle(path, OpOther, rtype, allow("GET, POST"))
		handle("POST "+path+"/.search", OpSearch, rtype, search)
		// withID serves a request for one resource; an id no resource can have (and
		// that a SQL store would fail on) is not found.
		withID := func(fn func(c *call) error) func(c *call) error {
			return func(c *call) error {
				if c.id == ".search" {
					c.op = OpSearch
					return c.methodNotAllowed("POST")
				}
				if !storableID(c.id) {
					return &Error{Status: http.StatusNotFound, Detail: rtype + " not found"}
				}
				return fn(c)
			}
		}
		handle("GET "+path+"/{id}", OpGet, rtype, withID(get))
		handle("PUT "+path+"/{id}", OpReplace, rtype, withID(replace))
		handle("PATCH "+path+"/{id}", OpPatch, rtype, withID(patch))
		handle("DELETE "+path+"/{id}", OpDelete, rtype, withID(del))
		handle(path+"/{id}", OpOther, rtype, func(c *call) error {
			if c.id == ".search" {
				c.op = OpSearch
				return c.methodNotAllowed("POST")
			}
			return c.methodNotAllowed("GET, PUT, PATCH, DELETE")
		})
	}
	u := h.user
	resources("/Users", "User", u.serveList, u.serveCreate, u.serveSearch, u.serveGet, u.serveReplace, u.servePatch, u.serveDelete)
	if g := h.group; g != nil {
		resources("/Groups", "Group", g.serveList, g.serveCreate, g.serveSearch, g.serveGet, g.serveReplace, g.servePatch, g.serveDelete)
	} else {
		// Entra ID probes groups with a random displayName at the start of a cycle;
		// an empty list answers that probe (ENTRA-CONN-1).
		handle("GET /Groups", OpList, "Group", func(c *call) error {
			c.writeBody(http.StatusOK, append(appendListHead(nil, 0), "]}"...))
			return nil
		})
		noGroups := func(c *call) error {
			return &Error{Status: http.StatusNotFound, Detail: "this service provider has no groups"}
		}
		handle("/Groups", OpOther, "Group", noGroups)
		handle("/Groups/", OpOther, "Group", noGroups)
	}
	handle("POST /.search", OpSearch, "", (*call).serveRootSearch)
	handle("/.search", OpSearch, "", allow("POST"))

	discovery := func(pattern string, fn func(c *call) error) {
		m.Handle(pattern, route{h: h, op: OpDiscovery, public: true, fn: fn})
	}
	for _, p := range []string{"/ServiceProviderConfig", "/ServiceProviderConfigs"} {
		discovery("GET "+p, (*call).serveServiceProviderConfig)
		discovery(p, allow("GET"))
	}
	for p, fn := range map[string]func(c *call) error{"/Schemas": (*call).serveSchemas, "/ResourceTypes": (*call).serveResourceTypes} {
		discovery("GET "+p, fn)
		discovery("GET "+p+"/{id}", fn)
		discovery(p, allow("GET"))
		discovery(p+"/{id}", allow("GET"))
	}
	notImplemented := func(detail string) func(c *call) error {
		return func(c *call) error { return &Error{Status: http.StatusNotImplemented, Detail: detail} }
	}
	bulk := notImplemented("bulk operations are not supported (see bulk.supported in /ServiceProviderConfig)")
	me := notImplemented("the /Me endpoint is not supported")
	handle("/Bulk", OpOther, "", bulk)
	handle("/Bulk/", OpOther, "", bulk)
	handle("/Me", OpOther, "", me)
	handle("/Me/", OpOther, "", me)
	handle("/", OpOther, "", (*call).notFound)
	return m
}

// endpoints are the first path segments of the routes, in the letter case of their
// patterns.
var endpoints = []string{"Users", "Groups", ".search", "ServiceProviderConfig", "ServiceProviderConfigs",
	"Schemas", "ResourceTypes", "Bulk", "Me"}

// canonicalPath brings p into the form of the route patterns: one slash between
// segments, none at the end, and the first segment in the letter case of its
// pattern ("/users" is "/Users"). It returns p itself when p is already in that
// form, and false for a path with a "." or ".." segment, which names no endpoint
// (the ServeMux would answer it with a redirect).
func canonicalPath(p string) (string, bool) {
	if p == "" {
		return "/", true
	}
	clean := p[0] == '/' && !strings.Contains(p, "//") && (len(p) == 1 || p[len(p)-1] != '/')
	var segs []string
	if !clean || strings.Contains(p, "/.") {
		segs = strings.FieldsFunc(p, func(r rune) bool { return r == '/' })
		for _, s := range segs {
			if s == "." || s == ".." {
				return "", false
			}
		}
	}
	first := p
	if segs != nil {
		if len(segs) == 0 {
			return "/", true
		}
		first = segs[0]
	} else {
		first = strings.TrimPrefix(first, "/")
		if i := strings.IndexByte(first, '/'); i >= 0 {
			first = first[:i]
		}
	}
	canon := first
	switch first {
	case "Users", "Groups", ".search", "ServiceProviderConfig", "ServiceProviderConfigs",
		"Schemas", "ResourceTypes", "Bulk", "Me": // endpoints, as they are
	default:
		for _, e := range endpoints {
			if strings.EqualFold(first, e) {
				canon = e
				break
			}
		}
	}
	if clean && canon == first {
		return p, true
	}
	if segs == nil {
		segs = strings.FieldsFunc(p, func(r rune) bool { return r == '/' })
	}
	segs[0] = canon
	return "/" + strings.Join(segs, "/"), true
}
