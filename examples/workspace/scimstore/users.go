package scimstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/scimkit/scimkit/examples/workspace/store"
	"github.com/scimkit/scimkit/filter/sqlfilter"
	"github.com/scimkit/scimkit/scim"
)

// Users is the scim.UserStore of the workspace app: SCIM Users are the members of
// the workspace named by the request's tenant (see mapping.go). It is safe for
// concurrent use, also by several processes over one database: every write runs in
// one transaction that checks the version it read (If-Match) under a row lock.
type Users struct {
	db      *store.DB
	filters *sqlfilter.Mapping
}

// NewUsers returns the UserStore over db.
func NewUsers(db *store.DB) *Users { return &Users{db: db, filters: userFilters(db.Dialect)} }

var _ scim.UserStore = (*Users)(nil)

// memberSelect reads a memberRow (without emails) in the order scanMember expects.
const memberSelect = `SELECT m.id, m.user_name, COALESCE(m.external_id, ''), COALESCE(m.display_name, ''),
	COALESCE(m.name_formatted, ''), COALESCE(m.given_name, ''), COALESCE(m.family_name, ''),
	COALESCE(m.middle_name, ''), COALESCE(m.honorific_prefix, ''), COALESCE(m.honorific_suffix, ''),
	COALESCE(m.title, ''), m.active, COALESCE(m.employee_number, ''), COALESCE(m.cost_center, ''),
	COALESCE(m.organization, ''), COALESCE(m.division, ''), COALESCE(m.department, ''),
	COALESCE(m.manager_id, ''), m.scim_attributes, m.version, m.created_at, m.updated_at`

const memberFrom = ` FROM members m`

func scanMember(s interface{ Scan(...any) error }, extra ...any) (*memberRow, error) {
	r := &memberRow{}
	var attrs string
	dst := []any{&r.ID, &r.UserName, &r.ExternalID, &r.DisplayName,
		&r.NameFormatted, &r.GivenName, &r.FamilyName, &r.MiddleName, &r.HonorificPrefix, &r.HonorificSuffix,
		&r.Title, &r.Active, &r.EmployeeNumber, &r.CostCenter, &r.Organization, &r.Division, &r.Department,
		&r.ManagerID, &attrs, &r.Version, store.ScanTime(&r.Created), store.ScanTime(&r.Updated)}
	if err := s.Scan(append(dst, extra...)...); err != nil {
		return nil, err
	}
	r.Rest = []byte(attrs)
	return r, nil
}

