package bench

import (
	"net/http"
	"strings"
	"testing"
)

func TestElimityHandlersBehaveLikeAStore(t *testing.T) {
	el := newServer(t, "elimity")
	ids, err := CreateUsers(el.Handler, nil, 0, 5, nil)
	if err != nil {
		t.Fatal(err)
	}
	// Duplicate userName, ignoring case: 409.
	dup := strings.Replace(string(EntraUserJSON(2)), "user000002@", "USER000002@", 1)
	if rec := Do(el.Handler, http.MethodPost, "/Users", []byte(dup), nil); rec.Code != http.StatusConflict {
		t.Errorf("duplicate userName: status %d, want 409", rec.Code)
	}
	// Pages keep creation order.
	lr := decode(t, doOK(t, el, http.MethodGet, "/Users?startIndex=2&count=2", nil, http.StatusOK).Body.Bytes())
	res, _ := lr["Resources"].([]any)
	if lr["totalResults"] != 5.0 || len(res) != 2 || res[0].(map[string]any)["id"] != ids[1] || res[1].(map[string]any)["id"] != ids[2] {
		t.Errorf("page 2..3: %v", lr)
	}
	// A user PATCH replaces attributes; an unsupported one answers 501.
	patch := `{"schemas":["` + patchOpSchemaURN + `"],"Operations":[{"op":"replace","path":"active","value":false}]}`
	u := decode(t, doOK(t, el, http.MethodPatch, "/Users/"+ids[0], []byte(patch), http.StatusOK).Body.Bytes())
	if u["active"] != false || u["userName"] != UserName(0) {
		t.Errorf("after PATCH active=false: %v", u)
	}
	patch = `{"schemas":["` + patchOpSchemaURN + `"],"Operations":[{"op":"remove","path":"emails"}]}`
	doOK(t, el, http.MethodPatch, "/Users/"+ids[0], []byte(patch), http.StatusNotImplemented)
	// Delete frees the userName.
	doOK(t, el, http.MethodDelete, "/Users/"+ids[2], nil, http.StatusNoContent)
	doOK(t, el, http.MethodGet, "/Users/"+ids[2], nil, http.StatusNotFound)
	doOK(t, el, http.MethodPost, "/Users", EntraUserJSON(2), http.StatusCreated)
}

func TestElimityGroupPatchAppliesMemberChanges(t *testing.T) {
	groups := NewElimityGroups()
	h, err := NewElimityServer(NewElimityUsers(), groups)
	if err != nil {
		t.Fatal(err)
	}
	el := &Server{Name: "elimity", Handler: h}
	gid, err := CreateGroup(h, nil, "Sales", []string{"a", "b"})
	if err != nil {
		t.Fatal(err)
	}
	members := func() []string {
		t.Helper()
		m, err := groups.Members(gid)
		if err != nil {
			t.Fatal(err)
		}
		return m
	}
	// Entra's shape: add by path; a present member is not added twice.
	doOK(t, el, http.MethodPatch, "/Groups/"+gid, AddMemberJSON("c"), http.StatusOK)
	doOK(t, el, http.MethodPatch, "/Groups/"+gid, AddMemberJSON("c"), http.StatusNoContent)
	// Okta's shape: no path, members in the value.
	noPath := `{"schemas":["` + patchOpSchemaURN + `"],"Operations":[{"op":"add","value":{"members":[{"value":"d"}]}}]}`
	doOK(t, el, http.MethodPatch, "/Groups/"+gid, []byte(noPath), http.StatusOK)
	if got := members(); !sameSet(got, []string{"a", "b", "c", "d"}) {
		t.Fatalf("members after adds: %v", got)
	}
	// Entra's remove: path members with a value list; Okta's: a value filter.
	rm := `{"schemas":["` + patchOpSchemaURN + `"],"Operations":[{"op":"remove","path":"members","value":[{"value":"a"}]}]}`
	doOK(t, el, http.MethodPatch, "/Groups/"+gid, []byte(rm), http.StatusOK)
	doOK(t, el, http.MethodPatch, "/Groups/"+gid, RemoveMemberJSON("c"), http.StatusOK)
	doOK(t, el, http.MethodPatch, "/Groups/"+gid, RemoveMemberJSON("zz"), http.StatusNoContent)
	if got := members(); !sameSet(got, []string{"b", "d"}) {
		t.Fatalf("members after removes: %v", got)
	}
	rename := `{"schemas":["` + patchOpSchemaURN + `"],"Operations":[{"op":"replace","path":"displayName","value":"Sales EU"}]}`
	g := decode(t, doOK(t, el, http.MethodPatch, "/Groups/"+gid, []byte(rename), http.StatusOK).Body.Bytes())
	if g["displayName"] != "Sales EU" {
		t.Errorf("after rename: %v", g)
	}
	if _, err := groups.Members("nope"); err == nil {
		t.Error("Members of an unknown group succeeded")
	}
	doOK(t, el, http.MethodPatch, "/Groups/nope", AddMemberJSON("x"), http.StatusNotFound)
}
