package scimstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"github.com/scimkit/scimkit/examples/workspace/store"
	"github.com/scimkit/scimkit/filter/sqlfilter"
	"github.com/scimkit/scimkit/scim"
)

// Groups is the scim.GroupStore of the workspace app: SCIM Groups are the teams of
// the request's workspace, and their members are members (users; teams do not nest).
// It implements scim.MemberPatcher, so that adding or removing members costs one
// statement each whatever the team's size. It is safe for concurrent use.
type Groups struct {
	db      *store.DB
	filters *sqlfilter.Mapping
}

// NewGroups returns the GroupStore over db.
func NewGroups(db *store.DB) *Groups { return &Groups{db: db, filters: groupFilters(db.Dialect)} }

var (
	_ scim.GroupStore    = (*Groups)(nil)
	_ scim.MemberPatcher = (*Groups)(nil)
)

const teamSelect = `SELECT t.id, t.display_name, COALESCE(t.external_id, ''), t.scim_attributes, t.version,
	t.created_at, t.updated_at`

func scanTeam(s interface{ Scan(...any) error }, extra ...any) (*teamRow, error) {
	r := &teamRow{}
	var attrs string
	dst := []any{&r.ID, &r.DisplayName, &r.ExternalID, &attrs, &r.Version,
		store.ScanTime(&r.Created), store.ScanTime(&r.Updated)}
	if err := s.Scan(append(dst, extra...)...); err != nil {
		return nil, err
	}
	r.Rest = []byte(attrs)
	return r, nil
}

