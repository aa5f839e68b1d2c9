package patch

import (
	"errors"
	"slices"
	"strings"

	"github.com/scimkit/scimkit/filter"
	"github.com/scimkit/scimkit/schema"
)

// Options configure [Apply]. The zero value is the lenient default.
type Options struct {
	// Strict rejects, with status 400, what the lenient default accepts from identity
	// providers: unknown attributes (invalidPath; by default such operations are
	// skipped and listed in Result.Skipped), values in the wrong JSON type that have
	// an obvious meaning (the strings "True" and "False" for a boolean, a number in a
	// string, a bare id for a complex reference such as manager, a one-element array
	// for a single value) and extension attributes named without their schema URN.
	Strict bool
}

// A Skip is an operation, or a member of a path-less operation's value, that [Apply]
// skipped because it names an attribute the resource type does not have.
type Skip struct {
	Index int    // index of the operation in Request.Operations
	Path  string // the path, or the member name of a path-less value, as sent
}

// A Result describes what [Apply] did.
type Result struct {
	// Changed is false when the request left the resource as it was: every operation
	// was a no-op, skipped, or undone by a later one. The caller should then not bump
	// the resource's version.
	Changed bool
	// ChangedAttributes are the canonical paths of the top-level attributes whose value
	// differs from before, in the order first changed: "emails", "name",
	// "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager".
	ChangedAttributes []string
	// Skipped lists the operations and path-less members skipped for naming unknown
	// attributes (never set with Options.Strict, which fails instead).
	Skipped []Skip
}

// Apply applies the operations of req, in order, to res, a resource of type rt in the
// canonical tree form of package schema, and returns the new resource.
//
// Apply never modifies res. The returned tree shares every subtree that the request
// did not change with res and may share values with req, so callers must treat all
// three as read-only. When nothing changed, the returned tree is res itself and
// Result.Changed is false. On error the returned tree is nil and nothing is applied:
// a PATCH is all or nothing.
//
// The semantics are those of RFC 7644 section 3.5.2, with the choices that Entra ID and
// Okta need (the requirement ids are those of docs/COMPAT.md):
//
//   - Add sets a single-valued attribute; on a multi-valued attribute it appends each
//     value not already present. Values of a complex multi-valued attribute are the
//     same when their "value" sub-attribute is equal (following caseExact) and their
//     "type", where both have one, is equal ignoring case; a value that is already
//     present is merged into the existing one.
//   - Replace sets a single-valued attribute, replaces the whole list of a
//     multi-valued one and, on a complex attribute, sets the sub-attributes given and
//     keeps the others, except that a new "value" of a reference such as manager
//     replaces the whole object. Replace with null or an empty value removes.
//   - Remove without value removes the attribute. With a value, a multi-valued
//     attribute loses the listed values only, and a single-valued attribute is removed
//     only when equal to the value (ENTRA-PATCH-8, ENTRA-PATCH-10). A filter that
//     matches nothing makes Remove a no-op.
//   - Add and Replace on a filtered path such as emails[type eq "work"].value update
//     the matching values; when none matches and the filter is a conjunction of "eq"
//     comparisons that includes "type" (or for Add, any conjunction of "eq"), a value
//     made of those comparisons and the new sub-attribute is appended
//     (ENTRA-PATCH-4). Otherwise a filter that matches nothing is noTarget.
//   - Without path, each member of the value object is a path (plain, dotted such as
//     name.givenName, or URN-qualified) or an extension URN with an object of its
//     attributes. Members "schemas" and "meta" are ignored, and so is "id" when equal
//     to the resource's id (ENTRA-PATCH-9, OKTA-GROUP-2).
//   - Setting primary to true on a value sets it to false on the others.
//   - Read-only attributes (id, meta, groups) cannot be changed, immutable ones only
//     set when unset, and required ones (userName) not removed: mutability.
//   - Values are normalised by the schema: canonical names, strings "True"/"False"
//     for booleans and a bare manager id unless opt.Strict (ENTRA-PATCH-3, -7).
//   - Unknown attributes are skipped and listed in Result.Skipped, or rejected with
//     invalidPath when opt.Strict (ENTRA-PATCH-12).
//
// The password attribute is set like any other; package scim takes it out of the tree
// before storing. Errors are of type *[Error] and never quote a writeOnly value.
func Apply(rt *schema.ResourceType, res map[string]any, req *Request, opt Options) (map[string]any, Result, error) {
	a := applier{rt: rt, strict: opt.Strict, orig: res, root: res}
	a.touched = a.touchedBuf[:0]
	for i := range req.Operations {
		a.index = i
		if err := a.apply(&req.Operations[i]); err != nil {
			return nil, Result{}, err
		}
	}
	r := Result{ChangedAttributes: a.diff(), Skipped: a.skipped}
	r.Changed = len(r.ChangedAttributes) > 0
	if !r.Changed {
		return res, r, nil
	}
	return a.root, r, nil
}

