// Command sqlload measures sqlstore behind scim.Handler over loopback HTTP, side by
// side in one run, for the figures in BENCHMARKS.md:
//
//   - get: GET /Users/{id} at -users users in one tenant, against pgbench's
//     single-row primary-key SELECT on the same table (PostgreSQL only), from Go's
//     client in this process and, when it is on the PATH, from wrk, next to a
//     floor (net/http and one database/sql SELECT) and bare net/http (no database);
//   - size: GET by id and filter=userName eq at -users and at 1,000 users, each right
//     after its bulk load, with no ANALYZE (autovacuum off for those tables);
//   - sync: Entra ID's first sync (GET ?filter=userName eq, then POST) of -sync-users
//     users;
//   - contention: 100 concurrent updates of one user (store), 100 concurrent PATCHes
//     of one user and 500 concurrent member PATCHes of one group (Handler), and 500
//     concurrent POSTs of new users (Handler), each answer checked against what was
//     stored, with p50 and p99;
//   - cost: a 1,000-term or-ed emails filter against a tenant whose user has 5,000
//     emails, under a -deadline, while another tenant's GETs run;
//   - list: an Okta import's pages (Store.ListUsers, count 100, no filter) at
//     startIndex 1 and in the middle of -users users in one tenant, and the middle
//     page sorted by userName, right after the bulk load (no ANALYZE) and after
//     ANALYZE, each page checked.
//
// Usage:
//
//	go run ./examples/sqlload -dialect postgres -dsn 'postgres://postgres@127.0.0.1:5432/scimkit_sqlstore?sslmode=disable'
//	go run ./examples/sqlload -dialect mariadb -dsn 'root@tcp(127.0.0.1:3306)/scimkit_sqlstore' -run sync,contention
//	go run ./examples/sqlload -dialect sqlite -dsn /tmp/load.db -run sync,contention,cost
//
// Every run creates its own tables (prefix "load_…") and drops them at the end.
package main

import (
	"bytes"
	"context"
	crand "crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"regexp"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	_ "github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"github.com/scimkit/scimkit/examples/sqlstoretest"
	"github.com/scimkit/scimkit/filter"
	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/sqlstore"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Stdout); err != nil {
		log.Fatal(err)
	}
}

type config struct {
	dialect   sqlstore.Dialect
	driver    string
	dsn       string
	libpqDSN  string // dsn as given, for pgbench
	users     int
	syncUsers int
	conns     int
	duration  time.Duration
	deadline  time.Duration
	out       io.Writer
	db        *sql.DB
	drop      []string
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fs := flag.NewFlagSet("sqlload", flag.ContinueOnError)
	dialect := fs.String("dialect", "postgres", "postgres, mariadb or sqlite")
	dsn := fs.String("dsn", "", "data source name (sqlite: a file path)")
	users := fs.Int("users", 100000, "users in the big tenant (get, size, list)")
	syncUsers := fs.Int("sync-users", 20000, "users of the simulated first sync")
	conns := fs.Int("conns", 8, "concurrent clients and database connections")
	duration := fs.Duration("duration", 5*time.Second, "length of each timed phase")
	deadline := fs.Duration("deadline", 2*time.Second, "request deadline set by the host's middleware (0: none)")
	scenarios := fs.String("run", "get,size,sync,contention,cost", "scenarios to run")
	profile := fs.String("cpuprofile", "", "write a CPU profile of the whole run (client and server) to this file")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *profile != "" {
		f, err := os.Create(*profile)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return err
		}
		defer pprof.StopCPUProfile()
	}
	c := &config{dsn: *dsn, users: *users, syncUsers: *syncUsers, conns: *conns, duration: *duration, deadline: *deadline, out: out}
	switch *dialect {
	case "postgres":
		c.dialect, c.driver, c.libpqDSN = sqlstore.PostgreSQL, "pgx", c.dsn
		if strings.Contains(c.dsn, "plan_cache_mode") {
			// pgx sends unknown DSN parameters to the server; libpq refuses them.
			u, err := url.Parse(c.dsn)
			if err == nil {
				q := u.Query()
				q.Del("plan_cache_mode")
				u.RawQuery = q.Encode()
				c.libpqDSN = u.String()
			}
		}
	case "mariadb":
		c.dialect, c.driver = sqlstore.MariaDB, "mysql"
	case "sqlite":
		c.dialect, c.driver = sqlstore.SQLite, "sqlite"
		c.dsn = "file:" + c.dsn + "?_pragma=journal_mode(WAL)&_pragma=busy_timeout(20000)&_pragma=synchronous(NORMAL)"
	default:
		return errors.New("sqlload: -dialect must be postgres, mariadb or sqlite")
	}
	db, err := sql.Open(c.driver, c.dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(c.conns + 2)
	db.SetMaxIdleConns(c.conns + 2)
	c.db = db
	defer c.cleanup()
	fmt.Fprintf(out, "sqlload: %s, %d connections, phases of %s\n", c.dialect, c.conns, c.duration)
	for _, s := range strings.Split(*scenarios, ",") {
		var err error
		switch s {
		case "get":
			err = c.get(ctx)
		case "size":
			err = c.size(ctx)
		case "sync":
			err = c.sync(ctx)
		case "contention":
			err = c.contention(ctx)
		case "cost":
			err = c.cost(ctx)
		case "list":
			err = c.list(ctx)
		default:
			err = errors.New("unknown scenario " + s)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", s, err)
		}
	}
	return nil
}

