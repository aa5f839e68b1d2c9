package patch

import (
	"reflect"
	"strings"
	"testing"

	"github.com/scimkit/scimkit/schema"
)

// TestENTRA_PATCH_1_OpCaseSameResult: "Replace", "REPLACE" and "replace" apply alike.
func TestENTRA_PATCH_1_OpCaseSameResult(t *testing.T) {
	want := edit(t, entraUser, `{"title":"Lead"}`)
	var cases []tc
	for _, op := range []string{"Replace", "replace", "REPLACE", "Add", "add", "ADD"} {
		cases = append(cases, tc{name: op, ops: `{"op":"` + op + `","path":"title","value":"Lead"}`, want: want, changed: []string{"title"}})
	}
	for _, op := range []string{"Remove", "remove", "REMOVE"} {
		cases = append(cases, tc{name: op, ops: `{"op":"` + op + `","path":"title"}`, want: edit(t, entraUser, `{"title":null}`), changed: []string{"title"}})
	}
	runCases(t, cases)
}

// TestENTRA_PATCH_2_OrderedAtomic: operations apply in order against one snapshot, all
// or nothing.
func TestENTRA_PATCH_2_OrderedAtomic(t *testing.T) {
	runCases(t, []tc{
		{
			name: "Microsoft sample",
			ops: `{"op":"Replace","path":"emails[type eq \"work\"].value","value":"a.l@contoso.example"},
			      {"op":"Replace","path":"name.familyName","value":"Lovelace"}`,
			want: edit(t, entraUser, `{"emails":[{"primary":true,"type":"work","value":"a.l@contoso.example"},{"type":"home","value":"ada@home.example"}],
			      "name":{"formatted":"Ada L","givenName":"Ada","familyName":"Lovelace"}}`),
			changed: []string{"emails", "name"},
		},
		{
			name:    "later wins",
			ops:     `{"op":"replace","path":"title","value":"A"},{"op":"replace","path":"title","value":"B"}`,
			want:    edit(t, entraUser, `{"title":"B"}`),
			changed: []string{"title"},
		},
		{
			name:    "each op sees the previous one",
			ops:     `{"op":"remove","path":"name"},{"op":"add","path":"name.givenName","value":"Ada"}`,
			want:    edit(t, entraUser, `{"name":{"givenName":"Ada"}}`),
			changed: []string{"name"},
		},
		{
			name: "undone by a later op: no change",
			ops:  `{"op":"replace","path":"title","value":"A"},{"op":"replace","path":"title","value":"Engineer"}`,
			want: entraUser, changed: []string{},
		},
		{
			name: "third op fails: nothing applied",
			ops: `{"op":"replace","path":"title","value":"A"},{"op":"add","path":"emails","value":[{"value":"x@y","type":"other"}]},
			      {"op":"replace","path":"active","value":"maybe"}`,
			err: schema.ScimInvalidValue, index: 2,
		},
		{
			name: "failure after changes in shared subtrees",
			ops: `{"op":"replace","path":"name.givenName","value":"X"},{"op":"replace","path":"emails[type eq \"work\"].primary","value":false},
			      {"op":"replace","path":"` + sEnt + `:department","value":"Y"},{"op":"remove","path":"userName"}`,
			err: schema.ScimMutability, index: 3,
		},
	})
}

// TestENTRA_PATCH_3_StringBooleans: "True"/"False" in any case are Booleans where the
// schema says boolean (also ENTRA-FLAG-2, TRAP-15).
func TestENTRA_PATCH_3_StringBooleans(t *testing.T) {
	inactive := edit(t, entraUser, `{"active":false}`)
	var cases []tc
	for _, v := range []string{`"False"`, `"false"`, `"FALSE"`, `false`} {
		cases = append(cases, tc{name: "active " + v, ops: `{"op":"Replace","path":"active","value":` + v + `}`, want: inactive, changed: []string{"active"}})
	}
	cases = append(cases,
		tc{name: "True is a no-op on an active user", ops: `{"op":"Replace","path":"active","value":"True"}`, want: entraUser, changed: []string{}},
		tc{name: "primary in a filtered path", ops: `{"op":"Replace","path":"addresses[type eq \"work\"].primary","value":"True"}`,
			want:    edit(t, entraUser, `{"addresses":[{"type":"work","locality":"Leeds","country":"GB","primary":true}]}`),
			changed: []string{"addresses"}},
		tc{name: "primary in a value", ops: `{"op":"Add","path":"phoneNumbers","value":[{"type":"work","value":"1","primary":"false"}]}`,
			want: edit(t, entraUser, `{"phoneNumbers":[{"type":"mobile","value":"+44 7700 900123"},{"type":"work","value":"1","primary":false}]}`)},
		tc{name: "path-less", ops: `{"op":"replace","value":{"active":"False"}}`, want: inactive},
		tc{name: "other strings rejected", ops: `{"op":"Replace","path":"active","value":"no"}`, err: schema.ScimInvalidValue},
		tc{name: "numbers rejected", ops: `{"op":"Replace","path":"active","value":0}`, err: schema.ScimInvalidValue},
		tc{name: "strict rejects strings", ops: `{"op":"Replace","path":"active","value":"False"}`, opt: Options{Strict: true}, err: schema.ScimInvalidValue},
		tc{name: "strict takes Booleans", ops: `{"op":"Replace","path":"active","value":false}`, opt: Options{Strict: true}, want: inactive},
	)
	runCases(t, cases)
}

// TestTRAP_15_StringFalseIsFalse: "False" never reads as true (truthiness).
func TestTRAP_15_StringFalseIsFalse(t *testing.T) {
	out := runCase(t, tc{ops: `{"op":"Replace","path":"active","value":"False"}`, want: edit(t, entraUser, `{"active":false}`)})
	if out["active"] != false {
		t.Fatalf("active = %#v", out["active"])
	}
}

