package scim

import "testing"

// canonicalPath brings every spelling of a route's path into the form of its
// pattern, so that the ServeMux neither redirects nor misses it.
func TestCanonicalPathMatchesRoutePatterns(t *testing.T) {
	cases := []struct {
		p, want string
		ok      bool
	}{
		{"/Users", "/Users", true},
		{"Users/", "/Users", true},
		{"//Users//abc/", "/Users/abc", true},
		{"/users/abc", "/Users/abc", true},
		{"/USERS/.search", "/Users/.search", true},
		{"/Users/abc/x", "/Users/abc/x", true},
		{"/serviceproviderconfig", "/ServiceProviderConfig", true},
		{"/Schemas/urn:x:y", "/Schemas/urn:x:y", true},
		{"", "/", true},
		{"/", "/", true},
		{"//", "/", true},
		{"/Users/..", "", false},
		{"/Users/./x", "", false},
		{"/Users/.x", "/Users/.x", true},
	}
	for _, c := range cases {
		got, ok := canonicalPath(c.p)
		if got != c.want || ok != c.ok {
			t.Errorf("canonicalPath(%q) = %q, %v; want %q, %v", c.p, got, ok, c.want, c.ok)
		}
	}
}

func TestMountPrefix(t *testing.T) {
	cases := []struct{ uri, path, want string }{
		{"/scim/v2/Users/1?x=y", "/Users/1", "/scim/v2"},
		{"/scim//Users", "//Users", "/scim"},
		{"/scim/v2/", "/", "/scim/v2"},
		{"/scim/v2", "", "/scim/v2"},
		{"/Users", "/Users", ""},
		{"/a%20b/Users", "/Users", "/a%20b"},
		{"/x/Users", "/Groups", ""},
		{"https://h.example/scim/Users", "/Users", "/scim"},
	}
	for _, c := range cases {
		if got := mountPrefix(c.uri, c.path); got != c.want {
			t.Errorf("mountPrefix(%q, %q) = %q, want %q", c.uri, c.path, got, c.want)
		}
	}
}

func TestRFC_ETAG_1_Matching(t *testing.T) {
	cases := []struct {
		header, v string
		want      bool
	}{
		{`W/"3"`, "3", true},
		{`"3"`, "3", true},
		{`W/"4"`, "3", false},
		{`"1", W/"3"`, "3", true},
		{`*`, "3", true},
		{`*`, "", true},
		{`W/""`, "", false},
	}
	for _, c := range cases {
		if got := etagMatches(c.header, c.v); got != c.want {
			t.Errorf("etagMatches(%q, %q) = %v", c.header, c.v, got)
		}
	}
	if etag(`a"b`) != `W/"ab"` {
		t.Errorf("etag = %s", etag(`a"b`))
	}
}

func TestDecodeObject(t *testing.T) {
	bad := []string{"", "  ", "[1]", `{"a":1} x`, `{"a":1}{}`, `{"a":`, "nul", `"str"`}
	for _, b := range bad {
		if _, err := decodeObject([]byte(b)); err == nil {
			t.Errorf("decodeObject(%q) accepted", b)
		} else if e, ok := err.(*Error); !ok || e.Status != 400 || e.ScimType != "invalidSyntax" {
			t.Errorf("decodeObject(%q) = %v", b, err)
		}
	}
	deep := ""
	for range maxDepth + 1 {
		deep += "["
	}
	if _, err := decodeObject([]byte(`{"a":` + deep + `}`)); err == nil {
		t.Error("deep nesting accepted")
	}
	m, err := decodeObject([]byte(`{"n": 12345678901234567890, "s":"[{"}`))
	if err != nil || m["n"].(interface{ String() string }).String() != "12345678901234567890" {
		t.Errorf("decodeObject: %v %v", m, err)
	}
}
