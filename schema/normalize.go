package schema

import (
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/scimkit/scimkit/internal/jsonlex"
)

// Options controls how incoming values are normalised. The zero value accepts the
// quirks of the identity providers listed at [Options.Strict].
type Options struct {
	// Strict rejects the identity-provider quirks that are accepted by default
	// (string booleans, a bare-string or one-element-array manager, numeric strings
	// for integers, a single object where an array is expected) and unknown attributes.
	//
	// In strict mode every one of them is an *[Error] with Type [ScimInvalidValue]
	// (also for unknown attributes: the body, not a path, is at fault), and so is more
	// than one primary value in a multi-valued attribute. The same attribute given
	// twice is an error in both modes.
	Strict bool
}

// maxDepth bounds the nesting of complex values. The built-in schemas nest three
// levels deep at most (the attributes of the Schema schema); only a hand-made schema
// with complex sub-attributes nested deeper, or a cycle, could reach it.
const maxDepth = 16

// Normalize checks a resource body against rt and returns it as a canonical resource
// tree (see the package documentation), ready for the model conversion or a store:
//
//   - member names are matched ignoring case and written in their canonical spelling;
//   - extension attributes are gathered in a map under the extension's canonical URN,
//     whether they came as such a map (its URN matched ignoring case) or as top-level
//     keys holding a URN-qualified path ("urn:…:enterprise:2.0:User:department");
//     a top-level key holding a dotted path ("name.givenName") is accepted too;
//   - the "schemas" member is dropped (the handler writes schemas itself), so unknown
//     URNs in it do no harm;
//   - readOnly attributes and sub-attributes are dropped without a look at their
//     values (id, meta, groups, manager.displayName): RFC 7644 section 3.5.1 says a
//     server ignores them; writeOnly ones (password) are kept;
//   - null, "" for a bare-string manager, [] and {} mean absent and leave no key;
//   - values are checked against the attribute's type, and converted as
//     [NormalizeValue] describes;
//   - canonicalValues are not enforced (RFC 7643 section 7 allows other values);
//   - in a multi-valued complex attribute with a Boolean "primary" sub-attribute,
//     only the first value marked primary stays so, the others get primary false.
//
// Attributes that rt does not define, including everything under an unregistered
// URN, are dropped and their paths returned in unknown, as written, in sorted order
// and without repeats (a sub-attribute as "name.nickname" with its parent in canonical
// spelling). Only their names are looked at, so deep JSON under an unknown key costs
// nothing.
//
// A value that does not fit its attribute, or an attribute given twice (say as
// "userName" and "USERNAME"), is an *[Error] with Type [ScimInvalidValue] and Path the
// canonical path. Normalize never changes in; out shares no maps or slices with it.
// It does not check required attributes; see [ResourceType.CheckRequired].
//
// in is JSON decoded with json.Decoder.UseNumber (map[string]any, []any, string,
// bool, json.Number, nil); float64 and Go integer numbers are accepted as well.
func (rt *ResourceType) Normalize(in map[string]any, opt Options) (out map[string]any, unknown []string, err error) {
	n := normalizer{opt: opt, report: true}
	out = make(map[string]any, len(in))
	var buf [32]string
	for _, k := range sortedKeys(in, buf[:0]) {
		if err := n.topLevel(rt, out, k, in[k]); err != nil {
			return nil, nil, err
		}
	}
	if len(n.unknown) > 1 {
		slices.Sort(n.unknown)
		n.unknown = slices.Compact(n.unknown)
	}
	return out, n.unknown, nil
}

// NormalizeValue checks and converts a whole value of attribute a, as PATCH values
// need: the result is a canonical value or nil for absent (null, [], {}, a bare ""
// manager). For a multi-valued a the result is a []any; a single element is wrapped
// unless opt.Strict. For a complex a the result is a map[string]any with canonical
// member names, readOnly sub-attributes dropped and unknown ones dropped (an error
// under opt.Strict).
//
// Conversions (none of them under opt.Strict):
//
//   - boolean: the strings "true" and "false" in any letter case;
//   - integer: a string holding a JSON number; any integral number becomes its
//     plain integer text (1e3 becomes 1000); the value must fit in 64 bits;
//   - decimal: a string holding a JSON number; numbers are kept exactly as written;
//   - single-valued complex: a one-element array is unwrapped; a bare string s is
//     {"value": s} when the attribute has a value sub-attribute (the manager forms
//     Entra ID sends), and "" is absent.
//
// Strings, references and binary values must be JSON strings; a dateTime must be a
// string that [ParseDateTime] accepts and is kept as written. NormalizeValue does not
// look at a's own mutability: that is the caller's business.
func NormalizeValue(a *Attribute, v any, opt Options) (any, error) {
	n := normalizer{opt: opt}
	return n.value(a, v, path{}.child(a.Name), 0)
}