// TestENTRA_PATCH_4_FilteredPathCreatesEntry: attr[type eq "x"].sub updates the
// matching entry only, or appends one when none matches (also TRAP-10).
func TestENTRA_PATCH_4_FilteredPathCreatesEntry(t *testing.T) {
	noWork := edit(t, entraUser, `{"emails":[{"type":"home","value":"ada@home.example"}]}`)
	runCases(t, []tc{
		{
			name: "replace existing work email",
			ops:  `{"op":"Replace","path":"emails[type eq \"work\"].value","value":"ada@new.example"}`,
			want: edit(t, entraUser, `{"emails":[{"primary":true,"type":"work","value":"ada@new.example"},{"type":"home","value":"ada@home.example"}]}`),
		},
		{
			name: "replace creates a missing work email",
			res:  noWork,
			ops:  `{"op":"Replace","path":"emails[type eq \"work\"].value","value":"ada@new.example"}`,
			want: edit(t, noWork, `{"emails":[{"type":"home","value":"ada@home.example"},{"type":"work","value":"ada@new.example"}]}`),
		},
		{
			name: "creates the list when absent",
			res:  edit(t, entraUser, `{"emails":null}`),
			ops:  `{"op":"Add","path":"emails[type eq \"work\"].value","value":"ada@new.example"}`,
			want: edit(t, entraUser, `{"emails":[{"type":"work","value":"ada@new.example"}]}`),
		},
		{
			name: "add mobile phone updates it",
			ops:  `{"op":"Add","path":"phoneNumbers[type eq \"mobile\"].value","value":"+44 7700 900555"}`,
			want: edit(t, entraUser, `{"phoneNumbers":[{"type":"mobile","value":"+44 7700 900555"}]}`),
		},
		{
			name: "add fax phone appends",
			ops:  `{"op":"Add","path":"phoneNumbers[type eq \"fax\"].value","value":"+44 1"}`,
			want: edit(t, entraUser, `{"phoneNumbers":[{"type":"mobile","value":"+44 7700 900123"},{"type":"fax","value":"+44 1"}]}`),
		},
		{
			name: "address locality",
			ops:  `{"op":"Replace","path":"addresses[type eq \"work\"].locality","value":"York"}`,
			want: edit(t, entraUser, `{"addresses":[{"type":"work","locality":"York","country":"GB","primary":false}]}`),
		},
		{
			name: "primary false on the work email",
			ops:  `{"op":"Add","path":"emails[type eq \"work\"].primary","value":false}`,
			want: edit(t, entraUser, `{"emails":[{"primary":false,"type":"work","value":"ada.l@contoso.example"},{"type":"home","value":"ada@home.example"}]}`),
		},
		{
			name: "display and other entry untouched",
			ops:  `{"op":"Add","path":"emails[type eq \"home\"].display","value":"Home"}`,
			want: edit(t, entraUser, `{"emails":[{"primary":true,"type":"work","value":"ada.l@contoso.example"},{"type":"home","value":"ada@home.example","display":"Home"}]}`),
		},
		{
			name: "names and type value ignore case",
			ops:  `{"op":"Replace","path":"EMAILS[TYPE EQ \"WORK\"].Value","value":"ada@new.example"}`,
			want: edit(t, entraUser, `{"emails":[{"primary":true,"type":"work","value":"ada@new.example"},{"type":"home","value":"ada@home.example"}]}`),
		},
		{
			name: "created entry keeps the type as sent",
			res:  noWork,
			ops:  `{"op":"Replace","path":"emails[type eq \"Work\"].value","value":"w@x"}`,
			want: edit(t, noWork, `{"emails":[{"type":"home","value":"ada@home.example"},{"type":"Work","value":"w@x"}]}`),
		},
		{
			name: "twice does not duplicate",
			res:  noWork,
			ops: `{"op":"Replace","path":"emails[type eq \"work\"].value","value":"a@x"},
			      {"op":"Replace","path":"emails[type eq \"work\"].value","value":"b@x"}`,
			want: edit(t, noWork, `{"emails":[{"type":"home","value":"ada@home.example"},{"type":"work","value":"b@x"}]}`),
		},
		{
			name: "conjunction with type creates both",
			res:  noWork,
			ops:  `{"op":"Replace","path":"emails[type eq \"work\" and primary eq true].value","value":"a@x"}`,
			want: edit(t, noWork, `{"emails":[{"type":"home","value":"ada@home.example"},{"type":"work","primary":true,"value":"a@x"}]}`),
		},
		{
			name: "replace a whole filtered value keeps its type",
			ops:  `{"op":"Replace","path":"addresses[type eq \"work\"]","value":{"locality":"York"}}`,
			want: edit(t, entraUser, `{"addresses":[{"type":"work","locality":"York"}]}`),
		},
		{
			name: "add a whole filtered value merges",
			ops:  `{"op":"Add","path":"addresses[type eq \"work\"]","value":{"locality":"York","region":"N"}}`,
			want: edit(t, entraUser, `{"addresses":[{"type":"work","locality":"York","region":"N","country":"GB","primary":false}]}`),
		},
		{
			name: "replace a whole filtered value creates it",
			res:  edit(t, entraUser, `{"addresses":null}`),
			ops:  `{"op":"Replace","path":"addresses[type eq \"work\"]","value":{"locality":"York"}}`,
			want: edit(t, entraUser, `{"addresses":[{"type":"work","locality":"York"}]}`),
		},
		{
			name: "same value: no change",
			ops:  `{"op":"Replace","path":"emails[type eq \"work\"].value","value":"ada.l@contoso.example"}`,
			want: entraUser, changed: []string{},
		},
	})
}

