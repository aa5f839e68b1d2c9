package scim_test

import (
	"strings"
	"testing"

	"github.com/scimkit/scimkit/scim"
)

// RFC-ETAG-1: ETag is meta.version; a stale If-Match is 412, a matching If-None-Match 304; NoETags turns both off and says so.
func TestETagsAndPreconditions(t *testing.T) {
	h, _ := newHandler(t)
	r := call(t, h, "POST", "/Users", user("etag@x.example")).want(t, 201)
	id := str(r.JSON, "id")
	tag := r.Header.Get("ETag")
	if !strings.HasPrefix(tag, `W/"`) || str(r.JSON, "meta.version") != tag {
		t.Fatalf("ETag %q, meta.version %q", tag, str(r.JSON, "meta.version"))
	}
	g := call(t, h, "GET", "/Users/"+id, nil, "If-None-Match", tag)
	if g.Code != 304 || g.Body != "" {
		t.Errorf("If-None-Match: %d %q", g.Code, g.Body)
	}
	call(t, h, "GET", "/Users/"+id, nil, "If-None-Match", `W/"other"`).want(t, 200)
	call(t, h, "PATCH", "/Users/"+id, patchBody(op("replace", "title", "x")), "If-Match", `W/"stale"`).want(t, 412)
	call(t, h, "PUT", "/Users/"+id, map[string]any{"userName": "etag@x.example"}, "If-Match", `W/"stale"`).want(t, 412)
	call(t, h, "DELETE", "/Users/"+id, nil, "If-Match", `W/"stale"`).want(t, 412)
	r2 := call(t, h, "PATCH", "/Users/"+id, patchBody(op("replace", "title", "x")), "If-Match", tag).want(t, 200)
	if r2.Header.Get("ETag") == tag {
		t.Error("version did not change")
	}
	// A PATCH that changes nothing keeps the version (RFC-PATCH-1).
	r3 := call(t, h, "PATCH", "/Users/"+id, patchBody(op("replace", "title", "x"))).want(t, 200)
	if r3.Header.Get("ETag") != r2.Header.Get("ETag") {
		t.Error("no-op PATCH bumped the version")
	}
	call(t, h, "DELETE", "/Users/"+id, nil, "If-Match", r3.Header.Get("ETag")).want(t, 204)

	// Groups, on the MemberPatcher path and the general one.
	gr := call(t, h, "POST", "/Groups", map[string]any{"displayName": "E"}).want(t, 201)
	gid, gtag := str(gr.JSON, "id"), gr.Header.Get("ETag")
	member := mustCreate(t, h, user("member@x.example"))
	add := patchBody(op("add", "members", []any{map[string]any{"value": member}}))
	call(t, h, "PATCH", "/Groups/"+gid, add, "If-Match", `W/"stale"`).want(t, 412)
	call(t, h, "PATCH", "/Groups/"+gid, add, "If-Match", `W/"stale", W/"stale2"`).want(t, 412)
	pr := call(t, h, "PATCH", "/Groups/"+gid, add, "If-Match", gtag).want(t, 204)
	if pr.Header.Get("ETag") == "" || pr.Header.Get("ETag") == gtag {
		t.Errorf("group ETag after PATCH: %q (was %q)", pr.Header.Get("ETag"), gtag)
	}
	call(t, h, "PUT", "/Groups/"+gid, map[string]any{"displayName": "E2"}, "If-Match", gtag).want(t, 412)
	call(t, h, "GET", "/Groups/"+gid, nil, "If-None-Match", pr.Header.Get("ETag")).want(t, 304)
	call(t, h, "DELETE", "/Groups/"+gid, nil, "If-Match", gtag).want(t, 412)
	call(t, h, "DELETE", "/Groups/"+gid, nil, "If-Match", "*").want(t, 204)
	sp := call(t, h, "GET", "/ServiceProviderConfig", nil).want(t, 200)
	if get(sp.JSON, "etag.supported") != true {
		t.Error("etag.supported not true over memstore")
	}
	off, _ := newHandler(t, func(c *scim.Config) { c.NoETags = true })
	r = call(t, off, "POST", "/Users", user("e2@x.example")).want(t, 201)
	if r.Header.Get("ETag") != "" || get(call(t, off, "GET", "/ServiceProviderConfig", nil).JSON, "etag.supported") != false {
		t.Error("NoETags still sends ETags or advertises them")
	}
}
