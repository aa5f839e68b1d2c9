package sqlstoretest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/scimkit/scimkit/filter"
	"github.com/scimkit/scimkit/filter/sqlfilter"
	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/sqlstore"
)

// expensiveFilter is 300 or-ed substring terms over emails: against a user with
// thousands of emails, far more work than a request's deadline allows.
func expensiveFilter(t *testing.T) filter.Expr {
	var terms []string
	for i := range 300 {
		terms = append(terms, fmt.Sprintf(`emails[value co "zz%d"]`, i))
	}
	e, err := filter.Parse(strings.Join(terms, " or "))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

// A statement still running at the request's deadline is stopped by the database
// itself: the call returns with context.DeadlineExceeded (503 from the Handler), and
// no statement of the request goes on running on the server afterwards.
func TestDeadlineStopsTheStatementInTheDatabase(t *testing.T) {
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) {
			s, db := newStore(t, b, modes[0], sqlstore.Options{})
			ctx := scim.WithTenant(t.Context(), "big")
			emails := make([]scim.MultiValue, 5000)
			for i := range emails {
				emails[i] = scim.MultiValue{Value: fmt.Sprintf("mail%05d@contoso.example", i), Type: "work"}
			}
			if _, err := s.CreateUser(ctx, &scim.User{ID: "big", UserName: "big@contoso.example", Active: true, Emails: emails}); err != nil {
				t.Fatal(err)
			}
			qctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
			defer cancel()
			_, err := s.ListUsers(qctx, scim.Query{Filter: expensiveFilter(t), Count: 10, StartIndex: 1})
			var tc *sqlfilter.TooComplexError
			switch {
			case err == nil:
				t.Skip("the filter finished within 50ms on this machine: nothing to stop")
			case errors.As(err, &tc):
				t.Skipf("the database refused the filter before running it: %v", err)
			case !errors.Is(err, context.DeadlineExceeded):
				t.Fatalf("ListUsers past its deadline: %v, want context.DeadlineExceeded", err)
			}
			table := s.Tables().Users.Lists["emails"].Name
			var probe string
			switch b.dialect {
			case sqlstore.PostgreSQL:
				probe = "SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND pid <> pg_backend_pid() AND query LIKE '%" + table + "%'"
			case sqlstore.MariaDB:
				probe = "SELECT count(*) FROM information_schema.processlist WHERE id <> CONNECTION_ID() AND info LIKE '%" + table + "%'"
			default:
				// modernc.org/sqlite interrupts the statement when ctx ends: the
				// connection is free for the next write at once.
				wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
				defer cancel()
				if _, err := s.CreateUser(wctx, &scim.User{ID: "next", UserName: "next@contoso.example", Active: true}); err != nil {
					t.Errorf("write after the interrupted read: %v", err)
				}
				return
			}
			// The server may take a moment to notice; it must not take seconds.
			n := -1
			for range 20 {
				if err := db.QueryRow(probe).Scan(&n); err != nil {
					t.Fatal(err)
				}
				if n == 0 {
					return
				}
				time.Sleep(50 * time.Millisecond)
			}
			t.Errorf("%d statements still run on the server 1s after the deadline", n)
		})
	}
}

// A write whose deadline passes while it runs either answers success and is stored,
// or answers a timeout (503 from the Handler) and stored nothing: never a timeout for
// a user that is there (an identity provider that retries its POST would then get
// 409), and never a 500. The deadlines are spread over the few milliseconds that a
// write takes, so that some of them fall during the COMMIT.
func TestWriteCutByItsDeadlineAnswersWhatHappened(t *testing.T) {
	each(t, func(t *testing.T, b backend, m mode) {
		s, _ := newStore(t, b, m, sqlstore.Options{})
		ctx := scim.WithTenant(t.Context(), "acme")
		users := cutWrites(t, "create", 5*time.Millisecond, func(ctx context.Context, id string) error {
			_, err := s.CreateUser(ctx, &scim.User{ID: id, UserName: id + "@contoso.example", Active: true,
				Emails: []scim.MultiValue{{Value: id + "@contoso.example", Type: "work"}}})
			return err
		}, func(id string) bool {
			_, err := s.GetUser(ctx, id)
			if err != nil && !errors.Is(err, scim.ErrNotFound) {
				t.Fatal(err)
			}
			return err == nil
		}, nil)
		if _, err := s.CreateGroup(ctx, &scim.Group{ID: "g", DisplayName: "Everyone"}); err != nil {
			t.Fatal(err)
		}
		var members map[string]bool
		cutWrites(t, "member add", 20*time.Millisecond, func(wctx context.Context, id string) error {
			_, err := s.PatchMembers(wctx, "g", scim.MemberChange{Add: []scim.Member{{Value: id}}}, "")
			return err
		}, func(id string) bool {
			if members == nil {
				g, err := s.GetGroup(ctx, "g", scim.Projection{})
				if err != nil {
					t.Fatal(err)
				}
				members = map[string]bool{}
				for _, m := range g.Members {
					members[m.Value] = true
				}
			}
			return members[id]
		}, users)
	})
}

