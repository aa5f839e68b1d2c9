package bench

import (
	"bytes"
	"net/http/httptest"
	"testing"
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

// requestLoop sends the request that next returns (method, target and body)
// to s once per benchmark iteration through an httptest.ResponseRecorder and
// fails unless the status is want. The *http.Request is built once and reused,
// as are its body reader and headers; the recorder is new for every request.
func requestLoop(b *testing.B, s *Server, method, target string, want int, body func(i int) []byte) {
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
	i := 0
	for b.Loop() {
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
