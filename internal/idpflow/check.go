package idpflow

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strconv"
	"strings"
)

const (
	sUser   = "urn:ietf:params:scim:schemas:core:2.0:User"
	sEnt    = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	sGroup  = "urn:ietf:params:scim:schemas:core:2.0:Group"
	sPatch  = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
	sList   = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
	sErr    = "urn:ietf:params:scim:api:messages:2.0:Error"
	sADSCIM = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"
)

// C is the running case: it sends requests and records failed assertions.
type C struct {
	ctx    context.Context
	s      *Session
	res    *Result
	last   *response
	Marker string // the run marker of the flow's resources
}

// stop unwinds a case that cannot go on (fatal failure or skip).
type stop struct{}

func (c *C) errorf(format string, args ...any) {
	f := Failure{Message: fmt.Sprintf(format, args...)}
	if r := c.last; r != nil {
		f.Request = r.reqLine
		f.Response = strconv.Itoa(r.Status) + " " + clip(r.Body, 300)
	}
	c.res.Failures = append(c.res.Failures, f)
}

func (c *C) fatalf(format string, args ...any) {
	c.errorf(format, args...)
	c.res.fatal = true
	panic(stop{})
}

func (c *C) skip(reason string) {
	c.res.Outcome, c.res.Reason = Skip, reason
	panic(stop{})
}

func (c *C) logf(format string, args ...any) {
	c.res.Logs = append(c.res.Logs, fmt.Sprintf(format, args...))
}

// response is a received response with its body decoded.
type response struct {
	c       *C
	reqLine string
	Status  int
	Header  http.Header
	Body    []byte
	JSON    map[string]any // nil when the body is empty or not an object
}

// do sends one request. body is sent as is when it is a string, else encoded as
// JSON. hdr holds header name/value pairs that override the defaults (the bearer
// token, Content-Type: application/scim+json); an empty value removes the header.
// A request that gets no answer ends the case.
func (c *C) do(method, path string, body any, hdr ...string) *response {
	var data []byte
	switch b := body.(type) {
	case nil:
	case string:
		data = []byte(b)
	default:
		var err error
		if data, err = json.Marshal(b); err != nil {
			panic(err) // a case bug, not a server failure
		}
	}
	h := http.Header{}
	if ua := c.s.flow.UserAgent; ua != "" {
		h.Set("User-Agent", ua)
	}
	h.Set("Authorization", "Bearer "+c.s.token)
	if data != nil {
		h.Set("Content-Type", "application/scim+json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i+1] == "" {
			h.Del(hdr[i])
		} else {
			h.Set(hdr[i], hdr[i+1])
		}
	}
	line := method + " " + path
	if data != nil {
		line += " " + clip(data, 400)
	}
	resp, err := c.s.client.Do(c.ctx, Request{Method: method, Path: path, Header: h, Body: data})
	if err != nil {
		c.last = nil
		c.res.Failures = append(c.res.Failures, Failure{Message: "no answer: " + err.Error(), Request: line})
		c.res.fatal = true
		panic(stop{})
	}
	r := &response{c: c, reqLine: line, Status: resp.Status, Header: resp.Header, Body: resp.Body}
	c.last = r
	if len(bytes.TrimSpace(r.Body)) > 0 {
		dec := json.NewDecoder(bytes.NewReader(r.Body))
		dec.UseNumber()
		var m map[string]any
		if err := dec.Decode(&m); err != nil {
			c.errorf("the response body is not a JSON object: %v", err)
		} else {
			r.JSON = m
		}
	}
	c.s.created.track(method, path, r.Status, str(r.JSON, "id"))
	return r
}

