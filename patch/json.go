package patch

import (
	"encoding/json"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/scimkit/scimkit/internal/jsonlex"
	"github.com/scimkit/scimkit/schema"
)

// MaxDepth is the deepest nesting of JSON arrays and objects that [Parse] accepts in a
// request body, counting the body object itself. A SCIM resource needs five levels
// inside an operation's value; deeper input is rejected with invalidSyntax before it
// is decoded further.
const MaxDepth = 32

// decoder reads JSON from s. It is a single-pass recursive-descent reader whose depth
// is bounded by MaxDepth. Strings of the request envelope (member names, op, path)
// are substrings of s; strings inside operation values are copied, so that a resource
// that keeps them does not keep the whole body alive.
type decoder struct {
	s     string
	pos   int
	index int // operation being read, for errors; -1 outside Operations
}

func (d *decoder) syntaxError(msg string) *Error {
	return errorf(d.index, schema.ScimInvalidSyntax, "invalid JSON at offset "+strconv.Itoa(d.pos)+": "+msg)
}

func (d *decoder) unexpected(what string) *Error {
	if d.pos >= len(d.s) {
		return d.syntaxError("unexpected end of input, expected " + what)
	}
	r, _ := utf8.DecodeRuneInString(d.s[d.pos:])
	return d.syntaxError("unexpected " + strconv.QuoteRune(r) + ", expected " + what)
}

func (d *decoder) ws() {
	for d.pos < len(d.s) {
		switch d.s[d.pos] {
		case ' ', '\t', '\n', '\r':
			d.pos++
		default:
			return
		}
	}
}

// peek returns the byte at pos after blanks, or 0 at the end of input.
func (d *decoder) peek() byte {
	d.ws()
	if d.pos < len(d.s) {
		return d.s[d.pos]
	}
	return 0
}

// object reads an object whose '{' is at pos, calling member for each member name
// with pos at the start of the member's value; member must consume the value.
func (d *decoder) object(depth int, member func(name string) error) error {
	if depth > MaxDepth {
		return d.syntaxError("nesting is deeper than " + strconv.Itoa(MaxDepth) + " levels")
	}
	d.pos++ // '{'
	if d.peek() == '}' {
		d.pos++
		return nil
	}
	for {
		if d.peek() != '"' {
			return d.unexpected("a member name")
		}
		name, err := d.str(false)
		if err != nil {
			return err
		}
		if d.peek() != ':' {
			return d.unexpected(`":"`)
		}
		d.pos++
		d.ws()
		if err := member(name); err != nil {
			return err
		}
		switch d.peek() {
		case ',':
			d.pos++
		case '}':
			d.pos++
			return nil
		default:
			return d.unexpected(`"," or "}"`)
		}
	}
}

// array reads an array whose '[' is at pos, calling elem for each element with pos
// at its start; elem must consume the element.
func (d *decoder) array(depth int, elem func(i int) error) error {
	if depth > MaxDepth {
		return d.syntaxError("nesting is deeper than " + strconv.Itoa(MaxDepth) + " levels")
	}
	d.pos++ // '['
	if d.peek() == ']' {
		d.pos++
		return nil
	}
	for i := 0; ; i++ {
		d.ws()
		if err := elem(i); err != nil {
			return err
		}
		switch d.peek() {
		case ',':
			d.pos++
		case ']':
			d.pos++
			return nil
		default:
			return d.unexpected(`"," or "]"`)
		}
	}
}

// value reads any JSON value at pos (blanks already skipped) as string, json.Number,
// bool, nil, map[string]any or []any. depth is the nesting level of the value.
func (d *decoder) value(depth int) (any, error) {
	if d.pos >= len(d.s) {
		return nil, d.unexpected("a value")
	}
	switch c := d.s[d.pos]; {
	case c == '"':
		return d.str(true)
	case c == '{':
		m := make(map[string]any)
		err := d.object(depth, func(name string) error {
			v, err := d.value(depth + 1)
			if err != nil {
				return err
			}
			m[strings.Clone(name)] = v
			return nil
		})
		return m, err
	case c == '[':
		a := []any{}
		err := d.array(depth, func(int) error {
			v, err := d.value(depth + 1)
			a = append(a, v)
			return err
		})
		return a, err
	case c == '-' || c >= '0' && c <= '9':
		return d.number()
	case c == 't':
		return true, d.literal("true")
	case c == 'f':
		return false, d.literal("false")
	case c == 'n':
		return nil, d.literal("null")
	}
	return nil, d.unexpected("a value")
}

// skip reads and discards the value at pos.
func (d *decoder) skip(depth int) error {
	_, err := d.value(depth)
	return err
}

func (d *decoder) literal(word string) error {
	if !strings.HasPrefix(d.s[d.pos:], word) {
		return d.unexpected("a value")
	}
	d.pos += len(word)
	return nil
}

// str reads the string whose opening quote is at pos. Strings without escapes are
// returned as substrings of s, copied when clone is true; the others are decoded into
// a new string. Invalid UTF-8 becomes U+FFFD, as encoding/json does.
func (d *decoder) str(clone bool) (string, error) {
	start := d.pos + 1
	simple, high := true, false
	for i := start; i < len(d.s); i++ {
		switch c := d.s[i]; {
		case c == '"':
			raw := d.s[start:i]
			if simple && (!high || utf8.ValidString(raw)) {
				d.pos = i + 1
				if clone {
					raw = strings.Clone(raw)
				}
				return raw, nil
			}
			out, problem, at := jsonlex.Unescape(raw, jsonlex.ReplaceInvalidUTF8)
			if problem != jsonlex.OK {
				// A bad escape: the scan above rules out the other problems.
				d.pos = start + at
				return "", d.syntaxError("invalid escape in string")
			}
			d.pos = i + 1
			return out, nil
		case c == '\\':
			simple = false
			i++ // the escaped byte cannot end the string
		case c < 0x20:
			d.pos = i
			return "", d.syntaxError("control character in string")
		case c >= 0x80:
			high = true
		}
	}
	d.pos = len(d.s)
	return "", d.syntaxError("unterminated string")
}

// number reads a JSON number at pos and returns it exactly.
func (d *decoder) number() (json.Number, error) {
	end, ok := jsonlex.ScanNumber(d.s, d.pos)
	if !ok {
		d.pos = end
		return "", d.unexpected("a digit")
	}
	n := json.Number(strings.Clone(d.s[d.pos:end]))
	d.pos = end
	return n, nil
}
