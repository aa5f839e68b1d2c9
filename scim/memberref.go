package scim

import (
	"net/url"
	"strconv"
	"strings"

	"github.com/scimkit/scimkit/filter"
	"github.com/scimkit/scimkit/patch"
)

// This file resolves group members given only by "$ref" to their ids.

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
		(p.Attr.URN == "" || strings.EqualFold(p.Attr.URN, GroupSchema))
}