func clip(b []byte, n int) string {
	s := strings.TrimSpace(string(b))
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// status asserts the status code and, for bodies, the SCIM media type (RFC-CT-1);
// for 4xx and 5xx it asserts a SCIM error body (RFC-ERR-1).
func (r *response) status(want int) bool {
	c := r.c
	c.last = r
	if r.Status != want {
		c.errorf("status %d, want %d", r.Status, want)
		return false
	}
	if len(r.Body) > 0 {
		if ct := r.Header.Get("Content-Type"); ct != "application/scim+json" {
			c.errorf("Content-Type %q, want application/scim+json (RFC-CT-1)", ct)
		}
	}
	if want >= 400 {
		r.scimError(want, "")
	}
	return true
}

// must is status that ends the case when the status is wrong: later steps build
// on the answer.
func (r *response) must(want int) *response {
	if !r.status(want) {
		r.c.res.fatal = true
		panic(stop{})
	}
	return r
}

// scimError asserts an RFC 7644 error body whose status is the string form of
// status; scimType "" accepts any.
func (r *response) scimError(status int, scimType string) {
	c := r.c
	c.last = r
	if r.JSON == nil {
		c.errorf("error response without a JSON body (RFC-ERR-1)")
		return
	}
	if !hasString(r.JSON["schemas"], sErr) {
		c.errorf("error body schemas %v lacks %s (RFC-ERR-1)", r.JSON["schemas"], sErr)
	}
	if s, ok := r.JSON["status"].(string); !ok || s != strconv.Itoa(status) {
		c.errorf("error body status %#v, want the string %q (RFC-ERR-1)", r.JSON["status"], strconv.Itoa(status))
	}
	if d, _ := r.JSON["detail"].(string); d == "" {
		c.errorf("error body has no detail (RFC-ERR-1)")
	}
	if scimType != "" && r.JSON["scimType"] != scimType {
		c.errorf("scimType %#v, want %q", r.JSON["scimType"], scimType)
	}
}

// list asserts an RFC-LIST-1 ListResponse with totalResults n (n < 0 accepts any)
// and returns its resources.
func (r *response) list(n int) []map[string]any {
	c := r.c
	if !r.status(http.StatusOK) || r.JSON == nil {
		return nil
	}
	if !hasString(r.JSON["schemas"], sList) {
		c.errorf("list schemas %v lacks %s (RFC-LIST-1)", r.JSON["schemas"], sList)
	}
	for _, k := range []string{"totalResults", "startIndex", "itemsPerPage"} {
		if _, ok := r.JSON[k].(json.Number); !ok {
			c.errorf("%s = %#v, want a JSON integer (RFC-LIST-1)", k, r.JSON[k])
		}
	}
	if got := num(r.JSON["totalResults"]); n >= 0 && got != n {
		c.errorf("totalResults %d, want %d", got, n)
	}
	raw, ok := r.JSON["Resources"].([]any)
	if !ok {
		c.errorf("Resources = %#v, want an array, [] when empty (RFC-LIST-1)", r.JSON["Resources"])
		return nil
	}
	if num(r.JSON["itemsPerPage"]) != len(raw) {
		c.errorf("itemsPerPage %v but %d resources (RFC-LIST-1)", r.JSON["itemsPerPage"], len(raw))
	}
	out := make([]map[string]any, 0, len(raw))
	for _, x := range raw {
		m, _ := x.(map[string]any)
		out = append(out, m)
	}
	return out
}

// expect compares the value at path with want.
func (c *C) expect(v any, path string, want any) {
	got := get(v, path)
	if n, ok := got.(json.Number); ok {
		if w, ok := want.(int); ok {
			if num(n) != w {
				c.errorf("%s = %v, want %v", path, got, want)
			}
			return
		}
	}
	if !reflect.DeepEqual(got, want) {
		c.errorf("%s = %#v, want %#v", path, got, want)
	}
}

// groups reports whether the server serves /Groups. A server may leave Group out
// of /ResourceTypes or answer 404 on /Groups; either turns group steps into skips.
func (c *C) groups() bool {
	return c.s.hasGroups(c)
}

// randomGUID returns a random UUID-shaped string, as Entra's probes use.
func randomGUID() string {
	var b [16]byte
	rand.Read(b[:])
	s := hex.EncodeToString(b[:])
	return s[:8] + "-" + s[8:12] + "-" + s[12:16] + "-" + s[16:20] + "-" + s[20:]
}

// NewMarker returns a fresh run marker: short, lower-case, letters and digits.
func NewMarker() string {
	var b [4]byte
	rand.Read(b[:])
	return "sc" + hex.EncodeToString(b[:])
}
