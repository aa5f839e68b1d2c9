package bench

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/scimkit/scimkit/bench/load"
)

// A Scenario is one load-test workload: a server and the requests to send it.
type Scenario struct {
	Name       string
	Handler    http.Handler
	Header     http.Header                      // sent with every request
	Next       func(conn, seq int) load.Request // see load.Config.Next
	WantStatus int                              // 0: any 2xx
}

// Run serves s.Handler on a fresh 127.0.0.1 port, drives it as cfg says
// (cfg.Addr, Header, Next and WantStatus are taken from s) and shuts the
// server down again.
func (s Scenario) Run(ctx context.Context, cfg load.Config) (load.Result, error) {
	addr, stop, err := Serve(s.Handler)
	if err != nil {
		return load.Result{}, err
	}
	defer stop()
	cfg.Addr, cfg.Header, cfg.Next, cfg.WantStatus = addr, s.Header, s.Next, s.WantStatus
	res, err := load.Run(ctx, cfg)
	if err != nil {
		return res, fmt.Errorf("%s: %w", s.Name, err)
	}
	return res, nil
}

// Serve starts an HTTP/1.1 server for h on a free port of 127.0.0.1 and
// returns its address and a function that shuts it down.
func Serve(h http.Handler) (addr string, stop func(), err error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", nil, err
	}
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	done := make(chan struct{})
	go func() {
		defer close(done)
		// Serve fails only on a broken listener; the load run then reports
		// the failed connections.
		_ = srv.Serve(ln)
	}()
	return ln.Addr().String(), func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			srv.Close()
		}
		<-done
	}, nil
}

// GetUserScenarios returns the three scenarios of the loopback comparison,
// in this order: "bare" (a plain net/http handler that sends the bytes of
// scimkit's answer for the first user, see [BareHandler]), "scimkit" and
// "elimity", both answering GET /Users/{id} for one of users identical users
// (the same ids on both servers), the request of connection c's seq-th turn
// naming user (c*7919+seq) mod users.
func GetUserScenarios(users int) ([]Scenario, error) {
	if users < 1 {
		return nil, fmt.Errorf("bench: %d users", users)
	}
	sk, err := NewServer("scimkit")
	if err != nil {
		return nil, err
	}
	el, err := NewServer("elimity")
	if err != nil {
		return nil, err
	}
	ids, err := CreateUsers(sk.Handler, sk.Header, 0, users, nil)
	if err != nil {
		return nil, err
	}
	if _, err := CreateUsers(el.Handler, el.Header, 0, users, ids); err != nil {
		return nil, err
	}
	rec := Do(sk.Handler, http.MethodGet, "/Users/"+ids[0], nil, sk.Header)
	if rec.Code != http.StatusOK {
		return nil, fmt.Errorf("bench: scimkit GET /Users/%s: status %d", ids[0], rec.Code)
	}
	targets := make([]string, users)
	for i, id := range ids {
		targets[i] = "/Users/" + id
	}
	next := func(conn, seq int) load.Request {
		return load.Request{Target: targets[(conn*7919+seq)%users]}
	}
	return []Scenario{
		{Name: "bare", Handler: BareHandler(rec.Body.Bytes(), rec.Header().Get("Etag")), Next: next, WantStatus: http.StatusOK},
		{Name: "scimkit", Handler: sk.Handler, Header: sk.Header, Next: next, WantStatus: http.StatusOK},
		{Name: "elimity", Handler: el.Handler, Header: el.Header, Next: next, WantStatus: http.StatusOK},
	}, nil
}

// OktaOpsScenarios returns the OKTA-OPS-1 latency scenarios on scimkit over
// memstore holding users workload users and one group with the first
// groupSize of them as members:
//
//   - "scimkit filter userName eq": GET /Users?filter=userName eq "…", each
//     request naming another existing user;
//   - "scimkit GET /Users/{id}": each request naming another user;
//   - "scimkit PATCH group one member": PATCH /Groups/{id}, connection c
//     adding and removing (in turn) its own extra user, so that every request
//     changes exactly one membership and the group keeps its size.
//
// conns must be the number of connections of the run (at most load.MaxConns).
func OktaOpsScenarios(users, groupSize, conns int) ([]Scenario, error) {
	if users < 1 || groupSize < 0 || groupSize > users || conns < 1 || conns > load.MaxConns {
		return nil, fmt.Errorf("bench: bad scenario size: %d users, group of %d, %d connections", users, groupSize, conns)
	}
	sk, err := NewServer("scimkit")
	if err != nil {
		return nil, err
	}
	ids, err := CreateUsers(sk.Handler, sk.Header, 0, users+conns, nil)
	if err != nil {
		return nil, err
	}
	gid, err := CreateGroup(sk.Handler, sk.Header, "Engineering", ids[:groupSize])
	if err != nil {
		return nil, err
	}
	filters := make([]string, users)
	gets := make([]string, users)
	for i := range users {
		filters[i] = UserNameFilterPath(UserName(i))
		gets[i] = "/Users/" + ids[i]
	}
	adds := make([][]byte, conns)
	removes := make([][]byte, conns)
	for c := range conns {
		adds[c] = AddMemberJSON(ids[users+c])
		removes[c] = RemoveMemberJSON(ids[users+c])
	}
	groupPath := "/Groups/" + gid
	pick := func(conn, seq int) int { return (conn*7919 + seq*104729) % users }
	return []Scenario{
		{
			Name: "scimkit filter userName eq", Handler: sk.Handler, Header: sk.Header, WantStatus: http.StatusOK,
			Next: func(conn, seq int) load.Request { return load.Request{Target: filters[pick(conn, seq)]} },
		},
		{
			Name: "scimkit GET /Users/{id}", Handler: sk.Handler, Header: sk.Header, WantStatus: http.StatusOK,
			Next: func(conn, seq int) load.Request { return load.Request{Target: gets[pick(conn, seq)]} },
		},
		{
			Name: "scimkit PATCH group one member", Handler: sk.Handler, Header: sk.Header,
			Next: func(conn, seq int) load.Request {
				body := adds[conn]
				if seq%2 == 1 {
					body = removes[conn]
				}
				return load.Request{Method: http.MethodPatch, Target: groupPath, Body: body}
			},
		},
	}, nil
}
