package schema

import (
	"strconv"
	"testing"
)

// entraUser is the create body of ENTRA-USER-2.
const entraUser = `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User","urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
 "externalId":"ada.l","userName":"ada.l@contoso.example","active":true,
 "displayName":"Ada L","title":"Engineer","preferredLanguage":"en-GB",
 "emails":[{"primary":true,"type":"work","value":"ada.l@contoso.example"}],
 "name":{"formatted":"Ada L","givenName":"Ada","familyName":"L"},
 "phoneNumbers":[{"type":"mobile","value":"+44 7700 900123"}],
 "addresses":[{"type":"work","locality":"Leeds","country":"GB","primary":false}],
 "meta":{"resourceType":"User"},"roles":[],
 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"00412","department":"R&D","costCenter":"CC-9"}}`

func BenchmarkNormalizeEntraUser(b *testing.B) {
	in := decode(b, entraUser)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := UserResourceType.Normalize(in, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkNormalizeEntraUserStrict(b *testing.B) {
	in := decode(b, entraUser)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := UserResourceType.Normalize(in, Options{Strict: true}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkNormalizeValueActive is the value of Entra's disable PATCH.
func BenchmarkNormalizeValueActive(b *testing.B) {
	active := User.Attribute("active")
	b.ReportAllocs()
	for b.Loop() {
		if v, err := NormalizeValue(active, "False", Options{}); err != nil || v != false {
			b.Fatal(v, err)
		}
	}
}

func BenchmarkLookup(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, ok := UserResourceType.Lookup("urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value"); !ok {
			b.Fatal("not found")
		}
	}
}

func storedEntraUser(b *testing.B) map[string]any {
	tree, _, err := UserResourceType.Normalize(decode(b, entraUser), Options{})
	if err != nil {
		b.Fatal(err)
	}
	tree["id"] = "u-1"
	tree["meta"] = map[string]any{"resourceType": "User", "created": "2024-01-01T00:00:00Z", "lastModified": "2024-01-01T00:00:00Z"}
	return tree
}

// BenchmarkProjectUser: a GET without query parameters.
func BenchmarkProjectUser(b *testing.B) {
	tree := storedEntraUser(b)
	b.ReportAllocs()
	for b.Loop() {
		if p := UserResourceType.Project(tree, nil, nil); len(p) != len(tree) {
			b.Fatal(len(p))
		}
	}
}

// BenchmarkProjectUserWithPassword: the password must be cut out, which copies the
// top-level map.
func BenchmarkProjectUserWithPassword(b *testing.B) {
	tree := storedEntraUser(b)
	tree["password"] = "secret"
	b.ReportAllocs()
	for b.Loop() {
		if p := UserResourceType.Project(tree, nil, nil); len(p) != len(tree)-1 {
			b.Fatal(len(p))
		}
	}
}

// BenchmarkProjectUserAttributes: ENTRA-USER-4's attributes=id.
func BenchmarkProjectUserAttributes(b *testing.B) {
	tree := storedEntraUser(b)
	attrs := []string{"id"}
	b.ReportAllocs()
	for b.Loop() {
		if p := UserResourceType.Project(tree, attrs, nil); len(p) != 1 {
			b.Fatal(len(p))
		}
	}
}

func bigGroup(n int) map[string]any {
	members := make([]any, n)
	for i := range members {
		id := "u-" + strconv.Itoa(i)
		members[i] = map[string]any{"value": id, "display": id, "type": "User"}
	}
	return map[string]any{"id": "g-1", "displayName": "Everyone", "members": members,
		"meta": map[string]any{"resourceType": "Group", "created": "2024-01-01T00:00:00Z"}}
}

// BenchmarkProjectGroup10k: a group of ten thousand members without parameters: the
// member list is shared, not walked.
func BenchmarkProjectGroup10k(b *testing.B) {
	tree := bigGroup(10000)
	b.ReportAllocs()
	for b.Loop() {
		if p := GroupResourceType.Project(tree, nil, nil); len(p) != 4 {
			b.Fatal(len(p))
		}
	}
}

// BenchmarkProjectGroupExcludeMembers: Entra's excludedAttributes=members.
func BenchmarkProjectGroupExcludeMembers(b *testing.B) {
	tree := bigGroup(10000)
	excl := []string{"members"}
	b.ReportAllocs()
	for b.Loop() {
		if p := GroupResourceType.Project(tree, nil, excl); len(p) != 3 {
			b.Fatal(len(p))
		}
	}
}
