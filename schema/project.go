package schema

import (
	"maps"
	"strings"
)

// Project returns the part of tree, a canonical resource tree of rt, that a response
// shows, following the returned characteristic of each attribute (RFC 7643 section 7)
// and the attributes and excludedAttributes query parameters (RFC 7644 section 3.9):
//
//   - returned "never" (password) is always removed;
//   - returned "always" (id) is always kept, whatever the parameters say;
//   - returned "request" is kept only when attributes names it (or its parent);
//   - returned "default" is kept unless excluded names it (or its parent), and, when
//     attributes is not empty, only if attributes names it, its parent or one of its
//     sub-attributes (then only those sub-attributes, and the ones returned always).
//
// Names are matched ignoring case and may be an attribute ("emails"), a sub-attribute
// ("name.givenName"), a URN-qualified path ("urn:…:enterprise:2.0:User:department") or
// a bare schema URN, which names every attribute of that schema. Names that rt does not
// know are ignored; an attributes list of only unknown names keeps only the attributes
// returned always. Blanks around names are ignored, and so are empty names. A
// multi-valued complex value or an element of it left with no sub-attribute is
// removed. A top-level "schemas" member is always kept; other members that rt does
// not define are kept unless attributes is in effect.
//
// Project does not modify tree. The result shares every map and slice that needs no
// change with tree (tree itself is returned when nothing changes), so treat both as
// read-only afterwards.
func (rt *ResourceType) Project(tree map[string]any, attributes, excluded []string) map[string]any {
	var abuf, ebuf [8]Ref
	p := projector{
		attrs:    rt.refs(attributes, abuf[:0]),
		excl:     rt.refs(excluded, ebuf[:0]),
		attrMode: hasName(attributes),
	}
	if !p.attrMode && len(p.excl) == 0 && !rt.hasNeverOrRequest() {
		return tree
	}
	return p.resource(rt, tree)
}

// Includes reports whether Project with these attributes and excluded lists would keep
// the attribute named by path (as far as the tree holds it): "members", "emails.value",
// "urn:…:User:manager", or a bare extension URN (true when any of its attributes could
// be kept). A handler uses it to let a store skip loading what no response shows, such
// as a group's members. It is false for a path that names nothing of rt.
func (rt *ResourceType) Includes(attributes, excluded []string, path string) bool {
	var abuf, ebuf [8]Ref
	p := projector{
		attrs:    rt.refs(attributes, abuf[:0]),
		excl:     rt.refs(excluded, ebuf[:0]),
		attrMode: hasName(attributes),
	}
	path = strings.TrimSpace(path)
	if s := rt.SchemaByURN(path); s != nil {
		if p.selects(p.excl, s, nil, nil) {
			return false
		}
		if !p.attrMode {
			return true
		}
		for _, r := range p.attrs {
			if r.Schema == s {
				return true
			}
		}
		return false
	}
	r, ok := rt.Lookup(path)
	if !ok || !p.keepTop(r.Schema, r.Attr) {
		return false
	}
	if r.Sub == nil {
		return true
	}
	return p.keepSub(r.Schema, r.Attr, r.Sub, 1, p.selects(p.attrs, r.Schema, r.Attr, nil))
}

// A Projector is the rule of [ResourceType.Project] compiled for one pair of
// attributes and excludedAttributes lists and asked about one attribute at a time,
// for an encoder that writes resources straight from typed values rather than
// projecting a tree: what it keeps is exactly what Project keeps. A nil *Projector
// stands for empty lists (the default attribute set). A Projector is safe for
// concurrent use.
type Projector struct{ p projector }

// NewProjector compiles the lists as Project reads them.
func (rt *ResourceType) NewProjector(attributes, excluded []string) *Projector {
	return &Projector{p: projector{
		attrs:    rt.refs(attributes, nil),
		excl:     rt.refs(excluded, nil),
		attrMode: hasName(attributes),
	}}
}

// Keep reports whether Project keeps the top-level attribute a of schema s. The
// common attributes (id, externalId, meta) belong to the core schema here.
func (p *Projector) Keep(s *Schema, a *Attribute) bool {
	if p == nil {
		var none projector
		return none.keepTop(s, a)
	}
	return p.p.keepTop(s, a)
}

// KeepSub reports whether Project keeps sub-attribute sub of the top-level attribute
// a of schema s, in a value of a that it keeps.
func (p *Projector) KeepSub(s *Schema, a, sub *Attribute) bool {
	if p == nil {
		var none projector
		return none.keepSub(s, a, sub, 1, false)
	}
	return p.p.keepSub(s, a, sub, 1, p.p.selects(p.p.attrs, s, a, nil))
}