// TestRFC_ERR_1_NoTargetForNonTypeFilter: a Replace whose filter is not a type selector
// and matches nothing is noTarget; Remove with such a filter is a no-op.
func TestRFC_ERR_1_NoTargetForNonTypeFilter(t *testing.T) {
	runCases(t, []tc{
		{name: "replace value filter", ops: `{"op":"replace","path":"emails[value eq \"nobody@x\"].type","value":"work"}`, err: schema.ScimNoTarget},
		{name: "replace or filter", ops: `{"op":"replace","path":"emails[type eq \"fax\" or type eq \"pager\"].value","value":"x"}`, err: schema.ScimNoTarget},
		{name: "replace co filter", ops: `{"op":"add","path":"title","value":"x"},{"op":"replace","path":"emails[value co \"@nowhere\"]","value":{"value":"x"}}`, err: schema.ScimNoTarget, index: 1},
		{name: "add ne filter", ops: `{"op":"add","path":"emails[type ne \"work\" and type ne \"home\"].value","value":"x"}`, err: schema.ScimNoTarget},
		{name: "add eq filter creates", ops: `{"op":"add","path":"emails[value eq \"n@x\"].type","value":"other"}`,
			want: edit(t, entraUser, `{"emails":[{"primary":true,"type":"work","value":"ada.l@contoso.example"},{"type":"home","value":"ada@home.example"},{"type":"other","value":"n@x"}]}`)},
		{name: "remove no match is a no-op", ops: `{"op":"remove","path":"emails[value eq \"nobody@x\"]"}`, want: entraUser, changed: []string{}},
		{name: "replace value filter that matches", ops: `{"op":"replace","path":"emails[value eq \"ADA@home.example\"].type","value":"other"}`,
			want: edit(t, entraUser, `{"emails":[{"primary":true,"type":"work","value":"ada.l@contoso.example"},{"type":"other","value":"ada@home.example"}]}`)},
	})
}

