package filter

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/scimkit/scimkit/schema"
)

func mustCompile(t *testing.T, f string, rt *schema.ResourceType) *Matcher {
	t.Helper()
	e, err := Parse(f)
	if err != nil {
		t.Fatalf("Parse(%q): %v", f, err)
	}
	m, err := Compile(e, rt)
	if err != nil {
		t.Fatalf("Compile(%q): %v", f, err)
	}
	return m
}

type matchCase struct {
	filter string
	want   bool
}

func runMatch(t *testing.T, rt *schema.ResourceType, res map[string]any, cases []matchCase) {
	t.Helper()
	for _, c := range cases {
		m := mustCompile(t, c.filter, rt)
		if got := m.Match(res); got != c.want {
			t.Errorf("%s (validated: %s): Match = %v, want %v", c.filter, m.Expr(), got, c.want)
		}
	}
}

// ENTRA-USER-3: Entra's matching queries on userName, externalId and emails[type eq "work"].value match per caseExact.
func TestMatchEntraMatchingQueries(t *testing.T) {
	runMatch(t, testUsers, bjensen(), []matchCase{
		{`userName eq "bjensen@example.com"`, true},
		{`userName eq "BJensen@Example.COM"`, true}, // caseExact false
		{`userName eq "bjensen@example.co"`, false},
		{`userName eq "bjensen@example.comx"`, false},
		{`externalId eq "bjensen"`, true},
		{`externalId eq "BJENSEN"`, false}, // caseExact true
		{`externalId eq bjensen`, true},    // bare token leniency
		{`emails[type eq "work"].value eq "bjensen@example.com"`, true},
		{`emails[type eq "work"].value eq "BJENSEN@example.com"`, true},
		{`emails[type eq "home"].value eq "bjensen@example.com"`, false}, // the same element must match both
		{`emails[type eq "work"].value eq "babs@jensen.org"`, false},
		{`emails[type eq "home"].value eq "babs@jensen.org"`, true},
		{`displayName eq "babs jensen"`, true},
	})
}

// OKTA-SPEC-9: Okta's spec test filters on the userName in upper case; it still matches.
func TestMatchUpperCaseUserName(t *testing.T) {
	runMatch(t, testUsers, bjensen(), []matchCase{{`userName eq "BJENSEN@EXAMPLE.COM"`, true}})
}

// ENTRA-USER-4: Entra's legacy "id eq … and manager eq …" check matches the enterprise manager's value.
func TestMatchManagerEq(t *testing.T) {
	runMatch(t, testUsers, bjensen(), []matchCase{
		{`id eq "2819c223-7f76-453a-919d-413861904646" and manager eq "26118915-6090-4610-87e4-49d8ca9f808d"`, true},
		{`id eq "2819c223-7f76-453a-919d-413861904646" and manager eq "u-2"`, false},
		{`id eq "2819C223-7F76-453A-919D-413861904646" and manager eq "26118915-6090-4610-87e4-49d8ca9f808d"`, false}, // id is caseExact
		{entURN + `:manager eq "26118915-6090-4610-87e4-49d8ca9f808d"`, true},
		{entURN + `:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d"`, true},
		{`manager.displayName sw "john"`, true},
		{`manager pr`, true},
		{`employeeNumber eq "701984"`, true},
		{strings.ToUpper(entURN) + `:EMPLOYEENUMBER eq "701984"`, true},
	})
	m := mustCompile(t, `manager eq "u-2"`, testUsers)
	if got, want := m.Expr().String(), entURN+`:manager.value eq "u-2"`; got != want {
		t.Errorf("validated manager filter = %s, want %s", got, want)
	}
}