// NormalizeElement checks and converts one element of multi-valued attribute a, as
// [NormalizeValue] does for a whole value; for a single-valued a it is NormalizeValue.
// The result is nil for an absent element (null, {}).
func NormalizeElement(a *Attribute, v any, opt Options) (any, error) {
	n := normalizer{opt: opt}
	return n.element(a, v, path{}.child(a.Name), 0)
}

// CheckRequired reports the first required attribute or sub-attribute missing from
// tree, a canonical resource tree of rt, as an *[Error] with Type [ScimInvalidValue]
// and the canonical path of the missing attribute. An empty string counts as missing.
// ReadOnly attributes (id) are not checked: the service provider assigns them. The
// attributes of an extension are checked when the extension is present; a required
// extension must be present.
func (rt *ResourceType) CheckRequired(tree map[string]any) error {
	if err := checkRequired(tree, rt.Schema.Attributes, path{}); err != nil {
		return err
	}
	if err := checkRequired(tree, CommonAttributes, path{}); err != nil {
		return err
	}
	for _, e := range rt.Extensions {
		ext, _ := tree[e.Schema.ID].(map[string]any)
		if len(ext) == 0 {
			if e.Required {
				return &Error{Type: ScimInvalidValue, Path: e.Schema.ID, Detail: "the required extension " + e.Schema.ID + " is missing"}
			}
			continue
		}
		if err := checkRequired(ext, e.Schema.Attributes, path{urn: e.Schema.ID}); err != nil {
			return err
		}
	}
	return nil
}

func checkRequired(m map[string]any, attrs []*Attribute, up path) error {
	for _, a := range attrs {
		if a.EffectiveMutability() == ReadOnly {
			continue
		}
		v, ok := m[a.Name]
		if !ok || isEmpty(v) {
			if a.Required {
				l := up.child(a.Name)
				return &Error{Type: ScimInvalidValue, Path: l.String(), Detail: "the required attribute " + l.String() + " is missing"}
			}
			continue
		}
		if a.Type != Complex {
			continue
		}
		l := up.child(a.Name)
		switch x := v.(type) {
		case map[string]any:
			if err := checkRequired(x, a.SubAttributes, l); err != nil {
				return err
			}
		case []any:
			for _, e := range x {
				if em, ok := e.(map[string]any); ok {
					if err := checkRequired(em, a.SubAttributes, l); err != nil {
						return err
					}
				}
			}
		}
	}
	return nil
}

func isEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case []any:
		return len(x) == 0
	case map[string]any:
		return len(x) == 0
	}
	return false
}

