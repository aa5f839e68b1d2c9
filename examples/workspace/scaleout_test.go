package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scimkit/scimkit/examples/workspace/internal/testdb"
	"github.com/scimkit/scimkit/examples/workspace/store"
)

// scaleOutEnv enables the disruptive part of the scale-out test: restarting the local
// PostgreSQL cluster. .ci/run sets it; never set it against a shared server.
const scaleOutEnv = "SCIMKIT_SCALEOUT"

const (
	userSchema  = "urn:ietf:params:scim:schemas:core:2.0:User"
	entSchema   = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	groupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group"
	patchSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
	errorSchema = "urn:ietf:params:scim:api:messages:2.0:Error"
)

// TestENTRA_CONN_3_ScaleOut runs two app processes on different ports over one
// PostgreSQL database and sends them concurrent Entra-style traffic: creates with
// the userName probe before each, duplicate creates racing across processes, user
// PATCHes (some racing on the same user across processes), filters, and 1,000
// concurrent member additions to one team split across both processes. It then
// checks that every member is present exactly once, no user is duplicated, no
// request was answered 5xx and no concurrent update was lost; and it prints
// requests/s, p50 and p99 per operation.
//
// Then it kills one process with SIGKILL mid-run and, with SCIMKIT_SCALEOUT=1,
// restarts PostgreSQL once, while traffic goes on: requests in flight fail with
// SCIM errors (or, on the killed process, with a broken connection) and are retried
// as identity providers do, nothing half-written remains, and the run completes on
// the surviving process.
//
// With SCIMKIT_SCALEOUT_REPORT=path the table of numbers is also written to path.
func TestENTRA_CONN_3_ScaleOut(t *testing.T) {
	if testing.Short() {
		t.Skip("scale-out test skipped in -short mode")
	}
	dsn := testdb.Durable(testdb.DSN(t, store.Postgres)) // skips without SCIMKIT_POSTGRES_DSN
	start := time.Now()
	a := startApp(t, "A", dsn)
	b := startApp(t, "B", dsn)
	lc := newLoadClient(a, b)
	db, err := store.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()

	phase1(t, lc, db)
	t.Logf("phase 1 (steady load on two processes) passed after %v", time.Since(start).Round(time.Millisecond))
	phase2(t, lc, db, a, b)
	t.Logf("whole scale-out test: %v", time.Since(start).Round(time.Millisecond))
}

const (
	nUsers      = 1000 // users created in phase 1, and members added to one team
	nDupes      = 100  // of which this many are created twice at once, on both processes
	nEntraPatch = 200  // Entra multi-operation PATCHes
	nRacedUsers = 50   // users that get racing PATCHes from both processes
	nRaces      = 4    // racing PATCHes per such user
	nFilters    = 1000
	workers     = 32
)

func userName(i int) string { return fmt.Sprintf("user%04d@contoso.example", i) }

func newUserBody(name string, i int) map[string]any {
	return map[string]any{
		"schemas":    []string{userSchema, entSchema},
		"externalId": fmt.Sprintf("ext-%s", name), "userName": name, "active": true,
		"displayName": fmt.Sprintf("User %d", i),
		"name":        map[string]any{"givenName": "User", "familyName": fmt.Sprint(i)},
		"emails": []any{
			map[string]any{"primary": true, "type": "work", "value": name},
			map[string]any{"type": "other", "value": "home." + name},
		},
		"meta":    map[string]any{"resourceType": "User"},
		entSchema: map[string]any{"department": "D0", "employeeNumber": fmt.Sprint(i)},
	}
}

