package sqlstoretest

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/sqlstore"
)

// A listed is a user of listFixture as the test expects to read it back.
type listed struct {
	id, userName, displayName string
	created                   time.Time
	groups                    []string
}

// listFixture stores n users in ctx's tenant: created three per second (so that
// the id decides among them, and ids do not follow creation), userNames in mixed
// case in another order, a displayName on two users of three (the others have
// none) and the groups g-five (every fifth user) and g-seven (every seventh). It
// returns the users in creation order.
func listFixture(t *testing.T, ctx context.Context, s *sqlstore.Store, n int) []listed {
	t.Helper()
	base := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	users := make([]listed, n)
	groups := map[string][]scim.Member{}
	for i := range users {
		l := listed{id: fmt.Sprintf("u%02d", (i*11)%n), created: base.Add(time.Duration(i/3) * time.Second)}
		l.userName = fmt.Sprintf("user%02d@example.com", (i*7)%n)
		if i%2 == 0 {
			l.userName = strings.ToUpper(l.userName)
		}
		if i%3 != 0 {
			l.displayName = fmt.Sprintf("Name %02d", (i*5)%n)
		}
		for _, g := range []struct {
			id    string
			every int
		}{{"g-five", 5}, {"g-seven", 7}} {
			if i%g.every == 0 {
				l.groups = append(l.groups, g.id)
				groups[g.id] = append(groups[g.id], scim.Member{Value: l.id})
			}
		}
		u := &scim.User{ID: l.id, UserName: l.userName, DisplayName: l.displayName, Active: true,
			Meta: scim.Meta{Created: l.created, LastModified: l.created}}
		if _, err := s.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		users[i] = l
	}
	for _, id := range sortedKeys(groups) {
		if _, err := s.CreateGroup(ctx, &scim.Group{ID: id, DisplayName: id, Members: groups[id]}); err != nil {
			t.Fatal(err)
		}
	}
	return users
}

func sortedKeys[V any](m map[string]V) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// order returns the ids of users as a list sorted by sortBy ("" for the default
// order: created, then id) must return them: missing values last in both
// directions, ties decided by the id in the same direction.
func order(users []listed, sortBy string, desc bool) []string {
	key := func(l listed) (string, bool) {
		switch sortBy {
		case "userName":
			return strings.ToLower(l.userName), true
		case "displayName":
			return strings.ToLower(l.displayName), l.displayName != ""
		}
		return l.created.Format(time.RFC3339Nano), true
	}
	sorted := slices.Clone(users)
	slices.SortFunc(sorted, func(a, b listed) int {
		ka, oka := key(a)
		kb, okb := key(b)
		if oka != okb {
			if oka {
				return -1
			}
			return 1
		}
		c := strings.Compare(ka, kb)
		if c == 0 {
			c = strings.Compare(a.id, b.id)
		}
		if desc {
			c = -c
		}
		return c
	})
	ids := make([]string, len(sorted))
	for i, l := range sorted {
		ids[i] = l.id
	}
	return ids
}

