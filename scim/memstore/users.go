package memstore

import (
	"context"
	"errors"
	"time"

	"github.com/scimkit/scimkit/scim"
)

// A userRec is a stored user. Its fields are guarded by the tenant's lock.
//
// Everything but active, meta, groups and extensions is in data, encoded by
// encodeUser; externalId, userName and the version are read from there, so that the
// record holds few pointers for the garbage collector to follow.
type userRec struct {
	data     string
	id       string // a substring of data, kept for the many lookups by id
	vat      int    // data[vat:] is the version
	active   bool
	created  time.Time
	modified time.Time
	ext      map[string]map[string]any
	groups   []*groupRec // groups the user is a direct member of, in joining order
	nextExt  *userRec    // next user with the same externalId
	st       recState
}

func (r *userRec) externalID() string       { _, ext, _ := userKeys(r.data); return ext }
func (r *userRec) nameKey() string          { _, _, name := userKeys(r.data); return foldKey(name) }
func (r *userRec) key() (time.Time, string) { return r.created, r.id }
func (r *userRec) version() string          { return r.data[r.vat:] }
func (r *userRec) state() *recState         { return &r.st }

// set stores data and version, as encodeUser returns them.
func (r *userRec) set(data, version string) {
	r.data, r.vat = data, len(data)-len(version)
	r.id, _, _ = userKeys(data)
}

// copyExtensions deep-copies ext, dropping empty schemas; it returns nil when nothing
// is left.
func copyExtensions(ext map[string]map[string]any) map[string]map[string]any {
	n := 0
	for _, m := range ext {
		if len(m) > 0 {
			n++
		}
	}
	if n == 0 {
		return nil
	}
	c := scim.CloneExtensions(ext)
	for k, m := range c {
		if len(m) == 0 {
			delete(c, k)
		}
	}
	return c
}

// user returns a copy of the stored user, with Groups filled.
func (r *userRec) user() *scim.User {
	u := decodeNewUser(r.data)
	u.Active = r.active
	u.Extensions = scim.CloneExtensions(r.ext)
	u.Meta = scim.Meta{Created: r.created, LastModified: r.modified, Version: r.version()}
	u.Groups = r.groupRefs()
	return u
}

func (r *userRec) groupRefs() []scim.GroupRef {
	if len(r.groups) == 0 {
		return nil
	}
	gs := make([]scim.GroupRef, len(r.groups))
	for i, g := range r.groups {
		gs[i] = scim.GroupRef{Value: g.id, Display: g.displayName, Type: "direct"}
	}
	return gs
}

func (t *tenant) indexUser(r *userRec) {
	if k := r.nameKey(); k != "" {
		t.userByName[k] = r
	}
	t.userByExt.add(r.externalID(), r)
}

// checkUserName fails with ErrUniqueness when a user other than self has a userName
// equal to name ignoring case.
func (t *tenant) checkUserName(name string, self *userRec) error {
	if o := t.userByName[foldKey(name)]; name != "" && o != nil && o != self {
		id := ""
		if self != nil {
			id = self.id
		}
		return fail("user", id, "userName "+quote(name)+" taken", scim.ErrUniqueness)
	}
	return nil
}

func (t *tenant) unindexUser(r *userRec) {
	if k := r.nameKey(); k != "" && t.userByName[k] == r {
		delete(t.userByName, k)
	}
	t.userByExt.remove(r.externalID(), r)
}

// CreateUser stores a copy of u and returns the stored user. An empty u.ID is replaced
// by a new UUIDv7; zero meta times by the current time. It fails with
// scim.ErrUniqueness when the tenant has a user with that id or with a userName equal
// ignoring case.
func (s *Store) CreateUser(ctx context.Context, u *scim.User) (*scim.User, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if u == nil {
		return nil, errors.New("memstore: CreateUser with a nil user")
	}
	id, created, modified, err := s.newResource(u.ID, u.Meta)
	if err != nil {
		return nil, err
	}
	r := &userRec{created: created, modified: modified}
	r.set(encodeUser(u, id, s.nextVersion()))
	r.active, r.ext = u.Active, copyExtensions(u.Extensions)

	t := s.tenant(ctx, true)
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, taken := t.users.byID[id]; taken {
		return nil, fail("user", id, "id taken", scim.ErrUniqueness)
	}
	if err := t.checkUserName(u.UserName, nil); err != nil {
		return nil, err
	}
	t.users.add(r)
	t.indexUser(r)
	return r.user(), nil
}

// GetUser returns a copy of the user with that id, or an error wrapping
// scim.ErrNotFound.
func (s *Store) GetUser(ctx context.Context, id string) (*scim.User, error) {
	return get(ctx, s, usersOf, "user", id, (*userRec).user)
}

// ReplaceUser replaces the user u.ID by a copy of u, keeping its meta.created and group
// memberships; a zero u.Meta.LastModified is replaced by the current time. See
// [scim.UserStore] for the errors.
func (s *Store) ReplaceUser(ctx context.Context, u *scim.User, ifMatch string) (*scim.User, error) {
	if u == nil {
		return nil, errors.New("memstore: ReplaceUser with a nil user")
	}
	return write(ctx, s, usersOf, "user", u.ID, ifMatch, func(t *tenant, r *userRec) (*scim.User, error) {
		return s.storeUser(t, r, u)
	})
}

// UpdateUser serialises with every other write to the user id, reads it, calls fn once
// with a copy and stores what fn returns, as [scim.UserUpdater] describes. fn runs
// without the tenant's lock, so it may read from the Store, but it must not write to
// the same user.
func (s *Store) UpdateUser(ctx context.Context, id, ifMatch string, fn func(old *scim.User) (*scim.User, error)) (*scim.User, error) {
	return update(ctx, s, usersOf, "user", id, ifMatch, (*userRec).user, fn,
		func(t *tenant, r *userRec, _, u *scim.User) (*scim.User, error) { return s.storeUser(t, r, u) })
}

// storeUser replaces r by u, keeping r's id; the caller holds the tenant's lock.
func (s *Store) storeUser(t *tenant, r *userRec, u *scim.User) (*scim.User, error) {
	if err := t.checkUserName(u.UserName, r); err != nil {
		return nil, err
	}
	id := r.id
	t.unindexUser(r)
	r.set(encodeUser(u, id, s.nextVersion()))
	r.active, r.ext = u.Active, copyExtensions(u.Extensions)
	t.indexUser(r)
	r.modified = u.Meta.LastModified
	if r.modified.IsZero() {
		r.modified = s.now()
	}
	return r.user(), nil
}

// DeleteUser deletes the user and removes it from every group, which changes those
// groups' versions. See [scim.UserStore] for the errors.
func (s *Store) DeleteUser(ctx context.Context, id string, ifMatch string) error {
	return remove(ctx, s, usersOf, "user", id, ifMatch, func(t *tenant, r *userRec) {
		now := s.now()
		for _, g := range r.groups {
			g.removeMember(id)
			s.touch(g, now)
		}
		r.groups = nil
		t.unindexUser(r)
	})
}
