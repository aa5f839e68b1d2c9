package scim_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/scimkit/scimkit/scim"
)

// Requirement tests at the Handler level for what the IdP flows of scimtest do not
// pin down exactly.

// TestEveryEntraAttributeStoredVerbatim creates a user with every attribute
// of Entra ID's default and optional mapping, with values a careless server would
// normalise, and checks that each comes back exactly as sent and can be filtered on.
// ENTRA-USER-1, ENTRA-USER-9: every attribute of Entra's default and optional mapping comes back exactly as sent, is filterable, and stays one entry per type.
func TestEveryEntraAttributeStoredVerbatim(t *testing.T) {
	h, _ := newHandler(t)
	mgr := mustCreate(t, h, user("boss@contoso.example"))
	body := map[string]any{
		"schemas":  []any{sUser, sEnt},
		"userName": "Ada.Lovelace@Contoso.Example", "externalId": "AdaL", "active": "True",
		"displayName": "  Ada  L ", "title": "Engineer", "preferredLanguage": "en-GB", "nickName": "Ada",
		"locale": "en-GB", "timezone": "Europe/London", "userType": "Member",
		"name": map[string]any{"formatted": "Ada L", "givenName": "Ada", "familyName": "L"},
		"emails": []any{
			map[string]any{"type": "work", "value": "Ada.Lovelace@Contoso.Example", "primary": true},
			map[string]any{"type": "other", "value": "ada@home.example"},
		},
		"phoneNumbers": []any{
			map[string]any{"type": "work", "value": "+44 (0)113 496-0000"},
			map[string]any{"type": "mobile", "value": "07700 900123"},
			map[string]any{"type": "fax", "value": "+44 113 496 0001"},
		},
		"addresses": []any{
			map[string]any{"type": "work", "formatted": "1 Road\nLeeds", "streetAddress": "1 Road", "locality": "Leeds",
				"region": "West Yorkshire", "postalCode": "LS1 1AA", "country": "GB"},
			map[string]any{"type": "other", "formatted": "2 Lane"},
		},
		"roles": []any{map[string]any{"value": `{"id":"r-1"}`, "primary": "True", "type": "WindowsAzureActiveDirectoryRole"}},
		sEnt: map[string]any{"employeeNumber": "00412", "department": "R&D", "costCenter": "CC-9",
			"organization": "Contoso", "division": "North", "manager": map[string]any{"value": mgr}},
	}
	r := call(t, h, "POST", "/Users", body).want(t, 201)
	id := str(r.JSON, "id")
	want := map[string]any{
		"userName": "Ada.Lovelace@Contoso.Example", "externalId": "AdaL", "active": true,
		"displayName": "  Ada  L ", "title": "Engineer", "preferredLanguage": "en-GB", "nickName": "Ada",
		"locale": "en-GB", "timezone": "Europe/London", "userType": "Member",
		"name.formatted": "Ada L", "name.givenName": "Ada", "name.familyName": "L",
		"emails.0.value": "Ada.Lovelace@Contoso.Example", "emails.0.type": "work", "emails.0.primary": true,
		"emails.1.value": "ada@home.example", "emails.1.type": "other",
		"phoneNumbers.0.value": "+44 (0)113 496-0000", "phoneNumbers.1.value": "07700 900123", "phoneNumbers.2.type": "fax",
		"addresses.0.formatted": "1 Road\nLeeds", "addresses.0.streetAddress": "1 Road", "addresses.0.locality": "Leeds",
		"addresses.0.region": "West Yorkshire", "addresses.0.postalCode": "LS1 1AA", "addresses.0.country": "GB",
		"addresses.1.formatted": "2 Lane", "addresses.1.type": "other",
		"roles.0.value": `{"id":"r-1"}`, "roles.0.primary": true,
		sEnt + ".employeeNumber": "00412", sEnt + ".department": "R&D", sEnt + ".costCenter": "CC-9",
		sEnt + ".organization": "Contoso", sEnt + ".division": "North", sEnt + ".manager.value": mgr,
	}
	for _, res := range []*resp{r, call(t, h, "GET", "/Users/"+id, nil).want(t, 200)} {
		for p, w := range want {
			if got := extGet(res.JSON, p); got != w {
				t.Errorf("%s = %#v, want %#v", p, got, w)
			}
		}
	}
	for _, f := range []string{
		`userName eq "ada.lovelace@contoso.example"`, `externalId eq "AdaL"`, `displayName eq "  ada  l "`,
		`title eq "Engineer"`, `name.familyName eq "L"`, `name.givenName eq "Ada"`,
		`emails[type eq "work"].value eq "Ada.Lovelace@Contoso.Example"`, `emails.value eq "ada@home.example"`,
		`phoneNumbers.value eq "07700 900123"`, `addresses.postalCode eq "LS1 1AA"`, `active eq "True" and title eq "Engineer"`,
		sEnt + `:employeeNumber eq "00412"`, sEnt + `:department eq "R&D"`, sEnt + `:manager.value eq "` + mgr + `"`,
		`manager eq "` + mgr + `"`, `id eq "` + id + `"`, `meta.created gt "2000-01-01T00:00:00Z" and nickName eq "ada"`,
	} {
		r := call(t, h, "GET", "/Users?filter="+urlQuery(strings.ReplaceAll(f, "&", "%26")), nil).want(t, 200)
		if num(r.JSON["totalResults"]) != 1 || str(r.JSON, "Resources.0.id") != id {
			t.Errorf("filter %s: %s", f, r.Body)
		}
	}
	// One entry per type: Entra ID's repeated replaces of the work email and the
	// mobile number update the entries in place.
	for range 2 {
		r = call(t, h, "PATCH", "/Users/"+id, patchBody(
			op("Replace", `emails[type eq "work"].value`, "a.l@contoso.example"),
			op("Replace", `phoneNumbers[type eq "mobile"].value`, "07700 900999"))).want(t, 200)
	}
	types := func(attr string) []string {
		var out []string
		for _, e := range r.JSON[attr].([]any) {
			out = append(out, str(e, "type"))
		}
		slices.Sort(out)
		return out
	}
	if got := types("emails"); strings.Join(got, ",") != "other,work" {
		t.Errorf("email types %v after repeated replaces", got)
	}
	if got := types("phoneNumbers"); strings.Join(got, ",") != "fax,mobile,work" {
		t.Errorf("phone types %v after repeated replaces", got)
	}
}