// An applier holds the state of one Apply call. root is res until the first write, then
// a copy that the applier owns; containers in owned may be changed in place, all others
// are shared with res and copied before a change.
type applier struct {
	rt     *schema.ResourceType
	strict bool
	orig   map[string]any
	root   map[string]any

	rootOwned  bool
	owned      ptrSet
	index      int
	skipped    []Skip
	touched    []attrKey
	touchedBuf [8]attrKey
}

// An attrKey names a top-level attribute for change tracking. attr nil stands for
// every attribute of the extension urn.
type attrKey struct {
	urn  string
	attr *schema.Attribute
}

// A target is a resolved PATCH path.
type target struct {
	schema *schema.Schema    // a whole schema (path is an extension URN); the rest is unset
	urn    string            // extension URN under which attr lives, "" for core
	attr   *schema.Attribute // the top-level attribute
	sub    *schema.Attribute // the sub-attribute, or nil
	filter filter.Expr       // the value filter, or nil
	elem   *filter.Matcher   // the compiled filter of a complex attribute
	match  matcher           // the compiled filter of a simple multi-valued attribute
	raw    string            // the path as sent, for messages
}

func (a *applier) errorf(t schema.ScimType, detail string) *Error {
	return errorf(a.index, t, detail)
}

func (a *applier) apply(op *Operation) error {
	if op.Path == nil {
		obj, _ := op.Value.(map[string]any)
		return a.applyObject(op.Op, nil, obj)
	}
	t, ok, err := a.resolve(op.Path, op.RawPath)
	if err != nil || !ok {
		return err
	}
	return a.applyTarget(op.Op, &t, op.Value, op.HasValue && op.Value != nil)
}

// resolve resolves p against the resource type. It returns false, without error, for
// an unknown attribute that is skipped.
func (a *applier) resolve(p *filter.Path, raw string) (target, bool, error) {
	t := target{raw: raw}
	if p.Filter == nil && p.Attr.Sub == "" && p.Sub == "" && p.Attr.URN != "" {
		if s := a.rt.SchemaByURN(p.Attr.URN + ":" + p.Attr.Name); s != nil {
			t.schema = s
			return t, true, nil
		}
	}
	sub := p.Attr.Sub
	if p.Filter != nil {
		if sub != "" {
			return t, false, a.errorf(schema.ScimInvalidPath, "a value filter cannot follow a sub-attribute")
		}
		sub = p.Sub
	}
	ref, ok := a.rt.Resolve(p.Attr.URN, p.Attr.Name, sub)
	if !ok && p.Attr.URN == "" && !a.strict {
		// Lenient: an extension attribute without its URN ("manager"), when exactly
		// one extension has an attribute of that name.
		var found *schema.Schema
		for _, e := range a.rt.Extensions {
			if e.Schema.Attribute(p.Attr.Name) != nil {
				if found != nil {
					found = nil
					break
				}
				found = e.Schema
			}
		}
		if found != nil {
			ref, ok = a.rt.Resolve(found.ID, p.Attr.Name, sub)
		}
	}
	if !ok {
		return t, false, a.unknown(raw)
	}
	t.attr, t.sub = ref.Attr, ref.Sub
	if ref.Extension {
		t.urn = ref.Schema.ID
	}
	if p.Filter != nil {
		if t.attr.Type != schema.Complex && !t.attr.MultiValued {
			return t, false, a.errorf(schema.ScimInvalidPath, "attribute "+t.attr.Name+" has a single simple value: it takes no value filter")
		}
		if !knownSubs(t.attr, p.Filter) {
			return t, false, a.unknown(raw)
		}
		t.filter = p.Filter
		if t.attr.Type == schema.Complex {
			m, err := filter.CompileElement(p.Filter, a.rt, schema.Ref{Schema: ref.Schema, Attr: ref.Attr, Extension: ref.Extension})
			if err != nil {
				return t, false, a.errorf(schema.ScimInvalidPath, "invalid value filter in path: "+err.Error())
			}
			t.elem = m
		} else {
			m, err := compileMatcher(t.attr, p.Filter)
			if err != nil {
				return t, false, a.errorf(schema.ScimInvalidPath, "invalid value filter in path: "+err.Error())
			}
			t.match = m
		}
	}
	return t, true, nil
}

// knownSubs reports whether every attribute that the value filter e of attribute at
// compares is a sub-attribute of at ("value" for a simple attribute). Nested value
// filters are left to the filter compiler, which rejects them.
func knownSubs(at *schema.Attribute, e filter.Expr) bool {
	switch e := e.(type) {
	case *filter.Logical:
		return knownSubs(at, e.Left) && knownSubs(at, e.Right)
	case *filter.Not:
		return knownSubs(at, e.X)
	case *filter.Compare:
		if e.Path.URN != "" || e.Path.Sub != "" {
			return false
		}
		if at.Type != schema.Complex {
			return strings.EqualFold(e.Path.Name, "value")
		}
		return at.SubAttribute(e.Path.Name) != nil
	}
	return true
}

