package scim_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/scimkit/scimkit/scim"
)

// AUTH-2: a missing or wrong token gets a SCIM 401 with a Bearer challenge on every path, before routing.
func TestUnauthenticatedIs401BeforeRouting(t *testing.T) {
	h, _ := newHandler(t)
	for _, target := range []string{`/Users?filter=userName%20eq%20%22x%22`, "/Users/unknown-id", "/NoSuchPath", "/ServiceProviderConfig", "/Schemas", "/Bulk"} {
		for _, auth := range []string{"", "non-token", "Bearer wrong", "Basic dXNlcjpwYXNz", "bearer"} {
			r := call(t, h, "GET", target, nil, "Authorization", auth)
			r.want(t, 401)
			if got := r.Header.Get("WWW-Authenticate"); got != `Bearer realm="scim"` {
				t.Errorf("%s with %q: WWW-Authenticate %q", target, auth, got)
			}
		}
	}
}

// AUTH-2: PublicDiscovery serves the discovery endpoints without a token; /Users still needs one.
func TestPublicDiscoveryOpensOnlyDiscovery(t *testing.T) {
	h, _ := newHandler(t, func(c *scim.Config) { c.PublicDiscovery = true })
	for _, p := range []string{"/ServiceProviderConfig", "/Schemas", "/ResourceTypes/User"} {
		call(t, h, "GET", p, nil, "Authorization", "").want(t, 200)
	}
	call(t, h, "GET", "/Users", nil, "Authorization", "").want(t, 401)
}

// AUTH-3: Okta's custom header sends the token without "Bearer "; it is accepted unless Strict.
func TestBareTokenAcceptedUnlessStrict(t *testing.T) {
	h, _ := newHandler(t)
	call(t, h, "GET", "/Users", nil, "Authorization", token).want(t, 200)
	call(t, h, "GET", "/Users", nil, "Authorization", "  BEARER   "+token+" ").want(t, 200)
	strict, _ := newHandler(t, func(c *scim.Config) { c.Strict = true })
	call(t, strict, "GET", "/Users", nil, "Authorization", token).want(t, 401)
	call(t, strict, "GET", "/Users", nil, "Authorization", "bearer "+token).want(t, 200)
}

// AUTH-4: a custom authenticator's errors become 401, 403 or their own status, never a 500, and their text is not sent.
func TestAuthenticatorErrorsNeverGive500(t *testing.T) {
	errDB := errors.New("db down")
	cases := []struct {
		err  error
		code int
	}{
		{errors.New("bad signature"), 401},
		{fmt.Errorf("tenant acme: %w", scim.ErrForbidden), 403},
		{scim.ErrUnauthenticated, 401},
		{errDB, 401},
		{&scim.Error{Status: 429, Detail: "slow down"}, 429},
		{&scim.Error{Detail: "no status set"}, 401}, // never 500 (AUTH-4)
		{fmt.Errorf("wrapped: %w", &scim.Error{Status: 200}), 401},
	}
	for _, c := range cases {
		h, _ := newHandler(t, func(cfg *scim.Config) {
			cfg.Auth = scim.AuthenticatorFunc(func(r *http.Request) (context.Context, error) { return nil, c.err })
		})
		r := call(t, h, "GET", "/Users", nil)
		r.want(t, c.code)
		if strings.Contains(r.Body, "db down") {
			t.Error("authenticator error text leaked")
		}
	}
}

// TestTokensIsolateTenants uses BearerTokens with two tenants, two tokens for the
// first (rotation).
// AUTH-5: each token scopes a tenant: foreign ids are 404, userName is unique per tenant, a removed token stops working.
func TestTokensIsolateTenants(t *testing.T) {
	var th scim.TokenHashes
	ta1, _ := scim.GenerateToken()
	ta2, _ := scim.GenerateToken()
	tb, _ := scim.GenerateToken()
	th.Add("acme", scim.HashToken(ta1))
	th.Add("acme", scim.HashToken(ta2))
	th.Add("globex", scim.HashToken(tb))
	h, _ := newHandler(t, func(c *scim.Config) { c.Auth = scim.BearerTokens(&th) })
	as := func(tok string) []string { return []string{"Authorization", "Bearer " + tok} }

	id := str(call(t, h, "POST", "/Users", user("ada@x.example"), as(ta1)...).want(t, 201).JSON, "id")
	call(t, h, "GET", "/Users/"+id, nil, as(ta2)...).want(t, 200)
	call(t, h, "GET", "/Users/"+id, nil, as(tb)...).want(t, 404)
	call(t, h, "DELETE", "/Users/"+id, nil, as(tb)...).want(t, 404)
	call(t, h, "PATCH", "/Users/"+id, patchBody(op("replace", "title", "x")), as(tb)...).want(t, 404)
	if n := num(call(t, h, "GET", "/Users", nil, as(tb)...).want(t, 200).JSON["totalResults"]); n != 0 {
		t.Errorf("globex sees %d users", n)
	}
	call(t, h, "POST", "/Users", user("ADA@x.example"), as(tb)...).want(t, 201) // uniqueness is per tenant
	call(t, h, "POST", "/Users", user("ADA@x.example"), as(ta2)...).want(t, 409, "uniqueness")
	th.Remove(scim.HashToken(ta1))
	call(t, h, "GET", "/Users", nil, as(ta1)...).want(t, 401)
	call(t, h, "GET", "/Users", nil, as(ta2)...).want(t, 200)
}

// A TokenVerifier may hand the context it gets to a goroutine that reads its values
// while the request goes on; the tenant the Handler attaches after the verifier
// returns still reaches the Events callback, without a data race (the race detector
// checks).
func TestVerifierMayShareItsContext(t *testing.T) {
	done := make(chan struct{})
	read := make(chan struct{}) // the goroutine read the context again
	var wg sync.WaitGroup
	v := scim.TokenVerifierFunc(func(ctx context.Context, _ scim.Token) (string, error) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				scim.TenantFrom(ctx)
				select {
				case <-done:
					return
				case read <- struct{}{}:
				default:
				}
			}
		}()
		return "acme", nil
	})
	var tenants []string
	h, _ := newHandler(t, func(c *scim.Config) {
		c.Auth = scim.BearerTokens(v)
		c.Events = func(ctx context.Context, e scim.Event) {
			<-read // a read while the request is served, after authentication
			tenant, _ := scim.TenantFrom(ctx)
			tenants = append(tenants, tenant)
		}
	})
	call(t, h, "POST", "/Users", user("ada@x.example")).want(t, 201)
	close(done)
	wg.Wait()
	if len(tenants) != 1 || tenants[0] != "acme" {
		t.Errorf("tenants seen by Events: %q, want [acme]", tenants)
	}
}
