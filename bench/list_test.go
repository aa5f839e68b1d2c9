package bench

import (
	"bytes"
	"net/http"
	"testing"
)

// BenchmarkFilterUserName compares the query Entra ID sends before every
// create, GET /Users?filter=userName eq "…", for a user that exists: scimkit
// over memstore holding 100,000 users against elimity holding 10,000, whose
// handler scans every user through elimity's filter validator as elimity's
// examples do. Both sides load their users by POST /Users before the timer
// starts.
func BenchmarkFilterUserName(b *testing.B) {
	for _, c := range []struct {
		name   string
		server string
		users  int
	}{
		{"scimkit100k", "scimkit", 100_000},
		{"elimity10k", "elimity", 10_000},
	} {
		b.Run(c.name, func(b *testing.B) {
			s := newServer(b, c.server)
			if _, err := CreateUsers(s.Handler, s.Header, 0, c.users, nil); err != nil {
				b.Fatal(err)
			}
			name := UserName(c.users / 2)
			target := UserNameFilterPath(name)
			rec := doOK(b, s, http.MethodGet, target, nil, http.StatusOK)
			if !bytes.Contains(rec.Body.Bytes(), []byte(`"totalResults":1`)) || !bytes.Contains(rec.Body.Bytes(), []byte(name)) {
				b.Fatalf("%s: filter did not find exactly %s: %s", c.server, name, rec.Body.Bytes())
			}
			requestLoop(b, s, http.MethodGet, target, http.StatusOK, nil, 0, nil)
		})
	}
}
