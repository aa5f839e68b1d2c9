package patch

import (
	"encoding/json"
	"reflect"
	"strings"
	"unsafe"

	"github.com/scimkit/scimkit/schema"
)

// Copy-on-write helpers. Maps and lists of the caller's tree are never written; the
// applier copies a container before its first change and records the copy as owned,
// so that later operations of the same request change it in place.

// A ptrSet is a set of container identities, small ones kept inline.
type ptrSet struct {
	n     int
	small [16]unsafe.Pointer
	more  map[unsafe.Pointer]struct{}
}

func (s *ptrSet) add(p unsafe.Pointer) {
	if s.n < len(s.small) {
		s.small[s.n] = p
		s.n++
		return
	}
	if s.more == nil {
		s.more = make(map[unsafe.Pointer]struct{})
	}
	s.more[p] = struct{}{}
}

func (s *ptrSet) has(p unsafe.Pointer) bool {
	for _, q := range s.small[:s.n] {
		if q == p {
			return true
		}
	}
	_, ok := s.more[p]
	return ok
}

func mapID(m map[string]any) unsafe.Pointer { return reflect.ValueOf(m).UnsafePointer() }

func listID(l []any) unsafe.Pointer { return unsafe.Pointer(unsafe.SliceData(l[:cap(l)])) }

// sameMap reports whether x and y are the same map (not merely equal).
func sameMap(x, y map[string]any) bool { return mapID(x) == mapID(y) }

// ownMap returns m if the applier owns it, else an owned copy (a new empty map for nil).
func (a *applier) ownMap(m map[string]any) map[string]any {
	if m != nil && a.owned.has(mapID(m)) {
		return m
	}
	c := make(map[string]any, len(m)+1)
	for k, v := range m {
		c[k] = v
	}
	a.owned.add(mapID(c))
	return c
}

// ownList returns l if the applier owns it, else an owned copy with room for extra
// more values.
func (a *applier) ownList(l []any, extra int) []any {
	if cap(l) > 0 && a.owned.has(listID(l)) {
		return l
	}
	c := make([]any, len(l), len(l)+extra)
	copy(c, l)
	if cap(c) > 0 {
		a.owned.add(listID(c))
	}
	return c
}

// appendList appends v to the owned list l, keeping the result owned.
func (a *applier) appendList(l []any, v any) []any {
	grown := len(l) == cap(l)
	l = append(l, v)
	if grown {
		a.owned.add(listID(l))
	}
	return l
}

// equalValue reports whether two canonical values are equal: same JSON type and
// content, numbers by their exact text, strings exactly. Identical maps and lists are
// recognised without walking them.
func equalValue(x, y any) bool {
	switch x := x.(type) {
	case nil:
		return y == nil
	case string:
		y, ok := y.(string)
		return ok && x == y
	case bool:
		y, ok := y.(bool)
		return ok && x == y
	case json.Number:
		y, ok := y.(json.Number)
		return ok && x == y
	case map[string]any:
		y, ok := y.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		if sameMap(x, y) {
			return true
		}
		for k, xv := range x {
			yv, ok := y[k]
			if !ok || !equalValue(xv, yv) {
				return false
			}
		}
		return true
	case []any:
		y, ok := y.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		if len(x) == 0 || &x[0] == &y[0] {
			return true
		}
		for i := range x {
			if !equalValue(x[i], y[i]) {
				return false
			}
		}
		return true
	}
	return false
}

func isPrimary(v any) bool {
	m, _ := v.(map[string]any)
	return m["primary"] == true
}

// A valueCmp compares the values of one multi-valued attribute: it tells whether a
// value given in a request designates an existing value (see sameElement), with what
// it needs looked up once per operation instead of once per comparison.
type valueCmp struct {
	at      *schema.Attribute
	complex bool
	fold    bool // the value (or "value" sub-attribute) compares ignoring case
}

func newValueCmp(at *schema.Attribute) valueCmp {
	c := valueCmp{at: at, complex: at.Type == schema.Complex, fold: !at.CaseExact}
	if c.complex {
		va := at.SubAttribute("value")
		c.fold = va != nil && !va.CaseExact
	}
	return c
}

// A probe is a value given in a request, prepared for comparisons.
type probe struct {
	v      any
	m      map[string]any // v as a complex value
	s      string         // v's "value" (v itself for a simple attribute), when a string
	isStr  bool
	typ    string // v's "type", when a string
	hasTyp bool
}

func (c *valueCmp) probe(v any) probe {
	p := probe{v: v}
	if !c.complex {
		p.s, p.isStr = v.(string)
		return p
	}
	p.m, _ = v.(map[string]any)
	p.s, p.isStr = p.m["value"].(string)
	p.typ, p.hasTyp = p.m["type"].(string)
	return p
}

// matches reports whether the given value p designates the existing value e.
func (c *valueCmp) matches(p *probe, e any) bool {
	if !c.complex {
		return equalScalar(e, p.v, c.fold)
	}
	em, _ := e.(map[string]any)
	if !p.isStr {
		return sameElement(c.at, em, p.m)
	}
	es, ok := em["value"].(string)
	if !ok || es != p.s && (!c.fold || !strings.EqualFold(es, p.s)) {
		return false
	}
	if p.hasTyp {
		if et, ok := em["type"].(string); ok && !strings.EqualFold(et, p.typ) {
			return false
		}
	}
	return true
}

// key returns the index key of a value: its "value" sub-attribute (the value itself
// for a simple attribute) when a string, lower-cased when compared ignoring case.
func (c *valueCmp) key(v any) (string, bool) {
	if c.complex {
		m, _ := v.(map[string]any)
		v = m["value"]
	}
	s, ok := v.(string)
	if !ok {
		return "", false
	}
	if c.fold {
		return lowerASCII(s)
	}
	return s, true
}

// indexThreshold is the number of values above which comparisons go through an
// index instead of scans, so that adding or removing k values of a list of n costs
// O(n + k), not O(n*k).
const indexThreshold = 8

// A valueIndex indexes values by key: key -> position, or -1 when several values
// share the key. Values without key are listed apart.
type valueIndex struct {
	keys    map[string]int
	unkeyed []int
}

func (c *valueCmp) index(list []any) valueIndex {
	x := valueIndex{keys: make(map[string]int, len(list))}
	for i, v := range list {
		x.add(c, v, i)
	}
	return x
}

func (x *valueIndex) add(c *valueCmp, v any, pos int) {
	if x.keys == nil {
		return
	}
	k, ok := c.key(v)
	if !ok {
		x.unkeyed = append(x.unkeyed, pos)
		return
	}
	if _, dup := x.keys[k]; dup {
		x.keys[k] = -1
		return
	}
	x.keys[k] = pos
}

// candidates returns the positions of the indexed values that may match a value of
// key k (ok false: no key), and whether all values must be scanned instead.
func (x *valueIndex) candidates(k string, ok bool) (pos int, scanAll bool) {
	if !ok {
		return -1, true
	}
	p, found := x.keys[k]
	if found && p < 0 {
		return -1, true
	}
	if !found {
		return -1, false
	}
	return p, false
}

// lowerASCII lower-cases an ASCII string, without allocating when it has no upper-case
// letter. It reports false for other strings, whose case folding (strings.EqualFold)
// a lower-cased key would not capture.
func lowerASCII(s string) (string, bool) {
	upper := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= 0x80 {
			return "", false
		}
		upper = upper || 'A' <= c && c <= 'Z'
	}
	if upper {
		return strings.ToLower(s), true
	}
	return s, true
}
