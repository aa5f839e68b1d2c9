package scim_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/scim/memstore"
)

// textStore is memstore behind the rule of a PostgreSQL text column: it fails with a
// plain error, which the Handler answers with 500, on any id or string value holding
// U+0000 or invalid UTF-8 ("invalid byte sequence for encoding UTF8", SQLSTATE 22021).
type textStore struct {
	*memstore.Store
	t *testing.T
}

// check fails the test when v holds a string PostgreSQL cannot store.
func (s textStore) check(what string, v any) {
	s.t.Helper()
	var walk func(reflect.Value) bool
	walk = func(v reflect.Value) bool {
		switch v.Kind() {
		case reflect.String:
			return strings.ContainsRune(v.String(), 0) || !utf8.ValidString(v.String())
		case reflect.Pointer, reflect.Interface:
			return !v.IsNil() && walk(v.Elem())
		case reflect.Struct:
			for i := range v.NumField() {
				if walk(v.Field(i)) {
					return true
				}
			}
		case reflect.Slice, reflect.Array:
			for i := range v.Len() {
				if walk(v.Index(i)) {
					return true
				}
			}
		case reflect.Map:
			for it := v.MapRange(); it.Next(); {
				if walk(it.Key()) || walk(it.Value()) {
					return true
				}
			}
		}
		return false
	}
	if walk(reflect.ValueOf(v)) {
		s.t.Errorf("%s reached the store with a string PostgreSQL cannot hold: %#v", what, v)
	}
}

func (s textStore) CreateUser(ctx context.Context, u *scim.User) (*scim.User, error) {
	s.check("CreateUser", u)
	return s.Store.CreateUser(ctx, u)
}

func (s textStore) GetUser(ctx context.Context, id string) (*scim.User, error) {
	s.check("GetUser", id)
	return s.Store.GetUser(ctx, id)
}

func (s textStore) ReplaceUser(ctx context.Context, u *scim.User, ifMatch string) (*scim.User, error) {
	s.check("ReplaceUser", u)
	return s.Store.ReplaceUser(ctx, u, ifMatch)
}

func (s textStore) DeleteUser(ctx context.Context, id, ifMatch string) error {
	s.check("DeleteUser", id)
	return s.Store.DeleteUser(ctx, id, ifMatch)
}

func (s textStore) CreateGroup(ctx context.Context, g *scim.Group) (*scim.Group, error) {
	s.check("CreateGroup", g)
	return s.Store.CreateGroup(ctx, g)
}

func (s textStore) GetGroup(ctx context.Context, id string, p scim.Projection) (*scim.Group, error) {
	s.check("GetGroup", id)
	return s.Store.GetGroup(ctx, id, p)
}

func (s textStore) ReplaceGroup(ctx context.Context, g *scim.Group, ifMatch string) (*scim.Group, error) {
	s.check("ReplaceGroup", g)
	return s.Store.ReplaceGroup(ctx, g, ifMatch)
}

func (s textStore) DeleteGroup(ctx context.Context, id, ifMatch string) error {
	s.check("DeleteGroup", id)
	return s.Store.DeleteGroup(ctx, id, ifMatch)
}

func (s textStore) PatchMembers(ctx context.Context, id string, c scim.MemberChange, ifMatch string) (string, error) {
	s.check("PatchMembers", []any{id, c})
	return s.Store.PatchMembers(ctx, id, c, ifMatch)
}

// TestRFC_ERR_2_NULAndInvalidUTF8NeverReachTheStore sends ids and values that a SQL
// store cannot hold: the Handler answers 404 for such an id (no resource can have it)
// and 400 invalidValue for such a value, and never hands either to the store, which
// would fail with a 500. Invalid UTF-8 inside a JSON body is read as U+FFFD by the
// JSON decoder, so only ids need the UTF-8 check.
func TestRFC_ERR_2_NULAndInvalidUTF8NeverReachTheStore(t *testing.T) {
	st := textStore{Store: memstore.New(memstore.Options{}), t: t}
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