// RFC-FILTER-2: names and operators ignore case; values compare per caseExact.
func TestMatchCaseFollowsCaseExact(t *testing.T) {
	runMatch(t, testUsers, bjensen(), []matchCase{
		{`USERNAME EQ "bjensen@example.com"`, true},
		{`name.FAMILYNAME Eq "JENSEN"`, true},
		{`name.familyName co "ENS"`, true},
		{`name.familyName sw "jen"`, true},
		{`name.familyName ew "SEN"`, true},
		{`name.familyName ew "SE"`, false},
		{`name.familyName gt "jenser"`, false},
		{`name.familyName gt "JENSEM"`, true},
		{`name.familyName ge "JENSEN"`, true},
		{`name.familyName le "jensen"`, true},
		{`name.familyName lt "JENSEN"`, false},
		{`id sw "2819c223"`, true},
		{`id sw "2819C223"`, false},
		{`id co "453a"`, true},
		{`id ew "904646"`, true},
		{`id gt "2819c223"`, true},
		{`id lt "2819c223"`, false},
		{`meta.version eq "w/\"3694e05e9dff591\""`, false}, // caseExact
		{`meta.version eq "W/\"3694e05e9dff591\""`, true},
		{testExtURN + `:codes eq "ab"`, false},
		{testExtURN + `:codes eq "AB"`, true},
		{testExtURN + `:tags eq "BLUE"`, true},
	})
}

// RFC-FILTER-3: a multi-valued attribute matches if any value does; value filters match within one element.
func TestMatchMultiValued(t *testing.T) {
	runMatch(t, testUsers, bjensen(), []matchCase{
		{`emails co "jensen.org"`, true}, // emails.value
		{`emails co "nowhere"`, false},
		{`emails.value ew ".ORG"`, true},
		{`emails.type eq "home"`, true},
		{`emails.type eq "other"`, false},
		{`emails.primary eq true`, true},
		{`emails.primary eq false`, false}, // no email has primary false
		{`emails pr`, true},
		{`emails.display pr`, false},
		{`phoneNumbers pr`, false},
		{`emails[type eq "work" and primary eq true]`, true},
		{`emails[type eq "home" and primary eq true]`, false},
		{`emails[type eq "work" and value co "example" and primary eq true]`, true},
		{`emails[(type eq "home" or type eq "other") and not (value ew ".com")]`, true},
		{`emails[not (primary pr)]`, true},
		{`emails[type ne "work"]`, true},
		{`roles[primary eq "True"]`, true}, // RFC-FILTER-3 string boolean
		{`roles[primary eq "FALSE"]`, false},
		{`emails[type eq "work"] and emails[type eq "home"]`, true},
		{`emails[type eq "work"] and not (emails[type eq "other"])`, true},
		{testExtURN + `:tags eq "green"`, true},
		{testExtURN + `:tags sw "gr"`, true},
		{testExtURN + `:tags eq "red"`, false},
		{testExtURN + `:shifts.day eq "tue"`, true},
		{testExtURN + `:shifts.rooms eq "b2"`, true},
		{testExtURN + `:shifts.rooms eq "c3"`, false},
		{testExtURN + `:shifts[day eq "Mon" and rooms eq "A1"]`, true},
		{testExtURN + `:shifts[day eq "Tue" and rooms pr]`, false},
		{testExtURN + `:shifts[start gt "2024-01-02T00:00:00Z"].day eq "tue"`, true},
	})
}

// RFC-FILTER-3, ENTRA-GROUP-2: members eq "id" matches a member; displayName matches ignoring case.
func TestMatchGroupMembers(t *testing.T) {
	group := map[string]any{
		"id":          "e9e30dba-f08f-4109-8486-d5c6a331660a",
		"displayName": "Tour Guides",
		"members": []any{
			map[string]any{"value": "u-7", "display": "Babs Jensen", "$ref": "https://example.com/v2/Users/u-7"},
			map[string]any{"value": "u-8", "type": "User"},
		},
	}
	runMatch(t, schema.GroupResourceType, group, []matchCase{
		{`members eq "u-7"`, true},
		{`members eq "u-9"`, false},
		{`members.value eq "u-8"`, true},
		{`members[value eq "u-8" and type eq "user"]`, true},
		{`members[value eq "u-7" or value eq "u-9"]`, true},
		{`members.$ref ew "/u-7"`, true},
		{`displayName eq "TOUR GUIDES"`, true}, // ENTRA-GROUP-2
		{`members ne "u-7"`, false},
		{`members ne "u-9"`, true},
	})
	runMatch(t, schema.GroupResourceType, map[string]any{"displayName": "Empty"}, []matchCase{
		{`members eq "u-7"`, false},
		{`members ne "u-7"`, true},
		{`members pr`, false},
		{`not (members pr)`, true},
	})
}

