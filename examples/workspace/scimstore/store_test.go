package scimstore_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"reflect"
	"sort"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/scimkit/scimkit/examples/workspace/internal/testdb"
	"github.com/scimkit/scimkit/examples/workspace/store"
	"github.com/scimkit/scimkit/filter"
	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/sqlstore"
)

// env is one workspace in a fresh database, with its SCIM stores.
type env struct {
	db     *store.DB
	ctx    context.Context // carries the workspace as tenant
	ws     string
	users  *sqlstore.Store
	groups *sqlstore.Store // the same store, named for what a test does with it
}

// eachDB runs f against SQLite and, when configured, PostgreSQL, in a new workspace
// of a database that the tests of this file share.
func eachDB(t *testing.T, f func(t *testing.T, e *env)) {
	for _, d := range testdb.Dialects() {
		t.Run(d.String(), func(t *testing.T) {
			f(t, newEnv(t, sharedDB(t, d)))
		})
	}
}

var (
	sharedMu sync.Mutex
	shared   = map[store.Dialect]*store.DB{}
	cleanups []func()
)

func sharedDB(t *testing.T, d store.Dialect) *store.DB {
	sharedMu.Lock()
	defer sharedMu.Unlock()
	if db := shared[d]; db != nil {
		return db
	}
	db, cleanup, err := testdb.OpenShared(d)
	if err != nil {
		t.Fatal(err)
	}
	shared[d] = db
	cleanups = append(cleanups, cleanup)
	return db
}

func TestMain(m *testing.M) {
	code := m.Run()
	for _, c := range cleanups {
		c()
	}
	os.Exit(code)
}

func newEnv(t *testing.T, db *store.DB) *env {
	t.Helper()
	w, err := db.CreateWorkspace(context.Background(), "Contoso")
	if err != nil {
		t.Fatal(err)
	}
	s := newStore(t, db)
	return &env{db: db, ctx: scim.WithTenant(context.Background(), w.ID), ws: w.ID, users: s, groups: s}
}

// newUser returns a user as the Handler hands it to CreateUser.
func newUser(userName string) *scim.User {
	now := time.Now().UTC()
	return &scim.User{ID: uuid.Must(uuid.NewV7()).String(), UserName: userName, Active: true,
		Meta: scim.Meta{Created: now, LastModified: now}}
}

func (e *env) create(t *testing.T, u *scim.User) *scim.User {
	t.Helper()
	got, err := e.users.CreateUser(e.ctx, u)
	if err != nil {
		t.Fatalf("CreateUser(%s): %v", u.UserName, err)
	}
	return got
}

func (e *env) createGroup(t *testing.T, name string, members ...string) *scim.Group {
	t.Helper()
	now := time.Now().UTC()
	g := &scim.Group{ID: uuid.Must(uuid.NewV7()).String(), DisplayName: name,
		Meta: scim.Meta{Created: now, LastModified: now}}
	for _, m := range members {
		g.Members = append(g.Members, scim.Member{Value: m})
	}
	got, err := e.groups.CreateGroup(e.ctx, g)
	if err != nil {
		t.Fatalf("CreateGroup(%s): %v", name, err)
	}
	return got
}

// entraUser is the user of ENTRA-USER-2, with every attribute kind set.
func entraUser() *scim.User {
	u := newUser("ada.l@contoso.example")
	u.ExternalID = "ada.l"
	u.DisplayName = "Ada L"
	u.Title = "Engineer"
	u.PreferredLanguage = "en-GB"
	u.NickName = "Ada"
	u.Emails = []scim.MultiValue{
		{Value: "ada.l@contoso.example", Type: "work", Primary: true},
		{Value: "ada@home.example", Type: "home", Display: "Home"},
	}
	u.Name = &scim.Name{Formatted: "Ada L", GivenName: "Ada", FamilyName: "L", MiddleName: "K"}
	u.PhoneNumbers = []scim.MultiValue{{Value: "+44 7700 900123", Type: "mobile"}}
	u.Addresses = []scim.Address{{Type: "work", Locality: "Leeds", Country: "GB"}}
	u.Roles = []scim.MultiValue{{Value: `{"id":"r1"}`, Primary: true}}
	u.Enterprise = &scim.EnterpriseUser{EmployeeNumber: "00412", Department: "R&D", CostCenter: "CC-9"}
	u.Extensions = map[string]map[string]any{
		"urn:ietf:params:scim:schemas:extension:acme:2.0:User": {"badge": "7", "floor": jsonNumber("3")},
	}
	return u
}

