package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/google/uuid"
)

// A Desk is a bookable place: a desk or a meeting room.
type Desk struct {
	ID   string
	Name string
	Kind string // "desk" or "room"
}

// A Booking reserves one desk for one member on one day. Bookings are history: no
// provisioning change removes them, not even deleting the member.
type Booking struct {
	ID         string
	DeskID     string
	DeskName   string
	MemberID   string
	MemberName string
	Day        string // YYYY-MM-DD
	Created    time.Time
}

// ErrTaken reports that the desk is already booked that day.
var ErrTaken = errors.New("store: desk already booked")

// Desks returns the desks and rooms of a workspace, by name.
func (db *DB) Desks(ctx context.Context, workspaceID string) ([]Desk, error) {
	return queryList(ctx, db, "desks",
		`SELECT id, name, kind FROM desks WHERE workspace_id = $1 ORDER BY kind, name`, []any{workspaceID},
		func(rows *sql.Rows, d *Desk) error {
			return rows.Scan(&d.ID, &d.Name, &d.Kind)
		})
}

const bookingSelect = `SELECT b.id, b.desk_id, d.name, b.member_id,
	COALESCE(m.display_name, m.user_name, f.display_name, f.user_name, b.member_id), b.day, b.created_at
	FROM bookings b JOIN desks d ON d.id = b.desk_id LEFT JOIN members m ON m.id = b.member_id
	LEFT JOIN former_members f ON f.id = b.member_id`

func (db *DB) bookings(ctx context.Context, where string, args ...any) ([]Booking, error) {
	return queryList(ctx, db, "bookings", bookingSelect+" WHERE "+where+" ORDER BY b.day, d.name", args,
		func(rows *sql.Rows, b *Booking) error {
			return rows.Scan(&b.ID, &b.DeskID, &b.DeskName, &b.MemberID, &b.MemberName, &b.Day,
				ScanTime(&b.Created))
		})
}

// BookingsOn returns the bookings of a workspace on one day (YYYY-MM-DD).
func (db *DB) BookingsOn(ctx context.Context, workspaceID, day string) ([]Booking, error) {
	return db.bookings(ctx, "b.workspace_id = $1 AND b.day = $2", workspaceID, day)
}

// BookingsOf returns every booking a member ever made, deleted members included.
func (db *DB) BookingsOf(ctx context.Context, workspaceID, memberID string) ([]Booking, error) {
	return db.bookings(ctx, "b.workspace_id = $1 AND b.member_id = $2", workspaceID, memberID)
}

// Book reserves a desk for a member on day (YYYY-MM-DD). It fails with ErrInactive
// if the member has been deactivated, ErrNotFound if the member or desk does not
// exist (or the member was deleted), and ErrTaken if someone has that desk that day.
func (db *DB) Book(ctx context.Context, workspaceID, memberID, deskID, day string) (*Booking, error) {
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		return nil, fmt.Errorf("store: bad day %q", day)
	}
	b := &Booking{ID: uuid.NewString(), DeskID: deskID, MemberID: memberID, Day: day, Created: Now()}
	err := db.InTx(ctx, func(tx *sql.Tx) error {
		// Lock the member row: a deactivation that races with this booking either
		// happens first (and the booking is refused) or waits for it.
		var active bool
		err := tx.QueryRowContext(ctx, `SELECT active, COALESCE(display_name, user_name) FROM members
			WHERE workspace_id = $1 AND id = $2`+db.Dialect.ForUpdate(),
			workspaceID, memberID).Scan(&active, &b.MemberName)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: member %q: %w", memberID, ErrNotFound)
		}
		if err != nil {
			return err
		}
		if !active {
			return ErrInactive
		}
		err = tx.QueryRowContext(ctx, `SELECT name FROM desks WHERE workspace_id = $1 AND id = $2`,
			workspaceID, deskID).Scan(&b.DeskName)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("store: desk %q: %w", deskID, ErrNotFound)
		}
		if err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO bookings (id, workspace_id, desk_id, member_id, day, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)`, b.ID, workspaceID, deskID, memberID, day, db.Dialect.Time(b.Created))
		if IsUniqueViolation(err) {
			return ErrTaken
		}
		return err
	})
	if err != nil {
		if errors.Is(err, ErrInactive) || errors.Is(err, ErrNotFound) || errors.Is(err, ErrTaken) {
			return nil, err
		}
		return nil, fmt.Errorf("store: book: %w", err)
	}
	return b, nil
}
