package web_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/scimkit/scimkit/examples/workspace/internal/testdb"
	"github.com/scimkit/scimkit/scim/scimtest"
)

// TestIdPFlows replays the Entra ID and Okta request sequences of docs/COMPAT.md
// against the whole app (SCIM handler, SQL stores, workspace tokens and activity log)
// on each database.
func TestIdPFlows(t *testing.T) {
	for _, d := range testdb.Dialects() {
		t.Run(d.String(), func(t *testing.T) {
			scimtest.RunIdPFlows(t, func(t *testing.T) (http.Handler, string) {
				a := newAppOn(t, d)
				token, _, err := a.db.CreateToken(context.Background(), a.ws.ID)
				if err != nil {
					t.Fatal(err)
				}
				// RunIdPFlows sends /Users, /Groups…; the app serves them under /scim/v2.
				h := a.Config.Handler
				return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
					r = r.Clone(r.Context())
					r.URL.Path = "/scim/v2" + r.URL.Path
					r.URL.RawPath = ""
					h.ServeHTTP(w, r)
				}), token
			})
		})
	}
}
