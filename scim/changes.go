package scim

import (
	"encoding/json"
	"reflect"
	"slices"

	"github.com/scimkit/scimkit/schema"
)

// This file tells what a write changes: the server-owned keys dropped from incoming
// trees, and the paths and values that differ between the stored tree and the new one.

// readOnlyKeys are dropped from incoming resource trees: the server owns them (RFC
// 7644 section 3.5.1, RFC-MUT-1).
var readOnlyKeys = []string{"id", "meta", "schemas"}

func dropReadOnly(tree map[string]any, extra ...string) {
	for _, k := range readOnlyKeys {
		delete(tree, k)
	}
	for _, k := range extra {
		delete(tree, k)
	}
}

// changedPaths lists the canonical paths that differ between two trees of rt: the
// sub-attributes of single-valued complex attributes, multi-valued attributes as a
// whole, extension attributes as "urn:…:name", and common attributes like externalId.
func changedPaths(rt *schema.ResourceType, old, cur map[string]any) []string {
	var out []string
	seen := map[string]bool{}
	cmp := func(prefix string, s *schema.Schema, a, b map[string]any) {
		for _, at := range s.Attributes {
			seen[prefix+at.Name] = true
			va, vb := a[at.Name], b[at.Name]
			if at.Type == schema.Complex && !at.MultiValued {
				ma, _ := va.(map[string]any)
				mb, _ := vb.(map[string]any)
				if valuesEqual(va, vb) {
					continue
				}
				if ma == nil || mb == nil {
					out = append(out, prefix+at.Name)
					continue
				}
				for _, sa := range at.SubAttributes {
					if !valuesEqual(ma[sa.Name], mb[sa.Name]) {
						out = append(out, prefix+at.Name+"."+sa.Name)
					}
				}
				continue
			}
			if !valuesEqual(va, vb) {
				out = append(out, prefix+at.Name)
			}
		}
	}
	cmp("", rt.Schema, old, cur)
	for _, e := range rt.Extensions {
		id := e.Schema.ID
		seen[id] = true
		ma, _ := old[id].(map[string]any)
		mb, _ := cur[id].(map[string]any)
		cmp(id+":", e.Schema, ma, mb)
	}
	var rest []string
	for k := range old {
		if !seen[k] && !slices.Contains(readOnlyKeys, k) && !valuesEqual(old[k], cur[k]) {
			rest = append(rest, k)
		}
	}
	for k := range cur {
		if _, ok := old[k]; !ok && !seen[k] && !slices.Contains(readOnlyKeys, k) {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// changedValues returns the old and new values of the paths in changed that name
// single-valued simple attributes of rt.
func changedValues(rt *schema.ResourceType, old, cur map[string]any, changed []string) []ChangedValue {
	var out []ChangedValue
	for _, p := range changed {
		r, ok := rt.Lookup(p)
		if !ok || r.Attr.MultiValued || r.Target().Type == schema.Complex || p == "password" {
			continue
		}
		out = append(out, ChangedValue{Path: p, Old: refValue(old, r), New: refValue(cur, r)})
	}
	return out
}

// refValue returns the value that r names in a canonical tree, or nil.
func refValue(tree map[string]any, r schema.Ref) any {
	if r.Extension {
		tree, _ = tree[r.Schema.ID].(map[string]any)
	}
	v := tree[r.Attr.Name]
	if r.Sub != nil {
		m, _ := v.(map[string]any)
		v = m[r.Sub.Name]
	}
	return v
}

// valuesEqual compares two tree values.
func valuesEqual(a, b any) bool {
	switch a := a.(type) {
	case nil:
		return b == nil
	case string:
		bs, ok := b.(string)
		return ok && a == bs
	case bool:
		bb, ok := b.(bool)
		return ok && a == bb
	case json.Number:
		bn, ok := b.(json.Number)
		return ok && a == bn
	case map[string]any:
		bm, ok := b.(map[string]any)
		if !ok || len(a) != len(bm) {
			return false
		}
		for k, v := range a {
			w, ok := bm[k]
			if !ok || !valuesEqual(v, w) {
				return false
			}
		}
		return true
	case []any:
		bl, ok := b.([]any)
		if !ok || len(a) != len(bl) {
			return false
		}
		for i := range a {
			if !valuesEqual(a[i], bl[i]) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a, b)
}