// tables creates a new set of owned tables and returns their store. With frozen set
// (PostgreSQL) autovacuum is off for them, so that nothing analyses them behind the
// measurement's back.
func (c *config) tables(ctx context.Context, frozen bool) (*sqlstore.Store, error) {
	var b [4]byte
	crand.Read(b[:])
	p := "load_" + hex.EncodeToString(b[:]) + "_"
	if err := sqlstore.Migrate(ctx, c.db, c.dialect, p); err != nil {
		return nil, err
	}
	t := sqlstore.Owned(c.dialect, p)
	names := t.Names()
	c.drop = append(c.drop, append(names, p+"schema")...)
	if c.dialect == sqlstore.PostgreSQL && frozen {
		for _, n := range names {
			if _, err := c.db.ExecContext(ctx, "ALTER TABLE "+n+" SET (autovacuum_enabled = false)"); err != nil {
				return nil, err
			}
		}
	}
	return sqlstore.New(c.db, sqlstore.Options{Dialect: c.dialect, Tables: t})
}

func (c *config) cleanup() {
	for _, n := range c.drop {
		if _, err := c.db.Exec("DROP TABLE IF EXISTS " + n); err != nil {
			log.Print(err)
		}
	}
}

// serve starts the SCIM handler over st on loopback; the bearer token is the
// tenant's name. Every request gets the -deadline, as a host's middleware sets it.
func (c *config) serve(st *sqlstore.Store) (base string, stop func(), err error) {
	return c.serveTerms(st, 0)
}

// serveTerms is serve with Config.MaxFilterTerms set to terms (0: the default).
func (c *config) serveTerms(st *sqlstore.Store, terms int) (base string, stop func(), err error) {
	h, err := scim.NewHandler(scim.Config{Users: st, Groups: st, MaxFilterTerms: terms,
		Auth: scim.BearerTokens(scim.TokenVerifierFunc(func(_ context.Context, t scim.Token) (string, error) {
			return string(t), nil
		}))})
	if err != nil {
		return "", nil, err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if c.deadline > 0 {
			ctx, cancel := context.WithTimeout(r.Context(), c.deadline)
			defer cancel()
			r = r.WithContext(ctx)
		}
		h.ServeHTTP(w, r)
	})}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}

var client = &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 256}}

