package filter

import (
	"encoding/json"
	"strconv"
	"unicode/utf8"

	"github.com/scimkit/scimkit/internal/jsonlex"
)

// Limits of [Parse] and [ParsePath]. Longer or deeper input is rejected with a
// [*SyntaxError] before any work proportional to it is done.
const (
	MaxLength = 64 << 10 // bytes of input
	MaxDepth  = 64       // levels of nested parentheses, "not" and value filters
)

// Parse parses a SCIM filter (RFC 7644 section 3.4.2.2) into an [Expr].
//
// The grammar is that of RFC 7644 figure 1: attribute expressions with the operators
// eq, ne, co, sw, ew, gt, ge, lt, le and pr; "and", "or" and "not" with the precedence
// grouping > not > and > or (and, or associate to the left); value filters
// attr[filter] whose inner filter may be any logical expression of sub-attributes;
// attribute paths with an optional schema URN prefix and sub-attribute. Keywords,
// operators and literals are matched ignoring case, and any run of blanks (space, tab,
// CR, LF) may surround a token. String literals are JSON strings with every escape
// decoded; numbers follow JSON syntax and are kept exact as [json.Number].
//
// Two forms outside the RFC grammar are accepted, as IdPs send them:
//   - a bare token after an operator (externalId eq jyoung) is the string "jyoung",
//     unless it is true, false or null; a bare token that starts like a number
//     (a digit or "-") must be a valid JSON number;
//   - the Entra ID form emails[type eq "work"].value eq "x" is read as
//     emails[type eq "work" and value eq "x"].
//
// Attribute names are kept as written; [Validate] checks them against a schema and
// rewrites them to their canonical spelling. Attribute names consist of a letter or
// "$" (for "$ref") followed by letters, digits, "-" and "_". In a path with a URN
// prefix, the URN ends at the last colon before the attribute name.
//
// Errors are of type [*SyntaxError] with ScimType "invalidFilter". Input longer than
// [MaxLength] bytes, nested deeper than [MaxDepth] levels, or not valid UTF-8 is
// rejected.
func Parse(s string) (Expr, error) {
	p := parser{s: s}
	if err := p.checkInput("filter"); err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos == len(s) {
		return nil, p.errorf(p.pos, "empty filter")
	}
	e, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos < len(s) {
		return nil, p.unexpected(`expected "and", "or" or the end of the filter`)
	}
	return e, nil
}

// ParsePath parses the path of a PATCH operation (RFC 7644 section 3.5.2, ABNF rule
// PATH): an attribute path ("members", "name.familyName",
// "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value"), or a
// value path with an optional sub-attribute (`emails[type eq "work"]`,
// `emails[type eq "work"].value`, `members[value eq "u1" or value eq "u2"]`).
// Blanks around the path are ignored.
//
// A bare schema URN ("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User") is
// not a valid path: its last segment would be read as the attribute name. Callers that
// accept a whole extension as a PATCH target should recognise the URN before calling
// ParsePath.
//
// Errors are of type [*SyntaxError] with InPath set, so ScimType is "invalidPath".
func ParsePath(s string) (Path, error) {
	p := parser{s: s, inPath: true}
	if err := p.checkInput("path"); err != nil {
		return Path{}, err
	}
	p.skipSpace()
	if p.pos == len(s) {
		return Path{}, p.errorf(p.pos, "empty path")
	}
	ap, err := p.parseAttrPath()
	if err != nil {
		return Path{}, err
	}
	path := Path{Attr: ap}
	p.skipSpace()
	if p.peek() == '[' {
		if path.Filter, err = p.parseValueFilter(ap); err != nil {
			return Path{}, err
		}
		if p.peek() == '.' {
			p.pos++
			if path.Sub, err = p.parseSubName(); err != nil {
				return Path{}, err
			}
		}
		p.skipSpace()
	}
	if p.pos < len(s) {
		return Path{}, p.unexpected("expected the end of the path")
	}
	return path, nil
}

