package idpflow_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/scimkit/scimkit/internal/idpflow"
)

// ExampleSelect shows that selecting one case brings the cases it builds on.
func ExampleSelect() {
	flows := idpflow.Select(idpflow.Flows("sc0"), []string{"okta-spec"}, regexp.MustCompile(`^OKTA-SPEC-8$`))
	for _, f := range flows {
		for _, k := range f.Cases {
			fmt.Println(f.Name, k.ID, k.Needs)
		}
	}
	// Output:
	// Okta OKTA-SPEC-6 []
	// Okta OKTA-SPEC-8 [OKTA-SPEC-6]
}

// TestEveryCaseIsComplete checks what the report of a failure relies on: each case
// has a title, a consequence, its own id first among its requirements, a known
// suite, and prerequisites that come before it in its flow.
func TestEveryCaseIsComplete(t *testing.T) {
	for _, f := range idpflow.Flows("sc0") {
		var earlier []string
		for _, k := range f.Cases {
			if k.Title == "" || !strings.HasSuffix(k.Consequence, ".") || len(k.Reqs) == 0 || k.Reqs[0] != k.ID || !slices.Contains(idpflow.Suites, k.Suite) {
				t.Errorf("%s/%s: title %q, consequence %q, reqs %v, suite %q", f.Name, k.ID, k.Title, k.Consequence, k.Reqs, k.Suite)
			}
			for _, n := range k.Needs {
				if !slices.Contains(earlier, n) {
					t.Errorf("%s/%s needs %s, which does not run before it in the flow", f.Name, k.ID, n)
				}
			}
			earlier = append(earlier, k.ID)
		}
	}
}

// TestFlowsCarryTheMarker checks that everything a flow creates can be told apart
// from a tenant's own data: every userName and displayName sent in a create
// carries the run marker.
func TestFlowsCarryTheMarker(t *testing.T) {
	const marker = "scfeedbeef"
	var bad []string
	posts := 0
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method == "POST" {
			posts++
			data, _ := io.ReadAll(r.Body)
			s := string(data)
			for _, key := range []string{`"userName":"`, `"displayName":"`} {
				if i := strings.Index(s, key); i >= 0 {
					v, _, _ := strings.Cut(s[i+len(key):], `"`)
					if !strings.Contains(strings.ToLower(v), marker) {
						bad = append(bad, v)
					}
				}
			}
		}
		if r.Method == "POST" {
			w.WriteHeader(http.StatusCreated)
			fmt.Fprintf(w, `{"id":"id%d"}`, len(bad)+len(r.URL.Path)+int(r.ContentLength))
			return
		}
		w.WriteHeader(http.StatusNotFound) // the POST bodies are what counts
	})
	for _, f := range idpflow.Flows(marker) {
		s := idpflow.NewSession(f, idpflow.HandlerClient{Handler: h}, "t", marker, nil)
		for _, k := range f.Cases {
			s.Run(context.Background(), k)
		}
	}
	if len(bad) > 0 {
		t.Errorf("created without the run marker: %q", bad)
	}
	if posts < 15 {
		t.Errorf("only %d creates were checked", posts)
	}
}

