package memstore

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/scimkit/scimkit/scim"
)

// A groupRec is a stored group. Its fields are guarded by the tenant's lock.
//
// Members are kept in insertion order in a slice in which a removed member leaves a
// tombstone, and pos maps each present member's id to its index, so that adding and
// removing one member costs O(1) whatever the group's size. The slice is compacted when
// tombstones outnumber members, which keeps the amortised cost O(1).
type groupRec struct {
	id          string
	externalID  string
	displayName string
	nameKey     string // foldKey(displayName)
	ext         map[string]map[string]any
	created     time.Time
	modified    time.Time
	ver         string

	members []memberSlot
	pos     map[string]int // present member id -> index in members
	dead    int            // tombstones in members

	parents  []*groupRec // groups this group is a member of (Options.NestedGroups)
	nextName *groupRec   // next group with the same nameKey (duplicates allowed)
	nextExt  *groupRec   // next group with the same externalID
	st       recState
}

type memberSlot struct {
	id      string
	display string
	group   bool // the member is a group, else a user
	dead    bool
}

func (g *groupRec) key() (time.Time, string) { return g.created, g.id }
func (g *groupRec) version() string          { return g.ver }
func (g *groupRec) state() *recState         { return &g.st }

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

// group returns a copy of the stored group; Members is nil unless withMembers.
func (g *groupRec) group(withMembers bool) *scim.Group {
	out := &scim.Group{
		ID:          g.id,
		ExternalID:  g.externalID,
		DisplayName: g.displayName,
		Extensions:  scim.CloneExtensions(g.ext),
		Meta:        scim.Meta{Created: g.created, LastModified: g.modified, Version: g.ver},
	}
	if withMembers {
		out.Members = g.memberList()
	}
	return out
}

// touch records a change of g.
func (s *Store) touch(g *groupRec, now time.Time) {
	g.ver = formatVersion(s.nextVersion())
	g.modified = now
}

func (t *tenant) indexGroup(g *groupRec) {
	if g.nameKey != "" {
		g.nextName = t.groupByName[g.nameKey]
		t.groupByName[g.nameKey] = g
	}
	if g.externalID != "" {
		g.nextExt = t.groupByExt[g.externalID]
		t.groupByExt[g.externalID] = g
	}
}

func (t *tenant) unindexGroup(g *groupRec) {
	if g.nameKey != "" {
		unchain(t.groupByName, g.nameKey, g, func(x *groupRec) **groupRec { return &x.nextName })
	}
	if g.externalID != "" {
		unchain(t.groupByExt, g.externalID, g, func(x *groupRec) **groupRec { return &x.nextExt })
	}
}

// unchain removes g from the chain m[k] whose links next returns; it serves the
// chains of both users and groups.
func unchain[R any](m map[string]*R, k string, g *R, next func(*R) **R) {
	if m[k] == g {
		if n := *next(g); n == nil {
			delete(m, k)
		} else {
			m[k] = n
		}
	} else {
		for p := m[k]; p != nil; p = *next(p) {
			if *next(p) == g {
				*next(p) = *next(g)
				break
			}
		}
	}
	*next(g) = nil
}

