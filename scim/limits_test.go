package scim_test

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/scim/memstore"
)

// A filter with more comparisons than Config.MaxFilterTerms is refused with 400
// invalidFilter before any store sees it; one at the limit is served.
// TRAP-19: a filter's cost is bounded by its number of terms.
func TestFilterOverTermLimitIsInvalidFilter(t *testing.T) {
	h, _ := newHandler(t, func(c *scim.Config) { c.MaxFilterTerms = 4 })
	terms := func(n int) string {
		parts := make([]string, n)
		for i := range parts {
			parts[i] = fmt.Sprintf(`userName eq "u%d"`, i)
		}
		return url.QueryEscape(strings.Join(parts, " or "))
	}
	call(t, h, "GET", "/Users?filter="+terms(4), nil).want(t, 200)
	call(t, h, "GET", "/Users?filter="+terms(5), nil).want(t, 400, "invalidFilter")
	call(t, h, "GET", "/Users?filter="+url.QueryEscape(`emails[type eq "a" or type eq "b" or type eq "c" or type eq "d" or type eq "e"]`), nil).want(t, 400, "invalidFilter")
	call(t, h, "POST", "/Users/.search", map[string]any{"filter": `not (userName eq "a" or userName eq "b" or userName eq "c" or userName eq "d" or userName eq "e")`}).want(t, 400, "invalidFilter")
}

// A multi-valued attribute other than members with more than Config.MaxValues
// values is refused with 400 invalidValue, on create and on PATCH; members are not
// limited by it.
func TestTooManyValuesIsInvalidValue(t *testing.T) {
	h, _ := newHandler(t, func(c *scim.Config) { c.MaxValues = 3 })
	emails := func(n int) []any {
		l := make([]any, n)
		for i := range l {
			l[i] = map[string]any{"value": fmt.Sprintf("e%d@x.example", i)}
		}
		return l
	}
	body := user("many@x.example")
	body["emails"] = emails(4)
	call(t, h, "POST", "/Users", body).want(t, 400, "invalidValue")
	body["emails"] = emails(3)
	id := mustCreate(t, h, body)
	call(t, h, "PATCH", "/Users/"+id, patchBody(op("add", "emails", []any{map[string]any{"value": "x@x.example"}}))).want(t, 400, "invalidValue")
	var ms []any
	for i := range 5 {
		ms = append(ms, map[string]any{"value": mustCreate(t, h, user(fmt.Sprintf("m%d@x.example", i)))})
	}
	call(t, h, "POST", "/Groups", map[string]any{"displayName": "Big", "members": ms}).want(t, 201)
}

// slowStore blocks every list until its context ends, and fails every get with a
// wrapped context.Canceled.
type slowStore struct {
	*memstore.Store
	sawDeadline chan bool
}

func (s slowStore) ListUsers(ctx context.Context, q scim.Query) (*scim.Page[scim.User], error) {
	_, ok := ctx.Deadline()
	s.sawDeadline <- ok
	<-ctx.Done()
	return nil, fmt.Errorf("slow query: %w", ctx.Err())
}

func (s slowStore) GetUser(ctx context.Context, id string) (*scim.User, error) {
	return nil, fmt.Errorf("read user: %w", context.Canceled)
}

// Config.RequestTimeout reaches the store as the context's deadline, and a store
// error wrapping context.DeadlineExceeded or context.Canceled is answered 503 with
// Retry-After, never 500.
// TRAP-19: a store stopped at the request deadline answers 503.
func TestStoreDeadlineIs503WithRetryAfter(t *testing.T) {
	st := slowStore{memstore.New(memstore.Options{}), make(chan bool, 1)}
	h, err := scim.NewHandler(scim.Config{Users: st, Auth: scim.StaticToken(token), RequestTimeout: 20 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	r := call(t, h, "GET", "/Users", nil).want(t, 503)
	if !<-st.sawDeadline {
		t.Errorf("the store's context had no deadline")
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("answered after %v", d)
	}
	if r.Header.Get("Retry-After") == "" {
		t.Errorf("503 without Retry-After")
	}
	r = call(t, h, "GET", "/Users/abc", nil).want(t, 503)
	if r.Header.Get("Retry-After") == "" {
		t.Errorf("503 without Retry-After")
	}
}

// Every 503, whatever produced it, carries Retry-After.
func TestEvery503CarriesRetryAfter(t *testing.T) {
	st := memstore.New(memstore.Options{})
	h, err := scim.NewHandler(scim.Config{Users: failingGet{st, &scim.Error{Status: 503, Detail: "maintenance"}}, Auth: scim.StaticToken(token)})
	if err != nil {
		t.Fatal(err)
	}
	r := call(t, h, "GET", "/Users/x", nil).want(t, 503)
	if r.Header.Get("Retry-After") == "" {
		t.Errorf("503 without Retry-After")
	}
}

type failingGet struct {
	*memstore.Store
	err error
}

func (s failingGet) GetUser(context.Context, string) (*scim.User, error) { return nil, s.err }
