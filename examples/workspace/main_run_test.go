package main

import (
	"context"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/scimkit/scimkit/examples/workspace/internal/testdb"
	"github.com/scimkit/scimkit/examples/workspace/store"
)

// TestRunFromScratch starts the app as `go run ./examples/workspace` would, on an
// empty SQLite file and on an empty PostgreSQL schema, and checks what it prints
// and that it serves.
func TestRunFromScratch(t *testing.T) {
	for _, d := range testdb.Dialects() {
		t.Run(d.String(), func(t *testing.T) {
			p := startApp(t, "app", testdb.DSN(t, d))
			for _, want := range []string{"Admin page:", "SCIM base URL:   " + p.URL + "/scim/v2", "Secret Token:", "curl"} {
				if !strings.Contains(p.Output, want) {
					t.Errorf("start banner lacks %q:\n%s", want, p.Output)
				}
			}
			if d == store.SQLite && !strings.Contains(p.Output, "SQLite file") || d == store.Postgres && !strings.Contains(p.Output, "PostgreSQL") {
				t.Errorf("banner does not name the database:\n%s", p.Output)
			}
			resp, err := http.Get(p.URL + "/admin")
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "Admin sign-in") {
				t.Errorf("GET /admin: %d, want the sign-in page", resp.StatusCode)
			}
			req, _ := http.NewRequest("GET", p.URL+"/scim/v2/Users?count=1", nil)
			req.Header.Set("Authorization", "Bearer "+p.Token)
			resp, err = http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Errorf("SCIM list with the app's token: %d", resp.StatusCode)
			}
		})
	}
}

// TestPortInUseNamesTheAddrFlag: when the address is taken, the error says how to
// pick another one.
func TestPortInUseNamesTheAddrFlag(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var out strings.Builder
	err = run(context.Background(), []string{"-addr", ln.Addr().String(), "-db", filepath.Join(t.TempDir(), "w.db")}, &out, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "already in use") || !strings.Contains(err.Error(), "-addr") {
		t.Errorf("run on a taken port: %v, want an error that names -addr", err)
	}
	if !strings.HasPrefix(out.String(), "Starting the workspace app") {
		t.Errorf("nothing printed before the database opened: %q", out.String())
	}
}
