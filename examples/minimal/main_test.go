package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/scimkit/scimkit/scim/memstore"
	"github.com/scimkit/scimkit/scim/scimtest"
)

// start runs the app with args on a free port and returns its SCIM base URL and a
// function that stops it.
func start(t *testing.T, args ...string) (base string, stop func()) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"-addr", "127.0.0.1:0", "-token", "T0k3n"}, args...), pw)
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadString('\n')
	if err != nil {
		t.Fatal(err, <-done)
	}
	go io.Copy(io.Discard, pr)
	return strings.TrimSpace(strings.TrimPrefix(line, "SCIM base URL:")), func() {
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
}

// send makes one authenticated request and returns the status and body.
func send(t *testing.T, method, url, body string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(method, url, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer T0k3n")
	req.Header.Set("Content-Type", "application/scim+json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// With -db, users survive a restart: they live in the SQLite file.
func TestRunWithDBKeepsUsersAcrossRestarts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "scim.db")
	base, stop := start(t, "-db", path)
	if code, body := send(t, "POST", base+"/Users", `{"userName":"ada@contoso.example","emails":[{"value":"ada@contoso.example","primary":true}]}`); code != 201 {
		t.Fatalf("POST /Users: %d %s", code, body)
	}
	stop()
	base, stop = start(t, "-db", path)
	defer stop()
	code, body := send(t, "GET", base+"/Users?filter=userName%20eq%20%22ADA@contoso.example%22", "")
	if code != 200 || !strings.Contains(body, `"totalResults":1`) || !strings.Contains(body, `"primary":true`) {
		t.Errorf("GET /Users after a restart: %d %s", code, body)
	}
}

// TestRun starts the server on a free port and makes one authenticated request.
func TestRun(t *testing.T) {
	base, stop := start(t)
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

	stop()
}

// TestIdPFlows replays the Entra ID and Okta sequences through the app's routing,
// prefix included.
func TestIdPFlows(t *testing.T) {
	scimtest.RunIdPFlows(t, func(t *testing.T) (http.Handler, string) {
		h, err := newServer("T0k3n", memstore.New(memstore.Options{}))
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