// nameTaken reports whether a group other than self has a displayName equal to name
// ignoring case.
func (t *tenant) nameTaken(key string, self *groupRec) bool {
	for g := t.groupByName[key]; g != nil; g = g.nextName {
		if g != self {
			return true
		}
	}
	return false
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
			r.id = r.user.id()
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

func invalidMembers(ids []string) error {
	var b strings.Builder
	b.WriteString("member")
	if len(ids) > 1 {
		b.WriteString("s")
	}
	for i, id := range ids {
		if i == 10 {
			b.WriteString(" and " + strconv.Itoa(len(ids)-10) + " more")
			break
		}
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(" " + quote(id))
	}
	b.WriteString(" not found")
	return &storeError{op: "group", detail: b.String(), err: scim.ErrInvalidReference}
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

// CreateGroup stores a copy of g and returns the stored group with its members. An
// empty g.ID is replaced by a new UUIDv7; zero meta times by the current time. Members
// are deduplicated by id. Unknown member ids fail with scim.ErrInvalidReference, an id
// or (unless Options.AllowDuplicateGroupNames) displayName that is taken with
// scim.ErrUniqueness; then nothing is stored.
func (s *Store) CreateGroup(ctx context.Context, g *scim.Group) (*scim.Group, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if g == nil {
		return nil, errors.New("memstore: CreateGroup with a nil group")
	}
	id, created, modified, err := s.newResource(g.ID, g.Meta)
	if err != nil {
		return nil, err
	}
	// One allocation holds the strings of the record.
	strs := id + g.ExternalID + g.DisplayName
	r := &groupRec{
		id:          strs[:len(id)],
		externalID:  strs[len(id) : len(id)+len(g.ExternalID)],
		displayName: strs[len(id)+len(g.ExternalID):],
		ext:         copyExtensions(g.Extensions),
		created:     created,
		modified:    modified,
	}
	r.nameKey = foldKey(r.displayName)

	t := s.tenant(ctx, true)
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, taken := t.groups.byID[r.id]; taken {
		return nil, fail("group", r.id, "id taken", scim.ErrUniqueness)
	}
	if !s.opts.AllowDuplicateGroupNames && r.nameKey != "" && t.nameTaken(r.nameKey, nil) {
		return nil, fail("group", "", "displayName "+quote(r.displayName)+" taken", scim.ErrUniqueness)
	}
	ms, err := s.resolve(t, g.Members, nil, nil)
	if err != nil {
		return nil, err
	}
	if len(ms) > 0 {
		r.members = make([]memberSlot, 0, len(ms))
		r.pos = make(map[string]int, len(ms))
	}
	for _, m := range ms {
		r.link(m)
	}
	r.ver = formatVersion(s.nextVersion())
	t.groups.add(r)
	t.indexGroup(r)
	return r.group(true), nil
}

// GetGroup returns a copy of the group with that id, or an error wrapping
// scim.ErrNotFound. Members is nil, and not copied, when p excludes members.
func (s *Store) GetGroup(ctx context.Context, id string, p scim.Projection) (*scim.Group, error) {
	members := s.includesMembers(p)
	return get(ctx, s, groupsOf, "group", id, func(g *groupRec) *scim.Group { return g.group(members) })
}

// ReplaceGroup replaces the group g.ID, its displayName, externalId, extensions and its
// whole member list (nil or empty: no members), keeping meta.created. A zero
// g.Meta.LastModified is replaced by the current time. See CreateGroup and
// [scim.GroupStore] for the errors; on error nothing changes.
func (s *Store) ReplaceGroup(ctx context.Context, g *scim.Group, ifMatch string) (*scim.Group, error) {
	if g == nil {
		return nil, errors.New("memstore: ReplaceGroup with a nil group")
	}
	return write(ctx, s, groupsOf, "group", g.ID, ifMatch, func(t *tenant, r *groupRec) (*scim.Group, error) {
		return s.storeGroup(t, r, g, nil)
	})
}

// UpdateGroup serialises with every other write to the group id, reads it with all its
// members, calls fn once with that copy and stores what fn returns, as
// [scim.GroupUpdater] describes. fn runs without the tenant's lock, so it may read
// from the Store, but it must not write to the same group. A member of the group
// that is deleted while fn runs is left out of the stored result.
func (s *Store) UpdateGroup(ctx context.Context, id, ifMatch string, fn func(old *scim.Group) (*scim.Group, error)) (*scim.Group, error) {
	read := func(r *groupRec) *scim.Group { return r.group(true) }
	return update(ctx, s, groupsOf, "group", id, ifMatch, read, fn,
		func(t *tenant, r *groupRec, old, g *scim.Group) (*scim.Group, error) {
			// Deleting a user or a nested group changes the group while it is busy, so
			// a member of old may be gone by now.
			var was map[string]bool
			gone := func(m string) bool {
				if was == nil {
					was = make(map[string]bool, len(old.Members))
					for _, om := range old.Members {
						was[om.Value] = true
					}
				}
				return was[m]
			}
			g.ID = r.id
			return s.storeGroup(t, r, g, gone)
		})
}

// storeGroup replaces r by g, keeping r's id; the caller holds the tenant's lock. gone
// is as for resolve.
func (s *Store) storeGroup(t *tenant, r *groupRec, g *scim.Group, gone func(string) bool) (*scim.Group, error) {
	nameKey := foldKey(g.DisplayName)
	if !s.opts.AllowDuplicateGroupNames && nameKey != "" && t.nameTaken(nameKey, r) {
		return nil, fail("group", r.id, "displayName "+quote(g.DisplayName)+" taken", scim.ErrUniqueness)
	}
	ms, err := s.resolve(t, g.Members, r, gone)
	if err != nil {
		return nil, err
	}

	// Members that stay keep their place in their users' group lists.
	keep := make(map[string]struct{}, len(ms))
	for _, m := range ms {
		keep[m.id] = struct{}{}
	}
	for _, m := range r.members {
		if _, ok := keep[m.id]; !m.dead && !ok {
			t.unlinkMember(r, m.id, m.group)
		}
	}
	old := r.pos
	r.members = make([]memberSlot, 0, len(ms))
	r.pos = make(map[string]int, len(ms))
	r.dead = 0
	for _, m := range ms {
		if _, ok := old[m.id]; ok {
			r.addMember(m.id, m.display, m.group != nil)
		} else {
			r.link(m)
		}
	}

	t.unindexGroup(r)
	strs := g.ExternalID + g.DisplayName
	r.externalID, r.displayName = strs[:len(g.ExternalID)], strs[len(g.ExternalID):]
	r.nameKey = nameKey
	t.indexGroup(r)
	r.ext = copyExtensions(g.Extensions)
	modified := g.Meta.LastModified
	if modified.IsZero() {
		modified = s.now()
	}
	s.touch(r, modified)
	return r.group(true), nil
}

// DeleteGroup deletes the group. Its members stay; when it was itself a member of
// groups it leaves them, which changes their versions. See [scim.GroupStore] for the
// errors.
func (s *Store) DeleteGroup(ctx context.Context, id string, ifMatch string) error {
	return remove(ctx, s, groupsOf, "group", id, ifMatch, func(t *tenant, r *groupRec) {
		for _, m := range r.members {
			if !m.dead {
				t.unlinkMember(r, m.id, m.group)
			}
		}
		now := s.now()
		for _, p := range r.parents {
			p.removeMember(id)
			s.touch(p, now)
		}
		r.parents, r.members, r.pos = nil, nil, nil
		t.unindexGroup(r)
	})
}

// PatchMembers applies c to the group id in time proportional to the size of c: first
// the new displayName, then the removals, then the additions (appended in order).
// Removing an absent member and adding a present one change nothing; the version
// changes only when something did. Unknown member ids fail with
// scim.ErrInvalidReference and a taken displayName with scim.ErrUniqueness, changing
// nothing. See [scim.MemberPatcher].
func (s *Store) PatchMembers(ctx context.Context, id string, c scim.MemberChange, ifMatch string) (string, error) {
	var nameKey string
	if c.DisplayName != nil {
		nameKey = foldKey(*c.DisplayName)
	}
	return write(ctx, s, groupsOf, "group", id, ifMatch, func(t *tenant, r *groupRec) (string, error) {
		rename := c.DisplayName != nil && *c.DisplayName != r.displayName
		if rename && !s.opts.AllowDuplicateGroupNames && nameKey != "" && t.nameTaken(nameKey, r) {
			return "", fail("group", id, "displayName "+quote(*c.DisplayName)+" taken", scim.ErrUniqueness)
		}
		add, err := s.resolve(t, c.Add, r, nil)
		if err != nil {
			return "", err
		}

		changed := false
		if rename {
			t.unindexGroup(r)
			r.displayName = *c.DisplayName
			r.nameKey = foldKey(r.displayName)
			t.indexGroup(r)
			changed = true
		}
		for _, m := range c.Remove {
			i, ok := r.pos[m]
			if !ok {
				continue
			}
			t.unlinkMember(r, m, r.members[i].group)
			r.removeMember(m)
			changed = true
		}
		for _, m := range add {
			if r.hasMember(m.id) {
				continue
			}
			r.link(m)
			changed = true
		}
		if changed {
			s.touch(r, s.now())
		}
		return r.ver, nil
	})
}
