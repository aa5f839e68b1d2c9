package bench

import (
	"testing"

	fp "github.com/scim2/filter-parser/v2"

	"github.com/scimkit/scimkit/filter"
)

// parseCases are the filters of the parse benchmarks: the Entra/Okta matching query,
// an enterprise-extension conjunction, a nested disjunction and a dateTime range.
var parseCases = []struct{ name, filter string }{
	{"userName", `userName eq "bjensen@example.com"`},
	{"enterpriseAnd", `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "42" and active eq true`},
	{"nestedOr", `name.familyName eq "Jensen" and (emails.value co "example.com" or emails.value co "example.org")`},
	{"lastModified", `meta.lastModified gt "2011-05-13T04:42:34Z"`},
}

// BenchmarkParse compares filter.Parse with filter-parser's ParseFilter on the same
// inputs. Both parsers keep numbers exact (json.Number) in these runs.
func BenchmarkParse(b *testing.B) {
	b.Run("scimkit", func(b *testing.B) {
		for _, c := range parseCases {
			b.Run(c.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := filter.Parse(c.filter); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	})
	b.Run("filterparser", func(b *testing.B) {
		for _, c := range parseCases {
			raw := []byte(c.filter)
			b.Run(c.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if _, err := fp.ParseFilterNumber(raw); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	})
}

// BenchmarkParsePath compares filter.ParsePath with filter-parser's ParsePath on the
// PATCH path Entra sends to set a work email.
func BenchmarkParsePath(b *testing.B) {
	const path = `emails[type eq "work"].value`
	b.Run("scimkit", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := filter.ParsePath(path); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("filterparser", func(b *testing.B) {
		raw := []byte(path)
		b.ReportAllocs()
		for b.Loop() {
			if _, err := fp.ParsePathNumber(raw); err != nil {
				b.Fatal(err)
			}
		}
	})
}
