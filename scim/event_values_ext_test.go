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

// A PATCH whose only attribute the service does not keep succeeds without a write,
// yet the host still hears which attribute was skipped.
func TestSkippedOnlyPatchReportsTheSkippedAttribute(t *testing.T) {
	var events []scim.Event
	h, _ := newHandler(t, func(c *scim.Config) {
		c.Events = func(_ context.Context, e scim.Event) { events = append(events, e) }
	})
	id := mustCreate(t, h, user("eve@example.com"))
	events = nil
	call(t, h, "PATCH", "/Users/"+id, patchBody(op("replace", "favouriteColour", "teal"))).want(t, http.StatusOK)
	if len(events) != 1 || events[0].Type != scim.NothingChanged || events[0].ID != id ||
		len(events[0].Skipped) != 1 || events[0].Skipped[0] != "favouriteColour" || len(events[0].Changed) != 0 {
		t.Fatalf("events = %+v, want one NothingChanged naming favouriteColour", events)
	}
}
