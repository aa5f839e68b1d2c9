package filter

import (
	"encoding/json"

	"github.com/scimkit/scimkit/schema"
)

// Helpers that build ASTs compactly.
func ap(name string) AttrPath { return AttrPath{Name: name} }
func apSub(name, sub string) AttrPath {
	return AttrPath{Name: name, Sub: sub}
}
func apURN(urn, name, sub string) AttrPath { return AttrPath{URN: urn, Name: name, Sub: sub} }
func cmp(p AttrPath, op CompareOp, v any) *Compare {
	return &Compare{Path: p, Op: op, Value: v}
}
func and(l, r Expr) *Logical           { return &Logical{Op: And, Left: l, Right: r} }
func or(l, r Expr) *Logical            { return &Logical{Op: Or, Left: l, Right: r} }
func not(x Expr) *Not                  { return &Not{X: x} }
func vp(p AttrPath, f Expr) *ValuePath { return &ValuePath{Path: p, Filter: f} }
func num(s string) json.Number         { return json.Number(s) }

const entURN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

const testExtURN = "urn:example:params:scim:schemas:extension:test:2.0:User"

// testExt is an extension with the types the built-in schemas lack.
var testExt = &schema.Schema{
	ID:   testExtURN,
	Name: "Test",
	Attributes: []*schema.Attribute{
		{Name: "level", Type: schema.Integer},
		{Name: "score", Type: schema.Decimal},
		{Name: "vip", Type: schema.Boolean},
		{Name: "hired", Type: schema.DateTime},
		{Name: "badge", Type: schema.Binary},
		{Name: "tags", Type: schema.String, MultiValued: true},
		{Name: "codes", Type: schema.String, MultiValued: true, CaseExact: true},
		{Name: "home", Type: schema.Reference},
		{Name: "office", Type: schema.Complex, SubAttributes: []*schema.Attribute{
			{Name: "building", Type: schema.String},
			{Name: "floor", Type: schema.Integer},
		}},
		{Name: "shifts", Type: schema.Complex, MultiValued: true, SubAttributes: []*schema.Attribute{
			{Name: "day", Type: schema.String},
			{Name: "start", Type: schema.DateTime},
			{Name: "rooms", Type: schema.String, MultiValued: true},
		}},
	},
}

var testUsers = schema.UserResourceType.WithExtensions(schema.Extension{Schema: testExt})

func bjensen() map[string]any {
	return map[string]any{
		"id":         "2819c223-7f76-453a-919d-413861904646",
		"externalId": "bjensen",
		"meta": map[string]any{
			"resourceType": "User",
			"created":      "2010-01-23T04:56:22Z",
			"lastModified": "2011-05-13T04:42:34Z",
			"version":      `W/"3694e05e9dff591"`,
		},
		"userName":    "bjensen@example.com",
		"name":        map[string]any{"formatted": "Ms. Barbara J Jensen, III", "familyName": "Jensen", "givenName": "Barbara"},
		"displayName": "Babs Jensen",
		"title":       "",
		"active":      true,
		"emails": []any{
			map[string]any{"value": "bjensen@example.com", "type": "work", "primary": true},
			map[string]any{"value": "babs@jensen.org", "type": "home"},
		},
		"roles": []any{map[string]any{"value": "Admin", "primary": true}},
		entURN: map[string]any{
			"employeeNumber": "701984",
			"department":     "Tour Operations",
			"manager":        map[string]any{"value": "26118915-6090-4610-87e4-49d8ca9f808d", "displayName": "John Smith"},
		},
		testExtURN: map[string]any{
			"level":  json.Number("7"),
			"score":  json.Number("12.50"),
			"vip":    false,
			"hired":  "2015-03-01T09:00:00+01:00",
			"badge":  "QUJD",
			"tags":   []any{"Blue", "green"},
			"codes":  []any{"AB", "cd"},
			"home":   "https://example.com/~babs",
			"office": map[string]any{"building": "North", "floor": json.Number("3")},
			"shifts": []any{
				map[string]any{"day": "Mon", "start": "2024-01-01T08:00:00Z", "rooms": []any{"A1", "B2"}},
				map[string]any{"day": "Tue", "start": "2024-01-02T10:30:00Z"},
			},
		},
	}
}
