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

// A valueIndex finds, among the values of a multi-valued attribute, the one that a
// value of a request designates (see sameElement). Small searches scan the list; for
// many searches over a long list it indexes the values by their "value" (the element
// itself for simple attributes), so that adding or removing k values of a list of n
// costs O(n + k), not O(n*k).
type valueIndex struct {
	keys    map[string]int // key -> position, or -1 when several values share it
	unkeyed []int          // positions of values without a string key
}

// indexThreshold is the number of searches above which a valueIndex is built.
const indexThreshold = 8

// newValueIndex prepares searches of list; lookups is how many will be made.
func newValueIndex(at *schema.Attribute, list []any, lookups int) valueIndex {
	var x valueIndex
	if lookups <= indexThreshold {
		return x // at most indexThreshold scans of list
	}
	x.keys = make(map[string]int, len(list))
	for i, v := range list {
		x.add(at, v, i)
	}
	return x
}

func (x *valueIndex) add(at *schema.Attribute, v any, pos int) {
	if x.keys == nil {
		return
	}
	k, ok := valueKey(at, v)
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

// find returns the position in list of a value that matches v, or -1. When vGiven is
// true, v comes from the request and list holds existing values; otherwise the
// reverse.
func (x *valueIndex) find(at *schema.Attribute, list []any, v any, vGiven bool) int {
	match := func(i int) bool {
		if vGiven {
			return sameValueOf(at, list[i], v)
		}
		return sameValueOf(at, v, list[i])
	}
	if x.keys == nil {
		return x.scan(list, match)
	}
	k, ok := valueKey(at, v)
	if !ok {
		return x.scan(list, match) // no key: any value may match
	}
	// A match has the same key, or is among the values without key.
	p, found := x.keys[k]
	switch {
	case found && p < 0:
		return x.scan(list, match)
	case found && match(p):
		return p
	}
	for _, i := range x.unkeyed {
		if match(i) {
			return i
		}
	}
	return -1
}

func (x *valueIndex) scan(list []any, match func(int) bool) int {
	for i := range list {
		if match(i) {
			return i
		}
	}
	return -1
}

// sameValueOf reports whether the given value g designates the existing value e.
func sameValueOf(at *schema.Attribute, e, g any) bool {
	if at.Type == schema.Complex {
		em, _ := e.(map[string]any)
		gm, _ := g.(map[string]any)
		return sameElement(at, em, gm)
	}
	return equalScalar(e, g, !at.CaseExact)
}

// valueKey returns the index key of a value: its "value" sub-attribute (or the value
// itself for a simple attribute) when a string, lower-cased unless caseExact.
func valueKey(at *schema.Attribute, v any) (string, bool) {
	exact := at.CaseExact
	if at.Type == schema.Complex {
		m, _ := v.(map[string]any)
		v = m["value"]
		va := at.SubAttribute("value")
		if va == nil {
			return "", false
		}
		exact = va.CaseExact
	}
	s, ok := v.(string)
	if !ok {
		return "", false
	}
	if !exact {
		return lowerASCII(s)
	}
	return s, true
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