// parser is a single-pass recursive-descent parser over s. It reads bytes directly;
// there is no separate token stream.
type parser struct {
	s      string
	pos    int
	depth  int
	inVF   bool // inside the brackets of a value filter
	inPath bool // parsing a PATCH path: errors say invalidPath
}

func (p *parser) errorf(off int, msg string) error {
	return &SyntaxError{Offset: off, Msg: msg, InPath: p.inPath}
}

// unexpected reports the token at p.pos (or the end of input) after msg.
func (p *parser) unexpected(msg string) error {
	if p.pos >= len(p.s) {
		return p.errorf(p.pos, msg+", found the end of the input")
	}
	return p.errorf(p.pos, msg+", found "+quoteSnippet(p.s[p.pos:]))
}

// quoteSnippet quotes the token at the start of s: a run of at most 24 path bytes, or
// one character.
func quoteSnippet(s string) string {
	n := 0
	for n < len(s) && n < 24 && charClass[s[n]]&clsPath != 0 {
		n++
	}
	if n == 0 {
		_, n = utf8.DecodeRuneInString(s)
	}
	return strconv.Quote(s[:n])
}

func (p *parser) checkInput(what string) error {
	if len(p.s) > MaxLength {
		return p.errorf(MaxLength, what+" is longer than "+strconv.Itoa(MaxLength)+" bytes")
	}
	if !utf8.ValidString(p.s) {
		for i := 0; i < len(p.s); {
			r, n := utf8.DecodeRuneInString(p.s[i:])
			if r == utf8.RuneError && n <= 1 {
				return p.errorf(i, "invalid UTF-8")
			}
			i += n
		}
	}
	return nil
}

func (p *parser) enter() error {
	if p.depth >= MaxDepth {
		return p.errorf(p.pos, "nesting is deeper than "+strconv.Itoa(MaxDepth)+" levels")
	}
	p.depth++
	return nil
}

func (p *parser) peek() byte {
	if p.pos < len(p.s) {
		return p.s[p.pos]
	}
	return 0
}

func (p *parser) skipSpace() {
	for p.pos < len(p.s) && charClass[p.s[p.pos]]&clsSpace != 0 {
		p.pos++
	}
}

// keyword reports whether the word at p.pos is kw (lower case), matched ignoring
// case and followed by a byte that cannot continue a word. It does not advance.
func (p *parser) keyword(kw string) bool {
	end := p.pos + len(kw)
	if end > len(p.s) || !equalFoldASCII(p.s[p.pos:end], kw) {
		return false
	}
	return end == len(p.s) || charClass[p.s[end]]&clsPath == 0
}

// parseOr parses `and-expr *("or" and-expr)`.
func (p *parser) parseOr() (Expr, error) {
	left, err := p.parseAnd()
	if err != nil {
		return nil, err
	}
	for {
		p.skipSpace()
		if !p.keyword("or") {
			return left, nil
		}
		p.pos += 2
		right, err := p.parseAnd()
		if err != nil {
			return nil, err
		}
		left = &Logical{Op: Or, Left: left, Right: right}
	}
}

// parseAnd parses `unary *("and" unary)`.
func (p *parser) parseAnd() (Expr, error) {
	left, err := p.parseUnary()
	if err != nil {
		return nil, err
	}
	for {
		p.skipSpace()
		if !p.keyword("and") {
			return left, nil
		}
		p.pos += 3
		right, err := p.parseUnary()
		if err != nil {
			return nil, err
		}
		left = &Logical{Op: And, Left: left, Right: right}
	}
}

