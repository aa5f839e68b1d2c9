package scimstore_test

import (
	"testing"

	"github.com/scimkit/scimkit/examples/workspace/internal/testdb"
	"github.com/scimkit/scimkit/examples/workspace/store"
	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/scim/scimtest"
)

// conformanceDB empties db and adds the workspaces the scimtest checks use as
// tenants: "scimtest-a", "scimtest-b" and the context without a tenant ("").
func conformanceDB(t *testing.T, db *store.DB) *store.DB {
	testdb.Reset(t, db)
	for _, id := range []string{"", "scimtest-a", "scimtest-b"} {
		if _, err := db.SQL.Exec(`INSERT INTO workspaces (id, name, provisioning_enabled, created_at)
			VALUES ($1, $1, TRUE, $2)`, id, db.Dialect.Time(store.Now())); err != nil {
			t.Fatal(err)
		}
	}
	return db
}

func TestUserStoreConformance(t *testing.T) {
	for _, d := range testdb.Dialects() {
		t.Run(d.String(), func(t *testing.T) {
			db := testdb.Open(t, d)
			scimtest.TestUserStore(t, func(t *testing.T) scim.UserStore {
				return newStore(t, conformanceDB(t, db))
			})
		})
	}
}

func TestGroupStoreConformance(t *testing.T) {
	for _, d := range testdb.Dialects() {
		t.Run(d.String(), func(t *testing.T) {
			db := testdb.Open(t, d)
			scimtest.TestGroupStore(t, func(t *testing.T) (scim.UserStore, scim.GroupStore) {
				s := newStore(t, conformanceDB(t, db))
				return s, s
			})
		})
	}
}
