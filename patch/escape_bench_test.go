package patch

import "testing"

// BenchmarkParseEscapedString measures a PATCH body whose value has JSON escapes,
// the slow path of the string reader.
func BenchmarkParseEscapedString(b *testing.B) {
	body := []byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"displayName","value":"Ada \"the Countess\" Lovelace \u00e9\ud83d\ude00"}]}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(body); err != nil {
			b.Fatal(err)
		}
	}
}