// parseUnary parses `"(" or-expr ")"`, `"not" "(" or-expr ")"` or an attribute
// expression or value path.
func (p *parser) parseUnary() (Expr, error) {
	p.skipSpace()
	switch c := p.peek(); {
	case c == '(':
		return p.parseGroup()
	case c == 'n' || c == 'N':
		if !p.keyword("not") {
			break
		}
		p.pos += 3
		p.skipSpace()
		if p.peek() != '(' {
			return nil, p.unexpected(`expected "(" after "not"`)
		}
		x, err := p.parseGroup()
		if err != nil {
			return nil, err
		}
		return &Not{X: x}, nil
	case c == 0 && p.pos >= len(p.s), c == ')', c == ']':
		return nil, p.unexpected(`expected an attribute path, "(" or "not"`)
	}
	return p.parseAttrExp()
}

// parseGroup parses `"(" or-expr ")"` with p.pos at the "(".
func (p *parser) parseGroup() (Expr, error) {
	open := p.pos
	if err := p.enter(); err != nil {
		return nil, err
	}
	p.pos++
	e, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.peek() != ')' {
		return nil, p.unexpected(`expected ")" to close "(" at offset ` + strconv.Itoa(open))
	}
	p.pos++
	p.depth--
	return e, nil
}

// parseAttrExp parses `attrPath "pr"`, `attrPath compareOp compValue`,
// `attrPath "[" valFilter "]"`, or the Entra form
// `attrPath "[" valFilter "]" "." subAttr compareOp compValue`.
func (p *parser) parseAttrExp() (Expr, error) {
	path, err := p.parseAttrPath()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.peek() != '[' {
		return p.parseCompare(path)
	}
	inner, err := p.parseValueFilter(path)
	if err != nil {
		return nil, err
	}
	vp := &ValuePath{Path: path, Filter: inner}
	if p.peek() == '.' {
		p.pos++
		sub, err := p.parseSubName()
		if err != nil {
			return nil, err
		}
		p.skipSpace()
		c, err := p.parseCompare(AttrPath{Name: sub})
		if err != nil {
			return nil, err
		}
		vp.Filter = &Logical{Op: And, Left: inner, Right: c}
	}
	return vp, nil
}

// parseValueFilter parses `"[" valFilter "]"` with p.pos at the "[", for the
// multi-valued attribute path.
func (p *parser) parseValueFilter(path AttrPath) (Expr, error) {
	open := p.pos
	if p.inVF {
		return nil, p.errorf(open, "a value filter cannot contain another value filter")
	}
	if path.Sub != "" {
		return nil, p.errorf(open, "value filter on the sub-attribute "+strconv.Quote(path.String())+": only a multi-valued attribute takes one")
	}
	if err := p.enter(); err != nil {
		return nil, err
	}
	p.pos++
	p.inVF = true
	p.skipSpace()
	if p.peek() == ']' {
		return nil, p.errorf(p.pos, "empty value filter")
	}
	e, err := p.parseOr()
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.peek() != ']' {
		return nil, p.unexpected(`expected "]" to close "[" at offset ` + strconv.Itoa(open))
	}
	p.pos++
	p.inVF = false
	p.depth--
	return e, nil
}

// parseAttrPath parses `[URI ":"] ATTRNAME ["." ATTRNAME]` at p.pos.
func (p *parser) parseAttrPath() (AttrPath, error) {
	start := p.pos
	colon, dot := -1, -1
	i := start
	for i < len(p.s) && charClass[p.s[i]]&clsPath != 0 {
		switch p.s[i] {
		case ':':
			colon, dot = i, -1
		case '.':
			if dot < 0 {
				dot = i
			}
		}
		i++
	}
	tok := p.s[start:i]
	if tok == "" {
		return AttrPath{}, p.unexpected(`expected an attribute path, "(" or "not"`)
	}
	var ap AttrPath
	nameStart := start
	if colon >= 0 {
		ap.URN = p.s[start:colon]
		if !validURN(ap.URN) {
			return AttrPath{}, p.errorf(start, "invalid schema URN "+strconv.Quote(ap.URN)+" in attribute path "+strconv.Quote(tok))
		}
		nameStart = colon + 1
	}
	nameEnd := i
	if dot >= 0 {
		nameEnd = dot
		ap.Sub = p.s[dot+1 : i]
		if !validName(ap.Sub) {
			return AttrPath{}, p.errorf(dot+1, "invalid sub-attribute name in attribute path "+strconv.Quote(tok))
		}
	}
	ap.Name = p.s[nameStart:nameEnd]
	if !validName(ap.Name) {
		return AttrPath{}, p.errorf(nameStart, "invalid attribute name in attribute path "+strconv.Quote(tok))
	}
	p.pos = i
	return ap, nil
}

