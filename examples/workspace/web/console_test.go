package web_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/scimkit/scimkit/examples/workspace/internal/testdb"
	"github.com/scimkit/scimkit/examples/workspace/store"
)

const enterpriseURN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"

// createUser provisions a user over SCIM and returns its id.
func createUser(t *testing.T, a *app, token, userName string, extra map[string]any) string {
	t.Helper()
	body := map[string]any{"schemas": []string{"urn:ietf:params:scim:schemas:core:2.0:User"}, "userName": userName, "active": true}
	for k, v := range extra {
		body[k] = v
	}
	var u struct{ ID string }
	if status := scimCall(t, a, token, "POST", "/Users", body, &u); status != http.StatusCreated {
		t.Fatalf("create %s: %d", userName, status)
	}
	return u.ID
}

func events(t *testing.T, a *app, q store.EventQuery) []store.Event {
	t.Helper()
	es, _, err := a.db.Events(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	return es
}

func TestFailedRequestsAreLoggedWithTheirReason(t *testing.T) {
	a := newApp(t)
	ctx := context.Background()
	token, _, _ := a.db.CreateLabeledToken(ctx, a.ws.ID, "Entra ID production")
	createUser(t, a, token, "ada@contoso.example", nil)
	if status := scimCall(t, a, token, "POST", "/Users", map[string]any{
		"schemas": []string{"urn:ietf:params:scim:schemas:core:2.0:User"}, "userName": "ada@contoso.example",
	}, nil); status != http.StatusConflict {
		t.Fatalf("duplicate create: %d", status)
	}
	es := events(t, a, store.EventQuery{Workspace: a.ws.ID, Result: "failed"})
	if len(es) != 1 {
		t.Fatalf("failed events: %+v", es)
	}
	e := es[0]
	if e.Status != 409 || e.ScimType != "uniqueness" || e.Detail == "" || e.ResourceName != "ada@contoso.example" ||
		e.Method != "POST" || e.Path != "/Users" || e.Operation != "create" || e.UserAgent != "Okta SCIM Client 1.0.0" {
		t.Errorf("logged failure: %+v", e)
	}

	// A revoked token's attempt lands in its workspace's log, named by its label.
	old, tok, _ := a.db.CreateLabeledToken(ctx, a.ws.ID, "Okta test")
	if err := a.db.RevokeToken(ctx, a.ws.ID, tok.ID); err != nil {
		t.Fatal(err)
	}
	if status := scimCall(t, a, old, "GET", "/Users", nil, nil); status != http.StatusUnauthorized {
		t.Fatalf("revoked token: %d", status)
	}
	es = events(t, a, store.EventQuery{Workspace: a.ws.ID, Operation: "authenticate"})
	if len(es) != 1 || es[0].Token != "Okta test (revoked)" || es[0].Status != 401 {
		t.Fatalf("revoked token's attempt: %+v", es)
	}
	b := a.browser(t)
	b.loginAdmin()
	_, page := b.get("/admin/workspaces/" + a.ws.ID)
	if strings.Contains(page, old) || !strings.Contains(page, "Token: Okta test (revoked)") || !strings.Contains(page, "uniqueness") {
		t.Errorf("page does not show the failures as expected")
	}

	// A token no workspace ever had goes to the admin index, by the hash's first digits only.
	unknown := "scimkit_" + strings.Repeat("x", 43)
	scimCall(t, a, unknown, "GET", "/Users", nil, nil)
	es = events(t, a, store.EventQuery{})
	if len(es) != 1 || !strings.HasPrefix(es[0].Token, "unknown token") || strings.Contains(es[0].Token, unknown) {
		t.Errorf("unknown token's attempt: %+v", es)
	}
	if _, index := b.get("/admin"); !strings.Contains(index, "unknown token") {
		t.Errorf("admin index lacks the refused request of an unknown token")
	}
}

func TestChangesShowShortNamesOldNewValuesAndMemberNames(t *testing.T) {
	a := newApp(t)
	token, _, _ := a.db.CreateLabeledToken(context.Background(), a.ws.ID, "Okta")
	ada := createUser(t, a, token, "ada@contoso.example", map[string]any{"title": "Engineer",
		enterpriseURN: map[string]any{"employeeNumber": "7"}})
	patch := func(ops ...any) {
		t.Helper()
		if status := scimCall(t, a, token, "PATCH", "/Users/"+ada, map[string]any{
			"schemas": []string{"urn:ietf:params:scim:api:messages:2.0:PatchOp"}, "Operations": ops}, nil); status != http.StatusOK {
			t.Fatalf("patch: %d", status)
		}
	}
	patch(map[string]any{"op": "replace", "path": "title", "value": "Manager"},
		map[string]any{"op": "replace", "path": enterpriseURN + ":employeeNumber", "value": "8"},
		map[string]any{"op": "add", "path": "urn:example:unknown:favouriteColour", "value": "blue"})
	e := events(t, a, store.EventQuery{Workspace: a.ws.ID, Limit: 1})[0]
	want := map[string]string{"title": "Engineer→Manager", "employeeNumber": "7→8"}
	for _, v := range e.Values {
		if want[v.Attribute] != v.Old+"→"+v.New {
			t.Errorf("value change %+v", v)
		}
		delete(want, v.Attribute)
	}
	if len(want) > 0 {
		t.Errorf("missing value changes %v in %+v", want, e.Values)
	}
	if strings.Join(e.Skipped, ",") != "favouriteColour" {
		t.Errorf("skipped attributes %q, want favouriteColour", e.Skipped)
	}
	for _, attr := range e.Attributes {
		if strings.HasPrefix(attr, "urn:") {
			t.Errorf("attribute shown with its URN: %q", attr)
		}
	}

	var ids []string
	for i := range 8 {
		ids = append(ids, createUser(t, a, token, fmt.Sprintf("p%d@contoso.example", i), nil))
	}
	var members []any
	for _, id := range ids {
		members = append(members, map[string]any{"value": id})
	}
	if status := scimCall(t, a, token, "POST", "/Groups", map[string]any{
		"schemas": []string{"urn:ietf:params:scim:schemas:core:2.0:Group"}, "displayName": "Finance", "members": members,
	}, nil); status != http.StatusCreated {
		t.Fatalf("create group: %d", status)
	}
	g := events(t, a, store.EventQuery{Workspace: a.ws.ID, Limit: 1})[0]
	if len(g.Added) != 5 || g.AddedMore != 3 || g.Added[0] != "p0@contoso.example" {
		t.Errorf("group creation names %v and %d more, want 5 names and 3 more", g.Added, g.AddedMore)
	}
	b := a.browser(t)
	b.loginAdmin()
	_, page := b.get("/admin/workspaces/" + a.ws.ID)
	for _, s := range []string{"<b>title</b>: Engineer → Manager", "and 3 more", "Added: p0@contoso.example"} {
		if !strings.Contains(page, s) {
			t.Errorf("page lacks %q", s)
		}
	}
}

func TestLogFiltersByPersonOperationAndResult(t *testing.T) {
	a := newApp(t)
	token, _, _ := a.db.CreateLabeledToken(context.Background(), a.ws.ID, "Okta")
	createUser(t, a, token, "ada@contoso.example", nil)
	createUser(t, a, token, "bob@contoso.example", nil)
	scimCall(t, a, token, "GET", "/Users/nobody", nil, nil)
	b := a.browser(t)
	b.loginAdmin()
	rows := func(query string) int {
		_, page := b.get("/admin/workspaces/" + a.ws.ID + "?" + query)
		return strings.Count(page, `<tr class="event`)
	}
	for query, want := range map[string]int{"": 3, "who=ADA": 1, "who=%25": 0, "result=failed": 1, "result=ok": 2,
		"op=UserCreated": 2, "op=get&result=failed": 1, "who=bob&result=failed": 0} {
		if got := rows(query); got != want {
			t.Errorf("?%s: %d rows, want %d", query, got, want)
		}
	}
}

func TestHealthWarnsWhenMostRecentRequestsFail(t *testing.T) {
	a := newApp(t)
	token, _, _ := a.db.CreateLabeledToken(context.Background(), a.ws.ID, "Entra ID production")
	createUser(t, a, token, "ada@contoso.example", nil)
	b := a.browser(t)
	b.loginAdmin()
	path := "/admin/workspaces/" + a.ws.ID
	if _, page := b.get(path); strings.Contains(page, `id="health-warning"`) {
		t.Errorf("warning while provisioning works")
	}
	for range 5 {
		scimCall(t, a, token, "POST", "/Users", map[string]any{"schemas": []string{"urn:ietf:params:scim:schemas:core:2.0:User"}}, nil)
	}
	h, err := a.db.Health(context.Background(), a.ws.ID, store.Now())
	if err != nil || h.Failures24h != 5 || h.LastFailure == nil || h.LastSuccess == nil || !h.Failing() {
		t.Fatalf("health %+v %v", h, err)
	}
	_, page := b.get(path)
	for _, s := range []string{`id="health-warning"`, `<dd id="health-failures">5</dd>`, ">Okta</span>"} {
		if !strings.Contains(page, s) {
			t.Errorf("health summary lacks %q", s)
		}
	}
}

func TestMemberSearchAndDetailShowEveryAttributeAndHistory(t *testing.T) {
	a := newApp(t)
	token, _, _ := a.db.CreateLabeledToken(context.Background(), a.ws.ID, "Okta")
	boss := createUser(t, a, token, "grace@contoso.example", nil)
	ada := createUser(t, a, token, "ada@contoso.example", map[string]any{"externalId": "ext-ada", "title": "Engineer",
		"addresses":   []any{map[string]any{"type": "work", "locality": "London", "country": "GB"}},
		enterpriseURN: map[string]any{"employeeNumber": "1815", "department": "R&D", "manager": map[string]any{"value": boss}}})
	b := a.browser(t)
	b.loginAdmin()
	_, page := b.get("/admin/workspaces/" + a.ws.ID + "?q=EXT-ada")
	if strings.Count(page, `<tr class="member"`) != 1 || !strings.Contains(page, "ext-ada") {
		t.Errorf("search by externalId does not find exactly Ada")
	}
	status, detail := b.get("/admin/workspaces/" + a.ws.ID + "/members/" + ada)
	if status != http.StatusOK {
		t.Fatalf("member page: %d", status)
	}
	for _, s := range []string{`data-attribute="employeeNumber"`, "1815", `data-attribute="title"`, "Engineer",
		`data-attribute="addresses"`, "London", `data-attribute="manager.value"`, "(grace@contoso.example)",
		`data-attribute="externalId"`, `data-operation="UserCreated"`} {
		if !strings.Contains(detail, s) {
			t.Errorf("member page lacks %q", s)
		}
	}
	if strings.Contains(detail, enterpriseURN) {
		t.Errorf("member page shows the enterprise URN")
	}
}

func TestAttributeTableFollowsTheStoreMapping(t *testing.T) {
	a := newApp(t)
	b := a.browser(t)
	b.loginAdmin()
	_, page := b.get("/admin/workspaces/" + a.ws.ID)
	for attr, want := range map[string][2]string{
		"userName":       {"members.user_name", "yes"},
		"employeeNumber": {"members.employee_number", "yes"},
		"emails":         {"member_emails rows", "yes"},
		"addresses":      {"scim_attributes (JSON)", "yes"},
		"password":       {"not kept", "no"},
	} {
		i := strings.Index(page, `data-attribute="`+attr+`"`)
		row := page[max(i, 0):]
		row, _, _ = strings.Cut(row, "</tr>")
		if i < 0 || !strings.Contains(row, ">"+want[0]+"</td>") || !strings.Contains(row, `data-label="Filterable">`+want[1]+"<") {
			t.Errorf("attribute table row of %s: %s, want %q", attr, row, want)
		}
	}
}

// TestAdminControlsConfirmBeforeStoppingProvisioning: revoke and disable are links
// to a page that asks; only its POST acts.
func TestAdminControlsConfirmBeforeStoppingProvisioning(t *testing.T) {
	a := newApp(t)
	_, tok, _ := a.db.CreateLabeledToken(context.Background(), a.ws.ID, "Entra ID production")
	b := a.browser(t)
	csrf := b.loginAdmin()
	path := "/admin/workspaces/" + a.ws.ID
	status, page := b.get(path + "/tokens/" + tok.ID + "/revoke")
	if status != http.StatusOK || !strings.Contains(page, "Revoke the token &#34;Entra ID production&#34;?") {
		t.Fatalf("revoke confirmation: %d", status)
	}
	if ts, _ := a.db.Tokens(context.Background(), a.ws.ID); len(ts) != 1 {
		t.Errorf("showing the confirmation revoked the token")
	}
	status, page = b.get(path + "/provisioning/disable")
	if status != http.StatusOK || !strings.Contains(page, `name="enabled" value="false"`) {
		t.Fatalf("disable confirmation: %d", status)
	}
	if ws, _ := a.db.Workspace(context.Background(), a.ws.ID); !ws.ProvisioningEnabled {
		t.Errorf("showing the confirmation disabled provisioning")
	}
	if status, loc, _ := b.post(path+"/tokens/"+tok.ID+"/revoke", url.Values{"csrf": {csrf}}); status != http.StatusSeeOther ||
		!strings.Contains(loc, "token-revoked") {
		t.Errorf("confirmed revoke: %d %s", status, loc)
	}
}

// TestAdminLoginBacksOff: 300 wrong passwords in a row are mostly refused without
// being checked, and even the right password waits out the back-off.
func TestAdminLoginBacksOff(t *testing.T) {
	a := newApp(t)
	b := a.browser(t)
	csrf := b.csrf("/admin/login")
	counts := map[int]int{}
	for range 300 {
		status, _, _ := b.post("/admin/login", url.Values{"csrf": {csrf}, "password": {"guess"}})
		counts[status]++
	}
	if counts[http.StatusUnauthorized] > 6 || counts[http.StatusTooManyRequests] < 294 {
		t.Errorf("300 wrong passwords answered %v, want at most 6 checked", counts)
	}
	if status, _, body := b.post("/admin/login", url.Values{"csrf": {csrf}, "password": {adminPassword}}); status != http.StatusTooManyRequests ||
		!strings.Contains(body, "Too many wrong passwords") {
		t.Errorf("right password during back-off: %d", status)
	}
}

func TestLoginFormTokenMustBeIssuedByTheServer(t *testing.T) {
	a := newApp(t)
	pick := strings.Repeat("A", 30)
	req, _ := http.NewRequest("POST", a.URL+"/admin/login", strings.NewReader(url.Values{"csrf": {pick}, "password": {adminPassword}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.AddCookie(&http.Cookie{Name: "ws_form", Value: pick})
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("a form token the client picked: %d, want 403", resp.StatusCode)
	}
}

func TestHomePageListsNoWorkspace(t *testing.T) {
	a := newApp(t)
	_, page := a.browser(t).get("/")
	if strings.Contains(page, a.ws.ID) || strings.Contains(page, a.ws.Name) {
		t.Errorf("the public home page names a workspace")
	}
}

// TestInvalidTextIsAClearMessage: a workspace name (or any form value) with U+0000 or
// bytes that are not UTF-8 answers 400 with a message, on every database.
func TestInvalidTextIsAClearMessage(t *testing.T) {
	for _, d := range testdb.Dialects() {
		t.Run(d.String(), func(t *testing.T) {
			a := newAppOn(t, d)
			b := a.browser(t)
			csrf := b.loginAdmin()
			for _, name := range []string{"Nul\x00Corp", "Bad\xffUTF8"} {
				status, _, body := b.post("/admin/workspaces", url.Values{"csrf": {csrf}, "name": {name}})
				if status != http.StatusBadRequest || !strings.Contains(body, "not valid") {
					t.Errorf("workspace name %q: %d", name, status)
				}
			}
			for _, path := range []string{"/admin/workspaces/%00", "/admin/workspaces/" + a.ws.ID + "?who=%00", "/admin/workspaces/" + a.ws.ID + "?q=%FF"} {
				if status, _ := b.get(path); status != http.StatusBadRequest {
					t.Errorf("GET %s: %d, want 400", path, status)
				}
			}
			if status, _, body := b.post("/admin/workspaces", url.Values{"csrf": {csrf}, "name": {strings.Repeat("x", 101)}}); status != http.StatusBadRequest ||
				!strings.Contains(body, "at most 100 characters") {
				t.Errorf("long name: %d", status)
			}
		})
	}
}
