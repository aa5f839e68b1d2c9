package scimtest_test

import (
	"testing"

	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/scim/memstore"
	"github.com/scimkit/scimkit/scim/scimtest"
)

// A store's own tests call the kit once per interface, with a factory that returns a
// new, empty store for every check. Here the store is package memstore's. The checks
// of scim.UserUpdater and scim.Sorter run when the store implements them, and are
// skipped otherwise; a failure is reported at the line that calls TestUserStore.
func ExampleTestUserStore() {
	testStore := func(t *testing.T) {
		scimtest.TestUserStore(t, func(t *testing.T) scim.UserStore {
			return memstore.New(memstore.Options{})
		})
	}
	_ = testStore // in a _test.go file: func TestStore(t *testing.T) { ... }
	// Output:
}

// Groups are checked together with the users they hold; one value may implement
// both interfaces, and scim.MemberPatcher and scim.GroupUpdater are checked when they
// are implemented.
func ExampleTestGroupStore() {
	testStore := func(t *testing.T) {
		scimtest.TestGroupStore(t, func(t *testing.T) (scim.UserStore, scim.GroupStore) {
			s := memstore.New(memstore.Options{})
			return s, s
		})
	}
	_ = testStore
	// Output:
}
