package memstore_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/scimkit/scimkit/filter"
	"github.com/scimkit/scimkit/schema"
	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/scim/memstore"
)

func mustFilter(t testing.TB, rt *schema.ResourceType, s string) filter.Expr {
	t.Helper()
	e, err := filter.Parse(s)
	if err != nil {
		t.Fatalf("Parse(%s): %v", s, err)
	}
	e, err = filter.Validate(e, rt)
	if err != nil {
		t.Fatalf("Validate(%s): %v", s, err)
	}
	return e
}

func create(t testing.TB, s *memstore.Store, ctx context.Context, u *scim.User) *scim.User {
	t.Helper()
	got, err := s.CreateUser(ctx, u)
	if err != nil {
		t.Fatalf("CreateUser(%q): %v", u.UserName, err)
	}
	return got
}

func ids[T any](rs []*T, id func(*T) string) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = id(r)
	}
	return out
}

func userID(u *scim.User) string   { return u.ID }
func groupID(g *scim.Group) string { return g.ID }

// TestIndexAgreesWithEvaluator checks that the indexed filters (userName, externalId
// and id eq, alone or as a conjunct) return exactly what scanning with package filter's
// evaluator returns, also for names that differ only in case, including the Unicode
// cases where strings.EqualFold and lower-casing disagree (RFC-FILTER-2).
func TestIndexAgreesWithEvaluator(t *testing.T) {
	ctx := t.Context()
	s := memstore.New(memstore.Options{})
	names := []string{"ada", "ADA.x", "kelvin", "\u212aelvin2", "sam", "\u017fam2", "istanbul", "\u0130stanbul2",
		"straße", "STRASSE", "σίσυφος", "ΣΊΣΥΦΟΣ2", "bob", "carol"}
	exts := []string{"e1", "E1", "e2", "", "e1"}
	var all []*scim.User
	for i, n := range names {
		u := create(t, s, ctx, &scim.User{UserName: n, ExternalID: exts[i%len(exts)], Active: i%3 != 0,
			Meta: scim.Meta{Created: time.Unix(int64(1000-i), 0)}})
		all = append(all, u)
	}
	var probes []string
	for _, n := range append(slices.Clone(names), "ADA", "KELVIN", "SAM", "İSTANBUL", "ISTANBUL", "STRASSE", "σίσυφος2", "nobody",
		"SAM2", "KELVIN2", "istanbul2") {
		probes = append(probes, fmt.Sprintf("userName eq %q", n))
		probes = append(probes, fmt.Sprintf("userName eq %q and active eq true", n))
		probes = append(probes, fmt.Sprintf("active eq true and userName eq %q", n))
	}
	for _, e := range []string{"e1", "E1", "e2", "e3"} {
		probes = append(probes, fmt.Sprintf("externalId eq %q", e), fmt.Sprintf("externalId eq %q and userName eq %q", e, "ADA"))
	}
	for _, u := range all[:4] {
		probes = append(probes, fmt.Sprintf("id eq %q", u.ID), fmt.Sprintf("id eq %q and userName eq %q", u.ID, "bob"),
			fmt.Sprintf("userName eq %q and id eq %q", u.UserName, u.ID))
	}
	probes = append(probes, `id eq "ada"`, `urn:ietf:params:scim:schemas:core:2.0:User:userName eq "ADA"`,
		`userName eq "ada" or userName eq "bob"`)
	for _, p := range probes {
		f := mustFilter(t, schema.UserResourceType, p)
		m, err := filter.Compile(f, schema.UserResourceType)
		if err != nil {
			t.Fatal(err)
		}
		var want []*scim.User
		for _, u := range all {
			if m.Match(u.Tree()) {
				want = append(want, u)
			}
		}
		slices.SortFunc(want, func(a, b *scim.User) int {
			return cmpOrder(a.Meta.Created, a.ID, b.Meta.Created, b.ID)
		})
		page, err := s.ListUsers(ctx, scim.Query{Filter: f, StartIndex: 1, Count: 100})
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if got, w := ids(page.Resources, userID), ids(want, userID); !slices.Equal(got, w) || page.Total != len(w) {
			t.Errorf("%s: got %d users %q, want %q", p, page.Total, got, w)
		}
	}
}