func TestENTRA_USER_9_RoundTripVerbatim(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		in := entraUser()
		created := e.create(t, in)
		got, err := e.users.GetUser(e.ctx, in.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range []*scim.User{created, got} {
			if u.Meta.Version == "" {
				t.Errorf("no version")
			}
			if !u.Meta.Created.Equal(in.Meta.Created.Truncate(time.Microsecond)) {
				t.Errorf("created %v, want %v", u.Meta.Created, in.Meta.Created)
			}
			want := *in
			want.Meta = u.Meta
			if !reflect.DeepEqual(*u, want) {
				t.Errorf("stored user differs:\n got %+v\nwant %+v", *u, want)
			}
		}
	})
}

func TestRFC_UNIQ_1_UserNameIgnoringCase(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		e.create(t, newUser("Ada@Contoso.example"))
		_, err := e.users.CreateUser(e.ctx, newUser("ada@contoso.EXAMPLE"))
		if !errors.Is(err, scim.ErrUniqueness) {
			t.Fatalf("duplicate create: %v, want ErrUniqueness", err)
		}
		other := e.create(t, newUser("grace@contoso.example"))
		other.UserName = "ADA@contoso.example"
		if _, err := e.users.ReplaceUser(e.ctx, other, ""); !errors.Is(err, scim.ErrUniqueness) {
			t.Fatalf("rename onto a taken userName: %v, want ErrUniqueness", err)
		}
		// Another workspace may use the same userName (AUTH-5).
		e2 := newEnv(t, e.db)
		e2.create(t, newUser("ada@contoso.example"))
	})
}

func TestRFC_UNIQ_1_ConcurrentCreatesMakeOneUser(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		const n = 16
		var wg sync.WaitGroup
		errs := make([]error, n)
		for i := range n {
			wg.Go(func() {
				_, errs[i] = e.users.CreateUser(e.ctx, newUser(fmt.Sprintf("SAME%d@x.example", i%2)))
			})
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			switch {
			case err == nil:
				ok++
			case !errors.Is(err, scim.ErrUniqueness):
				t.Errorf("unexpected error: %v", err)
			}
		}
		if ok != 2 {
			t.Errorf("%d creates succeeded, want 2", ok)
		}
		page, err := e.users.ListUsers(e.ctx, scim.Query{StartIndex: 1, Count: 100})
		if err != nil || page.Total != 2 {
			t.Fatalf("total %v %v, want 2", page, err)
		}
	})
}

func TestRFC_ETAG_1_PreconditionsAndVersions(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		u := e.create(t, newUser("ada@x.example"))
		v1 := u.Meta.Version
		u.Title = "Lead"
		u2, err := e.users.ReplaceUser(e.ctx, u, v1)
		if err != nil {
			t.Fatal(err)
		}
		if u2.Meta.Version == v1 || u2.Title != "Lead" {
			t.Fatalf("replace: version %s -> %s, title %q", v1, u2.Meta.Version, u2.Title)
		}
		u.Title = "Stale"
		if _, err := e.users.ReplaceUser(e.ctx, u, v1); !errors.Is(err, scim.ErrPreconditionFailed) {
			t.Fatalf("stale If-Match: %v", err)
		}
		if err := e.users.DeleteUser(e.ctx, u.ID, v1); !errors.Is(err, scim.ErrPreconditionFailed) {
			t.Fatalf("stale If-Match on delete: %v", err)
		}
		got, _ := e.users.GetUser(e.ctx, u.ID)
		if got.Title != "Lead" {
			t.Errorf("failed precondition changed the user: %q", got.Title)
		}
		if err := e.users.DeleteUser(e.ctx, u.ID, u2.Meta.Version); err != nil {
			t.Fatal(err)
		}
		if _, err := e.users.ReplaceUser(e.ctx, u, ""); !errors.Is(err, scim.ErrNotFound) {
			t.Fatalf("replace after delete: %v", err)
		}
	})
}

