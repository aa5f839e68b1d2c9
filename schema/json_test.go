package schema

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

// noNulls fails if the JSON value holds a null anywhere.
func noNulls(t *testing.T, where string, v any) {
	t.Helper()
	switch x := v.(type) {
	case nil:
		t.Errorf("%s: null member", where)
	case map[string]any:
		for k, e := range x {
			noNulls(t, where+"."+k, e)
		}
	case []any:
		for _, e := range x {
			noNulls(t, where+"[]", e)
		}
	}
}

// RFC-DISC-2: the /Schemas representation has camelCase values, effective defaults written out and no null members.
func TestSchemaJSONWritesDefaultsWithoutNulls(t *testing.T) {
	b, err := json.Marshal(User)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		ID         string            `json:"id"`
		Name       string            `json:"name"`
		Attributes []json.RawMessage `json:"attributes"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if doc.ID != UserURN || doc.Name != "User" || len(doc.Attributes) != len(User.Attributes) {
		t.Fatalf("doc = %s", b)
	}
	want := `{"name":"userName","type":"string","multiValued":false,"description":"Unique identifier the user signs in with. REQUIRED.","required":true,"caseExact":false,"mutability":"readWrite","returned":"default","uniqueness":"server"}`
	if got := string(doc.Attributes[0]); got != want {
		t.Errorf("userName =\n%s\nwant\n%s", got, want)
	}
	var all any
	_ = json.Unmarshal(b, &all)
	noNulls(t, "User", all)

	for _, tt := range []struct {
		attr *Attribute
		want string
	}{
		{User.Attribute("active"), `{"name":"active","type":"boolean","multiValued":false,"description":"Administrative status of the user.","required":false,"mutability":"readWrite","returned":"default"}`},
		{User.Attribute("password"), `{"name":"password","type":"string","multiValued":false,"description":"Clear-text password; set only, never returned.","required":false,"caseExact":false,"mutability":"writeOnly","returned":"never","uniqueness":"none"}`},
		{&Attribute{Name: "x", Type: Reference, ReferenceTypes: []string{"User"}}, `{"name":"x","type":"reference","multiValued":false,"required":false,"caseExact":false,"mutability":"readWrite","returned":"default","uniqueness":"none","referenceTypes":["User"]}`},
		{&Attribute{Name: "c", Type: Complex, MultiValued: true, SubAttributes: []*Attribute{{Name: "v", Type: Integer, CanonicalValues: []string{"1"}}}},
			`{"name":"c","type":"complex","multiValued":true,"required":false,"mutability":"readWrite","returned":"default","subAttributes":[{"name":"v","type":"integer","multiValued":false,"required":false,"canonicalValues":["1"],"mutability":"readWrite","returned":"default","uniqueness":"none"}]}`},
	} {
		b, err := json.Marshal(tt.attr)
		if err != nil || string(b) != tt.want {
			t.Errorf("%s =\n%s (%v)\nwant\n%s", tt.attr.Name, b, err, tt.want)
		}
	}

	// Group members carries value, $ref, type and display.
	b, _ = json.Marshal(Group)
	for _, s := range []string{`"name":"members"`, `"name":"value"`, `"name":"$ref"`, `"name":"type"`, `"name":"display"`, `"canonicalValues":["User","Group"]`, `"mutability":"immutable"`} {
		if !strings.Contains(string(b), s) {
			t.Errorf("Group schema lacks %s", s)
		}
	}
}

func TestSchemaResource(t *testing.T) {
	r := EnterpriseUser.Resource("https://h/scim/Schemas/" + EnterpriseUserURN)
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	noNulls(t, "resource", m)
	if m["id"] != EnterpriseUserURN || m["name"] != "EnterpriseUser" {
		t.Errorf("resource = %s", b)
	}
	if s := m["schemas"].([]any); len(s) != 1 || s[0] != SchemaURN {
		t.Errorf("schemas = %v", s)
	}
	meta := m["meta"].(map[string]any)
	if meta["resourceType"] != "Schema" || meta["location"] != "https://h/scim/Schemas/"+EnterpriseUserURN {
		t.Errorf("meta = %v", meta)
	}
	if n := len(m["attributes"].([]any)); n != 6 {
		t.Errorf("%d attributes", n)
	}
	empty := (&Schema{ID: "urn:x"}).Resource("")
	b, _ = json.Marshal(empty)
	if string(b) != `{"attributes":[],"id":"urn:x","meta":{"resourceType":"Schema"},"schemas":["urn:ietf:params:scim:schemas:core:2.0:Schema"]}` {
		t.Errorf("empty = %s", b)
	}
}

// RFC-DISC-3: the /ResourceTypes representation of User names its endpoint, schema and optional enterprise extension.
func TestResourceTypeJSON(t *testing.T) {
	b, err := json.Marshal(UserResourceType)
	want := `{"id":"User","name":"User","endpoint":"/Users","description":"User Account","schema":"urn:ietf:params:scim:schemas:core:2.0:User","schemaExtensions":[{"schema":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User","required":false}]}`
	if err != nil || string(b) != want {
		t.Errorf("User =\n%s\nwant\n%s", b, want)
	}
	b, _ = json.Marshal(GroupResourceType)
	want = `{"id":"Group","name":"Group","endpoint":"/Groups","description":"Group","schema":"urn:ietf:params:scim:schemas:core:2.0:Group"}`
	if string(b) != want {
		t.Errorf("Group =\n%s\nwant\n%s", b, want)
	}
	b, _ = json.Marshal(UserResourceType.Resource("https://h/ResourceTypes/User"))
	want = `{"description":"User Account","endpoint":"/Users","id":"User","meta":{"location":"https://h/ResourceTypes/User","resourceType":"ResourceType"},"name":"User","schema":"urn:ietf:params:scim:schemas:core:2.0:User","schemaExtensions":[{"schema":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User","required":false}],"schemas":["urn:ietf:params:scim:schemas:core:2.0:ResourceType"]}`
	if string(b) != want {
		t.Errorf("User resource =\n%s\nwant\n%s", b, want)
	}
	b, _ = json.Marshal(GroupResourceType.Resource(""))
	want = `{"description":"Group","endpoint":"/Groups","id":"Group","meta":{"resourceType":"ResourceType"},"name":"Group","schema":"urn:ietf:params:scim:schemas:core:2.0:Group","schemas":["urn:ietf:params:scim:schemas:core:2.0:ResourceType"]}`
	if string(b) != want {
		t.Errorf("Group resource =\n%s\nwant\n%s", b, want)
	}
}

// TestParseSchemaRoundTrip: every built-in schema that Validate accepts reads back
// from its own JSON unchanged.
func TestParseSchemaRoundTrip(t *testing.T) {
	for _, s := range []*Schema{User, Group, EnterpriseUser, ServiceProviderConfigSchema, ResourceTypeSchema} {
		if err := s.Validate(); err != nil {
			t.Errorf("%s: Validate: %v", s.Name, err)
			continue
		}
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		p, err := ParseSchema(b)
		if err != nil {
			t.Errorf("%s: ParseSchema: %v", s.Name, err)
			continue
		}
		b2, _ := json.Marshal(p)
		if string(b) != string(b2) {
			t.Errorf("%s: round trip differs:\n%s\n%s", s.Name, b, b2)
		}
		// The resource form, with schemas and meta, reads back too.
		b3, _ := json.Marshal(s.Resource("https://h/Schemas/" + s.ID))
		if p, err := ParseSchema(b3); err != nil || p.ID != s.ID || len(p.Attributes) != len(s.Attributes) {
			t.Errorf("%s: ParseSchema of the resource form: %v", s.Name, err)
		}
	}
	// The RFC's Schema schema nests complex attributes, which section 2.3.8 forbids.
	if err := SchemaSchema.Validate(); err == nil || !strings.Contains(err.Error(), "must not be complex") {
		t.Errorf("SchemaSchema.Validate() = %v", err)
	}
}

func TestParseSchema(t *testing.T) {
	const good = `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Schema"],
	  "id":"urn:ietf:params:scim:schemas:extension:acme:2.0:User","name":"Acme","description":"Acme data",
	  "attributes":[
	    {"name":"badge","type":"String","multiValued":false,"required":true,"caseExact":true,"mutability":"READWRITE","returned":"Default","uniqueness":"server"},
	    {"name":"level","type":"integer"},
	    {"name":"homepage","type":"reference","referenceTypes":["external"]},
	    {"name":"desks","type":"complex","multiValued":true,"subAttributes":[
	       {"name":"value","type":"string"},{"name":"$ref","type":"reference","referenceTypes":["Desk"]},{"name":"primary","type":"boolean"}]}],
	  "meta":{"resourceType":"Schema"}}`
	s, err := ParseSchema([]byte(good))
	if err != nil {
		t.Fatal(err)
	}
	badge := s.Attribute("badge")
	if s.ID != "urn:ietf:params:scim:schemas:extension:acme:2.0:User" || s.Name != "Acme" || badge == nil ||
		badge.Type != String || !badge.Required || !badge.CaseExact || badge.Mutability != ReadWrite ||
		badge.Returned != Default || badge.Uniqueness != Server {
		t.Errorf("parsed %+v %+v", s, badge)
	}
	if l := s.Attribute("level"); l.Type != Integer || l.Mutability != "" || l.EffectiveMutability() != ReadWrite {
		t.Errorf("level = %+v", l)
	}
	if d := s.Attribute("desks"); !d.MultiValued || d.SubAttribute("$REF") == nil || d.SubAttribute("$ref").ReferenceTypes[0] != "Desk" {
		t.Errorf("desks = %+v", d)
	}

	tests := []struct {
		name, json, err string
	}{
		{"not json", `{`, "schema JSON"},
		{"trailing", `{"id":"urn:x","attributes":[{"name":"a","type":"string"}]} {}`, "data after"},
		{"wrong member type", `{"id":"urn:x","attributes":[{"name":"a","type":"string","required":"yes"}]}`, "attributes.required must not be a JSON string"},
		{"no id", `{"attributes":[{"name":"a","type":"string"}]}`, "must be a URN"},
		{"id not urn", `{"id":"http://x","attributes":[{"name":"a","type":"string"}]}`, "must be a URN"},
		{"id with space", `{"id":"urn:x y","attributes":[{"name":"a","type":"string"}]}`, "must be a URN"},
		{"no attributes", `{"id":"urn:x","attributes":[]}`, "declares no attributes"},
		{"bad name", `{"id":"urn:x","attributes":[{"name":"1a","type":"string"}]}`, `attribute urn:x:1a: invalid name "1a"`},
		{"dotted name", `{"id":"urn:x","attributes":[{"name":"a.b","type":"string"}]}`, "invalid name"},
		{"top-level $ref", `{"id":"urn:x","attributes":[{"name":"$ref","type":"reference"}]}`, "invalid name"},
		{"empty name", `{"id":"urn:x","attributes":[{"type":"string"}]}`, "invalid name"},
		{"twice", `{"id":"urn:x","attributes":[{"name":"a","type":"string"},{"name":"A","type":"string"}]}`, "urn:x:A: declared twice"},
		{"no type", `{"id":"urn:x","attributes":[{"name":"a"}]}`, "missing type"},
		{"unknown type", `{"id":"urn:x","attributes":[{"name":"a","type":"text"}]}`, `unknown type "text"`},
		{"bad mutability", `{"id":"urn:x","attributes":[{"name":"a","type":"string","mutability":"sometimes"}]}`, `unknown mutability "sometimes"`},
		{"bad returned", `{"id":"urn:x","attributes":[{"name":"a","type":"string","returned":"maybe"}]}`, `unknown returned "maybe"`},
		{"bad uniqueness", `{"id":"urn:x","attributes":[{"name":"a","type":"string","uniqueness":"tenant"}]}`, `unknown uniqueness "tenant"`},
		{"subs on string", `{"id":"urn:x","attributes":[{"name":"a","type":"string","subAttributes":[{"name":"b","type":"string"}]}]}`, "only complex attributes have subAttributes"},
		{"complex without subs", `{"id":"urn:x","attributes":[{"name":"a","type":"complex"}]}`, "needs subAttributes"},
		{"nested complex", `{"id":"urn:x","attributes":[{"name":"a","type":"complex","subAttributes":[{"name":"b","type":"complex","subAttributes":[{"name":"c","type":"string"}]}]}]}`, "urn:x:a.b: a sub-attribute must not be complex"},
		{"bad sub name", `{"id":"urn:x","attributes":[{"name":"a","type":"complex","subAttributes":[{"name":"b c","type":"string"}]}]}`, `attribute urn:x:a.b c: invalid name`},
		{"referenceTypes on string", `{"id":"urn:x","attributes":[{"name":"a","type":"string","referenceTypes":["User"]}]}`, "referenceTypes are only for"},
		{"canonicalValues on boolean", `{"id":"urn:x","attributes":[{"name":"a","type":"boolean","canonicalValues":["x"]}]}`, "canonicalValues are not allowed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := ParseSchema([]byte(tt.json))
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Fatalf("ParseSchema = %v, %v; want error containing %q", s, err, tt.err)
			}
			var se *Error
			if !errors.As(err, &se) || se.ScimType() == "" {
				t.Errorf("error %v is not a *Error with a scimType", err)
			}
		})
	}
}

func TestResourceTypeValidate(t *testing.T) {
	acme := &Schema{ID: "urn:acme", Attributes: []*Attribute{{Name: "a", Type: String}}}
	tests := []struct {
		rt  *ResourceType
		err string
	}{
		{UserResourceType, ""},
		{GroupResourceType, ""},
		{UserResourceType.WithExtensions(Extension{Schema: acme}), ""},
		{&ResourceType{Name: "X", Endpoint: "/X", Schema: acme}, "needs an id"},
		{&ResourceType{ID: "X", Name: "X", Endpoint: "X", Schema: acme}, "must start with /"},
		{&ResourceType{ID: "X", Name: "X", Endpoint: "/X"}, "has no schema"},
		{&ResourceType{ID: "X", Name: "X", Endpoint: "/X", Schema: &Schema{ID: "urn:y", Attributes: []*Attribute{{Name: "ID", Type: String}}}}, "redefines the common attribute id"},
		{UserResourceType.WithExtensions(Extension{Schema: &Schema{ID: "urn:bad"}}), "declares no attributes"},
		{UserResourceType.WithExtensions(Extension{}), "nil schema"},
		{UserResourceType.WithExtensions(Extension{Schema: EnterpriseUser}), "listed twice"},
		{UserResourceType.WithExtensions(Extension{Schema: &Schema{ID: strings.ToUpper(UserURN), Attributes: acme.Attributes}}), "URN of the core schema"},
		{UserResourceType.WithExtensions(Extension{Schema: &Schema{ID: EnterpriseUserURN + ":more", Attributes: acme.Attributes}}), "attribute paths would be ambiguous"},
		{&ResourceType{ID: "X", Name: "X", Endpoint: "/X", Schema: &Schema{ID: "urn:y", Attributes: []*Attribute{nil}}}, "attribute 0 is nil"},
	}
	for _, tt := range tests {
		err := tt.rt.Validate()
		if tt.err == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.rt.ID, err)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("Validate() = %v, want %q", err, tt.err)
		}
	}
}
