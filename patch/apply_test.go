package patch

import (
	"reflect"
	"strings"
	"testing"

	"github.com/scimkit/scimkit/schema"
)

// ENTRA-PATCH-1, ENTRA-FLAG-1: "Replace", "REPLACE" and "replace" (and Add, Remove) apply alike.
func TestOpCaseGivesSameResult(t *testing.T) {
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

// ENTRA-PATCH-2: operations apply in order against one snapshot, all or nothing.
func TestOperationsApplyInOrderAllOrNothing(t *testing.T) {
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

// ENTRA-PATCH-9, ENTRA-FLAG-4, TRAP-12, TRAP-13: path-less value keys are paths; complex values merge; id, schemas and meta are ignored.
func TestPathlessValueKeysArePaths(t *testing.T) {
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

// ENTRA-PATCH-12, TRAP-9: unknown attributes are skipped and reported, the rest applies; strict fails with invalidPath.
func TestUnknownAttributesSkippedUnlessStrict(t *testing.T) {
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

// RFC-MUT-1: id, meta and groups cannot be patched; immutable attributes may be set once and re-sent unchanged.
func TestReadOnlyAndImmutableAttributes(t *testing.T) {
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

// RFC-PATCH-1: emptied lists, complex values and extensions leave no key.
func TestEmptiedValuesLeaveNoKey(t *testing.T) {
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

// RFC-PATCH-1: Apply copies only what it changes, so a PATCH is atomic without copying the resource.
func TestApplyCopiesOnlyWhatItChanges(t *testing.T) {
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
