package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// chromiumPath is where the Debian package chromium installs the browser.
const chromiumPath = "/usr/bin/chromium"

// newBrowser starts a headless Chromium with a fresh profile for the test. Without
// Chromium the test is skipped, except in CI, where it must run.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s is missing, and CI=true requires the browser test: apt-get install -y chromium chromium-driver", chromiumPath)
		}
		t.Skipf("%s is missing: install the Debian packages chromium and chromium-driver to run the browser test", chromiumPath)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 2000),
	}
	ctx, cancel := context.WithTimeout(context.Background(), 45*time.Second)
	t.Cleanup(cancel)
	ctx, cancelAlloc := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelBrowser := chromedp.NewContext(ctx, chromedp.WithLogf(t.Logf))
	t.Cleanup(cancelBrowser)
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("start %s: %v", chromiumPath, err)
	}
	return ctx
}

// scimCall sends one SCIM request with the token, as Okta would, and decodes the JSON
// answer into out (if not nil).
func scimCall(t *testing.T, a *app, token, method, path string, body any, out any) int {
	t.Helper()
	return scimCallAs(t, a, "Okta SCIM Client 1.0.0", token, method, path, body, out)
}

// scimCallAs is scimCall with the User-Agent ua.
func scimCallAs(t *testing.T, a *app, ua, token, method, path string, body any, out any) int {
	t.Helper()
	var r io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		r = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, a.URL+"/scim/v2"+path, r)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/scim+json")
	req.Header.Set("User-Agent", ua)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if out != nil && len(data) > 0 {
		if err := json.Unmarshal(data, out); err != nil {
			t.Fatalf("%s %s: %d %s", method, path, resp.StatusCode, data)
		}
	}
	if resp.StatusCode >= 300 {
		t.Logf("%s %s: %d %s", method, path, resp.StatusCode, data)
	}
	return resp.StatusCode
}

// entraUA is the User-Agent of Entra ID's provisioning service.
const entraUA = "Microsoft Azure Active Directory SCIM Client"