// hasNeverOrRequest reports whether some attribute of rt (or sub-attribute, one level
// deep) is returned never or on request only, so that Project without parameters may
// have something to remove.
func (rt *ResourceType) hasNeverOrRequest() bool {
	check := func(attrs []*Attribute) bool {
		for _, a := range attrs {
			if r := a.EffectiveReturned(); r == Never || r == Request {
				return true
			}
			for _, s := range a.SubAttributes {
				if r := s.EffectiveReturned(); r == Never || r == Request {
					return true
				}
			}
		}
		return false
	}
	if check(rt.Schema.Attributes) || check(CommonAttributes) {
		return true
	}
	for _, e := range rt.Extensions {
		if check(e.Schema.Attributes) {
			return true
		}
	}
	return false
}

// refs resolves names into buf. A bare schema URN becomes a Ref with only Schema set.
func (rt *ResourceType) refs(names []string, buf []Ref) []Ref {
	for _, name := range names {
		name = strings.TrimSpace(name)
		if name == "" {
			continue
		}
		if s := rt.SchemaByURN(name); s != nil {
			buf = append(buf, Ref{Schema: s, Extension: s != rt.Schema})
			continue
		}
		if r, ok := rt.Lookup(name); ok {
			buf = append(buf, r)
		}
	}
	return buf
}

func hasName(names []string) bool {
	for _, n := range names {
		if strings.TrimSpace(n) != "" {
			return true
		}
	}
	return false
}

type projector struct {
	attrs    []Ref // resolved attributes names
	excl     []Ref // resolved excludedAttributes names
	attrMode bool  // attributes was given: only what it names is returned
}

// selects reports whether one of refs names attribute a of schema s (sub nil) or its
// sub-attribute sub, directly or through an ancestor (a whole attribute, a whole schema).
func (p *projector) selects(refs []Ref, s *Schema, a, sub *Attribute) bool {
	for _, r := range refs {
		if r.Schema != s {
			continue
		}
		if r.Attr == nil {
			return true
		}
		if r.Attr != a {
			continue
		}
		if r.Sub == nil || (sub != nil && r.Sub == sub) {
			return true
		}
	}
	return false
}

// selectsBelow reports whether one of refs names a sub-attribute of a.
func (p *projector) selectsBelow(refs []Ref, s *Schema, a *Attribute) bool {
	for _, r := range refs {
		if r.Schema == s && r.Attr == a && r.Sub != nil {
			return true
		}
	}
	return false
}

// keepTop decides for top-level attribute a of schema s.
func (p *projector) keepTop(s *Schema, a *Attribute) bool {
	switch a.EffectiveReturned() {
	case Never:
		return false
	case Always:
		return true
	case Request:
		if !p.attrMode {
			return false
		}
	}
	if p.attrMode && !p.selects(p.attrs, s, a, nil) && !p.selectsBelow(p.attrs, s, a) {
		return false
	}
	return !p.selects(p.excl, s, a, nil)
}

// keepSub decides for sub-attribute sub, depth levels below top-level attribute top
// (1 for its own sub-attributes). named says that attributes names an ancestor of sub
// as a whole. Query parameters address one level of sub-attributes only; deeper ones
// follow their parent.
func (p *projector) keepSub(s *Schema, top, sub *Attribute, depth int, named bool) bool {
	r := sub.EffectiveReturned()
	switch r {
	case Never:
		return false
	case Always:
		return true
	}
	direct := depth == 1
	if p.attrMode {
		if !named && !(direct && p.selects(p.attrs, s, top, sub)) {
			return false
		}
	} else if r == Request {
		return false
	}
	return !(direct && p.selects(p.excl, s, top, sub))
}

// resource projects a whole tree.
func (p *projector) resource(rt *ResourceType, tree map[string]any) map[string]any {
	if p.attrMode {
		// Few members stay: build the result rather than clone and delete.
		out := make(map[string]any, len(p.attrs)+2)
		for k, v := range tree {
			if nv, _, keep := p.member(rt, k, v); keep {
				out[k] = nv
			}
		}
		return out
	}
	var out map[string]any
	for k, v := range tree {
		nv, changed, keep := p.member(rt, k, v)
		if keep && !changed {
			continue
		}
		if out == nil {
			out = maps.Clone(tree)
		}
		if keep {
			out[k] = nv
		} else {
			delete(out, k)
		}
	}
	if out == nil {
		return tree
	}
	return out
}

