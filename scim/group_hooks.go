package scim

import (
	"errors"
	"net/http"
	"slices"
	"strings"

	"github.com/scimkit/scimkit/patch"
)

// This file holds what the request path does for groups only: the member diff of
// events, the status of a PATCH, and the MemberPatcher path of membership PATCHes.

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

// groupPatchStatus is the status of a successful group PATCH: 204, or with
// Config.GroupPatchReturnsResource 200 and the group without members, unless the
// request asks for them (ENTRA-GROUP-9).
func (c *call) groupPatchStatus() (int, *projection) {
	if !c.h.groupPatch200 {
		return http.StatusNoContent, nil
	}
	k := c.h.group
	p := c.responseProjection(k.rt, k.ix)
	if p == nil {
		p = newProjection(k.rt, k.ix, "", "members")
	}
	return http.StatusOK, p
}

// patchGroupMembers resolves members given by $ref, and pushes a PATCH made only of
// membership changes and renames down to a MemberPatcher store. It reports false
// when the store is none, the PATCH is of another shape, or the store declined with
// errors.ErrUnsupported: the caller then takes the general path.
func (c *call) patchGroupMembers(id string, req *patch.Request) (bool, error) {
	if err := c.resolvePatchMemberRefs(req); err != nil {
		return false, err
	}
	mp, ok := c.h.groups.(MemberPatcher)
	if !ok {
		return false, nil
	}
	mo, ok := req.MemberOps(id)
	if !ok {
		return false, nil
	}
	mc := MemberChange{DisplayName: mo.DisplayName, Remove: mo.Remove}
	if len(mo.Add) > 0 {
		mc.Add = make([]Member, len(mo.Add))
		for i, m := range mo.Add {
			mc.Add[i] = Member{Value: m.Value, Display: m.Display, Type: m.Type}
		}
	}
	return c.patchMembers(mp, id, mc)
}

// patchMembers pushes a membership change down to the store, as patchGroupMembers
// describes.
func (c *call) patchMembers(mp MemberPatcher, id string, mc MemberChange) (bool, error) {
	k := c.h.group
	status, p := c.groupPatchStatus()
	ifMatch := ""
	if im := c.ifMatch(); im != "" && im != "*" {
		// A single entity tag goes to the store, which checks it atomically; a list
		// of tags needs the general path.
		ifMatch = cleanTag(im)
		if ifMatch == "" || strings.Contains(im, ",") {
			return false, nil
		}
	}
	if mc.DisplayName != nil {
		// Okta repeats the group's name with every membership change; a read without
		// members tells whether it really changes, so that an unchanged name is no
		// write and no event (OKTA-GROUP-2).
		cur, err := c.h.groups.GetGroup(c.ctx, id, Projection{ExcludedAttributes: []string{"members"}})
		if err != nil {
			return true, k.storeErr(id, err)
		}
		if cur.DisplayName == *mc.DisplayName {
			mc.DisplayName = nil
		}
		if mc.DisplayName == nil && len(mc.Add) == 0 && len(mc.Remove) == 0 {
			if ifMatch != "" && ifMatch != cleanVersion(cur.Meta.Version) {
				return true, &Error{Status: http.StatusPreconditionFailed, Detail: "the resource was changed: its version does not match If-Match"}
			}
			return true, c.respondPatched(status, p, id, cur.Meta.Version)
		}
	}
	version, err := mp.PatchMembers(c.ctx, id, mc, ifMatch)
	if errors.Is(err, errors.ErrUnsupported) {
		return false, nil
	}
	if err != nil {
		return true, k.storeErr(id, c.refError(err, "members", memberValues(mc.Add)))
	}
	if c.h.events != nil {
		var changed []string
		if mc.DisplayName != nil {
			changed = append(changed, "displayName")
		}
		if len(mc.Add) > 0 || len(mc.Remove) > 0 {
			changed = append(changed, "members")
		}
		if len(changed) > 0 {
			c.emit(Event{Type: groupEvent(changed), ResourceType: "Group", ID: id, Changed: changed,
				MembersAdded: memberValues(mc.Add), MembersRemoved: slices.Clone(mc.Remove)})
		}
	}
	return true, c.respondPatched(status, p, id, version)
}

// memberValues returns the ids of ms.
func memberValues(ms []Member) []string {
	ids := make([]string, len(ms))
	for i, m := range ms {
		ids[i] = m.Value
	}
	return ids
}

// respondPatched answers a group PATCH that the store served: 204 with the group's
// version, or 200 with the group as now stored, under p.
func (c *call) respondPatched(status int, p *projection, id, version string) error {
	if status == http.StatusNoContent {
		if c.h.etags && version != "" {
			c.w.Header().Set("ETag", etag(version))
		}
		c.writeNoContent()
		return nil
	}
	k := c.h.group
	g, err := k.get(c.ctx, id, p.Projection())
	if err != nil {
		return k.storeErr(id, err)
	}
	k.write(c, status, g, p, false)
	return nil
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
