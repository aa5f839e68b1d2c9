package scim_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"

	"github.com/scimkit/scimkit/scim"
)

// RFC-ATTR-3, OKTA-USER-8: every way of sending a password reaches the PasswordHook, and no response ever carries it.
func TestPasswordReachesHookNeverAResponse(t *testing.T) {
	var got []string
	h, _ := newHandler(t, func(c *scim.Config) {
		c.PasswordHook = func(ctx context.Context, id, pw string) error { got = append(got, id+":"+pw); return nil }
	})
	body := user("pw@x.example")
	body["password"] = "Sekr1t-one"
	r := call(t, h, "POST", "/Users", body).want(t, 201)
	id := str(r.JSON, "id")
	for _, x := range []*resp{r,
		call(t, h, "PATCH", "/Users/"+id, patchBody(op("replace", "password", "Sekr1t-two"))).want(t, 200),
		call(t, h, "PATCH", "/Users/"+id, patchBody(op("replace", "", map[string]any{"password": "Sekr1t-three"}))).want(t, 200),
		call(t, h, "PUT", "/Users/"+id, map[string]any{"userName": "pw@x.example", "password": "Sekr1t-four"}).want(t, 200),
		call(t, h, "GET", "/Users/"+id+"?attributes=password", nil).want(t, 200),
		call(t, h, "GET", "/Users?filter=userName%20eq%20%22pw@x.example%22", nil).want(t, 200),
	} {
		if strings.Contains(x.Body, "Sekr1t") || strings.Contains(x.Body, `"password"`) {
			t.Errorf("password in response: %s", x.Body)
		}
	}
	want := []string{id + ":Sekr1t-one", id + ":Sekr1t-two", id + ":Sekr1t-three", id + ":Sekr1t-four"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("PasswordHook got %v, want %v", got, want)
	}
	sp := call(t, h, "GET", "/ServiceProviderConfig", nil).want(t, 200)
	if get(sp.JSON, "changePassword.supported") != true {
		t.Error("changePassword.supported false with a hook")
	}
}

// OKTA-USER-8: a PasswordHook error fails the create and leaves no user; changePassword.supported follows the hook.
func TestRefusedPasswordUndoesCreate(t *testing.T) {
	h, _ := newHandler(t, func(c *scim.Config) {
		c.PasswordHook = func(ctx context.Context, id, pw string) error {
			return &scim.Error{Status: 400, ScimType: "invalidValue", Detail: "password too weak"}
		}
	})
	body := user("weak@x.example")
	body["password"] = "123"
	call(t, h, "POST", "/Users", body).want(t, 400, "invalidValue")
	delete(body, "password")
	call(t, h, "POST", "/Users", body).want(t, 201) // the failed create left nothing behind
	nohook, _ := newHandler(t)
	sp := call(t, nohook, "GET", "/ServiceProviderConfig", nil).want(t, 200)
	if get(sp.JSON, "changePassword.supported") != false {
		t.Error("changePassword.supported true without a hook")
	}
}

// TestPanickingPasswordHookUndoesCreate checks that a PasswordHook that
// panics fails the create with a 500 and leaves no user behind: otherwise Okta's retry
// of the create would meet 409 for ever.
// OKTA-USER-8: a panicking PasswordHook is a 500 that leaves no user behind, so Okta's retried create does not meet 409.
func TestPanickingPasswordHookUndoesCreate(t *testing.T) {
	logs := &bytes.Buffer{}
	h, _ := newHandler(t, func(c *scim.Config) {
		c.PasswordHook = func(ctx context.Context, id, pw string) error { panic("hook bug") }
		c.Logger = slog.New(slog.NewTextHandler(logs, nil))
	})
	body := user("panic@x.example")
	body["password"] = "p"
	r := call(t, h, "POST", "/Users", body).want(t, 500)
	if strings.Contains(r.Body, "hook bug") || !strings.Contains(logs.String(), "hook bug") {
		t.Errorf("body %s, log %s", r.Body, logs)
	}
	if n := num(call(t, h, "GET", "/Users", nil).want(t, 200).JSON["totalResults"]); n != 0 {
		t.Errorf("%d users after the failed create, want 0", n)
	}
}
