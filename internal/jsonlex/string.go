package jsonlex

import (
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// A Problem says what [Unescape] found wrong with the text it was given.
type Problem uint8

// The problems that [Unescape] reports, each at the byte offset of its start.
const (
	// OK means the text was decoded.
	OK Problem = iota
	// ControlChar is a byte below 0x20 that is not part of an escape.
	ControlChar
	// BadEscape is a backslash followed by a byte that starts no escape.
	BadEscape
	// BadUnicodeEscape is a \u not followed by four hexadecimal digits.
	BadUnicodeEscape
	// TrailingBackslash is a backslash that is the last byte of the text: the
	// string went on past the text given.
	TrailingBackslash
)

// A UTF8Mode says what [Unescape] does with bytes that are not valid UTF-8.
type UTF8Mode bool

// The two ways of treating invalid UTF-8.
const (
	// KeepInvalidUTF8 copies such bytes to the result unchanged.
	KeepInvalidUTF8 UTF8Mode = false
	// ReplaceInvalidUTF8 writes U+FFFD for each of them, as encoding/json does.
	ReplaceInvalidUTF8 UTF8Mode = true
)

// End returns the index in s of the first double quote at or after i that is not
// escaped by a backslash, that is the closing quote of a JSON string whose text
// starts at i, or -1 when there is none. It does not check the escapes.
func End(s string, i int) int {
	for ; i < len(s); i++ {
		switch s[i] {
		case '"':
			return i
		case '\\':
			i++ // the escaped byte cannot end the string
		}
	}
	return -1
}

// Unescape decodes raw, the text between the quotes of a JSON string, and returns
// it with every escape decoded. A \u escape of a lone UTF-16 surrogate, or of a
// high surrogate not followed by a \u escape of a low one, becomes U+FFFD, as in
// encoding/json; mode says what happens to invalid UTF-8 outside escapes.
//
// On the first problem, in the order of raw, it returns "", the problem and its
// byte offset in raw (for the escapes, the offset of the backslash); otherwise it
// returns the decoded text, OK and -1. The result is the only allocation.
func Unescape(raw string, mode UTF8Mode) (string, Problem, int) {
	var b strings.Builder
	b.Grow(len(raw))
	for i := 0; i < len(raw); {
		c := raw[i]
		switch {
		case c < 0x20:
			return "", ControlChar, i
		case c >= 0x80 && mode == ReplaceInvalidUTF8:
			r, n := utf8.DecodeRuneInString(raw[i:])
			b.WriteRune(r) // RuneError for invalid UTF-8
			i += n
			continue
		case c != '\\':
			b.WriteByte(c)
			i++
			continue
		}
		if i+1 >= len(raw) {
			return "", TrailingBackslash, i
		}
		switch esc := raw[i+1]; esc {
		case '"', '\\', '/':
			b.WriteByte(esc)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, ok := hex4(raw, i+2)
			if !ok {
				return "", BadUnicodeEscape, i
			}
			i += 6
			if utf16.IsSurrogate(r) {
				r2, ok := rune(-1), false
				if i+1 < len(raw) && raw[i] == '\\' && raw[i+1] == 'u' {
					r2, ok = hex4(raw, i+2)
				}
				if dec := utf16.DecodeRune(r, r2); ok && dec != utf8.RuneError {
					r = dec
					i += 6
				} else {
					r = utf8.RuneError // a lone surrogate
				}
			}
			b.WriteRune(r)
			continue
		default:
			return "", BadEscape, i
		}
		i += 2
	}
	return b.String(), OK, -1
}

// hex4 decodes the four hexadecimal digits at s[i:i+4].
func hex4(s string, i int) (rune, bool) {
	if i < 0 || i+4 > len(s) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[i : i+4]) {
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		case 'A' <= c && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}
