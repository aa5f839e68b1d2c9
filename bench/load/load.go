package load

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"net"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Limits that keep every run bounded.
const (
	// MaxConns is the most connections a run may open.
	MaxConns = 1024
	// MaxDuration is the longest measurement a run may last.
	MaxDuration = 10 * time.Minute
	// DefaultMaxRequests is the request limit when Config.MaxRequests is zero.
	DefaultMaxRequests = 50_000_000
	// maxBody is the largest response body the client reads.
	maxBody = 64 << 20
)

// A Request is one HTTP request to send.
type Request struct {
	Method string // "" means GET
	Target string // request target: path and query, such as "/Users/42"
	Body   []byte // nil for none
}

// Config describes one load run. Addr, Duration and Next are required.
type Config struct {
	// Addr is the server's host:port; the host must be a loopback IP address
	// or "localhost".
	Addr string
	// Conns is the number of keep-alive connections, each with one request in
	// flight at a time. Zero means 32.
	Conns int
	// Warmup is how long requests are sent before measuring starts. Zero means
	// no warm-up.
	Warmup time.Duration
	// Duration is how long the measurement lasts (at most MaxDuration).
	Duration time.Duration
	// MaxRequests ends the measurement early once that many requests have
	// been measured. Zero means DefaultMaxRequests.
	MaxRequests int64
	// Header is sent with every request (for example Authorization).
	Header http.Header
	// Next returns the seq-th request (counting from 0) of connection conn. It
	// is called concurrently from all connections.
	Next func(conn, seq int) Request
	// WantStatus is the status code every response must have; a different one
	// counts as an error. Zero means any 2xx status.
	WantStatus int
}

// Result is the outcome of a run. Only requests that started inside the
// measurement window are counted.
type Result struct {
	Requests int64         // measured requests that got the wanted status
	Errors   int64         // measured requests that failed or got another status
	Elapsed  time.Duration // length of the measurement window
	RPS      float64       // Requests per second of Elapsed
	P50      time.Duration // median latency of the measured requests
	P90      time.Duration
	P99      time.Duration
	Max      time.Duration
	Status   map[int]int64 // responses by status code
	// FirstError describes the first failure, or is nil.
	FirstError error
}

// String formats r on one line.
func (r Result) String() string {
	return fmt.Sprintf("%d req in %v: %.0f req/s, p50 %v, p90 %v, p99 %v, max %v, %d errors",
		r.Requests, r.Elapsed.Round(time.Millisecond), r.RPS, round(r.P50), round(r.P90), round(r.P99), round(r.Max), r.Errors)
}

func round(d time.Duration) time.Duration {
	switch {
	case d >= time.Millisecond:
		return d.Round(10 * time.Microsecond)
	case d >= time.Microsecond:
		return d.Round(100 * time.Nanosecond)
	}
	return d
}

// Run performs the load run that cfg describes and returns its result. It
// returns an error, without sending anything, when cfg is invalid or Addr is
// not a loopback address, and when no connection can be opened. Cancelling ctx
// ends the run early; the result then covers the requests measured so far.
func Run(ctx context.Context, cfg Config) (Result, error) {
	if err := cfg.check(); err != nil {
		return Result{}, err
	}
	conns := make([]net.Conn, cfg.Conns)
	for i := range conns {
		var d net.Dialer
		c, err := d.DialContext(ctx, "tcp", cfg.Addr)
		if err != nil {
			for _, c := range conns[:i] {
				c.Close()
			}
			return Result{}, fmt.Errorf("load: dial %s: %w", cfg.Addr, err)
		}
		conns[i] = c
	}

	start := time.Now()
	measureFrom := start.Add(cfg.Warmup)
	measureTo := measureFrom.Add(cfg.Duration)
	ctx, cancel := context.WithDeadline(ctx, measureTo)
	defer cancel()

	var (
		measured atomic.Int64
		wg       sync.WaitGroup
		workers  = make([]*worker, cfg.Conns)
	)
	for i, c := range conns {
		w := &worker{
			id: i, cfg: &cfg, conn: c,
			br: bufio.NewReaderSize(c, 32<<10), bw: bufio.NewWriterSize(c, 16<<10),
			status: map[int]int64{},
		}
		workers[i] = w
		// A server that stops answering must not hang the run.
		_ = c.SetDeadline(measureTo.Add(10 * time.Second))
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer c.Close()
			w.loop(ctx, measureFrom, &measured, cfg.MaxRequests, cancel)
		}()
	}
	wg.Wait()
	end := time.Now()
	if end.After(measureTo) {
		end = measureTo
	}

	res := Result{Status: map[int]int64{}}
	var hist histogram
	for _, w := range workers {
		res.Requests += w.ok
		res.Errors += w.errs
		if res.FirstError == nil && w.firstErr != nil {
			res.FirstError = w.firstErr
		}
		for k, v := range w.status {
			res.Status[k] += v
		}
		hist.merge(&w.hist)
		if w.max > res.Max {
			res.Max = w.max
		}
	}
	res.Elapsed = max(end.Sub(measureFrom), 0)
	if res.Elapsed > 0 {
		res.RPS = float64(res.Requests) / res.Elapsed.Seconds()
	}
	res.P50 = hist.quantile(0.50)
	res.P90 = hist.quantile(0.90)
	res.P99 = hist.quantile(0.99)
	return res, nil
}

