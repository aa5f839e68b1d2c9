package scimtest

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scimkit/scimkit/filter"
	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/scim/memstore"
)

// The kit's own tests: the reference store passes every check, and deliberately
// broken stores fail the checks meant to catch them.

func runUserCase(t *testing.T, name string, s scim.UserStore) error {
	t.Helper()
	for _, c := range userCases {
		if c.name == name {
			return c.check(t.Context(), newEnv(t, s, nil))
		}
	}
	t.Fatalf("no user case %q", name)
	return nil
}

func runGroupCase(t *testing.T, name string, us scim.UserStore, gs scim.GroupStore) error {
	t.Helper()
	for _, c := range groupCases {
		if c.name == name {
			return c.check(t.Context(), newEnv(t, us, gs))
		}
	}
	t.Fatalf("no group case %q", name)
	return nil
}

// internalRef matches references to documents that users of the kit do not have:
// requirement ids such as ENTRA-USER-9 and style rules such as G15.
var internalRef = regexp.MustCompile(`\b[A-Z]+-[A-Z]+-[0-9]+\b|\b[A-Z]+-[0-9]+\b|STYLE|\bG[0-9]+\b`)

// TestKitRulesAreSelfContained checks that every case has a unique name and a rule
// that a user of the kit can read without documents outside the repository.
func TestKitRulesAreSelfContained(t *testing.T) {
	seen := map[string]bool{}
	check := func(name, rule string, hasCheck bool) {
		if name == "" || rule == "" || !hasCheck || seen[name] {
			t.Errorf("case %q: needs a unique name, a rule and a check", name)
		}
		seen[name] = true
		if ref := internalRef.FindString(rule); ref != "" {
			t.Errorf("case %s: rule %q cites %q, which users of the kit cannot look up", name, rule, ref)
		}
	}
	for _, c := range userCases {
		check(c.name, c.rule, c.check != nil)
	}
	for _, c := range groupCases {
		check(c.name, c.rule, c.check != nil)
	}
}

