package schema

import (
	"errors"
	"strings"
	"testing"
	"time"
)

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
