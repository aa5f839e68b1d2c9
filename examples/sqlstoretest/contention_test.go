package sqlstoretest

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/sqlstore"
)

// makeUsers creates n users and returns their ids.
func makeUsers(t *testing.T, ctx context.Context, s *sqlstore.Store, prefix string, n int) []string {
	t.Helper()
	ids := make([]string, n)
	for i := range ids {
		u, err := s.CreateUser(ctx, &scim.User{ID: fmt.Sprintf("%s-%04d", prefix, i), UserName: fmt.Sprintf("%s%d@contoso.example", prefix, i), Active: true})
		if err != nil {
			t.Fatal(err)
		}
		ids[i] = u.ID
	}
	return ids
}

// parallel runs f(i) for i in [0, n) concurrently and returns the errors.
func parallel(n int, f func(i int) error) []error {
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = f(i)
		}()
	}
	wg.Wait()
	var out []error
	for _, err := range errs {
		if err != nil {
			out = append(out, err)
		}
	}
	return out
}

// 100 concurrent updates of one user without If-Match: every one succeeds and every
// one's change is kept, because the store serialises them instead of refusing losers.
func TestConcurrentUserUpdatesNeverFailOrLoseWrites(t *testing.T) {
	each(t, func(t *testing.T, b backend, m mode) {
		s, _ := newStore(t, b, m, sqlstore.Options{})
		ctx := scim.WithTenant(t.Context(), "acme")
		id := makeUsers(t, ctx, s, "ada", 1)[0]
		const n = 100
		errs := parallel(n, func(i int) error {
			_, err := s.UpdateUser(ctx, id, "", func(old *scim.User) (*scim.User, error) {
				old.Emails = append(old.Emails, scim.MultiValue{Value: fmt.Sprintf("e%d@contoso.example", i), Type: "work"})
				return old, nil
			})
			return err
		})
		if len(errs) > 0 {
			t.Fatalf("%d of %d updates failed; first: %v", len(errs), n, errs[0])
		}
		u, err := s.GetUser(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(u.Emails) != n || u.Meta.Version != fmt.Sprint(n+1) {
			t.Errorf("after %d updates: %d emails, version %s; want %d emails, version %d", n, len(u.Emails), u.Meta.Version, n, n+1)
		}
	})
}

// 500 concurrent member additions to one group: every one succeeds, no member is lost.
func TestConcurrentMemberAddsNeverFailOrLoseMembers(t *testing.T) {
	each(t, func(t *testing.T, b backend, m mode) {
		s, _ := newStore(t, b, m, sqlstore.Options{})
		ctx := scim.WithTenant(t.Context(), "acme")
		const n = 500
		users := makeUsers(t, ctx, s, "m", n)
		g, err := s.CreateGroup(ctx, &scim.Group{ID: "g1", DisplayName: "Everyone"})
		if err != nil {
			t.Fatal(err)
		}
		errs := parallel(n, func(i int) error {
			_, err := s.PatchMembers(ctx, g.ID, scim.MemberChange{Add: []scim.Member{{Value: users[i]}}}, "")
			return err
		})
		if len(errs) > 0 {
			t.Fatalf("%d of %d member additions failed; first: %v", len(errs), n, errs[0])
		}
		got, err := s.GetGroup(ctx, g.ID, scim.Projection{})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Members) != n {
			t.Errorf("%d members after %d concurrent additions", len(got.Members), n)
		}
	})
}

// countingStore counts the calls of UpdateUser and UpdateGroup, to tell whether the
// Handler uses them.
type countingStore struct {
	*sqlstore.Store
	userUpdates, groupUpdates, memberPatches atomic.Int64
}

func (c *countingStore) UpdateUser(ctx context.Context, id, ifMatch string, fn func(*scim.User) (*scim.User, error)) (*scim.User, error) {
	c.userUpdates.Add(1)
	return c.Store.UpdateUser(ctx, id, ifMatch, fn)
}

func (c *countingStore) UpdateGroup(ctx context.Context, id, ifMatch string, fn func(*scim.Group) (*scim.Group, error)) (*scim.Group, error) {
	c.groupUpdates.Add(1)
	return c.Store.UpdateGroup(ctx, id, ifMatch, fn)
}

func (c *countingStore) PatchMembers(ctx context.Context, id string, mc scim.MemberChange, ifMatch string) (string, error) {
	c.memberPatches.Add(1)
	return c.Store.PatchMembers(ctx, id, mc, ifMatch)
}

