package memstore

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/scimkit/scimkit/schema"
	"github.com/scimkit/scimkit/scim"
)

// A sortSpec says where a sort key lives in a resource tree and how to compare it.
type sortSpec struct {
	urn   string // extension URN holding the attribute, or ""
	key   string // the attribute's name
	sub   string // sub-attribute, or ""
	multi bool
	typ   schema.Type
	exact bool // caseExact
}

func newSortSpec(rt *schema.ResourceType, path string) (*sortSpec, error) {
	ref, ok := rt.Lookup(path)
	if !ok {
		return nil, &scim.Error{Status: 400, ScimType: "invalidValue", Detail: "sortBy " + strconv.Quote(path) + " names no attribute"}
	}
	sp := &sortSpec{key: ref.Attr.Name, multi: ref.Attr.MultiValued}
	if ref.Extension {
		sp.urn = ref.Schema.ID
	}
	target := ref.Target()
	if ref.Sub != nil {
		sp.sub = ref.Sub.Name
	} else if ref.Attr.Type == schema.Complex {
		v := ref.Attr.SubAttribute("value")
		if !ref.Attr.MultiValued || v == nil {
			return nil, &scim.Error{Status: 400, ScimType: "invalidValue", Detail: "sortBy " + strconv.Quote(path) + " names a complex attribute"}
		}
		sp.sub, target = v.Name, v
	}
	sp.typ, sp.exact = target.Type, target.CaseExact
	return sp, nil
}

// A sortValue is the sort key of one resource.
type sortValue struct {
	kind int // 0 missing, 1 string, 2 number, 3 time, 4 bool
	s    string
	n    float64
	t    time.Time
}

// value returns the sort key of tree: for a multi-valued attribute the primary value,
// else the first.
func (sp *sortSpec) value(tree map[string]any) sortValue {
	var v any = tree
	if sp.urn != "" {
		v = tree[sp.urn]
	}
	m, _ := v.(map[string]any)
	v = m[sp.key]
	if sp.multi {
		l, _ := v.([]any)
		v = nil
		if len(l) > 0 {
			v = l[0]
		}
		for _, e := range l {
			if em, ok := e.(map[string]any); ok && em["primary"] == true {
				v = e
				break
			}
		}
	}
	if sp.sub != "" {
		m, _ := v.(map[string]any)
		v = m[sp.sub]
	}
	switch x := v.(type) {
	case string:
		switch sp.typ {
		case schema.DateTime:
			if t, err := time.Parse(time.RFC3339Nano, x); err == nil {
				return sortValue{kind: 3, t: t}
			}
		case schema.String:
			if !sp.exact {
				// As package filter orders strings for gt and lt.
				x = strings.ToLower(x)
			}
		}
		return sortValue{kind: 1, s: x}
	case json.Number:
		if f, err := x.Float64(); err == nil {
			return sortValue{kind: 2, n: f}
		}
		return sortValue{kind: 1, s: x.String()}
	case bool:
		if x {
			return sortValue{kind: 4, n: 1}
		}
		return sortValue{kind: 4}
	}
	return sortValue{}
}

// compareSort orders a and b: missing values last whatever the direction, present
// values ascending or, with desc, descending.
func compareSort(a, b sortValue, desc bool) int {
	if a.kind == 0 || b.kind == 0 {
		switch {
		case a.kind == b.kind:
			return 0
		case a.kind == 0:
			return 1
		}
		return -1
	}
	c := 0
	switch {
	case a.kind != b.kind:
		c = a.kind - b.kind
	case a.kind == 1:
		c = strings.Compare(a.s, b.s)
	case a.kind == 3:
		c = a.t.Compare(b.t)
	case a.n < b.n:
		c = -1
	case a.n > b.n:
		c = 1
	}
	if desc {
		return -c
	}
	return c
}
