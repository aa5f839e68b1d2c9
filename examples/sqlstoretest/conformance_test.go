package sqlstoretest

import (
	"net/http"
	"testing"

	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/scim/scimtest"
	"github.com/scimkit/scimkit/sqlstore"
)

func TestUserStoreConformance(t *testing.T) {
	each(t, func(t *testing.T, b backend, m mode) {
		scimtest.TestUserStore(t, func(t *testing.T) scim.UserStore {
			s, _ := newStore(t, b, m, sqlstore.Options{})
			return s
		})
	})
}

func TestGroupStoreConformance(t *testing.T) {
	each(t, func(t *testing.T, b backend, m mode) {
		scimtest.TestGroupStore(t, func(t *testing.T) (scim.UserStore, scim.GroupStore) {
			s, _ := newStore(t, b, m, sqlstore.Options{})
			return s, s
		})
	})
}

func TestIdPFlows(t *testing.T) {
	each(t, func(t *testing.T, b backend, m mode) {
		scimtest.RunIdPFlows(t, func(t *testing.T) (http.Handler, string) {
			s, _ := newStore(t, b, m, sqlstore.Options{})
			h, err := scim.NewHandler(scim.Config{Users: s, Groups: s, Auth: scim.StaticToken("t")})
			if err != nil {
				t.Fatal(err)
			}
			return h, "t"
		})
	})
}
