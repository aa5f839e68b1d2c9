package scimstore_test

import (
	"encoding/json"
	"testing"

	"github.com/scimkit/scimkit/examples/workspace/scimstore"
	"github.com/scimkit/scimkit/examples/workspace/store"
	"github.com/scimkit/scimkit/sqlstore"
)

func jsonNumber(s string) json.Number { return json.Number(s) }

// newStore returns the app's SCIM store over db.
func newStore(t *testing.T, db *store.DB) *sqlstore.Store {
	t.Helper()
	s, err := scimstore.New(db)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
