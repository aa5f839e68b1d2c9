package bench

import (
	"net/http"
	"testing"
)

// BenchmarkGetUser compares GET /Users/{id} of one typical Entra ID user with
// enterprise extension data, in process (httptest, no network), on scimkit
// over memstore and on elimity over ElimityUsers. Both servers hold the same
// 1,000 users under the same ids.
func BenchmarkGetUser(b *testing.B) {
	sk, el, ids := newPair(b, 1000)
	target := "/Users/" + ids[500]
	for _, s := range []*Server{sk, el} {
		b.Run(s.Name, func(b *testing.B) {
			requestLoop(b, s, http.MethodGet, target, http.StatusOK, nil, 0, nil)
		})
	}
}
