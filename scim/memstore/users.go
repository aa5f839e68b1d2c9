package memstore

import (
	"context"
	"errors"
	"time"

	"github.com/scimkit/scimkit/scim"
)

// A userRec is a stored user. Its fields are guarded by the tenant's lock.
type userRec struct {
	data       string // encodeUser; id and externalID are substrings of it
	id         string
	externalID string
	nameKey    string // foldKey(userName), "" when userName is empty
	active     bool
	created    time.Time
	modified   time.Time
	version    string // formatted, a substring of data
	ext        map[string]map[string]any
	groups     []*groupRec // groups the user is a direct member of, in joining order
	nextExt    *userRec    // next user with the same externalID
	writeLock
}

func (r *userRec) key() (time.Time, string) { return r.created, r.id }
func (r *userRec) currentVersion() string   { return r.version }

// set replaces r's attributes by u's, encoded with encodeUser as data and version;
// the ID and created time stay.
func (r *userRec) set(data, version string, u *scim.User) {
	r.data, r.version = data, version
	id, ext, name := userKeys(data)
	r.id, r.externalID, r.nameKey = id, ext, foldKey(name)
	r.active = u.Active
	r.ext = copyExtensions(u.Extensions)
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
	u.Meta = scim.Meta{Created: r.created, LastModified: r.modified, Version: r.version}
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
	if r.nameKey != "" {
		t.userByName[r.nameKey] = r
	}
	if r.externalID != "" {
		r.nextExt = t.userByExt[r.externalID]
		t.userByExt[r.externalID] = r
	}
}

func (t *tenant) unindexUser(r *userRec) {
	if r.nameKey != "" && t.userByName[r.nameKey] == r {
		delete(t.userByName, r.nameKey)
	}
	if r.externalID != "" {
		unchain(t.userByExt, r.externalID, r, func(x *userRec) **userRec { return &x.nextExt })
	}
}

func userError(id, detail string, err error) error {
	return &storeError{op: "user", id: id, detail: detail, err: err}
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
	data, version := encodeUser(u, id, s.nextVersion())
	r.set(data, version, u)

	t := s.tenant(ctx, true)
	t.mu.Lock()
	defer t.mu.Unlock()
	if _, taken := t.users.byID[r.id]; taken {
		return nil, userError(r.id, "id taken", scim.ErrUniqueness)
	}
	if r.nameKey != "" && t.userByName[r.nameKey] != nil {
		return nil, userError("", "userName "+quote(u.UserName)+" taken", scim.ErrUniqueness)
	}
	t.users.add(r)
	t.indexUser(r)
	return r.user(), nil
}

// GetUser returns a copy of the user with that id, or an error wrapping
// scim.ErrNotFound.
func (s *Store) GetUser(ctx context.Context, id string) (*scim.User, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	t := s.tenant(ctx, false)
	if t == nil {
		return nil, userError(id, "", scim.ErrNotFound)
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	r := t.users.byID[id]
	if r == nil {
		return nil, userError(id, "", scim.ErrNotFound)
	}
	return r.user(), nil
}

// ReplaceUser replaces the user u.ID by a copy of u, keeping its meta.created and group
// memberships; a zero u.Meta.LastModified is replaced by the current time. See
// [scim.UserStore] for the errors.
func (s *Store) ReplaceUser(ctx context.Context, u *scim.User, ifMatch string) (*scim.User, error) {
	if u == nil {
		return nil, errors.New("memstore: ReplaceUser with a nil user")
	}
	return withWriter(ctx, s, usersOf, "user", u.ID, func(t *tenant, r *userRec) (*scim.User, error) {
		return s.writeUser(t, r, u, ifMatch)
	})
}

// UpdateUser serialises with every other write to the user id, reads it, calls fn once
// with a copy and stores what fn returns, as [scim.UserUpdater] describes. fn runs
// without the tenant's lock, so it may read from the Store, but it must not write to
// the same user.
func (s *Store) UpdateUser(ctx context.Context, id, ifMatch string, fn func(old *scim.User) (*scim.User, error)) (*scim.User, error) {
	return update(ctx, s, usersOf, "user", id, ifMatch, (*userRec).user, fn,
		func(t *tenant, r *userRec, _, u *scim.User) (*scim.User, error) {
			u.ID = r.id
			return s.writeUser(t, r, u, "")
		})
}

// writeUser replaces r, whose writeLock the caller holds, by u.
func (s *Store) writeUser(t *tenant, r *userRec, u *scim.User, ifMatch string) (*scim.User, error) {
	// The version is taken before the lock: it is only new, not the next in order.
	data, version := encodeUser(u, r.id, s.nextVersion())
	modified := u.Meta.LastModified
	if modified.IsZero() {
		modified = s.now()
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if err := checkVersion(ifMatch, r.version, "user", r.id); err != nil {
		return nil, err
	}
	if k := foldKey(u.UserName); k != "" {
		if o := t.userByName[k]; o != nil && o != r {
			return nil, userError(r.id, "userName "+quote(u.UserName)+" taken", scim.ErrUniqueness)
		}
	}
	t.unindexUser(r)
	r.set(data, version, u)
	t.indexUser(r)
	r.modified = modified
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
