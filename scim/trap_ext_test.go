package scim_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/scim/memstore"
)

// One regression test per field failure of SCIM servers seen with Entra ID and Okta
// (TRAP-1 to TRAP-15 of docs/COMPAT.md).

// TRAP-1: Remove members with a value list removes only those members, never all.
func TestRemoveMembersWithValueListRemovesOnlyThose(t *testing.T) {
	bothGroupPaths(t, func(t *testing.T, h *scim.Handler) {
		a, b, c := mustCreate(t, h, user("a@x.example")), mustCreate(t, h, user("b@x.example")), mustCreate(t, h, user("c@x.example"))
		g := groupWith(t, h, "G", a, b, c)
		call(t, h, "PATCH", "/Groups/"+g, patchBody(op("Remove", "members", []any{map[string]any{"value": b, "$ref": nil}}))).want(t, 204)
		if got, want := groupMembers(t, h, g), strings.Join(sortStrings([]string{a, c}), ","); got != want {
			t.Errorf("members %s, want %s", got, want)
		}
		call(t, h, "PATCH", "/Groups/"+g, patchBody(op("Remove", "members", nil))).want(t, 204)
		if got := groupMembers(t, h, g); got != "" {
			t.Errorf("Remove without value kept %s", got)
		}
	})
}

// TRAP-2: Remove members with a value is neither rejected with 400 nor ignored.
func TestRemoveMembersWithValueIsNotRejected(t *testing.T) {
	bothGroupPaths(t, func(t *testing.T, h *scim.Handler) {
		a := mustCreate(t, h, user("a@x.example"))
		g := groupWith(t, h, "G", a)
		call(t, h, "PATCH", "/Groups/"+g, patchBody(op("remove", "members", []any{map[string]any{"value": a}}))).want(t, 204)
		if got := groupMembers(t, h, g); got != "" {
			t.Errorf("member %s kept", got)
		}
	})
}

// TRAP-3: "ADD" adds the member; an unknown op is 400 invalidSyntax and applies nothing.
func TestOpIgnoresCaseUnknownOpIsRejected(t *testing.T) {
	bothGroupPaths(t, func(t *testing.T, h *scim.Handler) {
		a := mustCreate(t, h, user("a@x.example"))
		g := groupWith(t, h, "G")
		call(t, h, "PATCH", "/Groups/"+g, patchBody(op("ADD", "members", []any{map[string]any{"value": a}}))).want(t, 204)
		if groupMembers(t, h, g) != a {
			t.Error("ADD skipped")
		}
		call(t, h, "PATCH", "/Groups/"+g, patchBody(op("Delete", "members", nil))).want(t, 400, "invalidSyntax")
		if groupMembers(t, h, g) != a {
			t.Error("unknown op applied something")
		}
	})
}

// TRAP-4: a path-less replace or a PUT that does not name members keeps them.
func TestGroupRenameWithoutMembersKeepsThem(t *testing.T) {
	bothGroupPaths(t, func(t *testing.T, h *scim.Handler) {
		a := mustCreate(t, h, user("a@x.example"))
		g := groupWith(t, h, "G", a)
		call(t, h, "PATCH", "/Groups/"+g, patchBody(op("replace", "", map[string]any{"id": g, "displayName": "G2"}))).want(t, 204)
		call(t, h, "PUT", "/Groups/"+g, map[string]any{"displayName": "G3"}).want(t, 200)
		if groupMembers(t, h, g) != a {
			t.Error("members lost by a rename")
		}
	})
}

// TRAP-5: 10,000 members in one add all land, and a remove of all but one leaves that one.
func TestTenThousandMembersInOneOperation(t *testing.T) {
	const n = 10000
	bothGroupPathsStore(t, func(t *testing.T, h *scim.Handler, st *memstore.Store) {
		var ids []any
		for i := range n {
			// Straight into the store: this test is about the PATCH.
			u, err := st.CreateUser(context.Background(), &scim.User{ID: fmt.Sprintf("u-%d", i), UserName: fmt.Sprintf("u%d", i), Active: true})
			if err != nil {
				t.Fatal(err)
			}
			ids = append(ids, map[string]any{"value": u.ID})
		}
		g := groupWith(t, h, "Big")
		call(t, h, "PATCH", "/Groups/"+g, patchBody(op("Add", "members", ids))).want(t, 204)
		r := call(t, h, "GET", "/Groups/"+g, nil).want(t, 200)
		if got := len(r.JSON["members"].([]any)); got != n {
			t.Errorf("%d members after adding %d", got, n)
		}
		call(t, h, "PATCH", "/Groups/"+g, patchBody(op("Remove", "members", ids[:n-1]))).want(t, 204)
		if got := len(call(t, h, "GET", "/Groups/"+g, nil).JSON["members"].([]any)); got != 1 {
			t.Errorf("%d members left, want 1", got)
		}
	})
}

