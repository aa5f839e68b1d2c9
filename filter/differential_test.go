package filter

import (
	"encoding/json"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	fp "github.com/scim2/filter-parser/v2"
)

// The differential tests compare Parse and ParsePath with github.com/scim2/filter-parser
// v2.3.1, a PEG implementation of the same grammar: for every input that both accept,
// the two trees must agree. Both trees are turned into a neutral text form first
// (neutralExpr), which flattens chains of one logical operator so that grouping
// differences that do not change the meaning do not count.
//
// Known defects of filter-parser, which are expected differences:
//
//  1. It does not decode JSON escapes in strings: `"a\"b"` stays `a\"b`. Its strings
//     are decoded here before comparing.
//  2. It rejects value filters with three or more clauses
//     (emails[type eq "work" and value co "x" and primary eq true]), with nested
//     parentheses, or with "not" around more than two clauses. Only rejected, so
//     never compared.
//  3. It rejects \u escapes written with lower-case hex digits (\u00e9), and any
//     blank other than a space between tokens.
//  4. It accepts a value filter on a sub-attribute (name.givenName[x pr]), which
//     names no multi-valued attribute; Parse rejects it (see [ValuePath]).
//  5. Inside brackets it accepts "and" and "or" without blanks around them
//     (emails[type pr andvalue pr]); Parse reads "andvalue" as one word and rejects.
//
// The forms that Parse accepts beyond the RFC grammar (bare words as values, the Entra
// ID form emails[type eq "work"].value eq "x", URNs with "_") are rejected by
// filter-parser, so they are never compared either.

func FuzzFilterParserDifferential(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Add(`emails[type eq "work" and value co "@example.com"]`)
	f.Add(`a eq "\"quoted\" \u00E9 \\ \/ \b\f\n\r\t"`)
	f.Add(`x eq 1.5E+3 or y eq -0.0e-2 or z eq 12345678901234567890`)
	f.Add(`not (a pr) and not(b pr) or c pr and d pr`)
	f.Fuzz(func(t *testing.T, s string) {
		ours, err := Parse(s)
		if err != nil {
			return
		}
		theirs, err := parseFilterParser(s)
		if err != nil {
			return
		}
		a, b := neutralExpr(ours), theirs
		if a != b {
			t.Fatalf("trees differ for %q\n scimkit:       %s\n filter-parser: %s", s, a, b)
		}
	})
}

func FuzzFilterParserPathDifferential(f *testing.F) {
	for _, s := range pathSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		ours, err := ParsePath(s)
		if err != nil {
			return
		}
		theirs, err := fp.ParsePathNumber([]byte(s))
		if err != nil {
			return
		}
		their := neutralPath(theirs.AttributePath)
		if theirs.ValueExpression != nil {
			x, err := neutralFP(theirs.ValueExpression)
			if err != nil {
				return
			}
			their += "[" + x + "]"
		}
		their += "." + theirs.SubAttributeName()
		our := ours.Attr.URN + "|" + ours.Attr.Name + "|" + ours.Attr.Sub
		if ours.Filter != nil {
			our += "[" + neutralExpr(ours.Filter) + "]"
		}
		our += "." + ours.Sub
		if our != their {
			t.Fatalf("paths differ for %q\n scimkit:       %s\n filter-parser: %s", s, our, their)
		}
	})
}

// parseFilterParser parses s with filter-parser and returns the neutral form. It
// recovers from panics of filter-parser, which are its own defects.
func parseFilterParser(s string) (out string, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = errFilterParserPanic
		}
	}()
	e, err := fp.ParseFilterNumber([]byte(s))
	if err != nil {
		return "", err
	}
	return neutralFP(e)
}

type fpError string

func (e fpError) Error() string { return string(e) }

const errFilterParserPanic = fpError("filter-parser panicked")

