package scim

import "testing"

func TestSplitPath(t *testing.T) {
	cases := []struct {
		p      string
		s0, s1 string
		n      int
	}{
		{"/Users", "Users", "", 1},
		{"Users/", "Users", "", 1},
		{"//Users//abc/", "Users", "abc", 2},
		{"/Users/abc/x", "Users", "abc", 3},
		{"", "", "", 0},
		{"/", "", "", 0},
	}
	for _, c := range cases {
		s0, s1, n := splitPath(c.p)
		if s0 != c.s0 || s1 != c.s1 || n != c.n {
			t.Errorf("splitPath(%q) = %q %q %d", c.p, s0, s1, n)
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