// TestBlockedOnlyByFatalFailures: a case whose prerequisite stopped early is blocked
// and names it; one whose prerequisite failed a detail still runs.
func TestBlockedOnlyByFatalFailures(t *testing.T) {
	calls := 0
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls++
		w.Header().Set("Content-Type", "application/scim+json")
		w.Write([]byte(`{}`))
	})
	flows := idpflow.Flows("sc0")
	var okta *idpflow.Flow
	for _, f := range flows {
		if f.Name == "Okta" {
			okta = f
		}
	}
	s := idpflow.NewSession(okta, idpflow.HandlerClient{Handler: h}, "t", "sc0", nil)
	byID := map[string]*idpflow.Result{}
	for _, k := range okta.Cases {
		byID[k.ID] = s.Run(context.Background(), k)
	}
	if r := byID["OKTA-USER-3"]; r.Outcome != idpflow.Fail {
		t.Fatalf("OKTA-USER-3 against a server that answers {}: %v", r.Outcome)
	}
	if r := byID["OKTA-USER-2"]; r.Outcome != idpflow.Blocked || r.BlockedBy != "OKTA-USER-3" {
		t.Errorf("OKTA-USER-2: %v blocked by %q, want blocked by OKTA-USER-3", r.Outcome, r.BlockedBy)
	}
	if r := byID["OKTA-SPEC-3"]; r.Outcome != idpflow.Fail || len(r.Failures) == 0 || r.Failures[0].Request == "" {
		t.Errorf("OKTA-SPEC-3 needs nothing and must run and fail with its request: %+v", r)
	}
	if calls == 0 {
		t.Error("no request reached the server")
	}
}

// TestCleanupDeletesGroupsFirstAndReportsLeftovers: cleanup deletes groups before
// users, forgets what it deleted, and names what it could not delete and why.
func TestCleanupDeletesGroupsFirstAndReportsLeftovers(t *testing.T) {
	var deleted []string
	n := 0
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/scim+json")
		switch {
		case r.Method == "POST":
			n++
			w.WriteHeader(http.StatusCreated)
			fmt.Fprintf(w, `{"id":"id%d"}`, n)
		case r.Method == "DELETE" && r.URL.Path == "/Users/id1":
			w.WriteHeader(http.StatusInternalServerError)
		case r.Method == "DELETE":
			deleted = append(deleted, r.URL.Path)
			w.WriteHeader(http.StatusNoContent)
		default:
			w.Write([]byte(`{"Resources":[],"totalResults":0}`))
		}
	})
	var rfc *idpflow.Flow
	for _, f := range idpflow.Flows("sc0") {
		if f.Name == "RFC" {
			rfc = f
		}
	}
	created := &idpflow.Created{}
	client := idpflow.HandlerClient{Handler: h}
	s := idpflow.NewSession(rfc, client, "t", "sc0", created)
	for _, k := range rfc.Cases {
		s.Run(context.Background(), k)
	}
	paths := created.Paths()
	if len(paths) == 0 || !strings.HasPrefix(paths[0], "/Groups/") {
		t.Fatalf("created %v, want groups first", paths)
	}
	left := created.Cleanup(context.Background(), client, "t")
	if len(left) != 1 || left[0] != "/Users/id1: DELETE answered Internal Server Error" {
		t.Errorf("left %v, want /Users/id1 with its reason", left)
	}
	if len(deleted) == 0 || !strings.HasPrefix(deleted[0], "/Groups/") {
		t.Errorf("deleted %v, want groups first", deleted)
	}
	if got := created.Paths(); len(got) != 1 {
		t.Errorf("after cleanup %v are still recorded, want only the leftover", got)
	}
}

// TestGarbageAnswersFailCasesWithoutPanics runs every case against servers that
// answer nonsense: each case must fail with a message, never panic, so that
// scimcheck reports on any server.
func TestGarbageAnswersFailCasesWithoutPanics(t *testing.T) {
	for _, body := range []string{`{}`, `null`, `[]`, `<html>oops</html>`, `{"id":"x","Resources":[{}],"totalResults":1}`} {
		for _, status := range []int{200, 201, 204, 404, 500} {
			h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/scim+json")
				w.WriteHeader(status)
				w.Write([]byte(body))
			})
			for _, f := range idpflow.Flows("sc0") {
				s := idpflow.NewSession(f, idpflow.HandlerClient{Handler: h}, "t", "sc0", nil)
				for _, k := range f.Cases {
					for _, fl := range s.Run(context.Background(), k).Failures {
						if strings.Contains(fl.Message, "cannot be used by later steps") {
							t.Errorf("%d %s: %s panicked: %s", status, body, k.ID, fl.Message)
						}
					}
				}
			}
		}
	}
}