func (cfg *Config) check() error {
	if cfg.Next == nil {
		return errors.New("load: Config.Next is nil")
	}
	if cfg.Duration <= 0 || cfg.Duration > MaxDuration {
		return fmt.Errorf("load: Duration %v out of range (0, %v]", cfg.Duration, MaxDuration)
	}
	if cfg.Warmup < 0 || cfg.Warmup > MaxDuration {
		return fmt.Errorf("load: Warmup %v out of range [0, %v]", cfg.Warmup, MaxDuration)
	}
	if cfg.Conns == 0 {
		cfg.Conns = 32
	}
	if cfg.Conns < 0 || cfg.Conns > MaxConns {
		return fmt.Errorf("load: Conns %d out of range [1, %d]", cfg.Conns, MaxConns)
	}
	if cfg.MaxRequests == 0 {
		cfg.MaxRequests = DefaultMaxRequests
	}
	if cfg.MaxRequests < 0 {
		return fmt.Errorf("load: negative MaxRequests %d", cfg.MaxRequests)
	}
	return checkLoopback(cfg.Addr)
}

func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("load: address %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip == nil || !ip.IsLoopback() {
		return fmt.Errorf("load: address %q is not a loopback address", addr)
	}
	return nil
}

// A worker drives one connection.
type worker struct {
	id   int
	cfg  *Config
	conn net.Conn
	br   *bufio.Reader
	bw   *bufio.Writer
	buf  []byte // request bytes, reused

	ok, errs int64
	firstErr error
	status   map[int]int64
	hist     histogram
	max      time.Duration
}

func (w *worker) loop(ctx context.Context, measureFrom time.Time, measured *atomic.Int64, limit int64, stop context.CancelFunc) {
	for seq := 0; ctx.Err() == nil; seq++ {
		req := w.cfg.Next(w.id, seq)
		t0 := time.Now()
		inWindow := !t0.Before(measureFrom)
		if inWindow && measured.Add(1) > limit {
			stop()
			return
		}
		status, err := w.roundTrip(req)
		d := time.Since(t0)
		if !inWindow {
			if err != nil {
				w.fail(err)
				return
			}
			continue
		}
		if err != nil {
			if ctx.Err() != nil && isDeadline(err) {
				return // the run ended while this request was in flight
			}
			w.fail(err)
			return // the connection is in an unknown state
		}
		w.status[status]++
		if (w.cfg.WantStatus == 0 && status/100 == 2) || status == w.cfg.WantStatus {
			w.ok++
		} else {
			w.errs++
			if w.firstErr == nil {
				w.firstErr = fmt.Errorf("load: %s %s: status %d", req.Method, req.Target, status)
			}
		}
		w.hist.add(d)
		if d > w.max {
			w.max = d
		}
	}
}

func (w *worker) fail(err error) {
	w.errs++
	if w.firstErr == nil {
		w.firstErr = err
	}
}

