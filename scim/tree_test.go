package scim

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/scimkit/scimkit/schema"
)

// entraUserJSON is a user with every attribute of ENTRA-USER-1 (default and optional
// mappings), enterprise data with a manager and a custom extension, as a canonical tree.
const entraUserJSON = `{
  "id": "u-7",
  "externalId": "ada.l",
  "userName": "Ada.L@contoso.example",
  "name": {"formatted": "Ada Lovelace", "givenName": "Ada", "familyName": "Lovelace",
           "middleName": "K", "honorificPrefix": "Ms", "honorificSuffix": "III"},
  "displayName": "Ada L",
  "nickName": "Ada",
  "profileUrl": "https://contoso.example/ada",
  "title": "Engineer",
  "userType": "Employee",
  "preferredLanguage": "en-GB",
  "locale": "en-GB",
  "timezone": "Europe/London",
  "active": false,
  "emails": [{"value": "Ada.L@contoso.example", "type": "work", "primary": true},
             {"value": "ada@home.example", "type": "other"}],
  "phoneNumbers": [{"value": "+44 7700 900123", "type": "mobile"},
                   {"value": "+44 (0)113 496 0000", "type": "work"},
                   {"value": "+44 113 496 0001", "type": "fax"}],
  "ims": [{"value": "ada", "type": "xmpp"}],
  "photos": [{"value": "https://contoso.example/ada.png", "type": "photo"}],
  "addresses": [{"type": "work", "formatted": "1 Loom St\nLeeds", "streetAddress": "1 Loom St",
                 "locality": "Leeds", "region": "West Yorkshire", "postalCode": "LS1 1AA",
                 "country": "GB", "primary": true},
                {"type": "other", "formatted": "Elsewhere"}],
  "groups": [{"value": "g-1", "display": "Engineering", "type": "direct"}],
  "entitlements": [{"value": "license-e5"}],
  "roles": [{"value": "{\"id\":\"admin\"}", "display": "Admin", "type": "WindowsAzureActiveDirectoryRole", "primary": true}],
  "x509Certificates": [{"value": "MIIBIjANBg=="}],
  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": {
    "employeeNumber": "00412", "costCenter": "CC-9", "organization": "Contoso",
    "division": "Research", "department": "R&D",
    "manager": {"value": "u-2", "displayName": "Charles B"}
  },
  "urn:ietf:params:scim:schemas:extension:contoso:2.0:User": {
    "badge": "B-12", "floor": 3, "remote": true, "skills": ["go", "scim"],
    "desk": {"building": "North", "number": 12.5}
  },
  "meta": {"resourceType": "User", "created": "2024-03-01T09:30:00.123456789Z",
           "lastModified": "2024-03-02T10:00:00Z", "version": "17"}
}`

func decodeTree(t testing.TB, s string) map[string]any {
	t.Helper()
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		t.Fatal(err)
	}
	return m
}

