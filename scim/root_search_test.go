package scim_test

import (
	"strings"
	"testing"
)

// POST /.search at the root searches Users and then Groups (RFC 7644 section
// 3.4.3): a filter is applied to the resource types whose attributes it names, and
// paging runs over the users followed by the groups.
func TestRootSearchFindsUsersAndGroups(t *testing.T) {
	h, _ := newHandler(t)
	a := mustCreate(t, h, user("a@x.example"))
	mustCreate(t, h, user("b@x.example"))
	groupWith(t, h, "Alpha", a)
	groupWith(t, h, "Beta")
	kinds := func(body map[string]any) (string, int) {
		r := call(t, h, "POST", "/.search", body).want(t, 200)
		var out []string
		for _, res := range r.JSON["Resources"].([]any) {
			out = append(out, str(res, "meta.resourceType")+":"+str(res, "userName")+str(res, "displayName"))
		}
		return strings.Join(out, " "), num(r.JSON["totalResults"])
	}
	check := func(body map[string]any, want string, total int) {
		t.Helper()
		if got, n := kinds(body); got != want || n != total {
			t.Errorf("search %v: %q (total %d), want %q (total %d)", body, got, n, want, total)
		}
	}
	check(map[string]any{}, "User:a@x.example User:b@x.example Group:Alpha Group:Beta", 4)
	check(map[string]any{"startIndex": 2, "count": 2}, "User:b@x.example Group:Alpha", 4)
	check(map[string]any{"startIndex": 4}, "Group:Beta", 4)
	check(map[string]any{"count": 0}, "", 4)
	check(map[string]any{"filter": `userName sw "a"`}, "User:a@x.example", 1)
	check(map[string]any{"filter": `members pr`}, "Group:Alpha", 1)
	check(map[string]any{"filter": `meta.resourceType eq "Group"`, "attributes": []any{"displayName"}}, ":Alpha :Beta", 2) // meta projected away
	call(t, h, "POST", "/.search", map[string]any{"filter": `nothing eq "x"`}).want(t, 400)
	call(t, h, "POST", "/.search", map[string]any{"filter": `userName eq`}).want(t, 400, "invalidFilter")
}
