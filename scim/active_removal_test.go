package scim_test

import "testing"

// TRAP-16: {"op":"remove","path":"active"} leaves active unassigned, which never
// reads as true: a disabled account stays disabled.
func TestRemovedActiveNeverEnablesAccount(t *testing.T) {
	h, _ := newHandler(t)
	body := user("off@x.example")
	body["active"] = false
	id := mustCreate(t, h, body)
	for _, p := range []string{"active", "urn:ietf:params:scim:schemas:core:2.0:User:active"} {
		r := call(t, h, "PATCH", "/Users/"+id, patchBody(op("remove", p, nil))).want(t, 200)
		if r.JSON["active"] != false {
			t.Errorf("PATCH remove %s answered active %v: %s", p, r.JSON["active"], r.Body)
		}
		if got := call(t, h, "GET", "/Users/"+id, nil).want(t, 200).JSON["active"]; got != false {
			t.Errorf("after remove %s the user reads active %v", p, got)
		}
	}
	r := call(t, h, "PUT", "/Users/"+id, map[string]any{"userName": "off@x.example", "active": nil}).want(t, 200)
	if r.JSON["active"] != false {
		t.Errorf("PUT active null answered active %v", r.JSON["active"])
	}
}

// Removing active from an active account disables it, and the event says so.
func TestRemovedActiveDisablesActiveAccount(t *testing.T) {
	h, _ := newHandler(t)
	id := mustCreate(t, h, user("on@x.example"))
	r := call(t, h, "PATCH", "/Users/"+id, patchBody(op("remove", "active", nil))).want(t, 200)
	if r.JSON["active"] != false {
		t.Errorf("active %v after remove, want false", r.JSON["active"])
	}
}

// A user created without active is active, as Entra ID and Okta expect.
func TestCreateWithoutActiveIsActive(t *testing.T) {
	h, _ := newHandler(t)
	id := mustCreate(t, h, user("new@x.example"))
	if got := call(t, h, "GET", "/Users/"+id, nil).want(t, 200).JSON["active"]; got != true {
		t.Errorf("active %v, want true", got)
	}
}
