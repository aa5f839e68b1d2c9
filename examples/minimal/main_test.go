package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/scimkit/scimkit/scim/scimtest"
)

// TestRun starts the server on a free port and makes one authenticated request.
func TestRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"-addr", "127.0.0.1:0", "-token", "T0k3n"}, pw) }()

	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	go io.Copy(io.Discard, pr)
	base := strings.TrimSpace(strings.TrimPrefix(line, "SCIM base URL:"))
	req, _ := http.NewRequest("GET", base+"/Users?filter=userName%20eq%20%22nobody%22", nil)
	req.Header.Set("Authorization", "Bearer T0k3n")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/scim+json" || !strings.Contains(string(body), `"totalResults":0`) {
		t.Errorf("GET /Users: %d %s", resp.StatusCode, body)
	}

	// ENTRA-CONN-2: a Tenant URL with a trailing slash makes Entra ID send
	// "/scim/v2//Users". It must reach the handler, not a redirect: clients drop
	// the Authorization header when they follow one.
	noRedirect := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, c := range []struct{ method, path, body string }{
		{"GET", "//Users?count=1", ""},
		{"GET", "/Users/", ""},
		{"POST", "//Users", `{"userName":"slash@x.example"}`},
		{"GET", "//Users//?filter=userName%20eq%20%22slash@x.example%22", ""},
	} {
		req, _ := http.NewRequest(c.method, base+c.path, strings.NewReader(c.body))
		req.Header.Set("Authorization", "Bearer T0k3n")
		resp, err := noRedirect.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode/100 != 2 || resp.Header.Get("Content-Type") != "application/scim+json" {
			t.Errorf("%s %s: %d %s %s", c.method, c.path, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
	}

	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("run did not return after cancel")
	}
}

// TestIdPFlows replays the Entra ID and Okta sequences through the app's routing,
// prefix included.
func TestIdPFlows(t *testing.T) {
	scimtest.RunIdPFlows(t, func(t *testing.T) (http.Handler, string) {
		h, err := newServer("T0k3n")
		if err != nil {
			t.Fatal(err)
		}
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r = r.Clone(r.Context())
			r.URL.Path = scimPrefix + r.URL.Path
			r.RequestURI = r.URL.RequestURI()
			h.ServeHTTP(w, r)
		}), "T0k3n"
	})
}
