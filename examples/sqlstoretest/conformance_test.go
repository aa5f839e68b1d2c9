package sqlstoretest

import (
	"context"
	"database/sql"
	"fmt"
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

// The same rules hold with a GroupHook, for which the store takes another path
// (PatchMembers locks and reads the group before and after the change). The hook
// checks what it is given.
func TestGroupStoreConformanceWithGroupHook(t *testing.T) {
	each(t, func(t *testing.T, b backend, m mode) {
		scimtest.TestGroupStore(t, func(t *testing.T) (scim.UserStore, scim.GroupStore) {
			s, _ := newStore(t, b, m, sqlstore.Options{GroupHook: func(_ context.Context, _ *sql.Tx, old, new *scim.Group) error {
				if old != nil && new != nil && new.Meta.Version == old.Meta.Version {
					return fmt.Errorf("GroupHook: group %s written at its old version %s", old.ID, old.Meta.Version)
				}
				return nil
			}})
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
