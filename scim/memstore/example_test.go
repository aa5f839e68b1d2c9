package memstore_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/scimkit/scimkit/filter"
	"github.com/scimkit/scimkit/schema"
	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/scim/memstore"
)

func Example() {
	store := memstore.New(memstore.Options{})
	ctx := scim.WithTenant(context.Background(), "acme")

	ada, err := store.CreateUser(ctx, &scim.User{UserName: "Ada@example.com", Active: true})
	if err != nil {
		panic(err)
	}
	_, err = store.CreateUser(ctx, &scim.User{UserName: "ada@EXAMPLE.com"})
	fmt.Println("duplicate:", errors.Is(err, scim.ErrUniqueness))

	// The Handler passes validated filters; userName eq uses an index.
	f, _ := filter.Parse(`userName eq "ADA@example.com"`)
	f, _ = filter.Validate(f, schema.UserResourceType)
	page, _ := store.ListUsers(ctx, scim.Query{Filter: f, StartIndex: 1, Count: 10})
	fmt.Println("found:", page.Total, page.Resources[0].UserName)

	eng, _ := store.CreateGroup(ctx, &scim.Group{DisplayName: "Engineering", Members: []scim.Member{{Value: ada.ID}}})
	u, _ := store.GetUser(ctx, ada.ID)
	fmt.Println("groups:", u.Groups[0].Display, u.Groups[0].Value == eng.ID)

	// Other tenants see nothing of acme's data.
	_, err = store.GetUser(scim.WithTenant(context.Background(), "globex"), ada.ID)
	fmt.Println("other tenant:", errors.Is(err, scim.ErrNotFound))
	// Output:
	// duplicate: true
	// found: 1 Ada@example.com
	// groups: Engineering true
	// other tenant: true
}

// UpdateUser serialises the writes to one user: fn sees the user as stored and its
// result replaces it, so concurrent changes without If-Match are never lost.
func ExampleStore_UpdateUser() {
	store := memstore.New(memstore.Options{})
	ctx := context.Background()
	u, _ := store.CreateUser(ctx, &scim.User{UserName: "grace", Title: "Engineer"})

	updated, err := store.UpdateUser(ctx, u.ID, "", func(old *scim.User) (*scim.User, error) {
		nu := old.Clone()
		nu.Title = "Manager"
		return nu, nil
	})
	fmt.Println(updated.Title, err, updated.Meta.Version != u.Meta.Version)

	// A stale If-Match is refused before fn runs.
	_, err = store.UpdateUser(ctx, u.ID, u.Meta.Version, func(old *scim.User) (*scim.User, error) {
		panic("not called")
	})
	fmt.Println(errors.Is(err, scim.ErrPreconditionFailed))

	// The store sorts by any attribute but a singular complex one.
	fmt.Println(store.SortsBy("User", "title"), store.SortsBy("User", "name"))
	// Output:
	// Manager <nil> true
	// true
	// true false
}
