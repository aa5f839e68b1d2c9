package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"
)

// decode decodes JSON as the handler does, with UseNumber.
func decode(t testing.TB, s string) map[string]any {
	t.Helper()
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		t.Fatalf("decode %s: %v", s, err)
	}
	return m
}

func decodeAny(t testing.TB, s string) any {
	t.Helper()
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var v any
	if err := d.Decode(&v); err != nil {
		t.Fatalf("decode %s: %v", s, err)
	}
	return v
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// canon re-encodes JSON text so that two texts can be compared (encoding/json sorts
// map keys).
func canon(t testing.TB, s string) string {
	t.Helper()
	return mustJSON(t, decodeAny(t, s))
}

const ent = EnterpriseUserURN

type normCase struct {
	name    string
	rt      *ResourceType
	strict  bool
	in      string
	want    string   // canonical JSON of the output tree; ignored when err is set
	unknown []string // nil for none
	err     string   // substring of the error, "" for success
	errPath string   // Path of the *Error
}

func runNormCases(t *testing.T, cases []normCase) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rt := c.rt
			if rt == nil {
				rt = UserResourceType
			}
			in := decode(t, c.in)
			before := mustJSON(t, in)
			out, unknown, err := rt.Normalize(in, Options{Strict: c.strict})
			if after := mustJSON(t, in); after != before {
				t.Fatalf("input changed:\n%s\n%s", before, after)
			}
			if c.err != "" {
				var se *Error
				if !errors.As(err, &se) {
					t.Fatalf("err = %v, want *Error containing %q", err, c.err)
				}
				if se.Type != ScimInvalidValue || se.ScimType() != "invalidValue" {
					t.Errorf("scimType = %q", se.Type)
				}
				if !strings.Contains(err.Error(), c.err) {
					t.Errorf("err = %q, want it to contain %q", err, c.err)
				}
				if se.Path != c.errPath {
					t.Errorf("err path = %q, want %q", se.Path, c.errPath)
				}
				if out != nil || unknown != nil {
					t.Errorf("error with results %v %v", out, unknown)
				}
				return
			}
			if err != nil {
				t.Fatalf("unexpected error: %v", err)
			}
			if got, want := mustJSON(t, out), canon(t, c.want); got != want {
				t.Errorf("out =\n%s\nwant\n%s", got, want)
			}
			if !reflect.DeepEqual(unknown, c.unknown) {
				t.Errorf("unknown = %q, want %q", unknown, c.unknown)
			}
			for _, v := range out {
				checkCanonical(t, v)
			}
		})
	}
}

// checkCanonical verifies the resource-tree convention of doc.go: no nil, no empty
// list or map, only the allowed types.
func checkCanonical(t *testing.T, v any) {
	t.Helper()
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 0 {
			t.Errorf("empty map in tree")
		}
		for _, e := range x {
			checkCanonical(t, e)
		}
	case []any:
		if len(x) == 0 {
			t.Errorf("empty list in tree")
		}
		for _, e := range x {
			checkCanonical(t, e)
		}
	case string, bool, json.Number:
	default:
		t.Errorf("value %#v of type %T in tree", v, v)
	}
}

