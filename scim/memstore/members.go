package memstore

import (
	"slices"
	"strconv"
	"strings"

	"github.com/scimkit/scimkit/scim"
)

// A memberSlot is one entry of a group's member list (see groupRec).
type memberSlot struct {
	id      string
	display string
	group   bool // the member is a group, else a user
	dead    bool
}

func (g *groupRec) hasMember(id string) bool {
	_, ok := g.pos[id]
	return ok
}

// addMember appends a member that is not present yet.
func (g *groupRec) addMember(id, display string, isGroup bool) {
	if g.pos == nil {
		g.pos = make(map[string]int)
	}
	g.pos[id] = len(g.members)
	g.members = append(g.members, memberSlot{id: id, display: display, group: isGroup})
}

// removeMember removes the member id, reporting whether it was present.
func (g *groupRec) removeMember(id string) bool {
	i, ok := g.pos[id]
	if !ok {
		return false
	}
	delete(g.pos, id)
	if i == len(g.members)-1 {
		// The newest member leaves no tombstone.
		g.members[i] = memberSlot{}
		g.members = g.members[:i]
		return true
	}
	g.members[i] = memberSlot{dead: true}
	g.dead++
	if g.dead > 32 && g.dead > len(g.pos) {
		g.compact()
	}
	return true
}

func (g *groupRec) compact() {
	live := g.members[:0]
	for _, m := range g.members {
		if !m.dead {
			g.pos[m.id] = len(live)
			live = append(live, m)
		}
	}
	clear(g.members[len(live):])
	g.members = live
	g.dead = 0
	if cap(live) > 64 && cap(live) > 4*len(live) {
		// Give back the memory of a group that shrank a lot.
		g.members = append(make([]memberSlot, 0, 2*len(live)), live...)
	}
}

// memberList returns a copy of the present members, in order; never nil.
func (g *groupRec) memberList() []scim.Member {
	ms := make([]scim.Member, 0, len(g.pos))
	for _, m := range g.members {
		if m.dead {
			continue
		}
		typ := "User"
		if m.group {
			typ = "Group"
		}
		ms = append(ms, scim.Member{Value: m.id, Display: m.display, Type: typ})
	}
	return ms
}

// A resolved member is a member of a change whose id names a user or a group.
type resolved struct {
	id      string
	display string
	user    *userRec
	group   *groupRec
}

// resolve looks up the members ms for group self (nil while creating): each must name a
// user of the tenant, or a group other than self when nesting is allowed. The member's
// Type, when it is "User" or "Group" in any case, restricts the lookup. Members are
// deduplicated by id, keeping the first. It fails with ErrInvalidReference naming the
// unknown ids, except those that gone reports (members deleted while an update ran),
// which it leaves out.
func (s *Store) resolve(t *tenant, ms []scim.Member, self *groupRec, gone func(id string) bool) ([]resolved, error) {
	out := make([]resolved, 0, len(ms))
	var seen map[string]struct{}
	if len(ms) > 8 {
		seen = make(map[string]struct{}, len(ms))
	}
	var bad []string
	for _, m := range ms {
		if seen != nil {
			if _, dup := seen[m.Value]; dup {
				continue
			}
			seen[m.Value] = struct{}{}
		} else if slices.ContainsFunc(out, func(r resolved) bool { return r.id == m.Value }) {
			continue
		}
		r := resolved{id: m.Value, display: m.Display}
		wantUser := !strings.EqualFold(m.Type, "Group")
		wantGroup := s.opts.NestedGroups && !strings.EqualFold(m.Type, "User")
		if wantUser {
			r.user = t.users.byID[m.Value]
		}
		if r.user == nil && wantGroup {
			if g := t.groups.byID[m.Value]; g != nil && g != self {
				r.group = g
			}
		}
		switch {
		case r.user != nil:
			r.id = r.user.id
		case r.group != nil:
			r.id = r.group.id
		default:
			if gone == nil || !gone(m.Value) {
				bad = append(bad, m.Value)
			}
			continue
		}
		out = append(out, r)
	}
	if len(bad) > 0 {
		return nil, invalidMembers(bad)
	}
	return out, nil
}

// invalidMembers is the error for the unknown member ids, naming ten at most.
func invalidMembers(ids []string) error {
	var b strings.Builder
	b.WriteString("member")
	if len(ids) > 1 {
		b.WriteString("s")
	}
	for i, id := range ids[:min(len(ids), 10)] {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(" " + quote(id))
	}
	if len(ids) > 10 {
		b.WriteString(" and " + strconv.Itoa(len(ids)-10) + " more")
	}
	return fail("group", "", b.String()+" not found", scim.ErrInvalidReference)
}

// link adds r to g's members and records the membership on the member.
func (g *groupRec) link(r resolved) {
	g.addMember(r.id, r.display, r.group != nil)
	if r.user != nil {
		r.user.groups = append(r.user.groups, g)
	} else {
		r.group.parents = append(r.group.parents, g)
	}
}

// unlinkMember removes the record of g's membership from the member id, which was
// present in g.
func (t *tenant) unlinkMember(g *groupRec, id string, isGroup bool) {
	if isGroup {
		if c := t.groups.byID[id]; c != nil {
			c.parents = removeRec(c.parents, g)
		}
	} else if u := t.users.byID[id]; u != nil {
		u.groups = removeRec(u.groups, g)
	}
}

func removeRec(s []*groupRec, g *groupRec) []*groupRec {
	if i := slices.Index(s, g); i >= 0 {
		s = slices.Delete(s, i, i+1)
	}
	if len(s) == 0 {
		return nil
	}
	return s
}
