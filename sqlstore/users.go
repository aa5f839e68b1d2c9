package sqlstore

import (
	"context"
	"database/sql"
	"time"

	"github.com/scimkit/scimkit/scim"
)

// user builds the User of a scanned row; its groups come from the relation.
func (s *Store) user(sc *scanned) (*scim.User, error) {
	tree, err := s.users.tree(sc)
	if err != nil {
		return nil, err
	}
	u, err := scim.UserFromTree(tree)
	if err != nil {
		return nil, err
	}
	if u.Meta, err = s.meta(sc); err != nil {
		return nil, err
	}
	u.ID = sc.id
	rs, err := refs(sc.relation)
	for _, r := range rs {
		u.Groups = append(u.Groups, scim.GroupRef{Value: r.Value, Display: r.Display, Type: "direct"})
	}
	return u, err
}

// meta reads the meta columns of a scanned row.
func (s *Store) meta(sc *scanned) (scim.Meta, error) {
	c, err := parseTime(sc.created, s.tables.TimeLayout)
	if err != nil {
		return scim.Meta{}, err
	}
	m, err := parseTime(sc.modified, s.tables.TimeLayout)
	return scim.Meta{Created: c, LastModified: m, Version: version(sc.version)}, err
}

// storedUser returns u as a read will return it after it was written as r.
func (s *Store) storedUser(id string, v int64, created, modified time.Time, r row, groups []scim.GroupRef) (*scim.User, error) {
	tree, err := s.users.stored(r)
	if err != nil {
		return nil, err
	}
	u, err := scim.UserFromTree(tree)
	if err != nil {
		return nil, err
	}
	u.ID, u.Groups = id, groups
	u.Meta = scim.Meta{Created: created, LastModified: modified, Version: version(v)}
	return u, nil
}

// CreateUser implements scim.UserStore.
func (s *Store) CreateUser(ctx context.Context, u *scim.User) (*scim.User, error) {
	r, err := s.users.encode(u.Tree())
	if err != nil {
		return nil, err
	}
	created, modified := stamp(u.Meta.Created), stamp(u.Meta.LastModified)
	out, err := s.storedUser(u.ID, 1, created, modified, r, nil)
	if err != nil {
		return nil, err
	}
	if s.d == PostgreSQL && s.opts.UserHook == nil {
		if err := s.insertAlone(ctx, s.users, u.ID, created, modified, r); err != nil {
			return nil, s.fail("create user", err)
		}
		return out, nil
	}
	err = s.inTx(ctx, "create user", func(tx *sql.Tx) error {
		if err := s.insertRow(ctx, tx, s.users, u.ID, created, modified, r); err != nil {
			return err
		}
		return s.userHook(ctx, tx, nil, out)
	})
	if err != nil {
		return nil, unwrapHost(err)
	}
	return out, nil
}

// GetUser implements scim.UserStore: the user, its list attributes and its groups in
// one statement.
func (s *Store) GetUser(ctx context.Context, id string) (*scim.User, error) {
	sc, err := s.selectOne(ctx, s.db, s.users, id, s.userGroups)
	if err != nil {
		return nil, s.fail("get user", err)
	}
	return s.user(sc)
}

// ListUsers implements scim.UserStore. A projection without groups skips them.
func (s *Store) ListUsers(ctx context.Context, q scim.Query) (*scim.Page[scim.User], error) {
	rel := ""
	if s.users.rt.Includes(q.Projection.Attributes, q.Projection.ExcludedAttributes, "groups") {
		rel = s.userGroups
	}
	page := &scim.Page[scim.User]{}
	total, err := s.list(ctx, s.users, q, rel, func(sc *scanned) error {
		u, err := s.user(sc)
		page.Resources = append(page.Resources, u)
		return err
	})
	if err != nil {
		return nil, s.failList("list users", err)
	}
	page.Total = total
	return page, nil
}

// ReplaceUser implements scim.UserStore, as UpdateUser with u.
func (s *Store) ReplaceUser(ctx context.Context, u *scim.User, ifMatch string) (*scim.User, error) {
	return s.UpdateUser(ctx, u.ID, ifMatch, func(*scim.User) (*scim.User, error) { return u, nil })
}

// UpdateUser implements scim.UserUpdater: it locks the user's row (SELECT … FOR
// UPDATE; on SQLite the transaction's first statement writes the row) and calls fn
// once, inside one transaction.
func (s *Store) UpdateUser(ctx context.Context, id, ifMatch string, fn func(old *scim.User) (*scim.User, error)) (*scim.User, error) {
	var out *scim.User
	err := s.inTx(ctx, "update user", func(tx *sql.Tx) error {
		sc, err := s.lockRead(ctx, tx, s.users, id, ifMatch, s.userGroups)
		if err != nil {
			return err
		}
		v := sc.version
		old, err := s.user(sc)
		if err != nil {
			return err
		}
		nu, err := fn(old.Clone())
		if err != nil {
			return hostError{err}
		}
		if nu == nil {
			out = old
			return nil
		}
		r, err := s.users.encode(nu.Tree())
		if err != nil {
			return err
		}
		modified := stamp(nu.Meta.LastModified)
		if err := s.updateRow(ctx, tx, s.users, id, modified, r); err != nil {
			return err
		}
		if out, err = s.storedUser(id, v+1, old.Meta.Created, modified, r, old.Groups); err != nil {
			return err
		}
		return s.userHook(ctx, tx, old, out)
	})
	if err != nil {
		return nil, unwrapHost(err)
	}
	return out, nil
}

// DeleteUser implements scim.UserStore; the user leaves every group, and each of
// those groups gets a new version and lastModified. The groups are updated (and so
// locked) before the user's row is locked, the order in which member additions lock
// them (see lockMembers). A membership added between the groups' update and the
// deletion (or a deadlock) makes it start again.
func (s *Store) DeleteUser(ctx context.Context, id, ifMatch string) error {
	return unwrapHost(retried(func(last bool) error {
		return s.inTx(ctx, "delete user", func(tx *sql.Tx) error {
			bumped, err := s.bumpGroupsOf(ctx, tx, id)
			if err != nil {
				return err
			}
			var old *scim.User
			if s.opts.UserHook == nil {
				if _, err := s.lock(ctx, tx, s.users, id, ifMatch); err != nil {
					return err
				}
			} else {
				sc, err := s.lockRead(ctx, tx, s.users, id, ifMatch, s.userGroups)
				if err != nil {
					return err
				}
				if old, err = s.user(sc); err != nil {
					return err
				}
			}
			left, err := s.deleteRow(ctx, tx, s.users, id, s.tables.Members.Member)
			if err != nil {
				return err
			}
			if left > bumped && !last {
				return errRetry
			}
			return s.userHook(ctx, tx, old, nil)
		})
	}))
}

func (s *Store) userHook(ctx context.Context, tx *sql.Tx, old, nu *scim.User) error {
	if s.opts.UserHook == nil {
		return nil
	}
	if err := s.opts.UserHook(ctx, tx, old, nu); err != nil {
		return hostError{err}
	}
	return nil
}
