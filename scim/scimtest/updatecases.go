package scimtest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/scimkit/scimkit/scim"
)

// An updates adapts UpdateUser or UpdateGroup, so that one set of checks serves both.
type updates[T any] struct {
	op      string                                             // "UpdateUser" or "UpdateGroup"
	create  func(ctx context.Context) (*T, error)              // a new resource
	values  func(ctx context.Context, n int) ([]string, error) // n distinct values that add accepts
	add     func(old *T, v string) *T                          // a copy of old with v added
	present func(*T) []string                                  // the values of a resource
	meta    func(*T) (id, version string)
	get     func(ctx context.Context, id string) (*T, error)
	update  func(ctx context.Context, id, ifMatch string, fn func(*T) (*T, error)) (*T, error)
}

// updateCheck makes a check of an updater case: it skips when the store does not
// implement the updater, and else runs check with the adapter that mk returns.
func updateCheck[T any](mk func(*env) *updates[T], check func(context.Context, *updates[T]) error) func(context.Context, *env) error {
	return func(ctx context.Context, e *env) error {
		u := mk(e)
		if u == nil {
			return skipf("the store does not implement the updater interface")
		}
		return check(tenantA(ctx), u)
	}
}

// userUpdates adds emails to a user through UpdateUser.
func userUpdates(e *env) *updates[scim.User] {
	if e.userUpdater == nil {
		return nil
	}
	c := new(clock)
	return &updates[scim.User]{
		op: "UpdateUser",
		create: func(ctx context.Context) (*scim.User, error) {
			return e.create(ctx, c, plainUser("updated@contoso.example"))
		},
		values: func(_ context.Context, n int) ([]string, error) {
			vs := make([]string, n)
			for i := range vs {
				vs[i] = fmt.Sprintf("update%02d@contoso.example", i)
			}
			return vs, nil
		},
		add: func(old *scim.User, v string) *scim.User {
			u := old.Clone()
			u.Groups = nil
			u.Emails = append(u.Emails, scim.MultiValue{Value: v, Type: "other"})
			u.Meta.LastModified = c.next()
			return u
		},
		present: func(u *scim.User) []string {
			vs := make([]string, len(u.Emails))
			for i, m := range u.Emails {
				vs[i] = m.Value
			}
			return vs
		},
		meta:   func(u *scim.User) (string, string) { return u.ID, u.Meta.Version },
		get:    e.users.GetUser,
		update: e.userUpdater.UpdateUser,
	}
}

// groupUpdates adds members to a group through UpdateGroup.
func groupUpdates(e *env) *updates[scim.Group] {
	if e.groupUpdater == nil {
		return nil
	}
	c := new(clock)
	return &updates[scim.Group]{
		op: "UpdateGroup",
		create: func(ctx context.Context) (*scim.Group, error) {
			return e.createGroup(ctx, c, &scim.Group{DisplayName: "Updated"})
		},
		values: func(ctx context.Context, n int) ([]string, error) { return e.makeUsers(ctx, c, "update", n) },
		add: func(old *scim.Group, v string) *scim.Group {
			g := old.Clone()
			g.Members = append(g.Members, scim.Member{Value: v})
			g.Meta.LastModified = c.next()
			return g
		},
		present: memberIDs,
		meta:    func(g *scim.Group) (string, string) { return g.ID, g.Meta.Version },
		get: func(ctx context.Context, id string) (*scim.Group, error) {
			return e.groups.GetGroup(ctx, id, scim.Projection{})
		},
		update: e.groupUpdater.UpdateGroup,
	}
}

// unchanged reports how the stored resource differs from before, which a refused or
// empty update must not change.
func (u *updates[T]) unchanged(ctx context.Context, what string, before *T) error {
	id, v := u.meta(before)
	after, err := u.get(ctx, id)
	if err != nil {
		return fmt.Errorf("%s: reading the resource back: %w", what, err)
	}
	if _, av := u.meta(after); av != v {
		return fmt.Errorf("%s: the version changed from %q to %q, want nothing written", what, v, av)
	}
	if !sameIDs(u.present(after), u.present(before)) {
		return fmt.Errorf("%s: values %q, want %q unchanged", what, sorted(u.present(after)...), sorted(u.present(before)...))
	}
	return nil
}

