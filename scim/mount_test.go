package scim_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/scim/memstore"
)

// The README's mount snippet, as written, serves "/scim/v2//Users", which Entra ID
// sends when its Tenant URL ends in a slash, without a redirect; the app's own
// routes still work.
func TestReadmeMountServesDoubledSlash(t *testing.T) {
	st := memstore.New(memstore.Options{})
	h, err := scim.NewHandler(scim.Config{
		Users:  st,
		Groups: st,
		Auth:   scim.StaticToken("s3cret"),
		Events: func(ctx context.Context, e scim.Event) {},
	})
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, "ok") })
	srv := httptest.NewServer(scim.Mount(mux, "/scim/v2", h))
	defer srv.Close()
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, p := range []string{"/scim/v2//Users", "/scim/v2/Users", "/scim/v2/Users/", "/scim/v2//Groups?count=1"} {
		req, _ := http.NewRequest("GET", srv.URL+p, nil)
		req.Header.Set("Authorization", "Bearer s3cret")
		res, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || !strings.Contains(string(body), "ListResponse") {
			t.Errorf("GET %s: %d %s", p, res.StatusCode, body)
		}
	}
	res, err := noRedirect.Get(srv.URL + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || string(body) != "ok" {
		t.Errorf("app route: %d %s", res.StatusCode, body)
	}
	res, err = noRedirect.Get(srv.URL + "/scim/v2x/Users")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 404 {
		t.Errorf("a path that merely starts like the prefix reached the Handler: %d", res.StatusCode)
	}
}
