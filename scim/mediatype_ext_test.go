package scim_test

import (
	"strconv"
	"strings"
	"testing"

	"github.com/scimkit/scimkit/scim"
)

// RFC-CT-1: every response is application/scim+json whatever Accept asks for, never 406.
func TestResponsesAreSCIMJSONWhateverTheAccept(t *testing.T) {
	h, _ := newHandler(t)
	for _, accept := range []string{"application/xml", "text/html", "application/json", "*/*"} {
		r := call(t, h, "GET", "/Users", nil, "Accept", accept)
		r.want(t, 200)
		if ct := r.Header.Get("Content-Type"); ct != "application/scim+json" {
			t.Errorf("Accept %s: Content-Type %q", accept, ct)
		}
	}
	call(t, h, "GET", "/Users/nope", nil, "Accept", "text/html").want(t, 404)
}

// RFC-CT-2: scim+json, json, a charset or no Content-Type are read; bad JSON is 400 invalidSyntax; too large is 413.
func TestRequestBodiesInEveryJSONMediaType(t *testing.T) {
	h, _ := newHandler(t)
	for i, ct := range []string{"application/scim+json", "application/json", "application/scim+json; charset=utf-8", "application/json;charset=UTF-8", ""} {
		call(t, h, "POST", "/Users", user("u"+strconv.Itoa(i)+"@x.example"), "Content-Type", ct).want(t, 201)
	}
	call(t, h, "POST", "/Users", `{"userName":`, "Content-Type", "application/json").want(t, 400, "invalidSyntax")
	call(t, h, "POST", "/Users", `[1,2]`).want(t, 400, "invalidSyntax")
	call(t, h, "POST", "/Users", ``).want(t, 400, "invalidSyntax")
	small, _ := newHandler(t, func(c *scim.Config) { c.MaxBodyBytes = 100 })
	call(t, small, "POST", "/Users", map[string]any{"userName": strings.Repeat("x", 200)}).want(t, 413)
	call(t, small, "PATCH", "/Users/x", patchBody(op("add", "title", strings.Repeat("x", 200)))).want(t, 413)
}
