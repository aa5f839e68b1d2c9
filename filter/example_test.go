package filter_test

import (
	"fmt"

	"github.com/scimkit/scimkit/filter"
	"github.com/scimkit/scimkit/schema"
)

func ExampleParse() {
	e, err := filter.Parse(`userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")`)
	if err != nil {
		panic(err)
	}
	and := e.(*filter.Logical)
	fmt.Println(and.Op, and.Left)
	fmt.Println(and.Right.(*filter.Logical).Op, and.Right)
	fmt.Println(e)
	// Output:
	// and userType eq "Employee"
	// or emails co "example.com" or emails.value co "example.org"
	// userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")
}

func ExampleParse_entra() {
	// Microsoft Entra ID matches users by work email with a form that is not in the
	// RFC grammar; Parse reads it as one value filter.
	e, _ := filter.Parse(`emails[type eq "work"].value eq "ada@contoso.example"`)
	fmt.Println(e)
	// A bare word is read as a string.
	e, _ = filter.Parse(`externalId eq ada.l`)
	fmt.Println(e)
	// Output:
	// emails[type eq "work" and value eq "ada@contoso.example"]
	// externalId eq "ada.l"
}

func ExampleParse_error() {
	_, err := filter.Parse(`userName eq`)
	fmt.Println(err)
	fmt.Println(err.(*filter.SyntaxError).ScimType())
	// Output:
	// filter: offset 11: expected a value after "eq"
	// invalidFilter
}

func ExampleParsePath() {
	p, err := filter.ParsePath(`emails[type eq "work"].value`)
	if err != nil {
		panic(err)
	}
	fmt.Println(p.Attr.Name, "|", p.Filter, "|", p.Sub)
	p, _ = filter.ParsePath(`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value`)
	fmt.Println(p.Attr.URN, "|", p.Attr.Name, "|", p.Attr.Sub)
	// Output:
	// emails | type eq "work" | value
	// urn:ietf:params:scim:schemas:extension:enterprise:2.0:User | manager | value
}

func ExampleCompile() {
	e, err := filter.Parse(`USERNAME eq "BJENSEN@example.com" and manager eq "u-2"`)
	if err != nil {
		panic(err)
	}
	m, err := filter.Compile(e, schema.UserResourceType)
	if err != nil {
		panic(err)
	}
	fmt.Println(m.Expr())

	// A resource tree in canonical form (see package schema).
	bjensen := map[string]any{
		"userName": "bjensen@example.com",
		schema.EnterpriseUserURN: map[string]any{
			"manager": map[string]any{"value": "u-2"},
		},
	}
	fmt.Println(m.Match(bjensen))
	fmt.Println(m.Match(map[string]any{"userName": "jsmith@example.com"}))
	// Output:
	// userName eq "BJENSEN@example.com" and urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "u-2"
	// true
	// false
}

func ExampleCompile_error() {
	e, _ := filter.Parse(`active gt true`)
	_, err := filter.Compile(e, schema.UserResourceType)
	fmt.Println(err)
	// Output:
	// filter: active: operator "gt" cannot be used with the boolean attribute "active"
}

func ExampleCompileElement() {
	// The filter of the PATCH path emails[type eq "work"].value selects e-mail values.
	p, _ := filter.ParsePath(`emails[type eq "work"].value`)
	emails, _ := schema.UserResourceType.Resolve("", "emails", "")
	m, err := filter.CompileElement(p.Filter, schema.UserResourceType, emails)
	if err != nil {
		panic(err)
	}
	for _, email := range []map[string]any{
		{"type": "home", "value": "babs@jensen.org"},
		{"type": "Work", "value": "bjensen@example.com"},
	} {
		fmt.Println(email["value"], m.Match(email))
	}
	// Output:
	// babs@jensen.org false
	// bjensen@example.com true
}
