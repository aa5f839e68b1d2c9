package scimtest

import (
	"net/http"
	"strings"
	"testing"

	"github.com/scimkit/scimkit/internal/idpflow"
)

// RunIdPFlows replays the request sequences that Microsoft Entra ID and Okta send
// to a SCIM service provider, and checks every answer. Each step runs as a subtest
// named by its flow and the requirement it checks, such as "Entra/ENTRA-PATCH-3"
// or "Okta/OKTA-SPEC-8"; a failure says what the identity provider would do with
// the answer and links the requirement's section of scimkit's compatibility
// document (docs/COMPAT.md). The scimcheck command runs the same steps against a
// server over HTTP.
//
// newHandler returns a fresh handler with no users and no groups, and a bearer token
// it accepts. It is called once per flow (Entra, Entra flag equivalence, Okta, RFC),
// since the steps of a flow build on each other; a step whose prerequisite failed is
// skipped with the prerequisite named. The handler must serve the SCIM endpoints at
// the root of its path space (GET /Users, …): wrap it in [http.StripPrefix] first if
// it expects a prefix. Group steps are skipped, with a log line, when /Groups
// answers 404.
//
// A typical call, over an in-memory store:
//
//	func TestIdPFlows(t *testing.T) {
//		scimtest.RunIdPFlows(t, func(t *testing.T) (http.Handler, string) {
//			h, err := scim.NewHandler(scim.Config{Users: st, Groups: st, Auth: scim.StaticToken("t")})
//			if err != nil {
//				t.Fatal(err)
//			}
//			return h, "t"
//		})
//	}
func RunIdPFlows(t *testing.T, newHandler func(t *testing.T) (h http.Handler, token string)) {
	t.Helper()
	marker := idpflow.NewMarker()
	for _, f := range idpflow.Flows(marker) {
		t.Run(f.Name, func(t *testing.T) {
			h, token := newHandler(t)
			s := idpflow.NewSession(f, idpflow.HandlerClient{Handler: h}, token, marker, nil)
			for _, k := range f.Cases {
				t.Run(k.ID, func(t *testing.T) {
					reportCase(t, s.Run(t.Context(), k))
				})
			}
		})
	}
}

// reportCase turns the result of one case into the outcome of its subtest.
func reportCase(t *testing.T, r *idpflow.Result) {
	t.Helper()
	for _, l := range r.Logs {
		t.Log(l)
	}
	switch r.Outcome {
	case idpflow.Blocked:
		t.Skipf("not run: it builds on %s, which failed", r.BlockedBy)
	case idpflow.Skip:
		t.Skip(r.Reason)
	case idpflow.Fail:
		var b strings.Builder
		for _, f := range r.Failures {
			b.WriteString("\n" + f.String())
		}
		k := r.Case
		t.Errorf("%s: %s%s\nwhy it matters: %s\nrequirement %s: %s",
			k.ID, k.Title, b.String(), k.Consequence, k.Reqs[0], idpflow.DocLink(k.Reqs[0]))
	}
}