// TestPatchIsOneStoreWrite checks that a PATCH of several operations is one
// store write, that a PATCH changing nothing is none, and (ENTRA-PATCH-12) that in
// strict mode an unknown attribute fails the whole PATCH with nothing applied.
// ENTRA-PATCH-2, ENTRA-PATCH-12: a PATCH of several operations is one store write, a no-op none; in strict mode an unknown path applies nothing.
func TestPatchIsOneStoreWrite(t *testing.T) {
	h, st := newRecording(t, false)
	id := mustCreate(t, h, user("two@x.example"))
	call(t, h, "PATCH", "/Users/"+id, patchBody(
		op("Replace", `emails[type eq "work"].value`, "a.l@x.example"),
		op("Replace", "name.familyName", "Lovelace"),
		op("Add", "title", "Lead"))).want(t, 200)
	call(t, h, "PATCH", "/Users/"+id, patchBody(op("Replace", "title", "Lead"))).want(t, 200)
	if st.replaces != 1 {
		t.Errorf("%d store writes for one changing and one idempotent PATCH, want 1", st.replaces)
	}

	strict, sst := newRecording(t, true)
	id = mustCreate(t, strict, user("s@x.example"))
	call(t, strict, "PATCH", "/Users/"+id, patchBody(op("Replace", "title", "Lead"), op("Replace", "nickname2", "x"))).want(t, 400, "invalidPath")
	if r := call(t, strict, "GET", "/Users/"+id, nil).want(t, 200); r.JSON["title"] != nil || sst.replaces != 0 {
		t.Errorf("strict PATCH with an unknown path applied something: %s", r.Body)
	}
}

// TestExcludedMembersReachTheStore checks that excludedAttributes=members
// reaches the store, for GET by id and for lists, so that it can skip loading them.
// ENTRA-GROUP-3: excludedAttributes=members reaches the store for GET and list, so it can skip loading members.
func TestExcludedMembersReachTheStore(t *testing.T) {
	h, st := newRecording(t, false)
	u := mustCreate(t, h, user("m@x.example"))
	g := groupWith(t, h, "Finance Ops", u)
	st.projs, st.queries = nil, nil
	r := call(t, h, "GET", "/Groups/"+g+"?excludedAttributes=members", nil).want(t, 200)
	if _, ok := r.JSON["members"]; ok {
		t.Errorf("members in the response: %s", r.Body)
	}
	call(t, h, "GET", "/Groups?excludedAttributes=members&filter=displayName%20eq%20%22Finance%20Ops%22", nil).want(t, 200)
	if len(st.projs) != 1 || !slices.Equal(st.projs[0].ExcludedAttributes, []string{"members"}) {
		t.Errorf("GetGroup projections %+v, want members excluded", st.projs)
	}
	if len(st.queries) != 1 || !slices.Equal(st.queries[0].Projection.ExcludedAttributes, []string{"members"}) {
		t.Errorf("ListGroups queries %+v, want members excluded", st.queries)
	}
}

