package filter

import (
	"encoding/json"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/scimkit/scimkit/schema"
)

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

func TestENTRA_USER_3_MatchingQueries(t *testing.T) {
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

func TestOKTA_SPEC_9_UpperCaseUserName(t *testing.T) {
	runMatch(t, testUsers, bjensen(), []matchCase{{`userName eq "BJENSEN@EXAMPLE.COM"`, true}})
}

func TestENTRA_USER_4_ManagerEq(t *testing.T) {
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

func TestRFC_FILTER_2_CaseRules(t *testing.T) {
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

func TestRFC_FILTER_3_MultiValued(t *testing.T) {
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

func TestRFC_FILTER_3_GroupMembers(t *testing.T) {
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

func TestValidateCanonical(t *testing.T) {
	tests := []struct{ in, want string }{
		{`USERNAME eq "x"`, `userName eq "x"`},
		{`urn:ietf:params:scim:schemas:core:2.0:User:userName eq "x"`, `userName eq "x"`},
		{`URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER:Department eq "x"`, entURN + `:department eq "x"`},
		{`department eq "x"`, entURN + `:department eq "x"`},
		{`EMAILS[TYPE eq "work"].VALUE eq "x"`, `emails[type eq "work" and value eq "x"]`},
		{`emails co "x"`, `emails.value co "x"`},
		{`members eq "x"`, ``}, // not a User attribute
		{`emails pr`, `emails pr`},
		{`active eq "True"`, `active eq true`},
		{`roles[primary eq "FALSE"]`, `roles[primary eq false]`},
		{`meta.LASTMODIFIED gt "2011-05-13T04:42:34Z"`, `meta.lastModified gt "2011-05-13T04:42:34Z"`},
		{`ID eq "x" and Manager eq "y"`, `id eq "x" and ` + entURN + `:manager.value eq "y"`},
		{`not (externalid pr)`, `not (externalId pr)`},
	}
	for _, tt := range tests {
		e, err := Parse(tt.in)
		if err != nil {
			t.Fatal(err)
		}
		before := e.String()
		v, err := Validate(e, schema.UserResourceType)
		if tt.want == "" {
			if err == nil {
				t.Errorf("Validate(%q) = %s, want an error", tt.in, v)
			}
			continue
		}
		if err != nil {
			t.Errorf("Validate(%q): %v", tt.in, err)
			continue
		}
		if got := v.String(); got != tt.want {
			t.Errorf("Validate(%q) = %s, want %s", tt.in, got, tt.want)
		}
		if e.String() != before {
			t.Errorf("Validate(%q) modified its input: now %s", tt.in, e)
		}
		again, err := Validate(v, schema.UserResourceType)
		if err != nil || !reflect.DeepEqual(again, v) {
			t.Errorf("Validate is not idempotent on %s: %v, %v", v, again, err)
		}
	}
}

func TestRFC_FILTER_4_ValidationErrors(t *testing.T) {
	x := testExtURN + ":"
	tests := []struct{ in, want string }{
		{`nosuch eq "x"`, `filter: nosuch: unknown attribute`},
		{`name.nosuch eq "x"`, `"name" has no sub-attribute "nosuch"`},
		{`userName.x eq "x"`, `"userName" is not complex`},
		{`urn:example:unknown:foo eq "x"`, `unknown schema URN "urn:example:unknown"`},
		{`urn:ietf:params:scim:schemas:core:2.0:Group:displayName eq "x"`, `unknown schema URN`},
		{`active gt true`, `operator "gt" cannot be used with the boolean attribute "active"`},
		{`active co "t"`, `operator "co" cannot be used with the boolean attribute`},
		{`active eq "yes"`, `"active" is a boolean attribute; the value "yes" is not a boolean`},
		{`active eq 1`, `is not a boolean`},
		{`userName eq 42`, `"userName" is a string attribute; the value 42 is not a string`},
		{`userName eq true`, `is not a string`},
		{`userName gt null`, `null can only be compared with eq or ne`},
		{x + `level co "1"`, `operator "co" cannot be used with the integer attribute "level"`},
		{x + `level eq "7"`, `"level" is a integer attribute; the value "7" is not a number`},
		{x + `score sw 1`, `operator "sw" cannot be used with the decimal attribute`},
		{x + `badge gt "x"`, `operator "gt" cannot be used with the binary attribute "badge"`},
		{x + `badge co "x"`, `cannot be used with the binary attribute`},
		{x + `hired co "2015"`, `operator "co" cannot be used with the dateTime attribute`},
		{`meta.lastModified gt "yesterday"`, `"yesterday" is not a valid dateTime`},
		{`meta.lastModified gt "2011-02-30T00:00:00Z"`, `is not a valid dateTime`},
		{`meta.lastModified gt 5`, `is not a string`},
		{`name eq "x"`, `complex attribute "name" has no value to compare`},
		{`meta gt "x"`, `complex attribute "meta" has no value`},
		{`name[givenName eq "x"]`, `name: a value filter needs a multi-valued complex attribute`},
		{`userName[x eq "y"]`, `a value filter needs a multi-valued complex attribute`},
		{`emails[nosuch eq "x"]`, `"emails" has no sub-attribute "nosuch"`},
		{`emails[emails.type eq "x"]`, `names its sub-attributes only`},
		{`emails[type eq "work"].nosuch eq "x"`, `"emails" has no sub-attribute "nosuch"`},
		{`emails[primary eq "maybe"]`, `is not a boolean`},
		{`emails.primary gt true`, `cannot be used with the boolean attribute "primary"`},
		{`userName eq "x" and nosuch pr`, `nosuch: unknown attribute`},
		{`not (nosuch pr)`, `nosuch: unknown attribute`},
	}
	for _, tt := range tests {
		e, err := Parse(tt.in)
		if err != nil {
			t.Fatalf("Parse(%q): %v", tt.in, err)
		}
		for _, compile := range []bool{false, true} {
			var err error
			if compile {
				_, err = Compile(e, testUsers)
			} else {
				_, err = Validate(e, testUsers)
			}
			if err == nil {
				t.Errorf("%q: no error, want %q", tt.in, tt.want)
				continue
			}
			var ve *ValidationError
			if !errors.As(err, &ve) || ve.ScimType() != "invalidFilter" {
				t.Errorf("%q: error %#v is not an invalidFilter *ValidationError", tt.in, err)
			}
			if !strings.Contains(err.Error(), tt.want) || !strings.HasPrefix(err.Error(), "filter: ") {
				t.Errorf("%q: error %q, want it to contain %q", tt.in, err, tt.want)
			}
		}
	}
}

func TestValidateHandBuilt(t *testing.T) {
	e := and(cmp(apURN(testExtURN, "level", ""), Gt, 3), cmp(apURN(testExtURN, "score", ""), Lt, 2.5))
	v, err := Validate(e, testUsers)
	if err != nil {
		t.Fatal(err)
	}
	want := and(cmp(apURN(testExtURN, "level", ""), Gt, num("3")), cmp(apURN(testExtURN, "score", ""), Lt, num("2.5")))
	if !reflect.DeepEqual(v, want) {
		t.Errorf("Validate = %s, want %s", v, want)
	}
	bad := []Expr{
		nil,
		cmp(ap("userName"), "approx", "x"),
		&Logical{Op: "xor", Left: cmp(ap("id"), Pr, nil), Right: cmp(ap("id"), Pr, nil)},
		cmp(ap("userName"), Eq, []string{"x"}),
		and(nil, cmp(ap("id"), Pr, nil)),
	}
	for _, e := range bad {
		if _, err := Compile(e, testUsers); err == nil {
			t.Errorf("Compile(%#v) succeeded", e)
		}
	}
	if _, err := Compile(cmp(ap("id"), Pr, nil), nil); err == nil {
		t.Error("Compile with a nil resource type succeeded")
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

func TestDecimalCompare(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"0", "-0", 0}, {"0.0", "0e10", 0}, {"1", "1.0", 0}, {"1", "10e-1", 0}, {"100", "1e2", 0},
		{"1", "2", -1}, {"-1", "-2", 1}, {"-1", "1", -1}, {"0", "1e-300", -1}, {"-1e-300", "0", -1},
		{"9007199254740993", "9007199254740992", 1}, {"123456789012345678901234567890", "1.2345678901234567890123456789e29", 0},
		{"0.1", "0.10000000000000001", -1}, {"1e999999999999999999", "1e2", 1}, {"5e-999999999999999999", "0", 1},
		{"12.5", "12.50", 0}, {"0.001", "1e-3", 0}, {"10", "9.99", 1},
	}
	for _, tt := range tests {
		a, ok1 := parseDecimal(tt.a)
		b, ok2 := parseDecimal(tt.b)
		if !ok1 || !ok2 {
			t.Fatalf("parseDecimal(%q, %q) failed", tt.a, tt.b)
		}
		if got := compareDecimal(a, b); got != tt.want {
			t.Errorf("compare(%s, %s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
		if got := compareDecimal(b, a); got != -tt.want {
			t.Errorf("compare(%s, %s) = %d, want %d", tt.b, tt.a, got, -tt.want)
		}
	}
	if _, ok := parseDecimal("1x"); ok {
		t.Error("parseDecimal accepted 1x")
	}
}

func TestParseInstant(t *testing.T) {
	good := map[string]int64{
		"1970-01-01T00:00:00Z":           0,
		"1970-01-01T01:00:00+01:00":      0,
		"1969-12-31T23:59:59Z":           -1,
		"2000-02-29T00:00:00Z":           951782400,
		"2011-05-13T04:42:34Z":           1305261754,
		"2011-05-13t04:42:34z":           1305261754,
		"2011-05-13T04:42:34":            1305261754,
		"2011-05-13T04:42:34.123456789Z": 1305261754,
		"2011-05-12T23:42:34-05:00":      1305261754,
		"0001-01-01T00:00:00Z":           -62135596800,
		"9999-12-31T23:59:59Z":           253402300799,
	}
	for s, want := range good {
		got, ok := parseInstant(s)
		if !ok || got.sec != want {
			t.Errorf("parseInstant(%q) = %v, %v; want %d", s, got, ok, want)
		}
		// The fast path agrees with the schema package.
		st, err := schema.ParseDateTime(s)
		if err != nil || st.Unix() != got.sec || int32(st.Nanosecond()) != got.nsec {
			t.Errorf("schema.ParseDateTime(%q) = %v, %v; parseInstant gave %v", s, st, err, got)
		}
	}
	if got, _ := parseInstant("2011-05-13T04:42:34.5Z"); got.nsec != 500000000 {
		t.Errorf("fraction: %d", got.nsec)
	}
	for _, s := range []string{
		"", "2011-05-13", "2011-05-13 04:42:34Z", "2011-13-13T04:42:34Z", "2011-02-29T04:42:34Z",
		"2011-05-13T24:00:00Z", "2011-05-13T04:60:00Z", "2011-05-13T04:42:34.Z", "2011-05-13T04:42:34+0100",
		"2011-05-13T04:42:34+25:00", "2011-05-13T04:42:34ZZ", "x011-05-13T04:42:34Z", "2011-05-13T04:42:34 ",
	} {
		if _, ok := parseInstant(s); ok {
			t.Errorf("parseInstant(%q) succeeded", s)
		}
	}
}
