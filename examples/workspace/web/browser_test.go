package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
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

// scimCall sends one SCIM request with the token, as an identity provider would, and
// decodes the JSON answer into out (if not nil).
func scimCall(t *testing.T, a *app, token, method, path string, body any, out any) int {
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
	req.Header.Set("User-Agent", "Okta SCIM Client 1.0.0")
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

// TestBrowserProvisioningFlow walks the admin through connecting an identity
// provider in a real browser, while the test plays the identity provider:
// log in, generate a token, provision a user and a team with it over SCIM, see them
// and the activity on the page, deactivate the user over SCIM and see the change.
func TestBrowserProvisioningFlow(t *testing.T) {
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

	// 1. Log in as admin.
	err := chromedp.Do(ctx,
		chromedp.Navigate(a.URL+"/admin/login"),
		chromedp.SendKeys(chromedp.ID("password"), adminPassword),
		chromedp.Click(chromedp.ID("signin")),
		chromedp.WaitVisible(chromedp.CSS("a.workspace")),
		chromedp.Click(chromedp.CSS("a.workspace")),
		chromedp.WaitVisible(chromedp.ID("generate-token")),
	)
	if err != nil {
		t.Fatalf("log in: %v", err)
	}
	scimURL, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("scim-url")))
	if err != nil {
		t.Fatal(err)
	}
	if scimURL != a.URL+"/scim/v2" {
		t.Errorf("Tenant URL on the page: %q, want %q", scimURL, a.URL+"/scim/v2")
	}

	// 2. Generate a Secret Token; it is shown once.
	err = chromedp.Do(ctx, chromedp.Click(chromedp.ID("generate-token")), chromedp.WaitVisible(chromedp.ID("new-token")))
	if err != nil {
		t.Fatalf("generate token: %v", err)
	}
	token, err := chromedp.Run(ctx, chromedp.Value(chromedp.ID("new-token")))
	if err != nil || !strings.HasPrefix(token, "scimkit_") {
		t.Fatalf("generate token: %q %v", token, err)
	}

	// 3. Provision a user and a team with that token, as the IdP does.
	var user struct {
		ID     string
		Active bool
	}
	if status := scimCall(t, a, token, "POST", "/Users", map[string]any{
		"schemas":  []string{"urn:ietf:params:scim:schemas:core:2.0:User"},
		"userName": "ada.l@contoso.example", "externalId": "ada.l", "active": true, "displayName": "Ada Lovelace",
		"name":   map[string]any{"givenName": "Ada", "familyName": "Lovelace"},
		"emails": []any{map[string]any{"value": "ada.l@contoso.example", "type": "work", "primary": true}},
		"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": map[string]any{"department": "R&D"},
	}, &user); status != http.StatusCreated || user.ID == "" {
		t.Fatalf("create user: %d", status)
	}
	if status := scimCall(t, a, token, "POST", "/Groups", map[string]any{
		"schemas":     []string{"urn:ietf:params:scim:schemas:core:2.0:Group"},
		"displayName": "Finance Ops", "members": []any{map[string]any{"value": user.ID}},
	}, nil); status != http.StatusCreated {
		t.Fatalf("create group: %d", status)
	}

	// 4. The page shows the member, the team and the activity.
	member := `tr.member[data-user-name="ada.l@contoso.example"]`
	if err := chromedp.Do(ctx, chromedp.Navigate(page), chromedp.WaitVisible(chromedp.CSS(member))); err != nil {
		t.Fatalf("provisioned member not on the page: %v", err)
	}
	if s := text(member + " td.state"); !strings.Contains(s, "Active") {
		t.Errorf("member state %q, want Active", s)
	}
	if s := text(member + " td.teams"); s != "Finance Ops" {
		t.Errorf("member teams %q, want Finance Ops", s)
	}
	if s := text(`li.team[data-team="Finance Ops"]`); !strings.Contains(s, "(1 member)") {
		t.Errorf("team %q, want 1 member", s)
	}
	if s := text("#activity tbody"); !strings.Contains(s, "UserCreated") || !strings.Contains(s, "GroupCreated") ||
		!strings.Contains(s, "Okta SCIM Client 1.0.0") || !strings.Contains(s, "ada.l@contoso.example") {
		t.Errorf("activity log lacks the creations:\n%s", s)
	}
	if s := text("#token-list tbody"); strings.Contains(s, "never") {
		t.Errorf("token not marked as used: %s", s)
	}

	// 5. Deactivate over SCIM (Entra's string Boolean); the page shows the change.
	if status := scimCall(t, a, token, "PATCH", "/Users/"+user.ID, map[string]any{
		"schemas":    []string{"urn:ietf:params:scim:api:messages:2.0:PatchOp"},
		"Operations": []any{map[string]any{"op": "Replace", "path": "active", "value": "False"}},
	}, &user); status != http.StatusOK || user.Active {
		t.Fatalf("deactivate: %d active=%v", status, user.Active)
	}
	if err := chromedp.Do(ctx, chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(member))); err != nil {
		t.Fatal(err)
	}
	if s := text(member + " td.state"); !strings.Contains(s, "Deactivated") {
		t.Errorf("member state %q after deactivation, want Deactivated", s)
	}
	if s := text(`#activity tbody tr.event:first-child`); !strings.Contains(s, "UserDeactivated") || !strings.Contains(s, "active") {
		t.Errorf("newest activity entry %q, want the deactivation of active", s)
	}

	// 6. Keep a screenshot of the page.
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(t.TempDir(), "provisioning.png")
	if err := os.WriteFile(shot, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s (%d bytes)", shot, len(png))
	if keep := os.Getenv("WORKSPACE_SCREENSHOT"); keep != "" { // to look at it after the test
		if err := os.WriteFile(keep, png, 0o644); err != nil {
			t.Error(err)
		}
	}
}
