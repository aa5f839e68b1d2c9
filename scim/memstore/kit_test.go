package memstore_test

import (
	"testing"

	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/scim/memstore"
	"github.com/scimkit/scimkit/scim/scimtest"
)

// The reference store passes the whole conformance kit.

func TestUserStoreConformance(t *testing.T) {
	scimtest.TestUserStore(t, func(t *testing.T) scim.UserStore {
		return memstore.New(memstore.Options{})
	})
}

func TestGroupStoreConformance(t *testing.T) {
	scimtest.TestGroupStore(t, func(t *testing.T) (scim.UserStore, scim.GroupStore) {
		s := memstore.New(memstore.Options{})
		return s, s
	})
}