func TestENTRA_USER_8_DeleteLeavesTeamsKeepsBookings(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ada := e.create(t, newUser("ada@x.example"))
		grace := e.create(t, newUser("grace@x.example"))
		g := e.createGroup(t, "Finance", ada.ID, grace.ID)
		desks, err := e.db.Desks(context.Background(), e.ws)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.db.Book(context.Background(), e.ws, ada.ID, desks[0].ID, "2030-01-02"); err != nil {
			t.Fatal(err)
		}
		secret, err := e.db.CreateSession(context.Background(), store.Session{Kind: "member", WorkspaceID: e.ws,
			MemberID: ada.ID, Expires: time.Now().Add(time.Hour)})
		if err != nil {
			t.Fatal(err)
		}
		if err := e.users.DeleteUser(e.ctx, ada.ID, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := e.db.Session(context.Background(), secret); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("session of the deleted member: %v", err)
		}
		if err := e.users.DeleteUser(e.ctx, ada.ID, ""); !errors.Is(err, scim.ErrNotFound) {
			t.Errorf("second delete: %v", err)
		}
		if _, err := e.users.GetUser(e.ctx, ada.ID); !errors.Is(err, scim.ErrNotFound) {
			t.Errorf("get after delete: %v", err)
		}
		got, err := e.groups.GetGroup(e.ctx, g.ID, scim.Projection{})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Members) != 1 || got.Members[0].Value != grace.ID {
			t.Errorf("members after delete: %+v", got.Members)
		}
		if got.Meta.Version == g.Meta.Version {
			t.Errorf("group version unchanged by losing a member")
		}
		bs, err := e.db.BookingsOf(context.Background(), e.ws, ada.ID)
		if err != nil || len(bs) != 1 || bs[0].MemberName != ada.UserName {
			t.Errorf("bookings after delete: %+v %v, want one, under the member's name", bs, err)
		}
		// The userName is free again.
		e.create(t, newUser("ada@x.example"))
		if _, err := e.groups.PatchMembers(e.ctx, g.ID, scim.MemberChange{Add: []scim.Member{{Value: ada.ID}}}, ""); !errors.Is(err, scim.ErrInvalidReference) {
			t.Errorf("adding a deleted member: %v", err)
		}
	})
}

func TestENTRA_USER_6_DeactivateKeepsMemberships(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ada := e.create(t, newUser("ada@x.example"))
		e.createGroup(t, "Finance", ada.ID)
		ada.Active = false
		if _, err := e.users.ReplaceUser(e.ctx, ada, ""); err != nil {
			t.Fatal(err)
		}
		got, err := e.users.GetUser(e.ctx, ada.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Active || len(got.Groups) != 1 || got.Groups[0].Display != "Finance" {
			t.Errorf("deactivated user: active %v groups %+v", got.Active, got.Groups)
		}
		if _, err := e.db.SignIn(context.Background(), e.ws, "ADA@x.example"); !errors.Is(err, store.ErrInactive) {
			t.Errorf("sign-in of a deactivated member: %v", err)
		}
		got.Active = true
		if _, err := e.users.ReplaceUser(e.ctx, got, ""); err != nil {
			t.Fatal(err)
		}
		if _, err := e.db.SignIn(context.Background(), e.ws, "ada@x.example"); err != nil {
			t.Errorf("sign-in of a reactivated member: %v", err)
		}
	})
}