// matches reports whether the value e of t.attr is selected by t's filter (every value
// is when there is none).
func (t *target) matches(e any) bool {
	switch {
	case t.elem != nil:
		m, ok := e.(map[string]any)
		return ok && t.elem.Match(m)
	case t.match != nil:
		return t.match(e)
	}
	return true
}

// unknown skips, or in strict mode rejects, an unknown attribute path.
func (a *applier) unknown(path string) error {
	if a.strict {
		return a.errorf(schema.ScimInvalidPath, "unknown attribute "+quote(path))
	}
	a.skipped = append(a.skipped, Skip{Index: a.index, Path: path})
	return nil
}

func quote(s string) string { return `"` + clip(s) + `"` }

// applyObject applies op (add or replace) with a path-less value object: each member
// names an attribute of s, or when s is nil of the resource (core attributes, dotted
// and URN-qualified paths, extension URNs).
func (a *applier) applyObject(op string, s *schema.Schema, obj map[string]any) error {
	keys := make([]string, 0, len(obj))
	for k := range obj {
		keys = append(keys, k)
	}
	slices.Sort(keys) // a deterministic order for members that overlap or fail
	for _, k := range keys {
		v := obj[k]
		var p filter.Path
		switch {
		case s == nil && (strings.EqualFold(k, "schemas") || strings.EqualFold(k, "meta")):
			continue
		case s == nil && strings.EqualFold(k, "id"):
			if id, _ := a.orig["id"].(string); v != any(id) {
				return a.errorf(schema.ScimMutability, "attribute id is read-only and differs from the resource's id")
			}
			continue
		case s == nil && strings.ContainsAny(k, ".[: "):
			if es := a.rt.SchemaByURN(k); es != nil {
				if err := a.applyTarget(op, &target{schema: es, raw: k}, v, v != nil); err != nil {
					return err
				}
				continue
			}
			var err error
			if p, err = filter.ParsePath(k); err != nil {
				if err := a.unknown(k); err != nil {
					return err
				}
				continue
			}
		case s != nil:
			name, sub, _ := strings.Cut(k, ".")
			p = filter.Path{Attr: filter.AttrPath{URN: s.ID, Name: name, Sub: sub}}
			if s == a.rt.Schema {
				p.Attr.URN = ""
			}
		default:
			p = filter.Path{Attr: filter.AttrPath{Name: k}}
		}
		t, ok, err := a.resolve(&p, k)
		if err != nil {
			return err
		}
		if ok {
			if err := a.applyTarget(op, &t, v, v != nil); err != nil {
				return err
			}
		}
	}
	return nil
}

// applyTarget applies op at t with value v (nil when absent or null).
func (a *applier) applyTarget(op string, t *target, v any, hasValue bool) error {
	if t.schema != nil {
		if op == OpRemove || !hasValue {
			if op == OpAdd {
				return nil
			}
			return a.removeSchema(t.schema)
		}
		obj, ok := v.(map[string]any)
		if !ok {
			return a.errorf(schema.ScimInvalidValue, "the value for "+quote(t.raw)+" must be an object of its attributes")
		}
		if t.schema == a.rt.Schema {
			return a.applyObject(op, nil, obj)
		}
		return a.applyObject(op, t.schema, obj)
	}
	if m := t.attr.EffectiveMutability(); m == schema.ReadOnly {
		return a.errorf(schema.ScimMutability, "attribute "+t.attr.Name+" is read-only")
	}
	if t.sub != nil && t.sub.EffectiveMutability() == schema.ReadOnly {
		return a.errorf(schema.ScimMutability, "attribute "+t.attr.Name+"."+t.sub.Name+" is read-only")
	}
	switch {
	case t.filter != nil || (t.attr.MultiValued && t.sub != nil):
		return a.applyValues(op, t, v, hasValue)
	case t.attr.MultiValued:
		return a.applyList(op, t, v, hasValue)
	case t.sub != nil:
		return a.applySub(op, t, v, hasValue)
	}
	return a.applySingle(op, t, v, hasValue)
}

// removeSchema removes every attribute of the extension s.
func (a *applier) removeSchema(s *schema.Schema) error {
	if s == nil || s == a.rt.Schema {
		return a.errorf(schema.ScimNoTarget, "remove needs the path of an attribute")
	}
	for _, e := range a.rt.Extensions {
		if e.Schema == s && e.Required {
			return a.errorf(schema.ScimMutability, "extension "+s.ID+" is required")
		}
	}
	ext, _ := a.root[s.ID].(map[string]any)
	if len(ext) == 0 {
		return nil
	}
	for _, at := range s.Attributes {
		if ext[at.Name] == nil {
			continue
		}
		if at.Required || at.EffectiveMutability() == schema.Immutable || at.EffectiveMutability() == schema.ReadOnly {
			return a.errorf(schema.ScimMutability, "attribute "+s.ID+":"+at.Name+" cannot be removed")
		}
	}
	a.touch(s.ID, nil)
	delete(a.rootW(), s.ID)
	return nil
}

