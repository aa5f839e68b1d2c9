package patch

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/scimkit/scimkit/schema"
)

// fuzzBodies are seed PATCH bodies: the IdP requests of the tests above.
var fuzzBodies = []string{
	body(`{"op":"Replace","path":"emails[type eq \"work\"].value","value":"a@x"},{"op":"Replace","path":"name.familyName","value":"L"},{"op":"Replace","path":"active","value":"False"}`),
	body(`{"op":"replace","value":{"displayName":"Ada L.","name.givenName":"Ada","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber":"00413","active":false}}`),
	body(`{"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"u-2"}`),
	body(`{"op":"Remove","path":"manager[value eq \"u-2\"]"},{"op":"Remove","path":"title","value":"Engineer"}`),
	body(`{"op":"Add","path":"members","value":[{"$ref":null,"value":"u-7"},{"value":"u-8"}]},{"op":"Remove","path":"members","value":[{"value":"u-1"}]}`),
	body(`{"op":"remove","path":"members[value eq \"u-2\" or value eq \"u-3\"]"},{"op":"replace","value":{"id":"g-1","displayName":"D"}}`),
	body(`{"op":"replace","path":"members","value":[{"value":"u-1"}]},{"op":"add","path":"emails","value":{"value":"x@y","primary":true}}`),
	body(`{"op":"add","path":"addresses[type eq \"work\"]","value":{"locality":"York"}},{"op":"remove","path":"emails.type"}`),
	body(`{"op":"replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User","value":{"department":"D"}},{"op":"remove","path":"name.givenName"}`),
	`{"Operations":[{"op":"add","path":"x[y eq 1]","value":[[[[{}]]]]}]}`,
	`{"schemas":[],"Operations":[]}`,
	`{"operations":[{"OP":"REMOVE","PATH":"urn:x:y:z"}]}`,
}

// FuzzParse: Parse never panics, errors are *Error with a known scimType, and what it
// accepts is well formed.
func FuzzParse(f *testing.F) {
	for _, b := range fuzzBodies {
		f.Add([]byte(b))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		req, err := Parse(b)
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) {
				t.Fatalf("error %v is %T", err, err)
			}
			switch pe.Type {
			case schema.ScimInvalidSyntax, schema.ScimInvalidPath, schema.ScimInvalidValue, schema.ScimNoTarget, schema.ScimMutability:
			default:
				t.Fatalf("unexpected scimType %q", pe.Type)
			}
			return
		}
		if len(req.Operations) == 0 {
			t.Fatal("no operations accepted")
		}
		for i, op := range req.Operations {
			switch {
			case op.Op != OpAdd && op.Op != OpReplace && op.Op != OpRemove:
				t.Fatalf("op %d: %q", i, op.Op)
			case (op.Path == nil) != (op.RawPath == ""):
				t.Fatalf("op %d: path %v raw %q", i, op.Path, op.RawPath)
			case op.Op == OpRemove && op.Path == nil:
				t.Fatalf("op %d: remove without path", i)
			case op.Op != OpRemove && !op.HasValue:
				t.Fatalf("op %d: %s without value", i, op.Op)
			}
		}
		// What was accepted is valid JSON for encoding/json too.
		if !json.Valid(b) {
			t.Fatalf("accepted invalid JSON %q", b)
		}
	})
}

// fuzzResources are seed resources: JSON that the fuzzer also mutates.
var fuzzResources = []string{entraUser, group, `{"id":"u-1","userName":"a","emails":[{"value":"a@x","primary":true},{"value":"b@x"}]}`, `{}`}

// FuzzApply: Apply never panics; on error the resource is untouched (deep-compared with
// a copy taken before) and the error is an *Error; on success the result is canonical,
// the input is untouched, and applying the same request to the result again works.
func FuzzApply(f *testing.F) {
	for i, b := range fuzzBodies {
		f.Add(fuzzResources[i%len(fuzzResources)], b, i%2 == 0, i%3 == 0)
	}
	f.Fuzz(func(t *testing.T, resJSON, b string, isGroup, strict bool) {
		req, err := Parse([]byte(b))
		if err != nil {
			return
		}
		rt := schema.UserResourceType
		if isGroup {
			rt = schema.GroupResourceType
		}
		d := json.NewDecoder(strings.NewReader(resJSON))
		d.UseNumber()
		var raw map[string]any
		if d.Decode(&raw) != nil {
			return
		}
		res, _, err := rt.Normalize(raw, schema.Options{})
		if err != nil {
			return
		}
		if id, ok := raw["id"].(string); ok {
			res["id"] = id // Normalize drops read-only attributes
		}
		before := deepCopy(res)
		out, r, err := Apply(rt, res, req, Options{Strict: strict})
		if !reflect.DeepEqual(any(res), before) {
			t.Fatalf("Apply changed its input (err %v)", err)
		}
		if err != nil {
			var pe *Error
			if !errors.As(err, &pe) || pe.Index < 0 || pe.Index >= len(req.Operations) {
				t.Fatalf("error %v (%T)", err, err)
			}
			if out != nil {
				t.Fatal("tree returned with an error")
			}
			return
		}
		if r.Changed != (len(r.ChangedAttributes) > 0) {
			t.Fatalf("Changed %v, ChangedAttributes %v", r.Changed, r.ChangedAttributes)
		}
		if !r.Changed && !reflect.DeepEqual(any(out), before) {
			t.Fatal("no change reported but the result differs")
		}
		if out != nil {
			checkCanonical(t, "result", out)
		}
		outCopy := deepCopy(out)
		if _, _, err := Apply(rt, out, req, Options{Strict: strict}); err == nil || out == nil {
			if !reflect.DeepEqual(any(out), outCopy) {
				t.Fatal("second Apply changed its input")
			}
		}
	})
}