func TestRFC_FILTER_2_UserFilters(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ada := e.create(t, entraUser())
		grace := newUser("grace@contoso.example")
		grace.ExternalID = "GRACE"
		grace.Active = false
		grace.Emails = []scim.MultiValue{{Value: "grace@contoso.example", Type: "work"}}
		grace.Enterprise = &scim.EnterpriseUser{Manager: &scim.Manager{Value: ada.ID}}
		grace = e.create(t, grace)
		for _, c := range []struct {
			filter string
			want   []string
		}{
			{`userName eq "ADA.L@CONTOSO.EXAMPLE"`, []string{ada.ID}},
			{`USERNAME Eq "ada.l@contoso.example"`, []string{ada.ID}},
			{`externalId eq "ada.l"`, []string{ada.ID}},
			{`externalId eq "grace"`, nil}, // externalId is caseExact
			{`emails[type eq "work"].value eq "GRACE@contoso.example"`, []string{grace.ID}},
			{`emails[type eq "home" and value eq "grace@contoso.example"]`, nil},
			{`emails co "home"`, []string{ada.ID}},
			{`emails.value sw "grace"`, []string{grace.ID}},
			{`active eq "False"`, []string{grace.ID}},
			{`active eq true and name.givenName pr`, []string{ada.ID}},
			{`not (active eq true)`, []string{grace.ID}},
			{`title pr or userName ew "contoso.example"`, []string{ada.ID, grace.ID}},
			{`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "r&d"`, []string{ada.ID}},
			{`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "` + ada.ID + `"`, []string{grace.ID}},
			{`meta.created ge "2000-01-01T00:00:00Z"`, []string{ada.ID, grace.ID}},
			{`id eq "` + grace.ID + `"`, []string{grace.ID}},
			{`userName eq "100%_\\"`, nil},
			// attributes kept as JSON in scim_attributes
			{`nickName eq "ADA"`, []string{ada.ID}},
			{`phoneNumbers[type eq "mobile" and value sw "+44"]`, []string{ada.ID}},
			{`addresses.locality eq "leeds"`, []string{ada.ID}},
			{`roles[primary eq "True"]`, []string{ada.ID}},
			{`preferredLanguage pr`, []string{ada.ID}},
			{`not (phoneNumbers pr)`, []string{grace.ID}},
		} {
			f, err := filter.Parse(c.filter)
			if err != nil {
				t.Fatalf("parse %s: %v", c.filter, err)
			}
			page, err := e.users.ListUsers(e.ctx, scim.Query{Filter: f, StartIndex: 1, Count: 10})
			if err != nil {
				t.Errorf("%s: %v", c.filter, err)
				continue
			}
			var ids []string
			for _, u := range page.Resources {
				ids = append(ids, u.ID)
			}
			sort.Strings(ids)
			want := append([]string(nil), c.want...)
			sort.Strings(want)
			if !reflect.DeepEqual(ids, want) || page.Total != len(want) {
				t.Errorf("%s: got %v (total %d), want %v", c.filter, ids, page.Total, want)
			}
		}
	})
}

func TestRFC_FILTER_4_UnsupportedFilterFailsLoudly(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		e.create(t, newUser("ada@x.example"))
		for _, s := range []string{`nickname2 eq "Ada"`, `active gt true`, `emails.nope eq "x"`,
			`urn:ietf:params:scim:schemas:extension:acme:2.0:User:badge eq "7"`} {
			f, err := filter.Parse(s)
			if err != nil {
				t.Fatal(err)
			}
			_, err = e.users.ListUsers(e.ctx, scim.Query{Filter: f, StartIndex: 1, Count: 10})
			var st interface{ ScimType() string }
			if !errors.As(err, &st) || st.ScimType() != "invalidFilter" {
				t.Errorf("%s: %v, want an invalidFilter error", s, err)
			}
		}
	})
}