// TRAP-6: a userName filter matches ignoring case, and a create differing only in case is 409.
func TestUserNameMatchesAndConflictsIgnoringCase(t *testing.T) {
	h, _ := newHandler(t)
	id := mustCreate(t, h, user("Mixed.Case@X.example"))
	r := call(t, h, "GET", "/Users?filter=userName%20eq%20%22mixed.case@x.EXAMPLE%22", nil).want(t, 200)
	if num(r.JSON["totalResults"]) != 1 || str(r.JSON, "Resources.0.id") != id || str(r.JSON, "Resources.0.userName") != "Mixed.Case@X.example" {
		t.Errorf("case-insensitive match: %s", r.Body)
	}
	call(t, h, "POST", "/Users", user("MIXED.case@x.example")).want(t, 409, "uniqueness")
}

// TRAP-7: externalId is stored, echoed and filterable, case-exact.
func TestExternalIdStoredEchoedFilterable(t *testing.T) {
	h, _ := newHandler(t)
	body := user("e@x.example")
	body["externalId"] = "AbC-123"
	r := call(t, h, "POST", "/Users", body).want(t, 201)
	if r.JSON["externalId"] != "AbC-123" {
		t.Errorf("externalId not echoed: %s", r.Body)
	}
	if n := num(call(t, h, "GET", "/Users?filter=externalId%20eq%20%22AbC-123%22", nil).want(t, 200).JSON["totalResults"]); n != 1 {
		t.Errorf("externalId filter found %d", n)
	}
	if n := num(call(t, h, "GET", "/Users?filter=externalId%20eq%20%22abc-123%22", nil).want(t, 200).JSON["totalResults"]); n != 0 {
		t.Errorf("externalId compared ignoring case: %d", n)
	}
}

// TRAP-8: a filter that matches nothing is 200 with an empty list, never 404.
func TestFilterWithoutMatchIsEmptyList(t *testing.T) {
	h, _ := newHandler(t)
	r := call(t, h, "GET", "/Users?filter=userName+eq+%2200000000-0000-0000-0000-000000000000%22", nil).want(t, 200)
	if !strings.Contains(r.Body, `"totalResults":0`) || !strings.Contains(r.Body, `"Resources":[]`) {
		t.Errorf("%s", r.Body)
	}
	call(t, h, "GET", "/Groups?excludedAttributes=members&filter=displayName+eq+%22nope%22", nil).want(t, 200)
}

// TRAP-9: unknown attributes and extensions are skipped, not 400/500, unless Strict.
func TestUnknownAttributesSkippedUnlessStrict(t *testing.T) {
	h, _ := newHandler(t)
	body := user("u@x.example")
	body["shoeSize"] = "44"
	body["urn:ietf:params:scim:schemas:extension:acme:2.0:User"] = map[string]any{"badge": "7"}
	id := str(call(t, h, "POST", "/Users", body).want(t, 201).JSON, "id")
	call(t, h, "PATCH", "/Users/"+id, patchBody(op("Add", "urn:ietf:params:scim:schemas:extension:acme:2.0:User:badge", "7"))).want(t, 200)
	strict, _ := newHandler(t, func(c *scim.Config) { c.Strict = true })
	call(t, strict, "POST", "/Users", body).want(t, 400, "invalidValue")
	id = mustCreate(t, strict, user("s@x.example"))
	call(t, strict, "PATCH", "/Users/"+id, patchBody(op("Replace", "nickname2", "x"))).want(t, 400, "invalidPath")
}

// TRAP-10: replace emails[type eq "work"].value adds a work email and keeps the home one.
func TestFilteredPathCreatesMissingEntry(t *testing.T) {
	h, _ := newHandler(t)
	body := user("x@x.example")
	body["emails"] = []any{map[string]any{"value": "home@x.example", "type": "home"}}
	id := mustCreate(t, h, body)
	r := call(t, h, "PATCH", "/Users/"+id, patchBody(op("Replace", `emails[type eq "work"].value`, "work@x.example"))).want(t, 200)
	if str(r.JSON, "emails.0.value") != "home@x.example" || str(r.JSON, "emails.1.value") != "work@x.example" || str(r.JSON, "emails.1.type") != "work" {
		t.Errorf("emails: %s", r.Body)
	}
}

