package scim_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/scim/memstore"
)

// ExampleStaticToken serves a single-tenant application with one token. Requests
// without it get a SCIM 401 with a Bearer challenge.
func ExampleStaticToken() {
	st := memstore.New(memstore.Options{})
	h, _ := scim.NewHandler(scim.Config{Users: st, Auth: scim.StaticToken("s3cret-token")})

	for _, auth := range []string{"Bearer s3cret-token", "bearer  s3cret-token ", "s3cret-token", "Bearer wrong", ""} {
		r := httptest.NewRequest("GET", "/Users", nil)
		r.Header.Set("Authorization", auth)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		line := fmt.Sprintf("%-24q %d %s", auth, w.Code, w.Header().Get("WWW-Authenticate"))
		fmt.Println(strings.TrimSpace(line))
	}
	// Output:
	// "Bearer s3cret-token"    200
	// "bearer  s3cret-token "  200
	// "s3cret-token"           200
	// "Bearer wrong"           401 Bearer realm="scim"
	// ""                       401 Bearer realm="scim"
}

// ExampleBearerTokens serves two customer organisations from one endpoint. Each
// token resolves to its tenant, so each organisation sees only its own users; acme
// has two live tokens while it rotates.
func ExampleBearerTokens() {
	var tokens scim.TokenHashes
	acmeOld, _ := scim.GenerateToken()
	acmeNew, _ := scim.GenerateToken()
	globex, _ := scim.GenerateToken()
	tokens.Add("acme", scim.HashToken(acmeOld)) // store only hashes
	tokens.Add("acme", scim.HashToken(acmeNew))
	tokens.Add("globex", scim.HashToken(globex))

	st := memstore.New(memstore.Options{})
	h, _ := scim.NewHandler(scim.Config{Users: st, Auth: scim.BearerTokens(&tokens)})

	// The stores see the tenant in the context.
	ctx := scim.WithTenant(context.Background(), "acme")
	st.CreateUser(ctx, &scim.User{ID: "u-1", UserName: "ada@acme.example", Active: true})

	for _, tok := range []string{acmeOld, acmeNew, globex} {
		r := httptest.NewRequest("GET", "/Users/u-1", nil)
		r.Header.Set("Authorization", "Bearer "+tok)
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		fmt.Println(w.Code)
	}
	tokens.Remove(scim.HashToken(acmeOld)) // rotation done
	r := httptest.NewRequest("GET", "/Users/u-1", nil)
	r.Header.Set("Authorization", "Bearer "+acmeOld)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	fmt.Println(w.Code)
	// Output:
	// 200
	// 200
	// 404
	// 401
}

// ExampleError_retryAfter throttles a tenant from the authenticator: the answer is a
// SCIM 429 with a Retry-After header, after which Entra ID retries the request.
func ExampleError_retryAfter() {
	st := memstore.New(memstore.Options{})
	budget := 1 // requests left in this window
	auth := scim.AuthenticatorFunc(func(r *http.Request) (context.Context, error) {
		if budget == 0 {
			return nil, &scim.Error{Status: http.StatusTooManyRequests, Detail: "request budget spent", RetryAfter: 90 * time.Second}
		}
		budget--
		return scim.WithTenant(r.Context(), "acme"), nil
	})
	h, _ := scim.NewHandler(scim.Config{Users: st, Auth: auth})
	for range 2 {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/Users?count=0", nil))
		fmt.Println(w.Code, w.Header().Get("Retry-After"), strings.TrimSpace(w.Body.String()))
	}
	// Output:
	// 200  {"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"startIndex":1,"itemsPerPage":0,"Resources":[]}
	// 429 90 {"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"429","detail":"request budget spent"}
}