// do sends one request as tenant and returns the status and body.
func do(ctx context.Context, method, u, tenant, body string) (int, string, error) {
	req, err := http.NewRequestWithContext(ctx, method, u, strings.NewReader(body))
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Authorization", "Bearer "+tenant)
	req.Header.Set("Content-Type", "application/scim+json")
	resp, err := client.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b), err
}

// rate runs f on c.conns workers for c.duration and returns requests per second;
// any non-2xx answer is an error.
func (c *config) rate(ctx context.Context, f func(ctx context.Context, r *rand.Rand) error) (float64, error) {
	ctx, cancel := context.WithTimeout(ctx, c.duration)
	defer cancel()
	var n atomic.Int64
	var firstErr atomic.Value
	var wg sync.WaitGroup
	start := time.Now()
	for w := range c.conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := rand.New(rand.NewPCG(uint64(w), uint64(time.Now().UnixNano())))
			for ctx.Err() == nil {
				if err := f(ctx, r); err != nil {
					if ctx.Err() == nil {
						firstErr.CompareAndSwap(nil, err)
					}
					return
				}
				n.Add(1)
			}
		}()
	}
	wg.Wait()
	if err, ok := firstErr.Load().(error); ok {
		return 0, err
	}
	return float64(n.Load()) / time.Since(start).Seconds(), nil
}

func ok(code int, body string, err error) error {
	if err != nil {
		return err
	}
	if code/100 != 2 {
		return fmt.Errorf("status %d: %.200s", code, body)
	}
	return nil
}

// getByID returns a worker that GETs random users among n.
func getByID(base string, n int) func(context.Context, *rand.Rand) error {
	return func(ctx context.Context, r *rand.Rand) error {
		return ok(do(ctx, "GET", base+"/Users/u"+strconv.Itoa(r.IntN(n)+1), "big", ""))
	}
}

// byUserName returns a worker that filters by the userName of random users among n.
func byUserName(base string, n int) func(context.Context, *rand.Rand) error {
	return func(ctx context.Context, r *rand.Rand) error {
		f := url.QueryEscape(`userName eq "user` + strconv.Itoa(r.IntN(n)+1) + `@contoso.example"`)
		code, body, err := do(ctx, "GET", base+"/Users?filter="+f, "big", "")
		if err := ok(code, body, err); err != nil {
			return err
		}
		if !strings.Contains(body, `"totalResults":1`) {
			return fmt.Errorf("userName eq found no user: %.200s", body)
		}
		return nil
	}
}

// loaded returns a served store on new tables whose tenant "big" holds n
// bulk-loaded users, with autovacuum off when n > 0.
func (c *config) loaded(ctx context.Context, n int) (*sqlstore.Store, string, func(), error) {
	st, err := c.tables(ctx, n > 0)
	if err != nil {
		return nil, "", nil, err
	}
	if n > 0 {
		start := time.Now()
		if err := sqlstoretest.BulkLoad(ctx, c.db, c.dialect, st.Tables(), "big", n); err != nil {
			return nil, "", nil, err
		}
		fmt.Fprintf(c.out, "  bulk load of %d users: %s\n", n, time.Since(start).Round(time.Millisecond))
	}
	base, stop, err := c.serve(st)
	return st, base, stop, err
}

