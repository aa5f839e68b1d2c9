package schema

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"testing"
)

// fuzzType is the User resource type with the Enterprise extension and an extension
// of every scalar type, so that the fuzzer reaches every conversion.
var fuzzType = UserResourceType.WithExtensions(Extension{Schema: &Schema{
	ID: "urn:example:typed",
	Attributes: []*Attribute{
		{Name: "i", Type: Integer},
		{Name: "d", Type: Decimal},
		{Name: "t", Type: DateTime},
		{Name: "is", Type: Integer, MultiValued: true},
		{Name: "c", Type: Complex, SubAttributes: []*Attribute{
			{Name: "value", Type: String},
			{Name: "n", Type: Integer},
			{Name: "list", Type: Boolean, MultiValued: true},
		}},
	},
}})

// FuzzNormalize: Normalize never panics; what it accepts is a canonical tree that
// Normalize returns unchanged (idempotence), with nothing unknown; strict success
// implies the same result leniently; CheckRequired and Project cope with the result.
func FuzzNormalize(f *testing.F) {
	for _, s := range []string{
		`{"userName":"a","active":"True","emails":[{"value":"x","primary":true},{"value":"y","primary":"TRUE"}]}`,
		`{"USERNAME":"a","Name":{"GivenName":"A"},"name.familyName":"B","meta":{"created":1},"id":5}`,
		`{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":"u-2","department":"D"}}`,
		`{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager":[{"value":"u-2"}]}`,
		`{"urn:example:typed":{"i":"1e3","d":"-0.5","t":"2015-01-23T04:56:22Z","is":[1,"2",null],"c":[{"value":"v","n":-0,"list":"false"}]}}`,
		`{"urn:example:typed:c.list":true,"urn:example:typed:i":9223372036854775807}`,
		`{"emails":{"value":"single"},"roles":[],"phoneNumbers":null,"x509Certificates":[{"value":"TUlJ"}]}`,
		`{"schemas":["urn:x"],"urn:x:y":{"deep":[[[[{}]]]]},"groups":[{"value":"g"}]}`,
		`{"password":"p","addresses":[{"primary":"true"},{"primary":true}]}`,
		`{"userName":"a","USERNAME":"b"}`,
	} {
		f.Add([]byte(s), false)
		f.Add([]byte(s), true)
	}
	f.Fuzz(func(t *testing.T, data []byte, strict bool) {
		d := json.NewDecoder(bytes.NewReader(data))
		d.UseNumber()
		var in map[string]any
		if d.Decode(&in) != nil {
			return
		}
		before, _ := json.Marshal(in)
		out, unknown, err := fuzzType.Normalize(in, Options{Strict: strict})
		if after, _ := json.Marshal(in); !bytes.Equal(before, after) {
			t.Fatalf("input changed:\n%s\n%s", before, after)
		}
		if err != nil {
			var se *Error
			if !errors.As(err, &se) || se.ScimType() == "" {
				t.Fatalf("error %v is not a *Error with a scimType", err)
			}
			return
		}
		if strict && len(unknown) > 0 {
			t.Fatalf("strict mode reported unknown %q instead of failing", unknown)
		}
		for _, v := range out {
			checkCanonical(t, v)
		}
		again, unknown2, err := fuzzType.Normalize(out, Options{Strict: strict})
		if err != nil {
			t.Fatalf("normalising the output failed: %v\nout: %#v", err, out)
		}
		if len(unknown2) > 0 || !reflect.DeepEqual(again, out) {
			t.Fatalf("not idempotent:\n%#v\n%#v\nunknown %q", out, again, unknown2)
		}
		if strict {
			lenient, _, err := fuzzType.Normalize(in, Options{})
			if err != nil || !reflect.DeepEqual(lenient, out) {
				t.Fatalf("strict accepted what lenient did not produce the same way: %v\n%#v\n%#v", err, out, lenient)
			}
		}
		_ = fuzzType.CheckRequired(out)
		p := fuzzType.Project(out, []string{"userName", "urn:example:typed:c.n"}, nil)
		if _, ok := p["password"]; ok {
			t.Fatal("Project returned the password")
		}
		if p := fuzzType.Project(out, nil, nil); p["password"] != nil {
			t.Fatal("Project returned the password")
		}
	})
}