// applySingle applies op to a single-valued attribute as a whole.
func (a *applier) applySingle(op string, t *target, v any, hasValue bool) error {
	at := t.attr
	cur := a.get(t.urn, at)
	var nv any
	if hasValue {
		var err error
		if nv, err = a.normSingle(t, at, v); err != nil {
			return err
		}
	}
	if op == OpRemove || nv == nil {
		if op == OpAdd || cur == nil {
			return nil // nothing to add, or nothing to remove
		}
		if op == OpRemove && nv != nil && !a.sameValue(at, cur, nv) {
			return nil // ENTRA-PATCH-8, -10: remove only when equal
		}
		if err := a.checkRemovable(at, at.Name); err != nil {
			return err
		}
		a.put(t.urn, at, nil)
		return nil
	}
	if at.Type == schema.Complex {
		curm, _ := cur.(map[string]any)
		newm := nv.(map[string]any)
		if curm != nil && !replacesReference(at, curm, newm) {
			m, changed, err := a.merge(at, curm, newm, true)
			if err != nil {
				return err
			}
			if changed {
				a.put(t.urn, at, m)
			}
			return nil
		}
	}
	if equalValue(cur, nv) {
		return nil
	}
	if cur != nil && at.EffectiveMutability() == schema.Immutable {
		return a.errorf(schema.ScimMutability, "attribute "+at.Name+" is immutable")
	}
	a.put(t.urn, at, nv)
	return nil
}

// applySub applies op to a sub-attribute of a single-valued complex attribute.
func (a *applier) applySub(op string, t *target, v any, hasValue bool) error {
	at, sub := t.attr, t.sub
	curm, _ := a.get(t.urn, at).(map[string]any)
	old := curm[sub.Name]
	var nv any
	if hasValue {
		var err error
		if nv, err = a.normSingle(t, sub, v); err != nil {
			return err
		}
	}
	if op == OpRemove || nv == nil {
		if op == OpAdd || old == nil {
			return nil
		}
		if op == OpRemove && nv != nil && !a.sameValue(sub, old, nv) {
			return nil
		}
		if err := a.checkRemovable(sub, at.Name+"."+sub.Name); err != nil {
			return err
		}
		if sub.Name == "value" {
			// A reference such as manager without its value is no reference.
			if err := a.checkRemovable(at, at.Name); err != nil {
				return err
			}
			a.put(t.urn, at, nil)
			return nil
		}
		m := a.ownMap(curm)
		delete(m, sub.Name)
		a.put(t.urn, at, emptyToNil(m))
		return nil
	}
	if equalValue(old, nv) {
		return nil
	}
	if old != nil && sub.EffectiveMutability() == schema.Immutable {
		return a.errorf(schema.ScimMutability, "attribute "+at.Name+"."+sub.Name+" is immutable")
	}
	m := a.ownMap(curm)
	m[sub.Name] = nv
	a.put(t.urn, at, m)
	return nil
}

// applyList applies op to a multi-valued attribute as a whole.
func (a *applier) applyList(op string, t *target, v any, hasValue bool) error {
	at := t.attr
	cur, _ := a.get(t.urn, at).([]any)
	var given []any
	if hasValue {
		var err error
		if given, err = a.normList(t, v); err != nil {
			return err
		}
	}
	switch {
	case op == OpAdd:
		if len(given) == 0 {
			return nil
		}
		list, err := a.addValues(at, cur, given)
		if err != nil {
			return err
		}
		a.put(t.urn, at, list)
		return nil
	case op == OpRemove && hasValue:
		if len(given) == 0 || len(cur) == 0 {
			return nil // ENTRA-GROUP-5: an empty list removes nothing
		}
		list := a.removeValues(at, cur, given)
		if len(list) == len(cur) {
			return nil
		}
		if len(list) == 0 {
			if err := a.checkRemovable(at, at.Name); err != nil {
				return err
			}
		}
		a.put(t.urn, at, emptyListToNil(list))
		return nil
	case op == OpReplace && len(given) > 0:
		list := a.ownList(nil, len(given))
		list, err := a.addValues(at, list, given)
		if err != nil {
			return err
		}
		if !equalValue(cur, list) {
			a.put(t.urn, at, list)
		}
		return nil
	}
	// Remove without value, or replace with null or an empty list: clear.
	if len(cur) == 0 {
		return nil
	}
	if err := a.checkRemovable(at, at.Name); err != nil {
		return err
	}
	a.put(t.urn, at, nil)
	return nil
}