func TestRFC_PAGE_1_Paging(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		var ids []string
		for i := range 7 {
			ids = append(ids, e.create(t, newUser(fmt.Sprintf("u%d@x.example", i))).ID)
		}
		var got []string
		for start := 1; start <= 7; start += 3 {
			page, err := e.users.ListUsers(e.ctx, scim.Query{StartIndex: start, Count: 3,
				Projection: scim.Projection{ExcludedAttributes: []string{"groups"}}})
			if err != nil {
				t.Fatal(err)
			}
			if page.Total != 7 {
				t.Errorf("total %d", page.Total)
			}
			for _, u := range page.Resources {
				got = append(got, u.ID)
			}
		}
		if !reflect.DeepEqual(got, ids) {
			t.Errorf("pages in order %v, want creation order %v", got, ids)
		}
		for _, q := range []scim.Query{{StartIndex: 1, Count: 0}, {StartIndex: 50, Count: 10}} {
			page, err := e.users.ListUsers(e.ctx, q)
			if err != nil || page.Total != 7 || len(page.Resources) != 0 {
				t.Errorf("%+v: %+v %v", q, page, err)
			}
		}
		page, err := e.users.ListUsers(e.ctx, scim.Query{StartIndex: 1, Count: 2, SortBy: "userName", Descending: true})
		if err != nil || page.Resources[0].UserName != "u6@x.example" {
			t.Errorf("sort by userName descending: %v", err)
		}
	})
}

func TestAUTH_5_TenantIsolation(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		ada := e.create(t, newUser("ada@x.example"))
		g := e.createGroup(t, "Finance", ada.ID)
		other := newEnv(t, e.db)
		if _, err := other.users.GetUser(other.ctx, ada.ID); !errors.Is(err, scim.ErrNotFound) {
			t.Errorf("foreign user: %v", err)
		}
		if _, err := other.groups.GetGroup(other.ctx, g.ID, scim.Projection{}); !errors.Is(err, scim.ErrNotFound) {
			t.Errorf("foreign group: %v", err)
		}
		if err := other.users.DeleteUser(other.ctx, ada.ID, ""); !errors.Is(err, scim.ErrNotFound) {
			t.Errorf("foreign delete: %v", err)
		}
		og := other.createGroup(t, "Finance")
		if _, err := other.groups.PatchMembers(other.ctx, og.ID, scim.MemberChange{Add: []scim.Member{{Value: ada.ID}}}, ""); !errors.Is(err, scim.ErrInvalidReference) {
			t.Errorf("foreign member: %v", err)
		}
		page, err := other.users.ListUsers(other.ctx, scim.Query{StartIndex: 1, Count: 10})
		if err != nil || page.Total != 0 {
			t.Errorf("foreign list: %+v %v", page, err)
		}
	})
}

func TestENTRA_GROUP_4_MemberPatches(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		var ids []string
		for i := range 4 {
			ids = append(ids, e.create(t, newUser(fmt.Sprintf("u%d@x.example", i))).ID)
		}
		g := e.createGroup(t, "Finance Ops", ids[0])
		add := func(ids ...string) []scim.Member {
			var ms []scim.Member
			for _, id := range ids {
				ms = append(ms, scim.Member{Value: id})
			}
			return ms
		}
		v, err := e.groups.PatchMembers(e.ctx, g.ID, scim.MemberChange{Add: add(ids[0], ids[1], ids[1], ids[2])}, g.Meta.Version)
		if err != nil {
			t.Fatal(err)
		}
		if v == g.Meta.Version {
			t.Error("version unchanged by adding members")
		}
		// Adding present members and removing absent ones changes nothing, not even the version.
		v2, err := e.groups.PatchMembers(e.ctx, g.ID, scim.MemberChange{Add: add(ids[0]), Remove: []string{ids[3]}}, "")
		if err != nil || v2 != v {
			t.Errorf("no-op patch: version %s -> %s, %v", v, v2, err)
		}
		if _, err := e.groups.PatchMembers(e.ctx, g.ID, scim.MemberChange{Add: add(ids[3])}, g.Meta.Version); !errors.Is(err, scim.ErrPreconditionFailed) {
			t.Errorf("stale If-Match: %v", err)
		}
		if _, err := e.groups.PatchMembers(e.ctx, g.ID, scim.MemberChange{Add: add(ids[3], "nobody")}, ""); !errors.Is(err, scim.ErrInvalidReference) {
			t.Errorf("unknown member: %v", err)
		}
		name := "FinOps"
		if _, err := e.groups.PatchMembers(e.ctx, g.ID, scim.MemberChange{DisplayName: &name, Remove: []string{ids[1]}, Add: add(ids[1])}, ""); err != nil {
			t.Fatal(err)
		}
		got, err := e.groups.GetGroup(e.ctx, g.ID, scim.Projection{})
		if err != nil {
			t.Fatal(err)
		}
		var members []string
		for _, m := range got.Members {
			members = append(members, m.Value)
		}
		sort.Strings(members)
		want := append([]string(nil), ids[:3]...)
		sort.Strings(want)
		if got.DisplayName != "FinOps" || !reflect.DeepEqual(members, want) {
			t.Errorf("group %q members %v, want FinOps %v", got.DisplayName, members, want)
		}
		lean, err := e.groups.GetGroup(e.ctx, g.ID, scim.Projection{ExcludedAttributes: []string{"members"}})
		if err != nil || lean.Members != nil {
			t.Errorf("excludedAttributes=members loaded %v (%v)", lean.Members, err)
		}
		e.createGroup(t, "Design")
		if _, err := e.groups.PatchMembers(e.ctx, g.ID, scim.MemberChange{DisplayName: ptr("DESIGN")}, ""); !errors.Is(err, scim.ErrUniqueness) {
			t.Errorf("rename onto a taken displayName: %v", err)
		}
		f, _ := filter.Parse(`members eq "` + ids[2] + `" and displayName eq "finops"`)
		page, err := e.groups.ListGroups(e.ctx, scim.Query{Filter: f, StartIndex: 1, Count: 10,
			Projection: scim.Projection{ExcludedAttributes: []string{"members"}}})
		if err != nil || page.Total != 1 || page.Resources[0].Members != nil {
			t.Errorf("members filter: %+v %v", page, err)
		}
	})
}

