// Command scimload runs the loopback load comparison: it starts three HTTP
// servers on 127.0.0.1 in this process (a bare net/http handler that sends a
// fixed user, scimkit's handler and elimity's server, both answering
// GET /Users/{id}), drives each in turn with the same number of keep-alive
// connections for the same time, and prints requests per second, latency
// percentiles and each server's throughput relative to the bare handler.
// It then runs the OKTA-OPS-1 latency scenarios on scimkit over memstore:
// a userName filter, a GET by id and a one-member group PATCH.
//
// Usage:
//
//	go run ./bench/cmd/scimload -duration 10s -conns 32
//
// Every run is bounded by -duration (and -max-requests) and talks to loopback
// addresses only.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"runtime"
	"time"

	"github.com/scimkit/scimkit/bench"
	"github.com/scimkit/scimkit/bench/load"
)

func main() {
	dur := flag.Duration("duration", 10*time.Second, "measurement time per scenario")
	warmup := flag.Duration("warmup", time.Second, "warm-up time per scenario, not measured")
	conns := flag.Int("conns", 32, "keep-alive connections per scenario")
	maxReq := flag.Int64("max-requests", 0, "stop a scenario after this many measured requests (0: no limit but the time)")
	getUsers := flag.Int("get-users", 1000, "users on each server in the GET comparison")
	users := flag.Int("users", 100_000, "users in memstore for the OKTA-OPS-1 scenarios")
	groupSize := flag.Int("group-size", 10_000, "members of the group the OKTA-OPS-1 PATCH scenario changes")
	okta := flag.Bool("okta", true, "also run the OKTA-OPS-1 scenarios")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	cfg := load.Config{Conns: *conns, Warmup: *warmup, Duration: *dur, MaxRequests: *maxReq}
	fmt.Printf("GOMAXPROCS %d, %d connections, %v warm-up, %v per scenario\n\n",
		runtime.GOMAXPROCS(0), *conns, *warmup, *dur)

	scenarios, err := bench.GetUserScenarios(*getUsers)
	if err != nil {
		fatalf("%v", err)
	}
	var base float64
	for _, s := range scenarios {
		r, err := s.Run(ctx, cfg)
		if err != nil {
			fatalf("%v", err)
		}
		if s.Name == "bare" {
			base = r.RPS
		}
		report(s.Name+" GET /Users/{id}", r, base)
	}
	if !*okta {
		return
	}
	fmt.Println()
	scenarios, err = bench.OktaOpsScenarios(*users, *groupSize, *conns)
	if err != nil {
		fatalf("%v", err)
	}
	for _, s := range scenarios {
		r, err := s.Run(ctx, cfg)
		if err != nil {
			fatalf("%v", err)
		}
		report(s.Name, r, 0)
	}
}

func report(name string, r load.Result, base float64) {
	fmt.Printf("%-36s %s", name, r)
	if base > 0 {
		fmt.Printf(" (%.2fx bare)", r.RPS/base)
	}
	fmt.Println()
	if r.FirstError != nil {
		fmt.Printf("%-36s first error: %v\n", "", r.FirstError)
	}
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "scimload: "+format+"\n", args...)
	os.Exit(1)
}
