package scimtest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// This file holds the HTTP client side of RunIdPFlows: requests sent the way the
// identity providers send them, and assertions on SCIM responses.

const (
	sUser   = "urn:ietf:params:scim:schemas:core:2.0:User"
	sEnt    = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	sGroup  = "urn:ietf:params:scim:schemas:core:2.0:Group"
	sPatch  = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
	sList   = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
	sErr    = "urn:ietf:params:scim:api:messages:2.0:Error"
	sADSCIM = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"
)

// idp drives one handler as an identity provider would.
type idp struct {
	h         http.Handler
	token     string
	userAgent string // "" sends no User-Agent, as Entra ID may
}

// response is a recorded response with its body decoded.
type response struct {
	Status int
	Header http.Header
	Body   []byte
	JSON   map[string]any // nil when the body is empty or not an object
}

// do sends one request. body is sent as is when it is a string or []byte, else
// encoded as JSON. hdr holds header name/value pairs that override the defaults
// (Authorization: Bearer <token>, Content-Type: application/scim+json).
func (c *idp) do(t testing.TB, method, path string, body any, hdr ...string) *response {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	case []byte:
		rd = bytes.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatalf("encoding request body: %v", err)
		}
		rd = bytes.NewReader(data)
	}
	req := httptest.NewRequest(method, "http://idp.test"+path, rd)
	req.Header.Del("User-Agent")
	if c.userAgent != "" {
		req.Header.Set("User-Agent", c.userAgent)
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	if rd != nil {
		req.Header.Set("Content-Type", "application/scim+json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i+1] == "" {
			req.Header.Del(hdr[i])
		} else {
			req.Header.Set(hdr[i], hdr[i+1])
		}
	}
	rec := httptest.NewRecorder()
	c.h.ServeHTTP(rec, req)
	res := &response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}
	if len(bytes.TrimSpace(res.Body)) > 0 {
		dec := json.NewDecoder(bytes.NewReader(res.Body))
		dec.UseNumber()
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			t.Errorf("%s %s: response body is not a JSON object: %v\n%s", method, path, err, clipBody(res.Body))
		} else {
			res.JSON = m
		}
	}
	return res
}

func clipBody(b []byte) string {
	if len(b) > 2000 {
		return string(b[:2000]) + "…"
	}
	return string(b)
}

// status asserts the status code and, for bodies, the SCIM media type (RFC-CT-1);
// for 4xx and 5xx it asserts a SCIM error body (RFC-ERR-1).
func (r *response) status(t testing.TB, want int) bool {
	t.Helper()
	if r.Status != want {
		t.Errorf("status %d, want %d; body: %s", r.Status, want, clipBody(r.Body))
		return false
	}
	if len(r.Body) > 0 {
		if ct := r.Header.Get("Content-Type"); ct != "application/scim+json" {
			t.Errorf("Content-Type %q, want application/scim+json (RFC-CT-1)", ct)
		}
	}
	if want >= 400 {
		r.scimError(t, want, "")
	}
	return true
}

// scimError asserts an RFC 7644 error body with status as a string; scimType ""
// accepts any.
func (r *response) scimError(t testing.TB, status int, scimType string) {
	t.Helper()
	if r.JSON == nil {
		t.Errorf("error response without a JSON body")
		return
	}
	if !hasString(r.JSON["schemas"], sErr) {
		t.Errorf("error body schemas %v lacks %s", r.JSON["schemas"], sErr)
	}
	if s, ok := r.JSON["status"].(string); !ok || s != strconv.Itoa(status) {
		t.Errorf("error body status %#v, want the string %q (RFC-ERR-1)", r.JSON["status"], strconv.Itoa(status))
	}
	if d, _ := r.JSON["detail"].(string); d == "" {
		t.Errorf("error body has no detail")
	}
	if scimType != "" && r.JSON["scimType"] != scimType {
		t.Errorf("scimType %#v, want %q; detail: %v", r.JSON["scimType"], scimType, r.JSON["detail"])
	}
}

