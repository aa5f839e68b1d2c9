package scim_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/scimkit/scimkit/scim"
)

// throttledUsers answers ListUsers with err, as a host store that throttles a tenant.
type throttledUsers struct {
	scim.UserStore
	err error
}

func (s throttledUsers) ListUsers(ctx context.Context, q scim.Query) (*scim.Page[scim.User], error) {
	return nil, s.err
}

// TestThrottlingSendsRetryAfter checks that a host can throttle from its
// authenticator or its store: 429 (or 503) with a Retry-After header in whole seconds
// and a SCIM error body, so that Entra ID pauses the job and retries only the failed
// requests instead of counting them towards quarantine.
// ENTRA-CONN-3: a 429 or 503 from the authenticator or store carries Retry-After in whole seconds, so Entra retries instead of quarantining.
func TestThrottlingSendsRetryAfter(t *testing.T) {
	slow := &scim.Error{Status: http.StatusTooManyRequests, Detail: "tenant over its request budget", RetryAfter: 30 * time.Second}
	cases := []struct {
		name       string
		auth       error // returned by the authenticator, or nil
		store      error // returned by ListUsers, or nil
		status     int
		retryAfter string
	}{
		{"authenticator", slow, nil, 429, "30"},
		{"store, wrapped", nil, fmt.Errorf("rate limiter: %w", slow), 429, "30"},
		{"fraction rounds up", nil, &scim.Error{Status: 429, RetryAfter: 1500 * time.Millisecond}, 429, "2"},
		{"below a second is one", nil, &scim.Error{Status: 429, RetryAfter: time.Millisecond}, 429, "1"},
		{"unavailable", nil, &scim.Error{Status: 503, Detail: "maintenance", RetryAfter: 2 * time.Minute}, 503, "120"},
		{"no RetryAfter, no header", nil, &scim.Error{Status: 429, Detail: "slow down"}, 429, ""},
		{"huge does not overflow", nil, &scim.Error{Status: 429, RetryAfter: math.MaxInt64}, 429, "9223372037"},
		{"negative is ignored", nil, &scim.Error{Status: 429, RetryAfter: -time.Second}, 429, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h, _ := newHandler(t, func(cfg *scim.Config) {
				if c.auth != nil {
					cfg.Auth = scim.AuthenticatorFunc(func(r *http.Request) (context.Context, error) { return nil, c.auth })
				}
				if c.store != nil {
					cfg.Users = throttledUsers{UserStore: cfg.Users, err: c.store}
				}
			})
			r := call(t, h, "GET", "/Users?filter=userName%20eq%20%22x%22", nil).want(t, c.status)
			if got := r.Header.Get("Retry-After"); got != c.retryAfter {
				t.Errorf("Retry-After %q, want %q", got, c.retryAfter)
			}
			if _, ok := r.JSON["scimType"]; ok {
				t.Errorf("scimType %v on a throttling error, want none (SCIM error 429/-)", r.JSON["scimType"])
			}
			if r.Header.Get("WWW-Authenticate") != "" {
				t.Errorf("WWW-Authenticate on a %d", c.status)
			}
		})
	}
}

// RFC-ERR-1: store errors map to 404, 409, 412, 400, their own status, 503 or 500; the cause is logged, never sent.
func TestStoreErrorsMapToStatus(t *testing.T) {
	logs := &bytes.Buffer{}
	cases := []struct {
		err      error
		code     int
		scimType string
	}{
		{fmt.Errorf("get: %w", scim.ErrNotFound), 404, ""},
		{fmt.Errorf("x: %w", scim.ErrUniqueness), 409, "uniqueness"},
		{fmt.Errorf("x: %w", scim.ErrPreconditionFailed), 412, ""},
		{fmt.Errorf("x: %w", scim.ErrInvalidReference), 400, "invalidValue"},
		{fmt.Errorf("wrapped: %w", &scim.Error{Status: 429, Detail: "slow down"}), 429, ""},
		{errors.New("pq: connection refused to 10.0.0.7"), 500, ""},
		{fmt.Errorf("ctx: %w", context.DeadlineExceeded), 503, ""},
	}
	for _, c := range cases {
		h, _ := newHandler(t, func(cfg *scim.Config) {
			cfg.Users = failingUsers{UserStore: cfg.Users, err: c.err}
			cfg.Logger = slog.New(slog.NewTextHandler(logs, nil))
		})
		r := call(t, h, "GET", "/Users/x", nil).want(t, c.code)
		if c.scimType != "" && r.JSON["scimType"] != c.scimType {
			t.Errorf("%v: scimType %v", c.err, r.JSON["scimType"])
		}
		if strings.Contains(r.Body, "10.0.0.7") {
			t.Errorf("store error leaked: %s", r.Body)
		}
	}
	if !strings.Contains(logs.String(), "10.0.0.7") {
		t.Error("the cause of the 500 was not logged")
	}
}

type failingUsers struct {
	scim.UserStore
	err   error
	panic bool
}

func (f failingUsers) GetUser(ctx context.Context, id string) (*scim.User, error) {
	if f.panic {
		panic("store bug: index out of range")
	}
	return nil, f.err
}

// RFC-ERR-2: a panicking store gives a 500 whose body does not show the panic, which is logged.
func TestStorePanicIsLogged500(t *testing.T) {
	logs := &bytes.Buffer{}
	h, _ := newHandler(t, func(cfg *scim.Config) {
		cfg.Users = failingUsers{UserStore: cfg.Users, panic: true}
		cfg.Logger = slog.New(slog.NewTextHandler(logs, nil))
	})
	r := call(t, h, "GET", "/Users/x", nil).want(t, 500)
	if strings.Contains(r.Body, "index out of range") || !strings.Contains(logs.String(), "index out of range") {
		t.Errorf("panic handling: body %s, log %s", r.Body, logs)
	}
}