func (c *config) get(ctx context.Context) error {
	if c.dialect != sqlstore.PostgreSQL {
		fmt.Fprintln(c.out, "get: pgbench runs on PostgreSQL only; skipped")
		return nil
	}
	fmt.Fprintf(c.out, "get: GET /Users/{id} vs pgbench's primary-key SELECT, %d users in one tenant\n", c.users)
	st, base, stop, err := c.loaded(ctx, c.users)
	if err != nil {
		return err
	}
	defer stop()
	script, err := os.CreateTemp("", "sqlload-*.sql")
	if err != nil {
		return err
	}
	defer os.Remove(script.Name())
	fmt.Fprintf(script, "\\set n random(1, %d)\nSELECT * FROM %s WHERE tenant = 'big' AND id = 'u' || :n;\n", c.users, st.Tables().Users.Name)
	script.Close()
	floor, stopFloor, err := c.serveFloor(st.Tables())
	if err != nil {
		return err
	}
	defer stopFloor()
	_, answer, err := do(ctx, "GET", base+"/Users/u1", "big", "")
	if err != nil {
		return err
	}
	bare, stopBare, err := serveBare([]byte(answer))
	if err != nil {
		return err
	}
	defer stopBare()
	bctx := scim.WithTenant(ctx, "big")
	for round := range 2 {
		getRate, err := c.rate(ctx, getByID(base, c.users))
		if err != nil {
			return err
		}
		storeRate, err := c.rate(ctx, func(_ context.Context, r *rand.Rand) error {
			_, err := st.GetUser(bctx, "u"+strconv.Itoa(r.IntN(c.users)+1))
			return err
		})
		if err != nil {
			return err
		}
		out, err := exec.CommandContext(ctx, "pgbench", "-n", "-M", "prepared", "-c", strconv.Itoa(c.conns), "-j", "2",
			"-T", strconv.Itoa(int(c.duration.Seconds())), "-f", script.Name(), c.libpqDSN).CombinedOutput()
		if err != nil {
			return fmt.Errorf("pgbench: %v\n%s", err, out)
		}
		m := regexp.MustCompile(`tps = ([0-9.]+)`).FindSubmatch(out)
		if m == nil {
			return fmt.Errorf("pgbench: no tps in\n%s", out)
		}
		pg, _ := strconv.ParseFloat(string(m[1]), 64)
		fmt.Fprintf(c.out, "  round %d: GET /Users/{id} %.0f/s, pgbench %.0f/s: %.2f× (Store.GetUser without HTTP: %.0f/s, %.2f×)\n",
			round+1, getRate, pg, getRate/pg, storeRate, storeRate/pg)
		wrkRate, err := c.wrk(ctx, base, c.users)
		if err != nil {
			fmt.Fprintf(c.out, "  round %d: wrk: %v\n", round+1, err)
			continue
		}
		floorRate, err := c.wrk(ctx, floor, c.users)
		if err != nil {
			return err
		}
		bareRate, err := c.wrk(ctx, bare, c.users)
		if err != nil {
			return err
		}
		fmt.Fprintf(c.out, "  round %d: from wrk (a C client, as pgbench is): GET /Users/{id} %.0f/s: %.2f× of pgbench; "+
			"floor (net/http, one database/sql SELECT of the JSON column by primary key) %.0f/s: %.2f× of pgbench; GET at %.2f× the floor; "+
			"bare net/http answering a stored copy of one GET, no database, %.0f/s: %.2f× of pgbench\n",
			round+1, wrkRate, wrkRate/pg, floorRate, floorRate/pg, wrkRate/floorRate, bareRate, bareRate/pg)
	}
	return nil
}

// serveFloor serves, for GET /Users/{id}, the JSON column of the user's row read by
// its primary key through database/sql, and nothing else: what any Go server over
// the same driver pays for one row over HTTP, the floor of the store's GET.
func (c *config) serveFloor(t *sqlstore.Tables) (string, func(), error) {
	q := "SELECT " + t.Users.Attributes + " FROM " + t.Users.Name + " WHERE " + t.Users.Tenant + " = $1 AND " + t.Users.ID + " = $2"
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var doc []byte
		id, _ := strings.CutPrefix(r.URL.Path, "/Users/")
		if err := c.db.QueryRowContext(r.Context(), q, "big", id).Scan(&doc); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/scim+json")
		w.Write(doc)
	})}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}

// serveBare serves answer to every request with net/http and nothing else: the
// HTTP side of the floor alone, what the loopback hop costs before any database.
func serveBare(answer []byte) (string, func(), error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/scim+json")
		w.Write(answer)
	})}
	go srv.Serve(ln)
	return "http://" + ln.Addr().String(), func() { srv.Close() }, nil
}

