package scim_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"strings"

	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/scim/memstore"
)

// ExampleEvent ends the sessions of users that an identity provider deactivates,
// which Entra ID does with PATCH active "False".
func ExampleEvent() {
	st := memstore.New(memstore.Options{})
	h, _ := scim.NewHandler(scim.Config{
		Users: st,
		Auth:  scim.NoAuth(),
		NewID: func() string { return "u-1" },
		Events: func(ctx context.Context, e scim.Event) {
			fmt.Println(e.Type, e.ID, e.Changed)
			if e.Type == scim.UserDeactivated {
				fmt.Println("ending the sessions of", e.ID)
			}
		},
	})
	send := func(method, path, body string) {
		r := httptest.NewRequest(method, path, strings.NewReader(body))
		h.ServeHTTP(httptest.NewRecorder(), r)
	}
	send("POST", "/Users", `{"userName":"ada@example.com"}`)
	send("PATCH", "/Users/u-1", `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
		"Operations":[{"op":"Replace","path":"active","value":"False"},{"op":"Replace","path":"title","value":"Alumna"}]}`)
	send("DELETE", "/Users/u-1", ``)
	// Output:
	// UserCreated u-1 []
	// UserDeactivated u-1 [title active]
	// ending the sessions of u-1
	// UserDeleted u-1 []
}
