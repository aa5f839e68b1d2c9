package patch_test

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/scimkit/scimkit/patch"
	"github.com/scimkit/scimkit/schema"
)

// decode reads a resource tree as package schema expects it: numbers as json.Number.
func decode(s string) map[string]any {
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		panic(err)
	}
	return m
}

func show(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// Entra ID updates a user: a filtered path for the work email, a dotted path, and the
// string "False" for a boolean, with its capitalised op names.
func ExampleApply() {
	user := decode(`{"id":"u-7","userName":"ada@contoso.example","active":true,
		"name":{"givenName":"Ada","familyName":"L"},
		"emails":[{"type":"home","value":"ada@home.example"}]}`)

	req, err := patch.Parse([]byte(`{
		"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
		"Operations":[
			{"op":"Replace","path":"emails[type eq \"work\"].value","value":"ada@contoso.example"},
			{"op":"Replace","path":"name.familyName","value":"Lovelace"},
			{"op":"Replace","path":"active","value":"False"}]}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	updated, res, err := patch.Apply(schema.UserResourceType, user, req, patch.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(res.Changed, res.ChangedAttributes)
	fmt.Println(show(updated["emails"]))
	fmt.Println(show(updated["name"]), updated["active"])
	fmt.Println(show(user["name"]), user["active"]) // the input is unchanged
	// Output:
	// true [emails name active]
	// [{"type":"home","value":"ada@home.example"},{"type":"work","value":"ada@contoso.example"}]
	// {"familyName":"Lovelace","givenName":"Ada"} false
	// {"familyName":"L","givenName":"Ada"} true
}

// An operation on an attribute the resource type lacks is skipped and reported by
// default, and rejected in strict mode; nothing is applied then.
func ExampleApply_strict() {
	user := decode(`{"id":"u-7","userName":"ada"}`)
	req, _ := patch.Parse([]byte(`{"Operations":[
		{"op":"add","path":"title","value":"Lead"},
		{"op":"add","path":"urn:ietf:params:scim:schemas:extension:acme:2.0:User:badge","value":"7"}]}`))

	updated, res, err := patch.Apply(schema.UserResourceType, user, req, patch.Options{})
	fmt.Println(show(updated), res.Skipped, err)

	_, _, err = patch.Apply(schema.UserResourceType, user, req, patch.Options{Strict: true})
	fmt.Println(err.(*patch.Error).ScimType(), err)
	// Output:
	// {"id":"u-7","title":"Lead","userName":"ada"} [{1 urn:ietf:params:scim:schemas:extension:acme:2.0:User:badge}] <nil>
	// invalidPath patch: operation 1: unknown attribute "urn:ietf:params:scim:schemas:extension:acme:2.0:User:badge"
}

// Parse reports malformed requests with the scimType of the answer and the index of the
// operation at fault.
func ExampleParse() {
	_, err := patch.Parse([]byte(`{"Operations":[
		{"op":"Add","path":"members","value":[{"value":"u-1"}]},
		{"op":"remove"}]}`))
	fmt.Println(err.(*patch.Error).ScimType(), err)
	// Output:
	// noTarget patch: operation 1: remove needs a path
}

// Okta renames a group and changes its membership; MemberOps gives the net effect, which
// a store can apply without reading the group's members.
func ExampleRequest_MemberOps() {
	req, _ := patch.Parse([]byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
		{"op":"replace","value":{"id":"g-5","displayName":"Design"}},
		{"op":"remove","path":"members[value eq \"u-4\"]"},
		{"op":"add","path":"members","value":[{"value":"u-1","display":"ada@corp.example"},{"value":"u-9"}]},
		{"op":"remove","path":"members","value":[{"value":"u-9"}]}]}`))

	mo, ok := req.MemberOps("g-5")
	fmt.Printf("%v %s %q %+v\n", ok, *mo.DisplayName, mo.Remove, mo.Add)

	// Replacing the whole member list is left to Apply.
	req, _ = patch.Parse([]byte(`{"Operations":[{"op":"replace","path":"members","value":[]}]}`))
	_, ok = req.MemberOps("g-5")
	fmt.Println(ok)
	// Output:
	// true Design ["u-4" "u-9"] [{Value:u-1 Display:ada@corp.example Type:}]
	// false
}