// neutralExpr renders one of our trees in the neutral form.
func neutralExpr(e Expr) string {
	switch e := e.(type) {
	case *Compare:
		return "C(" + e.Path.URN + "|" + e.Path.Name + "|" + e.Path.Sub + "|" + string(e.Op) + "|" + neutralValue(e.Value) + ")"
	case *Logical:
		var parts []string
		flatten(e, e.Op, &parts)
		return strings.ToUpper(string(e.Op)) + "(" + strings.Join(parts, ",") + ")"
	case *Not:
		return "NOT(" + neutralExpr(e.X) + ")"
	case *ValuePath:
		return "VP(" + e.Path.URN + "|" + e.Path.Name + "|" + e.Path.Sub + "|" + neutralExpr(e.Filter) + ")"
	}
	return "?"
}

func flatten(e Expr, op LogicalOp, parts *[]string) {
	if l, ok := e.(*Logical); ok && l.Op == op {
		flatten(l.Left, op, parts)
		flatten(l.Right, op, parts)
		return
	}
	*parts = append(*parts, neutralExpr(e))
}

func neutralValue(v any) string {
	switch v := v.(type) {
	case nil:
		return "null"
	case bool:
		return strconv.FormatBool(v)
	case string:
		return "s:" + strconv.Quote(v)
	case json.Number:
		d, ok := parseDecimal(string(v))
		if !ok {
			return "badnumber:" + string(v)
		}
		if d.zero {
			return "n:0"
		}
		var b strings.Builder
		b.WriteString("n:")
		if d.neg {
			b.WriteByte('-')
		}
		for i := d.lead; i < d.end; i++ {
			b.WriteByte(d.digit(i))
		}
		b.WriteString("e" + strconv.FormatInt(d.point, 10))
		return b.String()
	}
	return "?"
}

func neutralPath(p fp.AttributePath) string {
	return p.URI() + "|" + p.AttributeName + "|" + p.SubAttributeName()
}

// neutralFP renders a filter-parser tree in the neutral form, decoding its strings
// (defect 1).
func neutralFP(e fp.Expression) (string, error) {
	switch e := e.(type) {
	case *fp.AttributeExpression:
		v := e.CompareValue
		if s, ok := v.(string); ok {
			var dec string
			if err := json.Unmarshal([]byte(`"`+s+`"`), &dec); err != nil {
				return "", err
			}
			v = dec
		}
		return "C(" + neutralPath(e.AttributePath) + "|" + string(e.Operator) + "|" + neutralValue(v) + ")", nil
	case *fp.LogicalExpression:
		var parts []string
		if err := flattenFP(e, e.Operator, &parts); err != nil {
			return "", err
		}
		return strings.ToUpper(string(e.Operator)) + "(" + strings.Join(parts, ",") + ")", nil
	case *fp.NotExpression:
		x, err := neutralFP(e.Expression)
		return "NOT(" + x + ")", err
	case *fp.ValuePath:
		x, err := neutralFP(e.ValueFilter)
		return "VP(" + neutralPath(e.AttributePath) + "|" + x + ")", err
	}
	return "", fpError("unknown filter-parser node")
}

func flattenFP(e fp.Expression, op fp.LogicalOperator, parts *[]string) error {
	if l, ok := e.(*fp.LogicalExpression); ok && l.Operator == op {
		if err := flattenFP(l.Left, op, parts); err != nil {
			return err
		}
		return flattenFP(l.Right, op, parts)
	}
	s, err := neutralFP(e)
	*parts = append(*parts, s)
	return err
}

// TestFilterParserKnownDefects pins the defects listed above, so that an upgrade of
// filter-parser that fixes one shows up here.
func TestFilterParserKnownDefects(t *testing.T) {
	ours, _ := Parse(`a eq "x\"y"`)
	theirs, err := fp.ParseFilterNumber([]byte(`a eq "x\"y"`))
	if err != nil {
		t.Fatal(err)
	}
	if got := theirs.(*fp.AttributeExpression).CompareValue; got != `x\"y` {
		t.Errorf("defect 1 (no escape decoding) fixed? filter-parser value %q", got)
	}
	if got := ours.(*Compare).Value; got != `x"y` {
		t.Errorf("Parse value %q", got)
	}
	for _, s := range []string{
		`emails[type eq "work" and value co "x" and primary eq true]`, // defect 2
		`emails[(type eq "work" or type eq "home") and value co "x"]`, // defect 2
		`a eq "\u00e9"`, // defect 3
		"a\teq \"x\"",   // defect 3
	} {
		if _, err := fp.ParseFilterNumber([]byte(s)); err == nil {
			t.Errorf("filter-parser now accepts %q", s)
		}
		if _, err := Parse(s); err != nil {
			t.Errorf("Parse(%q): %v", s, err)
		}
	}
	for _, s := range []string{
		`name.givenName[x pr]`,        // defect 4
		`emails[type pr andvalue pr]`, // defect 5
	} {
		if _, err := fp.ParseFilterNumber([]byte(s)); err != nil {
			t.Errorf("filter-parser now rejects %q: %v", s, err)
		}
		if _, err := Parse(s); err == nil {
			t.Errorf("Parse(%q) succeeded", s)
		}
	}
}

