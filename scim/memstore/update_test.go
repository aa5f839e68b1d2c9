package memstore_test

import (
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/scim/memstore"
)

// TestConcurrentUserUpdatesNeverRefusedNorLost runs 100 UpdateUser calls without
// ifMatch on one user at once, each adding its own email: every one succeeds and every
// email is kept.
func TestConcurrentUserUpdatesNeverRefusedNorLost(t *testing.T) {
	ctx := t.Context()
	s := memstore.New(memstore.Options{})
	u := create(t, s, ctx, &scim.User{UserName: "racer"})
	const n = 100
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = s.UpdateUser(ctx, u.ID, "", func(old *scim.User) (*scim.User, error) {
				nu := old.Clone()
				nu.Emails = append(nu.Emails, scim.MultiValue{Value: fmt.Sprintf("e%d@x", i)})
				return nu, nil
			})
		}()
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatalf("concurrent updates refused: %v", err)
	}
	got, err := s.GetUser(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Emails) != n {
		t.Errorf("%d of %d emails kept", len(got.Emails), n)
	}
}

// TestUpdateGroupDropsMemberDeletedDuringFn deletes a member while UpdateGroup's fn
// runs: the update still succeeds, and the deleted user is not written back.
func TestUpdateGroupDropsMemberDeletedDuringFn(t *testing.T) {
	ctx := t.Context()
	s := memstore.New(memstore.Options{})
	a := create(t, s, ctx, &scim.User{UserName: "a"})
	b := create(t, s, ctx, &scim.User{UserName: "b"})
	c := create(t, s, ctx, &scim.User{UserName: "c"})
	g, err := s.CreateGroup(ctx, &scim.Group{DisplayName: "g", Members: []scim.Member{{Value: a.ID}, {Value: b.ID}}})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.UpdateGroup(ctx, g.ID, "", func(old *scim.Group) (*scim.Group, error) {
		if err := s.DeleteUser(ctx, a.ID, ""); err != nil {
			return nil, err
		}
		ng := old.Clone()
		ng.Members = append(ng.Members, scim.Member{Value: c.ID})
		return ng, nil
	})
	if err != nil {
		t.Fatalf("UpdateGroup while a member was deleted: %v", err)
	}
	if ids := ids(ptrs(got.Members), func(m *scim.Member) string { return m.Value }); !slices.Equal(ids, []string{b.ID, c.ID}) {
		t.Errorf("members %q, want [%s %s]", ids, b.ID, c.ID)
	}
	// A member that never existed is still refused.
	_, err = s.UpdateGroup(ctx, g.ID, "", func(old *scim.Group) (*scim.Group, error) {
		ng := old.Clone()
		ng.Members = append(ng.Members, scim.Member{Value: "nobody"})
		return ng, nil
	})
	if !errors.Is(err, scim.ErrInvalidReference) {
		t.Errorf("UpdateGroup adding an unknown member: %v, want ErrInvalidReference", err)
	}
}

// TestSortsByMatchesListUsers checks that SortsBy accepts exactly the paths that
// ListUsers and ListGroups sort by without an error.
func TestSortsByMatchesListUsers(t *testing.T) {
	ctx := t.Context()
	s := memstore.New(memstore.Options{})
	create(t, s, ctx, &scim.User{UserName: "x"})
	for _, c := range []struct {
		rt, path string
		want     bool
	}{
		{"User", "userName", true}, {"User", "emails.value", true}, {"User", "emails", true},
		{"User", "name.familyName", true}, {"User", "meta.created", true},
		{"User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", true},
		{"User", "name", false}, {"User", "nonsense", false},
		{"Group", "displayName", true}, {"Group", "members", true}, {"Group", "userName", false},
		{"Device", "id", false},
	} {
		if got := s.SortsBy(c.rt, c.path); got != c.want {
			t.Errorf("SortsBy(%s, %s) = %v, want %v", c.rt, c.path, got, c.want)
		}
		var err error
		switch c.rt {
		case "User":
			_, err = s.ListUsers(ctx, scim.Query{SortBy: c.path, StartIndex: 1, Count: 5})
		case "Group":
			_, err = s.ListGroups(ctx, scim.Query{SortBy: c.path, StartIndex: 1, Count: 5})
		default:
			continue
		}
		if (err == nil) != c.want {
			t.Errorf("sortBy %s on %s: %v, but SortsBy says %v", c.path, c.rt, err, c.want)
		}
	}
}
