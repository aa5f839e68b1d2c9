package filter

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/scimkit/scimkit/internal/jsonlex"
	"github.com/scimkit/scimkit/schema"
)

// Validate checks e against the attributes of rt and returns a new, equivalent Expr in
// canonical form; e itself is not modified. Errors are of type [*ValidationError] (scimType
// "invalidFilter") that name the offending attribute.
//
// Attribute paths are resolved ignoring case: an unprefixed name is looked up in the
// core schema and the common attributes (id, externalId, meta), then in the extension
// schemas, so `manager eq "u-2"` finds the Enterprise User manager. The result spells
// every path canonically: the URN only for extension attributes (in the schema's
// spelling), attribute and sub-attribute names as the schema defines them.
//
// Validate rejects unknown attributes and sub-attributes; value filters on attributes
// that are not multi-valued and complex; gt, ge, lt and le on boolean, binary and
// complex attributes; co, sw and ew on anything but string and reference attributes;
// comparisons of a complex attribute that has no "value" sub-attribute; null compared
// with an operator other than eq and ne; and values whose type does not fit the
// attribute (a string for an integer, an unparsable dateTime, and so on).
//
// Validate also canonicalises:
//   - a comparison of a complex attribute itself, other than pr, compares its "value"
//     sub-attribute: `members eq "u-7"` becomes `members.value eq "u-7"`, and
//     `emails co "x"` becomes `emails.value co "x"` (RFC 7644 section 3.4.2.2);
//   - a boolean attribute compared with the string "true" or "false" in any letter
//     case compares with the boolean (Entra ID sends `roles[primary eq "True"]`);
//   - int, int64 and float64 values of hand-built trees become [json.Number].
func Validate(e Expr, rt *schema.ResourceType) (Expr, error) {
	c := checker{rt: rt}
	out, _, err := c.expr(e)
	return out, err
}

// checker validates and compiles an Expr. With elem set, attribute paths name
// sub-attributes of that complex attribute (inside a value filter, or for
// CompileElement).
type checker struct {
	rt    *schema.ResourceType
	elem  *schema.Attribute
	build bool // build evaluation nodes too
}

func (c *checker) expr(e Expr) (Expr, node, error) {
	switch e := e.(type) {
	case *Compare:
		return c.compare(e)
	case *Logical:
		if e.Op != And && e.Op != Or {
			return nil, nil, &ValidationError{Msg: "unknown logical operator " + strconv.Quote(string(e.Op))}
		}
		l, ln, err := c.expr(e.Left)
		if err != nil {
			return nil, nil, err
		}
		r, rn, err := c.expr(e.Right)
		if err != nil {
			return nil, nil, err
		}
		out := &Logical{Op: e.Op, Left: l, Right: r}
		if !c.build {
			return out, nil, nil
		}
		if e.Op == And {
			return out, &andNode{ln, rn}, nil
		}
		return out, &orNode{ln, rn}, nil
	case *Not:
		x, xn, err := c.expr(e.X)
		if err != nil {
			return nil, nil, err
		}
		if !c.build {
			return &Not{X: x}, nil, nil
		}
		return &Not{X: x}, &notNode{xn}, nil
	case *ValuePath:
		return c.valuePath(e)
	case nil:
		return nil, nil, &ValidationError{Msg: "empty filter"}
	}
	return nil, nil, &ValidationError{Msg: "unsupported filter node " + strconv.Quote(e.String())}
}

// target is a resolved attribute path.
type target struct {
	path AttrPath          // canonical spelling
	attr *schema.Attribute // the top-level attribute (or, with elem, the sub-attribute)
	sub  *schema.Attribute // the sub-attribute, or nil
	acc  accessor
}

func (t *target) leaf() *schema.Attribute {
	if t.sub != nil {
		return t.sub
	}
	return t.attr
}

