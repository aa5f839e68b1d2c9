package schema_test

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/scimkit/scimkit/schema"
)

func ExampleResourceType_Lookup() {
	for _, path := range []string{
		"NAME.GIVENNAME",
		"urn:ietf:params:scim:schemas:extension:enterprise:2.0:user:Manager.Value",
		"meta.lastModified",
		"nickname2",
	} {
		r, ok := schema.UserResourceType.Lookup(path)
		if !ok {
			fmt.Printf("%s: no such attribute\n", path)
			continue
		}
		a := r.Target()
		fmt.Printf("%s: %s (%s, %s, extension %v)\n", path, r, a.Type, a.EffectiveMutability(), r.Extension)
	}
	// Output:
	// NAME.GIVENNAME: name.givenName (string, readWrite, extension false)
	// urn:ietf:params:scim:schemas:extension:enterprise:2.0:user:Manager.Value: urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value (string, readWrite, extension true)
	// meta.lastModified: meta.lastModified (dateTime, readOnly, extension false)
	// nickname2: no such attribute
}

// Normalize turns what an identity provider sends into a canonical resource tree.
func ExampleResourceType_Normalize() {
	body := `{
		"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
		"UserName": "ada@example.com",
		"active": "False",
		"meta": {"resourceType": "User"},
		"roles": [],
		"phoneNumbers": null,
		"emails": [{"value": "ada@example.com", "type": "work", "primary": true}],
		"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager": "u-2",
		"nickname2": "Ada"
	}`
	d := json.NewDecoder(strings.NewReader(body))
	d.UseNumber()
	var in map[string]any
	if err := d.Decode(&in); err != nil {
		fmt.Println(err)
		return
	}
	tree, unknown, err := schema.UserResourceType.Normalize(in, schema.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	out, _ := json.MarshalIndent(tree, "", "  ")
	fmt.Println(string(out))
	fmt.Println("unknown:", unknown)

	// Strict mode rejects the string Boolean.
	_, _, err = schema.UserResourceType.Normalize(in, schema.Options{Strict: true})
	fmt.Println(err)
	// Output:
	// {
	//   "active": false,
	//   "emails": [
	//     {
	//       "primary": true,
	//       "type": "work",
	//       "value": "ada@example.com"
	//     }
	//   ],
	//   "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
	//     "manager": {
	//       "value": "u-2"
	//     }
	//   },
	//   "userName": "ada@example.com"
	// }
	// unknown: [nickname2]
	// schema: attribute active must be a boolean, got a string
}

// Project applies the returned characteristics and the attributes and
// excludedAttributes query parameters.
func ExampleResourceType_Project() {
	tree := map[string]any{
		"id":       "u-1",
		"userName": "ada",
		"password": "secret",
		"name":     map[string]any{"givenName": "Ada", "familyName": "Lovelace"},
		"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": map[string]any{
			"department": "R&D",
		},
	}
	show := func(attributes, excluded []string) {
		b, _ := json.Marshal(schema.UserResourceType.Project(tree, attributes, excluded))
		fmt.Println(string(b))
	}
	show(nil, nil)
	show([]string{"name.givenName"}, nil)
	show(nil, []string{"name", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"})
	// Output:
	// {"id":"u-1","name":{"familyName":"Lovelace","givenName":"Ada"},"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"R\u0026D"},"userName":"ada"}
	// {"id":"u-1","name":{"givenName":"Ada"}}
	// {"id":"u-1","userName":"ada"}
}
