package patch

import (
	"testing"

	"github.com/scimkit/scimkit/schema"
)

// ENTRA-PATCH-3, ENTRA-FLAG-2, TRAP-15: "True"/"False" in any case are Booleans where the schema says boolean, unless strict.
func TestStringBooleansAreBooleans(t *testing.T) {
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

// TRAP-15: "False" never reads as true (truthiness).
func TestStringFalseIsFalse(t *testing.T) {
	out := runCase(t, tc{ops: `{"op":"Replace","path":"active","value":"False"}`, want: edit(t, entraUser, `{"active":false}`)})
	if out["active"] != false {
		t.Fatalf("active = %#v", out["active"])
	}
}

// OKTA-USER-6: Okta deactivates with a path-less replace of active false.
func TestPathlessReplaceDeactivates(t *testing.T) {
	runCase(t, tc{ops: `{"schemas":["` + sPatch + `"],"Operations":[{"op":"replace","value":{"active":false}}]}`,
		want: edit(t, entraUser, `{"active":false}`), changed: []string{"active"}})
}

// OKTA-USER-7: Okta reactivates with a path-less replace of active true.
func TestPathlessReplaceReactivates(t *testing.T) {
	inactive := edit(t, entraUser, `{"active":false}`)
	runCase(t, tc{res: inactive, ops: `{"op":"replace","value":{"active":true}}`, want: entraUser, changed: []string{"active"}})
}
