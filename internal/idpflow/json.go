package idpflow

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// get returns the value at a dotted path; a numeric segment indexes an array.
// Extension attributes, whose URN keys contain dots, are read with ent.
func get(v any, path string) any {
	for path != "" {
		var seg string
		seg, path, _ = strings.Cut(path, ".")
		switch x := v.(type) {
		case map[string]any:
			v = x[seg]
		case []any:
			i, err := strconv.Atoi(seg)
			if err != nil || i < 0 || i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

// str returns the string at path, or "".
func str(v any, path string) string {
	s, _ := get(v, path).(string)
	return s
}

// ent returns the enterprise attribute name of a user.
func ent(u map[string]any, name string) any {
	m, _ := u[sEnt].(map[string]any)
	return get(m, name)
}

func num(v any) int {
	if n, ok := v.(json.Number); ok {
		if i, err := n.Int64(); err == nil {
			return int(i)
		}
	}
	return -1
}

func hasString(v any, s string) bool {
	l, _ := v.([]any)
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// memberValues returns the member ids of a group resource.
func memberValues(g map[string]any) []string {
	l, _ := g["members"].([]any)
	var out []string
	for _, m := range l {
		out = append(out, str(m, "value"))
	}
	return out
}

func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	m := map[string]int{}
	for _, x := range a {
		m[x]++
	}
	for _, x := range b {
		m[x]--
		if m[x] < 0 {
			return false
		}
	}
	return true
}

// patchOps builds a PatchOp body.
func patchOps(ops ...map[string]any) map[string]any {
	l := make([]any, len(ops))
	for i, o := range ops {
		l[i] = o
	}
	return map[string]any{"schemas": []any{sPatch}, "Operations": l}
}

// op builds one PATCH operation; path "" and value nil are left out.
func op(name, path string, value any) map[string]any {
	m := map[string]any{"op": name}
	if path != "" {
		m["path"] = path
	}
	if value != nil {
		m["value"] = value
	}
	return m
}

// q escapes a filter for a query string the way Entra ID does (spaces as +).
func q(filter string) string {
	var b strings.Builder
	for i := 0; i < len(filter); i++ {
		c := filter[i]
		switch {
		case c == ' ':
			b.WriteByte('+')
		case c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '.' || c == '_':
			b.WriteByte(c)
		default:
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}
