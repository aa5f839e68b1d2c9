package scim

import (
	"errors"
	"net/url"
	"strconv"
	"strings"

	"github.com/scimkit/scimkit/filter"
	"github.com/scimkit/scimkit/patch"
	"github.com/scimkit/scimkit/schema"
)

// This file holds the references between resources in requests: group members
// given only by "$ref", resolved to their ids, and the 400 that names the ids a
// store refused as references.

// resolveMemberRefs completes the member objects of a group body or PATCH value: an
// object without "value" whose "$ref" points into this service (an absolute URL under
// the base URL, or a relative path, ending in /Users/{id} or /Groups/{id}) gets that id
// as its value, and its type when it has none. An object with neither, or whose $ref
// points elsewhere, fails with 400 invalidValue, so that a member is never dropped
// while the request reports success. v is a member object or an array of them, as
// decoded from the request; the objects are modified in place.
func (c *call) resolveMemberRefs(v any) error {
	var list []any
	switch v := v.(type) {
	case []any:
		list = v
	case map[string]any:
		list = []any{v}
	default:
		return nil // not member objects: left to validation
	}
	for _, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			continue
		}
		var valueKey, refKey, typeKey string
		for k := range m {
			switch {
			case strings.EqualFold(k, "value"):
				valueKey = k
			case strings.EqualFold(k, "$ref"):
				refKey = k
			case strings.EqualFold(k, "type"):
				typeKey = k
			}
		}
		if s, _ := m[valueKey].(string); valueKey != "" && s != "" {
			continue
		}
		ref, _ := m[refKey].(string)
		if refKey == "" || ref == "" {
			return badRequest("invalidValue", "a member needs a value (the member's id) or a $ref to a User or Group of this service")
		}
		typ, id, ok := c.localRef(ref)
		if !ok {
			return badRequest("invalidValue", "member $ref "+strconv.Quote(clip(ref))+" does not point to a User or Group of this service")
		}
		if valueKey == "" {
			valueKey = "value"
		}
		m[valueKey] = id
		if t, _ := m[typeKey].(string); t == "" {
			if typeKey == "" {
				typeKey = "type"
			}
			m[typeKey] = typ
		}
	}
	return nil
}

// localRef returns the resource type and id that ref names when it points into this
// service.
func (c *call) localRef(ref string) (typ, id string, ok bool) {
	u, err := url.Parse(ref)
	if err != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", "", false
	}
	p := u.EscapedPath()
	if u.IsAbs() {
		base := c.baseURL()
		if !strings.HasPrefix(strings.ToLower(ref), strings.ToLower(base)+"/") {
			return "", "", false
		}
		bu, err := url.Parse(base)
		if err != nil {
			return "", "", false
		}
		p = strings.TrimPrefix(p, strings.TrimSuffix(bu.EscapedPath(), "/"))
	}
	p = strings.Trim(p, "/")
	i := strings.LastIndexByte(p, '/')
	if i < 0 {
		return "", "", false
	}
	ep, raw := p[:i], p[i+1:]
	if j := strings.LastIndexByte(ep, '/'); j >= 0 && !u.IsAbs() {
		ep = ep[j+1:] // a relative reference may carry the mount path
	}
	id, err = url.PathUnescape(raw)
	if err != nil || id == "" || !storableID(id) {
		return "", "", false
	}
	switch {
	case strings.EqualFold(ep, "Users"):
		return "User", id, true
	case strings.EqualFold(ep, "Groups") && c.h.groups != nil:
		return "Group", id, true
	}
	return "", "", false
}

// resolvePatchMemberRefs applies resolveMemberRefs to every value of req that adds or
// replaces group members: at path "members", or under "members" of a value without
// path.
func (c *call) resolvePatchMemberRefs(req *patch.Request) error {
	for i := range req.Operations {
		op := &req.Operations[i]
		if strings.EqualFold(op.Op, patch.OpRemove) {
			continue
		}
		if op.Path == nil {
			obj, _ := op.Value.(map[string]any)
			for k, v := range obj {
				if strings.EqualFold(k, "members") {
					if err := c.resolveMemberRefs(v); err != nil {
						return err
					}
				}
			}
			continue
		}
		if isMembersPath(op.Path) {
			if err := c.resolveMemberRefs(op.Value); err != nil {
				return err
			}
		}
	}
	return nil
}

// resolveBodyMemberRefs applies resolveMemberRefs to the members of a POST or PUT body.
func (c *call) resolveBodyMemberRefs(in map[string]any) error {
	for k, v := range in {
		if strings.EqualFold(k, "members") {
			if err := c.resolveMemberRefs(v); err != nil {
				return err
			}
		}
	}
	return nil
}

// isMembersPath reports whether p names a Group's members as a whole.
func isMembersPath(p *filter.Path) bool {
	return p.Filter == nil && p.Sub == "" && p.Attr.Sub == "" &&
		strings.EqualFold(p.Attr.Name, "members") &&
		(p.Attr.URN == "" || strings.EqualFold(p.Attr.URN, schema.GroupURN))
}

// badRefs sorts the ids among ids that a store refused as references, for the
// detail of an ErrInvalidReference: those that name no user nor group of the tenant,
// and those that name a group (which the store may not accept as a member, and no
// group is a member of itself). It stops after 20 of each.
func (c *call) badRefs(ids []string) (unknown, groups []string, err error) {
	for _, id := range ids {
		if len(unknown) == 20 || len(groups) == 20 {
			break
		}
		_, err := c.h.users.GetUser(c.ctx, id)
		if err == nil {
			continue
		}
		if !errors.Is(err, ErrNotFound) {
			return nil, nil, err
		}
		if c.h.groups != nil {
			_, err = c.h.groups.GetGroup(c.ctx, id, Projection{ExcludedAttributes: []string{"members"}})
			if err == nil {
				groups = append(groups, id)
				continue
			}
			if !errors.Is(err, ErrNotFound) {
				return nil, nil, err
			}
		}
		unknown = append(unknown, id)
	}
	return unknown, groups, nil
}

// refError turns an ErrInvalidReference from a store into a 400 that lists the ids,
// among candidates, that resolve to nothing, or else those that are groups.
func (c *call) refError(err error, what string, candidates []string) error {
	if !errors.Is(err, ErrInvalidReference) {
		return err
	}
	var se *Error
	if errors.As(err, &se) {
		return se
	}
	unknown, groups, lerr := c.badRefs(candidates)
	switch {
	case lerr == nil && len(unknown) > 0:
		return badRequest("invalidValue", what+" names ids that do not exist in this tenant: "+quoteIDs(unknown))
	case lerr == nil && len(groups) > 0 && what == "members":
		return badRequest("invalidValue", "members names groups, which cannot be members here (nested groups are not supported, and no group is a member of itself): "+quoteIDs(groups))
	case lerr == nil && len(groups) > 0:
		return badRequest("invalidValue", what+" names a group, not a user: "+quoteIDs(groups))
	}
	return badRequest("invalidValue", what+" names a resource that this tenant does not have or does not accept there")
}

func quoteIDs(ids []string) string {
	q := make([]string, len(ids))
	for i, id := range ids {
		q[i] = strconv.Quote(clip(id))
	}
	return strings.Join(q, ", ")
}
