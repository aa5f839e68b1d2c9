package bench

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"time"
)

// A MemoryReport is the memory one server needed to hold a number of users,
// measured in a process that did nothing else.
type MemoryReport struct {
	Server string // "scimkit" or "elimity"
	Users  int
	// How the users were loaded: "POST" means one POST /Users per user
	// through the server's http.Handler (an httptest recorder, no network).
	Via string
	// PeakRSS is VmHWM of /proc/self/status: the most resident memory the
	// process had at any time, transient garbage of the load included.
	PeakRSS int64
	// RSS is VmRSS after loading and a forced garbage collection.
	RSS int64
	// HeapAlloc is the live heap after that collection.
	HeapAlloc uint64
	// LoadTime is how long loading took.
	LoadTime time.Duration
}

// String formats r on one line.
func (r MemoryReport) String() string {
	return fmt.Sprintf("%s: %d users via %s in %v: peak RSS %.1f MiB, RSS after GC %.1f MiB, live heap %.1f MiB",
		r.Server, r.Users, r.Via, r.LoadTime.Round(time.Millisecond), mib(r.PeakRSS), mib(r.RSS), mib(int64(r.HeapAlloc)))
}

func mib(n int64) float64 { return float64(n) / (1 << 20) }

// MeasureMemory loads users workload users into a new, empty server (see
// [NewServer]) by POST through its handler and reports the memory of the
// current process. Run it in a fresh process (bench/cmd/rss does) so that the
// peak belongs to this load alone.
func MeasureMemory(server string, users int) (MemoryReport, error) {
	if users < 1 {
		return MemoryReport{}, fmt.Errorf("bench: %d users", users)
	}
	start := time.Now()
	s, err := NewServer(server)
	if err != nil {
		return MemoryReport{}, err
	}
	ids, err := CreateUsers(s.Handler, s.Header, 0, users, nil)
	if err != nil {
		return MemoryReport{}, err
	}
	load := time.Since(start)
	// Check that the server holds what it was sent.
	last := ids[len(ids)-1]
	if rec := Do(s.Handler, "GET", "/Users/"+last, nil, s.Header); rec.Code != 200 ||
		!bytes.Contains(rec.Body.Bytes(), []byte(UserName(users-1))) {
		return MemoryReport{}, fmt.Errorf("bench: %s lost user %s: status %d", server, last, rec.Code)
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	hwm, rss, err := ProcMemory()
	if err != nil {
		return MemoryReport{}, err
	}
	// The users must still be live when memory is read.
	runtime.KeepAlive(s)
	return MemoryReport{
		Server: server, Users: users, Via: "POST",
		PeakRSS: hwm, RSS: rss, HeapAlloc: ms.HeapAlloc, LoadTime: load,
	}, nil
}

// ProcMemory returns VmHWM (peak resident set size) and VmRSS of the current
// process in bytes, from /proc/self/status (Linux only).
func ProcMemory() (hwm, rss int64, err error) {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0, 0, err
	}
	return parseStatus(b)
}

func parseStatus(b []byte) (hwm, rss int64, err error) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := sc.Bytes()
		var dst *int64
		switch {
		case bytes.HasPrefix(line, []byte("VmHWM:")):
			dst = &hwm
		case bytes.HasPrefix(line, []byte("VmRSS:")):
			dst = &rss
		default:
			continue
		}
		// "VmHWM:	  123456 kB"
		f := bytes.Fields(line[6:])
		if len(f) != 2 || string(f[1]) != "kB" {
			return 0, 0, fmt.Errorf("bench: unexpected status line %q", line)
		}
		kb, err := strconv.ParseInt(string(f[0]), 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("bench: unexpected status line %q", line)
		}
		*dst = kb << 10
	}
	if hwm == 0 || rss == 0 {
		return 0, 0, fmt.Errorf("bench: VmHWM or VmRSS missing from /proc/self/status")
	}
	return hwm, rss, nil
}
