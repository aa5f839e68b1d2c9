package patch

import (
	"strings"
	"testing"

	"github.com/scimkit/scimkit/schema"
)

// ENTRA-PATCH-6: URN-qualified enterprise attributes, URN matched ignoring case, extension created when absent.
func TestEnterpriseExtensionPaths(t *testing.T) {
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

// ENTRA-PATCH-7, TRAP-11: manager as bare string, object or one-element array is stored as {"value": id}.
func TestManagerFormsStoredAsObject(t *testing.T) {
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

// ENTRA-PATCH-8: every manager removal form works, and a removal naming another manager is a no-op.
func TestRemoveManagerInEveryForm(t *testing.T) {
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