// TestENTRA_USER_2_Create feeds the create body of IDP-COMPAT ENTRA-USER-2, plus the
// nulls of older Entra samples and an unknown schema URN.
func TestENTRA_USER_2_Create(t *testing.T) {
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

// TestENTRA_PATCH_3_StringBooleans: "True"/"False" in any letter case are Booleans
// unless strict.
func TestENTRA_PATCH_3_StringBooleans(t *testing.T) {
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

// TestENTRA_PATCH_7_ManagerForms: every manager form Entra ID sends becomes the
// complex form.
func TestENTRA_PATCH_7_ManagerForms(t *testing.T) {
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

// TestRFC_ATTR_2_CaseInsensitiveNames: member names and URNs in any letter case come
// out canonical.
func TestRFC_ATTR_2_CaseInsensitiveNames(t *testing.T) {
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

// TestRFC_MUT_1_ReadOnlyDropped: readOnly attributes in a body are ignored, whatever
// their values.
func TestRFC_MUT_1_ReadOnlyDropped(t *testing.T) {
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

func TestNormalizeTypes(t *testing.T) {
	runNormCases(t, []normCase{
		{name: "string number", in: `{"userName":5}`, err: "userName must be a string, got a number", errPath: "userName"},
		{name: "string object", in: `{"title":{}}`, err: "title must be a string, got a JSON object", errPath: "title"},
		{name: "string array", in: `{"title":["a"]}`, err: "must be a string, got an array of 1 value", errPath: "title"},
		{name: "sub-attribute", in: `{"emails":[{"value":"a"},{"value":true}]}`, err: "emails.value must be a string, got a boolean", errPath: "emails.value"},
		{name: "extension attribute", in: `{"` + ent + `":{"department":1.5}}`, err: "must be a string", errPath: ent + ":department"},
		{name: "extension not an object", in: `{"` + ent + `":"x"}`, err: "must be a JSON object of its attributes, got a string", errPath: ent},
		{name: "extension array", in: `{"` + ent + `":[{}]}`, err: "must be a JSON object", errPath: ent},
		{name: "extension null", in: `{"` + ent + `":null}`, want: `{}`},
		{name: "complex string", in: `{"name":"Ada"}`, err: "name must be a JSON object, got a string", errPath: "name"},
		{name: "multi element string", in: `{"emails":["a@b"]}`, err: "emails must be a JSON object, got a string", errPath: "emails"},
		{name: "multi nested array", in: `{"emails":[[{"value":"a"}]]}`, err: "must be a JSON object, got an array", errPath: "emails"},
		{name: "reference", in: `{"profileUrl":1}`, err: "must be a string", errPath: "profileUrl"},
		{name: "binary", in: `{"x509Certificates":[{"value":"TUlJ"}]}`, want: `{"x509Certificates":[{"value":"TUlJ"}]}`},
		{name: "single object for array", in: `{"emails":{"value":"a","type":"work"}}`, want: `{"emails":[{"value":"a","type":"work"}]}`},
		{name: "single null for array", in: `{"emails":null}`, want: `{}`},
		{name: "strict single object for array", strict: true, in: `{"emails":{"value":"a"}}`, err: "emails must be an array, got a JSON object", errPath: "emails"},
	})
}

// typed is a resource type with every scalar type, for the conversion tests.
var typed = &ResourceType{ID: "T", Name: "T", Endpoint: "/T", Schema: &Schema{
	ID: "urn:example:typed",
	Attributes: []*Attribute{
		{Name: "i", Type: Integer},
		{Name: "d", Type: Decimal},
		{Name: "t", Type: DateTime},
		{Name: "is", Type: Integer, MultiValued: true},
		{Name: "tags", Type: String, MultiValued: true},
		{Name: "c", Type: Complex, SubAttributes: []*Attribute{
			{Name: "n", Type: Integer, Required: true},
			{Name: "list", Type: String, MultiValued: true},
		}},
		{Name: "odd", Type: "float"},
	},
}}

func TestNormalizeNumbersAndDates(t *testing.T) {
	runNormCases(t, []normCase{
		{name: "integer", rt: typed, in: `{"i":42}`, want: `{"i":42}`},
		{name: "negative", rt: typed, in: `{"i":-7}`, want: `{"i":-7}`},
		{name: "minus zero", rt: typed, in: `{"i":-0}`, want: `{"i":0}`},
		{name: "integral exponent", rt: typed, in: `{"i":1e3}`, want: `{"i":1000}`},
		{name: "integral fraction", rt: typed, in: `{"i":5.0}`, want: `{"i":5}`},
		{name: "fraction", rt: typed, in: `{"i":5.5}`, err: "i must be an integer, got a number", errPath: "i"},
		{name: "int64 overflow", rt: typed, in: `{"i":9223372036854775808}`, err: "must be an integer", errPath: "i"},
		{name: "int64 max", rt: typed, in: `{"i":9223372036854775807}`, want: `{"i":9223372036854775807}`},
		{name: "numeric string", rt: typed, in: `{"i":"12"}`, want: `{"i":12}`},
		{name: "bad numeric string", rt: typed, in: `{"i":"12a"}`, err: "must be an integer, got a string", errPath: "i"},
		{name: "leading zero string", rt: typed, in: `{"i":"012"}`, err: "must be an integer", errPath: "i"},
		{name: "strict numeric string", rt: typed, strict: true, in: `{"i":"12"}`, err: "must be an integer, got a string", errPath: "i"},
		{name: "integer bool", rt: typed, in: `{"i":true}`, err: "must be an integer, got a boolean", errPath: "i"},
		{name: "decimal kept as written", rt: typed, in: `{"d":1.50E+2}`, want: `{"d":1.50E+2}`},
		{name: "decimal string", rt: typed, in: `{"d":"-0.25"}`, want: `{"d":-0.25}`},
		{name: "decimal bad string", rt: typed, in: `{"d":"1."}`, err: "d must be a number, got a string", errPath: "d"},
		{name: "decimal strict string", rt: typed, strict: true, in: `{"d":"1"}`, err: "must be a number", errPath: "d"},
		{name: "dateTime", rt: typed, in: `{"t":"2015-01-23T04:56:22Z"}`, want: `{"t":"2015-01-23T04:56:22Z"}`},
		{name: "dateTime kept as written", rt: typed, in: `{"t":"2015-01-23t04:56:22.5+01:00"}`, want: `{"t":"2015-01-23t04:56:22.5+01:00"}`},
		{name: "dateTime bad", rt: typed, in: `{"t":"yesterday"}`, err: "t must be a dateTime string", errPath: "t"},
		{name: "dateTime number", rt: typed, in: `{"t":5}`, err: "must be a dateTime", errPath: "t"},
		{name: "multi integers", rt: typed, in: `{"is":[1,"2",null,3e0]}`, want: `{"is":[1,2,3]}`},
		{name: "multi strings", rt: typed, in: `{"tags":["a",null,"b"]}`, want: `{"tags":["a","b"]}`},
		{name: "multi single", rt: typed, in: `{"tags":"a"}`, want: `{"tags":["a"]}`},
		{name: "multi bad element", rt: typed, in: `{"tags":["a",1]}`, err: "tags must be a string", errPath: "tags"},
		{name: "sub-attribute lists", rt: typed, in: `{"c":{"n":"1","list":["x"]}}`, want: `{"c":{"n":1,"list":["x"]}}`},
		{name: "unsupported type", rt: typed, in: `{"odd":1}`, err: `unsupported type "float"`, errPath: "odd"},
	})
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

func TestNormalizeValue(t *testing.T) {
	emails := User.Attribute("emails")
	manager := EnterpriseUser.Attribute("manager")
	active := User.Attribute("active")
	tests := []struct {
		a      *Attribute
		v      string
		strict bool
		elem   bool
		want   string // JSON; "null" for nil
		err    string
	}{
		{a: emails, v: `[{"Value":"a","type":"work"}]`, want: `[{"type":"work","value":"a"}]`},
		{a: emails, v: `{"value":"a"}`, want: `[{"value":"a"}]`},
		{a: emails, v: `{"value":"a"}`, strict: true, err: "emails must be an array"},
		{a: emails, v: `[]`, want: `null`},
		{a: emails, v: `{"value":"a"}`, elem: true, want: `{"value":"a"}`},
		{a: emails, v: `[{"value":"a"}]`, elem: true, err: "must be a JSON object, got an array"},
		{a: emails, v: `{"nope":"a"}`, want: `null`},
		{a: emails, v: `[{"nope":"a"}]`, strict: true, err: `unknown attribute "emails.nope"`},
		{a: manager, v: `"u-2"`, want: `{"value":"u-2"}`},
		{a: manager, v: `"u-2"`, elem: true, want: `{"value":"u-2"}`},
		{a: manager, v: `""`, want: `null`},
		{a: manager, v: `null`, want: `null`},
		{a: manager, v: `[{"value":"u-2"}]`, want: `{"value":"u-2"}`},
		{a: active, v: `"False"`, want: `false`},
		{a: active, v: `"False"`, strict: true, err: "active must be a boolean"},
	}
	for _, tt := range tests {
		v := decodeAny(t, tt.v)
		var got any
		var err error
		if tt.elem {
			got, err = NormalizeElement(tt.a, v, Options{Strict: tt.strict})
		} else {
			got, err = NormalizeValue(tt.a, v, Options{Strict: tt.strict})
		}
		if tt.err != "" {
			if err == nil || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("%s %s: err = %v, want %q", tt.a.Name, tt.v, err, tt.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s %s: %v", tt.a.Name, tt.v, err)
			continue
		}
		if g := mustJSON(t, got); g != tt.want {
			t.Errorf("%s %s (elem %v) = %s, want %s", tt.a.Name, tt.v, tt.elem, g, tt.want)
		}
		if tt.want == "null" && got != nil {
			t.Errorf("%s %s: got %#v, want untyped nil", tt.a.Name, tt.v, got)
		}
	}
}

func TestCheckRequired(t *testing.T) {
	acme := &Schema{ID: "urn:example:acme", Attributes: []*Attribute{
		{Name: "badge", Type: String, Required: true},
		{Name: "keys", Type: Complex, MultiValued: true, SubAttributes: []*Attribute{{Name: "k", Type: String, Required: true}}},
	}}
	withAcme := UserResourceType.WithExtensions(Extension{Schema: acme, Required: true})
	optAcme := UserResourceType.WithExtensions(Extension{Schema: acme})
	tests := []struct {
		rt   *ResourceType
		tree string
		path string // "" for no error
	}{
		{UserResourceType, `{"userName":"a"}`, ""},
		{UserResourceType, `{}`, "userName"},
		{UserResourceType, `{"userName":""}`, "userName"},
		{UserResourceType, `{"userName":"a","id":""}`, ""}, // id is readOnly: the server sets it
		{GroupResourceType, `{"displayName":"g"}`, ""},
		{GroupResourceType, `{"members":[{"value":"u"}]}`, "displayName"},
		{typed, `{"c":{"list":["x"]}}`, "c.n"},
		{typed, `{"c":{"n":1}}`, ""},
		{typed, `{}`, ""},
		{withAcme, `{"userName":"a"}`, "urn:example:acme"},
		{withAcme, `{"userName":"a","urn:example:acme":{"keys":[{"k":"1"}]}}`, "urn:example:acme:badge"},
		{withAcme, `{"userName":"a","urn:example:acme":{"badge":"b","keys":[{"k":"1"},{"x":"2"}]}}`, "urn:example:acme:keys.k"},
		{withAcme, `{"userName":"a","urn:example:acme":{"badge":"b","keys":[{"k":"1"}]}}`, ""},
		{optAcme, `{"userName":"a"}`, ""},
		{optAcme, `{"userName":"a","urn:example:acme":{"keys":[{"k":"1"}]}}`, "urn:example:acme:badge"},
	}
	for _, tt := range tests {
		err := tt.rt.CheckRequired(decode(t, tt.tree))
		if tt.path == "" {
			if err != nil {
				t.Errorf("%s: %v", tt.tree, err)
			}
			continue
		}
		var se *Error
		if !errors.As(err, &se) || se.Path != tt.path || se.Type != ScimInvalidValue || !strings.Contains(se.Detail, "missing") {
			t.Errorf("%s: err = %v, want invalidValue at %s", tt.tree, err, tt.path)
		}
	}
}

func TestParseDateTime(t *testing.T) {
	ok := map[string]time.Time{
		"2015-01-23T04:56:22Z":          time.Date(2015, 1, 23, 4, 56, 22, 0, time.UTC),
		"2015-01-23t04:56:22z":          time.Date(2015, 1, 23, 4, 56, 22, 0, time.UTC),
		"2015-01-23T04:56:22.123Z":      time.Date(2015, 1, 23, 4, 56, 22, 123e6, time.UTC),
		"2015-01-23T05:56:22+01:00":     time.Date(2015, 1, 23, 4, 56, 22, 0, time.UTC),
		"2015-01-23T04:56:22":           time.Date(2015, 1, 23, 4, 56, 22, 0, time.UTC),
		"2015-01-23T04:56:22.000000001": time.Date(2015, 1, 23, 4, 56, 22, 1, time.UTC),
	}
	for s, want := range ok {
		got, err := ParseDateTime(s)
		if err != nil || !got.Equal(want) {
			t.Errorf("ParseDateTime(%q) = %v, %v; want %v", s, got, err, want)
		}
	}
	for _, s := range []string{"", "2015-01-23", "04:56:22", "2015-13-23T04:56:22Z", "2015-01-23 04:56:22Z", "2015-01-23T04:56:22+1", "x", strings.Repeat("2", 100)} {
		if _, err := ParseDateTime(s); err == nil {
			t.Errorf("ParseDateTime(%q) succeeded", s)
		} else if se := (*Error)(nil); !errors.As(err, &se) || se.Type != ScimInvalidValue {
			t.Errorf("ParseDateTime(%q) error %v is not an invalidValue *Error", s, err)
		}
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