// CreateUser implements scim.UserStore.
func (s *Users) CreateUser(ctx context.Context, u *scim.User) (*scim.User, error) {
	ws, err := tenant(ctx)
	if err != nil {
		return nil, err
	}
	r, err := memberFromUser(u)
	if err != nil {
		return nil, fmt.Errorf("scimstore: encode user: %w", err)
	}
	r.Created, r.Updated = stamp(r.Created), stamp(r.Updated)
	var out *scim.User
	err = inTx(ctx, s.db, func(tx *sql.Tx) error {
		if err := s.checkManager(ctx, tx, ws, r.ID, r.ManagerID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO members (id, workspace_id, user_name, external_id,
			display_name, name_formatted, given_name, family_name, middle_name, honorific_prefix,
			honorific_suffix, title, active, employee_number, cost_center, organization, division,
			department, manager_id, scim_attributes, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19,
			$20, 1, $21, $22)`,
			r.ID, ws, r.UserName, null(r.ExternalID), null(r.DisplayName), null(r.NameFormatted),
			null(r.GivenName), null(r.FamilyName), null(r.MiddleName), null(r.HonorificPrefix),
			null(r.HonorificSuffix), null(r.Title), r.Active, null(r.EmployeeNumber), null(r.CostCenter),
			null(r.Organization), null(r.Division), null(r.Department), null(r.ManagerID), string(r.Rest),
			s.db.Dialect.Time(r.Created), s.db.Dialect.Time(r.Updated))
		if store.IsUniqueViolation(err) {
			return fmt.Errorf("scimstore: userName %q is taken: %w", r.UserName, scim.ErrUniqueness)
		}
		if store.IsForeignKeyViolation(err) {
			return fmt.Errorf("scimstore: workspace %q does not exist", ws)
		}
		if err != nil {
			return err
		}
		if err := writeEmails(ctx, tx, r.ID, r.Emails); err != nil {
			return err
		}
		out, err = s.get(ctx, tx, ws, r.ID, true)
		return err
	})
	if err != nil {
		return nil, wrap("create user", err)
	}
	return out, nil
}

// GetUser implements scim.UserStore.
func (s *Users) GetUser(ctx context.Context, id string) (*scim.User, error) {
	ws, err := tenant(ctx)
	if err != nil {
		return nil, err
	}
	u, err := s.get(ctx, s.db.SQL, ws, id, true)
	return u, wrap("get user", err)
}

// get reads one user that is not deleted, with its emails and, if withGroups, its teams.
func (s *Users) get(ctx context.Context, q querier, ws, id string, withGroups bool) (*scim.User, error) {
	r, err := scanMember(q.QueryRowContext(ctx, memberSelect+memberFrom+`
		WHERE m.workspace_id = $1 AND m.id = $2 AND m.deleted_at IS NULL`, ws, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("scimstore: user %q: %w", id, scim.ErrNotFound)
	}
	if err != nil {
		return nil, err
	}
	us, err := s.complete(ctx, q, []*memberRow{r}, withGroups)
	if err != nil {
		return nil, err
	}
	return us[0], nil
}

// complete loads the emails (and teams) of rows with one query each and maps them to Users.
func (s *Users) complete(ctx context.Context, q querier, rows []*memberRow, withGroups bool) ([]*scim.User, error) {
	if len(rows) == 0 {
		return nil, nil
	}
	byID := make(map[string]*memberRow, len(rows))
	ids := make([]string, len(rows))
	for i, r := range rows {
		byID[r.ID], ids[i] = r, r.ID
	}
	list := jsonStrings(ids)
	erows, err := q.QueryContext(ctx, `SELECT member_id, value, COALESCE(type, ''), COALESCE(display, ''),
		is_primary FROM member_emails WHERE member_id IN (`+s.db.Dialect.StringList(1)+`)
		ORDER BY member_id, position`, list)
	if err != nil {
		return nil, err
	}
	defer erows.Close()
	for erows.Next() {
		var id string
		var e scim.MultiValue
		if err := erows.Scan(&id, &e.Value, &e.Type, &e.Display, &e.Primary); err != nil {
			return nil, err
		}
		byID[id].Emails = append(byID[id].Emails, e)
	}
	if err := erows.Err(); err != nil {
		return nil, err
	}
	erows.Close()
	groups := map[string][]scim.GroupRef{}
	if withGroups {
		grows, err := q.QueryContext(ctx, `SELECT tm.member_id, t.id, t.display_name
			FROM team_members tm JOIN teams t ON t.id = tm.team_id
			WHERE tm.member_id IN (`+s.db.Dialect.StringList(1)+`) ORDER BY lower(t.display_name), t.id`, list)
		if err != nil {
			return nil, err
		}
		defer grows.Close()
		for grows.Next() {
			var id string
			g := scim.GroupRef{Type: "direct"}
			if err := grows.Scan(&id, &g.Value, &g.Display); err != nil {
				return nil, err
			}
			groups[id] = append(groups[id], g)
		}
		if err := grows.Err(); err != nil {
			return nil, err
		}
	}
	us := make([]*scim.User, len(rows))
	for i, r := range rows {
		if us[i], err = r.user(groups[r.ID]); err != nil {
			return nil, fmt.Errorf("decode user %s: %w", r.ID, err)
		}
	}
	return us, nil
}

// ListUsers implements scim.UserStore with one query for the page and its total
// (plus one each for the page's emails and teams).
func (s *Users) ListUsers(ctx context.Context, q scim.Query) (*scim.Page[scim.User], error) {
	ws, err := tenant(ctx)
	if err != nil {
		return nil, err
	}
	d := s.db.Dialect
	cond, args, err := where(s.filters, q, []any{ws})
	if err != nil {
		return nil, err
	}
	order, err := orderBy(d, q, s.filters, "m")
	if err != nil {
		return nil, err
	}
	from := memberFrom + " WHERE m.workspace_id = " + d.Param(1) + " AND m.deleted_at IS NULL AND (" + cond + ")"
	rows, total, err := pageRows(ctx, s.db, q, "users", memberSelect, from, order, args, scanMember)
	if err != nil {
		return nil, err
	}
	page := &scim.Page[scim.User]{Resources: []*scim.User{}, Total: total}
	if len(rows) == 0 {
		return page, nil
	}
	us, err := s.complete(ctx, s.db.SQL, rows, wants(q.Projection, "groups"))
	if err != nil {
		return nil, wrap("list users", err)
	}
	page.Resources = us
	return page, nil
}

// ReplaceUser implements scim.UserStore.
func (s *Users) ReplaceUser(ctx context.Context, u *scim.User, ifMatch string) (*scim.User, error) {
	ws, err := tenant(ctx)
	if err != nil {
		return nil, err
	}
	r, err := memberFromUser(u)
	if err != nil {
		return nil, fmt.Errorf("scimstore: encode user: %w", err)
	}
	r.Updated = stamp(r.Updated)
	var out *scim.User
	err = inTx(ctx, s.db, func(tx *sql.Tx) error {
		if err := lockVersion(ctx, tx, s.db.Dialect, "members", ws, r.ID, ifMatch); err != nil {
			return err
		}
		if err := s.checkManager(ctx, tx, ws, r.ID, r.ManagerID); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE members SET user_name = $3, external_id = $4,
			display_name = $5, name_formatted = $6, given_name = $7, family_name = $8, middle_name = $9,
			honorific_prefix = $10, honorific_suffix = $11, title = $12, active = $13,
			employee_number = $14, cost_center = $15, organization = $16, division = $17,
			department = $18, manager_id = $19, scim_attributes = $20, updated_at = $21,
			version = version + 1
			WHERE workspace_id = $1 AND id = $2`,
			ws, r.ID, r.UserName, null(r.ExternalID), null(r.DisplayName), null(r.NameFormatted),
			null(r.GivenName), null(r.FamilyName), null(r.MiddleName), null(r.HonorificPrefix),
			null(r.HonorificSuffix), null(r.Title), r.Active, null(r.EmployeeNumber), null(r.CostCenter),
			null(r.Organization), null(r.Division), null(r.Department), null(r.ManagerID), string(r.Rest),
			s.db.Dialect.Time(r.Updated))
		if store.IsUniqueViolation(err) {
			return fmt.Errorf("scimstore: userName %q is taken: %w", r.UserName, scim.ErrUniqueness)
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM member_emails WHERE member_id = $1`, r.ID); err != nil {
			return err
		}
		if err := writeEmails(ctx, tx, r.ID, r.Emails); err != nil {
			return err
		}
		out, err = s.get(ctx, tx, ws, r.ID, true)
		return err
	})
	if err != nil {
		return nil, wrap("replace user", err)
	}
	return out, nil
}

// DeleteUser implements scim.UserStore. The member row stays, marked deleted, so that
// their bookings keep a name; they leave every team and stop managing anyone.
func (s *Users) DeleteUser(ctx context.Context, id string, ifMatch string) error {
	ws, err := tenant(ctx)
	if err != nil {
		return err
	}
	err = inTx(ctx, s.db, func(tx *sql.Tx) error {
		if err := lockVersion(ctx, tx, s.db.Dialect, "members", ws, id, ifMatch); err != nil {
			return err
		}
		now := s.db.Dialect.Time(store.Now())
		if _, err := tx.ExecContext(ctx, `UPDATE members SET deleted_at = $1, version = version + 1
			WHERE id = $2`, now, id); err != nil {
			return err
		}
		// Membership and manager links change their resources' versions too.
		if _, err := tx.ExecContext(ctx, `UPDATE teams SET version = version + 1, updated_at = $1
			WHERE id IN (SELECT team_id FROM team_members WHERE member_id = $2)`, now, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM team_members WHERE member_id = $1`, id); err != nil {
			return err
		}
		_, err := tx.ExecContext(ctx, `UPDATE members SET manager_id = NULL, version = version + 1,
			updated_at = $1 WHERE manager_id = $2`, now, id)
		return err
	})
	return wrap("delete user", err)
}

