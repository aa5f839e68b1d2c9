package main

import (
	"context"
	"encoding/json"
	"encoding/xml"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/scimkit/scimkit/internal/idpflow"
)

// outcomes runs the command and returns its exit status, its standard output and
// error, and the outcome of each case by id.
func outcomes(t *testing.T, ctx context.Context, args ...string) (code int, stdout, stderr string, got map[string]string) {
	t.Helper()
	var out, errOut strings.Builder
	code = run(ctx, args, "", &out, &errOut)
	got = map[string]string{}
	for _, l := range strings.Split(out.String(), "\n") {
		if f := strings.Fields(l); len(f) >= 2 && slices.Contains([]string{"PASS", "FAIL", "BLOCKED", "SKIP"}, f[0]) {
			got[f[1]] = f[0]
		}
	}
	return code, out.String(), errOut.String(), got
}

// withOutcome returns the sorted ids of the cases that ended with outcome.
func withOutcome(m map[string]string, outcome string) []string {
	var ids []string
	for id, o := range m {
		if o == outcome {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

func lastLine(s string) string {
	l := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return l[len(l)-1]
}

// totalUsers asks the server how many users it holds.
func totalUsers(t *testing.T, base string) int {
	t.Helper()
	req, _ := http.NewRequest("GET", base+"/Users?count=0", nil)
	req.Header.Set("Authorization", "Bearer "+testToken)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var l struct{ TotalResults int }
	if err := json.NewDecoder(resp.Body).Decode(&l); err != nil {
		t.Fatal(err)
	}
	return l.TotalResults
}

func TestCorrectServerPassesEveryCaseAndIsLeftEmpty(t *testing.T) {
	base := serve(t, newCorrect(t))
	code, out, stderr, got := outcomes(t, context.Background(), "-url", base, "-token", testToken)
	if code != exitPass || len(withOutcome(got, "PASS")) != len(got) || len(got) < 60 {
		t.Fatalf("exit %d, %d cases, not passed: %v %v\n%s%s", code, len(got), withOutcome(got, "FAIL"), withOutcome(got, "BLOCKED"), out, stderr)
	}
	if want := strconv.Itoa(len(got)) + " passed, 0 failed"; lastLine(out) != want {
		t.Errorf("last line %q, want %q", lastLine(out), want)
	}
	if n := totalUsers(t, base); n != 0 {
		t.Errorf("the server holds %d users after the run, want 0: cleanup missed them", n)
	}
}

// TestConcurrentFlowsPass runs the flows side by side; the paging case runs alone.
func TestConcurrentFlowsPass(t *testing.T) {
	code, out, _, got := outcomes(t, context.Background(), "-url", serve(t, newCorrect(t)), "-token", testToken, "-concurrency", "4")
	if code != exitPass {
		t.Fatalf("exit %d, failed %v\n%s", code, withOutcome(got, "FAIL"), out)
	}
}

// TestBrokenServersFailExactlyTheirCases runs the command against servers broken the
// way servers in the field are, and checks that exactly the cases guarding that
// behaviour fail, with the request, the consequence and the requirement's link.
func TestBrokenServersFailExactlyTheirCases(t *testing.T) {
	for _, tc := range []struct {
		name     string
		wrap     func(http.Handler) http.Handler
		fail     []string
		blocked  []string
		messages []string // in the output of the first failed case
	}{
		{"NotFoundForEmptyFilter", notFoundOnEmptyFilter,
			[]string{"ENTRA-CONN-1", "ENTRA-USER-3", "ENTRA-USER-4", "ENTRA-USER-8", "OKTA-SPEC-3", "OKTA-SPEC-5", "OKTA-USER-2", "RFC-DEL-1"}, nil,
			[]string{"FAIL    ENTRA-CONN-1", "status 404, want 200", "request:  GET /Users?filter=userName+eq+%22", "Entra's Test Connection would fail, and a running provisioning job would be quarantined.", "requirement ENTRA-CONN-1: https://github.com/scimkit/scimkit/blob/main/docs/COMPAT.md#entra-conn-1"}},
		{"CaseSensitiveUserNameLookup", caseSensitiveUserName,
			[]string{"ENTRA-USER-3", "OKTA-SPEC-9", "OKTA-USER-2"}, nil,
			[]string{"FAIL    ENTRA-USER-3", "totalResults 0, want 1", "userName+eq+%22ADA.L.SC", "would not find the existing account"}},
		{"RemoveWithValueListRemovesAll", removeAllMembers,
			[]string{"ENTRA-FLAG-5", "ENTRA-GROUP-5", "ENTRA-GROUP-6", "ENTRA-GROUP-7", "ENTRA-GROUP-8"}, nil,
			[]string{"FAIL    ENTRA-GROUP-5", "members [", "want [", "everyone in it would lose access", "#entra-group-5"}},
		{"ManagerAsString", managerAsString,
			[]string{"ENTRA-PATCH-7", "ENTRA-PATCH-8"}, nil,
			[]string{"FAIL    ENTRA-PATCH-7", "want the complex form", "request:  PATCH /Users/", "Entra cannot read a user whose manager comes back as a string", "#entra-patch-7"}},
		{"RenameEmptiesGroup", emptiesGroupOnRename,
			[]string{"OKTA-GROUP-2"}, nil,
			[]string{"FAIL    OKTA-GROUP-2", "members [], want [", "stop pushing membership"}},
		{"HTMLUnauthorized", htmlUnauthorized,
			[]string{"AUTH-2", "OKTA-SPEC-11"}, nil,
			[]string{"FAIL    AUTH-2", `Content-Type "text/html", want application/scim+json`, "#auth-2"}},
		{"GroupCreateFails", failingGroupCreate,
			[]string{"ENTRA-FLAG-5", "ENTRA-GROUP-1", "OKTA-GROUP-1", "TRAP-17"},
			[]string{"ENTRA-GROUP-11", "ENTRA-GROUP-2", "ENTRA-GROUP-3", "ENTRA-GROUP-4", "ENTRA-GROUP-5", "ENTRA-GROUP-6", "ENTRA-GROUP-7", "ENTRA-GROUP-8", "ENTRA-USER-6", "ENTRA-USER-7", "ENTRA-USER-8",
				"OKTA-GROUP-2", "OKTA-GROUP-3", "OKTA-GROUP-4", "OKTA-GROUP-5", "OKTA-GROUP-6", "OKTA-GROUP-7"},
			[]string{"BLOCKED ENTRA-GROUP-2", "(not run: it builds on ENTRA-GROUP-1, which failed)", "BLOCKED OKTA-GROUP-3  a remove by filter and an add in one PATCH apply in order (not run: it builds on OKTA-GROUP-1, which failed)", "status 500, want 201"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, _, got := outcomes(t, context.Background(), "-url", serve(t, tc.wrap(newCorrect(t))), "-token", testToken)
			if code != exitFail {
				t.Errorf("exit %d, want %d", code, exitFail)
			}
			if f := withOutcome(got, "FAIL"); !slices.Equal(f, tc.fail) {
				t.Errorf("failed %q\nwant   %q", f, tc.fail)
			}
			if b := withOutcome(got, "BLOCKED"); !slices.Equal(b, tc.blocked) {
				t.Errorf("blocked %q\nwant    %q", b, tc.blocked)
			}
			for _, m := range tc.messages {
				if !strings.Contains(out, m) {
					t.Errorf("output lacks %q", m)
				}
			}
			want := strconv.Itoa(len(withOutcome(got, "PASS"))) + " passed, " + strconv.Itoa(len(tc.fail)+len(tc.blocked)) + " failed"
			if lastLine(out) != want {
				t.Errorf("last line %q, want %q", lastLine(out), want)
			}
			if t.Failed() {
				t.Log(out)
			}
		})
	}
}

func TestCleanupReportsWhatItCouldNotDelete(t *testing.T) {
	refuse := func(h http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == "DELETE" && strings.Contains(r.URL.Path, "/Users/") && r.Header.Get("User-Agent") == "" && r.URL.Query().Has("never") {
				return
			}
			if r.Method == "DELETE" && strings.Contains(r.URL.Path, "/Groups/") {
				w.WriteHeader(http.StatusForbidden)
				return
			}
			h.ServeHTTP(w, r)
		})
	}
	code, out, _, _ := outcomes(t, context.Background(), "-url", serve(t, refuse(newCorrect(t))), "-token", testToken, "-only", "okta")
	if code != exitFail {
		t.Errorf("exit %d, want %d (the group delete case fails)", code, exitFail)
	}
	if !strings.Contains(out, "cleanup: could not delete /Groups/") || !strings.Contains(out, "DELETE answered Forbidden") {
		t.Errorf("output does not report the group left behind:\n%s", out)
	}
}

func TestExitStatusWhenTheCheckCannotRun(t *testing.T) {
	good := serve(t, newCorrect(t))
	closedURL := newClosedURL(t)
	nonemptyURL := serve(t, newCorrect(t))
	postUser(t, nonemptyURL, "existing@example.com")

	for _, tc := range []struct {
		name string
		args []string
		want string // in stderr
	}{
		{"NoURL", []string{"-token", testToken}, "-url is required"},
		{"NoToken", []string{"-url", good}, "-token (or SCIMCHECK_TOKEN) is required"},
		{"NotHTTP", []string{"-url", "ftp://x", "-token", testToken}, "not an http or https URL"},
		{"UnknownSuite", []string{"-url", good, "-token", testToken, "-only", "entra,azure"}, `unknown suite "azure"`},
		{"BadPattern", []string{"-url", good, "-token", testToken, "-run", "("}, "-run:"},
		{"NoMatch", []string{"-url", good, "-token", testToken, "-run", "NOTHING"}, "no case matches"},
		{"UnknownFlag", []string{"-url", good, "-token", testToken, "-frobnicate"}, "flag provided but not defined"},
		{"Unreachable", []string{"-url", closedURL, "-token", testToken}, "cannot reach"},
		{"RefusedToken", []string{"-url", good, "-token", "wrong-secret-value"}, "answered 401: the server refused the token"},
		{"WrongBaseURL", []string{"-url", good + "/v3", "-token", testToken}, "is -url the SCIM base URL?"},
		{"NonEmptyTenant", []string{"-url", nonemptyURL, "-token", testToken}, "the tenant already holds 1 users"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, out, stderr, _ := outcomes(t, context.Background(), tc.args...)
			if code != exitNotRun {
				t.Errorf("exit %d, want %d", code, exitNotRun)
			}
			if !strings.Contains(stderr, tc.want) {
				t.Errorf("stderr %q lacks %q", stderr, tc.want)
			}
			for _, secret := range []string{testToken, "wrong-secret-value"} {
				if strings.Contains(out+stderr, secret) {
					t.Errorf("the output shows the token")
				}
			}
		})
	}
}

