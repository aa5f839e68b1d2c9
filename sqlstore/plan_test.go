package sqlstore

import (
	"maps"
	"strings"
	"testing"
)

// A Folded entry must name a case-insensitive string attribute that has a column:
// a folded copy of anything else would make eq lookups miss rows.
func TestNewRefusesAFoldedColumnItCannotUse(t *testing.T) {
	for path, want := range map[string]string{
		"externalId": `Folded key "externalId" is not a case-insensitive string attribute`,
		"nickName":   `Folded key "nickName" has no column in Columns`,
		"active":     `Folded key "active" is not a case-insensitive string attribute`,
	} {
		tb := Owned(MariaDB, "t_")
		tb.Users.Columns = maps.Clone(tb.Users.Columns)
		tb.Users.Folded = map[string]string{path: "x_folded"}
		if path == "nickName" {
			delete(tb.Users.Columns, "nickName")
		}
		_, err := New(nil, Options{Dialect: MariaDB, Tables: tb})
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Folded %q: got %v, want %q", path, err, want)
		}
	}
	if _, err := New(nil, Options{Dialect: MariaDB, Tables: Owned(MariaDB, "t_")}); err != nil {
		t.Errorf("the owned tables' folded columns: %v", err)
	}
}
