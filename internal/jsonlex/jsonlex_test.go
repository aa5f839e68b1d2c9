package jsonlex

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestUnescape(t *testing.T) {
	for _, c := range []struct {
		raw  string
		mode UTF8Mode
		want string
	}{
		{``, KeepInvalidUTF8, ``},
		{`plain`, KeepInvalidUTF8, `plain`},
		{`a\"b\\c\/d`, KeepInvalidUTF8, `a"b\c/d`},
		{`\b\f\n\r\t`, KeepInvalidUTF8, "\b\f\n\r\t"},
		{`\u00e9\u00C9`, KeepInvalidUTF8, "éÉ"},
		{`\ud83d\ude00`, KeepInvalidUTF8, "😀"},
		{`\ud83dx`, KeepInvalidUTF8, "\uFFFDx"},           // high surrogate alone
		{`\ude00\ud83d`, KeepInvalidUTF8, "\uFFFD\uFFFD"}, // low then high
		{`\ud83d\u0041`, KeepInvalidUTF8, "\uFFFDA"},      // high, then no low
		{`\ud83d\ud83d\ude00`, KeepInvalidUTF8, "\uFFFD😀"},
		{"é\xff", KeepInvalidUTF8, "é\xff"},
		{"é\xff", ReplaceInvalidUTF8, "é\uFFFD"},
		{"\xed\xa0\x80\\n", ReplaceInvalidUTF8, "\uFFFD\uFFFD\uFFFD\n"},
	} {
		got, p, at := Unescape(c.raw, c.mode)
		if got != c.want || p != OK || at != -1 {
			t.Errorf("Unescape(%q, %v) = %q, %d, %d; want %q, OK, -1", c.raw, c.mode, got, p, at, c.want)
		}
	}
}

func TestUnescapeProblems(t *testing.T) {
	for _, c := range []struct {
		raw  string
		want Problem
		at   int
	}{
		{"ab\x01", ControlChar, 2},
		{"\t", ControlChar, 0},
		{`ab\x`, BadEscape, 2},
		{"\\\x01", BadEscape, 0},
		{`\u12`, BadUnicodeEscape, 0},
		{`\u12g4`, BadUnicodeEscape, 0},
		{`\ud83d\u12`, BadUnicodeEscape, 6},
		{`abc\`, TrailingBackslash, 3},
		{`\x` + "\x01", BadEscape, 0}, // the first problem in order wins
		{"\x01" + `\x`, ControlChar, 0},
	} {
		for _, mode := range []UTF8Mode{KeepInvalidUTF8, ReplaceInvalidUTF8} {
			got, p, at := Unescape(c.raw, mode)
			if got != "" || p != c.want || at != c.at {
				t.Errorf("Unescape(%q, %v) = %q, %d, %d; want \"\", %d, %d", c.raw, mode, got, p, at, c.want, c.at)
			}
		}
	}
}

func TestUnescapeAllocatesOnlyTheResult(t *testing.T) {
	raw := strings.Repeat(`Ada \"L\" \u00e9\ud83d\ude00 `, 20)
	if n := testing.AllocsPerRun(100, func() { Unescape(raw, ReplaceInvalidUTF8) }); n != 1 {
		t.Errorf("Unescape allocates %v times, want 1", n)
	}
}

func TestEnd(t *testing.T) {
	for _, c := range []struct {
		s    string
		i    int
		want int
	}{
		{`abc"`, 0, 3},
		{`"abc"`, 1, 4},
		{`a\"b"c"`, 0, 4},
		{`a\\"b`, 0, 3},
		{`abc`, 0, -1},
		{`abc\"`, 0, -1},
		{`abc\`, 0, -1},
		{``, 0, -1},
	} {
		if got := End(c.s, c.i); got != c.want {
			t.Errorf("End(%q, %d) = %d, want %d", c.s, c.i, got, c.want)
		}
	}
}

func TestValidNumber(t *testing.T) {
	for _, s := range []string{"0", "-0", "1", "-12", "1.5", "1e5", "1E+5", "1.0e-3", "123456789012345678901234567890"} {
		if !ValidNumber(s) {
			t.Errorf("ValidNumber(%q) = false", s)
		}
	}
	for _, s := range []string{"", "-", "01", "1.", ".5", "1e", "1e+", "+1", "0x10", "1 ", "NaN", "Infinity", "1.5.5"} {
		if ValidNumber(s) {
			t.Errorf("ValidNumber(%q) = true", s)
		}
	}
}

func TestScanNumber(t *testing.T) {
	for _, c := range []struct {
		s   string
		i   int
		end int
		ok  bool
	}{
		{"12,", 0, 2, true},
		{"[-0.5e+3]", 1, 8, true},
		{"01", 0, 1, true},
		{"-", 0, 1, false},
		{"-x", 0, 1, false},
		{"1.x", 0, 2, false},
		{"1e", 0, 2, false},
		{"1E-}", 0, 3, false},
	} {
		end, ok := ScanNumber(c.s, c.i)
		if end != c.end || ok != c.ok {
			t.Errorf("ScanNumber(%q, %d) = %d, %v; want %d, %v", c.s, c.i, end, ok, c.end, c.ok)
		}
	}
}

// FuzzUnescape checks Unescape against encoding/json: a quoted text that End finds
// the end of decodes without a problem exactly when encoding/json accepts it, and
// to the same string.
func FuzzUnescape(f *testing.F) {
	for _, s := range []string{`plain`, `a\"b`, `\u00e9`, `\ud83d\ude00`, `\ud83d`, "\xff", `\x`, "\x01", `\u12`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		if End(raw, 0) >= 0 {
			return // not the text of one string
		}
		got, p, at := Unescape(raw, ReplaceInvalidUTF8)
		var want string
		err := json.Unmarshal([]byte(`"`+raw+`"`), &want)
		if (p == OK) != (err == nil) {
			t.Fatalf("Unescape(%q) = %d at %d, encoding/json: %v", raw, p, at, err)
		}
		if p == OK && got != want {
			t.Fatalf("Unescape(%q) = %q, encoding/json %q", raw, got, want)
		}
		if p != OK && (at < 0 || at >= len(raw)) {
			t.Fatalf("Unescape(%q): problem %d at %d, outside the text", raw, p, at)
		}
		kept, p2, at2 := Unescape(raw, KeepInvalidUTF8)
		if p2 != p || at2 != at {
			t.Fatalf("Unescape(%q): modes disagree: %d at %d and %d at %d", raw, p, at, p2, at2)
		}
		if p == OK && utf8.ValidString(raw) && kept != got {
			t.Fatalf("Unescape(%q): KeepInvalidUTF8 %q differs from ReplaceInvalidUTF8 %q on valid input", raw, kept, got)
		}
	})
}

// FuzzValidNumber checks ValidNumber against encoding/json.
func FuzzValidNumber(f *testing.F) {
	for _, s := range []string{"0", "-1.5e+3", "01", "1.", "-", "1e", " 1"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d := json.NewDecoder(strings.NewReader(s))
		d.UseNumber()
		var v any
		err := d.Decode(&v)
		n, isNum := v.(json.Number)
		want := err == nil && isNum && string(n) == s && !d.More()
		if got := ValidNumber(s); got != want {
			t.Fatalf("ValidNumber(%q) = %v, encoding/json says %v (%v)", s, got, want, err)
		}
	})
}
