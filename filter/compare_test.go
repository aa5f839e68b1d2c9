package filter

import (
	"testing"

	"github.com/scimkit/scimkit/schema"
)

func TestDecimalCompare(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"0", "-0", 0}, {"0.0", "0e10", 0}, {"1", "1.0", 0}, {"1", "10e-1", 0}, {"100", "1e2", 0},
		{"1", "2", -1}, {"-1", "-2", 1}, {"-1", "1", -1}, {"0", "1e-300", -1}, {"-1e-300", "0", -1},
		{"9007199254740993", "9007199254740992", 1}, {"123456789012345678901234567890", "1.2345678901234567890123456789e29", 0},
		{"0.1", "0.10000000000000001", -1}, {"1e999999999999999999", "1e2", 1}, {"5e-999999999999999999", "0", 1},
		{"12.5", "12.50", 0}, {"0.001", "1e-3", 0}, {"10", "9.99", 1},
	}
	for _, tt := range tests {
		a, ok1 := parseDecimal(tt.a)
		b, ok2 := parseDecimal(tt.b)
		if !ok1 || !ok2 {
			t.Fatalf("parseDecimal(%q, %q) failed", tt.a, tt.b)
		}
		if got := compareDecimal(a, b); got != tt.want {
			t.Errorf("compare(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := compareDecimal(b, a); got != -tt.want {
			t.Errorf("compare(%s, %s) = %d, want %d", tt.b, tt.a, got, -tt.want)
		}
	}
	if _, ok := parseDecimal("1x"); ok {
		t.Error("parseDecimal accepted 1x")
	}
}

func TestParseInstant(t *testing.T) {
	good := map[string]int64{
		"1970-01-01T00:00:00Z":           0,
		"1970-01-01T01:00:00+01:00":      0,
		"1969-12-31T23:59:59Z":           -1,
		"2000-02-29T00:00:00Z":           951782400,
		"2011-05-13T04:42:34Z":           1305261754,
		"2011-05-13t04:42:34z":           1305261754,
		"2011-05-13T04:42:34":            1305261754,
		"2011-05-13T04:42:34.123456789Z": 1305261754,
		"2011-05-12T23:42:34-05:00":      1305261754,
		"0001-01-01T00:00:00Z":           -62135596800,
		"9999-12-31T23:59:59Z":           253402300799,
	}
	for s, want := range good {
		got, ok := parseInstant(s)
		if !ok || got.sec != want {
			t.Errorf("parseInstant(%q) = %v, %v; want %d", s, got, ok, want)
		}
		// The fast path agrees with the schema package.
		st, err := schema.ParseDateTime(s)
		if err != nil || st.Unix() != got.sec || int32(st.Nanosecond()) != got.nsec {
			t.Errorf("schema.ParseDateTime(%q) = %v, %v; parseInstant gave %v", s, st, err, got)
		}
	}
	if got, _ := parseInstant("2011-05-13T04:42:34.5Z"); got.nsec != 500000000 {
		t.Errorf("fraction: %d", got.nsec)
	}
	for _, s := range []string{
		"", "2011-05-13", "2011-05-13 04:42:34Z", "2011-13-13T04:42:34Z", "2011-02-29T04:42:34Z",
		"2011-05-13T24:00:00Z", "2011-05-13T04:60:00Z", "2011-05-13T04:42:34.Z", "2011-05-13T04:42:34+0100",
		"2011-05-13T04:42:34+25:00", "2011-05-13T04:42:34ZZ", "x011-05-13T04:42:34Z", "2011-05-13T04:42:34 ",
	} {
		if _, ok := parseInstant(s); ok {
			t.Errorf("parseInstant(%q) succeeded", s)
		}
	}
}