func phase1(t *testing.T, lc *loadClient, db *store.DB) {
	ids := make([]string, nUsers)

	// Creates, each after Entra's userName probe; some created twice at once on both processes.
	var created, conflicts atomic.Int64
	lc.stage("filter userName eq + POST /Users", workers, nUsers, func(i int) {
		name := userName(i)
		r := lc.send("GET /Users?filter=userName eq", i%2, "GET", "/Users?filter="+url.QueryEscape(`userName eq "`+name+`"`), nil)
		lc.expect(t, r, 200)
		body := newUserBody(name, i)
		if i%(nUsers/nDupes) != 0 {
			r = lc.send("POST /Users", i%2, "POST", "/Users", body)
			lc.expect(t, r, 201)
			ids[i] = r.id()
			created.Add(1)
			return
		}
		var pair [2]result
		var wg sync.WaitGroup
		for k := range 2 {
			wg.Go(func() { pair[k] = lc.send("POST /Users (raced on both)", (i+k)%2, "POST", "/Users", body) })
		}
		wg.Wait()
		statuses := []int{pair[0].status, pair[1].status}
		slices.Sort(statuses)
		if !slices.Equal(statuses, []int{201, 409}) {
			t.Errorf("racing creates of %s on both processes: %v %v, want one 201 and one 409", name, pair[0], pair[1])
		}
		for _, r := range pair {
			if r.status == 201 {
				ids[i] = r.id()
				created.Add(1)
			} else {
				conflicts.Add(1)
			}
		}
	})
	if created.Load() != nUsers || conflicts.Load() != nDupes {
		t.Fatalf("created %d users with %d conflicts, want %d and %d", created.Load(), conflicts.Load(), nUsers, nDupes)
	}

	// User PATCHes: Entra's several operations in one request, and racing role
	// additions from both processes on the same users (the Handler's read-apply-replace
	// with If-Match and retry must lose none of them).
	lc.stage("PATCH /Users", workers, nEntraPatch+nRacedUsers*nRaces, func(j int) {
		if j < nEntraPatch {
			r := lc.send("PATCH /Users (Entra, 2 ops)", j%2, "PATCH", "/Users/"+ids[j], entraPatch(j))
			lc.expect(t, r, 200)
			return
		}
		k := j - nEntraPatch
		u := ids[nEntraPatch+k/nRaces]
		r := lc.send("PATCH /Users (racing)", k%2, "PATCH", "/Users/"+u, map[string]any{
			"schemas":    []string{patchSchema},
			"Operations": []any{map[string]any{"op": "add", "path": "roles", "value": []any{map[string]any{"value": fmt.Sprintf("role-%d", k%nRaces)}}}},
		})
		lc.expect(t, r, 200)
	})

	// One team, 1,000 member additions at once, split across both processes.
	r := lc.send("POST /Groups", 0, "POST", "/Groups", map[string]any{"schemas": []string{groupSchema}, "displayName": "Everyone", "members": []any{}})
	lc.expect(t, r, 201)
	team := r.id()
	lc.stage("PATCH /Groups add member", nUsers, nUsers, func(i int) {
		r := lc.send("PATCH /Groups add member", i%2, "PATCH", "/Groups/"+team, map[string]any{
			"schemas":    []string{patchSchema},
			"Operations": []any{map[string]any{"op": "Add", "path": "members", "value": []any{map[string]any{"value": ids[i]}}}},
		})
		lc.expect(t, r, 204)
	})

	// Filters as Entra and Okta send them.
	lc.stage("filters", workers, nFilters, func(i int) {
		u := (i * 7919) % nUsers
		var f, op string
		switch i % 3 {
		case 0:
			op, f = "GET /Users?filter=userName eq", `userName eq "`+strings.ToUpper(userName(u))+`"`
		case 1:
			op, f = "GET /Users?filter=externalId eq", `externalId eq "ext-`+userName(u)+`"`
		case 2:
			op, f = `GET /Users?filter=emails[type eq "work"].value eq`, `emails[type eq "work"].value eq "`+userName(u)+`"`
		}
		r := lc.send(op, i%2, "GET", "/Users?filter="+url.QueryEscape(f), nil)
		lc.expect(t, r, 200)
		if n := r.total(); n != 1 {
			t.Errorf("%s: %d results, want 1", f, n)
		}
	})

	lc.report(t)
	if n := lc.count5xx.Load(); n != 0 {
		t.Errorf("%d requests were answered 5xx in steady state", n)
	}
	if n := lc.transportErrors.Load(); n != 0 {
		t.Errorf("%d requests failed without an HTTP answer in steady state", n)
	}

	// Every member exactly once; no user duplicated; no racing update lost.
	ctx := context.Background()
	var users, distinct int
	mustQuery(t, db, `SELECT count(*), count(DISTINCT lower(user_name)) FROM members`, &users, &distinct)
	if users != nUsers || distinct != nUsers {
		t.Errorf("%d users, %d distinct userNames; want %d", users, distinct, nUsers)
	}
	var members, distinctMembers int
	mustQuery(t, db, `SELECT count(*), count(DISTINCT member_id) FROM team_members WHERE team_id = $1`, &members, &distinctMembers, team)
	if members != nUsers || distinctMembers != nUsers {
		t.Errorf("team has %d member rows, %d distinct; want %d", members, distinctMembers, nUsers)
	}
	var g struct{ Members []struct{ Value string } }
	r = lc.send("GET /Groups/{id}", 1, "GET", "/Groups/"+team, nil)
	if err := json.Unmarshal(r.body, &g); err != nil || len(g.Members) != nUsers {
		t.Errorf("GET the team: %d members (%v), want %d", len(g.Members), err, nUsers)
	}
	for k := range nRacedUsers {
		r := lc.send("GET /Users/{id}", k%2, "GET", "/Users/"+ids[nEntraPatch+k], nil)
		var u struct{ Roles []struct{ Value string } }
		json.Unmarshal(r.body, &u)
		if len(u.Roles) != nRaces {
			t.Errorf("user %s has roles %v after %d racing additions: an update was lost", ids[nEntraPatch+k], u.Roles, nRaces)
		}
	}
	checkConsistent(t, db)
	_ = ctx
}

