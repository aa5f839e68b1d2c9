package patch

import (
	"strings"

	"github.com/scimkit/scimkit/filter"
	"github.com/scimkit/scimkit/schema"
)

// A Member is a group member named by a PATCH request.
type Member struct {
	Value   string // the member's id
	Display string // "" when not sent
	Type    string // "User", "Group" or "" when not sent
}

// MemberOps is the net effect of a PATCH request on a group made only of membership
// changes and renames, as reported by [Request.MemberOps]. It is applied in this
// order: DisplayName, Remove, Add; Add and Remove never share a value.
type MemberOps struct {
	DisplayName *string  // the new displayName, or nil to keep it
	Remove      []string // ids of the members to remove, in the order first named
	Add         []Member // members to add, in the order first named
}

// MemberOps reports whether req, sent for the Group with id groupID, consists only of
// operations that a store can apply without reading the group, and returns their net
// effect. The recognised operations are:
//
//   - add to path "members" of one member object or an array of them, each with a
//     string "value" and optionally "display", "type" and "$ref";
//   - remove at path "members" with such a value (an empty array changes nothing), or
//     at a path members[value eq "x"], or an "or" of such comparisons;
//   - add or replace at path "displayName" with a string;
//   - add or replace without path of an object whose members are "displayName"
//     (a string), "id" (equal to groupID, as Okta sends it), "schemas" and "meta",
//     and, for add only, "members" with member objects as above.
//
// Operations are folded in order: removing an id drops an earlier add of it, adding
// an id drops an earlier removal, so that applying Remove and then Add gives the
// same membership as applying the operations one by one. Member ids are compared
// exactly.
//
// Anything else (replace or clear members, filters on other member attributes, any
// other attribute) makes MemberOps return false; the caller then applies the request
// with [Apply].
func (req *Request) MemberOps(groupID string) (MemberOps, bool) {
	var (
		mo MemberOps
		// Positions in mo.Add and mo.Remove of the ids they hold. An id that is
		// dropped again is blanked in place and the lists are compacted at the end,
		// so that folding is linear in the number of ids.
		addAt, removeAt map[string]int
		blanked         bool
	)
	add := func(m Member) {
		if j, ok := removeAt[m.Value]; ok {
			mo.Remove[j] = ""
			delete(removeAt, m.Value)
			blanked = true
		}
		if _, ok := addAt[m.Value]; ok {
			return
		}
		if addAt == nil {
			addAt = make(map[string]int)
		}
		addAt[m.Value] = len(mo.Add)
		mo.Add = append(mo.Add, m)
	}
	remove := func(id string) {
		if j, ok := addAt[id]; ok {
			mo.Add[j].Value = ""
			delete(addAt, id)
			blanked = true
		}
		if _, ok := removeAt[id]; ok {
			return
		}
		if removeAt == nil {
			removeAt = make(map[string]int)
		}
		removeAt[id] = len(mo.Remove)
		mo.Remove = append(mo.Remove, id)
	}

	for i := range req.Operations {
		op := &req.Operations[i]
		switch {
		case op.Path == nil:
			obj, ok := op.Value.(map[string]any)
			if !ok || op.Op == OpRemove {
				return MemberOps{}, false
			}
			for k, v := range obj {
				switch {
				case strings.EqualFold(k, "displayName"):
					s, ok := v.(string)
					if !ok {
						return MemberOps{}, false
					}
					mo.DisplayName = &s
				case strings.EqualFold(k, "id"):
					if v != any(groupID) {
						return MemberOps{}, false
					}
				case strings.EqualFold(k, "members") && op.Op == OpAdd:
					ms, ok := memberList(v, true)
					if !ok {
						return MemberOps{}, false
					}
					for _, m := range ms {
						add(m)
					}
				case strings.EqualFold(k, "schemas"), strings.EqualFold(k, "meta"):
				default:
					return MemberOps{}, false
				}
			}
		case isGroupAttr(op.Path, "displayName"):
			s, ok := op.Value.(string)
			if !ok || op.Op == OpRemove {
				return MemberOps{}, false
			}
			mo.DisplayName = &s
		case isGroupAttr(op.Path, "members"):
			switch op.Op {
			case OpAdd:
				ms, ok := memberList(op.Value, true)
				if !ok {
					return MemberOps{}, false
				}
				for _, m := range ms {
					add(m)
				}
			case OpRemove:
				if !op.HasValue {
					return MemberOps{}, false // clears the group
				}
				ms, ok := memberList(op.Value, false)
				if !ok {
					return MemberOps{}, false
				}
				for _, m := range ms {
					remove(m.Value)
				}
			default:
				return MemberOps{}, false
			}
		case op.Op == OpRemove && op.Path.Sub == "" && op.Path.Filter != nil &&
			isGroupAttr(&filter.Path{Attr: op.Path.Attr}, "members"):
			ids, ok := valueEqIDs(op.Path.Filter, nil)
			if !ok {
				return MemberOps{}, false
			}
			for _, id := range ids {
				remove(id)
			}
		default:
			return MemberOps{}, false
		}
	}
	if blanked {
		add := mo.Add[:0]
		for _, m := range mo.Add {
			if m.Value != "" {
				add = append(add, m)
			}
		}
		remove := mo.Remove[:0]
		for _, id := range mo.Remove {
			if id != "" {
				remove = append(remove, id)
			}
		}
		mo.Add, mo.Remove = add, remove
	}
	if len(mo.Add) == 0 {
		mo.Add = nil
	}
	if len(mo.Remove) == 0 {
		mo.Remove = nil
	}
	return mo, true
}