func TestMatchTypes(t *testing.T) {
	x := testExtURN + ":"
	runMatch(t, testUsers, bjensen(), []matchCase{
		// Booleans.
		{`active eq true`, true},
		{`active eq false`, false},
		{`active eq "TRUE"`, true},
		{`active ne true`, false},
		{x + `vip eq false`, true},
		{x + `vip eq "False"`, true},
		// Numbers compare numerically and exactly.
		{x + `level eq 7`, true},
		{x + `level eq 7.0`, true},
		{x + `level eq 0.7e1`, true},
		{x + `level eq 70e-1`, true},
		{x + `level gt 6.999999999999999999999`, true},
		{x + `level lt 7.000000000000000000001`, true},
		{x + `level gt 7`, false},
		{x + `level ge 7`, true},
		{x + `level le -7`, false},
		{x + `level gt -100`, true},
		{x + `score eq 12.5`, true},
		{x + `score gt 12.49`, true},
		{x + `score lt 1e2`, true},
		{x + `score gt 9007199254740993`, false},
		{x + `office.floor eq 3`, true},
		{x + `office.building eq "north"`, true},
		// DateTimes compare as instants.
		{`meta.lastModified gt "2011-05-13T04:42:33Z"`, true},
		{`meta.lastModified gt "2011-05-13T04:42:34Z"`, false},
		{`meta.lastModified ge "2011-05-13T04:42:34Z"`, true},
		{`meta.lastModified eq "2011-05-13T06:42:34+02:00"`, true},
		{`meta.lastModified eq "2011-05-13T04:42:34.000Z"`, true},
		{`meta.lastModified lt "2011-05-13T04:42:34.001Z"`, true},
		{`meta.lastModified lt "2011-05-13T04:42:34"`, false},
		{`meta.created lt "2011-01-01T00:00:00Z" and meta.lastModified gt "2011-01-01T00:00:00Z"`, true},
		{x + `hired eq "2015-03-01T08:00:00Z"`, true},
		{x + `hired gt "2015-03-01T08:30:00+00:00"`, false},
		// Binary and reference attributes.
		{x + `badge eq "QUJD"`, true},
		{x + `badge eq "qujd"`, false}, // binary compares exactly
		{x + `home sw "https://EXAMPLE.com"`, true},
		// Presence.
		{`title pr`, false}, // ""
		{`nickName pr`, false},
		{`name pr`, true},
		{`name.middleName pr`, false},
		{`userName pr`, true},
		{x + `level pr`, true},
		{x + `vip pr`, true},
		// Absent attributes: ne true, others false.
		{`nickName eq "x"`, false},
		{`nickName ne "x"`, true},
		{`nickName co ""`, false},
		{`nickName gt "a"`, false},
		{`nickName eq null`, true},
		{`nickName ne null`, false},
		{`userName eq null`, false},
		{`userName ne null`, true},
		// Logic.
		{`userName eq "x" or active eq true`, true},
		{`userName eq "x" or active eq false`, false},
		{`not (userName eq "x") and not (active eq false)`, true},
		{`userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")`, false},
		{`userName co "" and (emails co "example.com" or emails.value co "example.org")`, true},
	})
}

func TestMatchUnicodeCase(t *testing.T) {
	res := map[string]any{"userName": "Émile.Ærø@ÉCOLE.fr", "displayName": "straße K"}
	runMatch(t, schema.UserResourceType, res, []matchCase{
		{`userName eq "émile.ærø@école.FR"`, true},
		{`userName sw "ÉMILE"`, true},
		{`userName co "ærø@é"`, true},
		{`userName ew "ÉCOLE.FR"`, true},
		{`userName gt "émile"`, true},
		{`displayName eq "STRASSE k"`, false}, // no special casing
		{`displayName ew "k"`, true},          // Kelvin sign lower-cases to k
	})
}