func cmpOrder(ac time.Time, aid string, bc time.Time, bid string) int {
	if c := ac.Compare(bc); c != 0 {
		return c
	}
	return strings.Compare(aid, bid)
}

func TestUserNameUniqueIgnoringUnicodeCase(t *testing.T) {
	ctx := t.Context()
	s := memstore.New(memstore.Options{})
	for _, pair := range [][2]string{{"kelvin", "\u212aELVIN"}, {"sam", "\u017fAM"}, {"istanbul", "İstanbul"}, {"Σίσυφος", "σΊΣΥΦΟΣ"}} {
		create(t, s, ctx, &scim.User{UserName: pair[0]})
		_, err := s.CreateUser(ctx, &scim.User{UserName: pair[1]})
		if !errors.Is(err, scim.ErrUniqueness) {
			t.Errorf("CreateUser(%q) after %q: %v, want ErrUniqueness", pair[1], pair[0], err)
		}
	}
}

func TestDefaultOrderWithOutOfOrderCreates(t *testing.T) {
	ctx := t.Context()
	s := memstore.New(memstore.Options{})
	r := rand.New(rand.NewPCG(1, 1))
	var users []*scim.User
	for i := range 200 {
		u := create(t, s, ctx, &scim.User{UserName: fmt.Sprint("u", i),
			Meta: scim.Meta{Created: time.Unix(int64(r.IntN(50)), 0)}})
		users = append(users, u)
		if i%7 == 3 {
			j := r.IntN(len(users))
			if err := s.DeleteUser(ctx, users[j].ID, ""); err != nil {
				t.Fatal(err)
			}
			users = slices.Delete(users, j, j+1)
		}
	}
	slices.SortFunc(users, func(a, b *scim.User) int { return cmpOrder(a.Meta.Created, a.ID, b.Meta.Created, b.ID) })
	page, err := s.ListUsers(ctx, scim.Query{StartIndex: 1, Count: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := ids(page.Resources, userID), ids(users, userID); !slices.Equal(got, want) {
		t.Fatalf("order:\n got %q\nwant %q", got, want)
	}
}

func TestCreateFillsIDAndTimes(t *testing.T) {
	now := time.Date(2025, 1, 2, 3, 4, 5, 6, time.UTC)
	s := memstore.New(memstore.Options{Now: func() time.Time { return now }})
	u := create(t, s, t.Context(), &scim.User{UserName: "x"})
	id, err := uuid.Parse(u.ID)
	if err != nil || id.Version() != 7 {
		t.Errorf("generated id %q is not a UUIDv7: %v", u.ID, err)
	}
	if !u.Meta.Created.Equal(now) || !u.Meta.LastModified.Equal(now) || u.Meta.Version == "" {
		t.Errorf("meta %+v, want created and lastModified %v and a version", u.Meta, now)
	}
	g, err := s.CreateGroup(t.Context(), &scim.Group{DisplayName: "g"})
	if err != nil {
		t.Fatal(err)
	}
	if g.ID == "" || !g.Meta.Created.Equal(now) || g.Members == nil {
		t.Errorf("group %+v: want an id, created %v and a non-nil empty member list", g, now)
	}
}

func TestEmptyTenantListsNothing(t *testing.T) {
	s := memstore.New(memstore.Options{})
	up, err := s.ListUsers(t.Context(), scim.Query{StartIndex: 1, Count: 10, Filter: mustFilter(t, schema.UserResourceType, `userName eq "x"`)})
	if err != nil || up.Total != 0 || up.Resources == nil {
		t.Errorf("ListUsers on an empty tenant: %+v, %v; want Total 0 and a non-nil empty slice", up, err)
	}
	gp, err := s.ListGroups(t.Context(), scim.Query{StartIndex: 1, Count: 10})
	if err != nil || gp.Total != 0 || gp.Resources == nil {
		t.Errorf("ListGroups on an empty tenant: %+v, %v", gp, err)
	}
}

func TestCanceledContextStopsEveryCall(t *testing.T) {
	s := memstore.New(memstore.Options{})
	ctx, cancel := context.WithCancel(t.Context())
	cancel()
	if _, err := s.CreateUser(ctx, &scim.User{UserName: "x"}); !errors.Is(err, context.Canceled) {
		t.Errorf("CreateUser: %v", err)
	}
	if _, err := s.ListUsers(ctx, scim.Query{}); !errors.Is(err, context.Canceled) {
		t.Errorf("ListUsers: %v", err)
	}
	if _, err := s.PatchMembers(ctx, "g", scim.MemberChange{}, ""); !errors.Is(err, context.Canceled) {
		t.Errorf("PatchMembers: %v", err)
	}
}

func TestSortByPutsMissingLastAndRefusesComplexPaths(t *testing.T) {
	ctx := t.Context()
	s := memstore.New(memstore.Options{})
	mk := func(name, title, email string, primary bool) {
		u := &scim.User{UserName: name, Title: title}
		if email != "" {
			u.Emails = []scim.MultiValue{{Value: "z-first@x", Type: "other"}, {Value: email, Primary: primary}}
		}
		create(t, s, ctx, u)
	}
	mk("bob", "Lead", "b@x", true)
	mk("Alice", "", "a@x", true)
	mk("carol", "engineer", "c@x", false)
	mk("dave", "Director", "", false)
	cases := []struct {
		sortBy string
		desc   bool
		want   []string
	}{
		{"userName", false, []string{"Alice", "bob", "carol", "dave"}},
		{"userName", true, []string{"dave", "carol", "bob", "Alice"}},
		{"title", false, []string{"dave", "carol", "bob", "Alice"}}, // missing last
		{"title", true, []string{"bob", "carol", "dave", "Alice"}},  // missing still last
		// Primary value, else the first value; no emails last.
		{"emails", false, []string{"Alice", "bob", "carol", "dave"}},
		{"emails.value", true, []string{"carol", "bob", "Alice", "dave"}},
		{"meta.created", true, []string{"dave", "carol", "Alice", "bob"}},
	}
	for _, c := range cases {
		p, err := s.ListUsers(ctx, scim.Query{SortBy: c.sortBy, Descending: c.desc, StartIndex: 1, Count: 10})
		if err != nil {
			t.Fatalf("%s: %v", c.sortBy, err)
		}
		if got := ids(p.Resources, func(u *scim.User) string { return u.UserName }); !slices.Equal(got, c.want) {
			t.Errorf("sortBy %s desc %v: %q, want %q", c.sortBy, c.desc, got, c.want)
		}
	}
	for _, bad := range []string{"nonsense", "name"} {
		_, err := s.ListUsers(ctx, scim.Query{SortBy: bad, StartIndex: 1, Count: 10})
		var se *scim.Error
		if !errors.As(err, &se) || se.Status != 400 || se.ScimType != "invalidValue" {
			t.Errorf("sortBy %q: %v, want a 400 invalidValue *scim.Error", bad, err)
		}
	}
}

func TestExtensionFilterWithHostSchema(t *testing.T) {
	const urn = "urn:ietf:params:scim:schemas:extension:acme:2.0:User"
	rt := schema.UserResourceType.WithExtensions(schema.Extension{Schema: &schema.Schema{ID: urn, Name: "Acme",
		Attributes: []*schema.Attribute{{Name: "badge", Type: schema.String}}}})
	s := memstore.New(memstore.Options{UserType: rt})
	ctx := t.Context()
	a := create(t, s, ctx, &scim.User{UserName: "a", Extensions: map[string]map[string]any{urn: {"badge": "B-1"}}})
	create(t, s, ctx, &scim.User{UserName: "b", Extensions: map[string]map[string]any{urn: {"badge": "B-2"}}})
	p, err := s.ListUsers(ctx, scim.Query{Filter: mustFilter(t, rt, urn+`:badge eq "b-1"`), StartIndex: 1, Count: 10})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(p.Resources, userID); !slices.Equal(got, []string{a.ID}) {
		t.Errorf("got %q, want [%q]", got, a.ID)
	}
	p, err = s.ListUsers(ctx, scim.Query{SortBy: urn + ":badge", Descending: true, StartIndex: 1, Count: 10})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(p.Resources, func(u *scim.User) string { return u.UserName }); !slices.Equal(got, []string{"b", "a"}) {
		t.Errorf("sort by extension: %q", got)
	}
}

func TestNestedGroupsOnlyWhenEnabled(t *testing.T) {
	ctx := t.Context()
	flat := memstore.New(memstore.Options{})
	child, err := flat.CreateGroup(ctx, &scim.Group{DisplayName: "child"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = flat.CreateGroup(ctx, &scim.Group{DisplayName: "parent", Members: []scim.Member{{Value: child.ID}}})
	if !errors.Is(err, scim.ErrInvalidReference) {
		t.Errorf("group member without NestedGroups: %v, want ErrInvalidReference", err)
	}

	s := memstore.New(memstore.Options{NestedGroups: true})
	u := create(t, s, ctx, &scim.User{UserName: "u"})
	child, err = s.CreateGroup(ctx, &scim.Group{DisplayName: "child", Members: []scim.Member{{Value: u.ID}}})
	if err != nil {
		t.Fatal(err)
	}
	parent, err := s.CreateGroup(ctx, &scim.Group{DisplayName: "parent",
		Members: []scim.Member{{Value: child.ID}, {Value: u.ID, Type: "user"}}})
	if err != nil {
		t.Fatal(err)
	}
	want := []scim.Member{{Value: child.ID, Type: "Group"}, {Value: u.ID, Type: "User"}}
	if !slices.Equal(parent.Members, want) {
		t.Errorf("members %+v, want %+v", parent.Members, want)
	}
	if _, err := s.PatchMembers(ctx, parent.ID, scim.MemberChange{Add: []scim.Member{{Value: parent.ID}}}, ""); !errors.Is(err, scim.ErrInvalidReference) {
		t.Errorf("a group as its own member: %v, want ErrInvalidReference", err)
	}
	if _, err := s.PatchMembers(ctx, parent.ID, scim.MemberChange{Add: []scim.Member{{Value: u.ID, Type: "Group"}}}, ""); !errors.Is(err, scim.ErrInvalidReference) {
		t.Errorf("a user id typed Group: %v, want ErrInvalidReference", err)
	}
	if err := s.DeleteGroup(ctx, child.ID, ""); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetGroup(ctx, parent.ID, scim.Projection{})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got.Members, want[1:]) || got.Meta.Version == parent.Meta.Version {
		t.Errorf("after deleting the child group: members %+v (version %s, was %s), want %+v and a new version",
			got.Members, got.Meta.Version, parent.Meta.Version, want[1:])
	}
}

func TestDuplicateGroupNamesAllFoundWhenAllowed(t *testing.T) {
	ctx := t.Context()
	s := memstore.New(memstore.Options{AllowDuplicateGroupNames: true})
	var want []string
	for _, n := range []string{"Design", "DESIGN", "design"} {
		g, err := s.CreateGroup(ctx, &scim.Group{DisplayName: n})
		if err != nil {
			t.Fatalf("CreateGroup(%q): %v", n, err)
		}
		want = append(want, g.ID)
	}
	p, err := s.ListGroups(ctx, scim.Query{Filter: mustFilter(t, schema.GroupResourceType, `displayName eq "Design"`), StartIndex: 1, Count: 10})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(p.Resources, groupID); !slices.Equal(got, want) {
		t.Errorf("displayName eq: %q, want %q", got, want)
	}
	if err := s.DeleteGroup(ctx, want[1], ""); err != nil {
		t.Fatal(err)
	}
	p, err = s.ListGroups(ctx, scim.Query{Filter: mustFilter(t, schema.GroupResourceType, `displayName eq "design"`), StartIndex: 1, Count: 10})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(p.Resources, groupID); !slices.Equal(got, []string{want[0], want[2]}) {
		t.Errorf("after delete: %q", got)
	}
}

// TestPatchMembersModel applies random membership changes and compares the members,
// in order, with a simple model: present members in insertion order.
func TestPatchMembersModel(t *testing.T) {
	ctx := t.Context()
	s := memstore.New(memstore.Options{})
	var users []string
	for i := range 300 {
		users = append(users, create(t, s, ctx, &scim.User{UserName: fmt.Sprint("m", i)}).ID)
	}
	g, err := s.CreateGroup(ctx, &scim.Group{DisplayName: "model"})
	if err != nil {
		t.Fatal(err)
	}
	var model []string
	r := rand.New(rand.NewPCG(3, 3))
	version := g.Meta.Version
	for step := range 400 {
		var c scim.MemberChange
		for range r.IntN(40) {
			c.Remove = append(c.Remove, users[r.IntN(len(users))])
		}
		for range r.IntN(30) {
			c.Add = append(c.Add, scim.Member{Value: users[r.IntN(len(users))]})
		}
		changed := false // whether a removal or an addition took effect
		for _, id := range c.Remove {
			if i := slices.Index(model, id); i >= 0 {
				model = slices.Delete(model, i, i+1)
				changed = true
			}
		}
		for _, m := range c.Add {
			if !slices.Contains(model, m.Value) {
				model = append(model, m.Value)
				changed = true
			}
		}
		v, err := s.PatchMembers(ctx, g.ID, c, "")
		if err != nil {
			t.Fatal(err)
		}
		if changed != (v != version) {
			t.Fatalf("step %d: version %s -> %s, but a change took effect: %v", step, version, v, changed)
		}
		version = v
		got, err := s.GetGroup(ctx, g.ID, scim.Projection{})
		if err != nil {
			t.Fatal(err)
		}
		if ids := ids(ptrs(got.Members), func(m *scim.Member) string { return m.Value }); !slices.Equal(ids, model) {
			t.Fatalf("step %d: members\n got %q\nwant %q", step, ids, model)
		}
	}
	// Users' groups follow.
	for _, id := range users[:20] {
		u, err := s.GetUser(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if in := slices.Contains(model, id); in != (len(u.Groups) == 1) {
			t.Errorf("user %s: member %v, groups %+v", id, in, u.Groups)
		}
	}
}

func ptrs[T any](s []T) []*T {
	out := make([]*T, len(s))
	for i := range s {
		out[i] = &s[i]
	}
	return out
}

func TestUserGroupsFollowRename(t *testing.T) {
	ctx := t.Context()
	s := memstore.New(memstore.Options{})
	u := create(t, s, ctx, &scim.User{UserName: "u"})
	g, err := s.CreateGroup(ctx, &scim.Group{DisplayName: "Old", Members: []scim.Member{{Value: u.ID}}})
	if err != nil {
		t.Fatal(err)
	}
	name := "New"
	if _, err := s.PatchMembers(ctx, g.ID, scim.MemberChange{DisplayName: &name}, ""); err != nil {
		t.Fatal(err)
	}
	got, err := s.GetUser(ctx, u.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []scim.GroupRef{{Value: g.ID, Display: "New", Type: "direct"}}
	if !slices.Equal(got.Groups, want) {
		t.Errorf("groups %+v, want %+v", got.Groups, want)
	}
	// The old name is free, the new one taken.
	if _, err := s.CreateGroup(ctx, &scim.Group{DisplayName: "old"}); err != nil {
		t.Errorf("old name after rename: %v", err)
	}
	if _, err := s.CreateGroup(ctx, &scim.Group{DisplayName: "NEW"}); !errors.Is(err, scim.ErrUniqueness) {
		t.Errorf("new name after rename: %v, want ErrUniqueness", err)
	}
}

func TestGroupFilterOnMembersHonoursProjection(t *testing.T) {
	ctx := t.Context()
	s := memstore.New(memstore.Options{})
	u1 := create(t, s, ctx, &scim.User{UserName: "u1"})
	u2 := create(t, s, ctx, &scim.User{UserName: "u2"})
	g1, _ := s.CreateGroup(ctx, &scim.Group{DisplayName: "g1", Members: []scim.Member{{Value: u1.ID}}})
	g2, _ := s.CreateGroup(ctx, &scim.Group{DisplayName: "g2", Members: []scim.Member{{Value: u1.ID}, {Value: u2.ID}}})
	p, err := s.ListGroups(ctx, scim.Query{Filter: mustFilter(t, schema.GroupResourceType, `members eq "`+u2.ID+`"`),
		StartIndex: 1, Count: 10, Projection: scim.Projection{ExcludedAttributes: []string{"members"}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(p.Resources, groupID); !slices.Equal(got, []string{g2.ID}) || p.Resources[0].Members != nil {
		t.Errorf("members eq: %q (members %v), want [%s] without members", got, p.Resources[0].Members, g2.ID)
	}
	p, err = s.ListGroups(ctx, scim.Query{Filter: mustFilter(t, schema.GroupResourceType, `members.value eq "`+u1.ID+`"`), StartIndex: 1, Count: 10})
	if err != nil {
		t.Fatal(err)
	}
	if got := ids(p.Resources, groupID); !slices.Equal(got, []string{g1.ID, g2.ID}) || len(p.Resources[1].Members) != 2 {
		t.Errorf("members.value eq: %q", got)
	}
}

// TestConcurrentMixedLoadKeepsMemberships runs creates, reads, lists, membership changes and deletes
// at once in two tenants; run with -race.
func TestConcurrentMixedLoadKeepsMemberships(t *testing.T) {
	s := memstore.New(memstore.Options{})
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := scim.WithTenant(context.Background(), fmt.Sprint("t", w%2))
			g, err := s.CreateGroup(ctx, &scim.Group{DisplayName: fmt.Sprint("g", w)})
			if err != nil {
				t.Error(err)
				return
			}
			for i := range 50 {
				u, err := s.CreateUser(ctx, &scim.User{UserName: fmt.Sprintf("w%d-%d", w, i)})
				if err != nil {
					t.Error(err)
					return
				}
				if _, err := s.PatchMembers(ctx, g.ID, scim.MemberChange{Add: []scim.Member{{Value: u.ID}}}, ""); err != nil {
					t.Error(err)
				}
				if _, err := s.ListUsers(ctx, scim.Query{StartIndex: 1, Count: 5, Filter: mustFilter(t, schema.UserResourceType, `userName sw "w"`)}); err != nil {
					t.Error(err)
				}
				if i%3 == 0 {
					if err := s.DeleteUser(ctx, u.ID, ""); err != nil {
						t.Error(err)
					}
				}
				if _, err := s.GetGroup(ctx, g.ID, scim.Projection{}); err != nil {
					t.Error(err)
				}
			}
			got, err := s.GetGroup(ctx, g.ID, scim.Projection{})
			if err != nil {
				t.Error(err)
				return
			}
			if len(got.Members) != 50-17 {
				t.Errorf("group %s has %d members, want %d", g.DisplayName, len(got.Members), 50-17)
			}
		}()
	}
	wg.Wait()
}

func TestMembershipSurvivesReplaceAndDeleteTouchesGroups(t *testing.T) {
	ctx := t.Context()
	s := memstore.New(memstore.Options{})
	u := create(t, s, ctx, &scim.User{UserName: "u", Active: true})
	g, err := s.CreateGroup(ctx, &scim.Group{DisplayName: "g", Members: []scim.Member{{Value: u.ID, Display: "U"}}})
	if err != nil {
		t.Fatal(err)
	}
	rep := u.Clone()
	rep.Groups = nil // read-only: ignored
	rep.Active = false
	got, err := s.ReplaceUser(ctx, rep, u.Meta.Version)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Groups) != 1 || got.Groups[0].Value != g.ID {
		t.Errorf("after ReplaceUser (ENTRA-USER-6: memberships are kept): groups %+v", got.Groups)
	}
	if err := s.DeleteUser(ctx, u.ID, ""); err != nil {
		t.Fatal(err)
	}
	after, err := s.GetGroup(ctx, g.ID, scim.Projection{})
	if err != nil {
		t.Fatal(err)
	}
	if len(after.Members) != 0 || after.Meta.Version == g.Meta.Version || after.Meta.LastModified.Before(g.Meta.LastModified) {
		t.Errorf("after deleting its member: %+v (version was %s)", after, g.Meta.Version)
	}
}

// TestExternalIDChainSurvivesDeletes removes users sharing one externalId from the
// middle, the head and the tail of the index chain, and checks the indexed lookup
// after each step.
func TestExternalIDChainSurvivesDeletes(t *testing.T) {
	ctx := t.Context()
	s := memstore.New(memstore.Options{})
	var want []string
	for i := range 5 {
		u := create(t, s, ctx, &scim.User{UserName: fmt.Sprint("u", i), ExternalID: "same",
			Meta: scim.Meta{Created: time.Unix(int64(1000+i), 0)}})
		want = append(want, u.ID)
	}
	f := mustFilter(t, schema.UserResourceType, `externalId eq "same"`)
	// The chain runs from the newest user to the oldest: remove from its middle, its
	// head, its tail, its head again and the last one left.
	for _, k := range []int{2, 3, 0, 1, 0} {
		id := want[k]
		if err := s.DeleteUser(ctx, id, ""); err != nil {
			t.Fatal(err)
		}
		want = slices.Delete(want, k, k+1)
		page, err := s.ListUsers(ctx, scim.Query{Filter: f, StartIndex: 1, Count: 10})
		if err != nil {
			t.Fatal(err)
		}
		if got := ids(page.Resources, userID); !slices.Equal(got, want) {
			t.Fatalf("after deleting %s: got %q, want %q", id, got, want)
		}
	}
}

// GetUser of a typical Entra ID user allocates twice: the User and one block with
// all its parts; the version string is kept ready. The copy is still the caller's: changing
// every part of it leaves the stored user alone, and the version moves on replace.
func TestGetUserTwoAllocations(t *testing.T) {
	ctx := context.Background()
	s := memstore.New(memstore.Options{})
	ids := load(t, s, ctx, 200) // versions past 100, which strconv does not cache
	id := ids[150]
	if n := testing.AllocsPerRun(100, func() {
		if _, err := s.GetUser(ctx, id); err != nil {
			t.Fatal(err)
		}
	}); n != 2 {
		t.Errorf("GetUser allocates %v times, want 2", n)
	}
	u, err := s.GetUser(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	want := *u.Name
	u.Name.GivenName = "changed"
	u.Enterprise.Manager.Value = "changed"
	u.Emails = append(u.Emails, scim.MultiValue{Value: "more@contoso.example"})
	u.Emails[0].Value = "changed"
	u.Addresses[0].Locality = "changed"
	again, err := s.GetUser(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if *again.Name != want || again.Enterprise.Manager.Value != ids[15] || len(again.Emails) != 1 ||
		again.Emails[0].Value == "changed" || again.Addresses[0].Locality != "Redmond" {
		t.Fatalf("changing a returned user changed the store: %+v", again)
	}
	if _, err := s.ReplaceUser(ctx, again, "0"); !errors.Is(err, scim.ErrPreconditionFailed) {
		t.Fatalf("ReplaceUser with a stale version: %v, want ErrPreconditionFailed", err)
	}
	r, err := s.ReplaceUser(ctx, again, again.Meta.Version)
	if err != nil {
		t.Fatal(err)
	}
	if r.Meta.Version == again.Meta.Version || r.Meta.Version == "" {
		t.Fatalf("version %q after replace, was %q", r.Meta.Version, again.Meta.Version)
	}
	if err := s.DeleteUser(ctx, id, again.Meta.Version); !errors.Is(err, scim.ErrPreconditionFailed) {
		t.Fatalf("DeleteUser with a stale version: %v, want ErrPreconditionFailed", err)
	}
	if err := s.DeleteUser(ctx, id, r.Meta.Version); err != nil {
		t.Fatal(err)
	}
}