// TestGroupRenameKeepsMembersAndStaysUnique renames a group by PATCH and
// PUT: members stay; a name another group has, ignoring case, is 409 uniqueness.
// ENTRA-GROUP-7: a rename by PATCH or PUT keeps the members; a name another group has, ignoring case, is 409 uniqueness.
func TestGroupRenameKeepsMembersAndStaysUnique(t *testing.T) {
	bothGroupPaths(t, func(t *testing.T, h *scim.Handler) {
		u := mustCreate(t, h, user("m@x.example"))
		g := groupWith(t, h, "Finance Ops", u)
		groupWith(t, h, "Sales")
		call(t, h, "PATCH", "/Groups/"+g, patchBody(op("Replace", "displayName", "Finance Operations"))).want(t, 204)
		if groupMembers(t, h, g) != u {
			t.Error("rename dropped the members")
		}
		call(t, h, "PATCH", "/Groups/"+g, patchBody(op("Replace", "displayName", "SALES"))).want(t, 409, "uniqueness")
		call(t, h, "PATCH", "/Groups/"+g, patchBody(op("replace", "", map[string]any{"id": g, "displayName": "sales"}))).want(t, 409, "uniqueness")
		call(t, h, "PUT", "/Groups/"+g, map[string]any{"displayName": "Sales"}).want(t, 409, "uniqueness")
		r := call(t, h, "GET", "/Groups/"+g, nil).want(t, 200)
		if r.JSON["displayName"] != "Finance Operations" || groupMembers(t, h, g) != u {
			t.Errorf("after refused renames: %s", r.Body)
		}
	})
}

// TestPatchRequestRulesAndNoOps checks the general PATCH rules: schemas may be
// missing, Operations may not be empty, an add of a present value and a remove that
// matches nothing change nothing (no version or lastModified bump, no event), a single
// object stands for a one-element array, and an unknown id is 404.
// RFC-PATCH-1: schemas may be missing, Operations may not be empty, a no-op changes no version, time or event, unknown id is 404.
func TestPatchRequestRulesAndNoOps(t *testing.T) {
	var events []scim.Event
	h, _ := newHandler(t, func(c *scim.Config) {
		c.Events = func(ctx context.Context, e scim.Event) { events = append(events, e) }
	})
	id := mustCreate(t, h, user("p@x.example"))
	before := call(t, h, "GET", "/Users/"+id, nil).want(t, 200)
	events = nil
	call(t, h, "PATCH", "/Users/"+id, `{"schemas":["`+sPatch+`"],"Operations":[]}`).want(t, 400, "invalidSyntax")
	call(t, h, "PATCH", "/Users/"+id, `{"schemas":["`+sPatch+`"]}`).want(t, 400, "invalidSyntax")
	for _, o := range []map[string]any{
		op("add", "emails", []any{map[string]any{"value": "p@x.example", "type": "work", "primary": true}}),
		op("add", "emails", map[string]any{"value": "P@X.example", "type": "WORK"}),
		op("remove", `emails[type eq "home"]`, nil),
		op("remove", "phoneNumbers", nil),
	} {
		r := call(t, h, "PATCH", "/Users/"+id, patchBody(o)).want(t, 200)
		if r.Header.Get("ETag") != before.Header.Get("ETag") || str(r.JSON, "meta.lastModified") != str(before.JSON, "meta.lastModified") {
			t.Errorf("no-op %v bumped the version or lastModified: %s", o, r.Body)
		}
	}
	if len(events) != 0 {
		t.Errorf("no-op PATCHes emitted %d events", len(events))
	}
	r := call(t, h, "PATCH", "/Users/"+id, `{"Operations":[{"op":"add","path":"phoneNumbers","value":{"value":"1","type":"work"}}]}`).want(t, 200)
	if str(r.JSON, "phoneNumbers.0.value") != "1" {
		t.Errorf("single object for a multi-valued attribute: %s", r.Body)
	}
	call(t, h, "PATCH", "/Users/no-such-id", patchBody(op("replace", "title", "x"))).want(t, 404)
}

