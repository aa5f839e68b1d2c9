package schema_test

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/scimkit/scimkit/schema"
)

// A host declares its own extension schema in Go and adds it to the User resource type.
func ExampleResourceType_WithExtensions() {
	acme := &schema.Schema{
		ID:          "urn:ietf:params:scim:schemas:extension:acme:2.0:User",
		Name:        "AcmeUser",
		Description: "Acme badge data",
		Attributes: []*schema.Attribute{
			{Name: "badge", Type: schema.String, CaseExact: true, Uniqueness: schema.Server},
			{Name: "floor", Type: schema.Integer},
		},
	}
	users := schema.UserResourceType.WithExtensions(schema.Extension{Schema: acme})
	if err := users.Validate(); err != nil {
		fmt.Println(err)
		return
	}

	d := json.NewDecoder(strings.NewReader(`{
		"userName": "ada",
		"urn:ietf:params:scim:schemas:extension:acme:2.0:User": {"Badge": "B-7", "floor": "3"}
	}`))
	d.UseNumber()
	var body map[string]any
	_ = d.Decode(&body)
	tree, _, err := users.Normalize(body, schema.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	out, _ := json.Marshal(tree)
	fmt.Println(string(out))
	// Output:
	// {"urn:ietf:params:scim:schemas:extension:acme:2.0:User":{"badge":"B-7","floor":3},"userName":"ada"}
}

// The same kind of extension schema, read from its RFC 7643 JSON form.
func ExampleParseSchema() {
	s, err := schema.ParseSchema([]byte(`{
		"id": "urn:ietf:params:scim:schemas:extension:acme:2.0:User",
		"name": "AcmeUser",
		"attributes": [
			{"name": "badge", "type": "string", "caseExact": true, "uniqueness": "server"},
			{"name": "desks", "type": "complex", "multiValued": true, "subAttributes": [
				{"name": "value", "type": "string"},
				{"name": "building", "type": "string"}
			]}
		]
	}`))
	if err != nil {
		fmt.Println(err)
		return
	}
	desks := s.Attribute("desks")
	fmt.Println(s.ID, len(s.Attributes), desks.MultiValued, desks.SubAttribute("BUILDING").Name)

	_, err = schema.ParseSchema([]byte(`{"id": "urn:x", "attributes": [{"name": "floor", "type": "int"}]}`))
	fmt.Println(err)
	// Output:
	// urn:ietf:params:scim:schemas:extension:acme:2.0:User 2 true building
	// schema: attribute urn:x:floor: unknown type "int"
}
