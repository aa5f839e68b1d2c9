package patch

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/scimkit/scimkit/schema"
)

func parseErr(t *testing.T, b string) *Error {
	t.Helper()
	req, err := Parse([]byte(b))
	if err == nil {
		t.Fatalf("Parse(%.80s) = %+v, want an error", b, req)
	}
	var pe *Error
	if !errors.As(err, &pe) {
		t.Fatalf("error %v is %T, want *patch.Error", err, err)
	}
	return pe
}

// RFC-ERR-1, RFC-CT-2: every malformed body is a 400 with the right scimType, naming the operation.
func TestParseErrorsNameTheOperation(t *testing.T) {
	op := `{"op":"replace","path":"title","value":"x"}`
	cases := []struct {
		name, body string
		typ        schema.ScimType
		index      int
		detail     string // substring of Error()
	}{
		{"empty body", ``, schema.ScimInvalidSyntax, -1, "empty request body"},
		{"blank body", " \n", schema.ScimInvalidSyntax, -1, "empty request body"},
		{"not an object", `[` + op + `]`, schema.ScimInvalidSyntax, -1, "expected a JSON object"},
		{"truncated", `{"Operations":[` + op, schema.ScimInvalidSyntax, -1, "end of input"},
		{"trailing garbage", body(op) + `x`, schema.ScimInvalidSyntax, -1, "expected the end of the body"},
		{"two documents", body(op) + body(op), schema.ScimInvalidSyntax, -1, "expected the end of the body"},
		{"single quotes", `{'Operations':[]}`, schema.ScimInvalidSyntax, -1, "member name"},
		{"trailing comma", `{"Operations":[` + op + `,]}`, schema.ScimInvalidSyntax, 1, "must be a JSON object"},
		{"trailing comma in value", body(`{"op":"add","path":"emails","value":[{"value":"a"},]}`), schema.ScimInvalidSyntax, 0, "expected a value"},
		{"no Operations", `{"schemas":["` + sPatch + `"]}`, schema.ScimInvalidSyntax, -1, `no "Operations"`},
		{"Operations empty", body(``), schema.ScimInvalidSyntax, -1, "is empty"},
		{"Operations object", `{"Operations":{}}`, schema.ScimInvalidSyntax, -1, "must be an array"},
		{"Operations null", `{"Operations":null}`, schema.ScimInvalidSyntax, -1, "must be an array"},
		{"schemas wrong", `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"Operations":[` + op + `]}`, schema.ScimInvalidSyntax, -1, "does not contain"},
		{"schemas empty", `{"schemas":[],"Operations":[` + op + `]}`, schema.ScimInvalidSyntax, -1, "does not contain"},
		{"schemas string", `{"schemas":"` + sPatch + `","Operations":[` + op + `]}`, schema.ScimInvalidSyntax, -1, "array of strings"},
		{"schemas number element", `{"schemas":[1],"Operations":[` + op + `]}`, schema.ScimInvalidSyntax, -1, "array of strings"},
		{"operation not object", body(op + `,"add"`), schema.ScimInvalidSyntax, 1, "must be a JSON object"},
		{"no op", body(op + `,{"path":"title","value":"x"}`), schema.ScimInvalidSyntax, 1, `no "op"`},
		{"unknown op", body(`{"op":"copy","path":"title","value":"x"}`), schema.ScimInvalidSyntax, 0, `unknown op "copy"`},
		{"op number", body(`{"op":1,"path":"title","value":"x"}`), schema.ScimInvalidSyntax, 0, `"op" must be a string`},
		{"op null", body(`{"op":null,"path":"title","value":"x"}`), schema.ScimInvalidSyntax, 0, `"op" must be a string`},
		{"path number", body(op + `,{"op":"add","path":7,"value":"x"}`), schema.ScimInvalidPath, 1, `"path" must be a string`},
		{"path syntax", body(op + `,` + op + `,{"op":"add","path":"emails[type eq","value":"x"}`), schema.ScimInvalidPath, 2, "invalid path"},
		{"path bad name", body(`{"op":"add","path":"1title","value":"x"}`), schema.ScimInvalidPath, 0, "invalid path"},
		{"path id", body(`{"op":"replace","path":"id","value":"x"}`), schema.ScimMutability, 0, "read-only"},
		{"path meta", body(`{"op":"remove","path":"META.lastModified"}`), schema.ScimMutability, 0, "read-only"},
		{"add without value", body(`{"op":"add","path":"title"}`), schema.ScimInvalidValue, 0, "needs a value"},
		{"replace without value", body(op + `,{"op":"Replace","path":"title"}`), schema.ScimInvalidValue, 1, "needs a value"},
		{"path-less string", body(`{"op":"replace","value":"x"}`), schema.ScimInvalidValue, 0, "needs an object value"},
		{"path-less null", body(`{"op":"add","value":null}`), schema.ScimInvalidValue, 0, "needs an object value"},
		{"path-less array", body(`{"op":"add","value":[{"title":"x"}]}`), schema.ScimInvalidValue, 0, "needs an object value"},
		{"remove without path", body(op + `,{"op":"remove"}`), schema.ScimNoTarget, 1, "remove needs a path"},
		{"remove blank path", body(`{"op":"remove","path":"  "}`), schema.ScimNoTarget, 0, "remove needs a path"},
		{"remove null path", body(`{"op":"remove","path":null,"value":[{"value":"u-1"}]}`), schema.ScimNoTarget, 0, "remove needs a path"},
		{"bad number", body(`{"op":"add","path":"title","value":01}`), schema.ScimInvalidSyntax, 0, "invalid JSON"},
		{"bad number 2", body(`{"op":"add","path":"title","value":-}`), schema.ScimInvalidSyntax, 0, "expected a digit"},
		{"bad number 3", body(`{"op":"add","path":"title","value":1.e3}`), schema.ScimInvalidSyntax, 0, "expected a digit"},
		{"bad literal", body(`{"op":"add","path":"title","value":tru}`), schema.ScimInvalidSyntax, 0, "expected a value"},
		{"bad escape", body(`{"op":"add","path":"title","value":"a\qb"}`), schema.ScimInvalidSyntax, 0, "invalid escape"},
		{"bad unicode escape", body(`{"op":"add","path":"title","value":"\u12"}`), schema.ScimInvalidSyntax, 0, "invalid escape"},
		{"control character", body("{\"op\":\"add\",\"path\":\"title\",\"value\":\"a\tb\"}"), schema.ScimInvalidSyntax, 0, "control character"},
		{"unterminated string", `{"Operations":[{"op":"add","path":"title","value":"abc`, schema.ScimInvalidSyntax, 0, "unterminated string"},
		{"missing colon", body(`{"op" "add"}`), schema.ScimInvalidSyntax, 0, `expected ":"`},
		{"deep nesting", body(`{"op":"add","path":"title","value":` + strings.Repeat(`[`, 100000) + `}`), schema.ScimInvalidSyntax, 0, "deeper than 32 levels"},
		{"deep nesting objects", body(`{"op":"add","path":"title","value":` + strings.Repeat(`{"a":`, 40) + `1` + strings.Repeat(`}`, 40) + `}`), schema.ScimInvalidSyntax, 0, "deeper than"},
		{"too many operations", body(strings.TrimSuffix(strings.Repeat(op+",", MaxOperations+1), ",")), schema.ScimInvalidValue, -1, "more than 1000 operations"},
		{"deep nesting elsewhere", `{"x":` + strings.Repeat(`[`, 5000) + `}`, schema.ScimInvalidSyntax, -1, "deeper than"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			pe := parseErr(t, c.body)
			if pe.Type != c.typ || pe.Index != c.index {
				t.Errorf("got %v (%s at %d), want %s at %d", pe, pe.Type, pe.Index, c.typ, c.index)
			}
			if !strings.Contains(pe.Error(), c.detail) {
				t.Errorf("error %q does not contain %q", pe.Error(), c.detail)
			}
		})
	}
}

