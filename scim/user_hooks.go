package scim

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/scimkit/scimkit/schema"
)

// This file holds what the request path does for users only: passwords, the
// manager reference and the events of the active transition.

// takePassword removes the password from a user tree and returns it.
func takePassword(tree map[string]any) (string, bool) {
	v, ok := tree["password"]
	if !ok {
		return "", false
	}
	delete(tree, "password")
	s, _ := v.(string)
	return s, true
}

// setPassword hands a password to the hook; without a hook it is discarded. A panic
// in the hook is logged and reported as an error, so that a create is undone.
func (c *call) setPassword(id, pw string) (err error) {
	if c.h.pwHook == nil {
		return nil
	}
	defer func() {
		if v := recover(); v != nil {
			c.h.log.LogAttrs(c.ctx, slog.LevelError, "scim: panic in Config.PasswordHook", slog.String("id", id), slog.Any("panic", v))
			err = &Error{Status: http.StatusInternalServerError, Detail: internalDetail}
		}
	}()
	return c.h.pwHook(c.ctx, id, pw)
}

// managerID returns the manager id of a user tree's Enterprise extension, or "".
func managerID(tree map[string]any) string {
	ent, _ := tree[schema.EnterpriseUserURN].(map[string]any)
	m, _ := ent["manager"].(map[string]any)
	s, _ := m["value"].(string)
	return s
}

// checkManager verifies, under Config.Strict only, that a newly set manager id names
// a user of the tenant: an unknown id fails with 400 invalidValue. By default the id
// is stored as sent (ENTRA-PATCH-7), since Entra ID provisions users in any order
// and may name a manager it has not created yet.
func (c *call) checkManager(id string) error {
	if id == "" || !c.h.strict {
		return nil
	}
	_, err := c.h.users.GetUser(c.ctx, id)
	if errors.Is(err, ErrNotFound) {
		return badRequest("invalidValue", "manager "+strconv.Quote(clip(id))+" names no user of this tenant")
	}
	return err
}

// userEvent picks the event type of a user change from the active transition.
func userEvent(wasActive, active bool) EventType {
	switch {
	case wasActive && !active:
		return UserDeactivated
	case !wasActive && active:
		return UserReactivated
	}
	return UserUpdated
}
