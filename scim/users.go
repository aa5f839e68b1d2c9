package scim

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"

	"github.com/scimkit/scimkit/schema"
)

// This file holds the write paths of /Users: POST, PUT and PATCH.

func (c *call) create(k kind) {
	if k == groupKind {
		c.createGroup()
		return
	}
	c.createUser()
}

func (c *call) replace(k kind, id string) {
	if k == groupKind {
		c.replaceGroup(id)
		return
	}
	c.replaceUser(id)
}

func (c *call) patch(k kind, id string) {
	if k == groupKind {
		c.patchGroup(id)
		return
	}
	c.patchUser(id)
}

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
	ent, _ := tree[EnterpriseUserSchema].(map[string]any)
	m, _ := ent["manager"].(map[string]any)
	s, _ := m["value"].(string)
	return s
}

// checkManager verifies that a newly set manager id names a user of the tenant
// (ENTRA-PATCH-7): an unknown id fails with 400 invalidValue.
func (c *call) checkManager(id string) error {
	if id == "" {
		return nil
	}
	_, err := c.h.users.GetUser(c.ctx, id)
	if errors.Is(err, ErrNotFound) {
		return badRequest("invalidValue", "manager "+strconv.Quote(clip(id))+" names no user of this tenant")
	}
	return err
}

// userEvent picks the event type of a user change from the active transition.
func userEvent(old, cur *User) EventType {
	switch {
	case old.Active && !cur.Active:
		return UserDeactivated
	case !old.Active && cur.Active:
		return UserReactivated
	}
	return UserUpdated
}

func (c *call) createUser() {
	rt := c.h.userRT
	_, tree, skipped, ok := c.readResource(rt)
	if !ok {
		return
	}
	dropReadOnly(tree, "groups")
	pw, hasPW := takePassword(tree)
	if _, ok := tree["active"]; !ok {
		tree["active"] = true
	}
	tree = mergeRepeats(rt, tree)
	if err := checkRequired(rt, tree); err != nil {
		c.fail(err)
		return
	}
	u, err := userFromTree(tree)
	if err != nil {
		c.fail(err)
		return
	}
	if err := c.checkManager(managerID(tree)); err != nil {
		c.fail(err)
		return
	}
	now := c.h.now().UTC()
	u.ID = c.h.newID()
	u.Meta = Meta{Created: now, LastModified: now}
	u.Groups = nil
	saved, err := c.h.users.CreateUser(c.ctx, u)
	if err != nil {
		c.fail(storeErr(userKind, u.ID, c.refError(err, "manager", []string{managerID(tree)})))
		return
	}
	if hasPW {
		if err := c.setPassword(saved.ID, pw); err != nil {
			// Undo the create, so that the client's retry does not hit 409.
			if derr := c.h.users.DeleteUser(c.ctx, saved.ID, ""); derr != nil {
				c.h.log.ErrorContext(c.ctx, "scim: could not delete user after PasswordHook failed", "id", saved.ID, "error", derr.Error())
			}
			c.fail(err)
			return
		}
	}
	c.logSkipped(userKind, saved.ID, skipped)
	c.emit(Event{Type: UserCreated, ResourceType: "User", ID: saved.ID, Skipped: skipped, Time: now})
	c.writeUser(http.StatusCreated, saved, c.responseProjection(rt, c.h.userAttrs), true)
}

func (c *call) replaceUser(id string) {
	rt := c.h.userRT
	in, tree, skipped, ok := c.readResource(rt)
	if !ok {
		return
	}
	if s, _ := tree["userName"].(string); s == "" {
		c.fail(badRequest("invalidValue", "userName is required in a PUT body"))
		return
	}
	dropReadOnly(tree, "groups")
	pw, hasPW := takePassword(tree)
	paths := putPaths(rt, in)
	c.writeUserChange(id, func(cur map[string]any) (change, error) {
		return change{tree: mergePut(cur, tree, paths), maybe: true, pw: pw, hasPW: hasPW, skipped: skipped}, nil
	})
}

func (c *call) patchUser(id string) {
	data, err := c.readRaw()
	if err != nil {
		c.fail(err)
		return
	}
	req, err := parsePatch(data)
	if err != nil {
		c.fail(err)
		return
	}
	c.writeUserChange(id, func(cur map[string]any) (change, error) {
		next, res, err := applyPatch(c.h.userRT, cur, req, c.h.strict)
		if err != nil {
			return change{}, err
		}
		ch := change{tree: next, maybe: res.changed, skipped: res.skipped}
		if _, ok := next["password"]; ok {
			// The tree patch.Apply returns is read-only: copy its top level first.
			ch.tree = make(map[string]any, len(next))
			for k, v := range next {
				ch.tree[k] = v
			}
			ch.pw, ch.hasPW = takePassword(ch.tree)
		}
		return ch, nil
	})
}