// Paging through a tenant's users, in every order a client can ask for (created
// then id, userName, displayName with missing values last, each ascending and
// descending) and with pages of any size, returns each user once, in that order,
// with its own groups; every page, also those past the last user, carries the
// tenant's total. Another tenant's users never show.
func TestListPagesAgreeWithWhatWasStored(t *testing.T) {
	each(t, func(t *testing.T, b backend, m mode) {
		s, _ := newStore(t, b, m, sqlstore.Options{})
		ctx := scim.WithTenant(t.Context(), "acme")
		users := listFixture(t, ctx, s, 23)
		makeUsers(t, scim.WithTenant(t.Context(), "other"), s, "other", 3)
		groups := map[string][]string{}
		for _, l := range users {
			groups[l.id] = l.groups
		}
		for _, sortBy := range []string{"", "userName", "displayName"} {
			for _, desc := range []bool{false, true} {
				want := order(users, sortBy, desc)
				for _, count := range []int{1, 4, 10, 100} {
					var got []string
					for start := 1; start <= len(users)+count; start += count {
						q := scim.Query{SortBy: sortBy, Descending: desc, StartIndex: start, Count: count}
						page, err := s.ListUsers(ctx, q)
						if err != nil {
							t.Fatalf("%+v: %v", q, err)
						}
						if wantLen := min(count, max(len(users)-start+1, 0)); page.Total != len(users) || len(page.Resources) != wantLen {
							t.Errorf("%+v: total %d with %d users, want %d with %d", q, page.Total, len(page.Resources), len(users), wantLen)
						}
						for _, u := range page.Resources {
							got = append(got, u.ID)
							var gs []string
							for _, g := range u.Groups {
								gs = append(gs, g.Value)
							}
							slices.Sort(gs)
							if !slices.Equal(gs, groups[u.ID]) {
								t.Errorf("%+v: user %s in groups %q, want %q", q, u.ID, gs, groups[u.ID])
							}
						}
					}
					if !slices.Equal(got, want) {
						t.Errorf("sortBy %q descending %v, pages of %d:\n got %q\nwant %q", sortBy, desc, count, got, want)
					}
				}
			}
		}
	})
}

// A page deep into a tenant reads the groups (and, in the mapped tables, the
// emails and phone numbers) of the users on the page only, not of the users it
// skips: the statements of ListUsers at startIndex 201, count 10, read the
// membership table about 10 times, not 210. Counted on PostgreSQL by the scans of
// the membership table (pg_stat_user_tables) and on MariaDB by the index lookups
// of the session (Handler_read_key), over one connection.
func TestListReadsTheRelationOfThePagesRowsOnly(t *testing.T) {
	for _, b := range backends {
		if b.dialect == sqlstore.SQLite {
			continue // no counters of a statement's reads
		}
		t.Run(b.name, func(t *testing.T) {
			for _, m := range modes {
				t.Run(m.name, func(t *testing.T) {
					s, db := newStore(t, b, m, sqlstore.Options{})
					db.SetMaxOpenConns(1)
					ctx := scim.WithTenant(t.Context(), "acme")
					ids := makeUsers(t, ctx, s, "deep", 300)
					if _, err := s.CreateGroup(ctx, &scim.Group{ID: "g1", DisplayName: "Deep", Members: []scim.Member{{Value: ids[205]}}}); err != nil {
						t.Fatal(err)
					}
					members := s.Tables().Members.Name
					before := relationReads(t, db, b.dialect, members)
					page, err := s.ListUsers(ctx, scim.Query{StartIndex: 201, Count: 10})
					if err != nil {
						t.Fatal(err)
					}
					reads := relationReads(t, db, b.dialect, members) - before
					if page.Total != 300 || len(page.Resources) != 10 || page.Resources[5].ID != ids[205] || len(page.Resources[5].Groups) != 1 {
						t.Fatalf("page at 201: total %d, %d users, want 300 and 10 with %s (in g1) sixth", page.Total, len(page.Resources), ids[205])
					}
					t.Logf("%d reads", reads)
					if reads > 100 {
						t.Errorf("the page of 10 users at startIndex 201 made %d reads of the membership table or indexes: the relation ran for skipped rows", reads)
					}
				})
			}
		})
	}
}

// relationReads returns a counter of reads that grows by at least one each time a
// statement looks up the memberships of one user: on PostgreSQL the scans of the
// membership table, on MariaDB the index lookups of the session.
func relationReads(t *testing.T, db *sql.DB, d sqlstore.Dialect, members string) int64 {
	t.Helper()
	var n int64
	if d == sqlstore.PostgreSQL {
		// Statistics reach the views when a session flushes them; make this one's
		// (the only connection) flush at the end of this statement.
		if _, err := db.Exec("SELECT pg_stat_force_next_flush()"); err != nil {
			t.Fatal(err)
		}
		err := db.QueryRow("SELECT COALESCE(seq_scan, 0) + COALESCE(idx_scan, 0) FROM pg_stat_user_tables WHERE relid = $1::regclass", members).Scan(&n)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	return sessionStatus(t, db, "Handler_read_key", "Handler_read_first")
}