// TestAllowNonemptyLeavesExistingUsersAlone runs against a tenant with users of its
// own: paging checks tolerate them and cleanup does not touch them.
func TestAllowNonemptyLeavesExistingUsersAlone(t *testing.T) {
	base := serve(t, newCorrect(t))
	for _, n := range []string{"a@example.com", "b@example.com", "c@example.com"} {
		postUser(t, base, n)
	}
	code, out, _, got := outcomes(t, context.Background(), "-url", base, "-token", testToken, "-allow-nonempty")
	if code != exitPass {
		t.Fatalf("exit %d, failed %v\n%s", code, withOutcome(got, "FAIL"), out)
	}
	if n := totalUsers(t, base); n != 3 {
		t.Errorf("the server holds %d users after the run, want the 3 it had", n)
	}
}

func TestSelectionRunsPrerequisitesToo(t *testing.T) {
	base := serve(t, newCorrect(t))
	_, _, _, got := outcomes(t, context.Background(), "-url", base, "-token", testToken, "-only", "okta-spec", "-run", "SPEC-[78]$")
	if ids := withOutcome(got, "PASS"); !slices.Equal(ids, []string{"OKTA-SPEC-6", "OKTA-SPEC-7", "OKTA-SPEC-8"}) {
		t.Errorf("ran %q, want OKTA-SPEC-7 and -8 and the case they build on", ids)
	}
	_, _, _, got = outcomes(t, context.Background(), "-url", base, "-token", testToken, "-only", "rfc,okta-spec")
	suite := map[string]string{}
	for _, f := range idpflow.Flows("x") {
		for _, k := range f.Cases {
			suite[k.ID] = k.Suite
		}
	}
	for id := range got {
		if s := suite[id]; s != "rfc" && s != "okta-spec" && id != "OKTA-USER-3" {
			t.Errorf("-only rfc,okta-spec ran %s of suite %s", id, s)
		}
	}
	if len(got) < 20 {
		t.Errorf("-only rfc,okta-spec ran %d cases", len(got))
	}
}