// TRAP-11: a manager sent as a bare id comes back as a complex value with $ref; an unknown id is 400.
func TestManagerIsReturnedComplex(t *testing.T) {
	h, _ := newHandler(t)
	m := mustCreate(t, h, user("m@x.example"))
	body := user("e@x.example")
	body[sEnt] = map[string]any{"manager": m}
	r := call(t, h, "POST", "/Users", body).want(t, 201)
	mgr, ok := r.JSON[sEnt].(map[string]any)["manager"].(map[string]any)
	if !ok || mgr["value"] != m || !strings.HasSuffix(str(mgr, "$ref"), "/Users/"+m) {
		t.Errorf("manager: %s", r.Body)
	}
	body = user("f@x.example")
	body[sEnt] = map[string]any{"manager": "ghost"}
	call(t, h, "POST", "/Users", body).want(t, 400, "invalidValue")
}

// TRAP-12: a path-less replace of active false is applied.
func TestPathlessPatchDeactivates(t *testing.T) {
	h, _ := newHandler(t)
	id := mustCreate(t, h, user("p@x.example"))
	r := call(t, h, "PATCH", "/Users/"+id, patchBody(op("replace", "", map[string]any{"active": false}))).want(t, 200)
	if r.JSON["active"] != false {
		t.Errorf("%s", r.Body)
	}
}

// TRAP-13: path-less keys are paths, and processing does not stop at externalId.
func TestPathlessKeysArePaths(t *testing.T) {
	h, _ := newHandler(t)
	id := mustCreate(t, h, user("k@x.example"))
	r := call(t, h, "PATCH", "/Users/"+id, `{"schemas":["`+sPatch+`"],"Operations":[{"op":"replace","value":{"externalId":"e1","name.familyName":"Z","title":"T"}}]}`).want(t, 200)
	if r.JSON["externalId"] != "e1" || str(r.JSON, "name.familyName") != "Z" || str(r.JSON, "name.givenName") != "G" || r.JSON["title"] != "T" || r.JSON["name.familyName"] != nil {
		t.Errorf("%s", r.Body)
	}
}

// TRAP-14: a request without User-Agent asking for application/json gets 200 application/scim+json.
func TestJSONAcceptWithoutUserAgentGetsSCIMJSON(t *testing.T) {
	h, _ := newHandler(t)
	r := call(t, h, "GET", "/Users", nil, "User-Agent", "", "Accept", "application/json")
	r.want(t, 200)
	if r.Header.Get("Content-Type") != "application/scim+json" {
		t.Error(r.Header.Get("Content-Type"))
	}
}

// TRAP-15: "False", "TRUE" and "false" set active accordingly; other strings are 400.
func TestStringBooleansSetActive(t *testing.T) {
	h, _ := newHandler(t)
	body := user("b@x.example")
	body["active"] = "False"
	r := call(t, h, "POST", "/Users", body).want(t, 201)
	if r.JSON["active"] != false {
		t.Errorf("active %v", r.JSON["active"])
	}
	id := str(r.JSON, "id")
	for _, v := range []string{"TRUE", "false", "True"} {
		r = call(t, h, "PATCH", "/Users/"+id, patchBody(op("Replace", "active", v))).want(t, 200)
		if r.JSON["active"] != strings.EqualFold(v, "true") {
			t.Errorf("%s gave %v", v, r.JSON["active"])
		}
	}
	call(t, h, "PATCH", "/Users/"+id, patchBody(op("Replace", "active", "nope"))).want(t, 400, "invalidValue")
}

// TestGroupAsMemberRejectedWithReason checks the detail of the 400 for
// a member that is a group, when the store does not nest groups (or for the group
// itself): it must say so, not claim the id does not exist.
// ENTRA-GROUP-4: a group as a member is 400 saying it is a group, not that the id does not exist.
func TestGroupAsMemberRejectedWithReason(t *testing.T) {
	bothGroupPaths(t, func(t *testing.T, h *scim.Handler) {
		g := groupWith(t, h, "Parent")
		child := groupWith(t, h, "Child")
		for _, id := range []string{child, g} {
			r := call(t, h, "PATCH", "/Groups/"+g, patchBody(op("Add", "members", []any{map[string]any{"value": id}}))).want(t, 400, "invalidValue")
			d := str(r.JSON, "detail")
			if !strings.Contains(d, id) || !strings.Contains(d, "group") || strings.Contains(d, "does not exist") {
				t.Errorf("detail %q does not say that %s is a group that cannot be a member", d, id)
			}
		}
		r := call(t, h, "POST", "/Groups", map[string]any{"displayName": "Other", "members": []any{map[string]any{"value": child}}}).want(t, 400, "invalidValue")
		if d := str(r.JSON, "detail"); !strings.Contains(d, child) || strings.Contains(d, "does not exist") {
			t.Errorf("create: detail %q", d)
		}
	})
}
