package memstore

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// foldKey returns the key under which userName and group displayName are indexed and
// checked for uniqueness. Two strings have the same key when they are equal ignoring
// case in either of the usual senses: strings.EqualFold (simple case folding: K, k and
// the Kelvin sign; s and long ſ) or equality after unicode.ToLower of every rune (what
// package filter's eq and SQL lower() do: İ and i). strings.ToLower alone would miss
// the first kind, and the key must merge both kinds so that an index lookup never
// misses a user that the filter evaluator would match.
//
// Each rune becomes one representative of its class: the lower-case ASCII letter
// where the class has one, else its smallest rune. A string that is already its own
// key, such as a lower-case ASCII identifier, is returned without allocating.
func foldKey(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return strings.Map(foldRune, s)
		}
	}
	return strings.ToLower(s) // on ASCII, what foldRune does, and faster
}

func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r
	}
	r = unicode.ToLower(r)
	m := r
	for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
		if f < utf8.RuneSelf {
			return foldRune(f)
		}
		m = min(m, f)
	}
	return m
}