// cutWrites runs write on 4 workers, 600 times in all, each under a deadline of up to
// upTo, for ids (or new ids when ids is nil), and checks every answer against stored:
// success and stored, or a 503 and not stored (unless another write of the id
// succeeded). It returns the ids stored.
func cutWrites(t *testing.T, what string, upTo time.Duration, write func(ctx context.Context, id string) error, stored func(id string) bool, ids []string) []string {
	t.Helper()
	ctx := scim.WithTenant(t.Context(), "acme")
	const workers, per = 4, 150
	type outcome struct {
		id  string
		err error
	}
	out := make([][]outcome, workers)
	parallel(workers, func(w int) error {
		r := rand.New(rand.NewPCG(uint64(w), 1))
		for i := range per {
			id := fmt.Sprintf("u%d-%d", w, i)
			if ids != nil {
				id = ids[(w*per+i)%len(ids)]
			}
			wctx, cancel := context.WithTimeout(ctx, time.Duration(r.Int64N(int64(upTo))))
			err := write(wctx, id)
			cancel()
			out[w] = append(out[w], outcome{id, err})
		}
		return nil
	})
	succeeded := map[string]bool{}
	for _, os := range out {
		for _, o := range os {
			succeeded[o.id] = succeeded[o.id] || o.err == nil
		}
	}
	var done []string
	timedOut := 0
	for _, os := range out {
		for _, o := range os {
			there := stored(o.id)
			switch {
			case o.err == nil && !there:
				t.Errorf("%s %s answered success but is not stored", what, o.id)
			case o.err == nil:
				done = append(done, o.id)
			case !unavailable(o.err):
				t.Errorf("%s %s cut by its deadline failed with %v, want a 503", what, o.id, o.err)
			case there && !succeeded[o.id]:
				t.Errorf("%s %s answered %v but is stored", what, o.id, o.err)
			default:
				timedOut++
			}
		}
	}
	t.Logf("%s: %d stored, %d timed out", what, len(done), timedOut)
	return done
}

// unavailable reports an error that the Handler answers with 503.
func unavailable(err error) bool {
	var se *scim.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.As(err, &se) && se.Status == 503
}

// Member additions that join one batch (see sqlstore's memberQueue) are not refused
// for each other's deadlines: a batch that outlives the deadline of one of its
// additions still stores the others, which had time left. Outside transactions hold
// user rows locked to keep a first batch running while a short and a long addition
// queue behind it, and then to make their shared batch outlast the short deadline.
// SQLite has no row locks to hold a batch with.
func TestMemberAddInABatchIsNotRefusedForAnotherAdditionsDeadline(t *testing.T) {
	each(t, func(t *testing.T, b backend, m mode) {
		if b.dialect == sqlstore.SQLite {
			t.Skip("SQLite has no row locks with which to hold a batch while others queue")
		}
		s, db := newStore(t, b, m, sqlstore.Options{})
		ctx := scim.WithTenant(t.Context(), "acme")
		users := makeUsers(t, ctx, s, "q", 3) // the first batch's, the short's, the long's
		if _, err := s.CreateGroup(ctx, &scim.Group{ID: "g", DisplayName: "Everyone"}); err != nil {
			t.Fatal(err)
		}
		u := s.Tables().Users
		lockUser := func(id string) func() {
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			q := "SELECT " + u.ID + " FROM " + u.Name + " WHERE " + u.ID + " = ? AND " + u.Tenant + " = ? FOR UPDATE"
			if b.dialect == sqlstore.PostgreSQL {
				q = strings.Replace(strings.Replace(q, "?", "$1", 1), "?", "$2", 1)
			}
			var got string
			if err := tx.QueryRowContext(ctx, q, id, "acme").Scan(&got); err != nil {
				t.Fatal(err)
			}
			return func() { tx.Rollback() }
		}
		add := func(ctx context.Context, user string) chan error {
			ch := make(chan error, 1)
			go func() {
				_, err := s.PatchMembers(ctx, "g", scim.MemberChange{Add: []scim.Member{{Value: user}}}, "")
				ch <- err
			}()
			return ch
		}
		releaseFirst := lockUser(users[0])
		first := add(ctx, users[0]) // runs a batch, which waits for users[0]'s lock
		time.Sleep(200 * time.Millisecond)
		releaseSecond := lockUser(users[2])
		shortCtx, cancel := context.WithTimeout(ctx, 1200*time.Millisecond)
		defer cancel()
		shortDeadline, _ := shortCtx.Deadline()
		short := add(shortCtx, users[1])
		longCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		long := add(longCtx, users[2])
		time.Sleep(300 * time.Millisecond) // both queue behind the first batch
		releaseFirst()                     // the first batch ends; the short and the long run as one batch…
		if err := <-first; err != nil {
			t.Fatalf("first addition: %v", err)
		}
		time.Sleep(time.Until(shortDeadline) + 300*time.Millisecond) // …which waits for users[2]'s lock past the short deadline
		releaseSecond()
		if err := <-long; err != nil {
			t.Fatalf("the long addition, batched with one whose deadline passed: %v; want success", err)
		}
		shortErr := <-short
		t.Logf("the short addition: %v", shortErr)
		g, err := s.GetGroup(ctx, "g", scim.Projection{})
		if err != nil {
			t.Fatal(err)
		}
		stored := map[string]bool{}
		for _, m := range g.Members {
			stored[m.Value] = true
		}
		if !stored[users[2]] {
			t.Errorf("the long addition answered success but %s is not a member", users[2])
		}
		if shortErr == nil != stored[users[1]] {
			t.Errorf("the short addition answered %v, and its member stored: %v", shortErr, stored[users[1]])
		}
	})
}