// RFC-PATCH-1: what Parse accepts and how it decodes it.
func TestParseAccepts(t *testing.T) {
	t.Run("schemas missing or null is tolerated", func(t *testing.T) {
		for _, b := range []string{
			`{"Operations":[{"op":"add","path":"title","value":"x"}]}`,
			`{"schemas":null,"Operations":[{"op":"add","path":"title","value":"x"}]}`,
			`{"schemas":["urn:x","URN:IETF:PARAMS:SCIM:API:MESSAGES:2.0:PATCHOP"],"Operations":[{"op":"add","path":"title","value":"x"}]}`,
		} {
			if _, err := Parse([]byte(b)); err != nil {
				t.Errorf("Parse(%s): %v", b, err)
			}
		}
	})
	t.Run("member names ignore case, unknown members ignored", func(t *testing.T) {
		req, err := Parse([]byte(`{"SCHEMAS":["` + sPatch + `"],"extra":{"a":[1,2,{"b":null}]},"operations":[{"OP":"Add","Path":"title","VALUE":"x","id":7}]}`))
		if err != nil {
			t.Fatal(err)
		}
		op := req.Operations[0]
		if op.Op != OpAdd || op.RawPath != "title" || op.Value != "x" || !op.HasValue || op.Path == nil || op.Path.Attr.Name != "title" {
			t.Errorf("got %+v", op)
		}
	})
	t.Run("values kept exactly", func(t *testing.T) {
		req, err := Parse([]byte(body(`{"op":"add","path":"x","value":{"n":12345678901234567890.50,"e":1E+400,"neg":-0,"s":"a\"b\u00e9\ud83d\ude00","t":true,"f":false,"z":null,"l":[]}}`)))
		if err != nil {
			t.Fatal(err)
		}
		v := req.Operations[0].Value.(map[string]any)
		want := map[string]any{"n": json.Number("12345678901234567890.50"), "e": json.Number("1E+400"), "neg": json.Number("-0"),
			"s": "a\"bé😀", "t": true, "f": false, "z": nil, "l": []any{}}
		for k, w := range want {
			if got, ok := v[k]; !ok || mustJSON(t, got) != mustJSON(t, w) || (w != nil && got == nil) {
				t.Errorf("%s = %#v, want %#v", k, got, w)
			}
		}
		if _, ok := v["z"]; !ok {
			t.Errorf("null member dropped")
		}
	})
	t.Run("invalid UTF-8 becomes U+FFFD", func(t *testing.T) {
		req, err := Parse([]byte(body(`{"op":"add","path":"title","value":"a` + "\xff" + `b"}`)))
		if err != nil {
			t.Fatal(err)
		}
		if v := req.Operations[0].Value; v != "a\uFFFDb" {
			t.Errorf("value %q", v)
		}
	})
	t.Run("value null is present but nil", func(t *testing.T) {
		req, err := Parse([]byte(body(`{"op":"replace","path":"title","value":null}`)))
		if err != nil {
			t.Fatal(err)
		}
		if op := req.Operations[0]; !op.HasValue || op.Value != nil {
			t.Errorf("got %+v", op)
		}
	})
	t.Run("paths", func(t *testing.T) {
		req, err := Parse([]byte(body(`{"op":"Replace","path":" emails[type eq \"work\"].value ","value":"a@b"},
			{"op":"remove","path":"members[value eq \"u-7\"]"},{"op":"add","value":{"title":"x"}},{"op":"add","path":"","value":{"title":"y"}}`)))
		if err != nil {
			t.Fatal(err)
		}
		ops := req.Operations
		if p := ops[0].Path; p == nil || p.Attr.Name != "emails" || p.Sub != "value" || p.Filter == nil || ops[0].RawPath != `emails[type eq "work"].value` {
			t.Errorf("op 0: %+v", ops[0])
		}
		if p := ops[1].Path; p == nil || p.Attr.Name != "members" || p.Filter == nil {
			t.Errorf("op 1: %+v", ops[1])
		}
		if ops[2].Path != nil || ops[3].Path != nil || ops[3].RawPath != "" {
			t.Errorf("ops 2, 3: %+v %+v", ops[2], ops[3])
		}
	})
	t.Run("remove may carry a value", func(t *testing.T) {
		req, err := Parse([]byte(body(`{"op":"Remove","path":"members","value":[{"$ref":null,"value":"u-7"}]}`)))
		if err != nil {
			t.Fatal(err)
		}
		if op := req.Operations[0]; op.Op != OpRemove || !op.HasValue {
			t.Errorf("got %+v", op)
		}
	})
}

