package scim

import (
	"encoding/json"
	"fmt"
	"maps"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/scimkit/scimkit/schema"
)

// projectionNames is the pool of names the differential test draws its attributes
// and excludedAttributes lists from: every canonical path of rt, some in other
// letter cases or URN-qualified, bare schema URNs, and names rt does not know.
func projectionNames(rt *schema.ResourceType, ix attrIndex) []string {
	names := slices.Sorted(maps.Keys(ix))
	for _, n := range names[:len(names)/3] {
		names = append(names, strings.ToUpper(n))
		if !strings.HasPrefix(n, "urn:") {
			names = append(names, rt.Schema.ID+":"+n)
		}
	}
	names = append(names, rt.Schema.ID, "shoeSize", "name.nothing", "urn:x:unknown:attr", " ", "")
	for _, e := range rt.Extensions {
		names = append(names, e.Schema.ID)
	}
	return names
}

// normalizeEncoded removes from an encoded resource what the encoder adds to the
// stored tree whatever the projection ("schemas", meta.location), and members or
// sub-objects left empty by that.
func normalizeEncoded(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range x {
			if k == "location" || k == "schemas" {
				continue
			}
			e = normalizeEncoded(e)
			if m, ok := e.(map[string]any); ok && len(m) == 0 {
				continue
			}
			if l, ok := e.([]any); ok && len(l) == 0 && k == "members" {
				continue // a group's members are written as [] when it has none
			}
			out[k] = e
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = normalizeEncoded(e)
		}
		return out
	}
	return v
}

// jsonRoundTrip turns a tree into what decoding its JSON gives, for comparison.
func jsonRoundTrip(t *testing.T, v any) any {
	t.Helper()
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

// The projection rules of RFC 7644 section 3.9 have one implementation: for random
// attributes and excludedAttributes lists over random users and groups, the
// encoder's JSON (the Handler's hot path) shows exactly what schema.Project keeps
// of the resource's tree.
func TestEncoderProjectionEqualsSchemaProject(t *testing.T) {
	r := rand.New(rand.NewPCG(11, 7))
	userRT, groupRT := schema.UserResourceType, schema.GroupResourceType
	kinds := []struct {
		rt     *schema.ResourceType
		encode func(e *encoder, r *rand.Rand) map[string]any
	}{
		{userRT, func(e *encoder, r *rand.Rand) map[string]any {
			u := randUser(r)
			u.Extensions = nil // host extensions need a resource type that declares them
			u.ID += "u"        // a stored resource always has an id
			e.user(u, userRT)
			return u.Tree()
		}},
		{groupRT, func(e *encoder, r *rand.Rand) map[string]any {
			g := randGroup(r)
			g.Extensions = nil
			g.ID += "g"
			e.group(g, groupRT)
			return g.Tree()
		}},
	}
	for _, k := range kinds {
		ix := newAttrIndex(k.rt)
		pool := projectionNames(k.rt, ix)
		pick := func() []string {
			var out []string
			for range r.IntN(4) {
				out = append(out, pool[r.IntN(len(pool))])
			}
			return out
		}
		for i := range 1000 {
			attrs, excl := pick(), pick()
			if i%3 == 0 {
				attrs = nil // excludedAttributes alone, the common case
			}
			e := encoder{base: "https://h.example", p: newProjection(k.rt, ix, strings.Join(attrs, ","), strings.Join(excl, ","))}
			tree := k.encode(&e, r)
			var got any
			if err := json.Unmarshal(e.b, &got); err != nil {
				t.Fatalf("encoder wrote invalid JSON: %v: %s", err, e.b)
			}
			got = normalizeEncoded(got)
			addRefs(&e, tree)
			if m, ok := tree["meta"].(map[string]any); ok && m["version"] != nil {
				m["version"] = etag(m["version"].(string)) // the encoder writes versions as entity tags
			}
			want := normalizeEncoded(jsonRoundTrip(t, k.rt.Project(tree, attrs, excl)))
			if !reflect.DeepEqual(got, want) {
				var diff []string
				gm, wm := got.(map[string]any), want.(map[string]any)
				for key := range maps.Keys(gm) {
					if !reflect.DeepEqual(gm[key], wm[key]) {
						diff = append(diff, fmt.Sprintf("%s: encoder %v, Project %v", key, gm[key], wm[key]))
					}
				}
				for key := range maps.Keys(wm) {
					if _, ok := gm[key]; !ok {
						diff = append(diff, fmt.Sprintf("%s: encoder none, Project %v", key, wm[key]))
					}
				}
				t.Fatalf("%s attributes=%q excludedAttributes=%q:\n%s", k.rt.Name, attrs, excl, strings.Join(diff, "\n"))
			}
		}
	}
}

// addRefs adds to a stored tree the $ref values that the encoder computes, so that
// Project of the tree can be compared with the encoder's output.
func addRefs(e *encoder, tree map[string]any) {
	add := func(v any, endpoint func(m map[string]any) string) {
		m, _ := v.(map[string]any)
		if id, _ := m["value"].(string); id != "" {
			var ref string
			json.Unmarshal(e.appendRef(nil, endpoint(m), id), &ref) // the encoder writes it quoted
			m["$ref"] = ref
		}
	}
	for _, g := range asList(tree["groups"]) {
		add(g, func(map[string]any) string { return "/Groups/" })
	}
	for _, m := range asList(tree["members"]) {
		add(m, func(m map[string]any) string {
			if m["type"] == "Group" {
				return "/Groups/"
			}
			return "/Users/"
		})
	}
	if ent, ok := tree[schema.EnterpriseUserURN].(map[string]any); ok {
		add(ent["manager"], func(map[string]any) string { return "/Users/" })
	}
}

func asList(v any) []any { l, _ := v.([]any); return l }
