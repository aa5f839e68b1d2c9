package scimstore_test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"

	"github.com/scimkit/scimkit/examples/workspace/scimstore"
	"github.com/scimkit/scimkit/examples/workspace/store"
	"github.com/scimkit/scimkit/scim"
)

// Mount the SCIM endpoint of the workspace app over a SQLite database, give a
// workspace a token, and provision a user into it as Entra ID does.
func Example() {
	dir, _ := os.MkdirTemp("", "scimstore-example")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(dir, "workspace.db"))
	if err != nil {
		panic(err)
	}
	defer db.Close()
	ws, _ := db.CreateWorkspace(ctx, "Contoso")
	token, _, _ := db.CreateToken(ctx, ws.ID)

	st, err := scimstore.New(db)
	if err != nil {
		panic(err)
	}
	h, err := scim.NewHandler(scim.Config{
		Users:  st,
		Groups: st,
		Auth: scim.BearerTokens(scim.TokenVerifierFunc(func(ctx context.Context, t scim.Token) (string, error) {
			workspace, err := db.VerifyToken(ctx, string(t))
			if err != nil {
				return "", scim.ErrUnauthenticated
			}
			return workspace, nil
		})),
	})
	if err != nil {
		panic(err)
	}
	send := func(method, path, body string) {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Authorization", "Bearer "+token)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		fmt.Println(method, path, rec.Code)
	}
	send("POST", "/Users", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],
		"userName":"ada@contoso.example","emails":[{"value":"ada@contoso.example","type":"work","primary":true}]}`)
	send("GET", `/Users?filter=userName+eq+"ADA@contoso.example"`, "")

	// The app sees a member who can sign in.
	m, err := db.SignIn(ctx, ws.ID, "ada@contoso.example")
	fmt.Println(m.UserName, m.Active, err)
	// Output:
	// POST /Users 201
	// GET /Users?filter=userName+eq+"ADA@contoso.example" 200
	// ada@contoso.example true <nil>
}