// applyValues applies op to the values of t.attr selected by t.match (all of them when
// there is no filter), or to their sub-attribute t.sub.
func (a *applier) applyValues(op string, t *target, v any, hasValue bool) error {
	at, sub := t.attr, t.sub
	cur := a.get(t.urn, at)
	var list []any
	if at.MultiValued {
		list, _ = cur.([]any)
	} else if cur != nil {
		list = []any{cur} // a single complex value, as in manager[value eq "u-2"]
	}
	var matched []int
	for i, e := range list {
		if t.matches(e) {
			matched = append(matched, i)
		}
	}
	var nv any
	if hasValue && op != OpRemove {
		var err error
		if sub != nil {
			nv, err = a.normSingle(t, sub, v)
		} else {
			nv, err = a.normElement(t, v)
		}
		if err != nil {
			return err
		}
	}
	if op == OpRemove || nv == nil {
		if op == OpAdd || len(matched) == 0 {
			return nil
		}
		return a.removeMatched(t, list, matched, op == OpRemove && hasValue, v)
	}

	if len(matched) == 0 {
		base, ok := a.createFrom(op, t)
		if !ok {
			return a.errorf(schema.ScimNoTarget, "no value of "+at.Name+" matches the filter of "+quote(t.raw))
		}
		if sub != nil {
			base[sub.Name] = nv
		} else {
			for k, x := range nv.(map[string]any) {
				base[k] = x
			}
		}
		if !at.MultiValued {
			a.put(t.urn, at, base)
			return nil
		}
		out := a.ownList(list, 1)
		out = a.appendList(out, base)
		if isPrimary(base) {
			a.fixPrimary(out, len(out)-1)
		}
		a.put(t.urn, at, out)
		return nil
	}

	out := list
	if at.MultiValued {
		out = a.ownList(list, 0)
	}
	changed, primary := false, -1
	for _, i := range matched {
		e, _ := out[i].(map[string]any)
		var ne any
		switch {
		case at.Type != schema.Complex: // a simple multi-valued attribute
			if equalValue(out[i], nv) {
				continue
			}
			ne = nv
		case sub != nil:
			if equalValue(e[sub.Name], nv) {
				continue
			}
			if e[sub.Name] != nil && sub.EffectiveMutability() == schema.Immutable {
				return a.errorf(schema.ScimMutability, "attribute "+at.Name+"."+sub.Name+" is immutable")
			}
			m := a.ownMap(e)
			m[sub.Name] = nv
			ne = m
		case op == OpAdd:
			m, ch, err := a.merge(at, e, nv.(map[string]any), false)
			if err != nil {
				return err
			}
			if !ch {
				continue
			}
			ne = m
		default: // replace the whole value, keeping what the filter selected it by
			m := a.ownMap(nil)
			for k, x := range nv.(map[string]any) {
				m[k] = x
			}
			if base, ok := a.createFrom(OpAdd, t); ok {
				for k, x := range base {
					if _, set := m[k]; !set {
						m[k] = x
					}
				}
			}
			if equalValue(e, m) {
				continue
			}
			ne = m
		}
		out[i], changed = ne, true
		if isPrimary(ne) && primary < 0 {
			primary = i
		}
	}
	if !changed {
		return nil
	}
	if !at.MultiValued {
		a.put(t.urn, at, out[0])
		return nil
	}
	a.fixPrimary(out, primary)
	a.put(t.urn, at, out)
	return nil
}

// removeMatched removes the matched values of t.attr, or their sub-attribute t.sub.
// With a value (hasValue), a sub-attribute is removed only where equal to it.
func (a *applier) removeMatched(t *target, list []any, matched []int, hasValue bool, v any) error {
	at, sub := t.attr, t.sub
	var want any
	if hasValue && sub != nil {
		var err error
		if want, err = a.normSingle(t, sub, v); err != nil {
			return err
		}
	}
	drop := make([]bool, len(list))
	out := list
	if at.MultiValued {
		out = a.ownList(list, 0)
	}
	changed := false
	for _, i := range matched {
		if sub == nil {
			drop[i], changed = true, true
			continue
		}
		e, _ := out[i].(map[string]any)
		old := e[sub.Name]
		if old == nil || want != nil && !a.sameValue(sub, old, want) {
			continue
		}
		if err := a.checkRemovable(sub, at.Name+"."+sub.Name); err != nil {
			return err
		}
		m := a.ownMap(e)
		delete(m, sub.Name)
		out[i], changed = m, true
		if len(m) == 0 {
			drop[i] = true
		}
	}
	if !changed {
		return nil
	}
	kept := out[:0]
	for i, e := range out {
		if !drop[i] {
			kept = append(kept, e)
		}
	}
	if len(kept) == 0 {
		if err := a.checkRemovable(at, at.Name); err != nil {
			return err
		}
		a.put(t.urn, at, nil)
		return nil
	}
	if !at.MultiValued {
		a.put(t.urn, at, kept[0])
		return nil
	}
	a.put(t.urn, at, kept)
	return nil
}

