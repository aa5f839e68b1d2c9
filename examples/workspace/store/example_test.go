package store_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/scimkit/scimkit/examples/workspace/store"
)

// A workspace's SCIM tokens: shown once, stored as hashes, checked on every request,
// refused while the admin has switched provisioning off.
func ExampleDB_CreateToken() {
	dir, _ := os.MkdirTemp("", "store-example")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(dir, "workspace.db")) // or a postgres:// URL
	if err != nil {
		panic(err)
	}
	defer db.Close()
	ws, _ := db.CreateWorkspace(ctx, "Contoso")

	secret, token, _ := db.CreateToken(ctx, ws.ID)
	fmt.Println(len(secret), token.Hint == secret[len(secret)-4:])

	got, err := db.VerifyToken(ctx, secret)
	fmt.Println(got == ws.ID, err)

	db.SetProvisioning(ctx, ws.ID, false)
	_, err = db.VerifyToken(ctx, secret)
	fmt.Println(errors.Is(err, store.ErrDisabled))

	db.RevokeToken(ctx, ws.ID, token.ID)
	_, err = db.VerifyToken(ctx, secret)
	fmt.Println(errors.Is(err, store.ErrNotFound))
	// Output:
	// 51 true
	// true <nil>
	// true
	// true
}

// A workspace's provisioning health, from its activity log: the failures, and
// whether most recent requests fail.
func ExampleDB_Health() {
	dir, _ := os.MkdirTemp("", "store-example")
	defer os.RemoveAll(dir)
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(dir, "workspace.db"))
	if err != nil {
		panic(err)
	}
	defer db.Close()
	ws, _ := db.CreateWorkspace(ctx, "Contoso")

	db.RecordEvent(ctx, store.Event{WorkspaceID: ws.ID, Operation: "UserCreated", ResourceName: "ada@contoso.example", Status: 201})
	for range 5 {
		db.RecordEvent(ctx, store.Event{WorkspaceID: ws.ID, Operation: "create", Status: 409,
			EventDetails: store.EventDetails{ScimType: "uniqueness", Detail: "a User with this userName already exists"}})
	}
	h, _ := db.Health(ctx, ws.ID, store.Now())
	fmt.Println(h.LastSuccess.ResourceName, h.Failures24h, h.LastFailure.ScimType, h.Failing())

	failed, _, _ := db.Events(ctx, store.EventQuery{Workspace: ws.ID, Result: "failed", Limit: 2})
	fmt.Println(len(failed), failed[0].Detail)
	// Output:
	// ada@contoso.example 5 uniqueness true
	// 2 a User with this userName already exists
}