// ENTRA-PATCH-1, ENTRA-FLAG-1, TRAP-3: op names are read in any letter case.
func TestParseOpInAnyCase(t *testing.T) {
	for in, want := range map[string]string{
		"add": OpAdd, "Add": OpAdd, "ADD": OpAdd, "aDd": OpAdd,
		"replace": OpReplace, "Replace": OpReplace, "REPLACE": OpReplace,
		"remove": OpRemove, "Remove": OpRemove, "REMOVE": OpRemove,
	} {
		req, err := Parse([]byte(body(`{"op":"` + in + `","path":"title","value":"Lead"}`)))
		if err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if got := req.Operations[0].Op; got != want {
			t.Errorf("op %q parsed as %q, want %q", in, got, want)
		}
	}
}

// TRAP-3: an unknown op is a 400 invalidSyntax, never skipped with 200.
func TestParseRejectsUnknownOp(t *testing.T) {
	for _, op := range []string{"Copy", "move", "test", "", "add ", "delete"} {
		pe := parseErr(t, body(`{"op":"add","path":"title","value":"x"},{"op":"`+op+`","path":"title","value":"x"}`))
		if pe.Type != schema.ScimInvalidSyntax || pe.Index != 1 {
			t.Errorf("op %q: %v", op, pe)
		}
	}
}

