package scim_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/scimkit/scimkit/scim"
)

func TestUpdateEventCarriesOldAndNewValues(t *testing.T) {
	var events []scim.Event
	h, _ := newHandler(t, func(c *scim.Config) {
		c.Events = func(_ context.Context, e scim.Event) { events = append(events, e) }
	})
	body := user("dee@example.com")
	body["title"] = "Engineer"
	id := mustCreate(t, h, body)
	call(t, h, "PATCH", "/Users/"+id, patchBody(
		op("replace", "title", "Manager"),
		op("replace", "name.givenName", "Dee"),
		op("add", "emails", []any{map[string]any{"value": "dee@work.example", "type": "work"}}),
	)).want(t, http.StatusOK)
	e := events[len(events)-1]
	want := map[string][2]any{"title": {"Engineer", "Manager"}, "name.givenName": {"G", "Dee"}}
	if len(e.Values) != len(want) {
		t.Fatalf("Values = %+v, want %v (emails is multi-valued and has no old/new value)", e.Values, want)
	}
	for _, v := range e.Values {
		w, ok := want[v.Path]
		if !ok || v.Old != w[0] || v.New != w[1] {
			t.Errorf("value %s: %v → %v, want %v", v.Path, v.Old, v.New, w)
		}
	}
}