// ParseDateTime parses an xsd:dateTime value (RFC 7643 section 2.3.5), which is an
// RFC 3339 date and time, with fractional seconds if any. A value without time zone
// offset is taken as UTC; lower-case "t" and "z" are accepted as RFC 3339 allows.
func ParseDateTime(s string) (time.Time, error) {
	if len(s) > 64 {
		return time.Time{}, &Error{Type: ScimInvalidValue, Detail: "dateTime value too long"}
	}
	if strings.ContainsAny(s, "tz") {
		s = strings.ToUpper(s)
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err == nil {
		return t, nil
	}
	// xsd:dateTime makes the zone optional.
	if t, err2 := time.Parse("2006-01-02T15:04:05.999999999", s); err2 == nil {
		return t, nil
	}
	return time.Time{}, &Error{Type: ScimInvalidValue, Detail: "invalid dateTime " + strconv.Quote(s) + ": want RFC 3339, like 2015-01-23T04:56:22Z"}
}

// A path is the canonical path of a value being normalised, turned into a string
// only when an error or an unknown attribute needs it. It is passed by value: a chain
// of pointers to the callers' frames would make the escape analysis move every level
// to the heap.
type path struct {
	urn   string    // the extension URN, or "" for the core schema
	names [4]string // attribute, sub-attribute, …; deeper levels are not recorded
	n     int
}

// child returns the path of sub-attribute name of p.
func (p path) child(name string) path {
	if p.n < len(p.names) {
		p.names[p.n] = name
		p.n++
	}
	return p
}

func (p path) String() string {
	var b strings.Builder
	b.WriteString(p.urn)
	for i, name := range p.names[:p.n] {
		if i > 0 {
			b.WriteByte('.')
		} else if p.urn != "" {
			b.WriteByte(':')
		}
		b.WriteString(name)
	}
	return b.String()
}

type normalizer struct {
	opt     Options
	report  bool // collect unknown attributes (else drop them silently)
	unknown []string
}

// unknownAttr records the unknown attribute at path l, or fails in strict mode.
func (n *normalizer) unknownAttr(l path) error {
	if n.opt.Strict {
		return &Error{Type: ScimInvalidValue, Path: l.String(), Detail: "unknown attribute " + strconv.Quote(l.String())}
	}
	if n.report {
		n.unknown = append(n.unknown, l.String())
	}
	return nil
}

// topLevel handles one member k of a resource body.
func (n *normalizer) topLevel(rt *ResourceType, out map[string]any, k string, v any) error {
	if strings.EqualFold(k, "schemas") {
		return nil
	}
	if len(k) >= 4 && strings.EqualFold(k[:4], "urn:") {
		if s := rt.SchemaByURN(k); s != nil {
			// {"urn:…:User": {…}}: a map of the schema's attributes.
			if v == nil {
				return nil
			}
			m, ok := v.(map[string]any)
			if !ok {
				return &Error{Type: ScimInvalidValue, Path: s.ID, Detail: "the value of " + s.ID + " must be a JSON object of its attributes, got " + jsonType(v)}
			}
			dst := n.schemaMap(rt, s, out)
			var buf [16]string
			for _, sk := range sortedKeys(m, buf[:0]) {
				if err := n.member(rt, s, dst, sk, m[sk]); err != nil {
					return err
				}
			}
			n.dropEmpty(out, s)
			return nil
		}
		urn, rest := rt.SplitURN(k)
		if urn == "" {
			return n.unknownAttr(path{}.child(k))
		}
		s := rt.SchemaByURN(urn)
		err := n.member(rt, s, n.schemaMap(rt, s, out), rest, v)
		n.dropEmpty(out, s)
		return err
	}
	return n.member(rt, rt.Schema, out, k, v)
}

// schemaMap returns the map that holds the attributes of s in out: out itself for
// the core schema, else the extension map, created if need be.
func (n *normalizer) schemaMap(rt *ResourceType, s *Schema, out map[string]any) map[string]any {
	if s == rt.Schema {
		return out
	}
	if m, ok := out[s.ID].(map[string]any); ok {
		return m
	}
	m := make(map[string]any)
	out[s.ID] = m
	return m
}

// dropEmpty removes the extension map of s from out if nothing went into it.
func (n *normalizer) dropEmpty(out map[string]any, s *Schema) {
	if m, ok := out[s.ID].(map[string]any); ok && len(m) == 0 {
		delete(out, s.ID)
	}
}

// member handles attribute k (a name, or a dotted name.sub path) of schema s with
// value v, writing into dst, the map of s's attributes.
func (n *normalizer) member(rt *ResourceType, s *Schema, dst map[string]any, k string, v any) error {
	var up path
	if s != rt.Schema {
		up.urn = s.ID
	}
	a := s.Attribute(k)
	if a == nil && s == rt.Schema {
		a = find(CommonAttributes, k)
	}
	if a != nil {
		if a.EffectiveMutability() == ReadOnly {
			return nil
		}
		l := up.child(a.Name)
		nv, err := n.value(a, v, l, 0)
		if err != nil || nv == nil {
			return err
		}
		return merge(dst, a.Name, nv, l)
	}
	name, subName, dotted := strings.Cut(k, ".")
	if dotted {
		a = s.Attribute(name)
		if a == nil && s == rt.Schema {
			a = find(CommonAttributes, name)
		}
		if a != nil && a.Type == Complex && !a.MultiValued {
			sub := a.SubAttribute(subName)
			if sub == nil {
				return n.unknownAttr(up.child(a.Name).child(subName))
			}
			if a.EffectiveMutability() == ReadOnly || sub.EffectiveMutability() == ReadOnly {
				return nil
			}
			pl := up.child(a.Name)
			l := pl.child(sub.Name)
			nv, err := n.value(sub, v, l, 1)
			if err != nil || nv == nil {
				return err
			}
			return merge(dst, a.Name, map[string]any{sub.Name: nv}, pl)
		}
	}
	return n.unknownAttr(up.child(k))
}

// merge sets dst[k] = v. If dst already has k, two single-valued complex values are
// merged member by member; anything else is an attribute given twice.
func merge(dst map[string]any, k string, v any, l path) error {
	old, ok := dst[k]
	if !ok {
		dst[k] = v
		return nil
	}
	om, ok1 := old.(map[string]any)
	nm, ok2 := v.(map[string]any)
	if !ok1 || !ok2 {
		return &Error{Type: ScimInvalidValue, Path: l.String(), Detail: "attribute " + l.String() + " is given more than once"}
	}
	var buf [16]string
	for _, sk := range sortedKeys(nm, buf[:0]) {
		if err := merge(om, sk, nm[sk], l.child(sk)); err != nil {
			return err
		}
	}
	return nil
}

// value normalises a whole value of a.
func (n *normalizer) value(a *Attribute, v any, l path, depth int) (any, error) {
	if v == nil {
		return nil, nil
	}
	if !a.MultiValued {
		return n.element(a, v, l, depth)
	}
	list, ok := v.([]any)
	if !ok {
		if n.opt.Strict {
			return nil, typeError(a, l, v, "an array")
		}
		e, err := n.element(a, v, l, depth)
		if err != nil || e == nil {
			return nil, err
		}
		return []any{e}, nil
	}
	var out []any
	for _, x := range list {
		e, err := n.element(a, x, l, depth)
		if err != nil {
			return nil, err
		}
		if e == nil {
			continue
		}
		if out == nil {
			out = make([]any, 0, len(list))
		}
		out = append(out, e)
	}
	if len(out) == 0 {
		return nil, nil
	}
	if a.Type == Complex {
		if err := n.onePrimary(a, out, l); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// onePrimary keeps primary true on the first value of a multi-valued complex
// attribute that has it and sets it to false on the others (RFC 7643 section 2.4:
// true appears at most once). Strict mode reports them instead.
func (n *normalizer) onePrimary(a *Attribute, list []any, l path) error {
	p := a.SubAttribute("primary")
	if p == nil || p.Type != Boolean || p.MultiValued {
		return nil
	}
	seen := false
	for _, e := range list {
		m, ok := e.(map[string]any)
		if !ok || m[p.Name] != true {
			continue
		}
		if !seen {
			seen = true
			continue
		}
		if n.opt.Strict {
			return &Error{Type: ScimInvalidValue, Path: l.String(), Detail: "more than one value of " + l.String() + " has primary true"}
		}
		m[p.Name] = false
	}
	return nil
}

// element normalises one value of a (one element if a is multi-valued).
func (n *normalizer) element(a *Attribute, v any, l path, depth int) (any, error) {
	if v == nil {
		return nil, nil
	}
	switch a.Type {
	case Complex:
		return n.complexValue(a, v, l, depth)
	case String, Reference, Binary:
		if _, ok := v.(string); ok {
			return v, nil // v, not the string: re-boxing would allocate
		}
		return nil, typeError(a, l, v, "a string")
	case Boolean:
		switch x := v.(type) {
		case bool:
			return v, nil
		case string:
			if !n.opt.Strict {
				if strings.EqualFold(x, "true") {
					return true, nil
				}
				if strings.EqualFold(x, "false") {
					return false, nil
				}
			}
		}
		return nil, typeError(a, l, v, "a boolean")
	case Integer:
		if num, ok := n.integer(v); ok {
			return num, nil
		}
		return nil, typeError(a, l, v, "an integer")
	case Decimal:
		if num, ok := n.decimal(v); ok {
			return num, nil
		}
		return nil, typeError(a, l, v, "a number")
	case DateTime:
		if s, ok := v.(string); ok {
			if _, err := ParseDateTime(s); err == nil {
				return v, nil
			}
		}
		return nil, typeError(a, l, v, "a dateTime string like 2015-01-23T04:56:22Z")
	}
	return nil, &Error{Type: ScimInvalidValue, Path: l.String(), Detail: "attribute " + l.String() + " has the unsupported type " + strconv.Quote(string(a.Type))}
}

// complexValue normalises one complex value of a.
func (n *normalizer) complexValue(a *Attribute, v any, l path, depth int) (any, error) {
	if depth >= maxDepth {
		return nil, &Error{Type: ScimInvalidValue, Path: l.String(), Detail: "complex values nested too deeply"}
	}
	switch x := v.(type) {
	case map[string]any:
		if len(x) == 0 {
			return nil, nil
		}
		out := make(map[string]any, len(x))
		var buf [16]string
		for _, k := range sortedKeys(x, buf[:0]) {
			sub := a.SubAttribute(k)
			if sub == nil {
				if err := n.unknownAttr(l.child(k)); err != nil {
					return nil, err
				}
				continue
			}
			if sub.EffectiveMutability() == ReadOnly {
				continue
			}
			sl := l.child(sub.Name)
			nv, err := n.value(sub, x[k], sl, depth+1)
			if err != nil {
				return nil, err
			}
			if nv == nil {
				continue
			}
			if _, dup := out[sub.Name]; dup {
				return nil, &Error{Type: ScimInvalidValue, Path: sl.String(), Detail: "attribute " + sl.String() + " is given more than once"}
			}
			out[sub.Name] = nv
		}
		if len(out) == 0 {
			return nil, nil
		}
		return out, nil
	case []any:
		// A single-valued complex attribute sent as a one-element array: the manager
		// form of Entra ID's PATCH example.
		if !a.MultiValued && !n.opt.Strict {
			switch len(x) {
			case 0:
				return nil, nil
			case 1:
				if _, nested := x[0].([]any); !nested {
					return n.complexValue(a, x[0], l, depth+1)
				}
			}
		}
	case string:
		// A bare string for a single-valued complex attribute with a value
		// sub-attribute: the manager id that Entra ID sends.
		if !a.MultiValued && !n.opt.Strict {
			if sub := a.SubAttribute("value"); sub != nil && !sub.MultiValued && (sub.Type == String || sub.Type == Reference) {
				if x == "" {
					return nil, nil
				}
				return map[string]any{sub.Name: v}, nil
			}
		}
	}
	return nil, typeError(a, l, v, "a JSON object")
}

// integer converts v to the canonical json.Number of an integer (returned as any, so
// that a json.Number that is already canonical is passed on without a new box).
func (n *normalizer) integer(v any) (any, bool) {
	var s string
	switch x := v.(type) {
	case json.Number:
		s = string(x)
	case string:
		if n.opt.Strict {
			return nil, false
		}
		s = x
	case float64:
		if x != math.Trunc(x) || math.Abs(x) >= 1<<63 {
			return nil, false
		}
		return json.Number(strconv.FormatInt(int64(x), 10)), true
	case int:
		return json.Number(strconv.Itoa(x)), true
	case int64:
		return json.Number(strconv.FormatInt(x, 10)), true
	default:
		return nil, false
	}
	if !jsonlex.ValidNumber(s) {
		return nil, false
	}
	if _, err := strconv.ParseInt(s, 10, 64); err == nil {
		// The JSON grammar rules out leading zeros, so s is canonical but for "-0".
		switch {
		case s == "-0":
			return json.Number("0"), true
		case v == any(json.Number(s)):
			return v, true
		}
		return json.Number(s), true
	}
	// An integral value written as 1e3 or 5.0.
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) >= 1<<53 {
		return nil, false
	}
	return json.Number(strconv.FormatInt(int64(f), 10)), true
}

// decimal converts v to a json.Number, keeping the text of numbers as written.
func (n *normalizer) decimal(v any) (any, bool) {
	switch x := v.(type) {
	case json.Number:
		return v, jsonlex.ValidNumber(string(x))
	case string:
		if n.opt.Strict || !jsonlex.ValidNumber(x) {
			return nil, false
		}
		return json.Number(x), true
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return nil, false
		}
		return json.Number(strconv.FormatFloat(x, 'g', -1, 64)), true
	case int:
		return json.Number(strconv.Itoa(x)), true
	case int64:
		return json.Number(strconv.FormatInt(x, 10)), true
	}
	return nil, false
}

func typeError(a *Attribute, l path, v any, want string) *Error {
	p := l.String()
	return &Error{Type: ScimInvalidValue, Path: p, Detail: "attribute " + p + " must be " + want + ", got " + jsonType(v)}
}

// jsonType names the JSON type of a decoded value, for error details. Values are
// not quoted back: they may be long, or secret (a password).
func jsonType(v any) string {
	switch x := v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case json.Number, float64, int, int64:
		return "a number"
	case []any:
		if len(x) == 1 {
			return "an array of 1 value"
		}
		return "an array of " + strconv.Itoa(len(x)) + " values"
	case map[string]any:
		return "a JSON object"
	}
	return "an unsupported value"
}

// sortedKeys appends the keys of m to buf in sorted order.
func sortedKeys(m map[string]any, buf []string) []string {
	for k := range m {
		buf = append(buf, k)
	}
	if len(buf) > 1 {
		slices.Sort(buf)
	}
	return buf
}
