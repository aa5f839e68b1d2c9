package scim_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/scim/memstore"
)

// refusesSort is a store that declares sorting by userName only, and whose
// ListUsers refuses any sort with errors.ErrUnsupported.
type refusesSort struct {
	*memstore.Store
	sortBys []string
}

func (s *refusesSort) SortsBy(resourceType, path string) bool {
	return resourceType == "User" && path == "userName"
}

func (s *refusesSort) ListUsers(ctx context.Context, q scim.Query) (*scim.Page[scim.User], error) {
	s.sortBys = append(s.sortBys, q.SortBy)
	if q.SortBy != "" {
		return nil, fmt.Errorf("cannot sort by %s: %w", q.SortBy, errors.ErrUnsupported)
	}
	return s.Store.ListUsers(ctx, q)
}

// Discovery says sort.supported only when the stores implement
// scim.Sorter, and a sortBy the store cannot serve is answered in the default
// order, never with 500.
func TestSortByTheStoreCannotServeIsDefaultOrderNot500(t *testing.T) {
	// usersOnly hides whatever optional interfaces memstore has, Sorter among them.
	h, err := scim.NewHandler(scim.Config{Users: usersOnly{memstore.New(memstore.Options{})}, Auth: scim.StaticToken(token)})
	if err != nil {
		t.Fatal(err)
	}
	if get(call(t, h, "GET", "/ServiceProviderConfig", nil).want(t, 200).JSON, "sort.supported") != false {
		t.Errorf("sort.supported true over a store that is no Sorter")
	}
	names := func(h *scim.Handler, q string) string {
		r := call(t, h, "GET", "/Users?"+q, nil).want(t, 200)
		var out []string
		for _, u := range r.JSON["Resources"].([]any) {
			out = append(out, str(u, "userName"))
		}
		return strings.Join(out, " ")
	}
	for _, n := range []string{"b@x.example", "a@x.example"} {
		mustCreate(t, h, user(n))
	}
	if got := names(h, "sortBy=userName&sortOrder=descending"); got != "b@x.example a@x.example" {
		t.Errorf("not a Sorter: order %q, want creation order", got)
	}
	call(t, h, "GET", "/Users?sortBy=shoeSize", nil).want(t, 400, "invalidValue")

	st := &refusesSort{Store: memstore.New(memstore.Options{})}
	var h2 *scim.Handler
	h2, err = scim.NewHandler(scim.Config{Users: st, Auth: scim.StaticToken(token)})
	if err != nil {
		t.Fatal(err)
	}
	if get(call(t, h2, "GET", "/ServiceProviderConfig", nil).want(t, 200).JSON, "sort.supported") != true {
		t.Errorf("sort.supported false over a Sorter")
	}
	for _, n := range []string{"b@x.example", "a@x.example"} {
		mustCreate(t, h2, user(n))
	}
	if got := names(h2, "sortBy=title"); got != "b@x.example a@x.example" {
		t.Errorf("path the store does not sort by: order %q", got)
	}
	if got := names(h2, "sortBy=userName"); got != "b@x.example a@x.example" {
		t.Errorf("store refused with ErrUnsupported: order %q", got)
	}
	if want := []string{"", "userName", ""}; strings.Join(st.sortBys, ",") != strings.Join(want, ",") {
		t.Errorf("the store saw sortBy %q, want %q", st.sortBys, want)
	}
}
