package scim_test

import (
	"encoding/json"
	"testing"
)

// TestMultiValuedOnePrimaryNoRepeats checks the shape Okta expects of emails,
// phoneNumbers and addresses: arrays with at most one primary:true entry (exactly
// one when the client sent one, as Okta and Entra ID do) and no repeated
// (value, type) pair, on create, PUT and PATCH. A repeat is merged into its first
// occurrence: the sub-attributes only the repeat has are kept, so is its primary.
// The store never sees a repeat, which a SQL store with a unique index would answer
// with an error.
// OKTA-USER-1: emails, phoneNumbers, addresses and members have at most one primary and no repeated value, in every write.
func TestMultiValuedOnePrimaryNoRepeats(t *testing.T) {
	h, st := newRecording(t, false)
	const okta = `{"schemas":["` + sUser + `"],"userName":"ada@corp.example","name":{"givenName":"Ada","familyName":"L"},` +
		`"emails":[{"primary":true,"value":"ada@corp.example","type":"work"}],"active":true}`
	r := call(t, h, "POST", "/Users", okta).want(t, 201)
	id := str(r.JSON, "id")
	onePrimary := func(r *resp, attr string, want int) {
		t.Helper()
		l, _ := r.JSON[attr].([]any)
		if len(l) != want {
			t.Errorf("%s has %d values, want %d: %s", attr, len(l), want, r.Body)
		}
		n := 0
		for _, e := range l {
			if get(e, "primary") == true {
				n++
			}
		}
		if len(l) > 0 && n != 1 {
			t.Errorf("%s has %d primary values, want exactly 1: %s", attr, n, r.Body)
		}
	}
	onePrimary(r, "emails", 1)
	// Entra ID's and Okta's usual updates keep the one primary.
	r = call(t, h, "PATCH", "/Users/"+id, patchBody(op("Replace", `emails[type eq "work"].value`, "a.l@corp.example"))).want(t, 200)
	onePrimary(r, "emails", 1)
	r = call(t, h, "PATCH", "/Users/"+id, patchBody(op("add", "emails", []any{map[string]any{"value": "h@x.example", "type": "home", "primary": true}}))).want(t, 200)
	onePrimary(r, "emails", 2)
	if str(r.JSON, "emails.1.value") != "h@x.example" || get(r.JSON, "emails.1.primary") != true {
		t.Errorf("the new primary did not take over: %s", r.Body)
	}

	dupes := map[string]any{
		"userName": "ada@corp.example",
		"emails": []any{
			map[string]any{"value": "ada@corp.example", "type": "work", "primary": true},
			map[string]any{"value": "h@x.example", "type": "home", "primary": true},
			map[string]any{"value": "ADA@corp.example", "type": "Work", "display": "Ada"},
		},
		"phoneNumbers": []any{
			map[string]any{"value": "+1 555", "type": "work"},
			map[string]any{"value": "+1 555", "type": "work", "primary": true},
			map[string]any{"value": "+1 555", "type": "mobile"},
		},
		"addresses": []any{
			map[string]any{"locality": "Leeds", "type": "work", "primary": true},
			map[string]any{"locality": "Leeds", "type": "work"},
			map[string]any{"locality": "York", "type": "work"},
		},
	}
	check := func(r *resp, how string) {
		t.Helper()
		onePrimary(r, "emails", 2)
		onePrimary(r, "phoneNumbers", 2)
		onePrimary(r, "addresses", 2)
		if str(r.JSON, "emails.0.value") != "ada@corp.example" || str(r.JSON, "emails.0.display") != "Ada" || get(r.JSON, "emails.0.primary") != true {
			t.Errorf("%s: the repeated work email was not merged into the first: %s", how, r.Body)
		}
		if get(r.JSON, "phoneNumbers.0.primary") != true || str(r.JSON, "phoneNumbers.1.type") != "mobile" {
			t.Errorf("%s: phoneNumbers %v", how, r.JSON["phoneNumbers"])
		}
		u := st.lastUser()
		if len(u.Emails) != 2 || len(u.PhoneNumbers) != 2 || len(u.Addresses) != 2 {
			t.Errorf("%s: the store got repeats: %+v %+v %+v", how, u.Emails, u.PhoneNumbers, u.Addresses)
		}
	}
	check(call(t, h, "PUT", "/Users/"+id, dupes).want(t, 200), "PUT")
	dupes["userName"] = "bob@corp.example"
	check(call(t, h, "POST", "/Users", dupes).want(t, 201), "POST")
	ops := []map[string]any{}
	for _, a := range []string{"emails", "phoneNumbers", "addresses"} {
		ops = append(ops, op("replace", a, dupes[a]))
	}
	call(t, h, "PATCH", "/Users/"+id, patchBody(op("replace", "emails", []any{map[string]any{"value": "z@x.example"}}))).want(t, 200)
	check(call(t, h, "PATCH", "/Users/"+id, patchBody(ops...)).want(t, 200), "PATCH replace")

	// Group members: one entry per member id, whatever else the repeats carry.
	g := call(t, h, "POST", "/Groups", map[string]any{"displayName": "G", "members": []any{
		map[string]any{"value": id}, map[string]any{"value": id, "display": "Ada", "type": "User"}}}).want(t, 201)
	if l, _ := g.JSON["members"].([]any); len(l) != 1 || len(st.lastGroup().Members) != 1 {
		b, _ := json.Marshal(st.lastGroup().Members)
		t.Errorf("group members %v, store got %s", g.JSON["members"], b)
	}
	gid := str(g.JSON, "id")
	call(t, h, "PUT", "/Groups/"+gid, map[string]any{"displayName": "G", "members": []any{
		map[string]any{"value": id}, map[string]any{"value": id}}}).want(t, 200)
	if n := len(st.lastGroup().Members); n != 1 {
		t.Errorf("PUT handed %d members to the store, want 1", n)
	}
}