// entraPatch sets title and department together, as Entra does in one PATCH; their
// numbers must always match (a PATCH is atomic).
func entraPatch(n int) map[string]any {
	return map[string]any{
		"schemas": []string{patchSchema},
		"Operations": []any{
			map[string]any{"op": "Replace", "path": "title", "value": fmt.Sprintf("T%d", n)},
			map[string]any{"op": "Replace", "path": entSchema + ":department", "value": fmt.Sprintf("D%d", n)},
		},
	}
}

// checkConsistent checks what transactions guarantee: no member without both of the
// emails it was created with, no team member that is not a live member, and title
// and department set by the same PATCH.
func checkConsistent(t *testing.T, db *store.DB) {
	t.Helper()
	var n int
	mustQuery(t, db, `SELECT count(*) FROM members m WHERE (SELECT count(*) FROM member_emails e WHERE e.member_id = m.id) <> 2`, &n)
	if n != 0 {
		t.Errorf("%d members are half-written (not exactly their 2 emails)", n)
	}
	mustQuery(t, db, `SELECT count(*) FROM team_members tm JOIN former_members f ON f.id = tm.member_id`, &n)
	if n != 0 {
		t.Errorf("%d team memberships of deleted members", n)
	}
	mustQuery(t, db, `SELECT count(*) FROM members WHERE title IS NOT NULL AND 'T' || substr(department, 2) <> title`, &n)
	if n != 0 {
		t.Errorf("%d members whose title and department come from different PATCHes", n)
	}
}

