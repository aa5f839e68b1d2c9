package sqlstoretest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/sqlstore"
)

// A member addition racing the deletion of that user either comes first, and the
// deletion removes the membership, or comes second and fails as an unknown member
// (400 invalidValue): no membership row is ever left naming a user that is gone.
// Each way of adding members races: PatchMembers queued (additions alone) and not
// (with a rename), CreateGroup and ReplaceGroup with members.
func TestMemberAddRacingUserDeleteLeavesNoMembershipOfADeletedUser(t *testing.T) {
	each(t, func(t *testing.T, b backend, m mode) {
		s, db := newStore(t, b, m, sqlstore.Options{})
		ctx := scim.WithTenant(t.Context(), "acme")
		const n = 40 // pairs per way of adding
		member := func(id string) []scim.Member { return []scim.Member{{Value: id}} }
		ways := []struct {
			name string
			add  func(i int, user string) error
		}{
			{"queued patch", func(i int, user string) error {
				_, err := s.PatchMembers(ctx, fmt.Sprintf("q%d", i%4), scim.MemberChange{Add: member(user)}, "")
				return err
			}},
			{"patch", func(i int, user string) error {
				name := fmt.Sprintf("p%d", i%4) // unchanged, but a rename is not queued
				_, err := s.PatchMembers(ctx, name, scim.MemberChange{Add: member(user), DisplayName: &name}, "")
				return err
			}},
			{"create", func(i int, user string) error {
				_, err := s.CreateGroup(ctx, &scim.Group{ID: fmt.Sprintf("c%d", i), DisplayName: fmt.Sprintf("C%d", i), Members: member(user)})
				return err
			}},
			{"replace", func(i int, user string) error {
				_, err := s.ReplaceGroup(ctx, &scim.Group{ID: fmt.Sprintf("r%d", i), DisplayName: fmt.Sprintf("R%d", i), Members: member(user)}, "")
				return err
			}},
		}
		for i := range 4 {
			for _, g := range []string{"q", "p"} {
				if _, err := s.CreateGroup(ctx, &scim.Group{ID: fmt.Sprintf("%s%d", g, i), DisplayName: fmt.Sprintf("%s%d", g, i)}); err != nil {
					t.Fatal(err)
				}
			}
		}
		for i := range n {
			if _, err := s.CreateGroup(ctx, &scim.Group{ID: fmt.Sprintf("r%d", i), DisplayName: fmt.Sprintf("R%d", i)}); err != nil {
				t.Fatal(err)
			}
		}
		users := make([][]string, len(ways))
		for w := range ways {
			users[w] = makeUsers(t, ctx, s, fmt.Sprintf("w%d", w), n)
		}
		start := make(chan struct{})
		var wg sync.WaitGroup
		var mu sync.Mutex
		var errs []error
		added := 0
		report := func(what string, err error) {
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, fmt.Errorf("%s: %w", what, err))
			}
		}
		for w, way := range ways {
			for i, u := range users[w] {
				wg.Add(2)
				go func() {
					defer wg.Done()
					<-start
					err := way.add(i, u)
					if err == nil {
						mu.Lock()
						added++
						mu.Unlock()
					}
					if errors.Is(err, scim.ErrInvalidReference) {
						err = nil // the deletion came first
					}
					report(way.name+" "+u, err)
				}()
				go func() {
					defer wg.Done()
					<-start
					report("delete "+u, s.DeleteUser(ctx, u, ""))
				}()
			}
		}
		close(start)
		wg.Wait()
		for _, err := range errs {
			t.Error(err)
		}
		t.Logf("%d of %d additions came before their user's deletion", added, len(ways)*n)
		if left := orphanMemberships(t, db, s.Tables()); len(left) > 0 {
			t.Errorf("%d memberships name deleted users: %v", len(left), left)
		}
	})
}

// orphanMemberships returns the memberships (group/user) whose user is not in the
// users table.
func orphanMemberships(t *testing.T, db *sql.DB, tb *sqlstore.Tables) []string {
	t.Helper()
	m, u := tb.Members, tb.Users
	q := "SELECT m." + m.Group + ", m." + m.Member + " FROM " + m.Name + " m WHERE NOT EXISTS (SELECT 1 FROM " + u.Name +
		" u WHERE u." + u.ID + " = m." + m.Member + " AND u." + u.Tenant + " = m." + m.Tenant + ")"
	rows, err := db.QueryContext(context.Background(), q)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var g, id string
		if err := rows.Scan(&g, &id); err != nil {
			t.Fatal(err)
		}
		out = append(out, g+"/"+id)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}
