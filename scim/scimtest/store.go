package scimtest

import (
	"context"
	"fmt"
	"testing"

	"github.com/scimkit/scimkit/scim"
)

// TestUserStore checks that the UserStore made by newStore behaves as the
// [scim.UserStore] contract and identity providers require, and, when it implements
// them, as [scim.UserUpdater] and [scim.Sorter] require. Each check runs in its own
// subtest of t with a new store from newStore, which must return an empty store (or
// one with no data in the tenants the checks use; see the package documentation).
// Failures are reported at the line that calls TestUserStore.
func TestUserStore(t *testing.T, newStore func(t *testing.T) scim.UserStore) {
	t.Helper()
	for _, c := range userCases {
		t.Run(c.name, func(t *testing.T) {
			t.Helper()
			report(t, c.rule, c.check(t.Context(), newEnv(t, newStore(t), nil)))
		})
	}
}

// TestGroupStore checks that the GroupStore made by newStores behaves as the
// [scim.GroupStore] contract and identity providers require, together with the
// UserStore whose users its groups hold (often the same value). When the GroupStore
// implements [scim.MemberPatcher] or [scim.GroupUpdater], that is checked too. Each
// check runs in its own subtest of t with new stores from newStores. Failures are
// reported at the line that calls TestGroupStore.
func TestGroupStore(t *testing.T, newStores func(t *testing.T) (scim.UserStore, scim.GroupStore)) {
	t.Helper()
	for _, c := range groupCases {
		t.Run(c.name, func(t *testing.T) {
			t.Helper()
			us, gs := newStores(t)
			e := newEnv(t, us, gs)
			if c.patcher && e.patcher == nil {
				t.Skip("the GroupStore does not implement scim.MemberPatcher")
			}
			report(t, c.rule, c.check(t.Context(), e))
		})
	}
}

// report turns the result of a check into a skip or a failure of t.
func report(t *testing.T, rule string, err error) {
	t.Helper()
	if skip, ok := err.(*skipError); ok {
		t.Skip(skip.reason)
	}
	if err != nil {
		t.Errorf("%v\n  rule: %s", err, rule)
	}
}

// An env is what a check works with: the stores, and the optional interfaces they
// implement (nil when they do not).
type env struct {
	users        scim.UserStore
	groups       scim.GroupStore
	patcher      scim.MemberPatcher
	userUpdater  scim.UserUpdater
	groupUpdater scim.GroupUpdater
	userSorter   scim.Sorter
	groupSorter  scim.Sorter
	logf         func(format string, args ...any)
}

func newEnv(t *testing.T, us scim.UserStore, gs scim.GroupStore) *env {
	e := &env{users: us, groups: gs, logf: t.Logf}
	e.userUpdater, _ = us.(scim.UserUpdater)
	e.userSorter, _ = us.(scim.Sorter)
	if gs != nil {
		e.patcher, _ = gs.(scim.MemberPatcher)
		e.groupUpdater, _ = gs.(scim.GroupUpdater)
		e.groupSorter, _ = gs.(scim.Sorter)
	}
	return e
}

// A userCase is one check of TestUserStore.
type userCase struct {
	name  string
	rule  string // the rule that the check enforces, in words
	check func(ctx context.Context, e *env) error
}

// A groupCase is one check of TestGroupStore.
type groupCase struct {
	name    string
	rule    string
	patcher bool // needs a MemberPatcher
	check   func(ctx context.Context, e *env) error
}

// A skipError reports that a check does not apply to the store.
type skipError struct{ reason string }

func (e *skipError) Error() string { return "skipped: " + e.reason }

func skipf(format string, args ...any) error {
	return &skipError{reason: fmt.Sprintf(format, args...)}
}
