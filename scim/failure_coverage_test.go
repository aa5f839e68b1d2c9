package scim_test

import (
	"context"
	"strings"
	"testing"

	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/scim/memstore"
)

// panickingGet is a store whose GetUser panics.
type panickingGet struct{ *memstore.Store }

func (panickingGet) GetUser(context.Context, string) (*scim.User, error) { panic("store bug") }

// Every request answered with an error status reaches Config.Failures, through the
// one error writer: unknown paths, wrong methods, oversized bodies, panics in a
// store, unsupported endpoints, timeouts, and failures of discovery and of the root
// search, each with its operation and resource.
func TestEveryFailureReachesTheFailureHook(t *testing.T) {
	var log failureLog
	st := memstore.New(memstore.Options{})
	h, err := scim.NewHandler(scim.Config{Users: panickingGet{st}, Groups: st, Auth: scim.StaticToken(token),
		Failures: log.record, MaxBodyBytes: 1 << 10})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		method, target string
		body           any
		status         int
		op             scim.Operation
		rtype, id      string
	}{
		{"GET", "/Nothing", nil, 404, scim.OpOther, "", ""},
		{"GET", "/Users/..", nil, 404, scim.OpOther, "", ""},
		{"DELETE", "/Users", nil, 405, scim.OpOther, "User", ""},
		{"GET", "/Users/.search", nil, 405, scim.OpSearch, "User", ".search"},
		{"POST", "/Groups/g-1", "{}", 405, scim.OpOther, "Group", "g-1"},
		{"POST", "/Users", `{"userName":"` + strings.Repeat("x", 2<<10) + `"}`, 413, scim.OpCreate, "User", ""},
		{"GET", "/Users/u-1", nil, 500, scim.OpGet, "User", "u-1"},
		{"PATCH", "/Groups/none", patchBody(op("replace", "displayName", "x")), 404, scim.OpPatch, "Group", "none"},
		{"POST", "/Bulk", "{}", 501, scim.OpOther, "", ""},
		{"GET", "/Me", nil, 501, scim.OpOther, "", ""},
		{"PUT", "/ServiceProviderConfig", "{}", 405, scim.OpDiscovery, "", ""},
		{"GET", "/Schemas/urn:nothing", nil, 404, scim.OpDiscovery, "", "urn:nothing"},
		{"POST", "/.search", map[string]any{"filter": "userName eq"}, 400, scim.OpSearch, "", ""},
		{"GET", "/.search", nil, 405, scim.OpSearch, "", ""},
	}
	for _, c := range cases {
		log.list = nil
		call(t, h, c.method, c.target, c.body).want(t, c.status)
		f := log.last(t)
		if f.Status != c.status || f.Operation != c.op || f.ResourceType != c.rtype || f.ID != c.id || f.Path != c.target || f.Method != c.method {
			t.Errorf("%s %s: failure %+v, want status %d operation %s resource %q id %q", c.method, c.target, f, c.status, c.op, c.rtype, c.id)
		}
	}
}
