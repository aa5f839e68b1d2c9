package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// ENTRA-USER-2: Entra's create body, with meta, roles:[], nulls and unknown schema URNs, normalises to what it means.
func TestNormalizeEntraCreateBody(t *testing.T) {
	runNormCases(t, []normCase{{
		name: "entra body",
		in: `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","` + ent + `",
		  "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/User"],
		 "externalId":"ada.l","userName":"ada.l@contoso.example","active":true,
		 "displayName":"Ada L","title":"Engineer","preferredLanguage":"en-GB",
		 "emails":[{"primary":true,"type":"work","value":"ada.l@contoso.example"}],
		 "name":{"formatted":"Ada L","givenName":"Ada","familyName":"L"},
		 "phoneNumbers":[{"type":"mobile","value":"+44 7700 900123"}],
		 "addresses":[{"type":"work","locality":"Leeds","country":"GB","primary":false}],
		 "meta":{"resourceType":"User"},"roles":[],
		 "` + ent + `":{"employeeNumber":"00412","department":"R&D","costCenter":"CC-9"}}`,
		want: `{"externalId":"ada.l","userName":"ada.l@contoso.example","active":true,
		 "displayName":"Ada L","title":"Engineer","preferredLanguage":"en-GB",
		 "emails":[{"primary":true,"type":"work","value":"ada.l@contoso.example"}],
		 "name":{"formatted":"Ada L","givenName":"Ada","familyName":"L"},
		 "phoneNumbers":[{"type":"mobile","value":"+44 7700 900123"}],
		 "addresses":[{"type":"work","locality":"Leeds","country":"GB","primary":false}],
		 "` + ent + `":{"employeeNumber":"00412","department":"R&D","costCenter":"CC-9"}}`,
	}, {
		name: "nulls are absent",
		in:   `{"userName":"a","phoneNumbers":null,"manager":null,"name":{"givenName":null},"emails":[null,{"value":null}],"` + ent + `":{"manager":null,"department":null}}`,
		want: `{"userName":"a"}`,
		// manager is an enterprise attribute: at top level it is unknown, even when null.
		unknown: []string{"manager"},
	}, {
		name:    "unknown urn data is dropped and reported",
		in:      `{"userName":"a","urn:ietf:params:scim:schemas:extension:acme:2.0:User":{"badge":"7","deep":[[[{"x":1}]]]}}`,
		want:    `{"userName":"a"}`,
		unknown: []string{"urn:ietf:params:scim:schemas:extension:acme:2.0:User"},
	}, {
		name:    "unknown urn-qualified attribute",
		in:      `{"userName":"a","urn:ietf:params:scim:schemas:extension:acme:2.0:User:badge":"7"}`,
		want:    `{"userName":"a"}`,
		unknown: []string{"urn:ietf:params:scim:schemas:extension:acme:2.0:User:badge"},
	}, {
		name: "empty values are absent",
		in:   `{"userName":"a","roles":[],"name":{},"emails":[{}],"` + ent + `":{}}`,
		want: `{"userName":"a"}`,
	}, {
		name: "empty strings stand",
		in:   `{"userName":"a","title":"","name":{"givenName":""}}`,
		want: `{"userName":"a","title":"","name":{"givenName":""}}`,
	}})
}

// ENTRA-PATCH-3: "True"/"False" in any letter case are Booleans unless strict.
func TestNormalizeStringBooleans(t *testing.T) {
	runNormCases(t, []normCase{
		{name: "True", in: `{"active":"True"}`, want: `{"active":true}`},
		{name: "False", in: `{"active":"False"}`, want: `{"active":false}`},
		{name: "FALSE", in: `{"active":"FALSE"}`, want: `{"active":false}`},
		{name: "tRuE in emails.primary", in: `{"emails":[{"value":"x","primary":"tRuE"}]}`, want: `{"emails":[{"value":"x","primary":true}]}`},
		{name: "roles.primary", in: `{"roles":[{"value":"r","primary":"false"}]}`, want: `{"roles":[{"value":"r","primary":false}]}`},
		{name: "json bool", in: `{"active":false}`, want: `{"active":false}`},
		{name: "other string", in: `{"active":"yes"}`, err: "active must be a boolean, got a string", errPath: "active"},
		{name: "number", in: `{"active":1}`, err: "must be a boolean, got a number", errPath: "active"},
		{name: "padded", in: `{"active":" true"}`, err: "must be a boolean", errPath: "active"},
		{name: "strict", strict: true, in: `{"active":"True"}`, err: "must be a boolean, got a string", errPath: "active"},
		{name: "strict json bool", strict: true, in: `{"active":true}`, want: `{"active":true}`},
	})
}

