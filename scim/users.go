package scim

import (
	"errors"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

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
	if err := c.checkLimits(rt, tree); err != nil {
		c.fail(err)
		return
	}
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

// writeUserChange runs PUT and PATCH of a user through update: apply derives the new
// tree from the stored one, and the result is validated and stored unless it changes
// nothing.
func (c *call) writeUserChange(id string, apply func(cur map[string]any) (change, error)) {
	rt := c.h.userRT
	var (
		old, next map[string]any
		ch        change
		changed   []string
		pwSet     bool
		now       time.Time
	)
	wasActive := false
	saved, err := update(c, c.h.userSK, id, func(cur *User) (*User, error) {
		wasActive, changed = cur.Active, nil
		old = userTree(cur)
		var err error
		if ch, err = apply(old); err != nil {
			return nil, err
		}
		next = mergeRepeats(rt, ch.tree)
		if ch.maybe {
			changed = changedPaths(rt, old, next)
		}
		if ch.hasPW && !pwSet {
			if err := c.setPassword(cur.ID, ch.pw); err != nil {
				return nil, err
			}
			pwSet = true
		}
		if len(changed) == 0 {
			return nil, nil // nothing to store: no write, no version bump (RFC-PATCH-1)
		}
		if err := c.checkLimits(rt, next); err != nil {
			return nil, err
		}
		if err := checkRequired(rt, next); err != nil {
			return nil, err
		}
		u, err := userFromTree(next)
		if err != nil {
			return nil, err
		}
		if m := managerID(next); m != "" && m != managerID(old) {
			if err := c.checkManager(m); err != nil {
				return nil, err
			}
		}
		now = c.h.now().UTC()
		u.ID = cur.ID
		u.Meta = cur.Meta
		u.Meta.LastModified = now
		u.Groups = nil
		return u, nil
	})
	if err != nil {
		c.fail(storeErr(userKind, id, c.refError(err, "manager", []string{managerID(next)})))
		return
	}
	c.logSkipped(userKind, id, ch.skipped)
	p := c.responseProjection(rt, c.h.userAttrs)
	if len(changed) == 0 {
		if ch.hasPW {
			c.emit(Event{Type: UserUpdated, ResourceType: "User", ID: saved.ID, Changed: []string{"password"}, Skipped: ch.skipped})
		}
		c.writeUser(http.StatusOK, saved, p, false)
		return
	}
	if ch.hasPW {
		changed = append(changed, "password")
	}
	c.emit(Event{Type: userEvent(wasActive, saved.Active), ResourceType: "User", ID: saved.ID, Changed: changed,
		Values: changedValues(rt, old, next, changed), Skipped: ch.skipped, Time: now})
	c.writeUser(http.StatusOK, saved, p, false)
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
	if rt == c.h.groupRT {
		if err := c.resolveBodyMemberRefs(in); err != nil {
			c.fail(err)
			return nil, nil, nil, false
		}
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