// list asserts an RFC-LIST-1 ListResponse with totalResults n and returns its
// resources.
func (r *response) list(t testing.TB, n int) []map[string]any {
	t.Helper()
	if !r.status(t, http.StatusOK) || r.JSON == nil {
		return nil
	}
	if !hasString(r.JSON["schemas"], sList) {
		t.Errorf("list schemas %v lacks %s", r.JSON["schemas"], sList)
	}
	for _, k := range []string{"totalResults", "startIndex", "itemsPerPage"} {
		if _, ok := r.JSON[k].(json.Number); !ok {
			t.Errorf("%s = %#v, want a JSON integer (RFC-LIST-1)", k, r.JSON[k])
		}
	}
	if got := num(r.JSON["totalResults"]); got != n {
		t.Errorf("totalResults %d, want %d; body: %s", got, n, clipBody(r.Body))
	}
	raw, ok := r.JSON["Resources"].([]any)
	if !ok {
		t.Errorf("Resources = %#v, want an array (RFC-LIST-1)", r.JSON["Resources"])
		return nil
	}
	if num(r.JSON["itemsPerPage"]) != len(raw) {
		t.Errorf("itemsPerPage %v but %d resources", r.JSON["itemsPerPage"], len(raw))
	}
	out := make([]map[string]any, 0, len(raw))
	for _, x := range raw {
		m, _ := x.(map[string]any)
		out = append(out, m)
	}
	return out
}

// get returns the value at a dotted path; a numeric segment indexes an array.
// Extension attributes, whose URN keys contain dots, are read with ent.
func get(v any, path string) any {
	for path != "" {
		var seg string
		seg, path, _ = strings.Cut(path, ".")
		switch x := v.(type) {
		case map[string]any:
			v = x[seg]
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

// str returns the string at path, or "".
func str(v any, path string) string {
	s, _ := get(v, path).(string)
	return s
}

// ent returns the enterprise attribute name of a user.
func ent(u map[string]any, name string) any {
	m, _ := u[sEnt].(map[string]any)
	return get(m, name)
}

func num(v any) int {
	if n, ok := v.(json.Number); ok {
		i, err := n.Int64()
		if err == nil {
			return int(i)
		}
	}
	return -1
}

func hasString(v any, s string) bool {
	l, _ := v.([]any)
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// expect compares a value at path with want and reports a mismatch.
func expect(t testing.TB, v any, path string, want any) {
	t.Helper()
	got := get(v, path)
	if n, ok := got.(json.Number); ok {
		if w, ok := want.(int); ok {
			if num(n) != w {
				t.Errorf("%s = %v, want %v", path, got, want)
			}
			return
		}
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s = %#v, want %#v", path, got, want)
	}
}

// memberValues returns the member ids of a group resource.
func memberValues(g map[string]any) []string {
	l, _ := g["members"].([]any)
	var out []string
	for _, m := range l {
		out = append(out, str(m, "value"))
	}
	return out
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]int{}
	for _, x := range a {
		m[x]++
	}
	for _, x := range b {
		m[x]--
		if m[x] < 0 {
			return false
		}
	}
	return true
}

// patchOps builds a PatchOp body.
func patchOps(ops ...map[string]any) map[string]any {
	l := make([]any, len(ops))
	for i, o := range ops {
		l[i] = o
	}
	return map[string]any{"schemas": []any{sPatch}, "Operations": l}
}

// op builds one PATCH operation; path "" and value nil are left out.
func op(name, path string, value any) map[string]any {
	m := map[string]any{"op": name}
	if path != "" {
		m["path"] = path
	}
	if value != nil {
		m["value"] = value
	}
	return m
}

// q escapes a filter for a query string the way Entra ID does (spaces as +).
func q(filter string) string {
	var b strings.Builder
	for i := 0; i < len(filter); i++ {
		c := filter[i]
		switch {
		case c == ' ':
			b.WriteByte('+')
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_':
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}
