package scim_test

import (
	"testing"

	"github.com/scimkit/scimkit/scim"
)

// ENTRA-PATCH-7, TRAP-18: an unknown manager id is stored as sent, since Entra ID provisions
// users in any order.
func TestUnknownManagerIsStoredAsSent(t *testing.T) {
	h, _ := newHandler(t)
	body := user("e@x.example")
	body[sEnt] = map[string]any{"manager": map[string]any{"value": "not-yet-provisioned"}}
	id := mustCreate(t, h, body)
	if got := managerOf(call(t, h, "GET", "/Users/"+id, nil).want(t, 200).JSON); got != "not-yet-provisioned" {
		t.Errorf("manager %q after create", got)
	}
	r := call(t, h, "PATCH", "/Users/"+id, patchBody(op("replace", sEnt+":manager", "later"))).want(t, 200)
	if got := managerOf(r.JSON); got != "later" {
		t.Errorf("manager %q after PATCH: %s", got, r.Body)
	}
}

// Config.Strict refuses a manager id that names no user of the tenant.
func TestStrictRefusesUnknownManager(t *testing.T) {
	h, _ := newHandler(t, func(c *scim.Config) { c.Strict = true })
	body := user("e@x.example")
	body[sEnt] = map[string]any{"manager": map[string]any{"value": "ghost"}}
	call(t, h, "POST", "/Users", body).want(t, 400, "invalidValue")
	id := mustCreate(t, h, user("f@x.example"))
	call(t, h, "PATCH", "/Users/"+id, patchBody(op("replace", sEnt+":manager", map[string]any{"value": "ghost"}))).want(t, 400, "invalidValue")
	m := mustCreate(t, h, user("m@x.example"))
	call(t, h, "PATCH", "/Users/"+id, patchBody(op("replace", sEnt+":manager", map[string]any{"value": m}))).want(t, 200)
}

// managerOf returns the manager id of a user body.
func managerOf(body map[string]any) string {
	ent, _ := body[sEnt].(map[string]any)
	return str(ent, "manager.value")
}
