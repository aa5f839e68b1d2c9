package scim_test

import (
	"encoding/json"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/scimkit/scimkit/scim"
)

var (
	fuzzOnce    sync.Once
	fuzzHandler *scim.Handler
	fuzzIDs     []string
)

// fuzzSetup builds one handler with a few users and a group, shared by the fuzz
// iterations of a process.
func fuzzSetup(t testing.TB) {
	fuzzOnce.Do(func() {
		h, _ := newHandler(t)
		a := mustCreate(t, h, user("a@x.example"))
		b := mustCreate(t, h, user("b@x.example"))
		g := str(call(t, h, "POST", "/Groups", map[string]any{"displayName": "G", "members": []any{map[string]any{"value": a}}}).want(t, 201).JSON, "id")
		fuzzHandler, fuzzIDs = h, []string{a, b, g}
	})
}

var fuzzMethods = []string{"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE", "BREW"}

// FuzzHandler throws random methods, paths, query strings, headers and bodies at
// the Handler over memstore (RFC-ERR-2): no panic, no 5xx, and every 4xx is a SCIM
// error body with the SCIM media type.
// RFC-ERR-2: no fuzzed method, path, query, header or body gives a panic or a 5xx.
func FuzzHandler(f *testing.F) {
	seeds := []struct {
		m           uint8
		path, query string
		ct, body    string
		ifMatch     string
	}{
		{0, "Users", "filter=userName eq \"a@x.example\"", "", "", ""},
		{0, "Users", "startIndex=x&count=-1&sortBy=name&attributes=emails.value", "", "", ""},
		{1, "Users", "", "application/json", `{"userName":"n@x.example","active":"False","emails":{"value":"x"}}`, ""},
		{1, "Users/.search", "", "", `{"filter":"emails[type eq \"work\"].value co \"x\"","count":"2"}`, ""},
		{2, "Users/$0", "", "", `{"userName":"a@x.example","name":null,"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":"$1"}}`, `W/"1"`},
		{3, "Users/$0", "", "", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Replace","path":"emails[type eq \"work\"].value","value":"z"}]}`, ""},
		{3, "Groups/$2", "", "", `{"Operations":[{"op":"remove","path":"members[value eq \"$0\"]"},{"op":"add","path":"members","value":[{"value":"$1"}]}]}`, ""},
		{3, "Groups/$2", "", "", `{"Operations":[{"op":"add","value":{"displayName":"H","members":[{"value":"nope"}]}}]}`, ""},
		{4, "Users/$1", "", "", "", "*"},
		{0, "Schemas/urn:ietf:params:scim:schemas:core:2.0:User", "filter=x", "", "", ""},
		{1, "Bulk", "", "", "{}", ""},
		{0, "Groups/$2", "excludedAttributes=members&attributes=", "", "", ""},
		{2, "Groups/$2", "", "", `{"displayName":"G","members":[{"value":"$0"},{"value":"$0"}]}`, ""},
		{0, "ResourceTypes/User/x", "", "", "", ""},
		{1, "Users", "", "text/plain", `[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]`, ""},
		{2, "Users/$0", "", "", `{"userName":"a@x.example","name.givenName":null,"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department":null,"urn:ietf:params:scim:schemas:core:2.0:User":{"title":null},"name":{}}`, ""},
		{1, "Users", "", "", `{"userName":"d@x.example","emails":[{"value":"a","type":"work"},{"value":"A","type":"WORK","primary":true}],"addresses":[{"locality":"x"},{"locality":"x","primary":true}]}`, ""},
		{1, "Users", "", "", `{"userName":"n\u0000@x.example"}`, ""},
		{3, "Users/a\x00b", "", "", `{"Operations":[{"op":"add","path":"title","value":"t"}]}`, ""},
		{2, "Groups/$2", "", "", `{"displayName":"G","members":[{"value":"$2"},{"value":"$0"},{"value":"$0"}]}`, ""},
	}
	for _, s := range seeds {
		f.Add(s.m, s.path, s.query, s.ct, s.body, s.ifMatch)
	}
	f.Fuzz(func(t *testing.T, m uint8, path, query, ct, body, ifMatch string) {
		fuzzSetup(t)
		for i, id := range fuzzIDs {
			ph := "$" + strconv.Itoa(i)
			path = strings.ReplaceAll(path, ph, id)
			body = strings.ReplaceAll(body, ph, id)
		}
		method := fuzzMethods[int(m)%len(fuzzMethods)]
		r := httptest.NewRequest("GET", "/", nil)
		r.Method = method
		r.URL.Path = "/" + path
		r.URL.RawQuery = query
		r.RequestURI = r.URL.RequestURI()
		r.Body = nopCloser{strings.NewReader(body)}
		r.ContentLength = int64(len(body))
		r.Header.Set("Authorization", "Bearer "+token)
		if ct != "" {
			r.Header.Set("Content-Type", ct)
		}
		if ifMatch != "" {
			r.Header.Set("If-Match", ifMatch)
			r.Header.Set("If-None-Match", ifMatch)
		}
		w := httptest.NewRecorder()
		fuzzHandler.ServeHTTP(w, r)
		if w.Code >= 500 && w.Code != 501 {
			t.Fatalf("%s /%s?%s body %q: status %d: %s", method, path, query, body, w.Code, w.Body.String())
		}
		if method == "HEAD" {
			return // no body, by HTTP's rules
		}
		if w.Code >= 400 {
			if w.Header().Get("Content-Type") != "application/scim+json" {
				t.Fatalf("%d without SCIM media type", w.Code)
			}
			var e struct {
				Schemas []string
				Status  string
				Detail  string
			}
			if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || len(e.Schemas) != 1 || e.Schemas[0] != sErr || e.Status != strconv.Itoa(w.Code) || e.Detail == "" {
				t.Fatalf("%s /%s: %d with a bad error body: %s", method, path, w.Code, w.Body.String())
			}
		} else if w.Body.Len() > 0 && !json.Valid(w.Body.Bytes()) {
			t.Fatalf("%s /%s: invalid JSON response: %s", method, path, w.Body.String())
		}
	})
}

type nopCloser struct{ *strings.Reader }

func (nopCloser) Close() error { return nil }