// parseSubName parses the ATTRNAME after the "." that follows a value filter.
func (p *parser) parseSubName() (string, error) {
	start := p.pos
	i := start
	for i < len(p.s) && charClass[p.s[i]]&clsPath != 0 {
		i++
	}
	name := p.s[start:i]
	if !validName(name) {
		if name == "" {
			return "", p.unexpected(`expected a sub-attribute name after "]."`)
		}
		return "", p.errorf(start, "invalid sub-attribute name "+strconv.Quote(name)+` after "]."`)
	}
	p.pos = i
	return name, nil
}

// validName reports whether s is an ATTRNAME: ALPHA *(nameChar), or "$" in place of
// the first letter (for "$ref").
func validName(s string) bool {
	if s == "" || charClass[s[0]]&clsNameStart == 0 {
		return false
	}
	if s[0] == '$' && (len(s) == 1 || charClass[s[1]]&clsAlpha == 0) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if charClass[s[i]]&clsName == 0 {
			return false
		}
	}
	return true
}

// validURN reports whether s is a plausible schema URN: colon-separated non-empty
// segments of letters, digits, ".", "-" and "_".
func validURN(s string) bool {
	if s == "" || s[0] == ':' || s[len(s)-1] == ':' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '$' || (c == ':' && s[i-1] == ':') {
			return false
		}
	}
	return true
}

// parseCompare parses the operator and value after an attribute path; p.pos is at the
// operator (blanks skipped).
func (p *parser) parseCompare(path AttrPath) (Expr, error) {
	opStart := p.pos
	i := opStart
	for i < len(p.s) && charClass[p.s[i]]&clsPath != 0 {
		i++
	}
	if i == opStart {
		return nil, p.unexpected("expected an operator after " + strconv.Quote(path.String()))
	}
	op, ok := lookupOp(p.s[opStart:i])
	if !ok {
		return nil, p.errorf(opStart, "unknown operator "+strconv.Quote(p.s[opStart:i])+" after "+strconv.Quote(path.String()))
	}
	p.pos = i
	if op == Pr {
		return &Compare{Path: path, Op: Pr}, nil
	}
	p.skipSpace()
	v, err := p.parseValue(op)
	if err != nil {
		return nil, err
	}
	return &Compare{Path: path, Op: op, Value: v}, nil
}

func lookupOp(w string) (CompareOp, bool) {
	if len(w) != 2 {
		return "", false
	}
	switch w[0] | 0x20 {
	case 'e':
		switch w[1] | 0x20 {
		case 'q':
			return Eq, true
		case 'w':
			return Ew, true
		}
	case 'n':
		if w[1]|0x20 == 'e' {
			return Ne, true
		}
	case 'c':
		if w[1]|0x20 == 'o' {
			return Co, true
		}
	case 's':
		if w[1]|0x20 == 'w' {
			return Sw, true
		}
	case 'g':
		switch w[1] | 0x20 {
		case 't':
			return Gt, true
		case 'e':
			return Ge, true
		}
	case 'l':
		switch w[1] | 0x20 {
		case 't':
			return Lt, true
		case 'e':
			return Le, true
		}
	case 'p':
		if w[1]|0x20 == 'r' {
			return Pr, true
		}
	}
	return "", false
}