func TestKitPassesMemstore(t *testing.T) {
	for _, c := range userCases {
		if err := c.check(t.Context(), newEnv(t, memstore.New(memstore.Options{}), nil)); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
	for _, c := range groupCases {
		s := memstore.New(memstore.Options{})
		if err := c.check(t.Context(), newEnv(t, s, s)); err != nil {
			t.Errorf("%s: %v", c.name, err)
		}
	}
}

// TestKitFiltersAreSelective guards the Filters check against vacuity: over the
// check's users, the filters must select different, non-trivial sets.
func TestKitFiltersAreSelective(t *testing.T) {
	s := memstore.New(memstore.Options{})
	ctx := tenantA(t.Context())
	users, err := filterUsers(ctx, newEnv(t, s, nil))
	if err != nil {
		t.Fatal(err)
	}
	sizes := map[int]int{}
	for _, fs := range []string{`active eq false`, `emails co "HOME"`, `userName eq "ADA.LOVELACE1@contoso.EXAMPLE"`, `title pr`} {
		f, err := userFilter(fs)
		if err != nil {
			t.Fatal(err)
		}
		ids, _, err := listUserIDs(ctx, s, scim.Query{Filter: f})
		if err != nil {
			t.Fatal(err)
		}
		if len(ids) == 0 || len(ids) == len(users) {
			t.Errorf("filter %s selects %d of %d users: not selective", fs, len(ids), len(users))
		}
		sizes[len(ids)]++
	}
	if len(sizes) < 3 {
		t.Errorf("the filters select sets of only %d different sizes", len(sizes))
	}
}

// wantFailure checks that a broken store fails the named case with a message
// containing want.
func wantFailure(t *testing.T, err error, want string) {
	t.Helper()
	if err == nil {
		t.Fatal("the check passed a broken store")
	}
	if _, skip := err.(*skipError); skip {
		t.Fatalf("the check skipped a broken store: %v", err)
	}
	if !strings.Contains(err.Error(), want) {
		t.Fatalf("the check failed with %q, want a message containing %q", err, want)
	}
	t.Logf("reported as expected: %v", err)
}

// sharingStore hands out the same *User for every Get of an id, as a cache that
// forgets to copy would.
type sharingStore struct {
	*memstore.Store
	mu    sync.Mutex
	cache map[string]*scim.User
}

func (s *sharingStore) GetUser(ctx context.Context, id string) (*scim.User, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if u, ok := s.cache[id]; ok {
		return u, nil
	}
	u, err := s.Store.GetUser(ctx, id)
	if err == nil {
		s.cache[id] = u
	}
	return u, err
}

func TestKitCatchesSharedResults(t *testing.T) {
	s := &sharingStore{Store: memstore.New(memstore.Options{}), cache: map[string]*scim.User{}}
	wantFailure(t, runUserCase(t, "OwnershipOfResults", s), "after changing the result of GetUser")
}

// keepingStore keeps the *User passed to CreateUser and serves it from GetUser.
type keepingStore struct {
	*memstore.Store
	mu   sync.Mutex
	kept map[string]*scim.User
}

func (s *keepingStore) CreateUser(ctx context.Context, u *scim.User) (*scim.User, error) {
	got, err := s.Store.CreateUser(ctx, u)
	if err == nil {
		s.mu.Lock()
		s.kept[got.ID] = u
		s.mu.Unlock()
	}
	return got, err
}

func (s *keepingStore) GetUser(ctx context.Context, id string) (*scim.User, error) {
	got, err := s.Store.GetUser(ctx, id)
	s.mu.Lock()
	defer s.mu.Unlock()
	if k := s.kept[id]; err == nil && k != nil {
		c := k.Clone()
		c.Meta = got.Meta
		return c, nil
	}
	return got, err
}

func TestKitCatchesKeptInput(t *testing.T) {
	s := &keepingStore{Store: memstore.New(memstore.Options{}), kept: map[string]*scim.User{}}
	wantFailure(t, runUserCase(t, "OwnershipOfInput", s), "after changing the *User passed to CreateUser")
}

// escape hides the letter case of userName from the underlying store: an upper-case
// letter X is stored as "^x". The underlying store then sees "Ada" and "ada" as
// different names, which is what a store that compares userNames exactly does.
func escape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '^':
			b.WriteString("^^")
		case 'A' <= r && r <= 'Z':
			b.WriteByte('^')
			b.WriteRune(r + 'a' - 'A')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '^' && i+1 < len(s) {
			i++
			if s[i] != '^' {
				b.WriteByte(s[i] - ('a' - 'A'))
				continue
			}
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// exactNameStore enforces userName uniqueness only for exactly equal names.
type exactNameStore struct{ *memstore.Store }

func (s exactNameStore) CreateUser(ctx context.Context, u *scim.User) (*scim.User, error) {
	c := u.Clone()
	c.UserName = escape(u.UserName)
	got, err := s.Store.CreateUser(ctx, c)
	if got != nil {
		got.UserName = unescape(got.UserName)
	}
	return got, err
}

func (s exactNameStore) ReplaceUser(ctx context.Context, u *scim.User, ifMatch string) (*scim.User, error) {
	c := u.Clone()
	c.UserName = escape(u.UserName)
	got, err := s.Store.ReplaceUser(ctx, c, ifMatch)
	if got != nil {
		got.UserName = unescape(got.UserName)
	}
	return got, err
}

func (s exactNameStore) GetUser(ctx context.Context, id string) (*scim.User, error) {
	got, err := s.Store.GetUser(ctx, id)
	if got != nil {
		got.UserName = unescape(got.UserName)
	}
	return got, err
}

func TestEscapeRoundTrips(t *testing.T) {
	for _, s := range []string{"", "Ada.L@Contoso", "^a^", "ABC^^x"} {
		if got := unescape(escape(s)); got != s {
			t.Errorf("unescape(escape(%q)) = %q", s, got)
		}
	}
}

func TestKitCatchesCaseSensitiveUniqueness(t *testing.T) {
	s := exactNameStore{memstore.New(memstore.Options{})}
	wantFailure(t, runUserCase(t, "UserNameUniqueOnCreate", s), "ada.lovelace@contoso.example")
	wantFailure(t, runUserCase(t, "UserNameUniqueOnReplace", s), "ALICE@contoso.example")
	wantFailure(t, runUserCase(t, "UserNameUniqueRace", s), "succeeded, want exactly 1")
}

// racyStore checks userName uniqueness itself, then creates: between the two, another
// goroutine can create the same name.
type racyStore struct {
	*memstore.Store
	mu    sync.Mutex
	names map[string]bool
	n     int
}

func (s *racyStore) CreateUser(ctx context.Context, u *scim.User) (*scim.User, error) {
	key := strings.ToLower(u.UserName)
	s.mu.Lock()
	taken := s.names[key]
	s.n++
	n := s.n
	s.mu.Unlock()
	if taken {
		return nil, scim.ErrUniqueness
	}
	time.Sleep(5 * time.Millisecond) // the window every check-then-insert has
	c := u.Clone()
	c.UserName = u.UserName + "#" + string(rune('a'+n%26)) + strings.Repeat("z", n/26)
	got, err := s.Store.CreateUser(ctx, c)
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	s.names[key] = true
	s.mu.Unlock()
	got.UserName = u.UserName
	return got, nil
}

func TestKitCatchesUniquenessRace(t *testing.T) {
	s := &racyStore{Store: memstore.New(memstore.Options{}), names: map[string]bool{}}
	wantFailure(t, runUserCase(t, "UserNameUniqueRace", s), "want exactly 1")
}

// oneTenantStore ignores the tenant of the context.
type oneTenantStore struct{ *memstore.Store }

func detenant(ctx context.Context) context.Context { return scim.WithTenant(ctx, "all") }

func (s oneTenantStore) CreateUser(ctx context.Context, u *scim.User) (*scim.User, error) {
	return s.Store.CreateUser(detenant(ctx), u)
}

func (s oneTenantStore) GetUser(ctx context.Context, id string) (*scim.User, error) {
	return s.Store.GetUser(detenant(ctx), id)
}

func (s oneTenantStore) ListUsers(ctx context.Context, q scim.Query) (*scim.Page[scim.User], error) {
	return s.Store.ListUsers(detenant(ctx), q)
}

func (s oneTenantStore) ReplaceUser(ctx context.Context, u *scim.User, ifMatch string) (*scim.User, error) {
	return s.Store.ReplaceUser(detenant(ctx), u, ifMatch)
}

func (s oneTenantStore) DeleteUser(ctx context.Context, id, ifMatch string) error {
	return s.Store.DeleteUser(detenant(ctx), id, ifMatch)
}

func TestKitCatchesMissingTenantIsolation(t *testing.T) {
	wantFailure(t, runUserCase(t, "TenantIsolation", oneTenantStore{memstore.New(memstore.Options{})}), "tenant B")
}

// blindStore ignores ifMatch.
type blindStore struct{ *memstore.Store }

func (s blindStore) ReplaceUser(ctx context.Context, u *scim.User, _ string) (*scim.User, error) {
	return s.Store.ReplaceUser(ctx, u, "")
}

func (s blindStore) DeleteUser(ctx context.Context, id, _ string) error {
	return s.Store.DeleteUser(ctx, id, "")
}

func TestKitCatchesIgnoredPreconditions(t *testing.T) {
	wantFailure(t, runUserCase(t, "Preconditions", blindStore{memstore.New(memstore.Options{})}), "stale ifMatch")
}

// pageSortingStore sorts each page by userName: every page is right on its own, but
// pages repeat and skip users.
type pageSortingStore struct{ *memstore.Store }

func (s pageSortingStore) ListUsers(ctx context.Context, q scim.Query) (*scim.Page[scim.User], error) {
	all, err := s.Store.ListUsers(ctx, scim.Query{Filter: q.Filter, StartIndex: 1, Count: 1 << 20})
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(all.Resources, func(a, b *scim.User) int { return strings.Compare(b.UserName, a.UserName) })
	start := min(q.StartIndex-1, len(all.Resources))
	all.Resources = all.Resources[start:min(len(all.Resources), start+q.Count)]
	return all, nil
}

func TestKitCatchesUnstablePaging(t *testing.T) {
	wantFailure(t, runUserCase(t, "PagingDefaultOrder", pageSortingStore{memstore.New(memstore.Options{})}), "meta.created, then id")
}

// eqOnlyStore evaluates only eq filters and returns everything for any other, the
// field failure behind ENTRA-USER-3's "wrong person linked".
type eqOnlyStore struct{ *memstore.Store }

func (s eqOnlyStore) ListUsers(ctx context.Context, q scim.Query) (*scim.Page[scim.User], error) {
	if c, ok := q.Filter.(*filter.Compare); !ok || c.Op != filter.Eq {
		q.Filter = nil
	}
	return s.Store.ListUsers(ctx, q)
}

func TestKitCatchesDroppedFilters(t *testing.T) {
	wantFailure(t, runUserCase(t, "Filters", eqOnlyStore{memstore.New(memstore.Options{})}), "ListUsers(filter not (active eq true))")
}

// insensitiveSortStore sorts every attribute ignoring case, externalId included.
type insensitiveSortStore struct{ *memstore.Store }

func (s insensitiveSortStore) ListUsers(ctx context.Context, q scim.Query) (*scim.Page[scim.User], error) {
	if q.SortBy != "externalId" {
		return s.Store.ListUsers(ctx, q)
	}
	p, err := s.Store.ListUsers(ctx, scim.Query{Filter: q.Filter, StartIndex: 1, Count: 1 << 20})
	if err != nil {
		return nil, err
	}
	slices.SortStableFunc(p.Resources, func(a, b *scim.User) int {
		switch {
		case a.ExternalID == "" || b.ExternalID == "":
			return strings.Compare(b.ExternalID, a.ExternalID)
		case q.Descending:
			return strings.Compare(strings.ToLower(b.ExternalID), strings.ToLower(a.ExternalID))
		}
		return strings.Compare(strings.ToLower(a.ExternalID), strings.ToLower(b.ExternalID))
	})
	return p, nil
}

func TestKitCatchesCaseInsensitiveSortOfCaseExact(t *testing.T) {
	wantFailure(t, runUserCase(t, "SortBy", insensitiveSortStore{memstore.New(memstore.Options{})}), "sortBy externalId")
}

// unsupportedSortStore declines sortBy as the contract allows a store without
// scim.Sorter to do. It embeds the interface, not the memstore, so that it has no
// SortsBy.
type unsupportedSortStore struct{ scim.UserStore }

func (s unsupportedSortStore) ListUsers(ctx context.Context, q scim.Query) (*scim.Page[scim.User], error) {
	if q.SortBy != "" {
		return nil, errors.ErrUnsupported
	}
	return s.UserStore.ListUsers(ctx, q)
}

func TestKitSkipsUnsupportedSort(t *testing.T) {
	err := runUserCase(t, "SortBy", unsupportedSortStore{memstore.New(memstore.Options{})})
	if _, ok := err.(*skipError); !ok {
		t.Fatalf("got %v, want a skip", err)
	}
}

// eagerStore loads members whatever the projection.
type eagerStore struct{ *memstore.Store }

func (s eagerStore) GetGroup(ctx context.Context, id string, _ scim.Projection) (*scim.Group, error) {
	return s.Store.GetGroup(ctx, id, scim.Projection{})
}

func TestKitCatchesIgnoredProjection(t *testing.T) {
	s := eagerStore{memstore.New(memstore.Options{})}
	wantFailure(t, runGroupCase(t, "ProjectionExcludesMembers", s, s), "want nil")
}

// readModifyWriteStore implements PatchMembers as read, change, replace without a
// version check: concurrent additions overwrite each other.
type readModifyWriteStore struct{ *memstore.Store }

func (s readModifyWriteStore) PatchMembers(ctx context.Context, id string, c scim.MemberChange, ifMatch string) (string, error) {
	g, err := s.GetGroup(ctx, id, scim.Projection{})
	if err != nil {
		return "", err
	}
	time.Sleep(time.Millisecond)
	g.Members = append(g.Members, c.Add...)
	g.Meta.LastModified = time.Now()
	g, err = s.ReplaceGroup(ctx, g, "")
	if err != nil {
		return "", err
	}
	return g.Meta.Version, nil
}

func TestKitCatchesLostUpdates(t *testing.T) {
	s := readModifyWriteStore{memstore.New(memstore.Options{})}
	wantFailure(t, runGroupCase(t, "PatchMembersConcurrent", s, s), "concurrent additions")
}

// oneByOneStore applies the additions of a change one call at a time, so an unknown
// id fails after earlier ones were applied.
type oneByOneStore struct{ *memstore.Store }

func (s oneByOneStore) PatchMembers(ctx context.Context, id string, c scim.MemberChange, ifMatch string) (string, error) {
	v, err := s.Store.PatchMembers(ctx, id, scim.MemberChange{DisplayName: c.DisplayName, Remove: c.Remove}, ifMatch)
	for _, m := range c.Add {
		if err != nil {
			break
		}
		v, err = s.Store.PatchMembers(ctx, id, scim.MemberChange{Add: []scim.Member{m}}, "")
	}
	return v, err
}

func TestKitCatchesHalfAppliedPatch(t *testing.T) {
	s := oneByOneStore{memstore.New(memstore.Options{})}
	wantFailure(t, runGroupCase(t, "PatchMembersUnknownNothingApplied", s, s), "after the refused PatchMembers")
}

// TestTestUserStoreReportsFailures runs TestUserStore on a broken store in a child
// process and checks that the failure is reported in the subtest of the check, at the
// line that called TestUserStore, with the rule it enforces, and that the other checks
// still run.
func TestTestUserStoreReportsFailures(t *testing.T) {
	if os.Getenv("SCIMTEST_BROKEN_CHILD") == "1" {
		TestUserStore(t, func(t *testing.T) scim.UserStore { // the failures' line
			return &sharingStore{Store: memstore.New(memstore.Options{}), cache: map[string]*scim.User{}}
		})
		return
	}
	if testing.Short() {
		t.Skip("starts a child process")
	}
	_, file, _, _ := runtime.Caller(0)
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	before, _, _ := strings.Cut(string(src), "// the failures' line")
	callLine := strings.Count(before, "\n") + 1
	cmd := exec.Command(os.Args[0], "-test.run=^TestTestUserStoreReportsFailures$", "-test.v")
	cmd.Env = append(os.Environ(), "SCIMTEST_BROKEN_CHILD=1")
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("TestUserStore passed a store that shares its results:\n%s", out)
	}
	for _, want := range []string{
		"--- FAIL: TestTestUserStoreReportsFailures/OwnershipOfResults",
		filepath.Base(file) + ":" + strconv.Itoa(callLine) + ": after changing the result of GetUser",
		"rule: the caller owns every value a store returns",
		"--- PASS: TestTestUserStoreReportsFailures/RoundTripEntraUser",
	} {
		if !strings.Contains(string(out), want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

// getReplaceUpdater implements UpdateUser as read, fn, replace, without serialising the
// writes: with check set it replaces with the version it read, so that a lost race is
// refused, else unconditionally, so that a lost race loses the other write.
type getReplaceUpdater struct {
	*memstore.Store
	check bool
}

func (s getReplaceUpdater) UpdateUser(ctx context.Context, id, ifMatch string, fn func(*scim.User) (*scim.User, error)) (*scim.User, error) {
	old, err := s.GetUser(ctx, id)
	if err != nil {
		return nil, err
	}
	if ifMatch != "" && ifMatch != old.Meta.Version {
		return nil, scim.ErrPreconditionFailed
	}
	u, err := fn(old.Clone())
	if err != nil || u == nil {
		return old, err
	}
	time.Sleep(time.Millisecond) // the window in which another write wins
	v := ""
	if s.check {
		v = old.Meta.Version
	}
	return s.ReplaceUser(ctx, u, v)
}

func TestKitCatchesLostUserUpdates(t *testing.T) {
	wantFailure(t, runUserCase(t, "UpdateUserConcurrent", getReplaceUpdater{memstore.New(memstore.Options{}), false}), "lost updates")
}

func TestKitCatchesRefusedUserUpdates(t *testing.T) {
	wantFailure(t, runUserCase(t, "UpdateUserConcurrent", getReplaceUpdater{memstore.New(memstore.Options{}), true}), "never be refused")
}

// writeOnErrorUpdater stores what fn returned even when fn also returned an error.
type writeOnErrorUpdater struct{ *memstore.Store }

func (s writeOnErrorUpdater) UpdateUser(ctx context.Context, id, ifMatch string, fn func(*scim.User) (*scim.User, error)) (*scim.User, error) {
	var fnErr error
	u, err := s.Store.UpdateUser(ctx, id, ifMatch, func(old *scim.User) (*scim.User, error) {
		u, err := fn(old)
		fnErr = err
		return u, nil
	})
	if fnErr != nil {
		return nil, fnErr
	}
	return u, err
}

func TestKitCatchesWriteAfterFnError(t *testing.T) {
	wantFailure(t, runUserCase(t, "UpdateUserFnError", writeOnErrorUpdater{memstore.New(memstore.Options{})}), "want nothing written")
}

// lateIfMatchUpdater calls fn first and checks ifMatch only when it writes.
type lateIfMatchUpdater struct{ *memstore.Store }

func (s lateIfMatchUpdater) UpdateUser(ctx context.Context, id, ifMatch string, fn func(*scim.User) (*scim.User, error)) (*scim.User, error) {
	old, err := s.GetUser(ctx, id)
	if err != nil {
		return nil, err
	}
	u, err := fn(old)
	if err != nil || u == nil {
		return old, err
	}
	return s.ReplaceUser(ctx, u, ifMatch)
}

func TestKitCatchesFnCalledDespiteIfMatch(t *testing.T) {
	wantFailure(t, runUserCase(t, "UpdateUserPrecondition", lateIfMatchUpdater{memstore.New(memstore.Options{})}), "called fn")
}

// nilWritesUpdater stores the old user again when fn returns nil, which changes its
// version.
type nilWritesUpdater struct{ *memstore.Store }

func (s nilWritesUpdater) UpdateUser(ctx context.Context, id, ifMatch string, fn func(*scim.User) (*scim.User, error)) (*scim.User, error) {
	return s.Store.UpdateUser(ctx, id, ifMatch, func(old *scim.User) (*scim.User, error) {
		u, err := fn(old.Clone())
		if u == nil && err == nil {
			return old, nil
		}
		return u, err
	})
}

func TestKitCatchesWriteOnNilResult(t *testing.T) {
	wantFailure(t, runUserCase(t, "UpdateUserNoChange", nilWritesUpdater{memstore.New(memstore.Options{})}), "version changed")
}

// getReplaceGroupUpdater implements UpdateGroup as read, fn, replace, without
// serialising the writes.
type getReplaceGroupUpdater struct{ *memstore.Store }

func (s getReplaceGroupUpdater) UpdateGroup(ctx context.Context, id, ifMatch string, fn func(*scim.Group) (*scim.Group, error)) (*scim.Group, error) {
	old, err := s.GetGroup(ctx, id, scim.Projection{})
	if err != nil {
		return nil, err
	}
	g, err := fn(old.Clone())
	if err != nil || g == nil {
		return old, err
	}
	time.Sleep(time.Millisecond)
	return s.ReplaceGroup(ctx, g, "")
}

func TestKitCatchesLostGroupUpdates(t *testing.T) {
	s := getReplaceGroupUpdater{memstore.New(memstore.Options{})}
	wantFailure(t, runGroupCase(t, "UpdateGroupConcurrent", s, s), "lost updates")
}

// claimingSorter reports that it sorts by everything and then ignores sortBy, or, with
// refuse set, declines it.
type claimingSorter struct {
	*memstore.Store
	refuse bool
}

func (claimingSorter) SortsBy(string, string) bool { return true }

func (s claimingSorter) ListUsers(ctx context.Context, q scim.Query) (*scim.Page[scim.User], error) {
	if q.SortBy != "" && s.refuse {
		return nil, errors.ErrUnsupported
	}
	q.SortBy = ""
	return s.Store.ListUsers(ctx, q)
}

func TestKitCatchesSorterThatDoesNotSort(t *testing.T) {
	wantFailure(t, runUserCase(t, "SortBy", claimingSorter{memstore.New(memstore.Options{}), false}), `SortsBy("User", "userName") is true, but`)
	wantFailure(t, runUserCase(t, "SortBy", claimingSorter{memstore.New(memstore.Options{}), true}), "unsupported")
}

// claimingGroupSorter reports that it sorts groups by everything and ignores sortBy.
type claimingGroupSorter struct{ *memstore.Store }

func (claimingGroupSorter) SortsBy(string, string) bool { return true }

func (s claimingGroupSorter) ListGroups(ctx context.Context, q scim.Query) (*scim.Page[scim.Group], error) {
	q.SortBy = ""
	return s.Store.ListGroups(ctx, q)
}

func TestKitCatchesGroupSorterThatDoesNotSort(t *testing.T) {
	s := claimingGroupSorter{memstore.New(memstore.Options{})}
	wantFailure(t, runGroupCase(t, "GroupSorterSortsWhatItClaims", s, s), `SortsBy("Group", "displayName") is true, but`)
}
