package bench

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
)

const memoryChildEnv = "SCIMKIT_BENCH_MEMORY_CHILD"

// TestMeasureMemoryInChildProcess runs MeasureMemory for both servers in child
// processes (this test binary, running TestMemoryChild), as bench/cmd/rss does
// with 100,000 users, here with a few hundred so that it stays fast.
func TestMeasureMemoryInChildProcess(t *testing.T) {
	for _, server := range []string{"scimkit", "elimity"} {
		cmd := exec.Command(os.Args[0], "-test.run=^TestMemoryChild$", "-test.count=1")
		cmd.Env = append(os.Environ(), memoryChildEnv+"="+server+":300")
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("%s child: %v\n%s", server, err, out)
		}
		var r MemoryReport
		found := false
		sc := bufio.NewScanner(bytes.NewReader(out))
		for sc.Scan() {
			if line, ok := strings.CutPrefix(sc.Text(), "MEMORY-REPORT "); ok {
				if err := json.Unmarshal([]byte(line), &r); err != nil {
					t.Fatal(err)
				}
				found = true
			}
		}
		if !found {
			t.Fatalf("%s child printed no report:\n%s", server, out)
		}
		t.Log(r)
		if r.Server != server || r.Users != 300 || r.Via != "POST" || r.PeakRSS < r.RSS || r.RSS <= 0 || r.HeapAlloc == 0 {
			t.Errorf("implausible report %+v", r)
		}
	}
}

// TestMemoryChild is the child process of TestMeasureMemoryInChildProcess;
// it does nothing unless the parent set the environment variable.
func TestMemoryChild(t *testing.T) {
	spec := os.Getenv(memoryChildEnv)
	if spec == "" {
		t.Skip("runs only as the child of TestMeasureMemoryInChildProcess")
	}
	server, n, _ := strings.Cut(spec, ":")
	var users int
	if _, err := fmt.Sscan(n, &users); err != nil {
		t.Fatal(err)
	}
	r, err := MeasureMemory(server, users)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.Marshal(r)
	fmt.Printf("MEMORY-REPORT %s\n", b)
}

func TestMeasureMemoryRejectsBadInput(t *testing.T) {
	if _, err := MeasureMemory("elimity", 0); err == nil {
		t.Error("zero users accepted")
	}
	if _, err := MeasureMemory("nginx", 1); err == nil {
		t.Error("unknown server accepted")
	}
}

func TestParseStatus(t *testing.T) {
	hwm, rss, err := parseStatus([]byte("Name:\tx\nVmPeak:\t  9 kB\nVmHWM:\t    2048 kB\nVmRSS:\t    1024 kB\n"))
	if err != nil || hwm != 2048<<10 || rss != 1024<<10 {
		t.Errorf("parseStatus = %d, %d, %v", hwm, rss, err)
	}
	for _, in := range []string{"VmRSS:\t 1 kB\n", "VmHWM:\t x kB\nVmRSS:\t 1 kB\n", "VmHWM:\t 1 MB\nVmRSS:\t 1 kB\n"} {
		if _, _, err := parseStatus([]byte(in)); err == nil {
			t.Errorf("parseStatus(%q) succeeded", in)
		}
	}
	if hwm, rss, err := ProcMemory(); err != nil || hwm < rss || rss <= 0 {
		t.Errorf("ProcMemory() = %d, %d, %v", hwm, rss, err)
	}
}
