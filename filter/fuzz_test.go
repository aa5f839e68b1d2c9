package filter

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

// fuzzSeeds are filters that reach every branch of the parser.
var fuzzSeeds = []string{
	`userName eq "bjensen@example.com"`,
	`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "42" and active eq true`,
	`name.familyName eq "Jensen" and (emails.value co "example.com" or emails.value co "example.org")`,
	`meta.lastModified gt "2011-05-13T04:42:34Z"`,
	`userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")`,
	`emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]`,
	`emails[type eq "work"].value eq "x"`,
	`emails[(type eq "work" or type eq "home") and not (value ew ".org")]`,
	`externalId eq jyoung`,
	`s eq "\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00\ud83d"`,
	`n ge -1.5e+10 or n lt 0 or x eq null or b eq FALSE`,
	`members[$ref eq "x"] and title pr`,
	`a pr or b pr and c pr or not (d pr)`,
}

func FuzzParse(f *testing.F) {
	for _, s := range fuzzSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		e, err := Parse(s)
		if err != nil {
			if _, ok := err.(*SyntaxError); !ok {
				t.Fatalf("Parse(%q): error of type %T", s, err)
			}
			return
		}
		text := e.String()
		e2, err := Parse(text)
		if err != nil {
			t.Fatalf("Parse(%q).String() = %q does not parse: %v", s, text, err)
		}
		if !reflect.DeepEqual(e, e2) {
			t.Fatalf("round trip of %q via %q changed the tree", s, text)
		}
		if text2 := e2.String(); text2 != text {
			t.Fatalf("String not stable: %q then %q", text, text2)
		}
	})
}

// pathSeeds are PATCH paths of every form: plain, sub-attribute, value filter with
// and without a sub-attribute, extension URN.
var pathSeeds = []string{
	`members`, `name.familyName`, `emails[type eq "work"]`, `emails[type eq "work"].value`,
	`members[value eq "u1" or value eq "u2"]`,
	`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value`,
	`addresses[type eq "work" and primary eq true].streetAddress`,
}

func FuzzParsePath(f *testing.F) {
	for _, s := range pathSeeds {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := ParsePath(s)
		if err != nil {
			if se, ok := err.(*SyntaxError); !ok || !se.InPath {
				t.Fatalf("ParsePath(%q): error %#v", s, err)
			}
			return
		}
		text := p.String()
		p2, err := ParsePath(text)
		if err != nil {
			t.Fatalf("ParsePath(%q).String() = %q does not parse: %v", s, text, err)
		}
		if !reflect.DeepEqual(p, p2) {
			t.Fatalf("round trip of %q via %q changed the path", s, text)
		}
		if p.Filter == nil && p.Sub != "" || strings.TrimSpace(s) == "" {
			t.Fatalf("ParsePath(%q) = %#v", s, p)
		}
	})
}

func FuzzMatch(f *testing.F) {
	tree, err := json.Marshal(bjensen())
	if err != nil {
		f.Fatal(err)
	}
	for _, s := range fuzzSeeds {
		f.Add(s, string(tree))
	}
	x := testExtURN + ":"
	for _, s := range []string{
		x + `level gt 6.5 and ` + x + `hired lt "2016-01-01T00:00:00Z"`,
		x + `shifts[day eq "Mon" and rooms co "1"]`,
		x + `tags sw "bl" or ` + x + `codes eq "AB"`,
		`manager eq "26118915-6090-4610-87e4-49d8ca9f808d" and not (title pr)`,
		`roles[primary eq "True"] and emails[type eq "work"].value ew ".com"`,
	} {
		f.Add(s, string(tree))
	}
	f.Add(`userName eq "x"`, `{"userName":["x",{"a":1}],"emails":{"value":"x"}}`)
	f.Add(`emails.value eq "x"`, `{"emails":[{"value":["x"]}, 3, null]}`)
	f.Fuzz(func(t *testing.T, filter, doc string) {
		e, err := Parse(filter)
		if err != nil {
			return
		}
		m, err := Compile(e, testUsers)
		if err != nil {
			if _, ok := err.(*ValidationError); !ok {
				t.Fatalf("Compile(%q): error of type %T", filter, err)
			}
			return
		}
		var res map[string]any
		dec := json.NewDecoder(strings.NewReader(doc))
		dec.UseNumber()
		if dec.Decode(&res) != nil {
			res = nil
		}
		got := m.Match(res)
		// The validated expression compiles to the same result.
		m2, err := Compile(m.Expr(), testUsers)
		if err != nil {
			t.Fatalf("validated %q does not compile: %v", m.Expr(), err)
		}
		if m2.Match(res) != got {
			t.Fatalf("%q and its validated form %q disagree on %s", filter, m.Expr(), doc)
		}
		// not negates.
		n, err := Compile(&Not{X: e}, testUsers)
		if err != nil {
			t.Fatalf("not (%q) does not compile: %v", filter, err)
		}
		if n.Match(res) == got {
			t.Fatalf("not (%q) gives the same result %v on %s", filter, got, doc)
		}
	})
}