func TestENTRA_GROUP_2_DisplayNameUnique(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		e.createGroup(t, "Finance Ops")
		now := time.Now()
		_, err := e.groups.CreateGroup(e.ctx, &scim.Group{ID: uuid.NewString(), DisplayName: "finance ops",
			Meta: scim.Meta{Created: now, LastModified: now}})
		if !errors.Is(err, scim.ErrUniqueness) {
			t.Errorf("duplicate displayName: %v", err)
		}
		_, err = e.groups.CreateGroup(e.ctx, &scim.Group{ID: uuid.NewString(), DisplayName: "Other",
			Members: []scim.Member{{Value: "nobody"}}, Meta: scim.Meta{Created: now, LastModified: now}})
		if !errors.Is(err, scim.ErrInvalidReference) {
			t.Errorf("unknown member on create: %v", err)
		}
		page, _ := e.groups.ListGroups(e.ctx, scim.Query{StartIndex: 1, Count: 10})
		if page.Total != 1 {
			t.Errorf("a failed create left a group behind: %d groups", page.Total)
		}
	})
}

func TestENTRA_GROUP_10_ConcurrentMemberAdds(t *testing.T) {
	eachDB(t, func(t *testing.T, e *env) {
		const n = 40
		var ids []string
		for i := range n {
			ids = append(ids, e.create(t, newUser(fmt.Sprintf("u%d@x.example", i))).ID)
		}
		g := e.createGroup(t, "Everyone")
		var wg sync.WaitGroup
		errs := make(chan error, n)
		for _, id := range ids {
			wg.Go(func() {
				if _, err := e.groups.PatchMembers(e.ctx, g.ID, scim.MemberChange{Add: []scim.Member{{Value: id}}}, ""); err != nil {
					errs <- err
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
		got, err := e.groups.GetGroup(e.ctx, g.ID, scim.Projection{})
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Members) != n {
			t.Errorf("%d members, want %d", len(got.Members), n)
		}
		// Concurrent additions may share a transaction, hence a version: at least one
		// new version, at most one per addition.
		if v, err := strconv.Atoi(got.Meta.Version); err != nil || v < 2 || v > n+1 {
			t.Errorf("version %s after %d additions, want 2 to %d", got.Meta.Version, n, n+1)
		}
	})
}

func ptr[T any](v T) *T { return &v }
