package main

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/scim/memstore"
)

// This file holds the servers the command is tested against: a correct scim.Handler
// over memstore, and wrappers that break it the way servers in the field are broken.

const testToken = "scimcheck-test-token"

// prefix is where the test servers mount SCIM, as an app would.
const prefix = "/scim/v2"

// newCorrect returns a scim.Handler over a fresh memstore, under prefix.
func newCorrect(t *testing.T) http.Handler {
	t.Helper()
	st := memstore.New(memstore.Options{})
	h, err := scim.NewHandler(scim.Config{Users: st, Groups: st, Auth: scim.StaticToken(testToken)})
	if err != nil {
		t.Fatal(err)
	}
	return http.StripPrefix(prefix, h)
}

// serve starts h on loopback and returns the SCIM base URL.
func serve(t *testing.T, h http.Handler) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return srv.URL + prefix
}

// intercept runs h on a recorder, lets edit change the recorded answer, and then
// writes it. edit sees the request after h read its body.
func intercept(h http.Handler, edit func(r *http.Request, rec *httptest.ResponseRecorder)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		edit(r, rec)
		for k, v := range rec.Header() {
			w.Header()[k] = v
		}
		w.Header().Del("Content-Length")
		w.WriteHeader(rec.Code)
		w.Write(rec.Body.Bytes())
	})
}

// rewriteBody decodes a JSON request body, lets edit change it, and re-encodes it.
func rewriteBody(r *http.Request, edit func(body map[string]any)) {
	data, _ := io.ReadAll(r.Body)
	var m map[string]any
	if json.Unmarshal(data, &m) == nil {
		edit(m)
		data, _ = json.Marshal(m)
	}
	r.Body = io.NopCloser(bytes.NewReader(data))
	r.ContentLength = int64(len(data))
}

func setBody(rec *httptest.ResponseRecorder, status int, body any) {
	data, _ := json.Marshal(body)
	rec.Code = status
	rec.Body = bytes.NewBuffer(data)
}

// notFoundOnEmptyFilter answers 404 when a filter matches nothing (TRAP-8).
func notFoundOnEmptyFilter(h http.Handler) http.Handler {
	return intercept(h, func(r *http.Request, rec *httptest.ResponseRecorder) {
		if r.Method != "GET" || r.URL.Query().Get("filter") == "" || rec.Code != 200 {
			return
		}
		var l struct{ TotalResults int }
		if json.Unmarshal(rec.Body.Bytes(), &l) == nil && l.TotalResults == 0 {
			setBody(rec, 404, map[string]any{"schemas": []string{"urn:ietf:params:scim:api:messages:2.0:Error"}, "status": "404", "detail": "no such user"})
		}
	})
}

// caseSensitiveUserName drops filter matches whose userName differs from the
// filter's value in letter case (TRAP-6).
func caseSensitiveUserName(h http.Handler) http.Handler {
	return intercept(h, func(r *http.Request, rec *httptest.ResponseRecorder) {
		f := r.URL.Query().Get("filter")
		want, ok := strings.CutPrefix(f, `userName eq "`)
		if r.Method != "GET" || !ok || rec.Code != 200 {
			return
		}
		want = strings.TrimSuffix(want, `"`)
		var l map[string]any
		if json.Unmarshal(rec.Body.Bytes(), &l) != nil {
			return
		}
		res, _ := l["Resources"].([]any)
		kept := []any{}
		for _, x := range res {
			if u, _ := x.(map[string]any); u["userName"] == want {
				kept = append(kept, x)
			}
		}
		l["Resources"], l["totalResults"], l["itemsPerPage"] = kept, len(kept), len(kept)
		setBody(rec, 200, l)
	})
}

// editGroupPatches lets edit change each operation of a group PATCH before h
// reads it.
func editGroupPatches(h http.Handler, edit func(op map[string]any)) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "PATCH" && strings.Contains(r.URL.Path, "/Groups/") {
			rewriteBody(r, func(body map[string]any) {
				ops, _ := body["Operations"].([]any)
				for _, o := range ops {
					if m, ok := o.(map[string]any); ok {
						edit(m)
					}
				}
			})
		}
		h.ServeHTTP(w, r)
	})
}

// removeAllMembers treats Remove of members with a value list as "remove every
// member" (TRAP-1).
func removeAllMembers(h http.Handler) http.Handler {
	return editGroupPatches(h, func(op map[string]any) {
		if name, _ := op["op"].(string); strings.EqualFold(name, "remove") && op["path"] == "members" {
			delete(op, "value")
		}
	})
}

// managerAsString returns the enterprise manager as its bare id (TRAP-11).
func managerAsString(h http.Handler) http.Handler {
	const ent = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	flatten := func(u map[string]any) {
		if e, ok := u[ent].(map[string]any); ok {
			if m, ok := e["manager"].(map[string]any); ok {
				e["manager"] = m["value"]
			}
		}
	}
	return intercept(h, func(r *http.Request, rec *httptest.ResponseRecorder) {
		var m map[string]any
		if !strings.Contains(r.URL.Path, "/Users") || json.Unmarshal(rec.Body.Bytes(), &m) != nil {
			return
		}
		flatten(m)
		res, _ := m["Resources"].([]any)
		for _, x := range res {
			if u, ok := x.(map[string]any); ok {
				flatten(u)
			}
		}
		setBody(rec, rec.Code, m)
	})
}

// emptiesGroupOnRename treats a path-less group replace without members as
// "members = []" (TRAP-4).
func emptiesGroupOnRename(h http.Handler) http.Handler {
	return editGroupPatches(h, func(op map[string]any) {
		if v, ok := op["value"].(map[string]any); ok && op["path"] == nil {
			if _, has := v["members"]; !has {
				v["members"] = []any{}
			}
		}
	})
}

// htmlUnauthorized answers a missing or wrong token with an HTML page, as some
// authentication middleware does.
func htmlUnauthorized(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+testToken {
			w.Header().Set("Content-Type", "text/html")
			w.WriteHeader(401)
			io.WriteString(w, "<html><body>Unauthorized</body></html>")
			return
		}
		h.ServeHTTP(w, r)
	})
}

// failingGroupCreate answers 500 to every POST /Groups, and refuses to delete
// users, so that group cases are blocked and cleanup has leftovers.
func failingGroupCreate(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "POST" && strings.HasSuffix(strings.TrimSuffix(r.URL.Path, "/"), "/Groups") {
			w.Header().Set("Content-Type", "application/scim+json")
			w.WriteHeader(500)
			io.WriteString(w, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"500","detail":"groups are down"}`)
			return
		}
		h.ServeHTTP(w, r)
	})
}

// newClosedURL returns the base URL of a server that no longer listens.
func newClosedURL(t *testing.T) string {
	srv := httptest.NewServer(http.NotFoundHandler())
	srv.Close()
	return srv.URL + prefix
}

// postUser creates a user on the server, as another client of the tenant would.
func postUser(t *testing.T, base, userName string) {
	t.Helper()
	body := `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"` + userName + `","name":{"givenName":"Pre","familyName":"Existing"},"emails":[{"value":"` + userName + `","primary":true}],"active":true}`
	req, _ := http.NewRequest("POST", base+"/Users", strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+testToken)
	req.Header.Set("Content-Type", "application/scim+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("creating %s: %d", userName, resp.StatusCode)
	}
}
