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
