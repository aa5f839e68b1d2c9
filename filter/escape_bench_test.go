package filter

import "testing"

// BenchmarkParseEscapedString measures a comparison value with JSON escapes, the
// slow path of the string lexer.
func BenchmarkParseEscapedString(b *testing.B) {
	const s = `displayName eq "Ada \"the Countess\" Lovelace \u00e9\ud83d\ude00"`
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(s); err != nil {
			b.Fatal(err)
		}
	}
}