// TestBrowserConsoleAnswersTheAdminsQuestions drives the admin page in a real
// browser while the test plays the identity provider, and checks that the page alone
// answers "why did provisioning fail?", "is provisioning healthy?" and "which
// attributes do you keep?": labelled tokens shown once (post/redirect/get holds on
// reload), a failing request with its reason, a revoked token's attempt with the
// token's label, changes with old → new values and skipped attributes, the log
// filter, member search and detail, confirmations before revoke and disable, the
// health warning, and a layout that fits 1280 px and 390 px.
func TestBrowserConsoleAnswersTheAdminsQuestions(t *testing.T) {
	ctx := newBrowser(t)
	a := newApp(t)
	page := a.URL + "/admin/workspaces/" + a.ws.ID
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("read %s: %v", sel, err)
		}
		return s
	}
	do := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, steps...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	count := func(sel string) int {
		t.Helper()
		n, err := chromedp.Run(ctx, chromedp.Evaluate[int](`document.querySelectorAll(`+strconv.Quote(sel)+`).length`))
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	// waitURL waits until the page that a click navigates to has loaded at a URL
	// that contains part (Poll does not survive a navigation, so this retries).
	waitURL := func(part string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(context.Context, *chromedp.Target) error {
			for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
				ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`location.href.includes(`+strconv.Quote(part)+`) && document.readyState === "complete"`))
				if err == nil && ok {
					return nil
				}
			}
			return fmt.Errorf("no page at a URL with %q", part)
		})
	}

	// Log in and generate two labelled tokens; each is shown once.
	do("log in",
		chromedp.Navigate(a.URL+"/admin/login"),
		chromedp.SendKeys(chromedp.ID("password"), adminPassword),
		chromedp.Click(chromedp.ID("signin")),
		chromedp.WaitVisible(chromedp.CSS("a.workspace")),
		chromedp.Click(chromedp.CSS("a.workspace")),
		chromedp.WaitVisible(chromedp.ID("generate-token")),
	)
	newToken := func(label string) string {
		t.Helper()
		do("generate token "+label,
			chromedp.SendKeys(chromedp.ID("token-label"), label),
			chromedp.Click(chromedp.ID("generate-token")),
			chromedp.WaitVisible(chromedp.ID("new-token")),
		)
		token, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("new-token")))
		if err != nil || !strings.HasPrefix(token, "scimkit_") {
			t.Fatalf("generate token: %q %v", token, err)
		}
		return token
	}
	entra := newToken("Entra ID production")
	if loc, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href`)); strings.Contains(loc, "scimkit_") {
		t.Errorf("the token is in the URL: %s", loc)
	}
	do("reload", chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("token-list")))
	if n := count("#new-token"); n != 0 {
		t.Errorf("reloading shows the token again")
	}
	if n := count("tr.token"); n != 1 {
		t.Errorf("%d live tokens after a reload, want 1: post/redirect/get does not hold", n)
	}
	okta := newToken("Okta test")

	// The identity provider provisions people and a team; some requests fail.
	var boss, ada struct{ ID string }
	scimCallAs(t, a, entraUA, entra, "POST", "/Users", map[string]any{
		"schemas": []string{"urn:ietf:params:scim:schemas:core:2.0:User"}, "userName": "grace@contoso.example", "active": true,
	}, &boss)
	if status := scimCallAs(t, a, entraUA, entra, "POST", "/Users", map[string]any{
		"schemas":  []string{"urn:ietf:params:scim:schemas:core:2.0:User"},
		"userName": "ada.l@contoso.example", "externalId": "ada.l", "active": true, "displayName": "Ada Lovelace",
		"title":     "Engineer",
		"emails":    []any{map[string]any{"value": "ada.l@contoso.example", "type": "work", "primary": true}},
		"addresses": []any{map[string]any{"type": "work", "streetAddress": "12 St James's Square", "locality": "London", "country": "GB"}},
		enterpriseURN: map[string]any{"department": "R&D", "employeeNumber": "1815",
			"manager": map[string]any{"value": boss.ID}},
	}, &ada); status != http.StatusCreated {
		t.Fatalf("create user: %d", status)
	}
	if status := scimCallAs(t, a, entraUA, entra, "POST", "/Groups", map[string]any{
		"schemas":     []string{"urn:ietf:params:scim:schemas:core:2.0:Group"},
		"displayName": "Finance Ops", "members": []any{map[string]any{"value": ada.ID}, map[string]any{"value": boss.ID}},
	}, nil); status != http.StatusCreated {
		t.Fatalf("create group: %d", status)
	}
	if status := scimCallAs(t, a, entraUA, entra, "PATCH", "/Users/"+ada.ID, map[string]any{
		"schemas": []string{"urn:ietf:params:scim:api:messages:2.0:PatchOp"},
		"Operations": []any{map[string]any{"op": "Replace", "path": "title", "value": "Manager"},
			map[string]any{"op": "Add", "path": "urn:example:unknown:favouriteColour", "value": "blue"}},
	}, nil); status != http.StatusOK {
		t.Fatalf("patch: %d", status)
	}
	if status := scimCallAs(t, a, entraUA, entra, "POST", "/Users", map[string]any{
		"schemas": []string{"urn:ietf:params:scim:schemas:core:2.0:User"}, "userName": "ada.l@contoso.example",
	}, nil); status != http.StatusConflict {
		t.Fatalf("duplicate create: %d", status)
	}

	// Revoke the Okta token, through the confirmation page; its next attempt is logged.
	do("revoke with confirmation",
		chromedp.Navigate(page+"#tokens"),
		chromedp.Click(chromedp.CSS(`tr.token[data-label="Okta test"] a.button`)),
		chromedp.WaitVisible(chromedp.ID("confirm")),
	)
	if s := text("main h1"); !strings.Contains(s, `Revoke the token "Okta test"?`) {
		t.Errorf("confirmation asks %q", s)
	}
	if ts, _ := a.db.Tokens(context.Background(), a.ws.ID); len(ts) != 2 {
		t.Errorf("the confirmation page revoked already")
	}
	checkLayout(t, ctx, "confirm")
	do("confirm revoke", chromedp.Click(chromedp.ID("confirm")), waitURL("notice=token-revoked"))
	if status := scimCall(t, a, okta, "GET", "/Users", nil, nil); status != http.StatusUnauthorized {
		t.Fatalf("revoked token: %d", status)
	}

	// Why did provisioning fail? Each failure is a row with its reason.
	do("reload", chromedp.Navigate(page), chromedp.WaitVisible(chromedp.ID("activity")))
	if s := text(`#activity tr.event.failed[data-operation="authenticate"] td.what`); !strings.Contains(s, "Okta test (revoked)") {
		t.Errorf("revoked token's attempt reads %q, want the token's label", s)
	}
	if s := text(`#activity tr.event.failed[data-operation="create"]`); !strings.Contains(s, "uniqueness") ||
		!strings.Contains(s, "ada.l@contoso.example") || !strings.Contains(s, "POST /Users") {
		t.Errorf("failed create reads %q, want the reason, the person, the method and path", s)
	}
	// What changed: short names, old → new, members by name, skipped attributes.
	patched := `#activity tr.event[data-operation="UserUpdated"]`
	if s := text(patched); !strings.Contains(s, "title: Engineer → Manager") || !strings.Contains(s, "Skipped: favouriteColour") {
		t.Errorf("update reads %q, want title: Engineer → Manager and the skipped attribute", s)
	}
	if s := text(`#activity tr.event[data-operation="GroupCreated"]`); !strings.Contains(s, "Added: ada.l@contoso.example, grace@contoso.example") {
		t.Errorf("group creation reads %q, want the members' names", s)
	}
	// Is it healthy? The summary names the last failure, counts failures, names the IdP.
	if s := text("#health-failure"); !strings.Contains(s, "Okta test") {
		t.Errorf("last failure reads %q", s)
	}
	if s := text("#health-failures"); s != "2" {
		t.Errorf("failures in 24 h: %q, want 2", s)
	}
	if s := text("#health-idp"); s != "Okta" { // the revoked token's attempt came last
		t.Errorf("identity provider seen: %q", s)
	}
	// A long User-Agent is a short name on one line, with the full text in a title.
	if ua, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const c = document.querySelector('#activity tr.event[data-operation="UserCreated"] td.idp');
		const s = c.querySelector('span');
		return c.innerText + "|" + s.title + "|" + (s.getClientRects().length === 1);
	})()`)); err != nil || ua != "Entra ID|"+entraUA+"|true" {
		t.Errorf("user agent cell: %q %v", ua, err)
	}

	// The log filter: failures only, then one person.
	do("filter failures",
		chromedp.SetValue(chromedp.ID("filter-result"), "failed"),
		chromedp.Click(chromedp.ID("filter-apply")),
		waitURL("result=failed"),
	)
	if all, failed := count("#activity tr.event"), count("#activity tr.event.failed"); all != 2 || failed != 2 {
		t.Errorf("filtered by failures: %d rows, %d failed; want 2 and 2", all, failed)
	}
	do("filter person",
		chromedp.Navigate(page),
		chromedp.SendKeys(chromedp.ID("filter-who"), "grace"),
		chromedp.Click(chromedp.ID("filter-apply")),
		waitURL("who=grace"),
	)
	if n, other := count("#activity tr.event"), count(`#activity tr.event:not([data-resource="grace@contoso.example"])`); n != 1 || other != 0 {
		t.Errorf("filtered by grace: %d rows, %d of someone else", n, other)
	}

	// Which attributes do you keep? The table says, and a member's page shows them all.
	if s := text(`#attribute-table tr[data-attribute="employeeNumber"]`); !strings.Contains(s, "members.employee_number") || !strings.Contains(s, "yes") {
		t.Errorf("attribute table row of employeeNumber: %q", s)
	}
	do("member search",
		chromedp.Navigate(page),
		chromedp.SendKeys(chromedp.ID("member-q"), "lovelace"),
		chromedp.Submit(chromedp.ID("member-q")),
		waitURL("q=lovelace"),
	)
	if n := count("tr.member"); n != 1 {
		t.Errorf("search for lovelace: %d members", n)
	}
	do("member page", chromedp.Click(chromedp.CSS("a.member-link")), chromedp.WaitVisible(chromedp.ID("member-attributes")))
	attrs := text("#member-attributes")
	for _, s := range []string{"employeeNumber", "1815", "title", "Manager", "addresses", "London", "manager.value", "grace@contoso.example", "externalId", "ada.l"} {
		if !strings.Contains(attrs, s) {
			t.Errorf("member page lacks %q", s)
		}
	}
	if n := count(`#activity tr.event[data-resource="ada.l@contoso.example"]`); n != 3 || count(`#activity tr.event.failed[data-operation="create"]`) != 1 {
		t.Errorf("member history has %d entries, want the creation, the update and the refused create of her userName", n)
	}
	checkLayout(t, ctx, "member")

	// Disable provisioning through its confirmation; the IdP's requests now fail,
	// and the page warns that most recent requests fail.
	do("disable with confirmation",
		chromedp.Navigate(page+"#provisioning"),
		chromedp.Click(chromedp.ID("toggle-provisioning")),
		chromedp.WaitVisible(chromedp.ID("confirm")),
	)
	if ws, _ := a.db.Workspace(context.Background(), a.ws.ID); !ws.ProvisioningEnabled {
		t.Errorf("the confirmation page disabled already")
	}
	do("confirm disable", chromedp.Click(chromedp.ID("confirm")), waitURL("notice=provisioning-disabled"))
	for range 5 {
		scimCallAs(t, a, entraUA, entra, "GET", "/Users?filter=userName%20eq%20%22x%22", nil, nil)
	}
	do("reload after disabling", chromedp.Reload(), chromedp.WaitVisible(chromedp.ID("health-warning")))
	if s := text("#provisioning-state"); s != "Disabled" {
		t.Errorf("provisioning state %q after reload, want Disabled", s)
	}
	checkLayout(t, ctx, "workspace")
}

