package scim_test

import (
	"context"
	"strings"
	"sync"
	"testing"

	"github.com/scimkit/scimkit/scim"
)

func TestEventsReportEachChange(t *testing.T) {
	var mu sync.Mutex
	var evs []scim.Event
	h, _ := newHandler(t, func(c *scim.Config) {
		c.Events = func(ctx context.Context, e scim.Event) { mu.Lock(); evs = append(evs, e); mu.Unlock() }
	})
	id := mustCreate(t, h, user("ev@x.example"))
	other := mustCreate(t, h, user("ev2@x.example"))
	call(t, h, "PATCH", "/Users/"+id, patchBody(op("Replace", "active", "False"), op("add", "nickName2", "x")), "User-Agent", "Okta SCIM Client 1.0.0").want(t, 200)
	call(t, h, "PATCH", "/Users/"+id, patchBody(op("replace", "active", true), op("replace", "name.givenName", "H"))).want(t, 200)
	call(t, h, "PATCH", "/Users/"+id, patchBody(op("replace", "title", "T"), op("replace", "password", "p"))).want(t, 200)
	call(t, h, "PATCH", "/Users/"+id, patchBody(op("replace", "title", "T"))).want(t, 200) // no change, no event
	g := str(call(t, h, "POST", "/Groups", map[string]any{"displayName": "G", "members": []any{map[string]any{"value": id}}}).want(t, 201).JSON, "id")
	call(t, h, "PATCH", "/Groups/"+g, patchBody(op("add", "members", []any{map[string]any{"value": other}}), op("remove", "members", []any{map[string]any{"value": id}}))).want(t, 204)
	call(t, h, "PATCH", "/Groups/"+g, patchBody(op("replace", "displayName", "G2"), op("replace", "members", []any{map[string]any{"value": id}}))).want(t, 204)
	call(t, h, "PATCH", "/Groups/"+g, patchBody(op("replace", "", map[string]any{"id": g, "displayName": "G2"}))).want(t, 204) // Okta's unchanged name: no event
	call(t, h, "DELETE", "/Groups/"+g, nil).want(t, 204)
	call(t, h, "DELETE", "/Users/"+id, nil).want(t, 204)

	type ev struct {
		typ            scim.EventType
		changed        string
		added, removed string
		skipped, agent string
	}
	want := []ev{
		{typ: scim.UserCreated},
		{typ: scim.UserCreated},
		{typ: scim.UserDeactivated, changed: "active", skipped: "nickName2", agent: "Okta SCIM Client 1.0.0"},
		{typ: scim.UserReactivated, changed: "name.givenName,active"},
		{typ: scim.UserUpdated, changed: "title,password"},
		{typ: scim.GroupCreated, added: id},
		{typ: scim.GroupMembersChanged, changed: "members", added: other, removed: id},
		{typ: scim.GroupUpdated, changed: "displayName,members", added: id, removed: other},
		{typ: scim.GroupDeleted},
		{typ: scim.UserDeleted},
	}
	if len(evs) != len(want) {
		t.Fatalf("got %d events, want %d: %+v", len(evs), len(want), evs)
	}
	for i, w := range want {
		e := evs[i]
		got := ev{e.Type, strings.Join(e.Changed, ","), strings.Join(e.MembersAdded, ","), strings.Join(e.MembersRemoved, ","), strings.Join(e.Skipped, ","), ""}
		if w.agent != "" {
			got.agent = e.UserAgent
		}
		if got != w {
			t.Errorf("event %d = %+v, want %+v", i, got, w)
		}
		if e.ID == "" || e.Time.IsZero() || (e.ResourceType != "User" && e.ResourceType != "Group") {
			t.Errorf("event %d incomplete: %+v", i, e)
		}
	}
}
