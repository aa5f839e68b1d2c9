package idpflow

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
)

// Request is one request as an identity provider sends it. Path is relative to the
// SCIM base URL and may carry a query string.
type Request struct {
	Method string
	Path   string
	Header http.Header
	Body   []byte
}

// Response is the server's answer to a Request.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Client sends requests to a SCIM service provider. An error means no answer was
// received (connection refused, timeout, cancelled context).
type Client interface {
	Do(ctx context.Context, r Request) (Response, error)
}

// HandlerClient serves requests in process with an http.Handler that serves the
// SCIM endpoints at the root of its path space.
type HandlerClient struct{ Handler http.Handler }

// Do implements Client.
func (c HandlerClient) Do(ctx context.Context, r Request) (Response, error) {
	var body io.Reader
	if r.Body != nil {
		body = bytes.NewReader(r.Body)
	}
	req := httptest.NewRequest(r.Method, "http://idp.test"+r.Path, body).WithContext(ctx)
	req.Header = r.Header.Clone()
	if req.Header == nil {
		req.Header = http.Header{}
	}
	rec := httptest.NewRecorder()
	c.Handler.ServeHTTP(rec, req)
	return Response{Status: rec.Code, Header: rec.Header(), Body: rec.Body.Bytes()}, nil
}

// HTTPClient sends requests over HTTP to the SCIM base URL Base. Redirects are not
// followed: an identity provider drops the Authorization header on a redirect, so
// the redirect itself is the answer to check.
type HTTPClient struct {
	Base   string       // e.g. "https://app.example/scim/v2", without a trailing slash
	Client *http.Client // nil means a client with no timeout
}

// maxBody bounds how much of a response body is read.
const maxBody = 8 << 20

// Do implements Client.
func (c HTTPClient) Do(ctx context.Context, r Request) (Response, error) {
	var body io.Reader
	if r.Body != nil {
		body = bytes.NewReader(r.Body)
	}
	req, err := http.NewRequestWithContext(ctx, r.Method, strings.TrimSuffix(c.Base, "/")+r.Path, body)
	if err != nil {
		return Response{}, err
	}
	req.Header = r.Header.Clone()
	if req.Header == nil {
		req.Header = http.Header{}
	}
	if req.Header.Get("User-Agent") == "" {
		req.Header["User-Agent"] = []string{""} // send none, as Entra ID may
	}
	hc := http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if c.Client != nil {
		hc.Transport, hc.Timeout, hc.Jar = c.Client.Transport, c.Client.Timeout, c.Client.Jar
	}
	resp, err := hc.Do(req)
	if err != nil {
		return Response{}, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, maxBody))
	if err != nil {
		return Response{}, err
	}
	return Response{Status: resp.StatusCode, Header: resp.Header, Body: b}, nil
}