// A change is what a PUT or PATCH makes of the stored resource tree.
type change struct {
	tree    map[string]any
	maybe   bool // false when the change certainly changed nothing
	pw      string
	hasPW   bool
	skipped []string // unknown attributes skipped by leniency
}

// writeUserChange runs the read-change-replace loop of PUT and PATCH: read the
// user, derive the new tree with apply, and replace the user with the version read
// as precondition; when a concurrent change wins, start again (bounded), unless the
// client itself sent If-Match.
func (c *call) writeUserChange(id string, apply func(cur map[string]any) (change, error)) {
	rt := c.h.userRT
	clientIfMatch := c.ifMatch() != ""
	for attempt := 0; ; attempt++ {
		cur, err := c.h.users.GetUser(c.ctx, id)
		if err != nil {
			c.fail(storeErr(userKind, id, err))
			return
		}
		if err := c.checkIfMatch(cur.Meta.Version); err != nil {
			c.fail(err)
			return
		}
		old := userTree(cur)
		ch, err := apply(old)
		if err != nil {
			c.fail(err)
			return
		}
		next, pw, hasPW, skipped := mergeRepeats(rt, ch.tree), ch.pw, ch.hasPW, ch.skipped
		var changed []string
		if ch.maybe {
			changed = changedPaths(rt, old, next)
		}
		if hasPW {
			if err := c.setPassword(cur.ID, pw); err != nil {
				c.fail(err)
				return
			}
		}
		p := c.responseProjection(rt, c.h.userAttrs)
		if len(changed) == 0 {
			// Nothing to store: no write, no version bump (RFC-PATCH-1).
			c.logSkipped(userKind, id, skipped)
			if hasPW {
				c.emit(Event{Type: UserUpdated, ResourceType: "User", ID: cur.ID, Changed: []string{"password"}, Skipped: skipped})
			}
			c.writeUser(http.StatusOK, cur, p, false)
			return
		}
		if err := checkRequired(rt, next); err != nil {
			c.fail(err)
			return
		}
		u, err := userFromTree(next)
		if err != nil {
			c.fail(err)
			return
		}
		if m := managerID(next); m != "" && m != managerID(old) {
			if err := c.checkManager(m); err != nil {
				c.fail(err)
				return
			}
		}
		now := c.h.now().UTC()
		u.ID = cur.ID
		u.Meta = cur.Meta
		u.Meta.LastModified = now
		u.Groups = nil
		saved, err := c.h.users.ReplaceUser(c.ctx, u, cur.Meta.Version)
		if errors.Is(err, ErrPreconditionFailed) && !clientIfMatch && cur.Meta.Version != "" && attempt < maxRetries {
			continue // a concurrent change won: re-read and re-apply
		}
		if err != nil {
			c.fail(storeErr(userKind, id, c.refError(err, "manager", []string{managerID(next)})))
			return
		}
		if hasPW {
			changed = append(changed, "password")
		}
		c.logSkipped(userKind, id, skipped)
		c.emit(Event{Type: userEvent(cur, saved), ResourceType: "User", ID: saved.ID, Changed: changed,
			Values: changedValues(rt, old, next, changed), Skipped: skipped, Time: now})
		c.writeUser(http.StatusOK, saved, p, false)
		return
	}
}

// readResource reads a POST or PUT body and normalises it against rt. It returns the
// decoded body as sent (PUT needs the keys as written) and the canonical tree; on
// failure it has answered the request and reports false.
func (c *call) readResource(rt *schema.ResourceType) (in, tree map[string]any, skipped []string, ok bool) {
	in, err := c.readBody()
	if err != nil {
		c.fail(err)
		return nil, nil, nil, false
	}
	c.name, _ = in["userName"].(string)
	if c.name == "" {
		c.name, _ = in["displayName"].(string)
	}
	tree, skipped, err = normalize(rt, in, c.h.strict)
	if err != nil {
		c.fail(err)
		return nil, nil, nil, false
	}
	return in, tree, skipped, true
}

// readRaw reads the request body under the size limit and checks that it is a
// reasonably nested JSON document without U+0000 (see checkBody); decoding is left
// to the caller.
func (c *call) readRaw() ([]byte, error) {
	data, err := io.ReadAll(http.MaxBytesReader(c.w, c.r.Body, c.h.maxBody))
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, err
		}
		return nil, badRequest("invalidSyntax", "could not read the request body")
	}
	if err := checkBody(data); err != nil {
		return nil, err
	}
	return data, nil
}