// createFrom returns the value that a filtered Add or Replace creates when no value
// matches the filter: the sub-attributes compared with "eq" in a filter made only of
// "eq" comparisons joined by "and". Replace creates only when one of them is "type"
// (ENTRA-PATCH-4; RFC 7644 would answer noTarget); Add creates for any such filter.
func (a *applier) createFrom(op string, t *target) (map[string]any, bool) {
	if t.filter == nil {
		// emails.value on an empty list: create a value holding just that.
		return a.ownMap(nil), t.attr.Type == schema.Complex
	}
	if t.attr.Type != schema.Complex {
		return nil, false
	}
	m := a.ownMap(nil)
	if !a.eqPairs(t.attr, t.filter, m) {
		return nil, false
	}
	if op == OpReplace && m["type"] == nil {
		return nil, false
	}
	return m, true
}

func (a *applier) eqPairs(at *schema.Attribute, e filter.Expr, m map[string]any) bool {
	switch e := e.(type) {
	case *filter.Logical:
		return e.Op == filter.And && a.eqPairs(at, e.Left, m) && a.eqPairs(at, e.Right, m)
	case *filter.Compare:
		if e.Op != filter.Eq || e.Value == nil || e.Path.URN != "" || e.Path.Sub != "" {
			return false
		}
		sub := at.SubAttribute(e.Path.Name)
		if sub == nil || sub.EffectiveMutability() == schema.ReadOnly {
			return false
		}
		v, err := schema.NormalizeElement(sub, e.Value, a.sopt())
		if err != nil || v == nil {
			return false
		}
		if old, dup := m[sub.Name]; dup && !equalValue(old, v) {
			return false
		}
		m[sub.Name] = v
		return true
	}
	return false
}

// merge merges the sub-attributes of b into the complex value m and returns the
// result and whether it differs from m: m itself when it is owned or nothing changed,
// else an owned copy. Strings that differ only in case where the sub-attribute is not
// caseExact count as equal, and keep their stored spelling. A read-only or immutable sub-attribute that already has a
// different value is a mutability error when explicit is set (the request names it),
// else it keeps its value.
func (a *applier) merge(at *schema.Attribute, m, b map[string]any, explicit bool) (map[string]any, bool, error) {
	out, changed := m, false
	for k, v := range b {
		old, set := m[k]
		sa := at.SubAttribute(k)
		if set && (equalValue(old, v) || sa != nil && equalScalar(old, v, !sa.CaseExact)) {
			continue // equal, or equal but for the case of a caseExact=false string
		}
		if set {
			if sa != nil && sa.EffectiveMutability() != schema.ReadWrite && sa.EffectiveMutability() != schema.WriteOnly {
				if explicit {
					return nil, false, a.errorf(schema.ScimMutability, "attribute "+at.Name+"."+sa.Name+" is "+string(sa.EffectiveMutability()))
				}
				continue
			}
		}
		if !changed {
			out, changed = a.ownMap(m), true
		}
		out[k] = v
	}
	return out, changed, nil
}

// replacesReference reports whether a new value of the complex attribute at names a
// different referenced resource ("value" differs), so that it replaces the old value
// instead of being merged into it: a new manager does not keep the old one's $ref.
func replacesReference(at *schema.Attribute, cur, nv map[string]any) bool {
	va := at.SubAttribute("value")
	if va == nil {
		return false
	}
	x, y := cur["value"], nv["value"]
	return x != nil && y != nil && !equalScalar(x, y, !va.CaseExact)
}

// addValues appends to list (owned by the applier, or shared and then copied) the
// given values that are not in it yet, merging those that are, and returns the result.
func (a *applier) addValues(at *schema.Attribute, list, given []any) ([]any, error) {
	c := newValueCmp(at)
	var idx valueIndex
	if len(given) > indexThreshold {
		idx = c.index(list) // the list grows: index it even when short
	}
	find := func(p *probe, out []any) int {
		if idx.keys != nil {
			k, ok := c.key(p.v)
			pos, scanAll := idx.candidates(k, ok)
			if !scanAll {
				if pos >= 0 && c.matches(p, out[pos]) {
					return pos
				}
				for _, i := range idx.unkeyed {
					if c.matches(p, out[i]) {
						return i
					}
				}
				return -1
			}
		}
		for i, e := range out {
			if c.matches(p, e) {
				return i
			}
		}
		return -1
	}

	out, owned := list, false
	primary := -1
	for _, g := range given {
		p := c.probe(g)
		j := find(&p, out)
		if j < 0 {
			if !owned {
				out, owned = a.ownList(out, len(given)), true
			}
			out = a.appendList(out, g)
			idx.add(&c, g, len(out)-1)
			if isPrimary(g) && primary < 0 {
				primary = len(out) - 1
			}
			continue
		}
		e, ok := out[j].(map[string]any)
		if !ok {
			continue // an equal simple value
		}
		m, changed, err := a.merge(at, e, g.(map[string]any), false)
		if err != nil {
			return nil, err
		}
		if changed {
			if !owned {
				out, owned = a.ownList(out, len(given)), true
			}
			out[j] = m
			if isPrimary(m) && primary < 0 {
				primary = j
			}
		}
	}
	a.fixPrimary(out, primary)
	return out, nil
}

