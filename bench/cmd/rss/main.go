// Command rss measures the memory that scimkit and elimity need to hold the
// same users: for each server it starts a child process (this program again,
// with -child) that loads the users by POST /Users through the server's
// handler and reports its peak resident set size (VmHWM) and more. Separate
// processes keep one measurement from inheriting the other's heap.
//
// Usage:
//
//	go run ./bench/cmd/rss -users 100000
//
// Linux only: it reads /proc/self/status.
package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"strings"

	"github.com/scimkit/scimkit/bench"
)

func main() {
	users := flag.Int("users", 100_000, "number of workload users to load")
	servers := flag.String("servers", "scimkit,elimity", "comma-separated servers to measure")
	child := flag.String("child", "", "internal: measure this one server in this process and print JSON")
	flag.Parse()
	if *users < 1 || *users > 10_000_000 {
		fatalf("-users %d out of range [1, 10000000]", *users)
	}

	if *child != "" {
		r, err := bench.MeasureMemory(*child, *users)
		if err != nil {
			fatalf("%v", err)
		}
		if err := json.NewEncoder(os.Stdout).Encode(r); err != nil {
			fatalf("%v", err)
		}
		return
	}

	self, err := os.Executable()
	if err != nil {
		fatalf("%v", err)
	}
	var reports []bench.MemoryReport
	for _, s := range strings.Split(*servers, ",") {
		var out bytes.Buffer
		cmd := exec.Command(self, "-child", s, "-users", fmt.Sprint(*users))
		cmd.Stdout, cmd.Stderr = &out, os.Stderr
		if err := cmd.Run(); err != nil {
			fatalf("%s: %v", s, err)
		}
		var r bench.MemoryReport
		if err := json.Unmarshal(out.Bytes(), &r); err != nil {
			fatalf("%s: bad report %q: %v", s, out.Bytes(), err)
		}
		fmt.Println(r)
		reports = append(reports, r)
	}
	if len(reports) == 2 && reports[0].PeakRSS > 0 {
		fmt.Printf("peak RSS %s / %s = %.2f\n", reports[1].Server, reports[0].Server,
			float64(reports[1].PeakRSS)/float64(reports[0].PeakRSS))
	}
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "rss: "+format+"\n", args...)
	os.Exit(1)
}
