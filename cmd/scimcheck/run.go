package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/scimkit/scimkit/internal/idpflow"
)

// Exit statuses.
const (
	exitPass   = 0 // every case passed or was skipped
	exitFail   = 1 // a case failed or was blocked
	exitNotRun = 2 // the check could not run
)

// config is the parsed command line.
type config struct {
	base          string
	token         string
	suites        []string
	pattern       *regexp.Regexp
	json          bool
	junit         string
	timeout       time.Duration
	deadline      time.Duration
	concurrency   int
	allowNonempty bool
}

// parse reads the command line; envToken is used when -token is absent.
func parse(args []string, envToken string, stderr io.Writer) (*config, error) {
	fs := flag.NewFlagSet("scimcheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := &config{}
	fs.StringVar(&cfg.base, "url", "", "SCIM base URL, as configured in the identity provider (required)")
	fs.StringVar(&cfg.token, "token", "", "bearer token (default $SCIMCHECK_TOKEN)")
	only := fs.String("only", "", "comma-separated suites to run: "+strings.Join(idpflow.Suites, ", ")+" (default all)")
	run := fs.String("run", "", "run only the cases whose id matches this regular expression, and those they build on")
	fs.BoolVar(&cfg.json, "json", false, "write a JSON report to standard output instead of one line per case")
	fs.StringVar(&cfg.junit, "junit", "", "also write a JUnit XML report to this file")
	fs.DurationVar(&cfg.timeout, "timeout", 30*time.Second, "timeout of each request")
	fs.DurationVar(&cfg.deadline, "deadline", 10*time.Minute, "time limit for the whole run, cleanup excluded")
	fs.IntVar(&cfg.concurrency, "concurrency", 1, "number of flows run at once")
	fs.BoolVar(&cfg.allowNonempty, "allow-nonempty", false, "run against a tenant that already holds users")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if cfg.token == "" {
		cfg.token = envToken
	}
	u, err := url.Parse(cfg.base)
	switch {
	case cfg.base == "":
		return nil, errors.New("-url is required")
	case err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "":
		return nil, fmt.Errorf("-url %q is not an http or https URL", cfg.base)
	case cfg.token == "":
		return nil, errors.New("-token (or SCIMCHECK_TOKEN) is required")
	case cfg.timeout <= 0 || cfg.deadline <= 0:
		return nil, errors.New("-timeout and -deadline must be positive")
	case cfg.concurrency < 1:
		return nil, errors.New("-concurrency must be at least 1")
	}
	cfg.base = strings.TrimSuffix(cfg.base, "/")
	if *only != "" {
		for _, s := range strings.Split(*only, ",") {
			s = strings.TrimSpace(s)
			if !slices.Contains(idpflow.Suites, s) {
				return nil, fmt.Errorf("-only %q: unknown suite %q (want %s)", *only, s, strings.Join(idpflow.Suites, ", "))
			}
			cfg.suites = append(cfg.suites, s)
		}
	}
	if *run != "" {
		if cfg.pattern, err = regexp.Compile(*run); err != nil {
			return nil, fmt.Errorf("-run: %v", err)
		}
	}
	return cfg, nil
}

// run is the command: it returns the exit status.
func run(ctx context.Context, args []string, envToken string, stdout, stderr io.Writer) int {
	cfg, err := parse(args, envToken, stderr)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(stderr, "scimcheck:", err)
		}
		return exitNotRun
	}
	client := idpflow.HTTPClient{Base: cfg.base, Client: &http.Client{Timeout: cfg.timeout}}
	if err := preflight(ctx, client, cfg); err != nil {
		fmt.Fprintln(stderr, "scimcheck:", err)
		return exitNotRun
	}
	marker := idpflow.NewMarker()
	flows := idpflow.Select(idpflow.Flows(marker), cfg.suites, cfg.pattern)
	if len(flows) == 0 {
		fmt.Fprintln(stderr, "scimcheck: no case matches -only and -run")
		return exitNotRun
	}
	rep := check(ctx, client, cfg, marker, flows, stdout)
	if cfg.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			fmt.Fprintln(stderr, "scimcheck:", err)
			return exitNotRun
		}
	}
	if cfg.junit != "" {
		if err := writeJUnit(cfg.junit, rep); err != nil {
			fmt.Fprintln(stderr, "scimcheck:", err)
			return exitNotRun
		}
	}
	switch {
	case rep.NotRun > 0:
		fmt.Fprintf(stderr, "scimcheck: interrupted, %d cases not run\n", rep.NotRun)
		return exitNotRun
	case rep.Failed > 0:
		return exitFail
	}
	return exitPass
}