// removeValues returns list without the values that one of given designates, in one
// pass over list.
func (a *applier) removeValues(at *schema.Attribute, list, given []any) []any {
	c := newValueCmp(at)
	var buf [indexThreshold]probe
	probes := buf[:0]
	if len(given) > len(buf) {
		probes = make([]probe, 0, len(given))
	}
	for _, g := range given {
		probes = append(probes, c.probe(g))
	}
	var idx valueIndex
	if len(given) > indexThreshold {
		idx = c.index(given)
	}
	hit := func(e any) bool {
		if idx.keys != nil {
			k, ok := c.key(e)
			pos, scanAll := idx.candidates(k, ok)
			if !scanAll {
				if pos >= 0 && c.matches(&probes[pos], e) {
					return true
				}
				for _, i := range idx.unkeyed {
					if c.matches(&probes[i], e) {
						return true
					}
				}
				return false
			}
		}
		for i := range probes {
			if c.matches(&probes[i], e) {
				return true
			}
		}
		return false
	}

	var out []any
	for i, e := range list {
		if !hit(e) {
			if out != nil {
				out = append(out, e)
			}
			continue
		}
		if out == nil {
			out = a.ownList(nil, len(list)-1)
			out = append(out, list[:i]...)
		}
	}
	if out == nil {
		return list
	}
	return out
}

// fixPrimary sets primary to false on every value of the owned list other than
// list[keep] (RFC 7644 section 3.5.2: setting primary on one value clears it on the
// others). keep is the first value written with primary true, or -1 for none: of
// several values set to primary at once the first wins, as in schema.Normalize.
func (a *applier) fixPrimary(list []any, keep int) {
	if keep < 0 {
		return
	}
	for i, e := range list {
		if i != keep && isPrimary(e) {
			m := a.ownMap(e.(map[string]any))
			m["primary"] = false
			list[i] = m
		}
	}
}

// checkRemovable reports whether attribute at (named name in messages) may be removed.
func (a *applier) checkRemovable(at *schema.Attribute, name string) error {
	switch {
	case at.Required:
		return a.errorf(schema.ScimMutability, "attribute "+name+" is required and cannot be removed")
	case at.EffectiveMutability() == schema.Immutable:
		return a.errorf(schema.ScimMutability, "attribute "+name+" is immutable and cannot be removed")
	}
	return nil
}

// sameValue reports whether the current value cur of at equals the value v of a
// value-conditional Remove: strings following caseExact, complex values by their
// "value" sub-attribute or else by the sub-attributes v has.
func (a *applier) sameValue(at *schema.Attribute, cur, v any) bool {
	if at.Type != schema.Complex {
		return equalScalar(cur, v, !at.CaseExact)
	}
	cm, _ := cur.(map[string]any)
	vm, _ := v.(map[string]any)
	return sameElement(at, cm, vm)
}

// sameElement reports whether the complex value g (given in a request) designates the
// existing value e: equal "value" (following caseExact) and, when both have one,
// equal "type" ignoring case; without "value" in g, every sub-attribute of g equal.
func sameElement(at *schema.Attribute, e, g map[string]any) bool {
	if e == nil || g == nil {
		return false
	}
	if gv, ok := g["value"]; ok {
		va := at.SubAttribute("value")
		if va == nil || !equalScalar(e["value"], gv, !va.CaseExact) {
			return false
		}
		et, ok1 := e["type"].(string)
		gt, ok2 := g["type"].(string)
		return !ok1 || !ok2 || strings.EqualFold(et, gt)
	}
	for k, gv := range g {
		sa := at.SubAttribute(k)
		if sa == nil || !equalScalar(e[k], gv, !sa.CaseExact) {
			return false
		}
	}
	return true
}

// normSingle normalises v as a value of the single-valued attribute (or sub-attribute)
// at with schema.NormalizeValue, which (unless strict) also reads a one-element array
// or a bare string as a reference such as manager (ENTRA-PATCH-7). The empty
// reference "" or {"value":""} means no value (ENTRA-PATCH-8).
func (a *applier) normSingle(t *target, at *schema.Attribute, v any) (any, error) {
	nv, err := schema.NormalizeValue(at, v, a.sopt())
	if err != nil {
		return nil, a.valueError(t, err)
	}
	if m, ok := nv.(map[string]any); ok && at.SubAttribute("value") != nil && m["value"] == "" {
		return nil, nil
	}
	return nv, nil
}

