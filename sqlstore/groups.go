package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/scimkit/scimkit/schema"
	"github.com/scimkit/scimkit/scim"
)

// group builds the Group of a scanned row; members come from the relation when it
// was read, else Members is nil.
func (s *Store) group(sc *scanned, withMembers bool) (*scim.Group, error) {
	tree, err := s.groups.tree(sc)
	if err != nil {
		return nil, err
	}
	g, err := scim.GroupFromTree(tree)
	if err != nil {
		return nil, err
	}
	if g.Meta, err = s.meta(sc); err != nil {
		return nil, err
	}
	g.ID = sc.id
	if withMembers {
		rs, err := refs(sc.relation)
		if err != nil {
			return nil, err
		}
		g.Members = make([]scim.Member, len(rs))
		for i, r := range rs {
			g.Members[i] = scim.Member{Value: r.Value, Display: r.Display, Type: "User"}
		}
	}
	return g, nil
}

// membersRel returns the relation to read for projection p.
func (s *Store) membersRel(p scim.Projection) string {
	if schema.GroupResourceType.Includes(p.Attributes, p.ExcludedAttributes, "members") {
		return s.groupMembers
	}
	return ""
}

// CreateGroup implements scim.GroupStore. Members must be users of the tenant.
func (s *Store) CreateGroup(ctx context.Context, g *scim.Group) (*scim.Group, error) {
	r, err := s.groups.encode(g.Tree())
	if err != nil {
		return nil, err
	}
	created, modified := stamp(g.Meta.Created), stamp(g.Meta.LastModified)
	var out *scim.Group
	err = s.inTx(ctx, "create group", func(tx *sql.Tx) error {
		if err := s.insertRow(ctx, tx, s.groups, g.ID, created, modified, r); err != nil {
			return err
		}
		ms, err := s.addMembers(ctx, tx, g.ID, g.Members)
		if err != nil {
			return err
		}
		if out, err = s.storedGroup(g.ID, 1, created, modified, r, ms); err != nil {
			return err
		}
		return s.groupHook(ctx, tx, nil, out)
	})
	if err != nil {
		return nil, unwrapHost(err)
	}
	return out, nil
}

// storedGroup returns the group as a read will return it after it was written as r
// with members ms.
func (s *Store) storedGroup(id string, v int64, created, modified time.Time, r row, ms []scim.Member) (*scim.Group, error) {
	tree, err := s.groups.stored(r)
	if err != nil {
		return nil, err
	}
	g, err := scim.GroupFromTree(tree)
	if err != nil {
		return nil, err
	}
	g.ID, g.Members = id, ms
	if g.Members == nil {
		g.Members = []scim.Member{}
	}
	g.Meta = scim.Meta{Created: created, LastModified: modified, Version: version(v)}
	return g, nil
}

// GetGroup implements scim.GroupStore: the group and, unless p leaves them out, its
// members in one statement.
func (s *Store) GetGroup(ctx context.Context, id string, p scim.Projection) (*scim.Group, error) {
	rel := s.membersRel(p)
	sc, err := s.selectOne(ctx, s.db, s.groups, id, rel)
	if err != nil {
		return nil, s.fail("get group", err)
	}
	return s.group(sc, rel != "")
}

// ListGroups implements scim.GroupStore. A projection without members skips them.
func (s *Store) ListGroups(ctx context.Context, q scim.Query) (*scim.Page[scim.Group], error) {
	rel := s.membersRel(q.Projection)
	page := &scim.Page[scim.Group]{}
	total, err := s.list(ctx, s.groups, q, rel, func(sc *scanned) error {
		g, err := s.group(sc, rel != "")
		page.Resources = append(page.Resources, g)
		return err
	})
	if err != nil {
		return nil, s.failList("list groups", err)
	}
	page.Total = total
	return page, nil
}

// ReplaceGroup implements scim.GroupStore, as UpdateGroup with g.
func (s *Store) ReplaceGroup(ctx context.Context, g *scim.Group, ifMatch string) (*scim.Group, error) {
	return s.UpdateGroup(ctx, g.ID, ifMatch, func(*scim.Group) (*scim.Group, error) { return g, nil })
}