// wrk measures GET /Users/{id} of random users among n with wrk, when it is on the
// PATH: an HTTP load generator written in C, as pgbench is, so that neither side's
// client takes the other's share of the cores.
func (c *config) wrk(ctx context.Context, base string, n int) (float64, error) {
	path, err := exec.LookPath("wrk")
	if err != nil {
		return 0, errors.New("not on the PATH; skipped (Debian package wrk)")
	}
	script, err := os.CreateTemp("", "sqlload-*.lua")
	if err != nil {
		return 0, err
	}
	defer os.Remove(script.Name())
	fmt.Fprintf(script, `request = function()
  return wrk.format("GET", "/Users/u" .. math.random(1, %d), {["Authorization"] = "Bearer big"})
end
`, n)
	script.Close()
	out, err := exec.CommandContext(ctx, path, "-t2", "-c"+strconv.Itoa(c.conns), "-d"+strconv.Itoa(int(c.duration.Seconds()))+"s",
		"-s", script.Name(), base).CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("%v\n%s", err, out)
	}
	if bytes.Contains(out, []byte("Non-2xx")) {
		return 0, fmt.Errorf("answers other than 2xx:\n%s", out)
	}
	m := regexp.MustCompile(`Requests/sec:\s+([0-9.]+)`).FindSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("no rate in\n%s", out)
	}
	return strconv.ParseFloat(string(m[1]), 64)
}

func (c *config) size(ctx context.Context) error {
	fmt.Fprintf(c.out, "size: right after bulk load, no ANALYZE: 1,000 vs %d users in one tenant\n", c.users)
	res := map[string]float64{}
	for _, n := range []int{1000, c.users} {
		_, base, stop, err := c.loaded(ctx, n)
		if err != nil {
			return err
		}
		for _, w := range []struct {
			name string
			f    func(context.Context, *rand.Rand) error
		}{{"GET by id", getByID(base, n)}, {"userName eq", byUserName(base, n)}} {
			r, err := c.rate(ctx, w.f)
			if err != nil {
				stop()
				return err
			}
			res[w.name+strconv.Itoa(n)] = r
			fmt.Fprintf(c.out, "  %d users: %s %.0f/s\n", n, w.name, r)
		}
		stop()
	}
	for _, w := range []string{"GET by id", "userName eq"} {
		fmt.Fprintf(c.out, "  %s: %d users at %.2f× the rate at 1,000 (1,000 at %.2f× the big tenant's)\n", w, c.users,
			res[w+strconv.Itoa(c.users)]/res[w+"1000"], res[w+"1000"]/res[w+strconv.Itoa(c.users)])
	}
	return nil
}

// entraUser is the body of the POST of user i in Entra ID's first sync.
func entraUser(i int) string {
	return fmt.Sprintf(`{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
"externalId":"ext%d","userName":"sync%d@contoso.example","active":true,"displayName":"Sync User %d",
"name":{"givenName":"Sync","familyName":"User%d","formatted":"Sync User%d"},"title":"Engineer",
"emails":[{"primary":true,"type":"work","value":"sync%d@contoso.example"}],
"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"R&D","employeeNumber":"%d"}}`, i, i, i, i, i, i, i)
}