func TestJSONAndJUnitReports(t *testing.T) {
	junit := filepath.Join(t.TempDir(), "report.xml")
	var out, stderr strings.Builder
	code := run(context.Background(), []string{"-url", serve(t, managerAsString(newCorrect(t))), "-json", "-junit", junit}, testToken, &out, &stderr)
	if code != exitFail {
		t.Fatalf("exit %d, want %d: %s", code, exitFail, stderr.String())
	}
	var rep report
	if err := json.Unmarshal([]byte(out.String()), &rep); err != nil {
		t.Fatalf("stdout is not one JSON report: %v\n%s", err, out.String())
	}
	if rep.Failed != 2 || rep.Passed != len(rep.Cases)-2 || rep.Marker == "" || len(rep.NotDeleted) != 0 {
		t.Errorf("passed %d failed %d of %d, marker %q, not deleted %v", rep.Passed, rep.Failed, len(rep.Cases), rep.Marker, rep.NotDeleted)
	}
	for _, c := range rep.Cases {
		if c.ID != "ENTRA-PATCH-7" {
			continue
		}
		if c.Outcome != "FAIL" || len(c.Failures) == 0 || !strings.HasPrefix(c.Failures[0].Request, "PATCH /Users/") ||
			c.Requirements[0].Link != "https://github.com/scimkit/scimkit/blob/main/docs/COMPAT.md#entra-patch-7" || c.Consequence == "" {
			t.Errorf("ENTRA-PATCH-7 in the report: %+v", c)
		}
	}
	data, err := os.ReadFile(junit)
	if err != nil {
		t.Fatal(err)
	}
	var x junitSuites
	if err := xml.Unmarshal(data, &x); err != nil {
		t.Fatalf("JUnit file: %v", err)
	}
	if x.Tests != len(rep.Cases) || x.Failures != 2 || len(x.Suites) != 4 {
		t.Errorf("JUnit: %d tests, %d failures, %d suites", x.Tests, x.Failures, len(x.Suites))
	}
	found := false
	for _, s := range x.Suites {
		for _, c := range s.Cases {
			if strings.HasPrefix(c.Name, "ENTRA-PATCH-7 ") && c.Failure != nil && strings.Contains(c.Failure.Text, "why it matters") {
				found = true
			}
		}
	}
	if !found {
		t.Error("JUnit has no failure for ENTRA-PATCH-7 with its consequence")
	}
	if strings.Contains(out.String()+string(data), testToken) {
		t.Error("a report shows the token")
	}
}