// UpdateGroup implements scim.GroupUpdater as UpdateUser does for users.
func (s *Store) UpdateGroup(ctx context.Context, id, ifMatch string, fn func(old *scim.Group) (*scim.Group, error)) (*scim.Group, error) {
	var out *scim.Group
	err := s.inTx(ctx, "update group", func(tx *sql.Tx) error {
		sc, err := s.lockRead(ctx, tx, s.groups, id, ifMatch, s.groupMembers)
		if err != nil {
			return err
		}
		v := sc.version
		old, err := s.group(sc, true)
		if err != nil {
			return err
		}
		ng, err := fn(old.Clone())
		if err != nil {
			return hostError{err}
		}
		if ng == nil {
			out = old
			return nil
		}
		r, err := s.groups.encode(ng.Tree())
		if err != nil {
			return err
		}
		modified := stamp(ng.Meta.LastModified)
		if err := s.updateRow(ctx, tx, s.groups, id, modified, r); err != nil {
			return err
		}
		// The old members' rows by their whole key: MariaDB and MySQL then lock those
		// rows only, not the gaps between groups that concurrent writes insert into.
		gone := make([]string, len(old.Members))
		for i, m := range old.Members {
			gone[i] = m.Value
		}
		if _, err := s.removeMembers(ctx, tx, id, gone); err != nil {
			return err
		}
		ms, err := s.addMembers(ctx, tx, id, ng.Members)
		if err != nil {
			return err
		}
		if out, err = s.storedGroup(id, v+1, old.Meta.Created, modified, r, ms); err != nil {
			return err
		}
		return s.groupHook(ctx, tx, old, out)
	})
	if err != nil {
		return nil, unwrapHost(err)
	}
	return out, nil
}

// readGroup reads the group id with its members inside tx.
func (s *Store) readGroup(ctx context.Context, tx *sql.Tx, id string) (*scim.Group, error) {
	sc, err := s.selectOne(ctx, tx, s.groups, id, s.groupMembers)
	if err != nil {
		return nil, err
	}
	return s.group(sc, true)
}

// DeleteGroup implements scim.GroupStore; the members stay.
func (s *Store) DeleteGroup(ctx context.Context, id, ifMatch string) error {
	err := s.inTx(ctx, "delete group", func(tx *sql.Tx) error {
		if _, err := s.lock(ctx, tx, s.groups, id, ifMatch); err != nil {
			return err
		}
		var old *scim.Group
		if s.opts.GroupHook != nil {
			var err error
			if old, err = s.readGroup(ctx, tx, id); err != nil {
				return err
			}
		}
		if _, err := s.deleteRow(ctx, tx, s.groups, id, s.tables.Members.Group); err != nil {
			return err
		}
		return s.groupHook(ctx, tx, old, nil)
	})
	return unwrapHost(err)
}

// PatchMembers implements scim.MemberPatcher in time proportional to the change.
// The member ids are checked before the transaction (a client's unknown member is
// refused without one), and again inside it, with their rows share-locked, so that
// a concurrent DeleteUser cannot leave a membership of a deleted user (see
// lockMembers): without a GroupHook, the version bump comes first (it locks the
// group's row), then the members' check, the rename, the removals and the additions
// (one INSERT per 500 members), then the COMMIT; a change that turns out to change
// nothing is rolled back. With a GroupHook the row is locked first and read before
// and after.
// Concurrent additions alone to one group, without If-Match or GroupHook, share
// transactions (see memberQueue).
func (s *Store) PatchMembers(ctx context.Context, id string, c scim.MemberChange, ifMatch string) (string, error) {
	add, err := s.checkMembers(ctx, s.db, c.Add, false)
	if errors.Is(err, scim.ErrInvalidReference) {
		// An unknown group is reported before its unknown members.
		if _, gerr := s.selectOne(ctx, s.db, s.groups, id, ""); gerr != nil {
			err = gerr
		}
	}
	if err != nil {
		return "", s.fail("patch members", cutShort(ctx, err))
	}
	c.Add = add
	var v int64
	if c.DisplayName == nil && len(c.Remove) == 0 && len(add) > 0 && ifMatch == "" && s.opts.GroupHook == nil {
		v, err = s.queuedAdd(ctx, id, add)
	} else {
		v, err = s.patchMembers(ctx, id, c, ifMatch)
	}
	if err != nil {
		return "", err
	}
	return version(v), nil
}