func (c *config) sync(ctx context.Context) error {
	fmt.Fprintf(c.out, "sync: Entra first sync of %d users (GET ?filter=userName eq, then POST), %d connections\n", c.syncUsers, c.conns)
	_, base, stop, err := c.loaded(ctx, 0)
	if err != nil {
		return err
	}
	defer stop()
	var next atomic.Int64
	var wg sync.WaitGroup
	var firstErr atomic.Value
	start := time.Now()
	for range c.conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1))
				if i > c.syncUsers || firstErr.Load() != nil {
					return
				}
				f := url.QueryEscape(fmt.Sprintf(`userName eq "sync%d@contoso.example"`, i))
				code, body, err := do(ctx, "GET", base+"/Users?filter="+f+"&attributes=userName", "sync", "")
				if err == nil && !strings.Contains(body, `"totalResults":0`) {
					err = fmt.Errorf("user %d exists before its POST: %d %.200s", i, code, body)
				}
				if err == nil {
					err = ok(code, body, nil)
				}
				if err == nil {
					err = ok(do(ctx, "POST", base+"/Users", "sync", entraUser(i)))
				}
				if err != nil {
					firstErr.CompareAndSwap(nil, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if err, ok := firstErr.Load().(error); ok {
		return err
	}
	d := time.Since(start)
	fmt.Fprintf(c.out, "  %d users in %s: %.0f users/s\n", c.syncUsers, d.Round(time.Millisecond), float64(c.syncUsers)/d.Seconds())
	return nil
}

// percentiles returns p50 and p99 of ds.
func percentiles(ds []time.Duration) (time.Duration, time.Duration) {
	slices.Sort(ds)
	return ds[len(ds)/2], ds[len(ds)*99/100]
}

// concurrently runs f(i) for i in [0, n) at once and returns the latencies and the
// number of failures.
func concurrently(n int, f func(i int) error) ([]time.Duration, int, error) {
	lat := make([]time.Duration, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := time.Now()
			errs[i] = f(i)
			lat[i] = time.Since(t)
		}()
	}
	wg.Wait()
	failed := 0
	var first error
	for _, err := range errs {
		if err != nil {
			failed++
			if first == nil {
				first = err
			}
		}
	}
	return lat, failed, first
}

func (c *config) contention(ctx context.Context) error {
	fmt.Fprintln(c.out, "contention: concurrent writes to one resource, without If-Match")
	st, base, stop, err := c.loaded(ctx, 0)
	if err != nil {
		return err
	}
	defer stop()
	tctx := scim.WithTenant(ctx, "c")
	const members = 500
	for i := range members + 1 {
		if _, err := st.CreateUser(tctx, &scim.User{ID: fmt.Sprintf("c%d", i), UserName: fmt.Sprintf("c%d@contoso.example", i), Active: true}); err != nil {
			return err
		}
	}
	if _, err := st.CreateGroup(tctx, &scim.Group{ID: "g", DisplayName: "Everyone"}); err != nil {
		return err
	}
	lat, failed, first := concurrently(100, func(i int) error {
		_, err := st.UpdateUser(tctx, "c0", "", func(u *scim.User) (*scim.User, error) {
			u.Emails = append(u.Emails, scim.MultiValue{Value: fmt.Sprintf("e%d@contoso.example", i)})
			return u, nil
		})
		return err
	})
	u, err := st.GetUser(tctx, "c0")
	if err != nil {
		return err
	}
	p50, p99 := percentiles(lat)
	fmt.Fprintf(c.out, "  100 UpdateUser (store): %d failed (%v), %d of 100 emails kept, p50 %s, p99 %s\n", failed, first, len(u.Emails), p50.Round(time.Microsecond), p99.Round(time.Microsecond))
	lat, failed, first = concurrently(100, func(i int) error {
		body := fmt.Sprintf(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"phoneNumbers","value":[{"value":"+1 555 %04d","type":"t%d"}]}]}`, i, i)
		return ok(do(ctx, "PATCH", base+"/Users/c1", "c", body))
	})
	u, err = st.GetUser(tctx, "c1")
	if err != nil {
		return err
	}
	p50, p99 = percentiles(lat)
	fmt.Fprintf(c.out, "  100 PATCH /Users (Handler): %d failed (%v), %d of 100 numbers kept, p50 %s, p99 %s\n", failed, first, len(u.PhoneNumbers), p50.Round(time.Microsecond), p99.Round(time.Microsecond))
	lat, failed, first = concurrently(members, func(i int) error {
		body := fmt.Sprintf(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"members","value":[{"value":"c%d"}]}]}`, i+1)
		if i%2 == 1 {
			body = fmt.Sprintf(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","value":{"members":[{"value":"c%d"}]}}]}`, i+1)
		}
		return ok(do(ctx, "PATCH", base+"/Groups/g", "c", body))
	})
	g, err := st.GetGroup(tctx, "g", scim.Projection{})
	if err != nil {
		return err
	}
	p50, p99 = percentiles(lat)
	fmt.Fprintf(c.out, "  500 member PATCH /Groups (Handler, path and path-less): %d failed (%v), %d of 500 members kept, p50 %s, p99 %s\n", failed, first, len(g.Members), p50.Round(time.Microsecond), p99.Round(time.Microsecond))
	const posts = 500
	answered := make([]bool, posts)
	lat, failed, first = concurrently(posts, func(i int) error {
		err := ok(do(ctx, "POST", base+"/Users", "c", entraUser(i)))
		answered[i] = err == nil
		return err
	})
	stored, wrong := 0, 0
	for i, ok := range answered {
		l, err := st.ListUsers(tctx, scim.Query{Filter: mustParse(fmt.Sprintf(`userName eq "sync%d@contoso.example"`, i)), Count: 1, StartIndex: 1})
		if err != nil {
			return err
		}
		if l.Total > 0 {
			stored++
		}
		if (l.Total > 0) != ok {
			wrong++
		}
	}
	p50, p99 = percentiles(lat)
	fmt.Fprintf(c.out, "  500 POST /Users (Handler): %d failed (%v), %d stored, %d answers that say otherwise, p50 %s, p99 %s\n", failed, first, stored, wrong, p50.Round(time.Microsecond), p99.Round(time.Microsecond))
	return nil
}

