package memstore

import (
	"context"
	"errors"
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

func (g *groupRec) key() (time.Time, string) { return g.created, g.id }
func (g *groupRec) version() string          { return g.ver }
func (g *groupRec) state() *recState         { return &g.st }

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

// setNames sets g's externalId and displayName (in one allocation) and indexes g by
// them.
func (t *tenant) setNames(g *groupRec, externalID, displayName string) {
	t.unindexGroup(g)
	strs := externalID + displayName
	g.externalID, g.displayName = strs[:len(externalID)], strs[len(externalID):]
	g.nameKey = foldKey(g.displayName)
	t.groupByName.add(g.nameKey, g)
	t.groupByExt.add(g.externalID, g)
}

func (t *tenant) unindexGroup(g *groupRec) {
	t.groupByName.remove(g.nameKey, g)
	t.groupByExt.remove(g.externalID, g)
}

// checkName fails with ErrUniqueness when a group other than self has a displayName
// equal to name ignoring case, unless Options.AllowDuplicateGroupNames.
func (s *Store) checkName(t *tenant, name string, self *groupRec) error {
	if s.opts.AllowDuplicateGroupNames {
		return nil
	}
	for g := t.groupByName.heads[foldKey(name)]; name != "" && g != nil; g = g.nextName {
		if g != self {
			id := ""
			if self != nil {
				id = self.id
			}
			return fail("group", id, "displayName "+quote(name)+" taken", scim.ErrUniqueness)
		}
	}
	return nil
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
	r := &groupRec{id: id, ext: copyExtensions(g.Extensions), created: created, modified: modified}
	t := s.tenant(ctx, true)
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, taken := t.groups.byID[id]; taken {
		return nil, fail("group", id, "id taken", scim.ErrUniqueness)
	}
	if err := s.checkName(t, g.DisplayName, nil); err != nil {
		return nil, err
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
	t.setNames(r, g.ExternalID, g.DisplayName)
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
	if err := s.checkName(t, g.DisplayName, r); err != nil {
		return nil, err
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

	t.setNames(r, g.ExternalID, g.DisplayName)
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
	return write(ctx, s, groupsOf, "group", id, ifMatch, func(t *tenant, r *groupRec) (string, error) {
		rename := c.DisplayName != nil && *c.DisplayName != r.displayName
		if rename {
			if err := s.checkName(t, *c.DisplayName, r); err != nil {
				return "", err
			}
		}
		add, err := s.resolve(t, c.Add, r, nil)
		if err != nil {
			return "", err
		}

		changed := false
		if rename {
			t.setNames(r, r.externalID, *c.DisplayName)
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
