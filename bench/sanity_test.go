package bench

import (
	"encoding/json"
	"net/http"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// TestSameUserOnBothServers checks that the GET benchmark is fair: for the
// same id, scimkit and elimity return the same user, attribute for attribute.
// Only the server-generated timestamps and version strings in meta may differ.
func TestSameUserOnBothServers(t *testing.T) {
	sk, el, ids := newPair(t, 3)
	for i, id := range ids {
		a := decode(t, doOK(t, sk, http.MethodGet, "/Users/"+id, nil, http.StatusOK).Body.Bytes())
		b := decode(t, doOK(t, el, http.MethodGet, "/Users/"+id, nil, http.StatusOK).Body.Bytes())
		if a["userName"] != UserName(i) || a["id"] != id {
			t.Fatalf("scimkit returned %v for user %d", a, i)
		}
		ma, mb := a["meta"].(map[string]any), b["meta"].(map[string]any)
		for _, k := range []string{"resourceType", "location"} {
			if ma[k] != mb[k] || ma[k] == nil {
				t.Errorf("user %d: meta.%s: scimkit %v, elimity %v", i, k, ma[k], mb[k])
			}
		}
		delete(a, "meta")
		delete(b, "meta")
		if !reflect.DeepEqual(a, b) {
			sa, _ := json.MarshalIndent(a, "", " ")
			sb, _ := json.MarshalIndent(b, "", " ")
			t.Errorf("user %d differs:\nscimkit: %s\nelimity: %s", i, sa, sb)
		}
	}
}

// TestSameFilterResultOnBothServers checks the filter benchmark's query: both
// servers find exactly the one user, with the same id.
func TestSameFilterResultOnBothServers(t *testing.T) {
	sk, el, ids := newPair(t, 20)
	for _, i := range []int{0, 7, 19} {
		for _, s := range []*Server{sk, el} {
			lr := decode(t, doOK(t, s, http.MethodGet, UserNameFilterPath(UserName(i)), nil, http.StatusOK).Body.Bytes())
			res, _ := lr["Resources"].([]any)
			if lr["totalResults"] != 1.0 || len(res) != 1 || res[0].(map[string]any)["id"] != ids[i] {
				t.Errorf("%s: filter for user %d: %v", s.Name, i, lr)
			}
		}
	}
	// An upper-case query finds the user too: userName is case-insensitive.
	for _, s := range []*Server{sk, el} {
		lr := decode(t, doOK(t, s, http.MethodGet, UserNameFilterPath(strings.ToUpper(UserName(3))), nil, http.StatusOK).Body.Bytes())
		if lr["totalResults"] != 1.0 {
			t.Errorf("%s: case-insensitive userName filter: %v", s.Name, lr)
		}
	}
}

// TestSamePatchEffectOnBothServers checks the PATCH benchmark's request: on
// both servers it adds the member once (a second add changes nothing), and
// the remove request of the load scenario takes it out again.
func TestSamePatchEffectOnBothServers(t *testing.T) {
	sk, el, ids := newPair(t, 6)
	for _, s := range []*Server{sk, el} {
		gid, err := CreateGroup(s.Handler, s.Header, "Engineering", ids[:4])
		if err != nil {
			t.Fatal(err)
		}
		for range 2 {
			rec := Do(s.Handler, http.MethodPatch, "/Groups/"+gid, AddMemberJSON(ids[5]), s.Header)
			if rec.Code != http.StatusOK && rec.Code != http.StatusNoContent {
				t.Fatalf("%s: add: status %d: %s", s.Name, rec.Code, rec.Body.Bytes())
			}
		}
		if got, want := memberIDs(t, s, gid), append(slices.Clone(ids[:4]), ids[5]); !sameSet(got, want) {
			t.Errorf("%s: members after add: %v, want %v", s.Name, got, want)
		}
		rec := Do(s.Handler, http.MethodPatch, "/Groups/"+gid, RemoveMemberJSON(ids[0]), s.Header)
		if rec.Code != http.StatusOK && rec.Code != http.StatusNoContent {
			t.Fatalf("%s: remove: status %d: %s", s.Name, rec.Code, rec.Body.Bytes())
		}
		if got, want := memberIDs(t, s, gid), []string{ids[1], ids[2], ids[3], ids[5]}; !sameSet(got, want) {
			t.Errorf("%s: members after remove: %v, want %v", s.Name, got, want)
		}
		doOK(t, s, http.MethodPut, "/Groups/"+gid, GroupJSON("Engineering", ids[:2]), http.StatusOK)
		if got := memberIDs(t, s, gid); !sameSet(got, ids[:2]) {
			t.Errorf("%s: members after PUT: %v, want %v", s.Name, got, ids[:2])
		}
	}
}

func memberIDs(t *testing.T, s *Server, gid string) []string {
	t.Helper()
	g := decode(t, doOK(t, s, http.MethodGet, "/Groups/"+gid, nil, http.StatusOK).Body.Bytes())
	var ids []string
	ms, _ := g["members"].([]any)
	for _, m := range ms {
		ids = append(ids, m.(map[string]any)["value"].(string))
	}
	return ids
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func decode(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatalf("bad JSON %q: %v", b, err)
	}
	return m
}