// parseValue parses compValue: a JSON string, number, true, false or null, or a bare
// token read as a string.
func (p *parser) parseValue(op CompareOp) (any, error) {
	start := p.pos
	if p.peek() == '"' {
		s, err := p.parseString()
		if err != nil {
			return nil, err
		}
		return s, nil
	}
	i := start
	for i < len(p.s) && charClass[p.s[i]]&clsBare != 0 {
		i++
	}
	tok := p.s[start:i]
	if tok == "" {
		return nil, p.errorf(start, "expected a value after "+strconv.Quote(string(op)))
	}
	p.pos = i
	switch c := tok[0]; {
	case c == '-' || ('0' <= c && c <= '9'):
		if !jsonlex.ValidNumber(tok) {
			return nil, p.errorf(start, "invalid number "+strconv.Quote(tok))
		}
		return json.Number(tok), nil
	case len(tok) == 4 && equalFoldASCII(tok, "true"):
		return true, nil
	case len(tok) == 5 && equalFoldASCII(tok, "false"):
		return false, nil
	case len(tok) == 4 && equalFoldASCII(tok, "null"):
		return nil, nil
	}
	return tok, nil
}

// parseString parses a JSON string at p.pos (the opening quote) and returns it with
// every escape decoded. Without escapes the result shares memory with the input.
func (p *parser) parseString() (string, error) {
	start := p.pos
	i := start + 1
	for i < len(p.s) {
		switch c := p.s[i]; {
		case c == '"':
			p.pos = i + 1
			return p.s[start+1 : i], nil
		case c == '\\':
			return p.parseEscapedString(start, i)
		case c < 0x20:
			return "", p.errorf(i, "control character in string")
		}
		i++
	}
	return "", p.errorf(start, "unterminated string")
}

// parseEscapedString continues parseString from the first backslash at i.
func (p *parser) parseEscapedString(start, i int) (string, error) {
	end := jsonlex.End(p.s, i)
	raw := p.s[start+1:]
	if end >= 0 {
		raw = p.s[start+1 : end]
	}
	out, problem, at := jsonlex.Unescape(raw, jsonlex.KeepInvalidUTF8)
	at += start + 1
	switch problem {
	case jsonlex.ControlChar:
		return "", p.errorf(at, "control character in string")
	case jsonlex.BadUnicodeEscape:
		return "", p.errorf(at, `invalid \u escape in string`)
	case jsonlex.BadEscape:
		return "", p.errorf(at, "invalid escape "+strconv.Quote(p.s[at:at+2])+" in string")
	}
	if problem == jsonlex.TrailingBackslash || end < 0 {
		return "", p.errorf(start, "unterminated string")
	}
	p.pos = end + 1
	return out, nil
}

// equalFoldASCII reports whether s equals the lower-case ASCII word lower, ignoring
// the case of s. len(s) must equal len(lower).
func equalFoldASCII(s, lower string) bool {
	for i := 0; i < len(lower); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// Character classes of the lexer.
const (
	clsSpace     = 1 << iota // blank between tokens
	clsAlpha                 // ALPHA
	clsNameStart             // first byte of an ATTRNAME
	clsName                  // later byte of an ATTRNAME
	clsPath                  // byte of an attribute path token, keyword or operator
	clsBare                  // byte of a bare value token
)

var charClass = func() (t [256]uint8) {
	for c := 0; c < 256; c++ {
		b := byte(c)
		var k uint8
		switch {
		case b == ' ' || b == '\t' || b == '\r' || b == '\n':
			k |= clsSpace
		case 'a' <= b && b <= 'z', 'A' <= b && b <= 'Z':
			k |= clsAlpha | clsNameStart | clsName | clsPath
		case '0' <= b && b <= '9', b == '-', b == '_':
			k |= clsName | clsPath
		case b == '$':
			k |= clsNameStart | clsPath
		case b == '.', b == ':':
			k |= clsPath
		}
		if k&clsSpace == 0 && b != '(' && b != ')' && b != '[' && b != ']' && b != '"' {
			k |= clsBare
		}
		t[c] = k
	}
	return t
}()