// CreateGroup implements scim.GroupStore.
func (s *Groups) CreateGroup(ctx context.Context, g *scim.Group) (*scim.Group, error) {
	ws, err := tenant(ctx)
	if err != nil {
		return nil, err
	}
	r, err := teamFromGroup(g)
	if err != nil {
		return nil, fmt.Errorf("scimstore: encode group: %w", err)
	}
	r.Created, r.Updated = stamp(r.Created), stamp(r.Updated)
	var out *scim.Group
	err = inTx(ctx, s.db, func(tx *sql.Tx) error {
		ids, err := s.lockMembers(ctx, tx, ws, g.Members)
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO teams (id, workspace_id, display_name, external_id,
			scim_attributes, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, 1, $6, $7)`,
			r.ID, ws, r.DisplayName, null(r.ExternalID), string(r.Rest),
			s.db.Dialect.Time(r.Created), s.db.Dialect.Time(r.Updated))
		if store.IsUniqueViolation(err) {
			return fmt.Errorf("scimstore: displayName %q is taken: %w", r.DisplayName, scim.ErrUniqueness)
		}
		if store.IsForeignKeyViolation(err) {
			return fmt.Errorf("scimstore: workspace %q does not exist", ws)
		}
		if err != nil {
			return err
		}
		if _, err := s.addMembers(ctx, tx, r.ID, ids); err != nil {
			return err
		}
		out, err = s.get(ctx, tx, ws, r.ID, true)
		return err
	})
	if err != nil {
		return nil, wrap("create group", err)
	}
	return out, nil
}

// GetGroup implements scim.GroupStore; members are loaded only if p asks for them.
func (s *Groups) GetGroup(ctx context.Context, id string, p scim.Projection) (*scim.Group, error) {
	ws, err := tenant(ctx)
	if err != nil {
		return nil, err
	}
	g, err := s.get(ctx, s.db.SQL, ws, id, wants(p, "members"))
	return g, wrap("get group", err)
}

func (s *Groups) get(ctx context.Context, q querier, ws, id string, withMembers bool) (*scim.Group, error) {
	r, err := scanTeam(q.QueryRowContext(ctx, teamSelect+` FROM teams t WHERE t.workspace_id = $1 AND t.id = $2`, ws, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("scimstore: group %q: %w", id, scim.ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	gs, err := s.complete(ctx, q, []*teamRow{r}, withMembers)
	if err != nil {
		return nil, err
	}
	return gs[0], nil
}

// complete loads the members of rows, if asked, with one query and maps them to Groups.
func (s *Groups) complete(ctx context.Context, q querier, rows []*teamRow, withMembers bool) ([]*scim.Group, error) {
	var members map[string][]scim.Member
	if withMembers {
		members = make(map[string][]scim.Member, len(rows))
		ids := make([]string, len(rows))
		for i, r := range rows {
			ids[i] = r.ID
			members[r.ID] = []scim.Member{} // loaded, even when empty
		}
		mrows, err := q.QueryContext(ctx, `SELECT tm.team_id, m.id, COALESCE(m.display_name, m.user_name)
			FROM team_members tm JOIN members m ON m.id = tm.member_id
			WHERE tm.team_id IN (`+s.db.Dialect.StringList(1)+`) ORDER BY tm.team_id, tm.added_at, m.id`,
			jsonStrings(ids))
		if err != nil {
			return nil, err
		}
		defer mrows.Close()
		for mrows.Next() {
			var team string
			m := scim.Member{Type: "User"}
			if err := mrows.Scan(&team, &m.Value, &m.Display); err != nil {
				return nil, err
			}
			members[team] = append(members[team], m)
		}
		if err := mrows.Err(); err != nil {
			return nil, err
		}
	}
	gs := make([]*scim.Group, len(rows))
	for i, r := range rows {
		var err error
		if gs[i], err = r.group(members[r.ID]); err != nil {
			return nil, fmt.Errorf("decode group %s: %w", r.ID, err)
		}
	}
	return gs, nil
}

// ListGroups implements scim.GroupStore with one query for the page and its total,
// plus one for the page's members unless the projection leaves them out.
func (s *Groups) ListGroups(ctx context.Context, q scim.Query) (*scim.Page[scim.Group], error) {
	ws, err := tenant(ctx)
	if err != nil {
		return nil, err
	}
	d := s.db.Dialect
	cond, args, err := where(s.filters, q, []any{ws})
	if err != nil {
		return nil, err
	}
	order, err := orderBy(d, q, s.filters, "t")
	if err != nil {
		return nil, err
	}
	from := " FROM teams t WHERE t.workspace_id = " + d.Param(1) + " AND (" + cond + ")"
	rows, total, err := pageRows(ctx, s.db, q, "groups", teamSelect, from, order, args, scanTeam)
	if err != nil {
		return nil, err
	}
	page := &scim.Page[scim.Group]{Resources: []*scim.Group{}, Total: total}
	if len(rows) == 0 {
		return page, nil
	}
	gs, err := s.complete(ctx, s.db.SQL, rows, wants(q.Projection, "members"))
	if err != nil {
		return nil, wrap("list groups", err)
	}
	page.Resources = gs
	return page, nil
}

// ReplaceGroup implements scim.GroupStore. g.Members is the whole new member list;
// members that stay keep their rows, so the work is proportional to the change.
func (s *Groups) ReplaceGroup(ctx context.Context, g *scim.Group, ifMatch string) (*scim.Group, error) {
	ws, err := tenant(ctx)
	if err != nil {
		return nil, err
	}
	r, err := teamFromGroup(g)
	if err != nil {
		return nil, fmt.Errorf("scimstore: encode group: %w", err)
	}
	r.Updated = stamp(r.Updated)
	var out *scim.Group
	err = inTx(ctx, s.db, func(tx *sql.Tx) error {
		ids, err := s.lockMembers(ctx, tx, ws, g.Members)
		if err != nil {
			return err
		}
		if err := lockVersion(ctx, tx, s.db.Dialect, "teams", ws, r.ID, ifMatch); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE teams SET display_name = $2, external_id = $3,
			scim_attributes = $4, updated_at = $5, version = version + 1 WHERE id = $1`,
			r.ID, r.DisplayName, null(r.ExternalID), string(r.Rest), s.db.Dialect.Time(r.Updated))
		if store.IsUniqueViolation(err) {
			return fmt.Errorf("scimstore: displayName %q is taken: %w", r.DisplayName, scim.ErrUniqueness)
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM team_members WHERE team_id = $1
			AND member_id NOT IN (`+s.db.Dialect.StringList(2)+`)`, r.ID, jsonStrings(ids)); err != nil {
			return err
		}
		if _, err := s.addMembers(ctx, tx, r.ID, ids); err != nil {
			return err
		}
		out, err = s.get(ctx, tx, ws, r.ID, true)
		return err
	})
	if err != nil {
		return nil, wrap("replace group", err)
	}
	return out, nil
}

// DeleteGroup implements scim.GroupStore; the team's members stay.
func (s *Groups) DeleteGroup(ctx context.Context, id string, ifMatch string) error {
	ws, err := tenant(ctx)
	if err != nil {
		return err
	}
	err = inTx(ctx, s.db, func(tx *sql.Tx) error {
		if err := lockVersion(ctx, tx, s.db.Dialect, "teams", ws, id, ifMatch); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `DELETE FROM teams WHERE id = $1`, id)
		return err
	})
	return wrap("delete group", err)
}

// PatchMembers implements scim.MemberPatcher: a rename, a removal and an addition are
// one statement each, and the version changes only if the team did.
//
// Concurrent patches of one team serialise only on the final version bump: the team
// row is read with a key-share lock (which keeps it from being deleted but lets
// other patches proceed), members are inserted and deleted, and the row is updated
// last, so that the exclusive lock is held only from that update to the commit.
func (s *Groups) PatchMembers(ctx context.Context, id string, c scim.MemberChange, ifMatch string) (string, error) {
	ws, err := tenant(ctx)
	if err != nil {
		return "", err
	}
	d := s.db.Dialect
	var v int64
	err = inTx(ctx, s.db, func(tx *sql.Tx) error {
		// Lock order everywhere: members before teams, so transactions cannot deadlock.
		add, err := s.lockMembers(ctx, tx, ws, c.Add)
		if err != nil {
			return err
		}
		if ifMatch != "" {
			// A precondition must hold until the commit: lock the row now.
			if err := lockVersion(ctx, tx, d, "teams", ws, id, ifMatch); err != nil {
				return err
			}
		} else {
			err := tx.QueryRowContext(ctx, `SELECT version FROM teams WHERE workspace_id = $1 AND id = $2`+
				d.ForKeyShare(), ws, id).Scan(&v)
			if errors.Is(err, sql.ErrNoRows) {
				return fmt.Errorf("scimstore: teams %q: %w", id, scim.ErrNotFound)
			}
			if err != nil {
				return err
			}
		}
		changed := false
		if c.DisplayName != nil {
			res, err := tx.ExecContext(ctx, `UPDATE teams SET display_name = $2 WHERE id = $1 AND display_name <> $2`,
				id, *c.DisplayName)
			if store.IsUniqueViolation(err) {
				return fmt.Errorf("scimstore: displayName %q is taken: %w", *c.DisplayName, scim.ErrUniqueness)
			}
			if err != nil {
				return err
			}
			changed = changed || affected(res) > 0
		}
		if len(c.Remove) > 0 {
			res, err := tx.ExecContext(ctx, `DELETE FROM team_members WHERE team_id = $1
				AND member_id IN (`+d.StringList(2)+`)`, id, jsonStrings(c.Remove))
			if err != nil {
				return err
			}
			changed = changed || affected(res) > 0
		}
		n, err := s.addMembers(ctx, tx, id, add)
		if err != nil {
			return err
		}
		changed = changed || n > 0
		if !changed {
			return tx.QueryRowContext(ctx, `SELECT version FROM teams WHERE id = $1`, id).Scan(&v)
		}
		return tx.QueryRowContext(ctx, `UPDATE teams SET version = version + 1, updated_at = $2
			WHERE id = $1 RETURNING version`, id, d.Time(store.Now())).Scan(&v)
	})
	if err != nil {
		return "", wrap("patch members", err)
	}
	return version(v), nil
}

// lockMembers checks that every member names a member of the workspace that is not
// deleted, and locks them against deletion until the transaction ends, so that no
// deleted member can end up in a team. It returns their ids without duplicates, or
// ErrInvalidReference naming the unknown ones.
func (s *Groups) lockMembers(ctx context.Context, tx *sql.Tx, ws string, ms []scim.Member) ([]string, error) {
	if len(ms) == 0 {
		return nil, nil
	}
	ids := make([]string, 0, len(ms))
	seen := make(map[string]bool, len(ms))
	var bad []string
	for _, m := range ms {
		if m.Type != "" && !strings.EqualFold(m.Type, "User") {
			bad = append(bad, m.Value) // teams do not nest
		} else if !seen[m.Value] {
			seen[m.Value] = true
			ids = append(ids, m.Value)
		}
	}
	rows, err := tx.QueryContext(ctx, `SELECT id FROM members WHERE workspace_id = $1 AND deleted_at IS NULL
		AND id IN (`+s.db.Dialect.StringList(2)+`)`+s.db.Dialect.ForShare(), ws, jsonStrings(ids))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	found := 0
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		seen[id] = false
		found++
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if found < len(ids) {
		for _, id := range ids {
			if seen[id] {
				bad = append(bad, id)
			}
		}
	}
	if len(bad) > 0 {
		if len(bad) > 10 {
			bad = append(bad[:10], "…")
		}
		return nil, fmt.Errorf("scimstore: no such members: %s: %w", strings.Join(bad, ", "), scim.ErrInvalidReference)
	}
	return ids, nil
}

// addMembers adds ids (checked by lockMembers) to a team in one statement; ids
// already in it are skipped. It returns how many were added.
func (s *Groups) addMembers(ctx context.Context, tx *sql.Tx, team string, ids []string) (int64, error) {
	if len(ids) == 0 {
		return 0, nil
	}
	// "WHERE true" tells SQLite that ON CONFLICT belongs to the INSERT, not to a join.
	res, err := tx.ExecContext(ctx, `INSERT INTO team_members (team_id, member_id, added_at)
		SELECT $1, l.value, `+s.db.Dialect.TimeParam(3)+` FROM (`+s.db.Dialect.StringList(2)+`) l WHERE true
		ON CONFLICT DO NOTHING`, team, jsonStrings(ids), s.db.Dialect.Time(store.Now()))
	if err != nil {
		return 0, err
	}
	return affected(res), nil
}

func affected(res sql.Result) int64 {
	n, _ := res.RowsAffected()
	return n
}
