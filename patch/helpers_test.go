package patch

import (
	"bytes"
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/scimkit/scimkit/schema"
)

const (
	sPatch = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
	sEnt   = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
)

// entraUser is a user as Entra ID creates it (ENTRA-USER-2), stored.
const entraUser = `{
 "id":"u-1","externalId":"ada.l","userName":"ada.l@contoso.example","active":true,
 "displayName":"Ada L","title":"Engineer","preferredLanguage":"en-GB",
 "emails":[{"primary":true,"type":"work","value":"ada.l@contoso.example"},{"type":"home","value":"ada@home.example"}],
 "name":{"formatted":"Ada L","givenName":"Ada","familyName":"L"},
 "phoneNumbers":[{"type":"mobile","value":"+44 7700 900123"}],
 "addresses":[{"type":"work","locality":"Leeds","country":"GB","primary":false}],
 "meta":{"resourceType":"User","created":"2024-01-02T03:04:05Z","lastModified":"2024-01-02T03:04:05Z","location":"https://h/scim/Users/u-1","version":"W/\"1\""},
 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"00412","department":"R&D","costCenter":"CC-9"}
}`

// group is a group with three members.
const group = `{
 "id":"g-1","displayName":"Finance Ops","externalId":"5f0c",
 "members":[{"value":"u-1","display":"Ada","type":"User"},{"value":"u-2","type":"User"},{"value":"u-3"}],
 "meta":{"resourceType":"Group","created":"2024-01-02T03:04:05Z","lastModified":"2024-01-02T03:04:05Z","location":"https://h/scim/Groups/g-1"}
}`

// body wraps operations in a PatchOp body.
func body(ops string) string {
	return `{"schemas":["` + sPatch + `"],"Operations":[` + ops + `]}`
}

func decode(t testing.TB, s string) map[string]any {
	t.Helper()
	if s == "" {
		return nil
	}
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		t.Fatalf("bad test JSON %s: %v", s, err)
	}
	return m
}

