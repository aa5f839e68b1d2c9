package scim_test

import (
	"net/http/httptest"
	"testing"
)

// RFC-DISC-4: a filter on a discovery endpoint is 403; writes there, and unsupported methods anywhere, are 405 with Allow.
func TestDiscoveryRefusesFiltersAndWrites(t *testing.T) {
	h, _ := newHandler(t)
	for _, p := range []string{"/ServiceProviderConfig", "/Schemas", "/ResourceTypes"} {
		call(t, h, "GET", p+"?filter=id%20eq%20%22x%22", nil).want(t, 403)
		for _, m := range []string{"POST", "PUT", "PATCH", "DELETE"} {
			r := call(t, h, m, p, "{}").want(t, 405)
			if r.Header.Get("Allow") != "GET" {
				t.Errorf("%s %s: Allow %q", m, p, r.Header.Get("Allow"))
			}
		}
	}
	r := call(t, h, "DELETE", "/Users", nil).want(t, 405)
	if r.Header.Get("Allow") != "GET, POST" {
		t.Errorf("Allow %q", r.Header.Get("Allow"))
	}
	r = call(t, h, "POST", "/Users/some-id", "{}").want(t, 405)
	if r.Header.Get("Allow") != "GET, PUT, PATCH, DELETE" {
		t.Errorf("Allow %q", r.Header.Get("Allow"))
	}
	call(t, h, "GET", "/Users/.search", nil).want(t, 405)
}

// RFC-BULK-1: /Bulk and /Me are 501; unknown paths are 404.
func TestBulkAndMeAreNotImplemented(t *testing.T) {
	h, _ := newHandler(t)
	call(t, h, "POST", "/Bulk", "{}").want(t, 501)
	call(t, h, "GET", "/Me", nil).want(t, 501)
	call(t, h, "GET", "/Nothing", nil).want(t, 404)
	call(t, h, "GET", "/Users/a/b", nil).want(t, 404)
	call(t, h, "GET", "/", nil).want(t, 404)
}

func TestServeHTTPRecorderWithoutRequestURI(t *testing.T) {
	h, _ := newHandler(t)
	r := httptest.NewRequest("GET", "/Users", nil)
	r.RequestURI = ""
	r.Header.Set("Authorization", "Bearer "+token)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != 200 {
		t.Errorf("status %d", w.Code)
	}
}
