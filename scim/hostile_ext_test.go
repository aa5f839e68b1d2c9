package scim_test

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/scim/memstore"
)

// pgText fails the test when a store call gets an id or a string value that a
// PostgreSQL text column refuses (U+0000 or invalid UTF-8: "invalid byte sequence for
// encoding UTF8", SQLSTATE 22021), which a SQL store would answer with a 500.
func pgText(t *testing.T) func(method string, arg any) {
	var bad func(reflect.Value) bool
	bad = func(v reflect.Value) bool {
		switch v.Kind() {
		case reflect.String:
			return strings.ContainsRune(v.String(), 0) || !utf8.ValidString(v.String())
		case reflect.Pointer, reflect.Interface:
			return !v.IsNil() && bad(v.Elem())
		case reflect.Struct:
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() && bad(v.Field(i)) {
					return true
				}
			}
		case reflect.Slice, reflect.Array:
			for i := range v.Len() {
				if bad(v.Index(i)) {
					return true
				}
			}
		case reflect.Map:
			for it := v.MapRange(); it.Next(); {
				if bad(it.Key()) || bad(it.Value()) {
					return true
				}
			}
		}
		return false
	}
	return func(method string, arg any) {
		if arg != nil && bad(reflect.ValueOf(arg)) {
			t.Errorf("%s reached the store with a string PostgreSQL cannot hold: %#v", method, arg)
		}
	}
}

// TestNULAndInvalidUTF8NeverReachTheStore sends ids and values that a SQL
// store cannot hold: the Handler answers 404 for such an id (no resource can have it)
// and 400 invalidValue for such a value, and never hands either to the store, which
// would fail with a 500. Invalid UTF-8 inside a JSON body is read as U+FFFD by the
// JSON decoder, so only ids need the UTF-8 check.
// RFC-ERR-2: ids and values a SQL store cannot hold are 404 or 400 at the Handler, never a 500 from the store.
func TestNULAndInvalidUTF8NeverReachTheStore(t *testing.T) {
	st := &recordingStore{Store: memstore.New(memstore.Options{}), inspect: pgText(t)}
	h, err := scim.NewHandler(scim.Config{Users: st, Groups: st, Auth: scim.StaticToken(token)})
	if err != nil {
		t.Fatal(err)
	}
	id := mustCreate(t, h, user("ok@x.example"))
	g := str(call(t, h, "POST", "/Groups", map[string]any{"displayName": "G"}).want(t, 201).JSON, "id")
	patchTitle := `{"Operations":[{"op":"replace","path":"title","value":"x"}]}`
	for _, p := range []string{"/Users/%00", "/Users/a%00b", "/Users/a%FFb", "/Groups/%00", "/Groups/%C0%AF"} {
		call(t, h, "GET", p, nil).want(t, 404)
		call(t, h, "DELETE", p, nil).want(t, 404)
		call(t, h, "PATCH", p, patchTitle).want(t, 404)
		body := `{"userName":"x@x.example","displayName":"X"}`
		call(t, h, "PUT", p, body).want(t, 404)
		call(t, h, "POST", p, body).want(t, 405)
	}
	nul := `a\u0000b`
	for _, c := range []struct{ method, target, body string }{
		{"POST", "/Users", `{"userName":"` + nul + `"}`},
		{"POST", "/Users", `{"userName":"n@x.example","title":"` + nul + `"}`},
		{"POST", "/Users", `{"userName":"n@x.example","emails":[{"value":"` + nul + `"}]}`},
		{"POST", "/Users", `{"userName":"n@x.example","x\u0000":"1"}`},
		{"PUT", "/Users/" + id, `{"userName":"ok@x.example","nickName":"` + nul + `"}`},
		{"PATCH", "/Users/" + id, `{"Operations":[{"op":"replace","path":"title","value":"` + nul + `"}]}`},
		{"PATCH", "/Users/" + id, `{"Operations":[{"op":"replace","value":{"title":"` + nul + `"}}]}`},
		{"POST", "/Groups", `{"displayName":"` + nul + `"}`},
		{"POST", "/Groups", `{"displayName":"H","members":[{"value":"` + nul + `"}]}`},
		{"PATCH", "/Groups/" + g, `{"Operations":[{"op":"add","path":"members","value":[{"value":"` + nul + `"}]}]}`},
		{"PATCH", "/Groups/" + g, `{"Operations":[{"op":"replace","path":"displayName","value":"` + nul + `"}]}`},
		{"POST", "/Users/.search", `{"filter":"userName eq \"` + nul + `\""}`},
	} {
		r := call(t, h, c.method, c.target, c.body)
		if r.Code != 400 {
			t.Errorf("%s %s %s: status %d, want 400: %s", c.method, c.target, c.body, r.Code, r.Body)
			continue
		}
		r.want(t, 400)
		if st := r.JSON["scimType"]; st != "invalidValue" && st != "invalidFilter" {
			t.Errorf("%s %s: scimType %v", c.method, c.target, st)
		}
	}
	// An escaped backslash before "u0000" is not a NUL.
	r := call(t, h, "POST", "/Users", `{"userName":"back\\u0000slash@x.example"}`).want(t, 201)
	if str(r.JSON, "userName") != `back\u0000slash@x.example` {
		t.Errorf("userName %q", str(r.JSON, "userName"))
	}
}
