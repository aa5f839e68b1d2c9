package scim_test

import (
	"testing"

	"github.com/scimkit/scimkit/scim"
)

// A member given only as {"$ref": ".../Users/<id>"} pointing into this service is
// the member with that id, in PATCH, POST and PUT.
func TestMemberGivenOnlyByRefResolvesToID(t *testing.T) {
	bothGroupPaths(t, func(t *testing.T, h *scim.Handler) {
		a := mustCreate(t, h, user("a@x.example"))
		b := mustCreate(t, h, user("b@x.example"))
		c := mustCreate(t, h, user("c@x.example"))
		g := groupWith(t, h, "Refs")
		call(t, h, "PATCH", "/Groups/"+g, patchBody(op("add", "members",
			[]any{map[string]any{"$ref": "http://example.com/Users/" + a}}))).want(t, 204)
		r := call(t, h, "POST", "/Groups", map[string]any{"displayName": "ByRef",
			"members": []any{map[string]any{"$ref": "/Users/" + b}}}).want(t, 201)
		g2 := str(r.JSON, "id")
		call(t, h, "PUT", "/Groups/"+g2, map[string]any{"displayName": "ByRef",
			"members": []any{map[string]any{"$ref": "http://example.com/Users/" + b}, map[string]any{"$ref": "Users/" + c}}}).want(t, 200)
		for gid, want := range map[string][]string{g: {a}, g2: {b, c}} {
			got := map[string]bool{}
			for _, m := range call(t, h, "GET", "/Groups/"+gid, nil).want(t, 200).JSON["members"].([]any) {
				got[str(m, "value")] = true
			}
			if len(got) != len(want) {
				t.Errorf("group %s has members %v, want %v", gid, got, want)
			}
			for _, id := range want {
				if !got[id] {
					t.Errorf("group %s lacks member %s", gid, id)
				}
			}
		}
	})
}

// A member without value whose $ref points elsewhere, or that has neither, is
// refused with 400 invalidValue, and the group's version does not change.
func TestMemberRefOutsideServiceIsRefused(t *testing.T) {
	bothGroupPaths(t, func(t *testing.T, h *scim.Handler) {
		a := mustCreate(t, h, user("a@x.example"))
		g := groupWith(t, h, "Refs")
		before := call(t, h, "GET", "/Groups/"+g, nil).want(t, 200).Header.Get("ETag")
		for _, m := range []map[string]any{
			{"$ref": "https://elsewhere.example/Users/" + a},
			{"$ref": "http://example.com/Things/" + a},
			{"display": "nobody"},
		} {
			call(t, h, "PATCH", "/Groups/"+g, patchBody(op("add", "members", []any{m}))).want(t, 400, "invalidValue")
		}
		if after := call(t, h, "GET", "/Groups/"+g, nil).want(t, 200).Header.Get("ETag"); after != before {
			t.Errorf("version changed from %s to %s by refused PATCHes", before, after)
		}
	})
}