// patchMembers applies c, whose members are checked, in one transaction, as
// PatchMembers describes, and returns the group's version.
func (s *Store) patchMembers(ctx context.Context, id string, c scim.MemberChange, ifMatch string) (int64, error) {
	hook := s.opts.GroupHook != nil
	var ver int64
	err := retried(func(bool) error {
		return s.inTx(ctx, "patch members", func(tx *sql.Tx) error {
			var v int64
			var old *scim.Group
			var err error
			if hook {
				if v, err = s.lock(ctx, tx, s.groups, id, ifMatch); err != nil {
					return err
				}
				if old, err = s.readGroup(ctx, tx, id); err != nil {
					return err
				}
			} else {
				if v, err = s.bump(ctx, tx, s.groups, id, ifMatch); err != nil {
					return err
				}
				v--
			}
			ver = v
			if err := s.lockMembers(ctx, tx, c.Add); err != nil {
				return err
			}
			changed, err := s.changeMembers(ctx, tx, id, c.DisplayName, c.Remove, c.Add)
			if err != nil {
				return err
			}
			if !changed {
				return errUnchanged
			}
			ver = v + 1
			if !hook {
				return nil
			}
			if _, err := s.bump(ctx, tx, s.groups, id, ""); err != nil {
				return err
			}
			ng, err := s.readGroup(ctx, tx, id)
			if err != nil {
				return err
			}
			return s.groupHook(ctx, tx, old, ng)
		})
	})
	return ver, unwrapHost(err)
}

// changeMembers renames the group (name not nil), removes the members remove and
// inserts the checked members add, and reports whether anything changed.
func (s *Store) changeMembers(ctx context.Context, tx *sql.Tx, id string, name *string, remove []string, add []scim.Member) (bool, error) {
	var n int64
	if name != nil {
		col, ok := s.groups.t.Columns["displayName"]
		if !ok {
			return false, fmt.Errorf("sqlstore: %w: displayName has no column", errors.ErrUnsupported)
		}
		b := &builder{d: s.d}
		b.sql("UPDATE ", s.groups.t.Name, " SET ", col, " = ").arg(nullable(*name)).sql(" WHERE ")
		s.rowKey(b, s.groups.t.ID, s.groups.t.Tenant, tenant(ctx), id)
		// NULL-safe "differs": the row changes only when the name does.
		b.sql(" AND (", col, " IS NULL OR ", col, " <> ").arg(*name).sql(")")
		var err error
		if n, err = exec(ctx, tx, b); err != nil {
			return false, err
		}
	}
	removed, err := s.removeMembers(ctx, tx, id, remove)
	if err != nil {
		return false, err
	}
	added, err := s.insertMembers(ctx, tx, id, add)
	return n+removed+added > 0, err
}

// bumpGroupsOf gives every group that user is a member of a new version and
// lastModified, and returns how many it changed. It locks the groups, not the
// memberships, as every other write locks a group before its membership rows: on
// PostgreSQL and SQLite in one statement, whose subquery locks nothing; on MariaDB and
// MySQL, whose subquery would share-lock the memberships (and so deadlock with a
// concurrent DeleteGroup), after a plain read of the group ids.
func (s *Store) bumpGroupsOf(ctx context.Context, tx *sql.Tx, user string) (int64, error) {
	m, g, t := s.tables.Members, s.groups.t, tenant(ctx)
	of := &builder{d: s.d}
	of.sql("SELECT ", m.Group, " FROM ", m.Name, " WHERE ")
	s.rowKey(of, m.Member, m.Tenant, t, user)
	var ids []string
	if s.d.mysqlLike() {
		if err := scanAll(ctx, tx, of.String(), of.args, func(r *sql.Rows) error {
			var id string
			err := r.Scan(&id)
			ids = append(ids, id)
			return err
		}); err != nil || len(ids) == 0 {
			return 0, err
		}
	}
	b := &builder{d: s.d}
	b.sql("UPDATE ", g.Name, " SET ", g.Version, " = ", g.Version, " + 1, ", g.Modified, " = ").
		arg(timeValue(now(), s.tables.TimeLayout)).sql(" WHERE ")
	if g.Tenant != "" {
		b.sql(g.Tenant, " = ").arg(t).sql(" AND ")
	}
	b.sql(g.ID, " IN (")
	if ids == nil {
		b.sql("SELECT ", m.Group, " FROM ", m.Name, " WHERE ")
		s.rowKey(b, m.Member, m.Tenant, t, user)
	}
	for i, id := range ids {
		if i > 0 {
			b.sql(", ")
		}
		b.arg(id)
	}
	b.sql(")")
	return exec(ctx, tx, b)
}

