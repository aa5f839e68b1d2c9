package filter

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// RFC-FILTER-1: the full filter grammar parses, with precedence, JSON string escapes and bare-token leniency.
func TestParseGrammar(t *testing.T) {
	tests := []struct {
		in   string
		want Expr
	}{
		// Examples of RFC 7644 section 3.4.2.2.
		{`userName Eq "john"`, cmp(ap("userName"), Eq, "john")},
		{`Username eq "john"`, cmp(ap("Username"), Eq, "john")},
		{`userName eq "bjensen"`, cmp(ap("userName"), Eq, "bjensen")},
		{`name.familyName co "O'Malley"`, cmp(apSub("name", "familyName"), Co, "O'Malley")},
		{`userName sw "J"`, cmp(ap("userName"), Sw, "J")},
		{`urn:ietf:params:scim:schemas:core:2.0:User:userName sw "J"`,
			cmp(apURN("urn:ietf:params:scim:schemas:core:2.0:User", "userName", ""), Sw, "J")},
		{`title pr`, cmp(ap("title"), Pr, nil)},
		{`meta.lastModified gt "2011-05-13T04:42:34Z"`, cmp(apSub("meta", "lastModified"), Gt, "2011-05-13T04:42:34Z")},
		{`meta.lastModified ge "2011-05-13T04:42:34Z"`, cmp(apSub("meta", "lastModified"), Ge, "2011-05-13T04:42:34Z")},
		{`meta.lastModified lt "2011-05-13T04:42:34Z"`, cmp(apSub("meta", "lastModified"), Lt, "2011-05-13T04:42:34Z")},
		{`meta.lastModified le "2011-05-13T04:42:34Z"`, cmp(apSub("meta", "lastModified"), Le, "2011-05-13T04:42:34Z")},
		{`title pr and userType eq "Employee"`, and(cmp(ap("title"), Pr, nil), cmp(ap("userType"), Eq, "Employee"))},
		{`title pr or userType eq "Intern"`, or(cmp(ap("title"), Pr, nil), cmp(ap("userType"), Eq, "Intern"))},
		{`schemas eq "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"`, cmp(ap("schemas"), Eq, entURN)},
		{`userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")`,
			and(cmp(ap("userType"), Eq, "Employee"), or(cmp(ap("emails"), Co, "example.com"), cmp(apSub("emails", "value"), Co, "example.org")))},
		{`userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")`,
			and(cmp(ap("userType"), Ne, "Employee"), not(or(cmp(ap("emails"), Co, "example.com"), cmp(apSub("emails", "value"), Co, "example.org"))))},
		{`userType eq "Employee" and (emails.type eq "work")`, and(cmp(ap("userType"), Eq, "Employee"), cmp(apSub("emails", "type"), Eq, "work"))},
		{`userType eq "Employee" and emails[type eq "work" and value co "@example.com"]`,
			and(cmp(ap("userType"), Eq, "Employee"), vp(ap("emails"), and(cmp(ap("type"), Eq, "work"), cmp(ap("value"), Co, "@example.com"))))},
		{`emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]`,
			or(vp(ap("emails"), and(cmp(ap("type"), Eq, "work"), cmp(ap("value"), Co, "@example.com"))),
				vp(ap("ims"), and(cmp(ap("type"), Eq, "xmpp"), cmp(ap("value"), Co, "@foo.com"))))},

		// Precedence: not > and > or; left associativity.
		{`a pr or b pr and c pr`, or(cmp(ap("a"), Pr, nil), and(cmp(ap("b"), Pr, nil), cmp(ap("c"), Pr, nil)))},
		{`a pr and b pr or c pr`, or(and(cmp(ap("a"), Pr, nil), cmp(ap("b"), Pr, nil)), cmp(ap("c"), Pr, nil))},
		{`a pr and b pr and c pr`, and(and(cmp(ap("a"), Pr, nil), cmp(ap("b"), Pr, nil)), cmp(ap("c"), Pr, nil))},
		{`a pr or b pr or c pr`, or(or(cmp(ap("a"), Pr, nil), cmp(ap("b"), Pr, nil)), cmp(ap("c"), Pr, nil))},
		{`a pr and (b pr or c pr)`, and(cmp(ap("a"), Pr, nil), or(cmp(ap("b"), Pr, nil), cmp(ap("c"), Pr, nil)))},
		{`not (a pr) and b pr`, and(not(cmp(ap("a"), Pr, nil)), cmp(ap("b"), Pr, nil))},
		{`not(a pr)or(b pr)`, or(not(cmp(ap("a"), Pr, nil)), cmp(ap("b"), Pr, nil))},
		{`((a pr))`, cmp(ap("a"), Pr, nil)},
		{`NOT (a pr) AND b PR OR c Pr`, or(and(not(cmp(ap("a"), Pr, nil)), cmp(ap("b"), Pr, nil)), cmp(ap("c"), Pr, nil))},

		// Whitespace around tokens.
		{"  \tuserName   eq\n\"x\"  ", cmp(ap("userName"), Eq, "x")},
		{`userName eq"x"`, cmp(ap("userName"), Eq, "x")},
		{`( a pr )`, cmp(ap("a"), Pr, nil)},
		{`emails[ type eq "work" ]`, vp(ap("emails"), cmp(ap("type"), Eq, "work"))},

		// Value filters: any logical expression inside.
		{`emails[type eq "work" and value co "x" and primary eq true]`,
			vp(ap("emails"), and(and(cmp(ap("type"), Eq, "work"), cmp(ap("value"), Co, "x")), cmp(ap("primary"), Eq, true)))},
		{`emails[(type eq "work" or type eq "home") and not (value ew ".org")]`,
			vp(ap("emails"), and(or(cmp(ap("type"), Eq, "work"), cmp(ap("type"), Eq, "home")), not(cmp(ap("value"), Ew, ".org"))))},
		{`members[value eq "u1" or value eq "u2" or value eq "u3"]`,
			vp(ap("members"), or(or(cmp(ap("value"), Eq, "u1"), cmp(ap("value"), Eq, "u2")), cmp(ap("value"), Eq, "u3")))},
		{`not (emails[type eq "work"])`, not(vp(ap("emails"), cmp(ap("type"), Eq, "work")))},
		{entURN + `:manager[value eq "u-2"]`, vp(apURN(entURN, "manager", ""), cmp(ap("value"), Eq, "u-2"))},

		// RFC-FILTER-3: the Entra form.
		{`emails[type eq "work"].value eq "ada@example.com"`,
			vp(ap("emails"), and(cmp(ap("type"), Eq, "work"), cmp(ap("value"), Eq, "ada@example.com")))},
		{`emails[type eq "work"].value pr and active eq true`,
			and(vp(ap("emails"), and(cmp(ap("type"), Eq, "work"), cmp(ap("value"), Pr, nil))), cmp(ap("active"), Eq, true))},
		{`emails[type eq "work" or type eq "home"].value eq "x"`,
			vp(ap("emails"), and(or(cmp(ap("type"), Eq, "work"), cmp(ap("type"), Eq, "home")), cmp(ap("value"), Eq, "x")))},

		// URN prefixes end at the last colon before the attribute name.
		{entURN + `:employeeNumber eq "42"`, cmp(apURN(entURN, "employeeNumber", ""), Eq, "42")},
		{entURN + `:manager.value eq "u-2"`, cmp(apURN(entURN, "manager", "value"), Eq, "u-2")},
		{`urn:ietf:params:scim:schemas:extension:Custom_Ext:2.0:User:badge-id eq 7`,
			cmp(apURN("urn:ietf:params:scim:schemas:extension:Custom_Ext:2.0:User", "badge-id", ""), Eq, num("7"))},

		// Literals.
		{`active eq true`, cmp(ap("active"), Eq, true)},
		{`active eq FALSE`, cmp(ap("active"), Eq, false)},
		{`active eq True`, cmp(ap("active"), Eq, true)},
		{`title eq null`, cmp(ap("title"), Eq, nil)},
		{`title eq NuLL`, cmp(ap("title"), Eq, nil)},
		{`n eq 0`, cmp(ap("n"), Eq, num("0"))},
		{`n eq -12`, cmp(ap("n"), Eq, num("-12"))},
		{`n eq 1.5e-3`, cmp(ap("n"), Eq, num("1.5e-3"))},
		{`n eq 2E+10`, cmp(ap("n"), Eq, num("2E+10"))},
		{`n eq 9007199254740993`, cmp(ap("n"), Eq, num("9007199254740993"))},
		{`n gt 123456789012345678901234567890`, cmp(ap("n"), Gt, num("123456789012345678901234567890"))},
		{`a eq .5`, cmp(ap("a"), Eq, ".5")}, // bare token not starting like a number
		{`a eq +1`, cmp(ap("a"), Eq, "+1")},
		{`s eq ""`, cmp(ap("s"), Eq, "")},
		{`s eq "a\"b"`, cmp(ap("s"), Eq, `a"b`)},
		{`s eq "\"\\\/\b\f\n\r\t"`, cmp(ap("s"), Eq, "\"\\/\b\f\n\r\t")},
		{`s eq "\u00e9\u00C9"`, cmp(ap("s"), Eq, "éÉ")},
		{`s eq "\ud83d\ude00!"`, cmp(ap("s"), Eq, "😀!")},
		{`s eq "\ud83dx"`, cmp(ap("s"), Eq, "\uFFFDx")},         // lone high surrogate
		{`s eq "\ude00"`, cmp(ap("s"), Eq, "\uFFFD")},           // lone low surrogate
		{`s eq "\ud83d\u0041"`, cmp(ap("s"), Eq, "\uFFFDA")},    // high surrogate then non-surrogate
		{`s eq "héllo wörld"`, cmp(ap("s"), Eq, "héllo wörld")}, // raw UTF-8
		{`s eq "a and b) or (c"`, cmp(ap("s"), Eq, "a and b) or (c")},

		// Bare tokens are strings (the leniency of RFC-FILTER-1).
		{`externalId eq jyoung`, cmp(ap("externalId"), Eq, "jyoung")},
		{`userName eq bjensen@example.com and active eq true`, and(cmp(ap("userName"), Eq, "bjensen@example.com"), cmp(ap("active"), Eq, true))},
		{`(externalId eq jyoung)`, cmp(ap("externalId"), Eq, "jyoung")},
		{`emails[value eq a@b.c]`, vp(ap("emails"), cmp(ap("value"), Eq, "a@b.c"))},

		// Names: $ref, digits, dashes, underscores; attributes named like keywords.
		{`members[$ref eq "https://x/Users/1"]`, vp(ap("members"), cmp(ap("$ref"), Eq, "https://x/Users/1"))},
		{`members.$ref pr`, cmp(apSub("members", "$ref"), Pr, nil)},
		{`a-b_c9 pr`, cmp(ap("a-b_c9"), Pr, nil)},
		{`notes pr`, cmp(ap("notes"), Pr, nil)},
		{`and pr and or pr`, and(cmp(ap("and"), Pr, nil), cmp(ap("or"), Pr, nil))},
		{`pr pr`, cmp(ap("pr"), Pr, nil)},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("Parse(%q)\n got %s\nwant %s", tt.in, got, tt.want)
			continue
		}
		again, err := Parse(got.String())
		if err != nil || !reflect.DeepEqual(again, got) {
			t.Errorf("round trip of %q via %q: %v, %v", tt.in, got.String(), again, err)
		}
	}
}

