package memstore

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// TestFoldKeyMergesCaseClasses checks every rune: the key of a rune equals the key of
// every rune in its simple case folding orbit (strings.EqualFold) and the key of its
// lower-case form (package filter's case-insensitive eq), so the userName index never
// misses a match and uniqueness ignores case in both senses.
func TestFoldKeyMergesCaseClasses(t *testing.T) {
	// Every rune with a case mapping or folding lies below U+20000 (the last ones are
	// Adlam's, U+1E900 to U+1E943); the planes above hold none.
	for r := rune(0); r < 0x20000; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		k := foldRune(r)
		for f := unicode.SimpleFold(r); f != r; f = unicode.SimpleFold(f) {
			if foldRune(f) != k {
				t.Fatalf("key(%U) = %U but key(%U) = %U, though they fold together", r, k, f, foldRune(f))
			}
		}
		if l := unicode.ToLower(r); foldRune(l) != k {
			t.Fatalf("key(%U) = %U but key(ToLower) = key(%U) = %U", r, k, l, foldRune(l))
		}
		if foldRune(k) != k {
			t.Fatalf("key(%U) = %U is not its own key", r, k)
		}
	}
}

func TestFoldKeyEqualExactlyForNamesEqualIgnoringCase(t *testing.T) {
	for _, c := range []struct{ a, b string }{
		{"Ada@Contoso.example", "ada@contoso.EXAMPLE"},
		{"KELVIN", "\u212aelvin"},
		{"straße", "STRAßE"},
		{"ſam", "Sam"},
		{"İstanbul", "istanbul"},
		{"ΣΊΣΥΦΟΣ", "σίσυφος"},
	} {
		if foldKey(c.a) != foldKey(c.b) {
			t.Errorf("foldKey(%q) = %q, foldKey(%q) = %q; want equal", c.a, foldKey(c.a), c.b, foldKey(c.b))
		}
	}
	for _, c := range []struct{ a, b string }{{"ada", "adb"}, {"straße", "strasse"}, {"a", "á"}} {
		if foldKey(c.a) == foldKey(c.b) {
			t.Errorf("foldKey(%q) == foldKey(%q)", c.a, c.b)
		}
	}
	s := "already.lower@example.com"
	if k := foldKey(s); k != s || strings.Clone(k) != s {
		t.Errorf("foldKey changed %q to %q", s, k)
	}
	if n := testing.AllocsPerRun(100, func() { sink = foldKey(s) }); n != 0 {
		t.Errorf("foldKey of a lower-case ASCII string allocates %v times", n)
	}
}

var sink string

// TestRunesAboveU20000HaveNoCase guards TestFoldKeyMergesCaseClasses, which checks the
// runes below U+20000 only.
func TestRunesAboveU20000HaveNoCase(t *testing.T) {
	for r := rune(0x20000); r <= unicode.MaxRune; r += 1 {
		if unicode.SimpleFold(r) != r || unicode.ToLower(r) != r {
			t.Fatalf("%U has a case mapping; widen TestFoldKeyMergesCaseClasses", r)
		}
		if r == 0x3FFFF {
			r = 0xDFFFF // planes 4 to 13 are unassigned
		}
	}
}
