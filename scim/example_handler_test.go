package scim_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/scim/memstore"
)

// ExampleNewHandler mounts a Handler at /scim/v2 of a host's mux and creates a user the
// way Okta does.
func ExampleNewHandler() {
	st := memstore.New(memstore.Options{})
	h, err := scim.NewHandler(scim.Config{
		Users:  st,
		Groups: st,
		Auth:   scim.StaticToken("s3cret-token"),
		// Fixed ids and times make the output below reproducible.
		NewID: func() string { return "2819c223-7f76-453a-919d-413861904646" },
		Now:   func() time.Time { return time.Date(2025, 1, 23, 4, 56, 22, 0, time.UTC) },
	})
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	mux.Handle("/scim/v2/", http.StripPrefix("/scim/v2", h))

	body := `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"bjensen@example.com",
		"name":{"givenName":"Barbara","familyName":"Jensen"},"active":true,"password":"t1meMa$heen"}`
	r := httptest.NewRequest("POST", "https://app.example.com/scim/v2/Users", strings.NewReader(body))
	r.Header.Set("Authorization", "Bearer s3cret-token")
	r.Header.Set("Content-Type", "application/scim+json")
	w := httptest.NewRecorder()
	mux.ServeHTTP(w, r)

	fmt.Println(w.Code, w.Header().Get("Content-Type"))
	fmt.Println(w.Header().Get("Location"))
	fmt.Println(w.Body.String())
	// Output:
	// 201 application/scim+json
	// https://app.example.com/scim/v2/Users/2819c223-7f76-453a-919d-413861904646
	// {"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"id":"2819c223-7f76-453a-919d-413861904646","userName":"bjensen@example.com","name":{"familyName":"Jensen","givenName":"Barbara"},"active":true,"meta":{"resourceType":"User","created":"2025-01-23T04:56:22Z","lastModified":"2025-01-23T04:56:22Z","location":"https://app.example.com/scim/v2/Users/2819c223-7f76-453a-919d-413861904646","version":"W/\"1\""}}
}
