package web_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/scimkit/scimkit/examples/workspace/internal/testdb"
	"github.com/scimkit/scimkit/examples/workspace/scimstore"
	"github.com/scimkit/scimkit/examples/workspace/store"
	"github.com/scimkit/scimkit/examples/workspace/web"
	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/sqlstore"
)

const adminPassword = "correct horse battery staple"

// app is a running app over a fresh SQLite database with one workspace.
type app struct {
	*httptest.Server
	db *store.DB
	ws *store.Workspace
}

func newApp(t *testing.T) *app { return newAppOn(t, store.SQLite) }

// newAppOn is newApp over a database of dialect d.
func newAppOn(t *testing.T, d store.Dialect) *app {
	t.Helper()
	db := testdb.Open(t, d)
	ws, err := db.CreateWorkspace(context.Background(), "Contoso")
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewUnstartedServer(nil)
	srv, err := web.New(web.Config{DB: db, BaseURL: "http://" + ts.Listener.Addr().String(), AdminPassword: adminPassword,
		Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	ts.Config.Handler = srv
	ts.Start()
	t.Cleanup(ts.Close)
	return &app{Server: ts, db: db, ws: ws}
}

// browser is an HTTP client with cookies that does not follow redirects.
type browser struct {
	t *testing.T
	c *http.Client
	a *app
}

func (a *app) browser(t *testing.T) *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{t: t, a: a, c: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

func (b *browser) get(path string) (int, string) {
	b.t.Helper()
	resp, err := b.c.Get(b.a.URL + path)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func (b *browser) post(path string, form url.Values) (int, string, string) {
	b.t.Helper()
	resp, err := b.c.PostForm(b.a.URL+path, form)
	if err != nil {
		b.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header.Get("Location"), string(body)
}

var csrfField = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// csrf returns the CSRF token of the first form of the page at path.
func (b *browser) csrf(path string) string {
	b.t.Helper()
	_, body := b.get(path)
	m := csrfField.FindStringSubmatch(body)
	if m == nil {
		b.t.Fatalf("no csrf field on %s:\n%s", path, body)
	}
	return m[1]
}

func (b *browser) loginAdmin() string {
	b.t.Helper()
	status, loc, _ := b.post("/admin/login", url.Values{"csrf": {b.csrf("/admin/login")}, "password": {adminPassword}})
	if status != http.StatusSeeOther || loc != "/admin" {
		b.t.Fatalf("admin login: %d %s", status, loc)
	}
	return b.csrf("/admin/workspaces/" + b.a.ws.ID)
}

func TestAdminLoginAndCSRF(t *testing.T) {
	a := newApp(t)
	b := a.browser(t)
	if status, _ := b.get("/admin/workspaces/" + a.ws.ID); status != http.StatusSeeOther {
		t.Errorf("admin page without login: %d, want redirect to login", status)
	}
	token := b.csrf("/admin/login")
	if status, _, _ := b.post("/admin/login", url.Values{"csrf": {token}, "password": {"guess"}}); status != http.StatusUnauthorized {
		t.Errorf("wrong password: %d", status)
	}
	if status, _, _ := b.post("/admin/login", url.Values{"password": {adminPassword}}); status != http.StatusForbidden {
		t.Errorf("login without CSRF token: %d", status)
	}
	csrf := b.loginAdmin()
	path := "/admin/workspaces/" + a.ws.ID
	for _, form := range []url.Values{{}, {"csrf": {"forged"}}} {
		if status, _, _ := b.post(path+"/tokens", form); status != http.StatusForbidden {
			t.Errorf("POST with csrf %q: %d, want 403", form.Get("csrf"), status)
		}
		if status, _, _ := b.post(path+"/provisioning", url.Values{"csrf": form["csrf"], "enabled": {"false"}}); status != http.StatusForbidden {
			t.Errorf("provisioning POST with csrf %q: %d, want 403", form.Get("csrf"), status)
		}
	}
	if ts, _ := a.db.Tokens(context.Background(), a.ws.ID); len(ts) != 0 {
		t.Errorf("forged POST made a token")
	}
	// Another browser's session token is no good either.
	other := a.browser(t)
	otherCSRF := other.loginAdmin()
	if status, _, _ := b.post(path+"/tokens", url.Values{"csrf": {otherCSRF}}); status != http.StatusForbidden {
		t.Errorf("CSRF token of another session accepted: %d", status)
	}
	if status, _, _ := b.post(path+"/tokens", url.Values{"csrf": {csrf}, "label": {"Entra ID"}}); status != http.StatusSeeOther {
		t.Errorf("POST with the session's CSRF token: %d", status)
	}
	// Cookies are HttpOnly and SameSite.
	raw := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/admin/login", nil)
	a.Config.Handler.ServeHTTP(raw, req)
	for _, c := range raw.Result().Cookies() {
		if !c.HttpOnly || c.SameSite == http.SameSiteDefaultMode || c.SameSite == http.SameSiteNoneMode {
			t.Errorf("cookie %s: HttpOnly %v SameSite %v", c.Name, c.HttpOnly, c.SameSite)
		}
	}
}

var newToken = regexp.MustCompile(`id="new-token" value="([^"]+)"`)

func TestAUTH_1_TokensShownOnceStoredHashedRevocable(t *testing.T) {
	a := newApp(t)
	b := a.browser(t)
	csrf := b.loginAdmin()
	path := "/admin/workspaces/" + a.ws.ID
	var secrets []string
	for _, label := range []string{"Okta", "Entra ID production"} {
		status, loc, _ := b.post(path+"/tokens", url.Values{"csrf": {csrf}, "label": {label}})
		if status != http.StatusSeeOther || strings.Contains(loc, "scimkit_") {
			t.Fatalf("generate token: %d %s, want a redirect without the secret", status, loc)
		}
		_, body := b.get(loc)
		m := newToken.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("the page after generating a token does not show it")
		}
		secrets = append(secrets, m[1])
		// Reloading the page neither shows the secret again nor makes another token.
		if _, again := b.get(loc); strings.Contains(again, m[1]) || newToken.MatchString(again) {
			t.Errorf("reloading shows a token again")
		}
	}
	_, page := b.get(path)
	for _, s := range secrets {
		if strings.Contains(page, s) {
			t.Errorf("the page shows a secret again")
		}
		ws, err := a.db.VerifyToken(context.Background(), s)
		if err != nil || ws != a.ws.ID {
			t.Errorf("VerifyToken: %q %v", ws, err)
		}
	}
	var stored int
	if err := a.db.SQL.QueryRow(`SELECT count(*) FROM scim_tokens WHERE hash = $1`, scim.HashToken(secrets[0])).Scan(&stored); err != nil || stored != 1 {
		t.Errorf("token not stored as scim.HashToken: %d %v", stored, err)
	}
	if err := a.db.SQL.QueryRow(`SELECT count(*) FROM scim_tokens WHERE hash = $1 OR hint = $1`, secrets[0]).Scan(&stored); err != nil || stored != 0 {
		t.Errorf("secret stored in clear")
	}
	tokens, _ := a.db.Tokens(context.Background(), a.ws.ID)
	if len(tokens) != 2 || !strings.Contains(page, "…"+tokens[0].Hint) || !strings.Contains(page, "Entra ID production") {
		t.Fatalf("live tokens: %+v", tokens)
	}
	// Revoke the older one: it stops working, the newer one keeps working.
	old := tokens[1]
	status, loc, _ := b.post(path+"/tokens/"+old.ID+"/revoke", url.Values{"csrf": {csrf}})
	if status != http.StatusSeeOther || !strings.Contains(loc, "notice=token-revoked") {
		t.Fatalf("revoke: %d %s", status, loc)
	}
	if _, err := a.db.VerifyToken(context.Background(), secrets[0]); err == nil {
		t.Errorf("revoked token still verifies")
	}
	if _, err := a.db.VerifyToken(context.Background(), secrets[1]); err != nil {
		t.Errorf("other token stopped working: %v", err)
	}
}

func TestProvisioningSwitch(t *testing.T) {
	a := newApp(t)
	b := a.browser(t)
	csrf := b.loginAdmin()
	secret, _, err := a.db.CreateToken(context.Background(), a.ws.ID)
	if err != nil {
		t.Fatal(err)
	}
	path := "/admin/workspaces/" + a.ws.ID
	if status, _, _ := b.post(path+"/provisioning", url.Values{"csrf": {csrf}, "enabled": {"false"}}); status != http.StatusSeeOther {
		t.Fatalf("disable: %d", status)
	}
	if _, err := a.db.VerifyToken(context.Background(), secret); err != store.ErrDisabled {
		t.Errorf("token of a disabled workspace: %v", err)
	}
	if _, page := b.get(path); !strings.Contains(page, `id="provisioning-state">Disabled`) {
		t.Errorf("page does not show the disabled state")
	}
	status, body := scimGet(t, a, secret, "/Users?filter=userName%20eq%20%22x%22")
	if status != http.StatusForbidden || !strings.Contains(body, `"status":"403"`) ||
		!strings.Contains(body, "urn:ietf:params:scim:api:messages:2.0:Error") {
		t.Errorf("SCIM request while disabled: %d %s, want a 403 SCIM error", status, body)
	}
	b.post(path+"/provisioning", url.Values{"csrf": {csrf}, "enabled": {"true"}})
	if _, err := a.db.VerifyToken(context.Background(), secret); err != nil {
		t.Errorf("token after re-enabling: %v", err)
	}
	if status, body := scimGet(t, a, secret, "/Users?filter=userName%20eq%20%22x%22"); status != http.StatusOK {
		t.Errorf("SCIM request after re-enabling: %d %s", status, body)
	}
	// The refused request is in the activity log, with its reason.
	events, _, err := a.db.Events(context.Background(), store.EventQuery{Workspace: a.ws.ID})
	if err != nil || len(events) != 1 || events[0].Status != http.StatusForbidden || events[0].Operation != "authenticate" ||
		!strings.Contains(events[0].Detail, "provisioning is disabled") {
		t.Errorf("activity after a refused request: %+v %v", events, err)
	}
	if status, _ := scimGet(t, a, "scimkit_unknown", "/Users"); status != http.StatusUnauthorized {
		t.Errorf("unknown token: %d", status)
	}
}

func scimGet(t *testing.T, a *app, token, path string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest("GET", a.URL+"/scim/v2"+path, nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

// TestRFC_ERR_2_FailureLogOfHostileID: a failed request whose id is not valid text (NUL,
// invalid UTF-8, very long) is still logged, with the id made fit for a text column.
func TestRFC_ERR_2_FailureLogOfHostileID(t *testing.T) {
	a := newApp(t)
	secret, _, err := a.db.CreateToken(context.Background(), a.ws.ID)
	if err != nil {
		t.Fatal(err)
	}
	if status, body := scimGet(t, a, secret, "/Users/a%FFb%00c"+strings.Repeat("x", 300)); status != http.StatusNotFound {
		t.Fatalf("GET of a hostile id: %d %s", status, body)
	}
	events, _, err := a.db.Events(context.Background(), store.EventQuery{Workspace: a.ws.ID})
	if err != nil || len(events) != 1 {
		t.Fatalf("activity: %+v %v", events, err)
	}
	id := events[0].ResourceID
	if !utf8.ValidString(id) || strings.ContainsRune(id, 0) || len(id) > 210 || !strings.HasPrefix(id, "a\uFFFDbc") {
		t.Errorf("logged id %q: want valid UTF-8 without NUL, cut to about 200 bytes", id)
	}
}

// TestActivityLogIsPaginated: the log shows a page of events with a link to older ones.
func TestActivityLogIsPaginated(t *testing.T) {
	a := newApp(t)
	for i := range eventsPerPage + 5 {
		if err := a.db.RecordEvent(context.Background(), store.Event{WorkspaceID: a.ws.ID, Operation: "UserUpdated",
			ResourceType: "User", ResourceName: fmt.Sprintf("user%02d@x.example", i), Status: 200}); err != nil {
			t.Fatal(err)
		}
	}
	b := a.browser(t)
	b.loginAdmin()
	_, page := b.get("/admin/workspaces/" + a.ws.ID)
	rows := strings.Count(page, `<tr class="event"`)
	older := regexp.MustCompile(`href="([^"]+)" id="older"`).FindStringSubmatch(page)
	if rows != eventsPerPage || older == nil || !strings.Contains(page, "user29@x.example") {
		t.Fatalf("first page: %d rows, older link %v", rows, older)
	}
	_, page = b.get(strings.ReplaceAll(older[1], "&amp;", "&"))
	rows = strings.Count(page, `<tr class="event"`)
	if rows != 5 || !strings.Contains(page, "user00@x.example") || strings.Contains(page, `data-resource="user29@x.example"`) ||
		strings.Contains(page, `id="older"`) || !strings.Contains(page, "« Newest") {
		t.Errorf("second page: %d rows", rows)
	}
}

const eventsPerPage = 25 // as in admin.go

// store returns the app's SCIM store, as the Handler uses it.
func (a *app) store(t *testing.T) *sqlstore.Store {
	t.Helper()
	s, err := scimstore.New(a.db)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// provision creates a member through the SCIM store, as the Handler would.
func (a *app) provision(t *testing.T, userName string) *scim.User {
	t.Helper()
	ctx := scim.WithTenant(context.Background(), a.ws.ID)
	u, err := a.store(t).CreateUser(ctx, &scim.User{ID: "u-" + userName, UserName: userName, Active: true,
		Emails: []scim.MultiValue{{Value: "work." + userName, Type: "work", Primary: true}}})
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func (a *app) setActive(t *testing.T, u *scim.User, active bool) {
	t.Helper()
	ctx := scim.WithTenant(context.Background(), a.ws.ID)
	u.Active = active
	if _, err := a.store(t).ReplaceUser(ctx, u, ""); err != nil {
		t.Fatal(err)
	}
}

func TestENTRA_USER_6_DeactivatedMemberCannotSignInOrBook(t *testing.T) {
	a := newApp(t)
	u := a.provision(t, "ada@contoso.example")
	b := a.browser(t)
	home := "/w/" + a.ws.ID
	signIn := func(email string) int {
		status, _, _ := b.post(home+"/signin", url.Values{"csrf": {b.csrf(home)}, "email": {email}})
		return status
	}
	if status := signIn("nobody@contoso.example"); status != http.StatusUnauthorized {
		t.Errorf("unknown email: %d", status)
	}
	// Sign-in works with the userName or any email, in any case.
	if status := signIn("WORK.ada@contoso.example"); status != http.StatusSeeOther {
		t.Fatalf("sign in: %d", status)
	}
	_, page := b.get(home + "?day=2031-05-06")
	desk := regexp.MustCompile(`name="desk" value="([^"]+)"`).FindStringSubmatch(page)
	csrf := csrfField.FindStringSubmatch(page)
	if desk == nil || csrf == nil {
		t.Fatalf("booking page without desks:\n%s", page)
	}
	book := func(day string) (int, string) {
		status, loc, _ := b.post(home+"/book", url.Values{"csrf": {csrf[1]}, "desk": {desk[1]}, "day": {day}})
		return status, loc
	}
	if status, loc := book("2031-05-06"); status != http.StatusSeeOther || !strings.Contains(loc, "notice=booked") {
		t.Fatalf("book: %d %s", status, loc)
	}
	if status, _, _ := b.post(home+"/book", url.Values{"desk": {desk[1]}, "day": {"2031-05-07"}}); status != http.StatusForbidden {
		t.Errorf("booking without CSRF token: %d", status)
	}

	// Deactivated by the IdP: the open session ends, booking and signing in are refused.
	a.setActive(t, u, false)
	if status, _ := book("2031-05-08"); status != http.StatusSeeOther {
		t.Errorf("booking while deactivated: %d", status)
	}
	// The deactivation ended the session in its own transaction: home asks to sign in.
	status, page := b.get(home)
	if status != http.StatusOK || !strings.Contains(page, `name="email"`) || strings.Contains(page, `name="desk"`) {
		t.Errorf("page of a deactivated member: %d, want the sign-in page", status)
	}
	if bs, _ := a.db.BookingsOf(context.Background(), a.ws.ID, u.ID); len(bs) != 1 {
		t.Errorf("bookings of the deactivated member: %d, want the one made before", len(bs))
	}
	if status := signIn("ada@contoso.example"); status != http.StatusForbidden {
		t.Errorf("sign in while deactivated: %d", status)
	}

	// Reactivated: signing in and booking work again.
	a.setActive(t, u, true)
	if status := signIn("ada@contoso.example"); status != http.StatusSeeOther {
		t.Fatalf("sign in after reactivation: %d", status)
	}
	_, page = b.get(home + "?day=2031-05-09")
	csrf = csrfField.FindStringSubmatch(page)
	if status, loc := book("2031-05-09"); status != http.StatusSeeOther || !strings.Contains(loc, "notice=booked") {
		t.Errorf("book after reactivation: %d %s", status, loc)
	}
	if bs, _ := a.db.BookingsOf(context.Background(), a.ws.ID, u.ID); len(bs) != 2 {
		t.Errorf("bookings: %d, want 2", len(bs))
	}
}

func TestENTRA_USER_6_DeactivationOverSCIMEndsSessions(t *testing.T) {
	a := newApp(t)
	token, _, err := a.db.CreateToken(context.Background(), a.ws.ID)
	if err != nil {
		t.Fatal(err)
	}
	var u struct{ ID string }
	if status := scimCall(t, a, token, "POST", "/Users", map[string]any{
		"schemas":  []string{"urn:ietf:params:scim:schemas:core:2.0:User"},
		"userName": "ada@contoso.example", "active": true,
	}, &u); status != http.StatusCreated {
		t.Fatalf("create: %d", status)
	}
	b := a.browser(t)
	home := "/w/" + a.ws.ID
	if status, _, _ := b.post(home+"/signin", url.Values{"csrf": {b.csrf(home)}, "email": {"ada@contoso.example"}}); status != http.StatusSeeOther {
		t.Fatalf("sign in: %d", status)
	}
	sessions := func() int {
		var n int
		a.db.SQL.QueryRow(`SELECT count(*) FROM sessions WHERE kind = 'member' AND member_id = $1`, u.ID).Scan(&n)
		return n
	}
	if sessions() != 1 {
		t.Fatalf("%d sessions after sign-in", sessions())
	}
	if status := scimCall(t, a, token, "PATCH", "/Users/"+u.ID, map[string]any{
		"schemas":    []string{"urn:ietf:params:scim:api:messages:2.0:PatchOp"},
		"Operations": []any{map[string]any{"op": "replace", "value": map[string]any{"active": false}}},
	}, nil); status != http.StatusOK {
		t.Fatalf("deactivate: %d", status)
	}
	if n := sessions(); n != 0 {
		t.Errorf("%d sessions left after the IdP deactivated the member", n)
	}
}
