package filter

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/scimkit/scimkit/schema"
)

// A Matcher evaluates a validated filter against resources in memory. It is safe for
// concurrent use. Create one with [Compile] or [CompileElement].
type Matcher struct {
	expr Expr
	root node
}

// Compile validates e against rt as [Validate] does and prepares it for evaluation.
//
// Evaluation follows RFC 7644 section 3.4.2.2:
//   - strings compare ignoring case (each character lower-cased, as SQL lower() does)
//     unless the attribute is caseExact, such as id and externalId;
//   - dateTimes compare as instants, integers and decimals numerically and exactly;
//   - a multi-valued attribute, or a sub-attribute of one (emails.value), matches if
//     one of its values matches; a complex attribute compared directly compares its
//     "value" sub-attribute (members eq "u-7", manager eq "u-2");
//   - attr[filter] matches if one value of attr matches filter as a whole;
//   - pr is false for an absent attribute and for null, "", [] and {};
//   - ne is the negation of eq: it is true for an absent attribute, and for a
//     multi-valued attribute it is true when no value equals the operand;
//   - eq null is true when the attribute is absent (as "not pr"), ne null when present;
//   - every other operator is false for an absent attribute.
func Compile(e Expr, rt *schema.ResourceType) (*Matcher, error) {
	c := checker{rt: rt, build: true}
	out, n, err := c.expr(e)
	if err != nil {
		return nil, err
	}
	return &Matcher{expr: out, root: n}, nil
}

// CompileElement compiles a filter whose attribute paths are sub-attributes of the
// complex attribute attr of rt, such as the filter of the PATCH path
// emails[type eq "work"] with attr naming emails. Match must then be called with one
// value of attr: a map[string]any such as {"type": "work", "value": "a@example.com"}.
//
// attr must name a complex attribute without a sub-attribute. It may be single-valued,
// so that PATCH paths such as manager[value eq "u-2"] can be evaluated. The filter
// is validated as the inner filter of a value path; errors are of type
// [*ValidationError].
func CompileElement(e Expr, rt *schema.ResourceType, attr schema.Ref) (*Matcher, error) {
	if attr.Attr == nil || attr.Sub != nil || attr.Attr.Type != schema.Complex {
		return nil, &ValidationError{Attr: attr.String(), Msg: "a value filter needs a complex attribute"}
	}
	c := checker{rt: rt, elem: attr.Attr, build: true}
	out, n, err := c.expr(e)
	if err != nil {
		return nil, err
	}
	return &Matcher{expr: out, root: n}, nil
}

// Match reports whether the resource res matches (for a Matcher from [CompileElement]:
// whether the value res matches). res is a tree in the canonical form described in
// package schema; values of unexpected Go types never match, and Match never
// modifies res.
func (m *Matcher) Match(res map[string]any) bool {
	return m.root.match(res)
}

// Expr returns the validated expression that m evaluates, in the canonical form that
// [Validate] returns.
func (m *Matcher) Expr() Expr { return m.expr }

// node is one compiled node of a filter.
type node interface {
	match(obj map[string]any) bool
}

type andNode struct{ l, r node }

func (n *andNode) match(obj map[string]any) bool { return n.l.match(obj) && n.r.match(obj) }

type orNode struct{ l, r node }

func (n *orNode) match(obj map[string]any) bool { return n.l.match(obj) || n.r.match(obj) }

type notNode struct{ x node }

func (n *notNode) match(obj map[string]any) bool { return !n.x.match(obj) }

// accessor locates an attribute's values in a resource tree (or in one value of a
// complex attribute).
type accessor struct {
	urn      string // extension URN: the attribute lives in obj[urn]; "" for core
	attr     string // canonical attribute name
	multi    bool   // attr is multi-valued
	sub      string // canonical sub-attribute name, or ""
	subMulti bool   // sub is multi-valued
}

// value returns the attribute's value in obj, or nil.
func (a *accessor) value(obj map[string]any) any {
	if a.urn != "" {
		ext, _ := obj[a.urn].(map[string]any)
		return ext[a.attr]
	}
	return obj[a.attr]
}

type valuePathNode struct {
	acc    accessor
	filter node
}

func (n *valuePathNode) match(obj map[string]any) bool {
	switch v := n.acc.value(obj).(type) {
	case []any:
		for _, e := range v {
			if m, ok := e.(map[string]any); ok && n.filter.match(m) {
				return true
			}
		}
	case map[string]any:
		return n.filter.match(v)
	}
	return false
}

// compareNode evaluates `path op value` or `path pr`. For ne it evaluates eq and
// negates the result.
type compareNode struct {
	acc    accessor
	op     CompareOp // never Ne
	negate bool
	kind   schema.Type // the type of the compared attribute
	exact  bool        // caseExact string comparison
	str    string      // string operand; lower-cased unless exact
	b      bool        // boolean operand
	num    decimal     // number operand
	t      instant     // dateTime operand
}

