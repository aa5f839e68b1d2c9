package schema

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"
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