func TestENTRA_USER_1_UserFromTreeEveryAttribute(t *testing.T) {
	tree := decodeTree(t, entraUserJSON)
	u, err := UserFromTree(tree)
	if err != nil {
		t.Fatal(err)
	}
	created := time.Date(2024, 3, 1, 9, 30, 0, 123456789, time.UTC)
	want := &User{
		ID: "u-7", ExternalID: "ada.l", UserName: "Ada.L@contoso.example",
		Name: &Name{Formatted: "Ada Lovelace", GivenName: "Ada", FamilyName: "Lovelace",
			MiddleName: "K", HonorificPrefix: "Ms", HonorificSuffix: "III"},
		DisplayName: "Ada L", NickName: "Ada", ProfileURL: "https://contoso.example/ada",
		Title: "Engineer", UserType: "Employee", PreferredLanguage: "en-GB", Locale: "en-GB",
		Timezone: "Europe/London", Active: false,
		Emails: []MultiValue{{Value: "Ada.L@contoso.example", Type: "work", Primary: true},
			{Value: "ada@home.example", Type: "other"}},
		PhoneNumbers: []MultiValue{{Value: "+44 7700 900123", Type: "mobile"},
			{Value: "+44 (0)113 496 0000", Type: "work"}, {Value: "+44 113 496 0001", Type: "fax"}},
		IMs:    []MultiValue{{Value: "ada", Type: "xmpp"}},
		Photos: []MultiValue{{Value: "https://contoso.example/ada.png", Type: "photo"}},
		Addresses: []Address{{Type: "work", Formatted: "1 Loom St\nLeeds", StreetAddress: "1 Loom St",
			Locality: "Leeds", Region: "West Yorkshire", PostalCode: "LS1 1AA", Country: "GB", Primary: true},
			{Type: "other", Formatted: "Elsewhere"}},
		Groups:           []GroupRef{{Value: "g-1", Display: "Engineering", Type: "direct"}},
		Entitlements:     []MultiValue{{Value: "license-e5"}},
		Roles:            []MultiValue{{Value: `{"id":"admin"}`, Display: "Admin", Type: "WindowsAzureActiveDirectoryRole", Primary: true}},
		X509Certificates: []MultiValue{{Value: "MIIBIjANBg=="}},
		Enterprise: &EnterpriseUser{EmployeeNumber: "00412", CostCenter: "CC-9", Organization: "Contoso",
			Division: "Research", Department: "R&D", Manager: &Manager{Value: "u-2", DisplayName: "Charles B"}},
		Extensions: map[string]map[string]any{
			"urn:ietf:params:scim:schemas:extension:contoso:2.0:User": {
				"badge": "B-12", "floor": json.Number("3"), "remote": true, "skills": []any{"go", "scim"},
				"desk": map[string]any{"building": "North", "number": json.Number("12.5")},
			},
		},
		Meta: Meta{Created: created, LastModified: time.Date(2024, 3, 2, 10, 0, 0, 0, time.UTC), Version: "17"},
	}
	if !reflect.DeepEqual(u, want) {
		t.Fatalf("UserFromTree:\n got %#v\nwant %#v", u, want)
	}
	// And back: the canonical tree is reproduced exactly.
	if got := u.Tree(); !reflect.DeepEqual(got, tree) {
		t.Fatalf("Tree differs from the input tree:\n got %v\nwant %v", got, tree)
	}
}