func TestErrorText(t *testing.T) {
	if got := (&Error{Index: -1, Type: schema.ScimInvalidSyntax, Detail: "d"}).Error(); got != "patch: d" {
		t.Errorf("got %q", got)
	}
	if got := (&Error{Index: 3, Type: schema.ScimNoTarget, Detail: "d"}).Error(); got != "patch: operation 3: d" {
		t.Errorf("got %q", got)
	}
	long := strings.Repeat("é", 130)
	pe := parseErr(t, body(`{"op":"`+long+`"}`))
	if strings.Contains(pe.Detail, long) || !strings.Contains(pe.Detail, "…") {
		t.Errorf("long op not clipped: %q", pe.Detail)
	}
}

func TestParseMaxOperations(t *testing.T) {
	op := `{"op":"add","path":"title","value":"x"}`
	req, err := Parse([]byte(body(strings.TrimSuffix(strings.Repeat(op+",", MaxOperations), ","))))
	if err != nil || len(req.Operations) != MaxOperations {
		t.Fatalf("%d operations: %v", MaxOperations, err)
	}
}

// TestStringsMatchEncodingJSON: the string decoder agrees with encoding/json on
// escapes, surrogate pairs, lone surrogates and invalid UTF-8.
func TestStringsMatchEncodingJSON(t *testing.T) {
	pieces := []string{`a`, `\"`, `\\`, `\/`, `\b`, `\f`, `\n`, `\r`, `\t`, `\u00e9`, `\u00E9`, `\ud83d\ude00`, `\ud83d`, `\ude00`,
		`\ud83dx`, `\ud83d\u0041`, `é`, "\xff", "\xe2\x82", `\u`, `\u12`, `\x`, `\`, "\u2028", `\u0000`, ` `}
	rng := rand.New(rand.NewPCG(9, 10))
	for range 20000 {
		var b strings.Builder
		for range rng.IntN(6) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		lit := `"` + b.String() + `"`
		var want string
		wantErr := json.Unmarshal([]byte(lit), &want)
		d := decoder{s: lit, index: -1}
		got, err := d.str(false)
		if err == nil && d.pos < len(lit) {
			// The string ended early; the rest is not part of it.
			if wantErr == nil {
				t.Fatalf("%q: ended at %d, but encoding/json reads it whole", lit, d.pos)
			}
			continue
		}
		if (err != nil) != (wantErr != nil) || err == nil && got != want {
			t.Fatalf("%q: got %q, %v; encoding/json %q, %v", lit, got, err, want, wantErr)
		}
	}
}