func TestStringCanonical(t *testing.T) {
	tests := []struct{ in, want string }{
		{`userName Eq "john"`, `userName eq "john"`},
		{`a pr and (b pr and c pr)`, `a pr and (b pr and c pr)`},
		{`(a pr and b pr) and c pr`, `a pr and b pr and c pr`},
		{`a pr or (b pr and c pr)`, `a pr or b pr and c pr`},
		{`(a pr or b pr) and c pr`, `(a pr or b pr) and c pr`},
		{`a pr or (b pr or c pr)`, `a pr or (b pr or c pr)`},
		{`not(a pr)`, `not (a pr)`},
		{`emails[type eq "work"].value eq "x"`, `emails[type eq "work" and value eq "x"]`},
		{`emails[type eq "work" or type eq "home"].value eq "x"`, `emails[(type eq "work" or type eq "home") and value eq "x"]`},
		{`s eq "\u00e9\/\u0001\ud83d"`, `s eq "é/\u0001` + "\uFFFD" + `"`},
		{`s eq "tab\there"`, `s eq "tab\there"`},
		{`externalId eq jyoung`, `externalId eq "jyoung"`},
		{`active eq TRUE`, `active eq true`},
		{`x eq NULL`, `x eq null`},
		{`n eq 1.50E+2`, `n eq 1.50E+2`},
	}
	for _, tt := range tests {
		e, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.in, err)
			continue
		}
		if got := e.String(); got != tt.want {
			t.Errorf("Parse(%q).String() = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestStringHandBuilt(t *testing.T) {
	tests := []struct {
		e    Expr
		want string
	}{
		{cmp(ap("s"), Eq, "bad\xffutf8"), `s eq "bad\ufffdutf8"`},
		{cmp(ap("n"), Gt, 3), `n gt 3`},
		{cmp(ap("n"), Gt, 2.5), `n gt 2.5`},
		{cmp(ap("n"), Gt, int64(-4)), `n gt -4`},
		{and(cmp(ap("a"), Pr, nil), or(cmp(ap("b"), Pr, nil), cmp(ap("c"), Pr, nil))), `a pr and (b pr or c pr)`},
		{vp(ap("emails"), or(cmp(ap("type"), Eq, "work"), cmp(ap("type"), Eq, "home"))), `emails[type eq "work" or type eq "home"]`},
	}
	for _, tt := range tests {
		if got := tt.e.String(); got != tt.want {
			t.Errorf("String() = %q, want %q", got, tt.want)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{``, "offset 0: empty filter"},
		{`   `, "offset 3: empty filter"},
		{`userName eq`, `offset 11: expected a value after "eq"`},
		{`userName eq `, `offset 12: expected a value after "eq"`},
		{`userName`, `offset 8: expected an operator after "userName"`},
		{`userName eqq "x"`, `offset 9: unknown operator "eqq"`},
		{`userName is "x"`, `offset 9: unknown operator "is"`},
		{`userName eq "x" an b pr`, `offset 16: expected "and", "or" or the end of the filter, found "an"`},
		{`userName eq "x" and`, `offset 19: expected an attribute path, "(" or "not", found the end of the input`},
		{`userName eq "x")`, `offset 15: expected "and", "or" or the end of the filter, found ")"`},
		{`(userName eq "x"`, `offset 16: expected ")" to close "(" at offset 0`},
		{`()`, `offset 1: expected an attribute path`},
		{`not userName eq "x"`, `offset 4: expected "(" after "not"`},
		{`not`, `offset 3: expected "(" after "not"`},
		{`a eq "x`, `offset 5: unterminated string`},
		{`a eq "x\`, `offset 5: unterminated string`},
		{`a eq "x\q"`, `offset 7: invalid escape "\\q" in string`},
		{`a eq "\u12"`, `offset 6: invalid \u escape`},
		{`a eq "\u12g4"`, `offset 6: invalid \u escape`},
		{"a eq \"x\ny\"", `offset 7: control character in string`},
		{`a eq 01`, `offset 5: invalid number "01"`},
		{`a eq 1.`, `offset 5: invalid number "1."`},
		{`a eq 1e`, `offset 5: invalid number "1e"`},
		{`a eq -`, `offset 5: invalid number "-"`},
		{`a eq 12abc`, `offset 5: invalid number "12abc"`},
		{`a eq 0x10`, `offset 5: invalid number "0x10"`},
		{`1a pr`, `offset 0: invalid attribute name`},
		{`a..b pr`, `offset 2: invalid sub-attribute name`},
		{`a.b.c pr`, `offset 2: invalid sub-attribute name`},
		{`a. pr`, `offset 2: invalid sub-attribute name`},
		{`:a pr`, `offset 0: invalid schema URN ""`},
		{`urn::x:a pr`, `invalid schema URN "urn::x"`},
		{`urn:x: pr`, `offset 6: invalid attribute name`},
		{`$ pr`, `offset 0: invalid attribute name`},
		{`a$b pr`, `offset 0: invalid attribute name`},
		{`emails[]`, `offset 7: empty value filter`},
		{`emails[type eq "work"`, `offset 21: expected "]" to close "[" at offset 6`},
		{`emails[type eq "work")`, `offset 21: expected "]" to close "[" at offset 6`},
		{`emails[type eq "work"]]`, `offset 22: expected "and", "or" or the end of the filter, found "]"`},
		{`emails[x[y pr]]`, `offset 8: a value filter cannot contain another value filter`},
		{`name.givenName[x pr]`, `offset 14: value filter on the sub-attribute "name.givenName"`},
		{`emails[type eq "work"].`, `offset 23: expected a sub-attribute name after "]."`},
		{`emails[type eq "work"].value`, `offset 28: expected an operator after "value"`},
		{`emails[type eq "work"].value.x eq 1`, `offset 23: invalid sub-attribute name "value.x"`},
		{`a eq "x" "y"`, `offset 9: expected "and", "or" or the end of the filter, found "\""`},
		{`a pr "x"`, `offset 5: expected "and", "or"`},
		{"a eq \"\xff\"", `offset 6: invalid UTF-8`},
		{`a eq (b)`, `offset 5: expected a value after "eq"`},
		{`[a pr]`, `offset 0: expected an attribute path`},
		{strings.Repeat("(", 65) + "a pr" + strings.Repeat(")", 65), `offset 64: nesting is deeper than 64 levels`},
		{strings.Repeat("not (", 65) + "a pr" + strings.Repeat(")", 65), `nesting is deeper than 64 levels`},
		{`a eq "` + strings.Repeat("x", MaxLength) + `"`, `offset 65536: filter is longer than 65536 bytes`},
	}
	for _, tt := range tests {
		e, err := Parse(tt.in)
		if err == nil {
			t.Errorf("Parse(%q) = %s, want error containing %q", tt.in, e, tt.want)
			continue
		}
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q): error %T is not a *SyntaxError", tt.in, err)
			continue
		}
		if se.ScimType() != "invalidFilter" {
			t.Errorf("Parse(%q): ScimType %q", tt.in, se.ScimType())
		}
		if !strings.HasPrefix(err.Error(), "filter: offset ") || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Parse(%q) error %q, want it to contain %q", tt.in, err, tt.want)
		}
	}
}

func TestParseDepthLimitExact(t *testing.T) {
	ok := strings.Repeat("(", MaxDepth) + "a pr" + strings.Repeat(")", MaxDepth)
	if _, err := Parse(ok); err != nil {
		t.Errorf("%d levels: %v", MaxDepth, err)
	}
	okVF := strings.Repeat("(", MaxDepth-1) + "x[" + "a pr" + "]" + strings.Repeat(")", MaxDepth-1)
	if _, err := Parse(okVF); err != nil {
		t.Errorf("%d levels with a value filter: %v", MaxDepth, err)
	}
	long := "a pr" + strings.Repeat(" and a pr", (MaxLength-4)/9)
	e, err := Parse(long)
	if err != nil {
		t.Fatalf("long flat filter of %d bytes: %v", len(long), err)
	}
	if e.String() != long {
		t.Errorf("long flat filter does not print back as itself")
	}
}

func TestParsePath(t *testing.T) {
	tests := []struct {
		in   string
		want Path
		str  string
	}{
		{`members`, Path{Attr: ap("members")}, `members`},
		{`  members `, Path{Attr: ap("members")}, `members`},
		{`name.familyName`, Path{Attr: apSub("name", "familyName")}, `name.familyName`},
		{`emails[type eq "work"]`, Path{Attr: ap("emails"), Filter: cmp(ap("type"), Eq, "work")}, `emails[type eq "work"]`},
		{`emails[type eq "work"].value`, Path{Attr: ap("emails"), Filter: cmp(ap("type"), Eq, "work"), Sub: "value"}, `emails[type eq "work"].value`},
		{`emails[Type EQ "work"].Value`, Path{Attr: ap("emails"), Filter: cmp(ap("Type"), Eq, "work"), Sub: "Value"}, `emails[Type eq "work"].Value`},
		{`members[value eq "u1" or value eq "u2"]`,
			Path{Attr: ap("members"), Filter: or(cmp(ap("value"), Eq, "u1"), cmp(ap("value"), Eq, "u2"))}, `members[value eq "u1" or value eq "u2"]`},
		{`addresses[type eq "work" and primary eq true].streetAddress`,
			Path{Attr: ap("addresses"), Filter: and(cmp(ap("type"), Eq, "work"), cmp(ap("primary"), Eq, true)), Sub: "streetAddress"},
			`addresses[type eq "work" and primary eq true].streetAddress`},
		{entURN + `:manager`, Path{Attr: apURN(entURN, "manager", "")}, entURN + `:manager`},
		{entURN + `:manager.value`, Path{Attr: apURN(entURN, "manager", "value")}, entURN + `:manager.value`},
		{entURN + `:department`, Path{Attr: apURN(entURN, "department", "")}, entURN + `:department`},
		{`roles[primary eq "True"]`, Path{Attr: ap("roles"), Filter: cmp(ap("primary"), Eq, "True")}, `roles[primary eq "True"]`},
	}
	for _, tt := range tests {
		got, err := ParsePath(tt.in)
		if err != nil {
			t.Errorf("ParsePath(%q): %v", tt.in, err)
			continue
		}
		if !reflect.DeepEqual(got, tt.want) {
			t.Errorf("ParsePath(%q) = %#v, want %#v", tt.in, got, tt.want)
		}
		if s := got.String(); s != tt.str {
			t.Errorf("ParsePath(%q).String() = %q, want %q", tt.in, s, tt.str)
		}
		again, err := ParsePath(got.String())
		if err != nil || !reflect.DeepEqual(again, got) {
			t.Errorf("round trip of %q: %#v, %v", tt.in, again, err)
		}
	}
}

func TestParsePathErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{``, `offset 0: empty path`},
		{`members eq "x"`, `offset 8: expected the end of the path, found "eq"`},
		{`emails[type eq "work"] x`, `offset 23: expected the end of the path`},
		{`emails[type eq "work"].value.x`, `offset 23: invalid sub-attribute name "value.x"`},
		{`emails[type eq "work"`, `expected "]"`},
		{`name.givenName[x pr]`, `value filter on the sub-attribute`},
		{`emails[]`, `empty value filter`},
		{`a b`, `offset 2: expected the end of the path`},
		{`[x]`, `offset 0: expected an attribute path`},
		{`emails[x[y pr]]`, `cannot contain another value filter`},
	}
	for _, tt := range tests {
		p, err := ParsePath(tt.in)
		if err == nil {
			t.Errorf("ParsePath(%q) = %s, want error containing %q", tt.in, p, tt.want)
			continue
		}
		var se *SyntaxError
		if !errors.As(err, &se) || se.ScimType() != "invalidPath" {
			t.Errorf("ParsePath(%q): error %v is not an invalidPath *SyntaxError", tt.in, err)
		}
		if !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParsePath(%q) error %q, want it to contain %q", tt.in, err, tt.want)
		}
	}
}
