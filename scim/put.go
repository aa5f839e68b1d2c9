package scim

import (
	"maps"
	"slices"
	"strings"

	"github.com/scimkit/scimkit/schema"
)

// This file holds the merge rules of PUT (RFC-PUT-1): every attribute the body names
// is replaced by the body's value, or cleared when the body's value is empty (null,
// [], {}, "" for a reference); every attribute the body does not name keeps its
// value. A client may name an attribute in several ways, and each counts the same:
//
//	"title": null                                   top-level key
//	"name.givenName": null                          dotted key: that sub-attribute only
//	"urn:…:core:2.0:User:title": null               URN-qualified key
//	"urn:…:enterprise:2.0:User:department": null    URN-qualified extension key
//	"urn:…:enterprise:2.0:User": {"costCenter": null}   key inside an extension object
//	"urn:…:enterprise:2.0:User": null               every attribute of the extension

// A putPath names one attribute, or one sub-attribute, that a PUT body asserts, as
// the keys that lead to it in a resource tree: [urn] name [sub].
type putPath []string

// putPaths returns the paths the raw body in asserts, whole extensions first, then
// attributes, then sub-attributes, so that a more specific path refines a wider one.
// Read-only and write-only attributes are left out: the server owns the former and
// never stores the latter.
func putPaths(rt *schema.ResourceType, in map[string]any) []putPath {
	var out []putPath
	add := func(s *schema.Schema, key string) {
		urn := ""
		if s != rt.Schema {
			urn = s.ID
		}
		name, sub, _ := strings.Cut(key, ".")
		ref, ok := rt.Resolve(urn, name, sub)
		if !ok || ref.Attr.EffectiveMutability() == schema.ReadOnly || ref.Attr.EffectiveMutability() == schema.WriteOnly {
			return
		}
		p := putPath{ref.Attr.Name}
		if ref.Sub != nil {
			if ref.Attr.MultiValued || ref.Sub.EffectiveMutability() == schema.ReadOnly {
				return
			}
			p = append(p, ref.Sub.Name)
		}
		if urn != "" {
			p = append(putPath{urn}, p...)
		}
		out = append(out, p)
	}
	for k, v := range in {
		if len(k) < 4 || !strings.EqualFold(k[:4], "urn:") {
			add(rt.Schema, k)
			continue
		}
		if s := rt.SchemaByURN(k); s != nil {
			if m, ok := v.(map[string]any); ok {
				for sk := range m {
					add(s, sk)
				}
			} else if v == nil && s != rt.Schema {
				out = append(out, putPath{s.ID})
			}
			continue
		}
		if urn, rest := rt.SplitURN(k); urn != "" {
			add(rt.SchemaByURN(urn), rest)
		}
	}
	slices.SortStableFunc(out, func(a, b putPath) int { return len(a) - len(b) })
	return out
}

// mergePut returns the tree a PUT stores: cur with each path of paths set to its
// value in in (the normalised body), or removed where in has none. Neither cur nor in
// is modified.
func mergePut(cur, in map[string]any, paths []putPath) map[string]any {
	out := make(map[string]any, len(cur)+len(in))
	for k, v := range cur {
		out[k] = v
	}
	m := treeMerger{root: out, owned: map[string]bool{}}
	for _, p := range paths {
		if v, ok := lookupPath(in, p); ok {
			m.set(p, v)
		} else {
			m.remove(p)
		}
	}
	return out
}

// lookupPath returns the value at p in tree.
func lookupPath(tree map[string]any, p putPath) (any, bool) {
	var v any = tree
	for _, k := range p {
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[k]; !ok || v == nil {
			return nil, false
		}
	}
	return v, true
}

// A treeMerger edits a tree whose nested maps may be shared with another tree: it
// copies each nested map once, before its first change.
type treeMerger struct {
	root  map[string]any
	owned map[string]bool // the paths (joined by NUL) of the nested maps already copied
}

// chain returns the maps on the way to the last key of p: the root, then the maps at
// p[:1], p[:2] and so on, each copied if need be. Missing maps are created when
// create is true; otherwise chain returns nil when one is missing.
func (m *treeMerger) chain(p putPath, create bool) []map[string]any {
	out := []map[string]any{m.root}
	cur := m.root
	for i, k := range p[:len(p)-1] {
		key := strings.Join(p[:i+1], "\x00")
		next, ok := cur[k].(map[string]any)
		switch {
		case !ok && !create:
			return nil
		case !ok:
			next = map[string]any{}
		case !m.owned[key]:
			next = maps.Clone(next)
		}
		m.owned[key] = true
		cur[k] = next
		cur = next
		out = append(out, cur)
	}
	return out
}

func (m *treeMerger) set(p putPath, v any) {
	c := m.chain(p, true)
	c[len(c)-1][p[len(p)-1]] = v
}

// remove deletes p, and then each map on the way to it that became empty.
func (m *treeMerger) remove(p putPath) {
	c := m.chain(p, false)
	if c == nil {
		return
	}
	delete(c[len(c)-1], p[len(p)-1])
	for i := len(c) - 1; i > 0 && len(c[i]) == 0; i-- {
		delete(c[i-1], p[i-1])
	}
}