func TestMatchOddTrees(t *testing.T) {
	// Values of unexpected types never match and never panic.
	res := map[string]any{
		"userName": json.Number("5"),
		"name":     "not a map",
		"emails":   []any{"x", 3, nil, map[string]any{"value": true}},
		"active":   "true",
		entURN:     "not a map",
		"meta":     map[string]any{"lastModified": "yesterday", "created": 12},
	}
	runMatch(t, testUsers, res, []matchCase{
		{`userName eq "5"`, false},
		{`name.givenName pr`, false},
		{`emails.value eq "x"`, false},
		{`emails[value pr]`, true},
		{`emails[value eq "x"]`, false},
		{`active eq true`, false},
		{`manager eq "x"`, false},
		{`meta.lastModified gt "2000-01-01T00:00:00Z"`, false},
		{`meta.created lt "2000-01-01T00:00:00Z"`, false},
		{`userName pr`, true},
	})
	m := mustCompile(t, `userName eq "x" or emails pr`, testUsers)
	if m.Match(nil) {
		t.Error("a nil resource matched")
	}
}

func TestCompileElement(t *testing.T) {
	emails, _ := schema.UserResourceType.Resolve("", "emails", "")
	manager, _ := schema.UserResourceType.Resolve(entURN, "manager", "")
	tests := []struct {
		ref    schema.Ref
		filter string
		elem   map[string]any
		want   bool
	}{
		{emails, `type eq "work"`, map[string]any{"type": "Work", "value": "a@b"}, true},
		{emails, `type eq "work"`, map[string]any{"type": "home", "value": "a@b"}, false},
		{emails, `type eq "work" and value ew "@B" and not (primary eq true)`, map[string]any{"type": "work", "value": "a@b"}, true},
		{emails, `primary eq "True"`, map[string]any{"primary": true}, true},
		{manager, `value eq "u-2"`, map[string]any{"value": "u-2"}, true},
		{manager, `value eq "u-2"`, map[string]any{"value": "u-3"}, false},
	}
	for _, tt := range tests {
		e, err := Parse(tt.filter)
		if err != nil {
			t.Fatal(err)
		}
		m, err := CompileElement(e, schema.UserResourceType, tt.ref)
		if err != nil {
			t.Errorf("CompileElement(%q): %v", tt.filter, err)
			continue
		}
		if got := m.Match(tt.elem); got != tt.want {
			t.Errorf("CompileElement(%q).Match(%v) = %v, want %v", tt.filter, tt.elem, got, tt.want)
		}
	}
	p, err := ParsePath(`emails[TYPE eq "work"].value`)
	if err != nil {
		t.Fatal(err)
	}
	m, err := CompileElement(p.Filter, schema.UserResourceType, emails)
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Expr().String(); got != `type eq "work"` {
		t.Errorf("validated element filter %s", got)
	}
	userName, _ := schema.UserResourceType.Resolve("", "userName", "")
	emailValue, _ := schema.UserResourceType.Resolve("", "emails", "value")
	for _, bad := range []struct {
		ref    schema.Ref
		filter string
	}{
		{userName, `value eq "x"`},
		{emailValue, `value eq "x"`},
		{schema.Ref{}, `value eq "x"`},
		{emails, `nosuch eq "x"`},
		{emails, `emails.value eq "x"`},
		{emails, `x[value eq "y"]`},
	} {
		e, _ := Parse(bad.filter)
		if _, err := CompileElement(e, schema.UserResourceType, bad.ref); err == nil {
			t.Errorf("CompileElement(%q, %v) succeeded", bad.filter, bad.ref)
		} else if se, ok := err.(interface{ ScimType() string }); !ok || se.ScimType() != "invalidFilter" {
			t.Errorf("CompileElement(%q): error %v without invalidFilter", bad.filter, err)
		}
	}
}
