package scim_test

import (
	"io"
	"net/http/httptest"
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

// A body is held to Config.MaxBodyBytes whatever its declared length: unknown
// (chunked) or smaller than what it holds.
func TestBodyLimitHoldsForUnknownAndUnderstatedLengths(t *testing.T) {
	h, _ := newHandler(t, func(c *scim.Config) { c.MaxBodyBytes = 100 })
	serve := func(body string, length int64) int {
		r := httptest.NewRequest("POST", "/Users", nil)
		r.Header.Set("Authorization", "Bearer "+token)
		r.Header.Set("Content-Type", "application/scim+json")
		r.Body, r.ContentLength = io.NopCloser(strings.NewReader(body)), length
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w.Code
	}
	big := `{"userName":"` + strings.Repeat("x", 200) + `"}`
	for _, length := range []int64{-1, 10} {
		if code := serve(big, length); code != 413 {
			t.Errorf("200-byte body declared as %d bytes: status %d, want 413", length, code)
		}
	}
	small := `{"userName":"chunked@x.example"}`
	for _, length := range []int64{-1, int64(len(small))} {
		if code := serve(small, length); code != 201 {
			t.Errorf("small body declared as %d bytes: status %d, want 201", length, code)
		}
		small = strings.Replace(small, "chunked", "declared", 1)
	}
}
