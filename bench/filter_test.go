package bench

import (
	"strconv"
	"testing"

	fp "github.com/scim2/filter-parser/v2"

	"github.com/scimkit/scimkit/filter"
	"github.com/scimkit/scimkit/schema"
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

// matchTrees returns n canonical User trees, none of whose userName is
// "nobody@example.com".
func matchTrees(n int) []map[string]any {
	trees := make([]map[string]any, n)
	for i := range trees {
		id := strconv.Itoa(i)
		trees[i] = map[string]any{
			"id":          "u-" + id,
			"externalId":  "ext-" + id,
			"userName":    "user" + id + "@example.com",
			"displayName": "User " + id,
			"active":      i%2 == 0,
			"name":        map[string]any{"givenName": "Given" + id, "familyName": "Family" + id},
			"emails": []any{
				map[string]any{"value": "user" + id + "@example.com", "type": "work", "primary": true},
				map[string]any{"value": "home" + id + "@example.org", "type": "home"},
			},
			"meta": map[string]any{"created": "2024-01-01T00:00:00Z", "lastModified": "2024-02-01T10:00:00Z"},
			schema.EnterpriseUserURN: map[string]any{
				"employeeNumber": id,
				"manager":        map[string]any{"value": "u-" + strconv.Itoa(i/10)},
			},
		}
	}
	return trees
}

// BenchmarkMatch evaluates compiled filters over 10,000 resources per op (none of them
// matches). It fails if evaluation allocates.
func BenchmarkMatch(b *testing.B) {
	trees := matchTrees(10000)
	for _, c := range []struct{ name, filter string }{
		{"userName", `userName eq "nobody@example.com"`},
		{"entraEmail", `emails[type eq "work"].value eq "nobody@example.com"`},
		{"managerAnd", `id eq "u-1" and manager eq "u-0"`},
		{"lastModified", `meta.lastModified gt "2025-01-01T00:00:00Z"`},
		{"nestedOr", `name.familyName eq "Jensen" and (emails.value co "example.net" or emails.value co "example.edu")`},
	} {
		e, err := filter.Parse(c.filter)
		if err != nil {
			b.Fatal(err)
		}
		m, err := filter.Compile(e, schema.UserResourceType)
		if err != nil {
			b.Fatal(err)
		}
		matchAll := func() int {
			n := 0
			for _, t := range trees {
				if m.Match(t) {
					n++
				}
			}
			return n
		}
		b.Run(c.name, func(b *testing.B) {
			if n := matchAll(); n != 0 && c.name != "managerAnd" {
				b.Fatalf("%d resources matched", n)
			}
			if allocs := testing.AllocsPerRun(3, func() { matchAll() }); allocs != 0 {
				b.Fatalf("Match over %d resources allocated %.0f times", len(trees), allocs)
			}
			b.ReportAllocs()
			for b.Loop() {
				matchAll()
			}
		})
	}
}