func newCompareNode(acc accessor, a *schema.Attribute, op CompareOp, value any) (*compareNode, error) {
	n := &compareNode{acc: acc, op: op, kind: a.Type, exact: a.CaseExact || a.Type == schema.Binary}
	if op == Ne {
		n.op, n.negate = Eq, true
	}
	if value == nil {
		// eq null: the attribute is absent; ne null: it is present.
		n.op, n.negate = Pr, !n.negate
		return n, nil
	}
	switch v := value.(type) {
	case string:
		if a.Type == schema.DateTime {
			t, ok := instantOf(v)
			if !ok {
				return nil, errors.New(strconv.Quote(v) + " is not a valid dateTime")
			}
			n.t = t
		} else if n.exact {
			n.str = v
		} else {
			n.str = strings.ToLower(v)
		}
	case bool:
		n.b = v
	case json.Number:
		d, ok := parseDecimal(string(v))
		if !ok {
			return nil, errors.New(strconv.Quote(string(v)) + " is not a number")
		}
		n.num = d
	}
	return n, nil
}

func (n *compareNode) match(obj map[string]any) bool {
	return n.any(n.acc.value(obj)) != n.negate
}

// any reports whether v, or one of its values if it is multi-valued, satisfies the
// comparison.
func (n *compareNode) any(v any) bool {
	switch v := v.(type) {
	case nil:
		return false
	case []any:
		for _, e := range v {
			if n.one(e) {
				return true
			}
		}
		return false
	}
	return n.one(v)
}

// one evaluates the comparison on one value of the attribute: with a sub-attribute,
// the value is the complex value that holds it.
func (n *compareNode) one(v any) bool {
	if n.acc.sub != "" {
		m, ok := v.(map[string]any)
		if !ok {
			return false
		}
		v = m[n.acc.sub]
		if l, ok := v.([]any); ok {
			for _, e := range l {
				if n.leaf(e) {
					return true
				}
			}
			return false
		}
	}
	return n.leaf(v)
}

// leaf evaluates the comparison on one simple value (or, for pr, any value).
func (n *compareNode) leaf(v any) bool {
	if n.op == Pr {
		return present(v)
	}
	switch n.kind {
	case schema.Boolean:
		b, ok := v.(bool)
		return ok && b == n.b
	case schema.Integer, schema.Decimal:
		d, ok := decimalOf(v)
		return ok && n.ordered(compareDecimal(d, n.num))
	case schema.DateTime:
		s, ok := v.(string)
		if !ok {
			return false
		}
		t, ok := instantOf(s)
		return ok && n.ordered(t.compare(n.t))
	}
	s, ok := v.(string)
	if !ok {
		return false
	}
	if n.exact {
		switch n.op {
		case Eq:
			return s == n.str
		case Co:
			return strings.Contains(s, n.str)
		case Sw:
			return strings.HasPrefix(s, n.str)
		case Ew:
			return strings.HasSuffix(s, n.str)
		}
		return n.ordered(strings.Compare(s, n.str))
	}
	switch n.op {
	case Eq:
		return lowerHasPrefix(s, n.str) == len(s)
	case Co:
		return lowerContains(s, n.str)
	case Sw:
		return lowerHasPrefix(s, n.str) >= 0
	case Ew:
		return lowerHasSuffix(s, n.str)
	}
	return n.ordered(lowerCompare(s, n.str))
}

// ordered turns the result of a three-way comparison (value versus operand) into the
// result of n.op.
func (n *compareNode) ordered(c int) bool {
	switch n.op {
	case Eq:
		return c == 0
	case Gt:
		return c > 0
	case Ge:
		return c >= 0
	case Lt:
		return c < 0
	case Le:
		return c <= 0
	}
	return false
}

// present reports whether v counts as a value for pr: not null, not "", not an empty
// list or object.
func present(v any) bool {
	switch v := v.(type) {
	case nil:
		return false
	case string:
		return v != ""
	case []any:
		for _, e := range v {
			if present(e) {
				return true
			}
		}
		return false
	case map[string]any:
		for _, e := range v {
			if present(e) {
				return true
			}
		}
		return false
	}
	return true
}

// decimalOf returns a tree value as a decimal. Canonical trees hold json.Number; other
// numeric types are accepted for trees built by hand.
func decimalOf(v any) (decimal, bool) {
	switch v := v.(type) {
	case json.Number:
		return parseDecimal(string(v))
	case int:
		return parseDecimal(strconv.Itoa(v))
	case int64:
		return parseDecimal(strconv.FormatInt(v, 10))
	case float64:
		return parseDecimal(strconv.FormatFloat(v, 'g', -1, 64))
	}
	return decimal{}, false
}