// ENTRA-PATCH-7: every manager form Entra ID sends becomes the complex form.
func TestNormalizeManagerForms(t *testing.T) {
	want := `{"` + ent + `":{"manager":{"value":"u-2"}}}`
	runNormCases(t, []normCase{
		{name: "bare string", in: `{"` + ent + `":{"manager":"u-2"}}`, want: want},
		{name: "object", in: `{"` + ent + `":{"manager":{"value":"u-2"}}}`, want: want},
		{name: "one-element array", in: `{"` + ent + `":{"manager":[{"value":"u-2","$ref":"https://h/scim/Users/u-2"}]}}`,
			want: `{"` + ent + `":{"manager":{"value":"u-2","$ref":"https://h/scim/Users/u-2"}}}`},
		{name: "urn-qualified key", in: `{"` + ent + `:manager":"u-2"}`, want: want},
		{name: "urn-qualified sub-attribute key", in: `{"` + strings.ToUpper(ent) + `:Manager.Value":"u-2"}`, want: want},
		{name: "displayName is readOnly", in: `{"` + ent + `":{"manager":{"value":"u-2","displayName":"Boss"}}}`, want: want},
		{name: "empty string is absent", in: `{"` + ent + `":{"manager":""}}`, want: `{}`},
		{name: "empty array is absent", in: `{"` + ent + `":{"manager":[]}}`, want: `{}`},
		{name: "two-element array", in: `{"` + ent + `":{"manager":[{"value":"a"},{"value":"b"}]}}`,
			err: "must be a JSON object, got an array of 2 values", errPath: ent + ":manager"},
		{name: "nested array", in: `{"` + ent + `":{"manager":[["u-2"]]}}`, err: "must be a JSON object", errPath: ent + ":manager"},
		{name: "number", in: `{"` + ent + `":{"manager":7}}`, err: "must be a JSON object, got a number", errPath: ent + ":manager"},
		{name: "strict bare string", strict: true, in: `{"` + ent + `":{"manager":"u-2"}}`, err: "must be a JSON object, got a string", errPath: ent + ":manager"},
		{name: "strict array", strict: true, in: `{"` + ent + `":{"manager":[{"value":"u-2"}]}}`, err: "must be a JSON object, got an array of 1 value", errPath: ent + ":manager"},
		{name: "strict object", strict: true, in: `{"` + ent + `":{"manager":{"value":"u-2"}}}`, want: want},
	})
}

// RFC-ATTR-2: member names and URNs in any letter case come out canonical; one attribute given twice is an error.
func TestNormalizeNamesIgnoreCase(t *testing.T) {
	runNormCases(t, []normCase{{
		name: "mixed case",
		in: `{"USERNAME":"a","Name":{"GIVENNAME":"Ada","familyname":"L"},"EMAILS":[{"Value":"x","TYPE":"work","Primary":true}],
		 "` + strings.ToUpper(ent) + `":{"Department":"R&D","MANAGER":{"VALUE":"u-2"}},"ExternalID":"e","Active":true,"SCHEMAS":["x"]}`,
		want: `{"userName":"a","name":{"givenName":"Ada","familyName":"L"},"emails":[{"value":"x","type":"work","primary":true}],
		 "` + ent + `":{"department":"R&D","manager":{"value":"u-2"}},"externalId":"e","active":true}`,
	}, {
		name: "extension map and urn-qualified keys merge",
		in:   `{"` + ent + `":{"department":"R&D"},"urn:IETF:params:scim:schemas:extension:enterprise:2.0:user:costCenter":"C"}`,
		want: `{"` + ent + `":{"department":"R&D","costCenter":"C"}}`,
	}, {
		name: "core urn-qualified key",
		in:   `{"urn:ietf:params:scim:schemas:core:2.0:User:userName":"a"}`,
		want: `{"userName":"a"}`,
	}, {
		name: "core urn map",
		in:   `{"urn:ietf:params:scim:schemas:core:2.0:User":{"userName":"a","name":{"givenName":"A"}}}`,
		want: `{"userName":"a","name":{"givenName":"A"}}`,
	}, {
		name: "dotted key merges with the complex value",
		in:   `{"name":{"familyName":"L"},"Name.GivenName":"Ada"}`,
		want: `{"name":{"familyName":"L","givenName":"Ada"}}`,
	}, {
		name:    "same attribute twice",
		in:      `{"userName":"a","USERNAME":"b"}`,
		err:     "userName is given more than once",
		errPath: "userName",
	}, {
		name:    "dotted key clashes",
		in:      `{"name":{"givenName":"A"},"name.givenName":"B"}`,
		err:     "given more than once",
		errPath: "name.givenName",
	}, {
		name:    "sub-attribute twice",
		in:      `{"name":{"givenName":"A","GIVENNAME":"B"}}`,
		err:     "name.givenName is given more than once",
		errPath: "name.givenName",
	}, {
		name:    "extension twice",
		in:      `{"` + ent + `":{"department":"A"},"` + ent + `:department":"B"}`,
		err:     "given more than once",
		errPath: ent + ":department",
	}, {
		name: "null does not clash",
		in:   `{"userName":"a","USERNAME":null}`,
		want: `{"userName":"a"}`,
	}})
}