// preflight makes the first request: it tells an unreachable server, a wrong URL
// and a refused token apart from failing cases, and refuses a tenant with users.
func preflight(ctx context.Context, client idpflow.Client, cfg *config) error {
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()
	h := http.Header{"Authorization": {"Bearer " + cfg.token}}
	r, err := client.Do(ctx, idpflow.Request{Method: "GET", Path: "/Users?startIndex=1&count=1", Header: h})
	if err != nil {
		return fmt.Errorf("cannot reach %s: %v", cfg.base, err)
	}
	switch r.Status {
	case http.StatusOK:
	case http.StatusUnauthorized, http.StatusForbidden:
		return fmt.Errorf("GET %s/Users answered %d: the server refused the token", cfg.base, r.Status)
	default:
		return fmt.Errorf("GET %s/Users answered %d, want 200: is -url the SCIM base URL? (it should end where /Users begins)", cfg.base, r.Status)
	}
	var list struct{ TotalResults *int }
	if err := json.Unmarshal(r.Body, &list); err != nil || list.TotalResults == nil {
		return fmt.Errorf("GET %s/Users did not answer a SCIM ListResponse with totalResults", cfg.base)
	}
	if n := *list.TotalResults; n > 0 && !cfg.allowNonempty {
		return fmt.Errorf("the tenant already holds %d users; scimcheck creates and deletes test users of its own, so run it against an empty tenant, or pass -allow-nonempty", n)
	}
	return nil
}

// check runs the flows, prints a line per case unless cfg.json, deletes what the
// cases created and returns the report.
func check(ctx context.Context, client idpflow.Client, cfg *config, marker string, flows []*idpflow.Flow, stdout io.Writer) *report {
	runCtx, cancel := context.WithTimeout(ctx, cfg.deadline)
	defer cancel()
	created := &idpflow.Created{}
	rep := &report{URL: cfg.base, Marker: marker}
	results := make([][]*caseReport, len(flows))
	var (
		outMu     sync.Mutex // stdout and rep
		exclusive sync.RWMutex
		wg        sync.WaitGroup
		sem       = make(chan struct{}, cfg.concurrency)
	)
	for i, f := range flows {
		sem <- struct{}{} // in order: with -concurrency 1 the flows run one after the other
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			s := idpflow.NewSession(f, client, cfg.token, marker, created)
			for _, k := range f.Cases {
				if runCtx.Err() != nil {
					outMu.Lock()
					rep.NotRun++
					outMu.Unlock()
					continue
				}
				lock, unlock := exclusive.RLock, exclusive.RUnlock
				if k.Exclusive {
					lock, unlock = exclusive.Lock, exclusive.Unlock
				}
				lock()
				start := time.Now()
				res := s.Run(runCtx, k)
				unlock()
				if runCtx.Err() != nil && res.Outcome != idpflow.Pass {
					outMu.Lock()
					rep.NotRun++ // cut short by Ctrl-C or -deadline: not the server's fault
					outMu.Unlock()
					continue
				}
				cr := newCaseReport(res, time.Since(start))
				outMu.Lock()
				results[i] = append(results[i], cr)
				if !cfg.json {
					printCase(stdout, cr)
				}
				outMu.Unlock()
			}
		}()
	}
	wg.Wait()
	for _, l := range results {
		for _, cr := range l {
			rep.add(cr)
		}
	}
	// Clean up even after Ctrl-C or the deadline, within a bound of its own.
	cctx, ccancel := context.WithTimeout(context.WithoutCancel(ctx), max(cfg.timeout, 30*time.Second))
	defer ccancel()
	n := len(created.Paths())
	rep.NotDeleted = created.Cleanup(cctx, client, cfg.token)
	if !cfg.json {
		if n > 0 {
			fmt.Fprintf(stdout, "cleanup: deleted %d of %d resources created with marker %s\n", n-len(rep.NotDeleted), n, rep.Marker)
		}
		for _, p := range rep.NotDeleted {
			fmt.Fprintf(stdout, "cleanup: could not delete %s\n", p)
		}
		fmt.Fprintf(stdout, "%d passed, %d failed\n", rep.Passed, rep.Failed)
	}
	return rep
}