func isDeadline(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// roundTrip writes req and reads the whole response, returning its status.
func (w *worker) roundTrip(req Request) (int, error) {
	method := req.Method
	if method == "" {
		method = http.MethodGet
	}
	b := w.buf[:0]
	b = append(b, method...)
	b = append(b, ' ')
	b = append(b, req.Target...)
	b = append(b, " HTTP/1.1\r\nHost: "...)
	b = append(b, w.cfg.Addr...)
	b = append(b, "\r\n"...)
	for k, vs := range w.cfg.Header {
		for _, v := range vs {
			b = append(b, k...)
			b = append(b, ": "...)
			b = append(b, v...)
			b = append(b, "\r\n"...)
		}
	}
	if req.Body != nil {
		b = append(b, "Content-Type: application/scim+json\r\nContent-Length: "...)
		b = strconv.AppendInt(b, int64(len(req.Body)), 10)
		b = append(b, "\r\n"...)
	}
	b = append(b, "\r\n"...)
	b = append(b, req.Body...)
	w.buf = b
	if _, err := w.bw.Write(b); err != nil {
		return 0, err
	}
	if err := w.bw.Flush(); err != nil {
		return 0, err
	}
	return readResponse(w.br, method == http.MethodHead)
}

// readResponse reads one HTTP/1.1 response from br, discarding its body, and
// returns its status code. It understands Content-Length and chunked bodies
// and rejects a response that asks to close the connection, since every
// connection of a run is meant to stay open.
func readResponse(br *bufio.Reader, head bool) (int, error) {
	line, err := readLine(br)
	if err != nil {
		return 0, err
	}
	// "HTTP/1.1 200 OK"
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) || line[8] != ' ' {
		return 0, fmt.Errorf("load: malformed status line %q", line)
	}
	status, err := strconv.Atoi(string(line[9:12]))
	if err != nil {
		return 0, fmt.Errorf("load: malformed status line %q", line)
	}
	length, chunked, closing := int64(-1), false, false
	for {
		line, err := readLine(br)
		if err != nil {
			return 0, err
		}
		if len(line) == 0 {
			break
		}
		colon := bytes.IndexByte(line, ':')
		if colon < 0 {
			return 0, fmt.Errorf("load: malformed header line %q", line)
		}
		name, value := line[:colon], bytes.TrimSpace(line[colon+1:])
		switch {
		case asciiEqualFold(name, "Content-Length"):
			n, err := strconv.ParseInt(string(value), 10, 64)
			if err != nil || n < 0 {
				return 0, fmt.Errorf("load: bad Content-Length %q", value)
			}
			length = n
		case asciiEqualFold(name, "Transfer-Encoding"):
			chunked = asciiEqualFold(value, "chunked")
		case asciiEqualFold(name, "Connection"):
			closing = asciiEqualFold(value, "close")
		}
	}
	if closing {
		return status, fmt.Errorf("load: server closed the connection (status %d)", status)
	}
	if head || status == http.StatusNoContent || status == http.StatusNotModified || status/100 == 1 {
		return status, nil
	}
	switch {
	case chunked:
		return status, discardChunked(br)
	case length >= 0:
		if length > maxBody {
			return status, fmt.Errorf("load: response body of %d bytes over the %d limit", length, maxBody)
		}
		_, err := br.Discard(int(length))
		return status, err
	}
	return status, errors.New("load: response without Content-Length or chunked encoding")
}

func discardChunked(br *bufio.Reader) error {
	var total int64
	for {
		line, err := readLine(br)
		if err != nil {
			return err
		}
		if i := bytes.IndexByte(line, ';'); i >= 0 {
			line = line[:i]
		}
		n, err := strconv.ParseInt(string(bytes.TrimSpace(line)), 16, 64)
		if err != nil || n < 0 {
			return fmt.Errorf("load: bad chunk size %q", line)
		}
		if n == 0 {
			// Trailers end with an empty line.
			for {
				line, err := readLine(br)
				if err != nil {
					return err
				}
				if len(line) == 0 {
					return nil
				}
			}
		}
		total += n
		if total > maxBody {
			return fmt.Errorf("load: chunked body over the %d limit", maxBody)
		}
		if _, err := br.Discard(int(n)); err != nil {
			return err
		}
		line, err = readLine(br)
		if err != nil {
			return err
		}
		if len(line) != 0 {
			return errors.New("load: missing CRLF after chunk")
		}
	}
}

// readLine returns the next CRLF-terminated line without its terminator. The
// slice is valid until the next read from br.
func readLine(br *bufio.Reader) ([]byte, error) {
	line, err := br.ReadSlice('\n')
	if err != nil {
		if errors.Is(err, bufio.ErrBufferFull) {
			return nil, errors.New("load: header line too long")
		}
		if errors.Is(err, io.EOF) {
			return nil, io.ErrUnexpectedEOF
		}
		return nil, err
	}
	line = line[:len(line)-1]
	if n := len(line); n > 0 && line[n-1] == '\r' {
		line = line[:n-1]
	}
	return line, nil
}

func asciiEqualFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range len(b) {
		x, y := b[i], s[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// histogram counts latencies in log-linear buckets: exact below 128 ns, and
// within 1/64 (1.6 %) above, over the whole range of an int64 of nanoseconds.
type histogram struct {
	counts [64 * 58]int64
	n      int64
}

func bucketOf(ns int64) int {
	if ns < 128 {
		if ns < 0 {
			return 0
		}
		return int(ns)
	}
	e := bits.Len64(uint64(ns)) - 7 // ns>>e is in [64, 128)
	return e*64 + int(ns>>e)
}

// bucketValue returns the midpoint of bucket i.
func bucketValue(i int) time.Duration {
	if i < 128 {
		return time.Duration(i)
	}
	e := i/64 - 1
	m := int64(i - e*64)
	lo := m << e
	return time.Duration(lo + (int64(1)<<e)/2)
}

func (h *histogram) add(d time.Duration) {
	h.counts[bucketOf(int64(d))]++
	h.n++
}

func (h *histogram) merge(o *histogram) {
	for i, c := range o.counts {
		h.counts[i] += c
	}
	h.n += o.n
}

// quantile returns the latency at quantile q in [0, 1], or 0 when empty.
func (h *histogram) quantile(q float64) time.Duration {
	if h.n == 0 {
		return 0
	}
	rank := int64(q*float64(h.n) + 0.5)
	if rank < 1 {
		rank = 1
	}
	var seen int64
	for i, c := range h.counts {
		seen += c
		if seen >= rank {
			return bucketValue(i)
		}
	}
	return bucketValue(len(h.counts) - 1)
}
