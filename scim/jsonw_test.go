package scim

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

func TestAppendStringMatchesEncodingJSON(t *testing.T) {
	for _, s := range []string{"", "plain", `quote " and \ backslash`, "ctl \x00\x01\x1f\n\r\t", "ünïcödé ✓", "bad \xff utf8", "sep \u2028\u2029", "<&>"} {
		got := appendString(nil, s)
		var back string
		if err := json.Unmarshal(got, &back); err != nil {
			t.Fatalf("appendString(%q) = %s: not JSON: %v", s, got, err)
		}
		want, _ := json.Marshal(s)
		var wantBack string
		json.Unmarshal(want, &wantBack)
		if back != wantBack {
			t.Errorf("appendString(%q) decodes to %q, encoding/json gives %q", s, back, wantBack)
		}
	}
}

// appendString skips runs of plain bytes eight at a time; wherever a byte that
// needs escaping sits, a string comes out as its characters do one by one.
func TestAppendStringEncodesLikeEachCharacterAlone(t *testing.T) {
	for _, special := range []string{`"`, `\`, "\x00", "\x1f", "\n", "\x7f", "é", "\xff", "\u2028", "\u2029", "✓"} {
		for pos := 0; pos <= 17; pos++ {
			s := strings.Repeat("a", pos) + special + strings.Repeat("b", 17-pos)
			checkAppendStringByCharacter(t, s)
		}
	}
}

// checkAppendStringByCharacter fails unless appendString(s) is the concatenation
// of what appendString makes of each character (or invalid byte) of s alone, and
// holds no control character and no raw U+2028 or U+2029.
func checkAppendStringByCharacter(t *testing.T, s string) {
	t.Helper()
	want := []byte{'"'}
	for i := 0; i < len(s); {
		_, size := utf8.DecodeRuneInString(s[i:])
		one := appendString(nil, s[i:i+size])
		want = append(want, one[1:len(one)-1]...)
		i += size
	}
	want = append(want, '"')
	got := appendString(nil, s)
	if !bytes.Equal(got, want) {
		t.Fatalf("appendString(%q) = %s, character by character %s", s, got, want)
	}
	if bytes.ContainsFunc(got, func(r rune) bool { return r < ' ' || r == '\u2028' || r == '\u2029' }) {
		t.Fatalf("appendString(%q) = %q holds a character JSON or JavaScript needs escaped", s, got)
	}
}

func FuzzAppendString(f *testing.F) {
	f.Add("a\"b\\c\x00\xff\u2028")
	f.Add("0123456789abcdef\"0123456789abcdef\u2029")
	f.Fuzz(func(t *testing.T, s string) {
		checkAppendStringByCharacter(t, s)
		b := appendString(nil, s)
		var back string
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatalf("%q -> %s: %v", s, b, err)
		}
		want, _ := json.Marshal(s)
		var wantBack string
		json.Unmarshal(want, &wantBack)
		if back != wantBack {
			t.Fatalf("%q: got %q want %q", s, back, wantBack)
		}
	})
}

func TestAppendTimeIsRFC3339UTC(t *testing.T) {
	tm := time.Date(2025, 3, 4, 5, 6, 7, 120000000, time.FixedZone("x", 3600))
	if got := string(appendTime(nil, tm)); got != `"2025-03-04T04:06:07.12Z"` {
		t.Errorf("appendTime = %s", got)
	}
}

// appendTime writes what AppendFormat with time.RFC3339Nano writes in UTC, for
// every year, fraction and zone.
func TestAppendTimeMatchesRFC3339Nano(t *testing.T) {
	zones := []*time.Location{time.UTC, time.FixedZone("east", 5*3600+1800), time.FixedZone("west", -8*3600)}
	times := []time.Time{{}, time.Unix(0, 0), time.Unix(1, 1), time.Unix(1700000000, 123456789)}
	for _, y := range []int{-1, 0, 1, 999, 1969, 2025, 9999, 10000, 123456} {
		for _, ns := range []int{0, 1, 10, 100000000, 120000000, 999999999, 5000} {
			times = append(times, time.Date(y, 12, 31, 23, 59, 59, ns, time.UTC), time.Date(y, 1, 1, 0, 0, 0, ns, time.UTC))
		}
	}
	for _, tm := range times {
		for _, z := range zones {
			tm := tm.In(z)
			want := `"` + tm.UTC().Format(time.RFC3339Nano) + `"`
			if got := string(appendTime(nil, tm)); got != want {
				t.Errorf("appendTime(%v) = %s, want %s", tm, got, want)
			}
		}
	}
}

func TestAppendValue(t *testing.T) {
	v := map[string]any{"b": []any{json.Number("1.5"), true, nil}, "a": "x", "c": map[string]any{}}
	got := string(appendValue(nil, v))
	if got != `{"a":"x","b":[1.5,true,null],"c":{}}` {
		t.Errorf("appendValue = %s", got)
	}
	if got := string(appendValue(nil, json.Number("not a number"))); got != `"not a number"` {
		t.Errorf("bad json.Number = %s", got)
	}
}
