package load

import (
	"bufio"
	"context"
	"math"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func exactQuantile(ds []time.Duration, q float64) time.Duration {
	s := append([]time.Duration(nil), ds...)
	sort.Slice(s, func(i, j int) bool { return s[i] < s[j] })
	rank := int(q*float64(len(s)) + 0.5)
	if rank < 1 {
		rank = 1
	}
	return s[rank-1]
}

func TestHistogramQuantilesWithinOnePercentAndAHalf(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	var h histogram
	var ds []time.Duration
	for range 100_000 {
		// Log-uniform between 1 µs and 1 s, the range of request latencies.
		d := time.Duration(1000 * math.Pow(10, r.Float64()*6))
		ds = append(ds, d)
		h.add(d)
	}
	for _, q := range []float64{0.01, 0.5, 0.9, 0.99, 0.999} {
		got, want := h.quantile(q), exactQuantile(ds, q)
		if diff := float64(got-want) / float64(want); diff > 0.016 || diff < -0.016 {
			t.Errorf("quantile(%v) = %v, exact %v (off by %.2f%%)", q, got, want, 100*diff)
		}
	}
	var empty histogram
	if got := empty.quantile(0.5); got != 0 {
		t.Errorf("empty histogram quantile = %v, want 0", got)
	}
}

func TestBucketsAreMonotonicAndCoverInt64(t *testing.T) {
	prev := -1
	for _, ns := range []int64{0, 1, 127, 128, 129, 255, 256, 1 << 20, 1<<20 + 1, 1 << 40, 1<<62 + 12345, 1<<63 - 1} {
		b := bucketOf(ns)
		if b < prev {
			t.Errorf("bucketOf(%d) = %d, below the bucket of a smaller value (%d)", ns, b, prev)
		}
		if b < 0 || b >= len(histogram{}.counts) {
			t.Fatalf("bucketOf(%d) = %d out of range", ns, b)
		}
		v := int64(bucketValue(b))
		if ns >= 128 && (float64(v-ns)/float64(ns) > 0.016 || float64(ns-v)/float64(ns) > 0.016) {
			t.Errorf("bucketValue(bucketOf(%d)) = %d, more than 1.6%% off", ns, v)
		}
		prev = b
	}
	if bucketOf(-5) != 0 {
		t.Errorf("negative durations must land in bucket 0")
	}
}

func TestRunCountsRequestsOnContentLengthChunkedAndEmptyBodies(t *testing.T) {
	var hits atomic.Int64
	big := strings.Repeat("x", 100_000)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		if r.Header.Get("Authorization") != "Bearer t" {
			w.WriteHeader(http.StatusUnauthorized)
			return
		}
		switch r.URL.Path {
		case "/small":
			w.Write([]byte(`{"id":"1"}`))
		case "/chunked":
			// Larger than net/http's buffer, so it goes out chunked.
			w.Write([]byte(big))
			w.(http.Flusher).Flush()
			w.Write([]byte(big))
		case "/none":
			w.WriteHeader(http.StatusNoContent)
		case "/echo":
			b := make([]byte, 10)
			n, _ := r.Body.Read(b)
			w.Write(b[:n])
		}
	}))
	defer srv.Close()
	addr := strings.TrimPrefix(srv.URL, "http://")
	targets := []string{"/small", "/chunked", "/none", "/echo"}
	res, err := Run(context.Background(), Config{
		Addr:     addr,
		Conns:    4,
		Duration: 300 * time.Millisecond,
		Header:   http.Header{"Authorization": {"Bearer t"}},
		Next: func(conn, seq int) Request {
			tg := targets[(conn+seq)%len(targets)]
			if tg == "/echo" {
				return Request{Method: http.MethodPost, Target: tg, Body: []byte("0123456789")}
			}
			return Request{Target: tg}
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Errors != 0 || res.FirstError != nil {
		t.Fatalf("errors: %d, first: %v", res.Errors, res.FirstError)
	}
	if res.Requests < 40 {
		t.Fatalf("only %d requests in 300 ms", res.Requests)
	}
	if res.Requests > hits.Load() {
		t.Errorf("measured %d requests, server saw %d", res.Requests, hits.Load())
	}
	if res.Status[200]+res.Status[204] != res.Requests || res.Status[204] == 0 {
		t.Errorf("status counts %v do not add up to %d", res.Status, res.Requests)
	}
	if res.P50 <= 0 || res.P50 > res.P99 || res.P99 > res.Max+res.Max/50 {
		t.Errorf("percentiles out of order: %v", res)
	}
	if res.RPS <= 0 || res.Elapsed < 250*time.Millisecond {
		t.Errorf("rate %v over %v", res.RPS, res.Elapsed)
	}
}

func TestRunCountsUnwantedStatusAsErrors(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
	}))
	defer srv.Close()
	res, err := Run(context.Background(), Config{
		Addr: strings.TrimPrefix(srv.URL, "http://"), Conns: 2, Duration: 100 * time.Millisecond,
		Next: func(int, int) Request { return Request{Target: "/x"} },
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests != 0 || res.Errors == 0 || res.FirstError == nil || !strings.Contains(res.FirstError.Error(), "404") {
		t.Errorf("want only errors naming status 404, got %v (first error %v)", res, res.FirstError)
	}
}

func TestRunStopsAtMaxRequests(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	start := time.Now()
	res, err := Run(context.Background(), Config{
		Addr: strings.TrimPrefix(srv.URL, "http://"), Conns: 3, Duration: time.Minute, MaxRequests: 50,
		Next: func(int, int) Request { return Request{Target: "/"} },
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests != 50 {
		t.Errorf("got %d requests, want exactly 50", res.Requests)
	}
	if time.Since(start) > 20*time.Second {
		t.Errorf("run did not stop at the request limit")
	}
}

func TestRunRejectsBadConfigWithoutSending(t *testing.T) {
	next := func(int, int) Request { return Request{Target: "/"} }
	for _, c := range []struct {
		name string
		cfg  Config
		want string
	}{
		{"public address", Config{Addr: "192.0.2.1:80", Duration: time.Second, Next: next}, "not a loopback"},
		{"host name", Config{Addr: "example.com:80", Duration: time.Second, Next: next}, "not a loopback"},
		{"no port", Config{Addr: "127.0.0.1", Duration: time.Second, Next: next}, "address"},
		{"no Next", Config{Addr: "127.0.0.1:1", Duration: time.Second}, "Next"},
		{"no duration", Config{Addr: "127.0.0.1:1", Next: next}, "Duration"},
		{"too long", Config{Addr: "127.0.0.1:1", Duration: time.Hour, Next: next}, "Duration"},
		{"too many conns", Config{Addr: "127.0.0.1:1", Duration: time.Second, Conns: 5000, Next: next}, "Conns"},
		{"negative limit", Config{Addr: "127.0.0.1:1", Duration: time.Second, MaxRequests: -1, Next: next}, "MaxRequests"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := Run(context.Background(), c.cfg)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("err = %v, want one containing %q", err, c.want)
			}
		})
	}
}

func TestReadResponseRejectsMalformedInput(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"HTTP/1.1 2x0 OK\r\n\r\n", "status line"},
		{"SMTP ready\r\n", "status line"},
		{"HTTP/1.1 200 OK\r\nno colon\r\n\r\n", "header line"},
		{"HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", "Content-Length"},
		{"HTTP/1.1 200 OK\r\nContent-Length: 99999999999\r\n\r\n", "limit"},
		{"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", "closed"},
		{"HTTP/1.1 200 OK\r\n\r\n", "without Content-Length"},
		{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", "chunk size"},
		{"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcX\r\n", "CRLF"},
		{"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc", "EOF"},
	} {
		_, err := readResponse(bufio.NewReader(strings.NewReader(c.in)), false)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("readResponse(%q) = %v, want error containing %q", c.in, err, c.want)
		}
	}
	st, err := readResponse(bufio.NewReader(strings.NewReader(
		"HTTP/1.1 201 Created\r\nTransfer-Encoding: chunked\r\n\r\n3;ext=1\r\nabc\r\n0\r\nX-Trailer: 1\r\n\r\n")), false)
	if err != nil || st != 201 {
		t.Errorf("chunked with extension and trailer: %d, %v", st, err)
	}
}
