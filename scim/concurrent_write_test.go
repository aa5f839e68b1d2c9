package scim_test

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/scim/memstore"
)

// usersOnly hides every optional interface of the store it wraps, UserUpdater
// among them, so that the Handler takes its read-change-replace fallback.
type usersOnly struct{ scim.UserStore }

// mutexUpdater implements scim.UserUpdater over memstore with one mutex, the
// simplest store that serialises writes to a user.
type mutexUpdater struct {
	*memstore.Store
	mu    sync.Mutex
	calls atomic.Int64
}

func (s *mutexUpdater) UpdateUser(ctx context.Context, id, ifMatch string, fn func(old *scim.User) (*scim.User, error)) (*scim.User, error) {
	s.calls.Add(1)
	s.mu.Lock()
	defer s.mu.Unlock()
	old, err := s.GetUser(ctx, id)
	if err != nil {
		return nil, err
	}
	if ifMatch != "" && ifMatch != old.Meta.Version {
		return nil, scim.ErrPreconditionFailed
	}
	u, err := fn(old)
	if err != nil || u == nil {
		return old, err
	}
	return s.ReplaceUser(ctx, u, "")
}

// TRAP-17: a write is never refused because another write won a race.
func TestConcurrentPatchesWithoutIfMatchLoseNothing(t *testing.T) {
	for _, tc := range []struct {
		name  string
		store func(*memstore.Store) (scim.UserStore, func() int64)
	}{
		{"fallback without UserUpdater", func(st *memstore.Store) (scim.UserStore, func() int64) {
			return usersOnly{st}, nil
		}},
		{"UserUpdater", func(st *memstore.Store) (scim.UserStore, func() int64) {
			u := &mutexUpdater{Store: st}
			return u, u.calls.Load
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := memstore.New(memstore.Options{})
			users, calls := tc.store(st)
			h, err := scim.NewHandler(scim.Config{Users: users, Auth: scim.StaticToken(token), MaxValues: 200})
			if err != nil {
				t.Fatal(err)
			}
			id := mustCreate(t, h, user("race@x.example"))
			const n = 100
			codes := make([]int, n)
			var wg sync.WaitGroup
			for i := range n {
				wg.Add(1)
				go func() {
					defer wg.Done()
					r := call(t, h, "PATCH", "/Users/"+id, patchBody(op("add", "roles",
						[]any{map[string]any{"value": fmt.Sprintf("role-%d", i)}})))
					codes[i] = r.Code
				}()
			}
			wg.Wait()
			for i, c := range codes {
				if c != 200 {
					t.Errorf("PATCH %d: status %d, want 200", i, c)
				}
			}
			r := call(t, h, "GET", "/Users/"+id, nil).want(t, 200)
			roles, _ := r.JSON["roles"].([]any)
			have := map[string]bool{}
			for _, x := range roles {
				have[str(x, "value")] = true
			}
			for i := range n {
				if !have[fmt.Sprintf("role-%d", i)] {
					t.Errorf("role-%d was lost", i)
				}
			}
			if calls != nil && calls() != n {
				t.Errorf("UpdateUser called %d times, want %d", calls(), n)
			}
		})
	}
}

// alwaysLoses is a store on which every replace loses a race.
type alwaysLoses struct{ scim.UserStore }

func (s alwaysLoses) ReplaceUser(context.Context, *scim.User, string) (*scim.User, error) {
	return nil, scim.ErrPreconditionFailed
}

// A write that keeps losing races is retried until the request's deadline and
// then answered 503 with Retry-After, never 412 unless the client sent If-Match.
func TestLostRacesUntilDeadlineAnswer503NotPreconditionFailed(t *testing.T) {
	st := memstore.New(memstore.Options{})
	h, err := scim.NewHandler(scim.Config{Users: alwaysLoses{st}, Auth: scim.StaticToken(token), RequestTimeout: 100 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	id := mustCreate(t, h, user("lose@x.example"))
	r := call(t, h, "PATCH", "/Users/"+id, patchBody(op("replace", "title", "T"))).want(t, 503)
	if r.Header.Get("Retry-After") == "" {
		t.Errorf("503 without Retry-After")
	}
	r = call(t, h, "PUT", "/Users/"+id, map[string]any{"userName": "lose@x.example", "title": "T"}).want(t, 503)
	if r.Header.Get("Retry-After") == "" {
		t.Errorf("503 without Retry-After")
	}
	etag := call(t, h, "GET", "/Users/"+id, nil).want(t, 200).Header.Get("ETag")
	call(t, h, "PATCH", "/Users/"+id, patchBody(op("replace", "title", "T")), "If-Match", etag).want(t, 412)
}

// A stale If-Match is still refused with 412 through the UserUpdater path.
func TestStaleIfMatchIsRefusedThroughUpdater(t *testing.T) {
	u := &mutexUpdater{Store: memstore.New(memstore.Options{})}
	h, err := scim.NewHandler(scim.Config{Users: u, Auth: scim.StaticToken(token)})
	if err != nil {
		t.Fatal(err)
	}
	id := mustCreate(t, h, user("stale@x.example"))
	etag := call(t, h, "GET", "/Users/"+id, nil).want(t, 200).Header.Get("ETag")
	call(t, h, "PATCH", "/Users/"+id, patchBody(op("replace", "title", "A")), "If-Match", etag).want(t, 200)
	call(t, h, "PATCH", "/Users/"+id, patchBody(op("replace", "title", "B")), "If-Match", etag).want(t, 412)
	if got := str(call(t, h, "GET", "/Users/"+id, nil).want(t, 200).JSON, "title"); got != "A" {
		t.Errorf("title %q after a refused PATCH, want A", got)
	}
}
