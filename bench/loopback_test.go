package bench

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/scimkit/scimkit/bench/load"
)

// TestLoopbackLoad is the short version of bench/cmd/scimload: the bare
// handler, scimkit and elimity each serve GET /Users/{id} to 32 keep-alive
// connections for a fraction of a second, then the OKTA-OPS-1 scenarios run on
// scimkit with a small store. It checks that every request succeeds; the
// numbers are logged, not asserted (performance is shown by benchmarks and the
// full command, never by timed tests).
func TestLoopbackLoad(t *testing.T) {
	ctx := context.Background()
	cfg := load.Config{Conns: 32, Duration: time.Second / 3, Warmup: 50 * time.Millisecond}
	get, err := GetUserScenarios(50)
	if err != nil {
		t.Fatal(err)
	}
	okta, err := OktaOpsScenarios(200, 100, cfg.Conns)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range append(get, okta...) {
		r, err := s.Run(ctx, cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("%-32s %v", s.Name, r)
		if r.Errors != 0 || r.Requests == 0 {
			t.Errorf("%s: %d requests, %d errors, first: %v, statuses %v", s.Name, r.Requests, r.Errors, r.FirstError, r.Status)
		}
		for code := range r.Status {
			if code != http.StatusOK && code != http.StatusNoContent {
				t.Errorf("%s: status %d in %v", s.Name, code, r.Status)
			}
		}
	}
}

// TestOktaOpsPatchKeepsGroupSize checks that the PATCH load scenario changes
// one membership per request and leaves the group as it found it after an
// even number of requests per connection.
func TestOktaOpsPatchKeepsGroupSize(t *testing.T) {
	scen, err := OktaOpsScenarios(10, 5, 2)
	if err != nil {
		t.Fatal(err)
	}
	p := scen[2]
	var gid string
	for seq := range 4 {
		for conn := range 2 {
			req := p.Next(conn, seq)
			gid = req.Target
			rec := Do(p.Handler, req.Method, req.Target, req.Body, p.Header)
			if rec.Code/100 != 2 {
				t.Fatalf("%s %s: %d %s", req.Method, req.Target, rec.Code, rec.Body.Bytes())
			}
		}
	}
	rec := Do(p.Handler, http.MethodGet, gid, nil, p.Header)
	g := decode(t, rec.Body.Bytes())
	if ms, _ := g["members"].([]any); len(ms) != 5 {
		t.Errorf("group has %d members after balanced adds and removes, want 5: %s", len(ms), rec.Body.Bytes())
	}
}

func TestScenarioSizesAreChecked(t *testing.T) {
	if _, err := GetUserScenarios(0); err == nil {
		t.Error("GetUserScenarios(0) succeeded")
	}
	for _, c := range [][3]int{{0, 0, 1}, {10, 11, 1}, {10, 5, 0}, {10, 5, load.MaxConns + 1}} {
		if _, err := OktaOpsScenarios(c[0], c[1], c[2]); err == nil {
			t.Errorf("OktaOpsScenarios%v succeeded", c)
		}
	}
}
