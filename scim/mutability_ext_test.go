package scim_test

import (
	"strings"
	"testing"
)

// RFC-MUT-1: id, meta and groups in a POST body are ignored; a PATCH of id or meta is 400 mutability.
func TestReadOnlyInputIgnoredOnCreateRefusedInPatch(t *testing.T) {
	h, _ := newHandler(t)
	body := user("ro@x.example")
	body["id"] = "client-chosen"
	body["meta"] = map[string]any{"created": "1999-01-01T00:00:00Z", "resourceType": "Nope"}
	body["groups"] = []any{map[string]any{"value": "g-1"}}
	r := call(t, h, "POST", "/Users", body).want(t, 201)
	if str(r.JSON, "id") == "client-chosen" || str(r.JSON, "meta.resourceType") != "User" || strings.HasPrefix(str(r.JSON, "meta.created"), "1999") || r.JSON["groups"] != nil {
		t.Errorf("readOnly input was used: %s", r.Body)
	}
	id := str(r.JSON, "id")
	call(t, h, "PATCH", "/Users/"+id, patchBody(op("replace", "id", "x"))).want(t, 400, "mutability")
	call(t, h, "PATCH", "/Users/"+id, patchBody(op("replace", "meta.created", "2000-01-01T00:00:00Z"))).want(t, 400, "mutability")
}