func checkUpdateConcurrent[T any](ctx context.Context, u *updates[T]) error {
	const n = 64
	r, err := u.create(ctx)
	if err != nil {
		return err
	}
	id, _ := u.meta(r)
	vals, err := u.values(ctx, n)
	if err != nil {
		return err
	}
	errs := make([]error, n)
	calls := make([]atomic.Int32, n)
	start := make(chan struct{})
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = u.update(ctx, id, "", func(old *T) (*T, error) {
				calls[i].Add(1)
				return u.add(old, vals[i]), nil
			})
		}()
	}
	close(start)
	wg.Wait()
	var problems []error
	if failed := slices.DeleteFunc(slices.Clone(errs), func(err error) bool { return err == nil }); len(failed) > 0 {
		problems = append(problems, fmt.Errorf("%d of %d concurrent %s calls without ifMatch failed (the first: %v); a write must never be refused because another write won a race",
			len(failed), n, u.op, failed[0]))
	}
	for i := range calls {
		if c := calls[i].Load(); c != 1 && errs[i] == nil {
			problems = append(problems, fmt.Errorf("a successful %s called fn %d times, want once", u.op, c))
			break
		}
	}
	got, err := u.get(ctx, id)
	if err != nil {
		return errors.Join(append(problems, fmt.Errorf("reading the resource after the concurrent %s calls: %w", u.op, err))...)
	}
	have := u.present(got)
	var lost []string
	for i, v := range vals {
		if errs[i] == nil && !slices.Contains(have, v) {
			lost = append(lost, v)
		}
	}
	if len(lost) > 0 {
		problems = append(problems, fmt.Errorf("%d values added by successful concurrent %s calls are missing (lost updates), such as %q",
			len(lost), u.op, lost[0]))
	}
	return errors.Join(problems...)
}

func checkUpdateFnError[T any](ctx context.Context, u *updates[T]) error {
	r, err := u.create(ctx)
	if err != nil {
		return err
	}
	id, _ := u.meta(r)
	vals, err := u.values(ctx, 1)
	if err != nil {
		return err
	}
	refused := errors.New("scimtest: fn refuses the change")
	_, err = u.update(ctx, id, "", func(old *T) (*T, error) { return u.add(old, vals[0]), refused })
	var errs []error
	if !errors.Is(err, refused) {
		errs = append(errs, fmt.Errorf("%s whose fn failed returned %v, want fn's error", u.op, err))
	}
	errs = append(errs, u.unchanged(ctx, u.op+" whose fn failed", r))
	return errors.Join(errs...)
}

func checkUpdateIfMatch[T any](ctx context.Context, u *updates[T]) error {
	r, err := u.create(ctx)
	if err != nil {
		return err
	}
	id, v := u.meta(r)
	if v == "" {
		return skipf("the store returns empty versions (no ETag support)")
	}
	vals, err := u.values(ctx, 2)
	if err != nil {
		return err
	}
	called := false
	_, err = u.update(ctx, id, v+"-stale", func(old *T) (*T, error) {
		called = true
		return u.add(old, vals[0]), nil
	})
	errs := []error{wantErr(u.op+" with a stale ifMatch", err, scim.ErrPreconditionFailed)}
	if called {
		errs = append(errs, fmt.Errorf("%s with a stale ifMatch called fn, want it refused before", u.op))
	}
	errs = append(errs, u.unchanged(ctx, u.op+" with a stale ifMatch", r))
	got, err := u.update(ctx, id, v, func(old *T) (*T, error) { return u.add(old, vals[1]), nil })
	switch {
	case err != nil:
		errs = append(errs, fmt.Errorf("%s with the current ifMatch %q: %w", u.op, v, err))
	case !slices.Contains(u.present(got), vals[1]):
		errs = append(errs, fmt.Errorf("%s with the current ifMatch returned values %q, without the added %q", u.op, u.present(got), vals[1]))
	default:
		if _, nv := u.meta(got); nv == v {
			errs = append(errs, fmt.Errorf("%s kept version %q after a change", u.op, v))
		}
	}
	return errors.Join(errs...)
}

func checkUpdateNil[T any](ctx context.Context, u *updates[T]) error {
	r, err := u.create(ctx)
	if err != nil {
		return err
	}
	id, v := u.meta(r)
	got, err := u.update(ctx, id, "", func(*T) (*T, error) { return nil, nil })
	var errs []error
	switch {
	case err != nil:
		errs = append(errs, fmt.Errorf("%s whose fn returned nil: %w", u.op, err))
	case got == nil:
		errs = append(errs, fmt.Errorf("%s whose fn returned nil returned no resource, want it as stored", u.op))
	default:
		if _, gv := u.meta(got); gv != v {
			errs = append(errs, fmt.Errorf("%s whose fn returned nil returned version %q, want the stored %q", u.op, gv, v))
		}
	}
	errs = append(errs, u.unchanged(ctx, u.op+" whose fn returned nil", r))
	called := false
	_, err = u.update(ctx, id+"-unknown", "", func(old *T) (*T, error) { called = true; return old, nil })
	errs = append(errs, wantErr(u.op+" of an unknown id", err, scim.ErrNotFound))
	if called {
		errs = append(errs, fmt.Errorf("%s of an unknown id called fn", u.op))
	}
	return errors.Join(errs...)
}