func mustParse(f string) filter.Expr {
	e, err := filter.Parse(f)
	if err != nil {
		panic(err)
	}
	return e
}

func (c *config) cost(ctx context.Context) error {
	fmt.Fprintf(c.out, "cost: 1,000-term or-ed emails filter against a 5,000-email user, deadline %s, while another tenant GETs\n", c.deadline)
	st, base, stop, err := c.loaded(ctx, 0)
	if err != nil {
		return err
	}
	defer stop()
	emails := make([]scim.MultiValue, 5000)
	for i := range emails {
		emails[i] = scim.MultiValue{Value: fmt.Sprintf("mail%05d@contoso.example", i), Type: "work"}
	}
	if _, err := st.CreateUser(scim.WithTenant(ctx, "big"), &scim.User{ID: "big", UserName: "big@contoso.example", Active: true, Emails: emails}); err != nil {
		return err
	}
	for i := range 100 {
		if _, err := st.CreateUser(scim.WithTenant(ctx, "small"), &scim.User{ID: fmt.Sprintf("s%d", i), UserName: fmt.Sprintf("s%d@contoso.example", i), Active: true}); err != nil {
			return err
		}
	}
	small := func(d time.Duration) ([]time.Duration, error) {
		var lat []time.Duration
		end := time.Now().Add(d)
		for i := 0; time.Now().Before(end); i++ {
			t := time.Now()
			if err := ok(do(ctx, "GET", base+"/Users/s"+strconv.Itoa(i%100), "small", "")); err != nil {
				return nil, err
			}
			lat = append(lat, time.Since(t))
		}
		return lat, nil
	}
	base0, err := small(time.Second)
	if err != nil {
		return err
	}
	var terms []string
	for i := range 1000 {
		terms = append(terms, fmt.Sprintf(`emails[value co "zz%d"]`, i))
	}
	f := url.QueryEscape(strings.Join(terms, " or "))
	b50, b99 := percentiles(base0)
	fmt.Fprintf(c.out, "  other tenant's GET alone: p50 %s p99 %s\n", b50.Round(time.Microsecond), b99.Round(time.Microsecond))
	// With the default MaxFilterTerms the handler refuses the filter; a host that
	// admits 1,000 terms lets it reach the database, where the deadline bounds it.
	admitting, stopAdmitting, err := c.serveTerms(st, 1000)
	if err != nil {
		return err
	}
	defer stopAdmitting()
	for _, h := range []struct{ name, base string }{{"default MaxFilterTerms", base}, {"MaxFilterTerms 1000", admitting}} {
		type result struct {
			code int
			body string
			d    time.Duration
			err  error
		}
		done := make(chan result, 1)
		go func() {
			t := time.Now()
			code, body, err := do(ctx, "GET", h.base+"/Users?filter="+f, "big", "")
			done <- result{code, body, time.Since(t), err}
		}()
		during, err := small(c.deadline)
		if err != nil {
			return err
		}
		r := <-done
		if r.err != nil {
			return r.err
		}
		d50, d99 := percentiles(during)
		fmt.Fprintf(c.out, "  %s: costly request %d after %s (%.120s)\n", h.name, r.code, r.d.Round(time.Millisecond), r.body)
		fmt.Fprintf(c.out, "  %s: other tenant's GET during it: p50 %s p99 %s\n", h.name, d50.Round(time.Microsecond), d99.Round(time.Microsecond))
	}
	return nil
}