// resolve finds the attribute that p names.
func (c *checker) resolve(p AttrPath) (target, error) {
	written := p.String()
	if c.elem != nil {
		if p.URN != "" || p.Sub != "" {
			return target{}, &ValidationError{Attr: written, Msg: "a filter on the values of " + strconv.Quote(c.elem.Name) + " names its sub-attributes only"}
		}
		a := c.elem.SubAttribute(p.Name)
		if a == nil {
			return target{}, &ValidationError{Attr: written, Msg: strconv.Quote(c.elem.Name) + " has no sub-attribute " + strconv.Quote(p.Name)}
		}
		return target{path: AttrPath{Name: a.Name}, attr: a, acc: accessor{attr: a.Name, multi: a.MultiValued}}, nil
	}
	if c.rt == nil {
		return target{}, &ValidationError{Attr: written, Msg: "no resource type to check the filter against"}
	}
	ref, ok := c.rt.Resolve(p.URN, p.Name, "")
	if !ok && p.URN == "" {
		// Unprefixed extension attributes, such as Entra ID's `manager eq "u-2"`.
		for _, ext := range c.rt.Extensions {
			if a := ext.Schema.Attribute(p.Name); a != nil {
				ref, ok = schema.Ref{Schema: ext.Schema, Attr: a, Extension: true}, true
				break
			}
		}
	}
	if !ok {
		if p.URN != "" && c.rt.SchemaByURN(p.URN) == nil {
			return target{}, &ValidationError{Attr: written, Msg: "unknown schema URN " + strconv.Quote(p.URN)}
		}
		return target{}, &ValidationError{Attr: written, Msg: "unknown attribute"}
	}
	t := target{attr: ref.Attr, path: AttrPath{Name: ref.Attr.Name}}
	if ref.Extension {
		t.path.URN = ref.Schema.ID
		t.acc.urn = ref.Schema.ID
	}
	if p.Sub != "" {
		if ref.Attr.Type != schema.Complex {
			return target{}, &ValidationError{Attr: written, Msg: strconv.Quote(ref.Attr.Name) + " is not complex and has no sub-attributes"}
		}
		t.sub = ref.Attr.SubAttribute(p.Sub)
		if t.sub == nil {
			return target{}, &ValidationError{Attr: written, Msg: strconv.Quote(ref.Attr.Name) + " has no sub-attribute " + strconv.Quote(p.Sub)}
		}
		t.path.Sub = t.sub.Name
		t.acc.sub = t.sub.Name
		t.acc.subMulti = t.sub.MultiValued
	}
	t.acc.attr = ref.Attr.Name
	t.acc.multi = ref.Attr.MultiValued
	return t, nil
}

func (c *checker) compare(e *Compare) (Expr, node, error) {
	t, err := c.resolve(e.Path)
	if err != nil {
		return nil, nil, err
	}
	written := e.Path.String()
	a := t.leaf()
	if e.Op == Pr {
		out := &Compare{Path: t.path, Op: Pr}
		if !c.build {
			return out, nil, nil
		}
		return out, &compareNode{acc: t.acc, op: Pr}, nil
	}
	if !validOp(e.Op) {
		return nil, nil, &ValidationError{Attr: written, Msg: "unknown operator " + strconv.Quote(string(e.Op))}
	}
	if a.Type == schema.Complex {
		v := a.SubAttribute("value")
		if v == nil || t.sub != nil || c.elem != nil {
			return nil, nil, &ValidationError{Attr: written, Msg: "complex attribute " + strconv.Quote(a.Name) + " has no value to compare with " + strconv.Quote(string(e.Op)) + "; name one of its sub-attributes"}
		}
		t.sub = v
		t.path.Sub = v.Name
		t.acc.sub = v.Name
		t.acc.subMulti = v.MultiValued
		a = v
	}
	value, err := checkValue(written, a, e.Op, e.Value)
	if err != nil {
		return nil, nil, err
	}
	out := &Compare{Path: t.path, Op: e.Op, Value: value}
	if !c.build {
		return out, nil, nil
	}
	n, err := newCompareNode(t.acc, a, e.Op, value)
	if err != nil {
		return nil, nil, &ValidationError{Attr: written, Msg: err.Error()}
	}
	return out, n, nil
}

func validOp(op CompareOp) bool {
	switch op {
	case Eq, Ne, Co, Sw, Ew, Gt, Ge, Lt, Le:
		return true
	}
	return false
}