// checkManager fails with ErrInvalidReference unless managerID is "" or names a member
// of the workspace, which it locks against deletion until the transaction ends.
func (s *Users) checkManager(ctx context.Context, tx *sql.Tx, ws, id, managerID string) error {
	if managerID == "" || managerID == id {
		return nil
	}
	var one int
	err := tx.QueryRowContext(ctx, `SELECT 1 FROM members WHERE workspace_id = $1 AND id = $2
		AND deleted_at IS NULL`+s.db.Dialect.ForShare(), ws, managerID).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("scimstore: manager %q: %w", managerID, scim.ErrInvalidReference)
	}
	return err
}

func writeEmails(ctx context.Context, tx *sql.Tx, memberID string, emails []scim.MultiValue) error {
	for i, e := range emails {
		if _, err := tx.ExecContext(ctx, `INSERT INTO member_emails (member_id, position, value, type,
			display, is_primary) VALUES ($1, $2, $3, $4, $5, $6)`,
			memberID, i, e.Value, null(e.Type), null(e.Display), e.Primary); err != nil {
			return err
		}
	}
	return nil
}

// jsonStrings encodes ids as a JSON array for Dialect.StringList.
func jsonStrings(ss []string) string {
	if len(ss) == 0 {
		return "[]"
	}
	b, _ := json.Marshal(ss)
	return string(b)
}

// null stores an unassigned ("") string as NULL.
func null(s string) any {
	if s == "" {
		return nil
	}
	return s
}
