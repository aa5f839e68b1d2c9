package scim_test

import (
	"strings"
	"testing"

	"github.com/scimkit/scimkit/scim"
)

// RFC-DISC-1: /ServiceProviderConfig carries every RFC 7643 section 5 field, with values that match what the Handler does.
func TestServiceProviderConfigIsTruthful(t *testing.T) {
	h, _ := newHandler(t, func(c *scim.Config) { c.BaseURL = "https://app.example/scim/v2/" })
	r := call(t, h, "GET", "/ServiceProviderConfig", nil).want(t, 200)
	s := r.JSON
	checks := map[string]any{
		"patch.supported": true, "bulk.supported": false, "filter.supported": true,
		"changePassword.supported": false, "sort.supported": true, "etag.supported": true,
		"authenticationSchemes.0.type": "oauthbearertoken", "authenticationSchemes.0.primary": true,
		"authenticationSchemes.0.specUri": "https://www.rfc-editor.org/info/rfc6750",
		"meta.resourceType":               "ServiceProviderConfig", "meta.location": "https://app.example/scim/v2/ServiceProviderConfig",
	}
	for p, want := range checks {
		if got := get(s, p); got != want {
			t.Errorf("%s = %#v, want %#v", p, got, want)
		}
	}
	if num(get(s, "bulk.maxOperations")) != 0 || num(get(s, "bulk.maxPayloadSize")) != 0 || num(get(s, "filter.maxResults")) != 1000 {
		t.Errorf("bulk/filter numbers: %s", r.Body)
	}
	if !strings.Contains(r.Body, "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig") {
		t.Error("schemas missing")
	}
}

// RFC-DISC-2: /Schemas lists User, EnterpriseUser and (with a GroupStore) Group, with accurate characteristics and no nulls.
func TestSchemasEndpointDescribesResources(t *testing.T) {
	h, _ := newHandler(t)
	r := call(t, h, "GET", "/Schemas", nil).want(t, 200)
	if num(r.JSON["totalResults"]) != 3 || strings.Contains(r.Body, "null") {
		t.Errorf("/Schemas: %s", r.Body)
	}
	var userSchema map[string]any
	for _, s := range r.JSON["Resources"].([]any) {
		if str(s, "id") == sUser {
			userSchema = s.(map[string]any)
		}
	}
	attr := func(name string) map[string]any {
		for _, a := range userSchema["attributes"].([]any) {
			if str(a, "name") == name {
				return a.(map[string]any)
			}
		}
		return nil
	}
	un := attr("userName")
	if un["required"] != true || un["caseExact"] != false || un["uniqueness"] != "server" || un["mutability"] != "readWrite" {
		t.Errorf("userName definition: %v", un)
	}
	pw := attr("password")
	if pw["mutability"] != "writeOnly" || pw["returned"] != "never" {
		t.Errorf("password definition: %v", pw)
	}
	one := call(t, h, "GET", "/Schemas/"+sGroup, nil).want(t, 200)
	if str(one.JSON, "id") != sGroup || !strings.Contains(one.Body, `"members"`) || !strings.Contains(one.Body, `"$ref"`) {
		t.Errorf("/Schemas/Group: %s", one.Body)
	}
	call(t, h, "GET", "/Schemas/urn:nope", nil).want(t, 404)
	noGroups, _ := newHandler(t, func(c *scim.Config) { c.Groups = nil })
	if n := num(call(t, noGroups, "GET", "/Schemas", nil).JSON["totalResults"]); n != 2 {
		t.Errorf("/Schemas without groups lists %d", n)
	}
}

// RFC-DISC-3: /ResourceTypes has User with the enterprise extension and Group; without a GroupStore, Group is 404.
func TestResourceTypesFollowTheStores(t *testing.T) {
	h, _ := newHandler(t)
	r := call(t, h, "GET", "/ResourceTypes", nil).want(t, 200)
	if num(r.JSON["totalResults"]) != 2 {
		t.Errorf("%s", r.Body)
	}
	u := call(t, h, "GET", "/ResourceTypes/User", nil).want(t, 200).JSON
	if u["endpoint"] != "/Users" || u["schema"] != sUser || str(u, "schemaExtensions.0.schema") != sEnt || get(u, "schemaExtensions.0.required") != false {
		t.Errorf("/ResourceTypes/User: %v", u)
	}
	g := call(t, h, "GET", "/ResourceTypes/Group", nil).want(t, 200).JSON
	if g["endpoint"] != "/Groups" {
		t.Errorf("%v", g)
	}
	noGroups, _ := newHandler(t, func(c *scim.Config) { c.Groups = nil })
	call(t, noGroups, "GET", "/ResourceTypes/Group", nil).want(t, 404)
	call(t, noGroups, "GET", "/Groups/g-1", nil).want(t, 404)
	call(t, noGroups, "POST", "/Groups", `{"displayName":"x"}`).want(t, 404)
}