// list times the pages of an Okta import of a big tenant (GET /Users?startIndex=…&count=100,
// no filter) through Store.ListUsers: the median of 5 calls at startIndex 1 and at
// the middle of the tenant, and at the middle sorted by userName, right after the
// bulk load and again after ANALYZE. Each page must hold the tenant's total and 100
// users: in the default order those that (created, id) puts there.
func (c *config) list(ctx context.Context) error {
	fmt.Fprintf(c.out, "list: ListUsers pages of 100, no filter, %d users in one tenant\n", c.users)
	st, _, stop, err := c.loaded(ctx, c.users)
	if err != nil {
		return err
	}
	stop()
	// BulkLoad gives every user the same created, so ids decide the order.
	ids := make([]string, c.users)
	for i := range ids {
		ids[i] = "u" + strconv.Itoa(i+1)
	}
	slices.Sort(ids)
	bctx := scim.WithTenant(ctx, "big")
	page := func(start int, sortBy string) (time.Duration, error) {
		var lat []time.Duration
		for range 5 {
			qctx, cancel := bctx, context.CancelFunc(func() {})
			if c.deadline > 0 {
				qctx, cancel = context.WithTimeout(bctx, c.deadline)
			}
			t := time.Now()
			p, err := st.ListUsers(qctx, scim.Query{StartIndex: start, Count: 100, SortBy: sortBy})
			lat = append(lat, time.Since(t))
			cancel()
			if err != nil {
				return 0, err
			}
			want := ids[min(start-1, len(ids)):min(start-1+100, len(ids))]
			got := make([]string, len(p.Resources))
			for i, u := range p.Resources {
				got[i] = u.ID
			}
			if p.Total != c.users || len(got) != len(want) || sortBy == "" && !slices.Equal(got, want) {
				return 0, fmt.Errorf("startIndex %d: total %d, ids %.80q…, want %d, %.80q…", start, p.Total, got, c.users, want)
			}
		}
		d, _ := percentiles(lat)
		return d, nil
	}
	t := st.Tables()
	analyze := map[sqlstore.Dialect]string{sqlstore.PostgreSQL: "ANALYZE ", sqlstore.MariaDB: "ANALYZE TABLE ", sqlstore.SQLite: "ANALYZE "}[c.dialect]
	for _, phase := range []string{"no ANALYZE", "after ANALYZE"} {
		if phase == "after ANALYZE" {
			for _, n := range t.Names() {
				if _, err := c.db.ExecContext(ctx, analyze+n); err != nil {
					return err
				}
			}
		}
		for _, p := range []struct {
			start  int
			sortBy string
		}{{1, ""}, {c.users/2 + 1, ""}, {c.users/2 + 1, "userName"}} {
			d, err := page(p.start, p.sortBy)
			if err != nil {
				return err
			}
			sorted := ""
			if p.sortBy != "" {
				sorted = ", sortBy " + p.sortBy
			}
			fmt.Fprintf(c.out, "  %s: startIndex %d%s: median %s\n", phase, p.start, sorted, d.Round(100*time.Microsecond))
		}
	}
	return nil
}