// RFC-MUT-1: readOnly attributes in a body are ignored, whatever their values.
func TestNormalizeDropsReadOnly(t *testing.T) {
	runNormCases(t, []normCase{{
		name: "user",
		in: `{"id":"u-1","userName":"a","meta":{"resourceType":"User","created":"not a date","version":7},
		 "groups":[{"value":"g"}],"Groups":"junk","` + ent + `":{"manager":{"value":"u-2","displayName":"B"}},
		 "meta.created":"x","password":"p4ss"}`,
		want: `{"userName":"a","password":"p4ss","` + ent + `":{"manager":{"value":"u-2"}}}`,
	}, {
		name: "group",
		rt:   GroupResourceType,
		in:   `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:Group"],"id":"g-1","displayName":"Ops","meta":{"resourceType":"Group"},"members":[{"value":"u-7","$ref":null},{"value":"u-8","display":"ada","type":"User"}]}`,
		want: `{"displayName":"Ops","members":[{"value":"u-7"},{"value":"u-8","display":"ada","type":"User"}]}`,
	}, {
		name: "discovery schema is all readOnly",
		rt:   &ResourceType{Schema: ServiceProviderConfigSchema},
		in:   `{"patch":{"supported":true}}`,
		want: `{}`,
	}})
}

func TestNormalizeUnknown(t *testing.T) {
	runNormCases(t, []normCase{{
		name:    "reported sorted, once, as written",
		in:      `{"userName":"a","nickname2":"x","Name":{"givenName":"A","Nick":"n"},"emails":[{"value":"a","Label":1},{"value":"b","Label":2}],"` + ent + `":{"Badge":"7"},"zzz":{"deep":[[[[1]]]]}}`,
		want:    `{"userName":"a","name":{"givenName":"A"},"emails":[{"value":"a"},{"value":"b"}]}`,
		unknown: []string{"emails.Label", "name.Nick", "nickname2", ent + ":Badge", "zzz"},
	}, {
		name:    "dotted unknowns",
		in:      `{"name.nick":"n","emails.value":"x","nope.x":"y"}`,
		want:    `{}`,
		unknown: []string{"emails.value", "name.nick", "nope.x"},
	}, {
		name:    "strict unknown",
		strict:  true,
		in:      `{"userName":"a","nickname2":"x"}`,
		err:     `unknown attribute "nickname2"`,
		errPath: "nickname2",
	}, {
		name:    "strict unknown sub-attribute",
		strict:  true,
		in:      `{"name":{"Nick":"n"}}`,
		err:     "unknown attribute",
		errPath: "name.Nick",
	}, {
		name:    "strict unknown urn",
		strict:  true,
		in:      `{"urn:x:y":{}}`,
		err:     "unknown attribute",
		errPath: "urn:x:y",
	}, {
		name:    "strict unknown extension attribute",
		strict:  true,
		in:      `{"` + ent + `":{"badge":1}}`,
		err:     "unknown attribute",
		errPath: ent + ":badge",
	}, {
		name:   "strict ignores schemas and readOnly",
		strict: true,
		in:     `{"schemas":["urn:whatever"],"id":"x","meta":{},"userName":"a"}`,
		want:   `{"userName":"a"}`,
	}})
}

// TestNormalizePrimary: at most one primary value survives.
func TestNormalizePrimary(t *testing.T) {
	runNormCases(t, []normCase{
		{name: "two primaries", in: `{"emails":[{"value":"a","primary":false},{"value":"b","primary":true},{"value":"c","primary":"True"}]}`,
			want: `{"emails":[{"value":"a","primary":false},{"value":"b","primary":true},{"value":"c","primary":false}]}`},
		{name: "one primary", in: `{"addresses":[{"country":"GB","primary":true},{"country":"FR"}]}`,
			want: `{"addresses":[{"country":"GB","primary":true},{"country":"FR"}]}`},
		{name: "strict", strict: true, in: `{"phoneNumbers":[{"value":"1","primary":true},{"value":"2","primary":true}]}`,
			err: "more than one value of phoneNumbers has primary true", errPath: "phoneNumbers"},
	})
}

