package scim_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/scim/memstore"
)

// Mount serves the SCIM endpoints under a prefix ahead of the application's own
// ServeMux, so that the doubled slash Entra ID sends reaches the Handler.
func ExampleMount() {
	st := memstore.New(memstore.Options{})
	h, err := scim.NewHandler(scim.Config{Users: st, Groups: st, Auth: scim.StaticToken("s3cret")})
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") })
	app := scim.Mount(mux, "/scim/v2", h)

	for _, path := range []string{"/scim/v2//Users", "/healthz"} {
		r := httptest.NewRequest("GET", path, nil)
		r.Header.Set("Authorization", "Bearer s3cret")
		w := httptest.NewRecorder()
		app.ServeHTTP(w, r)
		fmt.Println(path, w.Code)
	}
	// Output:
	// /scim/v2//Users 200
	// /healthz 200
}
