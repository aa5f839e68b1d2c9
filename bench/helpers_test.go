package bench

import (
	"bytes"
	"net/http/httptest"
	"runtime"
	"syscall"
	"testing"
	"time"
)

// newPair returns a scimkit and an elimity server that both hold the workload
// users 0..n-1 under the same ids, and those ids.
func newPair(tb testing.TB, n int) (sk, el *Server, ids []string) {
	tb.Helper()
	sk = newServer(tb, "scimkit")
	el = newServer(tb, "elimity")
	ids, err := CreateUsers(sk.Handler, sk.Header, 0, n, nil)
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := CreateUsers(el.Handler, el.Header, 0, n, ids); err != nil {
		tb.Fatal(err)
	}
	return sk, el, ids
}

func newServer(tb testing.TB, name string) *Server {
	tb.Helper()
	s, err := NewServer(name)
	if err != nil {
		tb.Fatal(err)
	}
	return s
}

// rewindBody is a request body that can be refilled without allocating, so
// that a benchmark loop can send the same request again.
type rewindBody struct{ bytes.Reader }

func (*rewindBody) Close() error { return nil }

// requestLoop sends the request that method, target and body(i) describe to
// s once per benchmark iteration through an httptest.ResponseRecorder and
// fails unless the status is want. The *http.Request is built once and reused,
// as are its body reader and headers; the recorder is new for every request.
// body may be nil for no body. When every > 0, reset runs before iterations
// every, 2*every, … with the timer stopped and its CPU time left out; the
// garbage it leaves is collected then too, so that the timed requests pay for
// their own garbage and not for the reset's.
//
// Besides ns/op it reports cpu-ns/op: the CPU time of the whole process
// (request handling and garbage collection) per request, from getrusage. On a
// machine shared with other work, wall time per op grows with the contention
// while CPU time per op does not, so cpu-ns/op is the steadier figure there.
func requestLoop(b *testing.B, s *Server, method, target string, want int, body func(i int) []byte, every int, reset func()) {
	b.Helper()
	req := httptest.NewRequest(method, target, nil)
	for k, v := range s.Header {
		req.Header[k] = v
	}
	var rb rewindBody
	if body != nil {
		req.Header.Set("Content-Type", "application/scim+json")
	}
	b.ReportAllocs()
	var cpu, pause time.Duration
	i := 0
	for b.Loop() {
		if i == 0 {
			cpu = processCPU(b)
		}
		if every > 0 && i > 0 && i%every == 0 {
			b.StopTimer()
			t0 := processCPU(b)
			reset()
			runtime.GC()
			pause += processCPU(b) - t0
			b.StartTimer()
		}
		if body != nil {
			p := body(i)
			rb.Reset(p)
			req.Body, req.ContentLength = &rb, int64(len(p))
		}
		rec := httptest.NewRecorder()
		s.Handler.ServeHTTP(rec, req)
		if rec.Code != want {
			b.Fatalf("%s %s: status %d, want %d: %s", method, target, rec.Code, want, rec.Body.Bytes())
		}
		i++
	}
	cpu = processCPU(b) - cpu - pause
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(i), "cpu-ns/op")
}

// processCPU returns the user and system CPU time the process has used.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// doOK sends one request and fails the test unless the status is want.
func doOK(tb testing.TB, s *Server, method, target string, body []byte, want int) *httptest.ResponseRecorder {
	tb.Helper()
	rec := Do(s.Handler, method, target, body, s.Header)
	if rec.Code != want {
		tb.Fatalf("%s: %s %s: status %d, want %d: %s", s.Name, method, target, rec.Code, want, rec.Body.Bytes())
	}
	return rec
}