// TestENTRA_PATCH_5_SimpleAndDottedPaths: simple and dotted paths; Add on a
// single-valued attribute replaces it (also ENTRA-FLAG-3).
func TestENTRA_PATCH_5_SimpleAndDottedPaths(t *testing.T) {
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

// TestENTRA_PATCH_6_EnterprisePaths: URN-qualified enterprise attributes, URN matched
// ignoring case, extension created when absent.
func TestENTRA_PATCH_6_EnterprisePaths(t *testing.T) {
	noExt := edit(t, entraUser, `{"`+sEnt+`":null}`)
	var cases []tc
	for _, a := range []string{"department", "employeeNumber", "costCenter", "organization", "division"} {
		cases = append(cases, tc{name: a, res: noExt, ops: `{"op":"Add","path":"` + sEnt + `:` + a + `","value":"Retail"}`,
			want: edit(t, noExt, `{"`+sEnt+`":{"`+a+`":"Retail"}}`), changed: []string{sEnt + ":" + a}})
	}
	cases = append(cases,
		tc{name: "URN in other case", ops: `{"op":"Replace","path":"` + strings.ToUpper(sEnt) + `:Department","value":"Retail"}`,
			want: edit(t, entraUser, `{"`+sEnt+`":{"employeeNumber":"00412","department":"Retail","costCenter":"CC-9"}}`)},
		tc{name: "remove last attribute removes the extension", res: edit(t, entraUser, `{"`+sEnt+`":{"department":"R"}}`),
			ops: `{"op":"remove","path":"` + sEnt + `:department"}`, want: noExt, changed: []string{sEnt + ":department"}},
		tc{name: "whole extension path merges", ops: `{"op":"add","path":"` + sEnt + `","value":{"division":"D","department":"X"}}`,
			want: edit(t, entraUser, `{"`+sEnt+`":{"employeeNumber":"00412","department":"X","costCenter":"CC-9","division":"D"}}`)},
		tc{name: "remove whole extension", ops: `{"op":"remove","path":"` + sEnt + `"}`, want: noExt,
			changed: []string{sEnt + ":employeeNumber", sEnt + ":costCenter", sEnt + ":department"}},
		tc{name: "extension attribute without URN (lenient)", ops: `{"op":"replace","path":"department","value":"X"}`,
			want: edit(t, entraUser, `{"`+sEnt+`":{"employeeNumber":"00412","department":"X","costCenter":"CC-9"}}`)},
		tc{name: "extension attribute without URN (strict)", opt: Options{Strict: true}, ops: `{"op":"replace","path":"department","value":"X"}`, err: schema.ScimInvalidPath},
	)
	runCases(t, cases)
}

// TestENTRA_PATCH_7_ManagerForms: manager as bare string, object or one-element array
// is stored as {"value": id} (also TRAP-11).
func TestENTRA_PATCH_7_ManagerForms(t *testing.T) {
	want := edit(t, entraUser, `{"`+sEnt+`":{"employeeNumber":"00412","department":"R&D","costCenter":"CC-9","manager":{"value":"u-2"}}}`)
	withRef := edit(t, entraUser, `{"`+sEnt+`":{"employeeNumber":"00412","department":"R&D","costCenter":"CC-9","manager":{"value":"u-2","$ref":"https://h/scim/Users/u-2"}}}`)
	mgr := sEnt + ":manager"
	runCases(t, []tc{
		{name: "bare string add", ops: `{"op":"Add","path":"` + mgr + `","value":"u-2"}`, want: want, changed: []string{mgr}},
		{name: "bare string replace", ops: `{"op":"Replace","path":"` + mgr + `","value":"u-2"}`, want: want},
		{name: "array (MS example 5)", ops: `{"op":"Add","path":"manager","value":[{"$ref":"https://h/scim/Users/u-2","value":"u-2"}]}`, want: withRef},
		{name: "object", ops: `{"op":"Add","path":"` + mgr + `","value":{"value":"u-2"}}`, want: want},
		{name: "manager.value", ops: `{"op":"Add","path":"` + mgr + `.value","value":"u-2"}`, want: want},
		{name: "path-less", ops: `{"op":"replace","value":{"` + mgr + `":"u-2"}}`, want: want},
		{name: "readOnly displayName dropped", ops: `{"op":"Add","path":"` + mgr + `","value":{"value":"u-2","displayName":"Bob"}}`, want: want},
		{name: "new manager replaces the old object", res: withRef, ops: `{"op":"Replace","path":"` + mgr + `","value":"u-3"}`,
			want: edit(t, entraUser, `{"`+sEnt+`":{"employeeNumber":"00412","department":"R&D","costCenter":"CC-9","manager":{"value":"u-3"}}}`)},
		{name: "same manager keeps $ref", res: withRef, ops: `{"op":"Replace","path":"` + mgr + `","value":"u-2"}`, want: withRef, changed: []string{}},
		{name: "strict rejects the bare string", opt: Options{Strict: true}, ops: `{"op":"Add","path":"` + mgr + `","value":"u-2"}`, err: schema.ScimInvalidValue},
		{name: "strict takes the object", opt: Options{Strict: true}, ops: `{"op":"Add","path":"` + mgr + `","value":{"value":"u-2"}}`, want: want},
		{name: "two-element array", ops: `{"op":"Add","path":"` + mgr + `","value":[{"value":"u-2"},{"value":"u-3"}]}`, err: schema.ScimInvalidValue},
		{name: "readOnly sub-attribute path", ops: `{"op":"Replace","path":"` + mgr + `.displayName","value":"Bob"}`, err: schema.ScimMutability},
	})
}

// TestENTRA_PATCH_8_RemoveManager: every removal form; value-conditional.
func TestENTRA_PATCH_8_RemoveManager(t *testing.T) {
	has := edit(t, entraUser, `{"`+sEnt+`":{"employeeNumber":"00412","manager":{"value":"u-2","$ref":"https://h/scim/Users/u-2"}}}`)
	gone := edit(t, entraUser, `{"`+sEnt+`":{"employeeNumber":"00412"}}`)
	mgr := sEnt + ":manager"
	var cases []tc
	for name, op := range map[string]string{
		"remove":                 `{"op":"Remove","path":"` + mgr + `"}`,
		"remove value":           `{"op":"Remove","path":"` + mgr + `","value":"u-2"}`,
		"remove array value":     `{"op":"Remove","path":"` + mgr + `","value":[{"value":"u-2"}]}`,
		"remove object value":    `{"op":"Remove","path":"` + mgr + `","value":{"value":"u-2"}}`,
		"remove filter":          `{"op":"Remove","path":"manager[value eq \"u-2\"]"}`,
		"remove URN filter":      `{"op":"Remove","path":"` + mgr + `[value eq \"u-2\"]"}`,
		"remove manager.value":   `{"op":"Remove","path":"` + mgr + `.value"}`,
		"replace empty":          `{"op":"Replace","path":"` + mgr + `","value":""}`,
		"replace null":           `{"op":"Replace","path":"` + mgr + `","value":null}`,
		"replace empty object":   `{"op":"Replace","path":"` + mgr + `","value":{"value":""}}`,
		"replace path-less null": `{"op":"replace","value":{"` + mgr + `":null}}`,
	} {
		cases = append(cases, tc{name: name, res: has, ops: op, want: gone, changed: []string{mgr}})
	}
	for name, op := range map[string]string{
		"other value":         `{"op":"Remove","path":"` + mgr + `","value":"u-3"}`,
		"other array value":   `{"op":"Remove","path":"` + mgr + `","value":[{"value":"u-3"}]}`,
		"other filter":        `{"op":"Remove","path":"manager[value eq \"u-3\"]"}`,
		"other manager.value": `{"op":"Remove","path":"` + mgr + `.value","value":"u-3"}`,
	} {
		cases = append(cases, tc{name: "no-op " + name, res: has, ops: op, want: has, changed: []string{}})
	}
	cases = append(cases, tc{name: "no manager", ops: `{"op":"Remove","path":"` + mgr + `"}`, want: entraUser, changed: []string{}},
		tc{name: "no manager, replace empty", ops: `{"op":"Replace","path":"` + mgr + `","value":""}`, want: entraUser, changed: []string{}})
	runCases(t, cases)
}

// TestENTRA_PATCH_9_PathlessValueObject: keys are paths; complex values merge; id,
// schemas and meta keys are ignored (also ENTRA-FLAG-4, TRAP-12, TRAP-13).
func TestENTRA_PATCH_9_PathlessValueObject(t *testing.T) {
	runCases(t, []tc{
		{
			name: "flag-tenant request",
			ops: `{"op":"replace","value":{"displayName":"Ada L.","name.givenName":"Ada","name.familyName":"Lovelace",
			      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber":"00413","active":false}}`,
			want: edit(t, entraUser, `{"displayName":"Ada L.","active":false,"name":{"formatted":"Ada L","givenName":"Ada","familyName":"Lovelace"},
			      "`+sEnt+`":{"employeeNumber":"00413","department":"R&D","costCenter":"CC-9"}}`),
			changed: []string{"active", "displayName", "name", sEnt + ":employeeNumber"},
		},
		{
			name: "complex value merges",
			ops:  `{"op":"replace","value":{"name":{"givenName":"A"}}}`,
			want: edit(t, entraUser, `{"name":{"formatted":"Ada L","givenName":"A","familyName":"L"}}`),
		},
		{
			name: "extension object merges",
			ops:  `{"op":"replace","value":{"` + sEnt + `":{"department":"X"}}}`,
			want: edit(t, entraUser, `{"`+sEnt+`":{"employeeNumber":"00412","department":"X","costCenter":"CC-9"}}`),
		},
		{
			name: "extension object in other case, dotted key inside",
			ops:  `{"op":"replace","value":{"` + strings.ToLower(sEnt) + `":{"manager.value":"u-9"}}}`,
			want: edit(t, entraUser, `{"`+sEnt+`":{"employeeNumber":"00412","department":"R&D","costCenter":"CC-9","manager":{"value":"u-9"}}}`),
		},
		{
			name: "id equal, schemas and meta ignored",
			ops:  `{"op":"replace","value":{"id":"u-1","schemas":["x"],"meta":{"version":"1"},"title":"T"}}`,
			want: edit(t, entraUser, `{"title":"T"}`),
		},
		{
			name: "id different is mutability",
			ops:  `{"op":"replace","value":{"title":"x"}},{"op":"replace","value":{"id":"u-2","title":"T"}}`,
			err:  schema.ScimMutability, index: 1,
		},
		{
			name: "keys in any case",
			ops:  `{"op":"replace","value":{"DISPLAYNAME":"D","Name.GivenName":"G"}}`,
			want: edit(t, entraUser, `{"displayName":"D","name":{"formatted":"Ada L","givenName":"G","familyName":"L"}}`),
		},
		{
			name: "externalId does not stop processing",
			ops:  `{"op":"replace","value":{"externalId":"E","title":"T","nickName":"N"}}`,
			want: edit(t, entraUser, `{"externalId":"E","title":"T","nickName":"N"}`),
		},
		{
			name: "add appends multi-valued",
			ops:  `{"op":"add","value":{"emails":[{"type":"other","value":"o@x"}]}}`,
			want: edit(t, entraUser, `{"emails":[{"primary":true,"type":"work","value":"ada.l@contoso.example"},{"type":"home","value":"ada@home.example"},{"type":"other","value":"o@x"}]}`),
		},
		{
			name: "replace replaces multi-valued",
			ops:  `{"op":"replace","value":{"emails":[{"type":"other","value":"o@x"}]}}`,
			want: edit(t, entraUser, `{"emails":[{"type":"other","value":"o@x"}]}`),
		},
		{
			name: "filtered key",
			ops:  `{"op":"replace","value":{"emails[type eq \"work\"].value":"w@x"}}`,
			want: edit(t, entraUser, `{"emails":[{"primary":true,"type":"work","value":"w@x"},{"type":"home","value":"ada@home.example"}]}`),
		},
		{
			name: "null key removes",
			ops:  `{"op":"replace","value":{"title":null}}`,
			want: edit(t, entraUser, `{"title":null}`),
		},
		{
			name: "readOnly groups",
			ops:  `{"op":"replace","value":{"groups":[{"value":"g-1"}]}}`,
			err:  schema.ScimMutability,
		},
		{
			name: "extension URN with a non-object",
			ops:  `{"op":"replace","value":{"` + sEnt + `":"x"}}`,
			err:  schema.ScimInvalidValue,
		},
	})
}

// TestENTRA_PATCH_10_RemoveSingleValued: Remove without value unassigns; with a value
// only when equal, ignoring case; required attributes cannot be removed.
func TestENTRA_PATCH_10_RemoveSingleValued(t *testing.T) {
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

// TestENTRA_PATCH_12_UnknownAttributes: skipped and reported by default, the rest
// applies; strict mode fails with invalidPath and applies nothing (also TRAP-9).
func TestENTRA_PATCH_12_UnknownAttributes(t *testing.T) {
	withTitle := edit(t, entraUser, `{"title":"Lead"}`)
	acme := `urn:ietf:params:scim:schemas:extension:acme:2.0:User:badge`
	runCases(t, []tc{
		{name: "unregistered extension", ops: `{"op":"Add","path":"` + acme + `","value":"7"},{"op":"replace","path":"title","value":"Lead"}`,
			want: withTitle, skipped: []Skip{{0, acme}}},
		{name: "unknown attribute", ops: `{"op":"replace","path":"title","value":"Lead"},{"op":"Replace","path":"nickname2","value":"x"}`,
			want: withTitle, skipped: []Skip{{1, "nickname2"}}},
		{name: "unknown sub-attribute", ops: `{"op":"replace","path":"name.nick","value":"x"}`, want: entraUser, skipped: []Skip{{0, "name.nick"}}, changed: []string{}},
		{name: "unknown attribute in a value filter", ops: `{"op":"replace","path":"emails[kind eq \"work\"].value","value":"x"}`,
			want: entraUser, skipped: []Skip{{0, `emails[kind eq "work"].value`}}},
		{name: "unknown remove", ops: `{"op":"remove","path":"nickname2"}`, want: entraUser, skipped: []Skip{{0, "nickname2"}}},
		{name: "path-less keys", ops: `{"op":"replace","value":{"title":"Lead","foo":1,"` + acme + `":"x","name.nick":"n"}}`,
			want: withTitle, skipped: []Skip{{0, "foo"}, {0, "name.nick"}, {0, acme}}},
		{name: "strict unknown attribute", opt: Options{Strict: true}, ops: `{"op":"replace","path":"title","value":"Lead"},{"op":"Replace","path":"nickname2","value":"x"}`,
			err: schema.ScimInvalidPath, index: 1},
		{name: "strict unregistered extension", opt: Options{Strict: true}, ops: `{"op":"Add","path":"` + acme + `","value":"7"}`, err: schema.ScimInvalidPath},
		{name: "strict path-less key", opt: Options{Strict: true}, ops: `{"op":"replace","value":{"title":"Lead","foo":1}}`, err: schema.ScimInvalidPath},
		{name: "strict unknown sub-attribute in value", opt: Options{Strict: true}, ops: `{"op":"replace","path":"name","value":{"nick":"x"}}`, err: schema.ScimInvalidValue},
		{name: "lenient unknown sub-attribute in value is dropped", ops: `{"op":"replace","path":"name","value":{"nick":"x","givenName":"G"}}`,
			want: edit(t, entraUser, `{"name":{"formatted":"Ada L","givenName":"G","familyName":"L"}}`)},
	})
}

// TestRFC_MUT_1_ReadOnlyAndImmutable: id, meta and groups cannot be patched; immutable
// attributes may be set once and re-sent unchanged.
func TestRFC_MUT_1_ReadOnlyAndImmutable(t *testing.T) {
	acme := &schema.Schema{ID: "urn:acme:2.0:User", Attributes: []*schema.Attribute{
		{Name: "badge", Type: schema.String, Mutability: schema.Immutable},
		{Name: "level", Type: schema.Integer},
		{Name: "tags", Type: schema.String, MultiValued: true, CaseExact: true},
	}}
	rt := schema.UserResourceType.WithExtensions(schema.Extension{Schema: acme})
	withBadge := edit(t, entraUser, `{"urn:acme:2.0:User":{"badge":"B7"}}`)
	runCases(t, []tc{
		{name: "meta by URN path", ops: `{"op":"replace","path":"urn:ietf:params:scim:schemas:core:2.0:User:meta.version","value":"x"}`, err: schema.ScimMutability},
		{name: "id by URN path", ops: `{"op":"replace","path":"urn:ietf:params:scim:schemas:core:2.0:User:id","value":"x"}`, err: schema.ScimMutability},
		{name: "groups add", ops: `{"op":"add","path":"groups","value":[{"value":"g-1"}]}`, err: schema.ScimMutability},
		{name: "groups remove", ops: `{"op":"remove","path":"groups"}`, err: schema.ScimMutability},
		{name: "immutable set when unset", rt: rt, ops: `{"op":"add","path":"urn:acme:2.0:User:badge","value":"B7"}`, want: withBadge},
		{name: "immutable re-sent unchanged", rt: rt, res: withBadge, ops: `{"op":"replace","path":"urn:acme:2.0:User:badge","value":"B7"}`, want: withBadge, changed: []string{}},
		{name: "immutable changed", rt: rt, res: withBadge, ops: `{"op":"replace","path":"urn:acme:2.0:User:badge","value":"B8"}`, err: schema.ScimMutability},
		{name: "immutable removed", rt: rt, res: withBadge, ops: `{"op":"remove","path":"urn:acme:2.0:User:badge"}`, err: schema.ScimMutability},
		{name: "integer from string (lenient)", rt: rt, ops: `{"op":"add","path":"urn:acme:2.0:User:level","value":"42"}`,
			want: edit(t, entraUser, `{"urn:acme:2.0:User":{"level":42}}`)},
		{name: "integer from string (strict)", rt: rt, opt: Options{Strict: true}, ops: `{"op":"add","path":"urn:acme:2.0:User:level","value":"42"}`, err: schema.ScimInvalidValue},
		{name: "integer kept exact", rt: rt, ops: `{"op":"add","path":"urn:acme:2.0:User:level","value":9007199254740993}`,
			want: edit(t, entraUser, `{"urn:acme:2.0:User":{"level":9007199254740993}}`)},
		{name: "simple multi-valued add dedupes", rt: rt, res: edit(t, entraUser, `{"urn:acme:2.0:User":{"tags":["a","B"]}}`),
			ops: `{"op":"add","path":"urn:acme:2.0:User:tags","value":["B","b","a"]}`, want: edit(t, entraUser, `{"urn:acme:2.0:User":{"tags":["a","B","b"]}}`)},
		{name: "simple multi-valued remove by filter", rt: rt, res: edit(t, entraUser, `{"urn:acme:2.0:User":{"tags":["a","B"]}}`),
			ops: `{"op":"remove","path":"urn:acme:2.0:User:tags[value eq \"a\"]"}`, want: edit(t, entraUser, `{"urn:acme:2.0:User":{"tags":["B"]}}`)},
		{name: "simple multi-valued replace by filter", rt: rt, res: edit(t, entraUser, `{"urn:acme:2.0:User":{"tags":["a","B"]}}`),
			ops: `{"op":"replace","path":"urn:acme:2.0:User:tags[value sw \"B\"]","value":"c"}`, want: edit(t, entraUser, `{"urn:acme:2.0:User":{"tags":["a","c"]}}`)},
	})
}

// TestRFC_PATCH_1_MultiValued: Add appends new values only, Replace replaces the list,
// Remove with value removes only those, one object may stand for an array.
func TestRFC_PATCH_1_MultiValued(t *testing.T) {
	emails := `[{"primary":true,"type":"work","value":"ada.l@contoso.example"},{"type":"home","value":"ada@home.example"}]`
	runCases(t, []tc{
		{name: "add present value is a no-op", ops: `{"op":"add","path":"emails","value":[{"type":"home","value":"ADA@home.example"}]}`, want: entraUser, changed: []string{}},
		{name: "add single object", ops: `{"op":"add","path":"emails","value":{"type":"other","value":"o@x"}}`,
			want: edit(t, entraUser, `{"emails":[{"primary":true,"type":"work","value":"ada.l@contoso.example"},{"type":"home","value":"ada@home.example"},{"type":"other","value":"o@x"}]}`)},
		{name: "add same value other type appends", ops: `{"op":"add","path":"emails","value":[{"type":"other","value":"ada@home.example"}]}`,
			want: edit(t, entraUser, `{"emails":[{"primary":true,"type":"work","value":"ada.l@contoso.example"},{"type":"home","value":"ada@home.example"},{"type":"other","value":"ada@home.example"}]}`)},
		{name: "add present value merges", ops: `{"op":"add","path":"emails","value":[{"value":"ada@home.example","display":"Home"}]}`,
			want: edit(t, entraUser, `{"emails":[{"primary":true,"type":"work","value":"ada.l@contoso.example"},{"type":"home","value":"ada@home.example","display":"Home"}]}`)},
		{name: "add empty list", ops: `{"op":"add","path":"emails","value":[]}`, want: entraUser, changed: []string{}},
		{name: "replace list", ops: `{"op":"replace","path":"emails","value":[{"type":"other","value":"o@x"}]}`, want: edit(t, entraUser, `{"emails":[{"type":"other","value":"o@x"}]}`)},
		{name: "replace same list", ops: `{"op":"replace","path":"emails","value":` + emails + `}`, want: entraUser, changed: []string{}},
		{name: "replace empty list clears", ops: `{"op":"replace","path":"emails","value":[]}`, want: edit(t, entraUser, `{"emails":null}`)},
		{name: "remove by value", ops: `{"op":"remove","path":"emails","value":[{"value":"ada@home.example"}]}`,
			want: edit(t, entraUser, `{"emails":[{"primary":true,"type":"work","value":"ada.l@contoso.example"}]}`)},
		{name: "remove by value and wrong type keeps", ops: `{"op":"remove","path":"emails","value":[{"value":"ada@home.example","type":"work"}]}`, want: entraUser, changed: []string{}},
		{name: "remove all", ops: `{"op":"remove","path":"emails"}`, want: edit(t, entraUser, `{"emails":null}`)},
		{name: "remove the last value removes the key", ops: `{"op":"remove","path":"phoneNumbers[type eq \"mobile\"]"}`, want: edit(t, entraUser, `{"phoneNumbers":null}`)},
		{name: "remove sub-attribute of all", ops: `{"op":"remove","path":"emails.type"}`,
			want: edit(t, entraUser, `{"emails":[{"primary":true,"value":"ada.l@contoso.example"},{"value":"ada@home.example"}]}`)},
		{name: "remove filtered sub-attribute", ops: `{"op":"remove","path":"emails[type eq \"work\"].primary"}`,
			want: edit(t, entraUser, `{"emails":[{"type":"work","value":"ada.l@contoso.example"},{"type":"home","value":"ada@home.example"}]}`)},
		{name: "remove filtered sub-attribute with other value", ops: `{"op":"remove","path":"emails[type eq \"work\"].value","value":"x@y"}`, want: entraUser, changed: []string{}},
		{name: "remove emptying a value drops it", res: edit(t, entraUser, `{"emails":[{"value":"a@x"},{"value":"b@x","type":"home"}]}`),
			ops: `{"op":"remove","path":"emails[value eq \"a@x\"].value"}`, want: edit(t, entraUser, `{"emails":[{"value":"b@x","type":"home"}]}`)},
		{name: "sub-attribute of all, none present", res: edit(t, entraUser, `{"emails":null}`), ops: `{"op":"add","path":"emails.value","value":"a@x"}`,
			want: edit(t, entraUser, `{"emails":[{"value":"a@x"}]}`)},
		{name: "replace sub-attribute of all", res: edit(t, entraUser, `{"emails":[{"value":"a@x"},{"value":"b@x"}]}`), ops: `{"op":"replace","path":"emails.type","value":"work"}`,
			want: edit(t, entraUser, `{"emails":[{"value":"a@x","type":"work"},{"value":"b@x","type":"work"}]}`)},
		{name: "roles verbatim (ENTRA-FLAG-6)", ops: `{"op":"Add","path":"roles","value":[{"value":"{\"id\":\"7\",\"displayName\":\"Admin\"}","primary":"True"}]}`,
			want: edit(t, entraUser, `{"roles":[{"value":"{\"id\":\"7\",\"displayName\":\"Admin\"}","primary":true}]}`)},
	})
}

// TestRFC_PATCH_1_PrimaryClearsOthers: primary true on one value clears it on the
// others (RFC 7643 section 2.4, RFC 7644 section 3.5.2).
func TestRFC_PATCH_1_PrimaryClearsOthers(t *testing.T) {
	runCases(t, []tc{
		{name: "filtered primary", ops: `{"op":"replace","path":"emails[type eq \"home\"].primary","value":true}`,
			want: edit(t, entraUser, `{"emails":[{"primary":false,"type":"work","value":"ada.l@contoso.example"},{"primary":true,"type":"home","value":"ada@home.example"}]}`)},
		{name: "added primary", ops: `{"op":"add","path":"emails","value":[{"value":"n@x","type":"other","primary":true}]}`,
			want: edit(t, entraUser, `{"emails":[{"primary":false,"type":"work","value":"ada.l@contoso.example"},{"type":"home","value":"ada@home.example"},{"primary":true,"type":"other","value":"n@x"}]}`)},
		{name: "created primary", ops: `{"op":"add","path":"emails[type eq \"other\"].primary","value":"True"}`,
			want: edit(t, entraUser, `{"emails":[{"primary":false,"type":"work","value":"ada.l@contoso.example"},{"type":"home","value":"ada@home.example"},{"primary":true,"type":"other"}]}`)},
		{name: "merged primary", ops: `{"op":"add","path":"emails","value":[{"value":"ada@home.example","primary":true}]}`,
			want: edit(t, entraUser, `{"emails":[{"primary":false,"type":"work","value":"ada.l@contoso.example"},{"primary":true,"type":"home","value":"ada@home.example"}]}`)},
		{name: "primary false clears nothing", ops: `{"op":"replace","path":"emails[type eq \"home\"].primary","value":false}`,
			want: edit(t, entraUser, `{"emails":[{"primary":true,"type":"work","value":"ada.l@contoso.example"},{"primary":false,"type":"home","value":"ada@home.example"}]}`)},
		{name: "replace list with two primaries keeps the first", ops: `{"op":"replace","path":"emails","value":[{"value":"a@x","primary":true},{"value":"b@x","primary":true}]}`,
			want: edit(t, entraUser, `{"emails":[{"value":"a@x","primary":true},{"value":"b@x","primary":false}]}`)},
	})
}

// TestOKTA_USER_6_DeactivatePathless and TestOKTA_USER_7_Reactivate: Okta's path-less
// replace of active.
func TestOKTA_USER_6_DeactivatePathless(t *testing.T) {
	runCase(t, tc{ops: `{"schemas":["` + sPatch + `"],"Operations":[{"op":"replace","value":{"active":false}}]}`,
		want: edit(t, entraUser, `{"active":false}`), changed: []string{"active"}})
}

func TestOKTA_USER_7_Reactivate(t *testing.T) {
	inactive := edit(t, entraUser, `{"active":false}`)
	runCase(t, tc{res: inactive, ops: `{"op":"replace","value":{"active":true}}`, want: entraUser, changed: []string{"active"}})
}

// TestOKTA_USER_8_Password: both password forms set the writeOnly password; errors
// never echo it.
func TestOKTA_USER_8_Password(t *testing.T) {
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

// TestRFC_PATCH_1_CanonicalResult: emptied lists and complex values leave no key.
func TestRFC_PATCH_1_CanonicalResult(t *testing.T) {
	runCases(t, []tc{
		{name: "emptied list", ops: `{"op":"remove","path":"emails[type eq \"work\"]"},{"op":"remove","path":"emails[type eq \"home\"]"}`, want: edit(t, entraUser, `{"emails":null}`)},
		{name: "emptied complex", ops: `{"op":"remove","path":"name.givenName"},{"op":"remove","path":"name.familyName"},{"op":"remove","path":"name.formatted"}`,
			want: edit(t, entraUser, `{"name":null}`)},
		{name: "emptied extension", ops: `{"op":"remove","path":"` + sEnt + `:employeeNumber"},{"op":"remove","path":"` + sEnt + `:department"},{"op":"remove","path":"` + sEnt + `:costCenter"}`,
			want: edit(t, entraUser, `{"`+sEnt+`":null}`)},
		{name: "null elements dropped", ops: `{"op":"add","path":"emails","value":[null,{"value":"n@x","type":null}]}`,
			want: edit(t, entraUser, `{"emails":[{"primary":true,"type":"work","value":"ada.l@contoso.example"},{"type":"home","value":"ada@home.example"},{"value":"n@x"}]}`)},
		{name: "empty object is no value", ops: `{"op":"replace","path":"name","value":{}}`, want: edit(t, entraUser, `{"name":null}`)},
	})
}

// TestApplyNilResource: Apply on an empty resource creates what it adds.
func TestApplyNilResource(t *testing.T) {
	req, err := Parse([]byte(body(`{"op":"add","path":"title","value":"x"}`)))
	if err != nil {
		t.Fatal(err)
	}
	out, r, err := Apply(schema.UserResourceType, nil, req, Options{})
	if err != nil || !r.Changed || out["title"] != "x" || len(out) != 1 {
		t.Fatalf("got %v %+v %v", out, r, err)
	}
}

// TestRFC_PATCH_1_CopyOnWrite: Apply copies only what it changes and shares the rest
// with its input, so that a PATCH is atomic without copying the resource.
func TestRFC_PATCH_1_CopyOnWrite(t *testing.T) {
	res := decode(t, entraUser)
	req, err := Parse([]byte(body(`{"op":"Replace","path":"emails[type eq \"work\"].value","value":"n@x"},{"op":"Replace","path":"name.familyName","value":"K"}`)))
	if err != nil {
		t.Fatal(err)
	}
	out, _, err := Apply(schema.UserResourceType, res, req, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ent := res[sEnt].(map[string]any)
	if !sameMap(out[sEnt].(map[string]any), ent) || !sameMap(out["meta"].(map[string]any), res["meta"].(map[string]any)) {
		t.Error("untouched complex values were copied")
	}
	if &out["phoneNumbers"].([]any)[0] != &res["phoneNumbers"].([]any)[0] {
		t.Error("an untouched list was copied")
	}
	oe, re := out["emails"].([]any), res["emails"].([]any)
	if sameMap(oe[0].(map[string]any), re[0].(map[string]any)) || !sameMap(oe[1].(map[string]any), re[1].(map[string]any)) {
		t.Error("emails: want the work email copied and the home email shared")
	}
	if re[0].(map[string]any)["value"] != "ada.l@contoso.example" || res["name"].(map[string]any)["familyName"] != "L" {
		t.Error("input changed")
	}

	// A second PATCH on the result leaves the first result alone.
	first := deepCopy(out)
	req2, _ := Parse([]byte(body(`{"op":"Add","path":"emails","value":[{"value":"z@x","primary":true}]},{"op":"remove","path":"name.givenName"}`)))
	out2, _, err := Apply(schema.UserResourceType, out, req2, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(any(out), first) {
		t.Error("the second Apply changed the first result")
	}
	if len(out2["emails"].([]any)) != 3 || out2["emails"].([]any)[0].(map[string]any)["primary"] != false {
		t.Errorf("second result: %v", out2["emails"])
	}
}