// checkValue checks that value suits attribute a and operator op, and returns it in
// canonical form.
func checkValue(written string, a *schema.Attribute, op CompareOp, value any) (any, error) {
	fail := func(msg string) (any, error) {
		return nil, &ValidationError{Attr: written, Msg: msg}
	}
	switch v := value.(type) {
	case nil:
		if op != Eq && op != Ne {
			return fail("null can only be compared with eq or ne")
		}
		return nil, nil
	case int:
		value = json.Number(strconv.Itoa(v))
	case int64:
		value = json.Number(strconv.FormatInt(v, 10))
	case float64:
		value = json.Number(strconv.FormatFloat(v, 'g', -1, 64))
	case string, bool, json.Number:
	default:
		return fail("unsupported comparison value")
	}
	opName := strconv.Quote(string(op))
	switch a.Type {
	case schema.String, schema.Reference, schema.Binary:
		if a.Type == schema.Binary && op != Eq && op != Ne {
			return fail("operator " + opName + " cannot be used with the binary attribute " + strconv.Quote(a.Name))
		}
		if _, ok := value.(string); !ok {
			return fail(strconv.Quote(a.Name) + " is a " + string(a.Type) + " attribute; the value " + describe(value) + " is not a string")
		}
	case schema.Boolean:
		if op != Eq && op != Ne {
			return fail("operator " + opName + " cannot be used with the boolean attribute " + strconv.Quote(a.Name))
		}
		switch v := value.(type) {
		case bool:
		case string:
			// Entra ID writes booleans as "True" and "False".
			switch strings.ToLower(v) {
			case "true":
				value = true
			case "false":
				value = false
			default:
				return fail(strconv.Quote(a.Name) + " is a boolean attribute; the value " + describe(value) + " is not a boolean")
			}
		default:
			return fail(strconv.Quote(a.Name) + " is a boolean attribute; the value " + describe(value) + " is not a boolean")
		}
	case schema.Integer, schema.Decimal:
		if op == Co || op == Sw || op == Ew {
			return fail("operator " + opName + " cannot be used with the " + string(a.Type) + " attribute " + strconv.Quote(a.Name))
		}
		n, ok := value.(json.Number)
		if !ok || !jsonlex.ValidNumber(string(n)) {
			return fail(strconv.Quote(a.Name) + " is a " + string(a.Type) + " attribute; the value " + describe(value) + " is not a number")
		}
	case schema.DateTime:
		if op == Co || op == Sw || op == Ew {
			return fail("operator " + opName + " cannot be used with the dateTime attribute " + strconv.Quote(a.Name))
		}
		s, ok := value.(string)
		if !ok {
			return fail(strconv.Quote(a.Name) + " is a dateTime attribute; the value " + describe(value) + " is not a string")
		}
		if _, err := schema.ParseDateTime(s); err != nil {
			return fail(strconv.Quote(s) + " is not a valid dateTime (like 2011-05-13T04:42:34Z)")
		}
	default:
		return fail("attribute " + strconv.Quote(a.Name) + " of type " + strconv.Quote(string(a.Type)) + " cannot be compared")
	}
	return value, nil
}

// describe renders a comparison value for an error message.
func describe(v any) string {
	var b strings.Builder
	writeValue(&b, v)
	s := b.String()
	if len(s) > 40 {
		s = s[:37] + "..."
	}
	return s
}

func (c *checker) valuePath(e *ValuePath) (Expr, node, error) {
	written := e.Path.String()
	if c.elem != nil {
		return nil, nil, &ValidationError{Attr: written, Msg: "a value filter cannot contain another value filter"}
	}
	t, err := c.resolve(e.Path)
	if err != nil {
		return nil, nil, err
	}
	if t.sub != nil || t.attr.Type != schema.Complex || !t.attr.MultiValued {
		return nil, nil, &ValidationError{Attr: written, Msg: "a value filter needs a multi-valued complex attribute"}
	}
	inner := checker{rt: c.rt, elem: t.attr, build: c.build}
	f, fn, err := inner.expr(e.Filter)
	if err != nil {
		return nil, nil, err
	}
	out := &ValuePath{Path: t.path, Filter: f}
	if !c.build {
		return out, nil, nil
	}
	return out, &valuePathNode{acc: t.acc, filter: fn}, nil
}