// isGroupAttr reports whether p names the Group attribute name as a whole, without
// sub-attribute or filter.
func isGroupAttr(p *filter.Path, name string) bool {
	return p.Filter == nil && p.Sub == "" && p.Attr.Sub == "" &&
		strings.EqualFold(p.Attr.Name, name) &&
		(p.Attr.URN == "" || strings.EqualFold(p.Attr.URN, schema.GroupURN))
}

// memberList reads a member object or an array of them. For additions the objects may
// carry display, type and $ref; for removals those are ignored.
func memberList(v any, adding bool) ([]Member, bool) {
	var list []any
	switch v := v.(type) {
	case []any:
		list = v
	case map[string]any:
		list = []any{v}
	default:
		return nil, false
	}
	out := make([]Member, 0, len(list))
	for _, e := range list {
		obj, ok := e.(map[string]any)
		if !ok {
			return nil, false
		}
		var m Member
		for k, v := range obj {
			s, isString := v.(string)
			switch {
			case strings.EqualFold(k, "value"):
				if !isString || s == "" {
					return nil, false
				}
				m.Value = s
			case !adding:
			case strings.EqualFold(k, "display"):
				if !isString && v != nil {
					return nil, false
				}
				m.Display = s
			case strings.EqualFold(k, "type"):
				if !isString && v != nil {
					return nil, false
				}
				m.Type = s
			case strings.EqualFold(k, "$ref"):
				if !isString && v != nil {
					return nil, false
				}
			default:
				return nil, false
			}
		}
		if m.Value == "" {
			return nil, false
		}
		out = append(out, m)
	}
	return out, true
}

// valueEqIDs collects the ids of a filter made of `value eq "id"` comparisons joined
// by "or".
func valueEqIDs(e filter.Expr, ids []string) ([]string, bool) {
	switch e := e.(type) {
	case *filter.Compare:
		s, ok := e.Value.(string)
		if !ok || e.Op != filter.Eq || e.Path.URN != "" || e.Path.Sub != "" ||
			!strings.EqualFold(e.Path.Name, "value") || s == "" {
			return nil, false
		}
		return append(ids, s), true
	case *filter.Logical:
		if e.Op != filter.Or {
			return nil, false
		}
		ids, ok := valueEqIDs(e.Left, ids)
		if !ok {
			return nil, false
		}
		return valueEqIDs(e.Right, ids)
	}
	return nil, false
}
