package patch

import (
	"strings"
	"testing"

	"github.com/scimkit/scimkit/schema"
)

// ENTRA-PATCH-5, ENTRA-FLAG-3: simple and dotted paths; Add on a single-valued attribute replaces it.
func TestSimpleAndDottedPaths(t *testing.T) {
	var cases []tc
	for _, a := range []string{"userName", "displayName", "title", "preferredLanguage", "externalId", "nickName"} {
		cases = append(cases, tc{name: a, ops: `{"op":"Replace","path":"` + a + `","value":"V"}`, want: edit(t, entraUser, `{"`+a+`":"V"}`), changed: []string{a}})
	}
	for _, s := range []string{"givenName", "familyName", "formatted"} {
		name := decode(t, entraUser)["name"].(map[string]any)
		name[s] = "V"
		cases = append(cases, tc{name: "name." + s, ops: `{"op":"Replace","path":"name.` + s + `","value":"V"}`,
			want: edit(t, entraUser, `{"name":`+mustJSON(t, name)+`}`), changed: []string{"name"}})
	}
	cases = append(cases,
		tc{name: "add replaces", ops: `{"op":"Add","path":"title","value":"Lead"}`, want: edit(t, entraUser, `{"title":"Lead"}`)},
		tc{name: "add sets", ops: `{"op":"Add","path":"nickName","value":"Ada"}`, want: edit(t, entraUser, `{"nickName":"Ada"}`)},
		tc{name: "names ignore case", ops: `{"op":"replace","path":"NAME.GIVENNAME","value":"A"},{"op":"replace","path":"UserName","value":"u"}`,
			want: edit(t, entraUser, `{"userName":"u","name":{"formatted":"Ada L","givenName":"A","familyName":"L"}}`)},
		tc{name: "core URN prefix", ops: `{"op":"replace","path":"urn:ietf:params:scim:schemas:core:2.0:User:name.givenName","value":"A"}`,
			want: edit(t, entraUser, `{"name":{"formatted":"Ada L","givenName":"A","familyName":"L"}}`)},
		tc{name: "sub-attribute of absent name", res: edit(t, entraUser, `{"name":null}`), ops: `{"op":"add","path":"name.middleName","value":"K"}`,
			want: edit(t, entraUser, `{"name":{"middleName":"K"}}`)},
		tc{name: "replace complex merges", ops: `{"op":"replace","path":"name","value":{"givenName":"A","middleName":"K"}}`,
			want: edit(t, entraUser, `{"name":{"formatted":"Ada L","givenName":"A","middleName":"K","familyName":"L"}}`)},
		tc{name: "empty string stands", ops: `{"op":"replace","path":"title","value":""}`, want: edit(t, entraUser, `{"title":""}`)},
		tc{name: "replace null removes", ops: `{"op":"replace","path":"title","value":null}`, want: edit(t, entraUser, `{"title":null}`)},
		tc{name: "add null is a no-op", ops: `{"op":"add","path":"title","value":null}`, want: entraUser, changed: []string{}},
		tc{name: "wrong type", ops: `{"op":"replace","path":"title","value":7}`, err: schema.ScimInvalidValue},
		tc{name: "object for a string", ops: `{"op":"replace","path":"name.givenName","value":{"a":1}}`, err: schema.ScimInvalidValue},
		tc{name: "filter on a simple attribute", ops: `{"op":"replace","path":"title[value eq \"x\"]","value":"y"}`, err: schema.ScimInvalidPath},
	)
	runCases(t, cases)
}

// ENTRA-PATCH-10: Remove without value unassigns, with a value only when equal; required attributes stay.
func TestRemoveSingleValuedIsValueConditional(t *testing.T) {
	noTitle := edit(t, entraUser, `{"title":null}`)
	runCases(t, []tc{
		{name: "no value", ops: `{"op":"Remove","path":"title"}`, want: noTitle, changed: []string{"title"}},
		{name: "equal value", ops: `{"op":"Remove","path":"title","value":"Engineer"}`, want: noTitle},
		{name: "equal ignoring case", ops: `{"op":"Remove","path":"title","value":"ENGINEER"}`, want: noTitle},
		{name: "other value", ops: `{"op":"Remove","path":"title","value":"Manager"}`, want: entraUser, changed: []string{}},
		{name: "caseExact externalId", ops: `{"op":"Remove","path":"externalId","value":"ADA.L"}`, want: entraUser, changed: []string{}},
		{name: "caseExact externalId equal", ops: `{"op":"Remove","path":"externalId","value":"ada.l"}`, want: edit(t, entraUser, `{"externalId":null}`)},
		{name: "absent", ops: `{"op":"Remove","path":"nickName"}`, want: entraUser, changed: []string{}},
		{name: "sub-attribute", ops: `{"op":"Remove","path":"name.formatted"}`, want: edit(t, entraUser, `{"name":{"givenName":"Ada","familyName":"L"}}`)},
		{name: "last sub-attribute removes the attribute", res: edit(t, entraUser, `{"name":{"givenName":"Ada"}}`), ops: `{"op":"Remove","path":"name.givenName"}`,
			want: edit(t, entraUser, `{"name":null}`)},
		{name: "userName is required", ops: `{"op":"Remove","path":"userName"}`, err: schema.ScimMutability},
		{name: "userName replace null", ops: `{"op":"Replace","path":"userName","value":null}`, err: schema.ScimMutability},
		{name: "path-less userName null", ops: `{"op":"Replace","value":{"userName":null}}`, err: schema.ScimMutability},
	})
}

// OKTA-USER-8: both password forms set the writeOnly password; errors never echo it.
func TestPasswordSetInBothFormsNeverEchoed(t *testing.T) {
	want := edit(t, entraUser, `{"password":"t0p-s3cret"}`)
	runCases(t, []tc{
		{name: "path", ops: `{"op":"replace","path":"password","value":"t0p-s3cret"}`, want: want, changed: []string{"password"}},
		{name: "path-less", ops: `{"op":"replace","value":{"password":"t0p-s3cret"}}`, want: want, changed: []string{"password"}},
	})
	for _, ops := range []string{
		`{"op":"replace","path":"password","value":{"t0p-s3cret":"t0p-s3cret"}}`,
		`{"op":"replace","path":"password","value":["t0p-s3cret","t0p-s3cret"]}`,
		`{"op":"replace","value":{"password":{"x":"t0p-s3cret"}}}`,
	} {
		_, _, err := applyRun(t, schema.UserResourceType, entraUser, body(ops), Options{})
		if err == nil || err.(*Error).Type != schema.ScimInvalidValue {
			t.Fatalf("%s: got %v", ops, err)
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("error echoes the password: %v", err)
		}
	}
}
