package scim_test

import (
	"strings"
	"testing"

	"github.com/scimkit/scimkit/schema"
	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/scim/memstore"
)

// TestHostExtensionAttributes declares a host extension schema: Entra sends
// custom attributes under their URN (ENTRA-USER-1, ENTRA-USER-2).
// ENTRA-USER-1, ENTRA-USER-2: custom attributes under the host's extension URN are stored, projected, patched, filtered and described.
func TestHostExtensionAttributes(t *testing.T) {
	h := newAcmeHandler(t)
	body := user("x@x.example")
	body[acmeURN] = map[string]any{"badge": "B-7", "secretCode": "42", "DESKS": []any{map[string]any{"Floor": 3, "building": "HQ"}}}
	r := call(t, h, "POST", "/Users", body).want(t, 201)
	id := str(r.JSON, "id")
	e, _ := r.JSON[acmeURN].(map[string]any)
	if e["badge"] != "B-7" || e["secretCode"] != nil || !strings.Contains(r.Body, `"schemas":["`+sUser+`","`+acmeURN+`"]`) {
		t.Errorf("create: %s", r.Body)
	}
	if !strings.Contains(r.Body, `"desks":[{"building":"HQ","floor":3}]`) {
		t.Errorf("complex extension attribute: %s", r.Body)
	}
	r = call(t, h, "GET", "/Users/"+id+"?excludedAttributes="+acmeURN+":desks.floor", nil).want(t, 200)
	if !strings.Contains(r.Body, `"desks":[{"building":"HQ"}]`) {
		t.Errorf("excluded sub-attribute of an extension: %s", r.Body)
	}
	r = call(t, h, "GET", "/Users/"+id+"?attributes="+acmeURN+":secretCode", nil).want(t, 200)
	if e, _ := r.JSON[acmeURN].(map[string]any); e["secretCode"] != "42" {
		t.Errorf("returned:request attribute not returned on request: %s", r.Body)
	}
	r = call(t, h, "PATCH", "/Users/"+id, patchBody(op("replace", acmeURN+":badge", "B-8"))).want(t, 200)
	if e, _ := r.JSON[acmeURN].(map[string]any); e["badge"] != "B-8" {
		t.Errorf("patch: %s", r.Body)
	}
	if n := num(call(t, h, "GET", "/Users?filter="+urlQuery(acmeURN+`:badge eq "B-8"`), nil).want(t, 200).JSON["totalResults"]); n != 1 {
		t.Errorf("filter on extension found %d", n)
	}
	sch := call(t, h, "GET", "/Schemas/"+acmeURN, nil).want(t, 200)
	if !strings.Contains(sch.Body, `"name":"badge"`) {
		t.Errorf("/Schemas: %s", sch.Body)
	}
	rt := call(t, h, "GET", "/ResourceTypes/User", nil).want(t, 200)
	if !strings.Contains(rt.Body, acmeURN) {
		t.Errorf("/ResourceTypes/User: %s", rt.Body)
	}
	if _, err := scim.NewHandler(scim.Config{Users: memstore.New(memstore.Options{}), Auth: scim.NoAuth(), UserExtensions: []schema.Extension{{Schema: schema.EnterpriseUser}}}); err == nil {
		t.Error("a clash with the enterprise URN was accepted")
	}
}
