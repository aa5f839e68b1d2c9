package patch

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"

	"github.com/scimkit/scimkit/filter"
	"github.com/scimkit/scimkit/schema"
)

// A matcher reports whether one value of a simple multi-valued attribute matches a
// value filter such as tags[value sw "a"]. (Filters of complex attributes are compiled
// by filter.CompileElement, which takes maps only.)
type matcher func(elem any) bool

// errUnknownAttr reports a value filter that names a sub-attribute the schema lacks.
var errUnknownAttr = errors.New("unknown attribute")

// compileMatcher compiles the value filter e of the simple multi-valued attribute at;
// the filter names the value itself as "value".
func compileMatcher(at *schema.Attribute, e filter.Expr) (matcher, error) {
	switch e := e.(type) {
	case *filter.Logical:
		l, err := compileMatcher(at, e.Left)
		if err != nil {
			return nil, err
		}
		r, err := compileMatcher(at, e.Right)
		if err != nil {
			return nil, err
		}
		if e.Op == filter.And {
			return func(v any) bool { return l(v) && r(v) }, nil
		}
		return func(v any) bool { return l(v) || r(v) }, nil
	case *filter.Not:
		x, err := compileMatcher(at, e.X)
		if err != nil {
			return nil, err
		}
		return func(v any) bool { return !x(v) }, nil
	case *filter.Compare:
		return compileCompare(at, e)
	}
	return nil, errors.New("nested value filters are not supported in a PATCH path")
}

func compileCompare(at *schema.Attribute, c *filter.Compare) (matcher, error) {
	if c.Path.URN != "" || c.Path.Sub != "" || !strings.EqualFold(c.Path.Name, "value") {
		return nil, errUnknownAttr
	}
	sub, get := at, func(v any) any { return v }
	if c.Op == filter.Pr {
		return func(v any) bool {
			x := get(v)
			s, isString := x.(string)
			return x != nil && (!isString || s != "")
		}, nil
	}
	lit := c.Value
	if n, err := schema.NormalizeElement(sub, lit, schema.Options{}); err == nil && n != nil {
		lit = n
	}
	fold := !sub.CaseExact
	switch c.Op {
	case filter.Eq:
		return func(v any) bool { return equalScalar(get(v), lit, fold) }, nil
	case filter.Ne:
		return func(v any) bool { return !equalScalar(get(v), lit, fold) }, nil
	}
	ls, isString := lit.(string)
	if fold {
		ls = strings.ToLower(ls)
	}
	str := func(v any) (string, bool) {
		s, ok := get(v).(string)
		if ok && fold {
			s = strings.ToLower(s)
		}
		return s, ok
	}
	var test func(s string) bool
	switch c.Op {
	case filter.Co:
		test = func(s string) bool { return strings.Contains(s, ls) }
	case filter.Sw:
		test = func(s string) bool { return strings.HasPrefix(s, ls) }
	case filter.Ew:
		test = func(s string) bool { return strings.HasSuffix(s, ls) }
	case filter.Gt, filter.Ge, filter.Lt, filter.Le:
		op := c.Op
		want := func(cmp int) bool {
			switch op {
			case filter.Gt:
				return cmp > 0
			case filter.Ge:
				return cmp >= 0
			case filter.Lt:
				return cmp < 0
			}
			return cmp <= 0
		}
		if n, ok := lit.(json.Number); ok {
			lf, err := strconv.ParseFloat(string(n), 64)
			if err != nil {
				return nil, errors.New("invalid number in filter")
			}
			return func(v any) bool {
				x, ok := get(v).(json.Number)
				if !ok {
					return false
				}
				f, err := strconv.ParseFloat(string(x), 64)
				if err != nil {
					return false
				}
				switch {
				case f < lf:
					return want(-1)
				case f > lf:
					return want(1)
				}
				return want(0)
			}, nil
		}
		test = func(s string) bool { return want(strings.Compare(s, ls)) }
	default:
		return nil, errors.New("operator " + string(c.Op) + " is not supported here")
	}
	if !isString {
		return func(any) bool { return false }, nil
	}
	return func(v any) bool {
		s, ok := str(v)
		return ok && test(s)
	}, nil
}

// equalScalar compares two normalised values; strings ignore case when fold is set.
func equalScalar(x, y any, fold bool) bool {
	if xs, ok := x.(string); ok {
		ys, ok := y.(string)
		if !ok {
			return false
		}
		if fold {
			return strings.EqualFold(xs, ys)
		}
		return xs == ys
	}
	return equalValue(x, y)
}