func mustJSON(t testing.TB, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// canon returns the canonical JSON text of a JSON document, for comparisons.
func canon(t testing.TB, s string) string {
	t.Helper()
	return mustJSON(t, decode(t, s))
}

// deepCopy copies a decoded JSON tree.
func deepCopy(v any) any {
	switch v := v.(type) {
	case map[string]any:
		if v == nil {
			return v
		}
		m := make(map[string]any, len(v))
		for k, x := range v {
			m[k] = deepCopy(x)
		}
		return m
	case []any:
		if v == nil {
			return v
		}
		l := make([]any, len(v))
		for i, x := range v {
			l[i] = deepCopy(x)
		}
		return l
	}
	return v
}

// checkCanonical fails unless v follows the resource-tree convention of package
// schema: no nil, no empty list or map, only JSON types.
func checkCanonical(t testing.TB, where string, v any) {
	t.Helper()
	switch v := v.(type) {
	case map[string]any:
		if len(v) == 0 && strings.Contains(where, ".") {
			t.Errorf("%s: empty map in result", where) // the resource itself may be empty
		}
		for k, x := range v {
			if x == nil {
				t.Errorf("%s.%s: nil in result", where, k)
			}
			checkCanonical(t, where+"."+k, x)
		}
	case []any:
		if len(v) == 0 {
			t.Errorf("%s: empty list in result", where)
		}
		for _, x := range v {
			checkCanonical(t, where+"[]", x)
		}
	case string, bool, json.Number:
	default:
		t.Errorf("%s: unexpected %T in result", where, v)
	}
}

// applyRun parses b and applies it to the resource JSON res, checking the invariants
// every call must keep: res unchanged, a canonical result, a nil tree on error and res
// itself when nothing changed.
func applyRun(t testing.TB, rt *schema.ResourceType, res, b string, opt Options) (map[string]any, Result, error) {
	t.Helper()
	req, err := Parse([]byte(b))
	if err != nil {
		return nil, Result{}, err
	}
	in := decode(t, res)
	before := deepCopy(in)
	out, r, err := Apply(rt, in, req, opt)
	if !reflect.DeepEqual(any(in), before) {
		t.Fatalf("Apply changed its input:\nbefore %s\nafter  %s", mustJSON(t, before), mustJSON(t, in))
	}
	if err != nil {
		if out != nil {
			t.Errorf("Apply returned a tree with error %v", err)
		}
		var pe *Error
		if !errors.As(err, &pe) {
			t.Fatalf("error %v is %T, want *patch.Error", err, err)
		}
		return nil, r, err
	}
	if r.Changed != (len(r.ChangedAttributes) > 0) {
		t.Errorf("Changed %v but ChangedAttributes %v", r.Changed, r.ChangedAttributes)
	}
	if !r.Changed {
		if !sameMap(out, in) {
			t.Errorf("no change reported, but the result is not the input")
		}
		if mustJSON(t, out) != mustJSON(t, before) {
			t.Errorf("no change reported, but the result differs: %s", mustJSON(t, out))
		}
	} else if mustJSON(t, out) == mustJSON(t, before) {
		t.Errorf("change reported (%v) but the result equals the input", r.ChangedAttributes)
	}
	if out != nil {
		checkCanonical(t, "resource", out)
	}
	return out, r, err
}

// A tc is a table case for Apply: the resource, the operations, and either the
// expected resource or the expected error.
type tc struct {
	name    string
	rt      *schema.ResourceType // nil: User
	res     string               // "" means entraUser (group when rt is Group)
	ops     string               // operations, wrapped with body(), or a whole body with "Operations"
	opt     Options
	want    string          // expected resource ("" when an error is expected)
	err     schema.ScimType // expected scimType
	index   int             // expected operation index of the error
	changed []string        // expected ChangedAttributes (nil: not checked)
	skipped []Skip          // expected Skipped (nil: none)
}

func runCases(t *testing.T, cases []tc) {
	t.Helper()
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Helper()
			runCase(t, c)
		})
	}
}

func runCase(t *testing.T, c tc) map[string]any {
	t.Helper()
	rt := c.rt
	if rt == nil {
		rt = schema.UserResourceType
	}
	res := c.res
	if res == "" {
		res = entraUser
		if rt == schema.GroupResourceType {
			res = group
		}
	}
	b := c.ops
	if !strings.Contains(strings.ToLower(b), `"operations"`) {
		b = body(b)
	}
	out, r, err := applyRun(t, rt, res, b, c.opt)
	if c.err != "" {
		var pe *Error
		if !errors.As(err, &pe) {
			t.Fatalf("got no error, want %s; result %s", c.err, mustJSON(t, out))
		}
		if pe.Type != c.err || pe.Index != c.index {
			t.Fatalf("got error %v (%s at %d), want %s at %d", err, pe.Type, pe.Index, c.err, c.index)
		}
		if pe.ScimType() != string(c.err) {
			t.Errorf("ScimType() = %q", pe.ScimType())
		}
		return nil
	}
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
	if got, want := mustJSON(t, out), canon(t, c.want); got != want {
		t.Errorf("result\n got  %s\n want %s", got, want)
	}
	if c.changed != nil && !reflect.DeepEqual(r.ChangedAttributes, nilIfEmpty(c.changed)) {
		t.Errorf("ChangedAttributes = %q, want %q", r.ChangedAttributes, c.changed)
	}
	if !reflect.DeepEqual(r.Skipped, c.skipped) {
		t.Errorf("Skipped = %v, want %v", r.Skipped, c.skipped)
	}
	return out
}

func nilIfEmpty(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return s
}

// edit returns the JSON document doc with the top-level members of patch set (null
// removes a member), for writing expected resources as a delta.
func edit(t testing.TB, doc, patch string) string {
	t.Helper()
	m := decode(t, doc)
	for k, v := range decode(t, patch) {
		if v == nil {
			delete(m, k)
		} else {
			m[k] = v
		}
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}