// TestInterruptedRunCleansUp cancels the run, as Ctrl-C does, once it has created
// users: the command stops, deletes what it created and exits 2.
func TestInterruptedRunCleansUp(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var creates atomic.Int32
	h := newCorrect(t)
	base := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h.ServeHTTP(w, r)
		if r.Method == "POST" && creates.Add(1) == 6 {
			cancel()
		}
	}))
	code, out, stderr, _ := outcomes(t, ctx, "-url", base, "-token", testToken)
	if code != exitNotRun || !strings.Contains(stderr, "interrupted") {
		t.Errorf("exit %d, stderr %q: want %d and a note that the run was interrupted", code, stderr, exitNotRun)
	}
	if !strings.Contains(out, "cleanup: deleted") {
		t.Errorf("no cleanup line:\n%s", out)
	}
	if n := totalUsers(t, base); n != 0 {
		t.Errorf("the server holds %d users after the interrupted run, want 0", n)
	}
}

// TestSlowAnswerFailsItsCaseAfterTheTimeout: a request that outlives -timeout fails
// its case with the request named, and the other cases still run.
func TestSlowAnswerFailsItsCaseAfterTheTimeout(t *testing.T) {
	h := newCorrect(t)
	release := make(chan struct{})
	defer close(release)
	base := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/ServiceProviderConfig") {
			select {
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
		h.ServeHTTP(w, r)
	}))
	code, out, _, got := outcomes(t, context.Background(), "-url", base, "-token", testToken, "-only", "rfc", "-timeout", "300ms")
	if code != exitFail || got["RFC-DISC-1"] != "FAIL" || !strings.Contains(out, "no answer: ") || !strings.Contains(out, "request:  GET /ServiceProviderConfig") {
		t.Errorf("exit %d, RFC-DISC-1 %s:\n%s", code, got["RFC-DISC-1"], out)
	}
	if got["RFC-CT-1"] != "PASS" {
		t.Errorf("RFC-CT-1 %s: the other cases must still run", got["RFC-CT-1"])
	}
}