func TestUserTreeShape(t *testing.T) {
	u := &User{UserName: "bjensen", Active: true, Meta: Meta{
		Created: time.Date(2024, 1, 2, 3, 4, 5, 0, time.FixedZone("X", 3600))}}
	got := u.Tree()
	want := map[string]any{
		"userName": "bjensen",
		"active":   true,
		"meta":     map[string]any{"resourceType": "User", "created": "2024-01-02T02:04:05Z"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
	// Inactive users carry active false; nothing else appears for zero fields.
	u = &User{Name: &Name{}, Enterprise: &EnterpriseUser{Manager: &Manager{}},
		Emails: []MultiValue{{}}, Extensions: map[string]map[string]any{"urn:x:1": {}}}
	got = u.Tree()
	want = map[string]any{"active": false, "meta": map[string]any{"resourceType": "User"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("empty parts: got %v, want %v", got, want)
	}
}

func TestUserTreeManagerOnlyValue(t *testing.T) {
	u := &User{Enterprise: &EnterpriseUser{Manager: &Manager{Value: "u-2"}}}
	got := u.Tree()[schema.EnterpriseUserURN]
	want := map[string]any{"manager": map[string]any{"value": "u-2"}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %v, want %v", got, want)
	}
}

func TestUserFromTreeDefaultsAndIgnored(t *testing.T) {
	u, err := UserFromTree(map[string]any{
		"userName": "x", "password": "secret", "schemas": []any{schema.UserURN},
		"meta":                   map[string]any{"resourceType": "User", "location": "https://h/Users/1"},
		"unknownAttr":            "kept nowhere",
		schema.EnterpriseUserURN: map[string]any{"department": "D", "unknown": "dropped"},
		"urn:x:ext":              map[string]any{"a": "b"},
		"groups":                 []any{},
		"name":                   map[string]any{},
		"emails":                 []any{map[string]any{}},
		schema.UserURN:           map[string]any{"userName": "ignored"},
		"urn:x:ext:but:empty":    map[string]any{},
	})
	if err != nil {
		t.Fatal(err)
	}
	want := &User{UserName: "x", Enterprise: &EnterpriseUser{Department: "D"},
		Extensions: map[string]map[string]any{"urn:x:ext": {"a": "b"}}}
	if !reflect.DeepEqual(u, want) {
		t.Fatalf("got %#v\nwant %#v", u, want)
	}
	u, err = UserFromTree(map[string]any{schema.EnterpriseUserURN: map[string]any{"manager": "u-9"}})
	if err != nil {
		t.Fatal(err)
	}
	if u.Enterprise == nil || *u.Enterprise.Manager != (Manager{Value: "u-9"}) {
		t.Fatalf("string manager: got %#v", u.Enterprise)
	}
}

func TestUserFromTreeTypeErrors(t *testing.T) {
	cases := []struct {
		tree map[string]any
		path string
	}{
		{map[string]any{"userName": true}, "userName"},
		{map[string]any{"userName": nil}, "userName"},
		{map[string]any{"active": "true"}, "active"},
		{map[string]any{"name": "Ada"}, "name"},
		{map[string]any{"name": map[string]any{"givenName": json.Number("1")}}, "name.givenName"},
		{map[string]any{"emails": map[string]any{"value": "x"}}, "emails"},
		{map[string]any{"emails": []any{"x"}}, "emails"},
		{map[string]any{"emails": []any{map[string]any{"primary": "true"}}}, "emails.primary"},
		{map[string]any{"phoneNumbers": []any{map[string]any{"value": 5}}}, "phoneNumbers.value"},
		{map[string]any{"addresses": []any{map[string]any{"country": false}}}, "addresses.country"},
		{map[string]any{"addresses": []any{map[string]any{"primary": 1}}}, "addresses.primary"},
		{map[string]any{"groups": []any{map[string]any{"value": []any{}}}}, "groups.value"},
		{map[string]any{schema.EnterpriseUserURN: "x"}, schema.EnterpriseUserURN},
		{map[string]any{schema.EnterpriseUserURN: map[string]any{"department": 1}}, schema.EnterpriseUserURN + ":department"},
		{map[string]any{schema.EnterpriseUserURN: map[string]any{"manager": 1}}, schema.EnterpriseUserURN + ":manager"},
		{map[string]any{schema.EnterpriseUserURN: map[string]any{"manager": map[string]any{"value": true}}}, schema.EnterpriseUserURN + ":manager.value"},
		{map[string]any{"meta": "x"}, "meta"},
		{map[string]any{"meta": map[string]any{"created": "yesterday"}}, "meta.created"},
		{map[string]any{"meta": map[string]any{"lastModified": 5}}, "meta.lastModified"},
		{map[string]any{"meta": map[string]any{"version": false}}, "meta.version"},
		{map[string]any{"urn:x:ext": "flat"}, "urn:x:ext"},
	}
	for _, c := range cases {
		_, err := UserFromTree(c.tree)
		var se *schema.Error
		if !errors.As(err, &se) {
			t.Errorf("%v: got %v, want *schema.Error", c.tree, err)
			continue
		}
		if se.ScimType() != "invalidValue" || se.Path != c.path {
			t.Errorf("%v: got type %q path %q, want invalidValue %q", c.tree, se.ScimType(), se.Path, c.path)
		}
		if !strings.Contains(err.Error(), c.path) {
			t.Errorf("%v: message %q does not name %q", c.tree, err, c.path)
		}
	}
}

func TestGroupTreeRoundTrip(t *testing.T) {
	tree := decodeTree(t, `{"id":"g-1","externalId":"e-1","displayName":"Design",
		"members":[{"value":"u-1","display":"Ada","type":"User"},{"value":"g-2","type":"Group"}],
		"urn:x:grp":{"costCode":"7"},
		"meta":{"resourceType":"Group","created":"2024-01-01T00:00:00Z","lastModified":"2024-01-01T00:00:01.5Z","version":"3"}}`)
	g, err := GroupFromTree(tree)
	if err != nil {
		t.Fatal(err)
	}
	want := &Group{ID: "g-1", ExternalID: "e-1", DisplayName: "Design",
		Members:    []Member{{Value: "u-1", Display: "Ada", Type: "User"}, {Value: "g-2", Type: "Group"}},
		Extensions: map[string]map[string]any{"urn:x:grp": {"costCode": "7"}},
		Meta: Meta{Created: time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC),
			LastModified: time.Date(2024, 1, 1, 0, 0, 1, 5e8, time.UTC), Version: "3"}}
	if !reflect.DeepEqual(g, want) {
		t.Fatalf("got %#v\nwant %#v", g, want)
	}
	if got := g.Tree(); !reflect.DeepEqual(got, tree) {
		t.Fatalf("Tree: got %v\nwant %v", got, tree)
	}
	for _, bad := range []map[string]any{
		{"displayName": 1}, {"members": "u-1"}, {"members": []any{map[string]any{"value": 1}}},
		{"members": []any{nil}}, {"meta": []any{}}, {"urn:x:grp": []any{}},
	} {
		var se *schema.Error
		if _, err := GroupFromTree(bad); !errors.As(err, &se) || se.ScimType() != "invalidValue" {
			t.Errorf("GroupFromTree(%v) = %v, want invalidValue", bad, err)
		}
	}
	g, err = GroupFromTree(map[string]any{"displayName": "x", "members": []any{}})
	if err != nil || g.Members != nil {
		t.Fatalf("empty members: %#v, %v", g, err)
	}
}

// ---- property tests ----

func randString(r *rand.Rand) string {
	const alphabet = "abcXYZ09 .@-_\"\\\n\té漢ßİſK"
	rs := []rune(alphabet)
	n := 1 + r.IntN(12)
	var b strings.Builder
	for range n {
		b.WriteRune(rs[r.IntN(len(rs))])
	}
	return b.String()
}

func maybe(r *rand.Rand) string {
	if r.IntN(3) == 0 {
		return ""
	}
	return randString(r)
}

func randMultiValues(r *rand.Rand) []MultiValue {
	n := r.IntN(4)
	if n == 0 {
		return nil
	}
	vs := make([]MultiValue, n)
	for i := range vs {
		for vs[i] == (MultiValue{}) {
			vs[i] = MultiValue{Value: maybe(r), Display: maybe(r), Type: maybe(r), Primary: r.IntN(2) == 0}
		}
	}
	return vs
}

func randTime(r *rand.Rand) time.Time {
	if r.IntN(4) == 0 {
		return time.Time{}
	}
	t := time.Unix(r.Int64N(4e9), r.Int64N(1e9))
	if r.IntN(2) == 0 {
		return t.In(time.FixedZone("Z", -7*3600))
	}
	return t
}

func randExtValue(r *rand.Rand, depth int) any {
	switch k := r.IntN(6); {
	case k == 0:
		return r.IntN(2) == 0
	case k == 1:
		return json.Number(fmt.Sprint(r.IntN(1000)))
	case k == 2 && depth < 2:
		m := map[string]any{}
		for range 1 + r.IntN(3) {
			m[randString(r)] = randExtValue(r, depth+1)
		}
		return m
	case k == 3 && depth < 2:
		l := make([]any, 1+r.IntN(3))
		for i := range l {
			l[i] = randExtValue(r, depth+1)
		}
		return l
	}
	return randString(r)
}

func randUser(r *rand.Rand) *User {
	u := &User{
		ID: maybe(r), ExternalID: maybe(r), UserName: maybe(r), DisplayName: maybe(r),
		NickName: maybe(r), ProfileURL: maybe(r), Title: maybe(r), UserType: maybe(r),
		PreferredLanguage: maybe(r), Locale: maybe(r), Timezone: maybe(r), Active: r.IntN(2) == 0,
		Emails: randMultiValues(r), PhoneNumbers: randMultiValues(r), IMs: randMultiValues(r),
		Photos: randMultiValues(r), Entitlements: randMultiValues(r), Roles: randMultiValues(r),
		X509Certificates: randMultiValues(r),
		Meta:             Meta{Created: randTime(r), LastModified: randTime(r), Version: maybe(r)},
	}
	if r.IntN(2) == 0 {
		for u.Name == nil || *u.Name == (Name{}) {
			u.Name = &Name{Formatted: maybe(r), FamilyName: maybe(r), GivenName: maybe(r),
				MiddleName: maybe(r), HonorificPrefix: maybe(r), HonorificSuffix: maybe(r)}
		}
	}
	for range r.IntN(3) {
		a := Address{Formatted: maybe(r), StreetAddress: maybe(r), Locality: maybe(r), Region: maybe(r),
			PostalCode: maybe(r), Country: maybe(r), Type: maybe(r), Primary: r.IntN(2) == 0}
		if a != (Address{}) {
			u.Addresses = append(u.Addresses, a)
		}
	}
	for range r.IntN(3) {
		g := GroupRef{Value: randString(r), Display: maybe(r), Type: maybe(r)}
		u.Groups = append(u.Groups, g)
	}
	if r.IntN(2) == 0 {
		e := &EnterpriseUser{EmployeeNumber: maybe(r), CostCenter: maybe(r), Organization: maybe(r),
			Division: maybe(r), Department: maybe(r)}
		if r.IntN(2) == 0 {
			e.Manager = &Manager{Value: randString(r), DisplayName: maybe(r)}
		}
		if *e != (EnterpriseUser{}) {
			u.Enterprise = e
		}
	}
	for range r.IntN(3) {
		if u.Extensions == nil {
			u.Extensions = map[string]map[string]any{}
		}
		m := map[string]any{}
		for range 1 + r.IntN(3) {
			m[randString(r)] = randExtValue(r, 0)
		}
		u.Extensions["urn:example:ext:"+randString(r)] = m
	}
	return u
}

// utcMeta returns a copy of u whose times are in UTC without monotonic readings, the
// form in which they come back from a tree.
func utcMeta(u *User) *User {
	c := u.Clone()
	if !c.Meta.Created.IsZero() {
		c.Meta.Created = c.Meta.Created.UTC()
	}
	if !c.Meta.LastModified.IsZero() {
		c.Meta.LastModified = c.Meta.LastModified.UTC()
	}
	return c
}

func TestUserTreeRoundTripProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for i := range 1500 {
		u := randUser(r)
		tree := u.Tree()
		got, err := UserFromTree(tree)
		if err != nil {
			t.Fatalf("#%d: UserFromTree(Tree()) failed: %v", i, err)
		}
		if want := utcMeta(u); !reflect.DeepEqual(got, want) {
			t.Fatalf("#%d: user round trip differs:\n got %#v\nwant %#v", i, got, want)
		}
		if tree2 := got.Tree(); !reflect.DeepEqual(tree2, tree) {
			t.Fatalf("#%d: tree round trip differs:\n got %v\nwant %v", i, tree2, tree)
		}
		// A tree shares nothing with the user: changing it leaves u intact.
		before := u.Clone()
		scribble(tree)
		if !reflect.DeepEqual(u, before) {
			t.Fatalf("#%d: changing the tree changed the user", i)
		}
	}
}

func randGroup(r *rand.Rand) *Group {
	g := &Group{ID: maybe(r), ExternalID: maybe(r), DisplayName: maybe(r),
		Meta: Meta{Created: randTime(r), LastModified: randTime(r), Version: maybe(r)}}
	for range r.IntN(5) {
		g.Members = append(g.Members, Member{Value: randString(r), Display: maybe(r), Type: maybe(r)})
	}
	if r.IntN(3) == 0 {
		g.Extensions = map[string]map[string]any{"urn:example:g": {"k": randExtValue(r, 0)}}
	}
	return g
}

func TestGroupTreeRoundTripProperty(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 1000 {
		g := randGroup(r)
		tree := g.Tree()
		got, err := GroupFromTree(tree)
		if err != nil {
			t.Fatalf("#%d: %v", i, err)
		}
		want := g.Clone()
		if !want.Meta.Created.IsZero() {
			want.Meta.Created = want.Meta.Created.UTC()
		}
		if !want.Meta.LastModified.IsZero() {
			want.Meta.LastModified = want.Meta.LastModified.UTC()
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("#%d: group round trip differs:\n got %#v\nwant %#v", i, got, want)
		}
		if tree2 := got.Tree(); !reflect.DeepEqual(tree2, tree) {
			t.Fatalf("#%d: tree round trip differs", i)
		}
	}
}

// scribble overwrites every scalar and truncates every list reachable from m.
func scribble(m map[string]any) {
	for k, v := range m {
		switch v := v.(type) {
		case map[string]any:
			scribble(v)
		case []any:
			for i, e := range v {
				if em, ok := e.(map[string]any); ok {
					scribble(em)
				} else {
					v[i] = "scribbled"
				}
			}
		default:
			m[k] = "scribbled"
		}
	}
}

func TestCloneSharesNothing(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for range 500 {
		u := randUser(r)
		c := u.Clone()
		if !reflect.DeepEqual(u, c) {
			t.Fatal("Clone differs from the original")
		}
		before := u.Clone()
		mutateUser(c)
		if !reflect.DeepEqual(u, before) {
			t.Fatal("changing the clone changed the original")
		}
	}
	if (*User)(nil).Clone() != nil || (*Group)(nil).Clone() != nil {
		t.Fatal("Clone of nil is not nil")
	}
	g := &Group{Members: []Member{{Value: "u"}}, Extensions: map[string]map[string]any{"urn:x": {"l": []any{"a"}}}}
	c := g.Clone()
	c.Members[0].Value = "v"
	c.Extensions["urn:x"]["l"].([]any)[0] = "b"
	if g.Members[0].Value != "u" || g.Extensions["urn:x"]["l"].([]any)[0] != "a" {
		t.Fatal("Group.Clone shares data")
	}
}

// mutateUser changes every element of every slice, map and pointer of u in place.
func mutateUser(u *User) {
	if u.Name != nil {
		u.Name.GivenName += "!"
	}
	for _, l := range [][]MultiValue{u.Emails, u.PhoneNumbers, u.IMs, u.Photos, u.Entitlements, u.Roles, u.X509Certificates} {
		for i := range l {
			l[i].Value += "!"
		}
	}
	for i := range u.Addresses {
		u.Addresses[i].Country += "!"
	}
	for i := range u.Groups {
		u.Groups[i].Value += "!"
	}
	if u.Enterprise != nil {
		u.Enterprise.Department += "!"
		if u.Enterprise.Manager != nil {
			u.Enterprise.Manager.Value += "!"
		}
	}
	for _, m := range u.Extensions {
		scribble(m)
		m["added"] = true
	}
}

// FuzzUserFromTree decodes JSON into a tree and checks that any tree UserFromTree
// accepts survives User -> Tree -> User unchanged, and that bad trees fail with an
// invalidValue error rather than a panic.
func FuzzUserFromTree(f *testing.F) {
	f.Add(entraUserJSON)
	f.Add(`{"userName":"a","active":true,"emails":[{"value":"x","primary":true}]}`)
	f.Add(`{"name":{"givenName":1},"meta":{"created":"2020-01-01T00:00:00+01:00"}}`)
	f.Add(`{"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"manager":"u-1"},"urn:x:y":{"a":[1,{"b":null}]}}`)
	f.Fuzz(func(t *testing.T, s string) {
		d := json.NewDecoder(bytes.NewReader([]byte(s)))
		d.UseNumber()
		var tree map[string]any
		if d.Decode(&tree) != nil {
			return
		}
		u, err := UserFromTree(tree)
		if err != nil {
			var se *schema.Error
			if !errors.As(err, &se) || se.ScimType() != "invalidValue" {
				t.Fatalf("error %v is not an invalidValue *schema.Error", err)
			}
			return
		}
		u2, err := UserFromTree(u.Tree())
		if err != nil {
			t.Fatalf("Tree of an accepted user is rejected: %v", err)
		}
		if !reflect.DeepEqual(u2, utcMeta(u)) {
			t.Fatalf("round trip differs:\n got %#v\nwant %#v", u2, u)
		}
		if _, err := GroupFromTree(tree); err != nil {
			var se *schema.Error
			if !errors.As(err, &se) {
				t.Fatalf("GroupFromTree error %v is not a *schema.Error", err)
			}
		}
	})
}

// ---- benchmarks ----

func benchUser(b *testing.B) *User {
	u, err := UserFromTree(decodeTree(b, entraUserJSON))
	if err != nil {
		b.Fatal(err)
	}
	return u
}

func BenchmarkUserTree(b *testing.B) {
	u := benchUser(b)
	b.ReportAllocs()
	for b.Loop() {
		_ = u.Tree()
	}
}

func BenchmarkUserFromTree(b *testing.B) {
	tree := benchUser(b).Tree()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := UserFromTree(tree); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkUserClone(b *testing.B) {
	u := benchUser(b)
	b.ReportAllocs()
	for b.Loop() {
		_ = u.Clone()
	}
}

func TestExtensionKeys(t *testing.T) {
	u := &User{UserName: "x", Extensions: map[string]map[string]any{
		"notAURN":                {"a": "b"},
		schema.UserURN:           {"userName": "y"},
		schema.EnterpriseUserURN: {"department": "ignored"},
		"urn:x:kept":             {"a": "b"},
	}}
	tree := u.Tree()
	for _, k := range []string{"notAURN", schema.UserURN, schema.EnterpriseUserURN} {
		if _, ok := tree[k]; ok {
			t.Errorf("Tree has key %q", k)
		}
	}
	if _, ok := tree["urn:x:kept"]; !ok {
		t.Error("Tree lost the extension urn:x:kept")
	}
	got, err := UserFromTree(map[string]any{strings.ToUpper(schema.EnterpriseUserURN): map[string]any{"department": "D"}})
	if err != nil || got.Enterprise == nil || got.Enterprise.Department != "D" || got.Extensions != nil {
		t.Errorf("enterprise URN in upper case: %#v, %v", got, err)
	}
}

// A User becomes a canonical resource tree for package filter and package patch, and
// comes back from one.
func ExampleUser_Tree() {
	u := &User{
		UserName:   "ada@example.com",
		Active:     true,
		Emails:     []MultiValue{{Value: "ada@example.com", Type: "work", Primary: true}},
		Enterprise: &EnterpriseUser{Department: "R&D", Manager: &Manager{Value: "u-2"}},
	}
	tree := u.Tree()
	b, _ := json.Marshal(tree)
	fmt.Println(string(b))

	back, _ := UserFromTree(tree)
	fmt.Println(back.Enterprise.Manager.Value, reflect.DeepEqual(back, u))
	// Output:
	// {"active":true,"emails":[{"primary":true,"type":"work","value":"ada@example.com"}],"meta":{"resourceType":"User"},"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"department":"R\u0026D","manager":{"value":"u-2"}},"userName":"ada@example.com"}
	// u-2 true
}

// The User's attribute lists of the tree conversions and the encoder follow the User
// schema: userStrings holds externalId and then every singular string attribute of
// the schema but password, in schema order; userMultiValues every multi-valued
// attribute whose sub-attributes are those of a MultiValue; and the encoder's
// positions for name, addresses and groups are where the schema has them.
func TestUserAttributeListsFollowTheSchema(t *testing.T) {
	var strs, multis, order []string
	strs = append(strs, "externalId")
	for _, a := range schema.UserResourceType.Schema.Attributes {
		order = append(order, a.Name)
		switch {
		case !a.MultiValued && (a.Type == schema.String || a.Type == schema.Reference) && a.Name != "password":
			strs = append(strs, a.Name)
		case a.MultiValued && a.Type == schema.Complex && a.Name != "addresses" && a.Name != "groups":
			multis = append(multis, a.Name)
		}
	}
	gotStrs, gotMultis := userStrings[:], userMultiValues[:]
	if !reflect.DeepEqual(gotStrs, strs) {
		t.Errorf("userStrings %v, the schema has %v", gotStrs, strs)
	}
	if !reflect.DeepEqual(gotMultis, multis) {
		t.Errorf("userMultiValues %v, the schema has %v", gotMultis, multis)
	}
	before := func(a, b string) bool { return slices.Index(order, a) < slices.Index(order, b) }
	if n := userStringsBeforeName; !before(strs[n-1], "name") || !before("name", strs[n]) {
		t.Errorf("name is not between %s and %s in the schema", strs[n-1], strs[n])
	}
	if n := userMultiValuesBeforeAddresses; !before(multis[n-1], "addresses") || !before("groups", multis[n]) {
		t.Errorf("addresses and groups are not between %s and %s in the schema", multis[n-1], multis[n])
	}
	// Each name maps to its own field: a user whose fields hold their names has a
	// tree that maps each name to itself, and comes back whole from it.
	u := &User{}
	for i, name := range userStrings {
		*u.stringField(i) = name
	}
	for i, name := range userMultiValues {
		*u.multiField(i) = []MultiValue{{Value: name}}
	}
	tree := u.Tree()
	for _, name := range userStrings {
		if tree[name] != name {
			t.Errorf("tree[%s] = %v", name, tree[name])
		}
	}
	for _, name := range userMultiValues {
		if l, _ := tree[name].([]any); len(l) != 1 || l[0].(map[string]any)["value"] != name {
			t.Errorf("tree[%s] = %v", name, tree[name])
		}
	}
	want := &User{ExternalID: "externalId", UserName: "userName", DisplayName: "displayName", NickName: "nickName",
		ProfileURL: "profileUrl", Title: "title", UserType: "userType", PreferredLanguage: "preferredLanguage",
		Locale: "locale", Timezone: "timezone",
		Emails: []MultiValue{{Value: "emails"}}, PhoneNumbers: []MultiValue{{Value: "phoneNumbers"}},
		IMs: []MultiValue{{Value: "ims"}}, Photos: []MultiValue{{Value: "photos"}},
		Entitlements: []MultiValue{{Value: "entitlements"}}, Roles: []MultiValue{{Value: "roles"}},
		X509Certificates: []MultiValue{{Value: "x509Certificates"}}}
	back, err := UserFromTree(tree)
	if err != nil || !reflect.DeepEqual(back, want) || !reflect.DeepEqual(u, want) {
		t.Errorf("round trip through the lists: %+v, %v", back, err)
	}
}
