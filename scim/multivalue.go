package scim

import (
	"encoding/json"
	"maps"
	"strings"

	"github.com/scimkit/scimkit/schema"
)

// mergeRepeats returns tree with the repeated values of its multi-valued complex
// attributes merged into their first occurrence (OKTA-USER-1: no repeated (value,
// type) pair in emails, phoneNumbers, addresses and the like). A repeat adds the
// sub-attributes the first occurrence lacks, and its primary flag. Two values repeat
// each other when:
//
//   - group members: they have the same value (member id);
//   - attributes with a value sub-attribute: same value (compared as its caseExact
//     says) and same type, ignoring case;
//   - others, such as addresses: every sub-attribute but primary is equal.
//
// tree is not modified: when something merges, the result is a copy that shares
// what did not change. Work is linear in the size of the lists.
func mergeRepeats(rt *schema.ResourceType, tree map[string]any) map[string]any {
	out, copied := tree, false
	own := func() {
		if !copied {
			out, copied = maps.Clone(tree), true
		}
	}
	byID := rt.ID == "Group"
	for _, a := range rt.Schema.Attributes {
		if l, ok := mergeList(a, tree[a.Name], byID && a.Name == "members"); ok {
			own()
			out[a.Name] = l
		}
	}
	for _, e := range rt.Extensions {
		ext, _ := tree[e.Schema.ID].(map[string]any)
		var merged map[string]any
		for _, a := range e.Schema.Attributes {
			l, ok := mergeList(a, ext[a.Name], false)
			if !ok {
				continue
			}
			if merged == nil {
				merged = maps.Clone(ext)
			}
			merged[a.Name] = l
		}
		if merged != nil {
			own()
			out[e.Schema.ID] = merged
		}
	}
	return out
}

// mergeList merges the repeats of one list value v of attribute a. It reports false
// when a is not a multi-valued complex attribute or v holds no repeat.
func mergeList(a *schema.Attribute, v any, byValue bool) ([]any, bool) {
	list, _ := v.([]any)
	if !a.MultiValued || a.Type != schema.Complex || len(list) < 2 {
		return nil, false
	}
	va := a.SubAttribute("value")
	key := func(e map[string]any) string {
		if s, ok := e["value"].(string); ok && va != nil {
			if !va.CaseExact {
				s = strings.ToLower(s)
			}
			if byValue {
				return s
			}
			t, _ := e["type"].(string)
			return "v\x00" + s + "\x00" + strings.ToLower(t)
		}
		rest := make(map[string]any, len(e))
		for k, x := range e {
			if k != "primary" {
				rest[k] = x
			}
		}
		b, _ := json.Marshal(rest) // sorted keys: a canonical form
		return "o\x00" + string(b)
	}
	first := make(map[string]int, len(list))
	var out []any
	for i, x := range list {
		e, ok := x.(map[string]any)
		if !ok {
			if out != nil {
				out = append(out, x)
			}
			continue
		}
		k := key(e)
		j, seen := first[k]
		if !seen {
			if out != nil {
				first[k] = len(out)
				out = append(out, x)
			} else {
				first[k] = i
			}
			continue
		}
		if out == nil {
			out = make([]any, i, len(list))
			copy(out, list[:i])
		}
		out[j] = mergeValue(out[j].(map[string]any), e)
	}
	return out, out != nil
}

// mergeValue returns first with the sub-attributes only repeat has added, and
// primary set when either has it.
func mergeValue(first, repeat map[string]any) map[string]any {
	m := maps.Clone(first)
	for k, v := range repeat {
		if _, ok := m[k]; !ok || k == "primary" && v == true {
			m[k] = v
		}
	}
	return m
}
