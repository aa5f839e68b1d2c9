package scim

import (
	"errors"
	"net/http"
	"slices"
	"strings"
	"time"
)

// This file holds the write paths of /Groups: POST, PUT and PATCH.

// memberIDs returns the member values of a group tree.
func memberIDs(tree map[string]any) []string {
	list, _ := tree["members"].([]any)
	out := make([]string, 0, len(list))
	for _, m := range list {
		mm, _ := m.(map[string]any)
		if v, ok := mm["value"].(string); ok {
			out = append(out, v)
		}
	}
	return out
}

// memberDiff returns the ids in cur but not old, and in old but not cur.
func memberDiff(old, cur []string) (added, removed []string) {
	in := func(set map[string]struct{}, s string) bool { _, ok := set[s]; return ok }
	os := make(map[string]struct{}, len(old))
	for _, s := range old {
		os[s] = struct{}{}
	}
	cs := make(map[string]struct{}, len(cur))
	for _, s := range cur {
		cs[s] = struct{}{}
	}
	for _, s := range cur {
		if !in(os, s) {
			added = append(added, s)
			os[s] = struct{}{} // report duplicates once
		}
	}
	for _, s := range old {
		if !in(cs, s) {
			removed = append(removed, s)
			cs[s] = struct{}{}
		}
	}
	return added, removed
}

// groupEvent picks the event type of a group change: GroupMembersChanged when only
// members changed.
func groupEvent(changed []string) EventType {
	if len(changed) == 1 && changed[0] == "members" {
		return GroupMembersChanged
	}
	return GroupUpdated
}

// groupPatchProjection is the projection of a group PATCH answered with 200: the
// group without members, unless the request asks for them (ENTRA-GROUP-9).
func (c *call) groupPatchProjection() *projection {
	p := c.responseProjection(c.h.groupRT, c.h.groupAttrs)
	if p == nil {
		return &projection{ix: c.h.groupAttrs, excl: []string{"members"}}
	}
	return p
}

func (c *call) createGroup() {
	rt := c.h.groupRT
	_, tree, skipped, ok := c.readResource(rt)
	if !ok {
		return
	}
	dropReadOnly(tree)
	tree = mergeRepeats(rt, tree)
	if err := c.checkLimits(rt, tree); err != nil {
		c.fail(err)
		return
	}
	if err := checkRequired(rt, tree); err != nil {
		c.fail(err)
		return
	}
	g, err := groupFromTree(tree)
	if err != nil {
		c.fail(err)
		return
	}
	now := c.h.now().UTC()
	g.ID = c.h.newID()
	g.Meta = Meta{Created: now, LastModified: now}
	if g.Members == nil {
		g.Members = []Member{}
	}
	saved, err := c.h.groups.CreateGroup(c.ctx, g)
	if err != nil {
		c.fail(storeErr(groupKind, g.ID, c.refError(err, "members", memberIDs(tree))))
		return
	}
	c.logSkipped(groupKind, saved.ID, skipped)
	c.emit(Event{Type: GroupCreated, ResourceType: "Group", ID: saved.ID, MembersAdded: memberIDs(tree), Skipped: skipped, Time: now})
	c.writeGroup(http.StatusCreated, saved, c.responseProjection(rt, c.h.groupAttrs), true)
}

func (c *call) replaceGroup(id string) {
	rt := c.h.groupRT
	in, tree, skipped, ok := c.readResource(rt)
	if !ok {
		return
	}
	dropReadOnly(tree)
	paths := putPaths(rt, in)
	c.writeGroupChange(id, http.StatusOK, c.responseProjection(rt, c.h.groupAttrs), func(cur map[string]any) (change, error) {
		return change{tree: mergePut(cur, tree, paths), maybe: true, skipped: skipped}, nil
	})
}

func (c *call) patchGroup(id string) {
	data, err := c.readRaw()
	if err != nil {
		c.fail(err)
		return
	}
	req, err := parsePatch(data)
	if err == nil {
		err = c.resolvePatchMemberRefs(req)
	}
	if err != nil {
		c.fail(err)
		return
	}
	status, p := http.StatusNoContent, (*projection)(nil)
	if c.h.groupPatch200 {
		status, p = http.StatusOK, c.groupPatchProjection()
	}
	if mp, ok := c.h.groups.(MemberPatcher); ok {
		if mc, ok := memberChange(req, id); ok && c.patchMembers(mp, id, mc, status, p) {
			return
		}
	}
	c.writeGroupChange(id, status, p, func(cur map[string]any) (change, error) {
		next, res, err := applyPatch(c.h.groupRT, cur, req, c.h.strict)
		if err != nil {
			return change{}, err
		}
		return change{tree: next, maybe: res.changed, skipped: res.skipped}, nil
	})
}

