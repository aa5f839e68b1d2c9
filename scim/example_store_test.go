package scim_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http/httptest"
	"strings"

	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/scim/memstore"
)

// reservedNames is a UserStore that wraps another one and refuses to provision
// userNames the application keeps for itself. A host's own store implements the
// five methods against its database in the same way; errors wrap the package's
// sentinels or are a *scim.Error, which the Handler sends as is.
type reservedNames struct {
	scim.UserStore // the methods not overridden below are passed through
	reserved       []string
}

func (s reservedNames) check(u *scim.User) error {
	for _, r := range s.reserved {
		if strings.EqualFold(u.UserName, r) {
			return &scim.Error{Status: 400, ScimType: "invalidValue", Detail: "userName " + u.UserName + " is reserved"}
		}
	}
	return nil
}

func (s reservedNames) CreateUser(ctx context.Context, u *scim.User) (*scim.User, error) {
	if err := s.check(u); err != nil {
		return nil, err
	}
	return s.UserStore.CreateUser(ctx, u)
}

func (s reservedNames) ReplaceUser(ctx context.Context, u *scim.User, ifMatch string) (*scim.User, error) {
	if err := s.check(u); err != nil {
		return nil, err
	}
	return s.UserStore.ReplaceUser(ctx, u, ifMatch)
}

// Example_customStore plugs a custom UserStore into a Handler.
func Example_customStore() {
	users := reservedNames{UserStore: memstore.New(memstore.Options{}), reserved: []string{"admin", "root"}}
	h, _ := scim.NewHandler(scim.Config{Users: users, Auth: scim.NoAuth()})

	for _, name := range []string{"ada", "Admin"} {
		r := httptest.NewRequest("POST", "/Users", strings.NewReader(`{"userName":"`+name+`"}`))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		var resp struct{ UserName, Detail string }
		json.Unmarshal(w.Body.Bytes(), &resp)
		fmt.Println(w.Code, resp.UserName+resp.Detail)
	}
	// Output:
	// 201 ada
	// 400 userName Admin is reserved
}