// member projects top-level member k of a tree.
func (p *projector) member(rt *ResourceType, k string, v any) (nv any, changed, keep bool) {
	core := rt.Schema
	a := core.Attribute(k)
	if a == nil {
		a = find(CommonAttributes, k)
	}
	if a != nil {
		if !p.keepTop(core, a) {
			return nil, false, false
		}
		return p.value(core, a, a, 0, v, p.selects(p.attrs, core, a, nil))
	}
	if strings.EqualFold(k, "schemas") {
		return v, false, true
	}
	if s := rt.SchemaByURN(k); s != nil && s != core {
		m, ok := v.(map[string]any)
		if !ok {
			return v, false, !p.attrMode
		}
		return p.extension(s, m)
	}
	return v, false, !p.attrMode
}

// extension projects the map of an extension's attributes.
func (p *projector) extension(s *Schema, m map[string]any) (nv any, changed, keep bool) {
	whole := p.selects(p.attrs, s, nil, nil)
	return filterMap(m, p.attrMode && !whole, func(k string, v any) (any, bool, bool) {
		a := s.Attribute(k)
		if a == nil {
			// Not in the schema: shown unless attributes is in effect, or when it
			// names the whole extension.
			return v, false, !p.attrMode || whole
		}
		if !p.keepTop(s, a) {
			return nil, false, false
		}
		return p.value(s, a, a, 0, v, p.selects(p.attrs, s, a, nil))
	})
}

// filterMap applies f, which returns a member's new value, whether that differs and
// whether the member stays, to every member of m. The result shares m when nothing
// changes; otherwise it is a clone of m with the changes, or with fresh (when few
// members are expected to stay) a new map of the members that stay. keep is false
// when nothing stays.
func filterMap(m map[string]any, fresh bool, f func(k string, v any) (nv any, changed, keep bool)) (any, bool, bool) {
	var out map[string]any
	if fresh {
		same := 0
		for k, v := range m {
			x, ch, kept := f(k, v)
			if !kept {
				continue
			}
			if !ch {
				same++
			}
			if out == nil {
				out = make(map[string]any, 4)
			}
			out[k] = x
		}
		if same == len(m) {
			return m, false, len(m) > 0
		}
		return out, true, len(out) > 0
	}
	for k, v := range m {
		x, ch, kept := f(k, v)
		if kept && !ch {
			continue
		}
		if out == nil {
			out = maps.Clone(m)
		}
		if kept {
			out[k] = x
		} else {
			delete(out, k)
		}
	}
	if out == nil {
		return m, false, len(m) > 0
	}
	return out, true, len(out) > 0
}

// value projects the value v of attribute a (top-level attribute top, or a
// sub-attribute of it depth levels down) that has been decided to be kept: only the
// sub-attributes of complex values need a look.
func (p *projector) value(s *Schema, top, a *Attribute, depth int, v any, named bool) (nv any, changed, keep bool) {
	if a.Type != Complex || len(a.SubAttributes) == 0 || p.untouched(s, top, a, depth, named) {
		return v, false, true
	}
	switch x := v.(type) {
	case map[string]any:
		return p.object(s, top, a, depth, x, named)
	case []any:
		var out []any
		for i, e := range x {
			var (
				ne       any = e
				ch, kept     = false, true
			)
			if m, ok := e.(map[string]any); ok {
				ne, ch, kept = p.object(s, top, a, depth, m, named)
			}
			if !ch && kept {
				if out != nil {
					out = append(out, e)
				}
				continue
			}
			if out == nil {
				out = make([]any, i, len(x))
				copy(out, x[:i])
			}
			if kept {
				out = append(out, ne)
			}
		}
		if out == nil {
			return v, false, len(x) > 0
		}
		return out, true, len(out) > 0
	}
	return v, false, true
}

// untouched reports whether projection keeps every sub-attribute of every value of
// complex attribute a as it is, so that its values need no walk: a group's ten
// thousand members, say.
func (p *projector) untouched(s *Schema, top, a *Attribute, depth int, named bool) bool {
	if p.attrMode && !named {
		return false
	}
	for _, sub := range a.SubAttributes {
		if r := sub.EffectiveReturned(); r == Never || (r == Request && !named) || sub.Type == Complex {
			return false
		}
	}
	return depth > 0 || !p.selectsBelow(p.excl, s, top)
}

// object projects one complex value of a.
func (p *projector) object(s *Schema, top, a *Attribute, depth int, m map[string]any, named bool) (nv any, changed, keep bool) {
	return filterMap(m, p.attrMode && !named, func(k string, v any) (any, bool, bool) {
		sub := a.SubAttribute(k)
		if sub == nil {
			return v, false, !p.attrMode || named
		}
		if !p.keepSub(s, top, sub, depth+1, named) {
			return nil, false, false
		}
		subNamed := named || (depth == 0 && p.selects(p.attrs, s, top, sub))
		return p.value(s, top, sub, depth+1, v, subNamed)
	})
}
