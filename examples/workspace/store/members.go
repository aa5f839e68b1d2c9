package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"
)

// A Member is a person of a workspace as the app itself sees them: who can sign in,
// book a desk and belong to teams. Package scimstore maps SCIM Users onto the same rows.
type Member struct {
	ID          string
	WorkspaceID string
	UserName    string
	ExternalID  string // the identity provider's own id of the person, "" if none
	DisplayName string
	Email       string // the primary email, or the first one, or ""
	Department  string
	Title       string
	// Active is false for a member whose identity provider disabled them: they keep
	// their history but can neither sign in nor book.
	Active  bool
	Teams   []string // names of the member's teams, sorted
	Created time.Time
	Updated time.Time
}

// Name returns the name to show for m: the display name, or else the user name.
func (m *Member) Name() string {
	if m.DisplayName != "" {
		return m.DisplayName
	}
	return m.UserName
}

// ErrInactive reports that a deactivated member tried to sign in or book.
var ErrInactive = errors.New("store: member is deactivated")

// memberSelect reads the columns that scanMember expects.
const memberSelect = `SELECT m.id, m.workspace_id, m.user_name, COALESCE(m.external_id, ''), COALESCE(m.display_name, ''),
	COALESCE((SELECT e.value FROM member_emails e WHERE e.member_id = m.id
		ORDER BY e.is_primary DESC, e.position LIMIT 1), ''),
	COALESCE(m.department, ''), COALESCE(m.title, ''), m.active, m.created_at, m.updated_at
	FROM members m`

func scanMember(s interface{ Scan(...any) error }) (*Member, error) {
	m := &Member{}
	err := s.Scan(&m.ID, &m.WorkspaceID, &m.UserName, &m.ExternalID, &m.DisplayName, &m.Email,
		&m.Department, &m.Title, &m.Active, ScanTime(&m.Created), ScanTime(&m.Updated))
	return m, err
}

// Members returns the members of a workspace whose user name, display name,
// externalId or an email contains search, ignoring case ("" returns all), with their
// teams, ordered by name. Deleted members are left out; their bookings stay.
func (db *DB) Members(ctx context.Context, workspaceID, search string) ([]*Member, error) {
	like := "%" + likeEscape(strings.ToLower(search)) + "%"
	rows, err := db.SQL.QueryContext(ctx, memberSelect+`
		WHERE m.workspace_id = $1 AND ($2 = '%%'
			OR lower(m.user_name) LIKE $2 ESCAPE '\' OR lower(COALESCE(m.display_name, '')) LIKE $2 ESCAPE '\'
			OR lower(COALESCE(m.external_id, '')) LIKE $2 ESCAPE '\'
			OR EXISTS (SELECT 1 FROM member_emails e WHERE e.member_id = m.id AND lower(e.value) LIKE $2 ESCAPE '\'))
		ORDER BY lower(COALESCE(m.display_name, m.user_name)), m.id`, workspaceID, like)
	if err != nil {
		return nil, fmt.Errorf("store: list members: %w", err)
	}
	defer rows.Close()
	var ms []*Member
	byID := map[string]*Member{}
	for rows.Next() {
		m, err := scanMember(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list members: %w", err)
		}
		ms = append(ms, m)
		byID[m.ID] = m
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list members: %w", err)
	}
	rows.Close()
	trows, err := db.SQL.QueryContext(ctx, `SELECT tm.member_id, t.display_name
		FROM team_members tm JOIN teams t ON t.id = tm.team_id
		WHERE t.workspace_id = $1 ORDER BY lower(t.display_name)`, workspaceID)
	if err != nil {
		return nil, fmt.Errorf("store: list member teams: %w", err)
	}
	defer trows.Close()
	for trows.Next() {
		var id, team string
		if err := trows.Scan(&id, &team); err != nil {
			return nil, fmt.Errorf("store: list member teams: %w", err)
		}
		if m := byID[id]; m != nil {
			m.Teams = append(m.Teams, team)
		}
	}
	return ms, trows.Err()
}

// Member returns a member of the workspace, or ErrNotFound.
func (db *DB) Member(ctx context.Context, workspaceID, id string) (*Member, error) {
	m, err := scanMember(db.SQL.QueryRowContext(ctx, memberSelect+`
		WHERE m.workspace_id = $1 AND m.id = $2`, workspaceID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: member %q: %w", id, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: read member: %w", err)
	}
	return m, nil
}

// SignIn finds the member of the workspace whose user name or one of whose emails
// equals email, ignoring case. A deactivated member yields ErrInactive; nobody, ErrNotFound.
func (db *DB) SignIn(ctx context.Context, workspaceID, email string) (*Member, error) {
	m, err := scanMember(db.SQL.QueryRowContext(ctx, memberSelect+`
		WHERE m.workspace_id = $1
		AND (lower(m.user_name) = lower($2)
			OR EXISTS (SELECT 1 FROM member_emails e WHERE e.member_id = m.id AND lower(e.value) = lower($2)))
		ORDER BY m.created_at LIMIT 1`, workspaceID, email))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("store: no member %q: %w", email, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("store: sign in: %w", err)
	}
	if !m.Active {
		return nil, ErrInactive
	}
	return m, nil
}

// A Team is a group of members, provisioned as a SCIM Group.
type Team struct {
	ID      string
	Name    string
	Members int // number of members
}

// Teams returns the teams of a workspace, ordered by name.
func (db *DB) Teams(ctx context.Context, workspaceID string) ([]Team, error) {
	return queryList(ctx, db, "teams", `SELECT t.id, t.display_name,
		(SELECT count(*) FROM team_members tm WHERE tm.team_id = t.id)
		FROM teams t WHERE t.workspace_id = $1 ORDER BY lower(t.display_name), t.id`, []any{workspaceID},
		func(rows *sql.Rows, t *Team) error {
			return rows.Scan(&t.ID, &t.Name, &t.Members)
		})
}
