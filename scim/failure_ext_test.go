package scim_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/scimkit/scimkit/scim"
)

// failureLog collects what Config.Failures reports.
type failureLog struct {
	mu   sync.Mutex
	list []scim.Failure
}

func (l *failureLog) record(_ context.Context, f scim.Failure) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.list = append(l.list, f)
}

func (l *failureLog) last(t *testing.T) scim.Failure {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.list) == 0 {
		t.Fatal("Config.Failures was not called")
	}
	return l.list[len(l.list)-1]
}

func TestFailedCreateReportsWhomAndWhy(t *testing.T) {
	var log failureLog
	h, _ := newHandler(t, func(c *scim.Config) { c.Failures = log.record })
	mustCreate(t, h, user("ada@example.com"))
	call(t, h, "POST", "/Users", user("ADA@example.com"), "User-Agent", "Okta SCIM Client 1.0.0").want(t, http.StatusConflict, "uniqueness")
	f := log.last(t)
	if f.Operation != scim.OpCreate || f.ResourceType != "User" || f.Name != "ADA@example.com" ||
		f.Status != http.StatusConflict || f.ScimType != "uniqueness" || f.Detail == "" ||
		f.UserAgent != "Okta SCIM Client 1.0.0" || f.Method != "POST" || f.TokenHint != "" {
		t.Errorf("failure = %+v", f)
	}
}

func TestFailedPatchNamesTheResource(t *testing.T) {
	var log failureLog
	h, _ := newHandler(t, func(c *scim.Config) { c.Failures = log.record })
	id := mustCreate(t, h, user("bob@example.com"))
	call(t, h, "PATCH", "/Users/"+id, patchBody(op("frobnicate", "active", false))).want(t, http.StatusBadRequest)
	f := log.last(t)
	if f.Operation != scim.OpPatch || f.ID != id || f.ResourceType != "User" {
		t.Errorf("failure = %+v", f)
	}
}

func TestRefusedTokenIsReportedByHintNeverBySecret(t *testing.T) {
	var log failureLog
	h, _ := newHandler(t, func(c *scim.Config) { c.Failures = log.record })
	const wrong = "scimkit_not-the-right-token"
	call(t, h, "GET", "/Users", nil, "Authorization", "Bearer "+wrong).want(t, http.StatusUnauthorized)
	f := log.last(t)
	if f.Operation != scim.OpAuthenticate || f.Tenant != "" || f.Status != http.StatusUnauthorized {
		t.Errorf("failure = %+v", f)
	}
	if f.TokenHint != scim.HashToken(wrong)[:8] {
		t.Errorf("TokenHint = %q, want the first 8 hex digits of the token's hash", f.TokenHint)
	}
	if got := f.Detail + f.Path + f.Name; strings.Contains(got, wrong) {
		t.Errorf("the failure carries the token: %+v", f)
	}
}

func TestSuccessIsNotAFailure(t *testing.T) {
	var log failureLog
	h, _ := newHandler(t, func(c *scim.Config) { c.Failures = log.record })
	mustCreate(t, h, user("cy@example.com"))
	call(t, h, "GET", "/Users", nil).want(t, http.StatusOK)
	if len(log.list) != 0 {
		t.Errorf("Failures called for successful requests: %+v", log.list)
	}
}