func nullable(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// addMembers checks that the members are users of the tenant, share-locking their
// rows (see lockMembers), and inserts the rows of those not yet in the group. It
// returns the members as stored, without duplicates.
func (s *Store) addMembers(ctx context.Context, tx *sql.Tx, group string, ms []scim.Member) ([]scim.Member, error) {
	out, err := s.checkMembers(ctx, tx, ms, true)
	if err != nil {
		return nil, err
	}
	if _, err := s.insertMembers(ctx, tx, group, out); err != nil {
		return nil, err
	}
	if out == nil {
		out = []scim.Member{}
	}
	return out, nil
}

// checkMembers returns the members ms as they are stored, without duplicates, after
// checking that they are users of the tenant (scim.ErrInvalidReference naming the
// others). With lock, it share-locks the users' rows (see lockMembers).
func (s *Store) checkMembers(ctx context.Context, q queryer, ms []scim.Member, lock bool) ([]scim.Member, error) {
	var out []scim.Member
	seen := map[string]bool{}
	var bad []string
	for _, m := range ms {
		if seen[m.Value] {
			continue
		}
		seen[m.Value] = true
		if strings.EqualFold(m.Type, "Group") {
			bad = append(bad, m.Value)
			continue
		}
		out = append(out, scim.Member{Value: m.Value, Display: m.Display, Type: "User"})
	}
	if len(bad) > 0 {
		return nil, invalidMembers(bad)
	}
	found, err := s.foundMembers(ctx, q, out, lock)
	if err != nil {
		return nil, err
	}
	if bad := unknown(found, out); len(bad) > 0 {
		return nil, invalidMembers(bad)
	}
	return out, nil
}

// unknown returns the ids of the members ms that found does not hold.
func unknown(found map[string]bool, ms []scim.Member) []string {
	var ids []string
	for _, m := range ms {
		if !found[m.Value] {
			ids = append(ids, m.Value)
		}
	}
	return ids
}

// appendNew appends to dst the members of ms whose ids seen does not hold yet, and
// records them in seen.
func appendNew(dst []scim.Member, seen map[string]bool, ms []scim.Member) []scim.Member {
	for _, m := range ms {
		if !seen[m.Value] {
			seen[m.Value] = true
			dst = append(dst, m)
		}
	}
	return dst
}

// lockMembers checks, inside the transaction that adds them, that the members ms are
// users of the tenant, and keeps them so until it ends: on PostgreSQL, MariaDB and
// MySQL it share-locks their rows, which a DeleteUser locks for update first; on
// SQLite tx must have written already, so that it holds the write lock. So a
// DeleteUser either ends before (the member is unknown: scim.ErrInvalidReference) or
// starts its deletion after the addition's COMMIT, and removes the membership with
// the user. Every transaction locks groups before users, DeleteUser too, so that the
// locks cannot deadlock.
func (s *Store) lockMembers(ctx context.Context, tx *sql.Tx, ms []scim.Member) error {
	_, err := s.checkMembers(ctx, tx, ms, true)
	return err
}

// foundMembers returns which of the members ms are users of the tenant, reading their
// rows with a share lock when lock is set.
func (s *Store) foundMembers(ctx context.Context, q queryer, ms []scim.Member, lock bool) (map[string]bool, error) {
	u := s.users
	found := map[string]bool{}
	for start := 0; start < len(ms); start += batch {
		chunk := ms[start:min(start+batch, len(ms))]
		b := &builder{d: s.d}
		b.sql("SELECT ", u.alias, ".", u.t.ID)
		withVersion := lock && s.d.mysqlLike()
		if withVersion {
			// InnoDB share-locks only the index entries it reads: through an index that
			// covers id and tenant (every secondary one does), the row itself, which
			// DeleteUser locks, would stay unlocked. The version is in no index of the
			// owned tables: reading it locks the row.
			b.sql(", ", u.alias, ".", u.t.Version)
		}
		b.sql(" FROM ", u.t.Name, " ", u.alias, " WHERE ")
		u.tenantOnly(b, tenant(ctx))
		b.sql(" AND ", u.alias, ".", u.t.ID, " IN (")
		for i, x := range chunk {
			if i > 0 {
				b.sql(", ")
			}
			b.arg(x.Value)
		}
		b.sql(")")
		if lock {
			b.sql(s.d.forKeyShare())
		}
		if err := scanAll(ctx, q, b.String(), b.args, func(r *sql.Rows) error {
			var id string
			var v int64
			dest := []any{&id, &v}
			if !withVersion {
				dest = dest[:1]
			}
			err := r.Scan(dest...)
			found[id] = true
			return err
		}); err != nil {
			return nil, err
		}
	}
	return found, nil
}

// insertMembers inserts the membership rows of the checked members ms that are not
// in the group yet and returns how many it inserted.
func (s *Store) insertMembers(ctx context.Context, tx *sql.Tx, group string, ms []scim.Member) (int64, error) {
	var added int64
	m := s.tables.Members
	pre, post := s.d.insertIgnore()
	for start := 0; start < len(ms); start += batch {
		chunk := ms[start:min(start+batch, len(ms))]
		b := &builder{d: s.d}
		b.sql(pre, "INTO ", m.Name, " (", m.Group, ", ", m.Member)
		if m.Tenant != "" {
			b.sql(", ", m.Tenant)
		}
		if m.Display != "" {
			b.sql(", ", m.Display)
		}
		b.sql(") VALUES ")
		for i, x := range chunk {
			if i > 0 {
				b.sql(", ")
			}
			b.sql("(").arg(group).sql(", ").arg(x.Value)
			if m.Tenant != "" {
				b.sql(", ").arg(tenant(ctx))
			}
			if m.Display != "" {
				b.sql(", ").arg(nullable(x.Display))
			}
			b.sql(")")
		}
		b.sql(post)
		n, err := exec(ctx, tx, b)
		if err != nil {
			return 0, err
		}
		added += n
	}
	return added, nil
}

func invalidMembers(ids []string) error {
	if len(ids) > 5 {
		ids = append(ids[:5:5], "…")
	}
	return fmt.Errorf("sqlstore: members %s are not users of the tenant: %w", strings.Join(ids, ", "), scim.ErrInvalidReference)
}

// removeMembers deletes the membership rows of ids in the group and returns how many
// there were.
func (s *Store) removeMembers(ctx context.Context, tx *sql.Tx, group string, ids []string) (int64, error) {
	var removed int64
	m := s.tables.Members
	for start := 0; start < len(ids); start += batch {
		chunk := ids[start:min(start+batch, len(ids))]
		b := &builder{d: s.d}
		b.sql("DELETE FROM ", m.Name, " WHERE ")
		s.rowKey(b, m.Group, m.Tenant, tenant(ctx), group)
		b.sql(" AND ", m.Member, " IN (")
		for i, id := range chunk {
			if i > 0 {
				b.sql(", ")
			}
			b.arg(id)
		}
		b.sql(")")
		n, err := exec(ctx, tx, b)
		if err != nil {
			return 0, err
		}
		removed += n
	}
	return removed, nil
}

// exec runs b in tx and returns the number of rows it changed.
func exec(ctx context.Context, tx *sql.Tx, b *builder) (int64, error) {
	res, err := tx.ExecContext(ctx, b.String(), b.args...)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

func (s *Store) groupHook(ctx context.Context, tx *sql.Tx, old, ng *scim.Group) error {
	if s.opts.GroupHook == nil {
		return nil
	}
	if err := s.opts.GroupHook(ctx, tx, old, ng); err != nil {
		return hostError{err}
	}
	return nil
}