// TestDeleteIsFinal deletes a user and a group: 204 with no body, then 404
// for every method on the id, absence from lists and filters, and the user out of its
// groups.
// RFC-DEL-1: DELETE is 204 without a body; then every method on the id is 404, and the user has left its groups.
func TestDeleteIsFinal(t *testing.T) {
	bothGroupPaths(t, func(t *testing.T, h *scim.Handler) {
		id := mustCreate(t, h, user("del@x.example"))
		keep := mustCreate(t, h, user("keep@x.example"))
		g := groupWith(t, h, "G", id, keep)
		r := call(t, h, "DELETE", "/Users/"+id, nil)
		if r.Code != 204 || r.Body != "" || r.Header.Get("Content-Type") != "" {
			t.Errorf("DELETE: %d %q %q", r.Code, r.Header.Get("Content-Type"), r.Body)
		}
		call(t, h, "GET", "/Users/"+id, nil).want(t, 404)
		call(t, h, "PUT", "/Users/"+id, map[string]any{"userName": "del@x.example"}).want(t, 404)
		call(t, h, "PATCH", "/Users/"+id, patchBody(op("replace", "title", "x"))).want(t, 404)
		call(t, h, "DELETE", "/Users/"+id, nil).want(t, 404)
		if n := num(call(t, h, "GET", "/Users?filter=userName%20eq%20%22del@x.example%22", nil).want(t, 200).JSON["totalResults"]); n != 0 {
			t.Errorf("deleted user still matches a filter")
		}
		if n := num(call(t, h, "GET", "/Users", nil).want(t, 200).JSON["totalResults"]); n != 1 {
			t.Errorf("%d users listed, want 1", n)
		}
		if got := groupMembers(t, h, g); got != keep {
			t.Errorf("members %s after the delete, want %s", got, keep)
		}
		if n := num(call(t, h, "GET", "/Groups?filter=members%20eq%20%22"+id+"%22", nil).want(t, 200).JSON["totalResults"]); n != 0 {
			t.Error("a group still lists the deleted user")
		}
		call(t, h, "DELETE", "/Groups/"+g, nil)
		call(t, h, "GET", "/Groups/"+g, nil).want(t, 404)
		call(t, h, "PATCH", "/Groups/"+g, patchBody(op("add", "members", []any{map[string]any{"value": keep}}))).want(t, 404)
		call(t, h, "PUT", "/Groups/"+g, map[string]any{"displayName": "G"}).want(t, 404)
		call(t, h, "DELETE", "/Groups/"+g, nil).want(t, 404)
		call(t, h, "GET", "/Users/"+keep, nil).want(t, 200)
	})
}

// TestInputNamesIgnoreCase sends member names and PATCH keys and paths in
// odd letter case: they are matched ignoring case and answered in canonical
// camelCase.
// RFC-ATTR-2: member names, PATCH keys and paths in any letter case are matched, and answered in canonical camelCase.
func TestInputNamesIgnoreCase(t *testing.T) {
	h, _ := newHandler(t)
	r := call(t, h, "POST", "/Users", `{"SCHEMAS":["`+sUser+`"],"USERNAME":"case@x.example","Name":{"GIVENNAME":"G"},`+
		`"EMAILS":[{"VALUE":"c@x.example","Type":"work","PRIMARY":"true"}],"`+strings.ToUpper(sEnt)+`":{"DEPARTMENT":"R&D"}}`).want(t, 201)
	id := str(r.JSON, "id")
	if !strings.Contains(r.Body, `"userName":"case@x.example"`) || !strings.Contains(r.Body, `"name":{"givenName":"G"}`) ||
		!strings.Contains(r.Body, `"emails":[{"value":"c@x.example","type":"work","primary":true}]`) ||
		!strings.Contains(r.Body, `"`+sEnt+`":{"department":"R&D"}`) {
		t.Errorf("create: %s", r.Body)
	}
	r = call(t, h, "PATCH", "/Users/"+id, `{"SCHEMAS":["`+sPatch+`"],"operations":[{"OP":"Replace","PATH":"emails[Type eq \"WORK\"].Value","VALUE":"n@x.example"},`+
		`{"Op":"add","Path":"NAME.FAMILYNAME","Value":"F"}]}`).want(t, 200)
	if str(r.JSON, "emails.0.value") != "n@x.example" || str(r.JSON, "name.familyName") != "F" || len(r.JSON["emails"].([]any)) != 1 {
		t.Errorf("patch: %s", r.Body)
	}
}