func newHandler(t *testing.T, s scim.UserStore) http.Handler {
	gs, _ := s.(scim.GroupStore)
	h, err := scim.NewHandler(scim.Config{Users: s, Groups: gs, Auth: scim.StaticToken("t")})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// serve sends one request to h and returns the status and body.
func serve(h http.Handler, ctx context.Context, method, path, body string) (int, string) {
	r := httptest.NewRequestWithContext(ctx, method, path, strings.NewReader(body))
	r.Header.Set("Authorization", "Bearer t")
	r.Header.Set("Content-Type", "application/scim+json")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code, w.Body.String()
}

// ENTRA-PATCH-1: 100 concurrent PATCHes without If-Match to one user, through the
// Handler: all answer 2xx (never a 412 that blames an If-Match nobody sent) and none
// is lost. The Handler routes user PATCHes through scim.UserUpdater.
func TestConcurrentUserPatchesThroughHandlerAllSucceed(t *testing.T) {
	each(t, func(t *testing.T, b backend, m mode) {
		st, _ := newStore(t, b, m, sqlstore.Options{})
		s := &countingStore{Store: st}
		h := newHandler(t, s)
		ctx := t.Context()
		id := makeUsers(t, ctx, st, "ada", 1)[0]
		patch := func(i int) string {
			return fmt.Sprintf(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"emails","value":[{"value":"e%d@contoso.example","type":"work%d"}]}]}`, i, i)
		}
		if code, body := serve(h, ctx, "PATCH", "/Users/"+id, patch(-1)); code/100 != 2 {
			t.Fatalf("first PATCH: %d %s", code, body)
		}
		if s.userUpdates.Load() == 0 {
			t.Fatal("the Handler did not use scim.UserUpdater for a PATCH")
		}
		const n = 100
		errs := parallel(n, func(i int) error {
			if code, body := serve(h, ctx, "PATCH", "/Users/"+id, patch(i)); code/100 != 2 {
				return fmt.Errorf("%d %s", code, body)
			}
			return nil
		})
		if len(errs) > 0 {
			t.Fatalf("%d of %d PATCHes failed; first: %v", len(errs), n, errs[0])
		}
		u, err := st.GetUser(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if len(u.Emails) != n+1 {
			t.Errorf("%d emails after %d concurrent PATCHes, want %d", len(u.Emails), n, n+1)
		}
	})
}

// ENTRA-GROUP-4: 500 concurrent member additions to one group through the Handler,
// half with a path ("members") and half path-less (a value object holding members),
// as Entra ID and Okta send them: all answer 2xx and every member is kept.
func TestConcurrentMemberPatchesThroughHandlerAllSucceed(t *testing.T) {
	each(t, func(t *testing.T, b backend, m mode) {
		st, _ := newStore(t, b, m, sqlstore.Options{})
		s := &countingStore{Store: st}
		h := newHandler(t, s)
		ctx := t.Context()
		const n = 500
		users := makeUsers(t, ctx, st, "m", n)
		g, err := st.CreateGroup(ctx, &scim.Group{ID: "g1", DisplayName: "Everyone"})
		if err != nil {
			t.Fatal(err)
		}
		forms := []struct{ name, op string }{
			{"Path", `{"op":"add","path":"members","value":[{"value":%q}]}`},
			{"PathLess", `{"op":"add","value":{"members":[{"value":%q}]}}`},
		}
		want := 0
		for f, form := range forms {
			patch := func(i int) string {
				return `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[` + fmt.Sprintf(form.op, users[i]) + `]}`
			}
			t.Run(form.name, func(t *testing.T) {
				lo, hi := f*n/len(forms), (f+1)*n/len(forms)
				before := s.memberPatches.Load() + s.groupUpdates.Load()
				if code, body := serve(h, ctx, "PATCH", "/Groups/"+g.ID, patch(lo)); code/100 != 2 {
					t.Fatalf("%d %s", code, body)
				}
				want++
				if s.memberPatches.Load()+s.groupUpdates.Load() == before {
					t.Fatal("the Handler routed this form through neither scim.MemberPatcher nor scim.GroupUpdater")
				}
				errs := parallel(hi-lo-1, func(i int) error {
					if code, body := serve(h, ctx, "PATCH", "/Groups/"+g.ID, patch(lo+1+i)); code/100 != 2 {
						return fmt.Errorf("%d %s", code, body)
					}
					return nil
				})
				if len(errs) > 0 {
					t.Fatalf("%d of %d member PATCHes failed; first: %v", len(errs), hi-lo-1, errs[0])
				}
				want += hi - lo - 1
			})
		}
		got, err := st.GetGroup(ctx, g.ID, scim.Projection{})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Members) != want {
			t.Errorf("%d members after %d successful additions", len(got.Members), want)
		}
	})
}