// normElement normalises v as one value of the multi-valued attribute t.attr (or the
// single complex value of a filtered path). Lenient: a one-element array stands for
// its element.
func (a *applier) normElement(t *target, v any) (any, error) {
	if l, ok := v.([]any); ok && !a.strict && len(l) == 1 {
		v = l[0]
	}
	nv, err := schema.NormalizeElement(t.attr, v, a.sopt())
	if err != nil {
		return nil, a.valueError(t, err)
	}
	if t.attr.Type == schema.Complex && nv != nil {
		if _, ok := nv.(map[string]any); !ok {
			return nil, a.errorf(schema.ScimInvalidValue, "the value for "+quote(t.raw)+" must be an object")
		}
	}
	return nv, nil
}

// normList normalises v, one value or an array of them, as values of the multi-valued
// attribute t.attr. null elements are dropped.
func (a *applier) normList(t *target, v any) ([]any, error) {
	l, ok := v.([]any)
	if !ok {
		l = []any{v}
	}
	out := make([]any, 0, len(l))
	for _, e := range l {
		ne, err := schema.NormalizeElement(t.attr, e, a.sopt())
		if err != nil {
			return nil, a.valueError(t, err)
		}
		if ne != nil {
			out = append(out, ne)
		}
	}
	return out, nil
}

// valueError turns a normalisation error into an *Error. Messages about writeOnly
// attributes say nothing about the value.
func (a *applier) valueError(t *target, err error) error {
	name := t.attr.Name
	if t.sub != nil {
		name += "." + t.sub.Name
	}
	typ, detail := schema.ScimInvalidValue, err.Error()
	var se *schema.Error
	if errors.As(err, &se) {
		typ, detail = se.Type, se.Detail
	}
	if t.attr.EffectiveMutability() == schema.WriteOnly || t.sub != nil && t.sub.EffectiveMutability() == schema.WriteOnly {
		detail = "invalid value"
	}
	return a.errorf(typ, "attribute "+name+": "+detail)
}

// get returns the current value of attribute at under urn ("" for core), or nil.
func (a *applier) get(urn string, at *schema.Attribute) any {
	c := a.root
	if urn != "" {
		c, _ = a.root[urn].(map[string]any)
	}
	return c[at.Name]
}

// put sets attribute at under urn to v, or removes it when v is nil.
func (a *applier) put(urn string, at *schema.Attribute, v any) {
	if v == nil && a.get(urn, at) == nil {
		return
	}
	a.touch(urn, at)
	if urn == "" {
		if v == nil {
			delete(a.rootW(), at.Name)
		} else {
			a.rootW()[at.Name] = v
		}
		return
	}
	ext, _ := a.root[urn].(map[string]any)
	ext = a.ownMap(ext)
	if v == nil {
		delete(ext, at.Name)
	} else {
		ext[at.Name] = v
	}
	if len(ext) == 0 {
		delete(a.rootW(), urn)
	} else {
		a.rootW()[urn] = ext
	}
}

// rootW returns root, copied first if the applier does not own it yet.
func (a *applier) rootW() map[string]any {
	if !a.rootOwned {
		a.root = a.ownMap(a.orig)
		a.rootOwned = true
	}
	return a.root
}

func (a *applier) touch(urn string, at *schema.Attribute) {
	k := attrKey{urn, at}
	for _, t := range a.touched {
		if t == k {
			return
		}
	}
	a.touched = append(a.touched, k)
}

// diff returns the canonical paths of the touched attributes whose value changed.
func (a *applier) diff() []string {
	if !a.rootOwned {
		return nil
	}
	out := make([]string, 0, len(a.touched))
	add := func(urn string, at *schema.Attribute, before, after any) {
		if equalValue(before, after) {
			return
		}
		p := attrPath(urn, at.Name)
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	for _, t := range a.touched {
		if t.attr != nil {
			add(t.urn, t.attr, valueIn(a.orig, t.urn, t.attr.Name), a.get(t.urn, t.attr))
			continue
		}
		// A whole extension: compare each of its attributes.
		before, _ := a.orig[t.urn].(map[string]any)
		after, _ := a.root[t.urn].(map[string]any)
		for _, at := range a.rt.SchemaByURN(t.urn).Attributes {
			add(t.urn, at, before[at.Name], after[at.Name])
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func valueIn(root map[string]any, urn, name string) any {
	if urn != "" {
		root, _ = root[urn].(map[string]any)
	}
	return root[name]
}

func attrPath(urn, name string) string {
	if urn == "" {
		return name
	}
	return urn + ":" + name
}

func emptyToNil(m map[string]any) any {
	if len(m) == 0 {
		return nil
	}
	return m
}

func emptyListToNil(l []any) any {
	if len(l) == 0 {
		return nil
	}
	return l
}

func (a *applier) sopt() schema.Options { return schema.Options{Strict: a.strict} }