// patchMembers pushes a membership PATCH down to the store. It reports false when the
// store declined with errors.ErrUnsupported, and the caller falls back.
func (c *call) patchMembers(mp MemberPatcher, id string, mc MemberChange, status int, p *projection) bool {
	ifMatch := ""
	if im := c.ifMatch(); im != "" && im != "*" {
		// A single entity tag goes to the store, which checks it atomically; a list
		// of tags needs the general path.
		ifMatch = cleanTag(im)
		if ifMatch == "" || strings.Contains(im, ",") {
			return false
		}
	}
	if mc.DisplayName != nil {
		// Okta repeats the group's name with every membership change; a read without
		// members tells whether it really changes, so that an unchanged name is no
		// write and no event (OKTA-GROUP-2).
		cur, err := c.h.groups.GetGroup(c.ctx, id, Projection{ExcludedAttributes: []string{"members"}})
		if err != nil {
			c.fail(storeErr(groupKind, id, err))
			return true
		}
		if cur.DisplayName == *mc.DisplayName {
			mc.DisplayName = nil
		}
		if mc.DisplayName == nil && len(mc.Add) == 0 && len(mc.Remove) == 0 {
			if ifMatch != "" && ifMatch != cleanVersion(cur.Meta.Version) {
				c.fail(&Error{Status: http.StatusPreconditionFailed, Detail: "the resource was changed: its version does not match If-Match"})
				return true
			}
			if status == http.StatusNoContent {
				c.respondGroup(status, cur, nil)
				return true
			}
			g, err := c.h.groups.GetGroup(c.ctx, id, p.Projection())
			if err != nil {
				c.fail(storeErr(groupKind, id, err))
				return true
			}
			c.writeGroup(status, g, p, false)
			return true
		}
	}
	version, err := mp.PatchMembers(c.ctx, id, mc, ifMatch)
	if errors.Is(err, errors.ErrUnsupported) {
		return false
	}
	added := make([]string, len(mc.Add))
	for i, m := range mc.Add {
		added[i] = m.Value
	}
	if err != nil {
		c.fail(storeErr(groupKind, id, c.refError(err, "members", added)))
		return true
	}
	var changed []string
	if mc.DisplayName != nil {
		changed = append(changed, "displayName")
	}
	if len(mc.Add) > 0 || len(mc.Remove) > 0 {
		changed = append(changed, "members")
	}
	if len(changed) > 0 {
		c.emit(Event{Type: groupEvent(changed), ResourceType: "Group", ID: id, Changed: changed,
			MembersAdded: added, MembersRemoved: slices.Clone(mc.Remove)})
	}
	if status == http.StatusNoContent {
		if c.h.etags && version != "" {
			c.w.Header().Set("ETag", etag(version))
		}
		c.writeNoContent()
		return true
	}
	g, err := c.h.groups.GetGroup(c.ctx, id, p.Projection())
	if err != nil {
		c.fail(storeErr(groupKind, id, err))
		return true
	}
	c.writeGroup(status, g, p, false)
	return true
}

// cleanTag returns the opaque version inside one entity tag: W/"3" gives 3.
func cleanTag(t string) string {
	if len(t) >= 2 && t[:2] == "W/" {
		t = t[2:]
	}
	if len(t) >= 2 && t[0] == '"' && t[len(t)-1] == '"' {
		return t[1 : len(t)-1]
	}
	return ""
}

// writeGroupChange runs PUT and PATCH of a group through update, as writeUserChange
// does for users. It answers with status (204, or 200 with the group under p).
func (c *call) writeGroupChange(id string, status int, p *projection, apply func(cur map[string]any) (change, error)) {
	rt := c.h.groupRT
	var (
		old, next      map[string]any
		ch             change
		changed        []string
		added, removed []string
		now            time.Time
	)
	saved, err := update(c, c.h.groupSK, id, func(cur *Group) (*Group, error) {
		changed, added, removed = nil, nil, nil
		old = groupTree(cur)
		var err error
		if ch, err = apply(old); err != nil {
			return nil, err
		}
		next = mergeRepeats(rt, ch.tree)
		if ch.maybe {
			changed = changedPaths(rt, old, next)
		}
		if len(changed) == 0 {
			return nil, nil
		}
		if err := c.checkLimits(rt, next); err != nil {
			return nil, err
		}
		if err := checkRequired(rt, next); err != nil {
			return nil, err
		}
		g, err := groupFromTree(next)
		if err != nil {
			return nil, err
		}
		if g.Members == nil {
			g.Members = []Member{}
		}
		added, removed = memberDiff(memberIDs(old), memberIDs(next))
		now = c.h.now().UTC()
		g.ID = cur.ID
		g.Meta = cur.Meta
		g.Meta.LastModified = now
		return g, nil
	})
	if err != nil {
		c.fail(storeErr(groupKind, id, c.refError(err, "members", added)))
		return
	}
	c.logSkipped(groupKind, id, ch.skipped)
	if len(changed) > 0 {
		c.emit(Event{Type: groupEvent(changed), ResourceType: "Group", ID: saved.ID, Changed: changed,
			Values:       changedValues(rt, old, next, changed),
			MembersAdded: added, MembersRemoved: removed, Skipped: ch.skipped, Time: now})
	}
	c.respondGroup(status, saved, p)
}

func (c *call) respondGroup(status int, g *Group, p *projection) {
	if status == http.StatusNoContent {
		if c.h.etags && g.Meta.Version != "" {
			c.w.Header().Set("ETag", etag(g.Meta.Version))
		}
		c.writeNoContent()
		return
	}
	c.writeGroup(status, g, p, false)
}