// TestFilterParserDifferentialRandom compares the two parsers on generated filters
// that are in the RFC grammar, which random byte strings seldom are: nested logic,
// value filters of one or two clauses, URN paths, escapes and numbers of every form.
func TestFilterParserDifferentialRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	compared := 0
	const n = 800
	for range n {
		e := randomExpr(r, 0, false)
		s := e.String()
		if r.IntN(4) == 0 {
			s = strings.ToUpper(s[:1]) + s[1:]
		}
		ours, err := Parse(s)
		if err != nil {
			t.Fatalf("Parse(%q): %v", s, err)
		}
		theirs, err := parseFilterParser(s)
		if err != nil {
			continue // a known defect: filter-parser rejects
		}
		compared++
		if a := neutralExpr(ours); a != theirs {
			t.Errorf("trees differ for %q\n scimkit:       %s\n filter-parser: %s", s, a, theirs)
		}
	}
	t.Logf("%d of %d generated filters were accepted by both parsers and compared", compared, n)
	if compared < n/3 {
		t.Errorf("only %d of %d generated filters were accepted by both parsers", compared, n)
	}
}

var (
	randNames = []string{"userName", "name", "emails", "x", "A-b_9", "$ref", "members"}
	randURNs  = []string{"", "", "", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", "urn:a:b-c.d"}
	randOps   = []CompareOp{Eq, Ne, Co, Sw, Ew, Gt, Ge, Lt, Le, Pr}
	randVals  = []any{
		"", "bjensen", `quote " and backslash \ and slash /`, "tab\tnew\nline", "é ü 😀", "\u2028",
		true, false, nil, json.Number("0"), json.Number("-12"), json.Number("3.25"),
		json.Number("1e10"), json.Number("-2.5E-3"), json.Number("123456789012345678901234567890"),
	}
)

// randomExpr returns a random filter. Inside a value filter (inVF) it stays within
// what filter-parser accepts there: one comparison, or two joined by and/or.
func randomExpr(r *rand.Rand, depth int, inVF bool) Expr {
	leaf := func() Expr {
		p := AttrPath{Name: randNames[r.IntN(len(randNames))]}
		if !inVF {
			p.URN = randURNs[r.IntN(len(randURNs))]
			if r.IntN(3) == 0 {
				p.Sub = randNames[r.IntN(len(randNames))]
			}
		}
		op := randOps[r.IntN(len(randOps))]
		c := &Compare{Path: p, Op: op}
		if op != Pr {
			c.Value = randVals[r.IntN(len(randVals))]
		}
		return c
	}
	if inVF {
		if r.IntN(2) == 0 {
			return leaf()
		}
		return &Logical{Op: []LogicalOp{And, Or}[r.IntN(2)], Left: leaf(), Right: leaf()}
	}
	n := r.IntN(10)
	if depth > 4 {
		n = 9
	}
	switch {
	case n == 0:
		return &Not{X: randomExpr(r, depth+1, false)}
	case n <= 2:
		return &Logical{Op: And, Left: randomExpr(r, depth+1, false), Right: randomExpr(r, depth+1, false)}
	case n <= 4:
		return &Logical{Op: Or, Left: randomExpr(r, depth+1, false), Right: randomExpr(r, depth+1, false)}
	case n == 5:
		return &ValuePath{Path: AttrPath{Name: randNames[r.IntN(len(randNames))]}, Filter: randomExpr(r, depth+1, true)}
	}
	return leaf()
}