func TestNormalizeDoesNotAlias(t *testing.T) {
	in := decode(t, `{"name":{"givenName":"A"},"emails":[{"value":"a"}],"`+ent+`":{"department":"D"}}`)
	out, _, err := UserResourceType.Normalize(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	out["name"].(map[string]any)["givenName"] = "changed"
	out["emails"].([]any)[0].(map[string]any)["value"] = "changed"
	out[ent].(map[string]any)["department"] = "changed"
	if mustJSON(t, in) != canon(t, `{"name":{"givenName":"A"},"emails":[{"value":"a"}],"`+ent+`":{"department":"D"}}`) {
		t.Errorf("output aliases input: %s", mustJSON(t, in))
	}
}

func TestNormalizeGoValues(t *testing.T) {
	in := map[string]any{"i": float64(3), "d": 2.5, "is": []any{int(1), int64(2)}, "t": "2015-01-23T04:56:22"}
	out, _, err := typed.Normalize(in, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]any{"i": json.Number("3"), "d": json.Number("2.5"), "is": []any{json.Number("1"), json.Number("2")}, "t": "2015-01-23T04:56:22"}
	if !reflect.DeepEqual(out, want) {
		t.Errorf("out = %#v", out)
	}
	if _, _, err := typed.Normalize(map[string]any{"i": 2.5}, Options{}); err == nil {
		t.Error("2.5 accepted as integer")
	}
	if _, _, err := typed.Normalize(map[string]any{"x": struct{}{}, "i": []int{1}}, Options{}); err == nil {
		t.Error("[]int accepted as integer")
	}
}

// TestNormalizeDepth: deep JSON under an unknown key costs nothing, and a cyclic
// hand-made schema stops at maxDepth instead of overflowing the stack.
func TestNormalizeDepth(t *testing.T) {
	var deep any = "x"
	for range 100000 {
		deep = []any{map[string]any{"a": deep}}
	}
	out, unknown, err := UserResourceType.Normalize(map[string]any{"userName": "a", "junk": deep, "name": map[string]any{"junk": deep}}, Options{})
	if err != nil || len(out) != 1 || !reflect.DeepEqual(unknown, []string{"junk", "name.junk"}) {
		t.Fatalf("out %v unknown %v err %v", out, unknown, err)
	}

	node := &Attribute{Name: "node", Type: Complex}
	node.SubAttributes = []*Attribute{node, {Name: "v", Type: String}}
	cyclic := &ResourceType{Schema: &Schema{ID: "urn:x", Attributes: []*Attribute{node}}}
	var v any = map[string]any{"v": "leaf"}
	for range 1000 {
		v = map[string]any{"node": v}
	}
	_, _, err = cyclic.Normalize(map[string]any{"node": v}, Options{})
	var se *Error
	if !errors.As(err, &se) || !strings.Contains(se.Detail, "nested too deeply") {
		t.Fatalf("err = %v", err)
	}
	// Within the bound the cyclic schema works.
	out, _, err = cyclic.Normalize(map[string]any{"node": map[string]any{"node": map[string]any{"v": "leaf"}}}, Options{})
	if err != nil || mustJSON(t, out) != `{"node":{"node":{"v":"leaf"}}}` {
		t.Fatalf("out %v err %v", out, err)
	}
}

// TestNormalizeDeterministic: the same body gives byte-identical output, unknown list
// and error every time, whatever the map order.
func TestNormalizeDeterministic(t *testing.T) {
	body := `{"b1":1,"a1":2,"userName":"u","USERNAME":"v","c1":3,"emails":[{"value":"a","x":1,"y":2}]}`
	var first string
	for i := range 50 {
		_, _, err := UserResourceType.Normalize(decode(t, body), Options{})
		if i == 0 {
			first = err.Error()
		} else if err.Error() != first {
			t.Fatalf("error changed: %q then %q", first, err)
		}
	}
	body = `{"b1":1,"a1":2,"userName":"u","c1":3,"emails":[{"value":"a","x":1,"y":2}]}`
	var firstOut []byte
	for i := range 50 {
		out, unknown, err := UserResourceType.Normalize(decode(t, body), Options{})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.Marshal([]any{out, unknown})
		if i == 0 {
			firstOut = b
		} else if !bytes.Equal(b, firstOut) {
			t.Fatalf("output changed: %s then %s", firstOut, b)
		}
	}
}