func mustQuery(t *testing.T, db *store.DB, q string, dst ...any) {
	t.Helper()
	var args []any
	if len(dst) > 0 {
		if s, ok := dst[len(dst)-1].(string); ok {
			dst, args = dst[:len(dst)-1], []any{s}
		}
	}
	if err := db.SQL.QueryRow(q, args...).Scan(dst...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

const nPhase2 = 300

// phase2 goes on with mixed traffic while process b is killed and, when enabled,
// PostgreSQL restarts; the client retries failed requests as an IdP does.
func phase2(t *testing.T, lc *loadClient, db *store.DB, a, b *appProc) {
	restartPG := os.Getenv(scaleOutEnv) == "1"
	if restartPG {
		t.Cleanup(func() { ensurePostgresUp(t) })
	} else {
		t.Logf("%s is not 1: PostgreSQL is not restarted (only the process kill runs)", scaleOutEnv)
	}
	r := lc.send("POST /Groups", 0, "POST", "/Groups", map[string]any{"schemas": []string{groupSchema}, "displayName": "Disrupted"})
	lc.expect(t, r, 201)
	team := r.id()
	lc.resetCounters()

	var done atomic.Int64
	var killOnce, restartOnce sync.Once
	restarted := make(chan error, 1)
	start := time.Now()
	disrupt := func() {
		switch n := done.Add(1); {
		case n == nPhase2/3:
			killOnce.Do(func() {
				b.Kill()
				lc.markDown(1)
				t.Logf("killed process B (SIGKILL) after %d of %d items", n, nPhase2)
			})
		case n == 2*nPhase2/3 && restartPG:
			restartOnce.Do(func() {
				go func() {
					t0 := time.Now()
					err := restartPostgres()
					t.Logf("restarted PostgreSQL in %v (err %v)", time.Since(t0).Round(time.Millisecond), err)
					restarted <- err
				}()
			})
		}
	}
	lc.stage("disrupted mixed traffic", 16, nPhase2, func(i int) {
		defer disrupt()
		name := fmt.Sprintf("late%04d@contoso.example", i)
		r := lc.retry(t, "GET /Users?filter=userName eq", i%2, "GET", "/Users?filter="+url.QueryEscape(`userName eq "`+name+`"`), nil, 200)
		id := ""
		if r.total() == 1 {
			id = r.firstID() // created by an earlier attempt whose answer was lost
		} else {
			r = lc.retry(t, "POST /Users", i%2, "POST", "/Users", newUserBody(name, i), 201, 409)
			if r.status == 409 { // an earlier attempt did create it: look it up, as Entra does
				r = lc.retry(t, "GET /Users?filter=userName eq", i%2, "GET", "/Users?filter="+url.QueryEscape(`userName eq "`+name+`"`), nil, 200)
				id = r.firstID()
			} else {
				id = r.id()
			}
		}
		if id == "" {
			t.Errorf("no id for %s", name)
			return
		}
		lc.retry(t, "PATCH /Groups add member", i%2, "PATCH", "/Groups/"+team, map[string]any{
			"schemas":    []string{patchSchema},
			"Operations": []any{map[string]any{"op": "Add", "path": "members", "value": []any{map[string]any{"value": id}}}},
		}, 204)
		lc.retry(t, "PATCH /Users (Entra, 2 ops)", i%2, "PATCH", "/Users/"+id, entraPatch(1000+i), 200)
	})
	if restartPG {
		if err := <-restarted; err != nil {
			t.Fatalf("restart PostgreSQL: %v", err)
		}
	}
	t.Logf("phase 2: %d items in %v; %d answers 5xx (all SCIM errors), %d requests without an answer, %d retries",
		nPhase2, time.Since(start).Round(time.Millisecond), lc.count5xx.Load(), lc.transportErrors.Load(), lc.retries.Load())
	if restartPG && lc.count5xx.Load()+lc.transportErrors.Load() == 0 {
		t.Log("no request failed during the disruption (the restart fell between requests)")
	}

	// The run completed on the surviving process, and nothing is half-written.
	if _, err := http.Get(b.URL + "/"); err == nil {
		t.Errorf("process B still answers after SIGKILL")
	}
	r = lc.retry(t, "GET /Users?count=0", 0, "GET", "/Users?count=0", nil, 200)
	if n := r.total(); n != nUsers+nPhase2 {
		t.Errorf("%d users after the disruption, want %d", n, nUsers+nPhase2)
	}
	var users, distinct, members int
	mustQuery(t, db, `SELECT count(*), count(DISTINCT lower(user_name)) FROM members`, &users, &distinct)
	if users != nUsers+nPhase2 || distinct != users {
		t.Errorf("%d users, %d distinct userNames; want %d", users, distinct, nUsers+nPhase2)
	}
	mustQuery(t, db, `SELECT count(DISTINCT member_id) FROM team_members WHERE team_id = $1`, &members, team)
	if members != nPhase2 {
		t.Errorf("team Disrupted has %d members, want %d", members, nPhase2)
	}
	var patched int
	mustQuery(t, db, `SELECT count(*) FROM members WHERE user_name LIKE 'late%' AND title LIKE 'T1%'`, &patched)
	if patched != nPhase2 {
		t.Errorf("%d of the %d late users carry their PATCH", patched, nPhase2)
	}
	checkConsistent(t, db)
}

// restartPostgres restarts the local PostgreSQL cluster.
func restartPostgres() error {
	versions, err := os.ReadDir("/etc/postgresql")
	if err != nil || len(versions) == 0 {
		return fmt.Errorf("no local PostgreSQL cluster under /etc/postgresql: %v", err)
	}
	out, err := exec.Command("pg_ctlcluster", "--skip-systemctl-redirect", versions[0].Name(), "main", "restart").CombinedOutput()
	if err != nil {
		return fmt.Errorf("%v: %s", err, out)
	}
	return waitPostgres(30 * time.Second)
}

func waitPostgres(d time.Duration) error {
	deadline := time.Now().Add(d)
	for {
		if exec.Command("pg_isready", "-q", "-h", "127.0.0.1", "-p", "5432").Run() == nil {
			return nil
		}
		if time.Now().After(deadline) {
			return errors.New("PostgreSQL is not ready")
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// ensurePostgresUp starts the cluster again if the test left it down.
func ensurePostgresUp(t *testing.T) {
	if waitPostgres(5*time.Second) == nil {
		return
	}
	versions, _ := os.ReadDir("/etc/postgresql")
	if len(versions) > 0 {
		out, err := exec.Command("pg_ctlcluster", "--skip-systemctl-redirect", versions[0].Name(), "main", "start").CombinedOutput()
		if err != nil {
			t.Errorf("start PostgreSQL again: %v %s", err, out)
		}
	}
	if err := waitPostgres(30 * time.Second); err != nil {
		t.Errorf("PostgreSQL is down after the test: %v", err)
	}
}

// A loadClient sends SCIM requests to a set of app processes and keeps statistics.
type loadClient struct {
	hc     *http.Client
	procs  []*appProc
	down   []atomic.Bool
	mu     sync.Mutex
	ops    map[string]*opStats
	stages []stageStats

	count5xx        atomic.Int64
	transportErrors atomic.Int64
	retries         atomic.Int64
}

type opStats struct {
	lat      []time.Duration
	statuses map[int]int
	first    time.Time
	last     time.Time
}

type stageStats struct {
	name     string
	requests int
	elapsed  time.Duration
}

func newLoadClient(procs ...*appProc) *loadClient {
	tr := &http.Transport{MaxIdleConns: 4096, MaxIdleConnsPerHost: 2048, IdleConnTimeout: time.Minute}
	return &loadClient{
		hc:    &http.Client{Transport: tr, Timeout: 30 * time.Second},
		procs: procs, down: make([]atomic.Bool, len(procs)), ops: map[string]*opStats{},
	}
}

func (lc *loadClient) markDown(i int) { lc.down[i].Store(true) }

func (lc *loadClient) resetCounters() {
	lc.count5xx.Store(0)
	lc.transportErrors.Store(0)
	lc.retries.Store(0)
}

// stage runs f(0..n-1) on a pool of c goroutines, all started together.
func (lc *loadClient) stage(name string, c, n int, f func(i int)) {
	before := lc.requests()
	next := atomic.Int64{}
	gate := make(chan struct{})
	var wg sync.WaitGroup
	for range c {
		wg.Go(func() {
			<-gate
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				f(i)
			}
		})
	}
	t0 := time.Now()
	close(gate)
	wg.Wait()
	lc.mu.Lock()
	lc.stages = append(lc.stages, stageStats{name: name, elapsed: time.Since(t0)})
	lc.mu.Unlock()
	lc.stages[len(lc.stages)-1].requests = lc.requests() - before
}

func (lc *loadClient) requests() int {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	n := 0
	for _, o := range lc.ops {
		n += len(o.lat)
	}
	return n
}

// A result is one answer, or the error of a request that got none.
type result struct {
	status int
	body   []byte
	err    error
}

func (r result) String() string {
	if r.err != nil {
		return r.err.Error()
	}
	return fmt.Sprintf("%d %s", r.status, r.body)
}

func (r result) id() string {
	var v struct{ ID string }
	json.Unmarshal(r.body, &v)
	return v.ID
}

func (r result) total() int {
	var v struct{ TotalResults int }
	if json.Unmarshal(r.body, &v) != nil {
		return -1
	}
	return v.TotalResults
}

func (r result) firstID() string {
	var v struct{ Resources []struct{ ID string } }
	json.Unmarshal(r.body, &v)
	if len(v.Resources) == 0 {
		return ""
	}
	return v.Resources[0].ID
}

// isSCIMError reports whether the answer is a SCIM error response (RFC 7644 3.12).
func (r result) isSCIMError() bool {
	var v struct {
		Schemas []string
		Status  string
	}
	return json.Unmarshal(r.body, &v) == nil && slices.Contains(v.Schemas, errorSchema) && v.Status == fmt.Sprint(r.status)
}

// send sends one request to process i, with the process's token, and records it
// under op.
func (lc *loadClient) send(op string, i int, method, path string, body any) result {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			panic(err)
		}
		rd = bytes.NewReader(b)
	}
	p := lc.procs[i]
	req, err := http.NewRequest(method, p.URL+"/scim/v2"+path, rd)
	if err != nil {
		panic(err)
	}
	req.Header.Set("Authorization", "Bearer "+p.Token)
	if body != nil {
		req.Header.Set("Content-Type", "application/scim+json")
	}
	t0 := time.Now()
	resp, err := lc.hc.Do(req)
	var r result
	if err != nil {
		r.err = err
		lc.transportErrors.Add(1)
	} else {
		r.status = resp.StatusCode
		r.body, r.err = io.ReadAll(resp.Body)
		resp.Body.Close()
		if r.status >= 500 {
			lc.count5xx.Add(1)
		}
	}
	d := time.Since(t0)
	lc.mu.Lock()
	o := lc.ops[op]
	if o == nil {
		o = &opStats{statuses: map[int]int{}, first: t0}
		lc.ops[op] = o
	}
	o.lat = append(o.lat, d)
	o.statuses[r.status]++
	o.last = time.Now()
	lc.mu.Unlock()
	return r
}

func (lc *loadClient) expect(t *testing.T, r result, status int) {
	t.Helper()
	if r.err != nil || r.status != status {
		t.Errorf("got %v, want %d", r, status)
	}
}

// retry sends the request until it gets one of the wanted statuses, as an identity
// provider retries failed requests: on a broken connection to a dead process it
// moves to the other process; a 5xx must be a SCIM error and is retried after a
// pause. It gives up after 20 seconds.
func (lc *loadClient) retry(t *testing.T, op string, i int, method, path string, body any, want ...int) result {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for attempt := 0; ; attempt++ {
		if lc.down[i].Load() {
			i = 1 - i
		}
		r := lc.send(op, i, method, path, body)
		switch {
		case r.err == nil && slices.Contains(want, r.status):
			return r
		case r.err != nil:
			// No answer: the process died, or the connection broke. Go on elsewhere.
		case r.status >= 500:
			if !r.isSCIMError() {
				t.Errorf("%s %s: a 5xx that is not a SCIM error: %v", method, path, r)
			}
		default:
			t.Errorf("%s %s: %v, want %v", method, path, r, want)
			return r
		}
		if time.Now().After(deadline) {
			t.Errorf("%s %s: still failing after retries: %v", method, path, r)
			return r
		}
		lc.retries.Add(1)
		time.Sleep(time.Duration(50*(attempt+1)) * time.Millisecond)
	}
}

// report prints requests/s, p50 and p99 per operation and per stage.
func (lc *loadClient) report(t *testing.T) {
	lc.mu.Lock()
	defer lc.mu.Unlock()
	names := make([]string, 0, len(lc.ops))
	for n := range lc.ops {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	fmt.Fprintf(&b, "\n%-44s %6s %9s %9s %9s  %s\n", "operation", "n", "req/s", "p50", "p99", "statuses")
	for _, n := range names {
		o := lc.ops[n]
		lat := slices.Clone(o.lat)
		slices.Sort(lat)
		span := o.last.Sub(o.first)
		fmt.Fprintf(&b, "%-44s %6d %9.0f %9s %9s  %v\n", n, len(lat), float64(len(lat))/span.Seconds(),
			pct(lat, 50), pct(lat, 99), o.statuses)
	}
	fmt.Fprintf(&b, "\n%-44s %6s %9s %9s\n", "stage", "req", "elapsed", "req/s")
	for _, s := range lc.stages {
		fmt.Fprintf(&b, "%-44s %6d %9s %9.0f\n", s.name, s.requests, s.elapsed.Round(time.Millisecond), float64(s.requests)/s.elapsed.Seconds())
	}
	t.Log(b.String())
	if path := os.Getenv("SCIMKIT_SCALEOUT_REPORT"); path != "" { // for benchmark write-ups
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			t.Error(err)
		}
	}
}

func pct(sorted []time.Duration, p int) string {
	if len(sorted) == 0 {
		return "-"
	}
	return sorted[(len(sorted)-1)*p/100].Round(10 * time.Microsecond).String()
}