// checkLayout takes full-page screenshots of the current page at 1280 and 390 px and
// fails when any element reaches past the viewport (tables may scroll inside their
// .scroll container). Screenshots go to $WORKSPACE_SCREENSHOTS, or a temporary dir.
func checkLayout(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	dir := os.Getenv("WORKSPACE_SCREENSHOTS")
	if dir == "" {
		dir = t.TempDir()
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, width := range []int64{1280, 390} {
		var opts []chromedp.EmulateViewportOption
		if width < 600 {
			opts = append(opts, chromedp.EmulateMobile, chromedp.EmulateTouch) // a phone: overlay scrollbars
		}
		if err := chromedp.Do(ctx, chromedp.EmulateViewport(width, 900, opts...), chromedp.Sleep(50*time.Millisecond)); err != nil {
			t.Fatal(err)
		}
		wide, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => {
			const vw = Math.min(document.documentElement.clientWidth, window.innerWidth), bad = [];
			for (const el of document.querySelectorAll("body *")) {
				if (el.parentElement && el.parentElement.closest(".scroll")) continue;
				const r = el.getBoundingClientRect();
				if (r.width > 0 && (r.right > vw + 1 || r.left < -1))
					bad.push(el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + (el.className ? "." + el.className : "") + " right=" + Math.round(r.right));
			}
			if (document.documentElement.scrollWidth > vw) bad.push("page scrolls: " + document.documentElement.scrollWidth);
			return bad;
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		if len(wide) > 0 {
			t.Errorf("%s page at %d px: elements wider than the viewport: %v", name, width, wide)
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatal(err)
		}
		shot := filepath.Join(dir, fmt.Sprintf("%s-%d.png", name, width))
		if err := os.WriteFile(shot, png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("screenshot: %s", shot)
	}
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
		t.Fatal(err)
	}
}
