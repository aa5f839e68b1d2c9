package scim

import (
	"encoding/json"
	"testing"
	"time"
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

func FuzzAppendString(f *testing.F) {
	f.Add("a\"b\\c\x00\xff\u2028")
	f.Fuzz(func(t *testing.T, s string) {
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
