package filter

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/scimkit/scimkit/schema"
)

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

// RFC-FILTER-4: a filter the schema cannot answer is an invalidFilter error that says why.
func TestValidateRejectsUnsupportedFilters(t *testing.T) {
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
