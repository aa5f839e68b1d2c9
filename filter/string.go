package filter

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// String returns the path as written in a filter: [URN ":"] Name ["." Sub].
func (a AttrPath) String() string {
	var b strings.Builder
	a.write(&b)
	return b.String()
}

func (a AttrPath) write(b *strings.Builder) {
	if a.URN != "" {
		b.WriteString(a.URN)
		b.WriteByte(':')
	}
	b.WriteString(a.Name)
	if a.Sub != "" {
		b.WriteByte('.')
		b.WriteString(a.Sub)
	}
}

// String returns the canonical text of the path, which [ParsePath] turns back into an
// equal Path.
func (p Path) String() string {
	var b strings.Builder
	p.Attr.write(&b)
	if p.Filter != nil {
		b.WriteByte('[')
		writeExpr(&b, p.Filter, precOr)
		b.WriteByte(']')
		if p.Sub != "" {
			b.WriteByte('.')
			b.WriteString(p.Sub)
		}
	}
	return b.String()
}

// String returns the canonical text of c: `path op value`, or `path pr`.
func (c *Compare) String() string { return exprString(c) }

// String returns the canonical text of l, with the parentheses that the precedence of
// "and" over "or" and left associativity require.
func (l *Logical) String() string { return exprString(l) }

// String returns `not (X)`.
func (n *Not) String() string { return exprString(n) }

// String returns `path[filter]`.
func (v *ValuePath) String() string { return exprString(v) }

// Operator precedence for printing: a sub-expression whose precedence is lower than
// its context's needs parentheses.
const (
	precOr = iota + 1
	precAnd
	precUnary
)

func exprString(e Expr) string {
	var b strings.Builder
	writeExpr(&b, e, precOr)
	return b.String()
}

func precedence(e Expr) int {
	if l, ok := e.(*Logical); ok {
		if l.Op == Or {
			return precOr
		}
		return precAnd
	}
	return precUnary
}

// writeExpr writes e, in parentheses if its precedence is below min.
func writeExpr(b *strings.Builder, e Expr, min int) {
	if precedence(e) < min {
		b.WriteByte('(')
		defer b.WriteByte(')')
	}
	switch e := e.(type) {
	case *Compare:
		e.Path.write(b)
		b.WriteByte(' ')
		b.WriteString(string(e.Op))
		if e.Op != Pr {
			b.WriteByte(' ')
			writeValue(b, e.Value)
		}
	case *Logical:
		p := precedence(e)
		writeExpr(b, e.Left, p)
		b.WriteByte(' ')
		b.WriteString(string(e.Op))
		b.WriteByte(' ')
		// Logical operators associate to the left: a right operand of the same
		// precedence needs parentheses.
		writeExpr(b, e.Right, p+1)
	case *Not:
		b.WriteString("not (")
		writeExpr(b, e.X, precOr)
		b.WriteByte(')')
	case *ValuePath:
		e.Path.write(b)
		b.WriteByte('[')
		writeExpr(b, e.Filter, precOr)
		b.WriteByte(']')
	case nil:
		b.WriteString("<nil>")
	default:
		b.WriteString(e.String())
	}
}

// writeValue writes a comparison value as a JSON literal.
func writeValue(b *strings.Builder, v any) {
	switch v := v.(type) {
	case nil:
		b.WriteString("null")
	case string:
		writeJSONString(b, v)
	case bool:
		b.WriteString(strconv.FormatBool(v))
	case json.Number:
		b.WriteString(string(v))
	case int:
		b.WriteString(strconv.Itoa(v))
	case int64:
		b.WriteString(strconv.FormatInt(v, 10))
	case float64:
		b.WriteString(strconv.FormatFloat(v, 'g', -1, 64))
	default:
		writeJSONString(b, fmt.Sprint(v))
	}
}

// writeJSONString writes s as a JSON string. Characters other than '"', '\\' and
// control characters are written as they are; invalid UTF-8 becomes \ufffd.
func writeJSONString(b *strings.Builder, s string) {
	const hex = "0123456789abcdef"
	b.WriteByte('"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c != '"' && c != '\\' && c < utf8.RuneSelf {
			i++
			continue
		}
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(s[i:])
			if r != utf8.RuneError || n != 1 {
				i += n
				continue
			}
		}
		b.WriteString(s[start:i])
		switch c {
		case '"', '\\':
			b.WriteByte('\\')
			b.WriteByte(c)
		case '\n':
			b.WriteString(`\n`)
		case '\r':
			b.WriteString(`\r`)
		case '\t':
			b.WriteString(`\t`)
		case '\b':
			b.WriteString(`\b`)
		case '\f':
			b.WriteString(`\f`)
		default:
			if c >= utf8.RuneSelf {
				b.WriteString(`\ufffd`)
			} else {
				b.WriteString(`\u00`)
				b.WriteByte(hex[c>>4])
				b.WriteByte(hex[c&0xF])
			}
		}
		i++
		start = i
	}
	b.WriteString(s[start:])
	b.WriteByte('"')
}
