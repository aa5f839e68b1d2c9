package scimtest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"
	"github.com/scimkit/scimkit/filter"
	"github.com/scimkit/scimkit/schema"
	"github.com/scimkit/scimkit/scim"
)

// The rules name RFC 7643 and RFC 7644 sections where one applies. The comments give
// the ids of scimkit's compatibility requirements that each check guards.
var userCases = []userCase{
	// ENTRA-USER-1, ENTRA-USER-9
	{"RoundTripEntraUser", "every attribute of a Microsoft Entra ID user, its enterprise extension and custom extension values are stored and returned exactly as sent (RFC 7644 section 3.3)", checkRoundTrip},
	// OKTA-USER-5, ENTRA-USER-9
	{"ReplaceRoundTrip", "ReplaceUser replaces every attribute, clears the absent ones and keeps meta.created (RFC 7644 section 3.5.1)", checkReplace},
	// RFC-DEL-1, ENTRA-USER-8
	{"DeleteThenNotFound", "a deleted user is gone for Get, Replace, Delete and List, and its userName is free again (RFC 7644 section 3.6)", checkDelete},
	// ENTRA-USER-5, OKTA-SPEC-4, OKTA-SPEC-12
	{"UnknownIDNotFound", "an unknown id, whatever its form, gives ErrNotFound, which the Handler answers with 404 (RFC 7644 section 3.12)", checkUnknownID},
	// RFC-UNIQ-1, ENTRA-USER-10, OKTA-SPEC-8
	{"UserNameUniqueOnCreate", "a userName equal, ignoring case, to an existing one gives ErrUniqueness and creates nothing (RFC 7643 section 4.1.1)", checkUniqueCreate},
	// RFC-UNIQ-1, ENTRA-PATCH-5
	{"UserNameUniqueOnReplace", "replacing with another user's userName in any case gives ErrUniqueness and changes nothing; a user may change the case of its own userName (RFC 7643 section 4.1.1)", checkUniqueReplace},
	// RFC-UNIQ-1
	{"UserNameUniqueRace", "userName uniqueness holds under concurrent creates: exactly one succeeds, the others get ErrUniqueness (RFC 7643 section 4.1.1)", checkUniqueRace},
	// RFC-ETAG-1
	{"Preconditions", "a stale ifMatch gives ErrPreconditionFailed and changes nothing; the current one succeeds; every write changes the version (RFC 7644 section 3.14)", checkPreconditions},
	// RFC-PAGE-1, RFC-PAGE-2, OKTA-USER-4
	{"PagingDefaultOrder", "without sortBy, users come ordered by meta.created then id, pages never repeat or skip a user, Total counts every match, and Count 0 gives only Total (RFC 7644 section 3.4.2.4)", checkPaging},
	// RFC-FILTER-1, RFC-FILTER-2, RFC-FILTER-3, ENTRA-USER-3, ENTRA-USER-4, OKTA-USER-2
	{"Filters", "ListUsers returns exactly the users that package filter's evaluator selects, in default order (RFC 7644 section 3.4.2.2)", checkFilters},
	// RFC-SORT-1
	{"SortBy", "sortBy orders by the attribute, ignoring case unless it is caseExact, missing values last; descending reverses the order; a store that implements scim.Sorter does so for every path for which SortsBy reports true (RFC 7644 section 3.4.2.3)", checkSort},
	{"OwnershipOfResults", "the caller owns every value a store returns: changing it changes nothing stored (scim.UserStore contract)", checkOwnershipOut},
	{"OwnershipOfInput", "the store must not keep the *User passed to it: changing it after the call changes nothing stored (scim.UserStore contract)", checkOwnershipIn},
	// AUTH-5
	{"TenantIsolation", "each tenant (scim.TenantFrom) is separate: the same userName in two tenants is fine, and another tenant's users are not found", checkTenants},
	{"UpdateUserConcurrent", "concurrent UpdateUser calls without ifMatch on one user all succeed, each calls fn once, and none of their changes is lost (scim.UserUpdater contract)", updateCheck(userUpdates, checkUpdateConcurrent[scim.User])},
	{"UpdateUserFnError", "when fn returns an error, UpdateUser returns it as is and writes nothing (scim.UserUpdater contract)", updateCheck(userUpdates, checkUpdateFnError[scim.User])},
	// RFC-ETAG-1
	{"UpdateUserPrecondition", "UpdateUser with a stale ifMatch gives ErrPreconditionFailed without calling fn; with the current one it writes and changes the version (RFC 7644 section 3.14, scim.UserUpdater contract)", updateCheck(userUpdates, checkUpdateIfMatch[scim.User])},
	{"UpdateUserNoChange", "when fn returns nil, UpdateUser writes nothing and returns the user as stored; an unknown id gives ErrNotFound without calling fn (scim.UserUpdater contract)", updateCheck(userUpdates, checkUpdateNil[scim.User])},
}

func checkRoundTrip(ctx context.Context, e *env) error {
	ctx = tenantA(ctx)
	var c clock
	mgr, err := e.create(ctx, &c, plainUser("manager@contoso.example"))
	if err != nil {
		return err
	}
	in := entraUser(1, mgr.ID)
	if err := roundTrip(ctx, e, &c, in); err != nil {
		return err
	}
	// An inactive user with only a userName: active false and absent attributes stay so.
	return roundTrip(ctx, e, &c, &scim.User{UserName: "inactive@contoso.example", Active: false})
}

func roundTrip(ctx context.Context, e *env, c *clock, in *scim.User) error {
	want := in.Clone()
	got, err := e.create(ctx, c, in)
	if err != nil {
		return err
	}
	want.ID = got.ID
	var errs []error
	errs = append(errs, diffUser("CreateUser result", want, got))
	if !got.Meta.Created.Equal(in.Meta.Created) {
		errs = append(errs, fmt.Errorf("CreateUser result: meta.created = %v, want the %v that was passed", got.Meta.Created, in.Meta.Created))
	}
	read, err := e.users.GetUser(ctx, got.ID)
	if err != nil {
		return errors.Join(append(errs, fmt.Errorf("GetUser after create: %w", err))...)
	}
	errs = append(errs, diffUser("GetUser after create", want, read))
	if read.ID != got.ID {
		errs = append(errs, fmt.Errorf("GetUser(%q) returned id %q", got.ID, read.ID))
	}
	if !read.Meta.Created.Equal(got.Meta.Created) || read.Meta.Version != got.Meta.Version {
		errs = append(errs, fmt.Errorf("GetUser after create: meta (created %v, version %q) differs from CreateUser's (created %v, version %q)",
			read.Meta.Created, read.Meta.Version, got.Meta.Created, got.Meta.Version))
	}
	return errors.Join(errs...)
}

func checkReplace(ctx context.Context, e *env) error {
	ctx = tenantA(ctx)
	var c clock
	mgr, err := e.create(ctx, &c, plainUser("manager@contoso.example"))
	if err != nil {
		return err
	}
	orig, err := e.create(ctx, &c, entraUser(1, mgr.ID))
	if err != nil {
		return err
	}
	rep := entraUser(1, "")
	rep.ID = orig.ID
	rep.Meta = orig.Meta
	rep.Meta.LastModified = orig.Meta.Created.Add(time.Hour)
	rep.Active = false
	rep.Title = "Lead Engineer"
	rep.Name.MiddleName = ""
	rep.Emails = rep.Emails[:1]
	rep.Emails[0].Value = "ada.l@contoso.example"
	rep.PhoneNumbers = nil
	rep.Addresses[0].Locality = "York"
	rep.Enterprise = &scim.EnterpriseUser{Department: "Research & Development"}
	rep.Extensions = nil
	want := rep.Clone()
	got, err := e.users.ReplaceUser(ctx, rep, "")
	if err != nil {
		return fmt.Errorf("ReplaceUser: %w", err)
	}
	var errs []error
	errs = append(errs, diffUser("ReplaceUser result", want, got))
	read, err := e.users.GetUser(ctx, orig.ID)
	if err != nil {
		return errors.Join(append(errs, fmt.Errorf("GetUser after replace: %w", err))...)
	}
	errs = append(errs, diffUser("GetUser after replace", want, read))
	if !read.Meta.Created.Equal(orig.Meta.Created) {
		errs = append(errs, fmt.Errorf("meta.created changed from %v to %v by ReplaceUser", orig.Meta.Created, read.Meta.Created))
	}
	if read.Meta.LastModified.Before(orig.Meta.LastModified) {
		errs = append(errs, fmt.Errorf("meta.lastModified went back from %v to %v", orig.Meta.LastModified, read.Meta.LastModified))
	}
	return errors.Join(errs...)
}

func checkDelete(ctx context.Context, e *env) error {
	ctx = tenantA(ctx)
	var c clock
	keep, err := e.create(ctx, &c, plainUser("keep@contoso.example"))
	if err != nil {
		return err
	}
	u, err := e.create(ctx, &c, entraUser(1, keep.ID))
	if err != nil {
		return err
	}
	if err := e.users.DeleteUser(ctx, u.ID, ""); err != nil {
		return fmt.Errorf("DeleteUser: %w", err)
	}
	var errs []error
	_, err = e.users.GetUser(ctx, u.ID)
	errs = append(errs, wantErr("GetUser after DeleteUser", err, scim.ErrNotFound))
	errs = append(errs, wantErr("second DeleteUser", e.users.DeleteUser(ctx, u.ID, ""), scim.ErrNotFound))
	rep := entraUser(1, "")
	rep.ID = u.ID
	rep.Meta.LastModified = c.next()
	_, err = e.users.ReplaceUser(ctx, rep, "")
	errs = append(errs, wantErr("ReplaceUser after DeleteUser", err, scim.ErrNotFound))
	ids, total, err := listUserIDs(ctx, e.users, scim.Query{})
	switch {
	case err != nil:
		errs = append(errs, fmt.Errorf("ListUsers: %w", err))
	case total != 1 || !slices.Equal(ids, []string{keep.ID}):
		errs = append(errs, fmt.Errorf("ListUsers after DeleteUser: total %d, ids %q; want only %q", total, ids, keep.ID))
	}
	if _, err := e.users.GetUser(ctx, keep.ID); err != nil {
		errs = append(errs, fmt.Errorf("GetUser of the other user after DeleteUser: %w", err))
	}
	again := entraUser(1, keep.ID)
	if _, err := e.create(ctx, &c, again); err != nil {
		errs = append(errs, fmt.Errorf("creating a user with the deleted user's userName: %w", err))
	}
	return errors.Join(errs...)
}

func checkUnknownID(ctx context.Context, e *env) error {
	ctx = tenantA(ctx)
	var c clock
	u, err := e.create(ctx, &c, plainUser("someone@contoso.example"))
	if err != nil {
		return err
	}
	var errs []error
	for _, id := range []string{uuid.NewString(), "00919288221112222", u.ID + "x", "%20", ""} {
		if id == u.ID {
			continue
		}
		_, err := e.users.GetUser(ctx, id)
		errs = append(errs, wantErr(fmt.Sprintf("GetUser(%q)", id), err, scim.ErrNotFound))
		rep := plainUser("other@contoso.example")
		rep.ID = id
		rep.Meta.Created, rep.Meta.LastModified = c.next(), c.next()
		_, err = e.users.ReplaceUser(ctx, rep, "")
		errs = append(errs, wantErr(fmt.Sprintf("ReplaceUser(%q)", id), err, scim.ErrNotFound))
		errs = append(errs, wantErr(fmt.Sprintf("DeleteUser(%q)", id), e.users.DeleteUser(ctx, id, ""), scim.ErrNotFound))
	}
	if _, err := e.users.GetUser(ctx, u.ID); err != nil {
		errs = append(errs, fmt.Errorf("GetUser of the existing user: %w", err))
	}
	return errors.Join(errs...)
}

func checkUniqueCreate(ctx context.Context, e *env) error {
	ctx = tenantA(ctx)
	var c clock
	first, err := e.create(ctx, &c, plainUser("Ada.Lovelace@Contoso.example"))
	if err != nil {
		return err
	}
	var errs []error
	for _, name := range []string{"Ada.Lovelace@Contoso.example", "ada.lovelace@contoso.example", "ADA.LOVELACE@CONTOSO.EXAMPLE"} {
		_, err := e.create(ctx, &c, plainUser(name))
		errs = append(errs, wantErr(fmt.Sprintf("CreateUser(%q) after %q", name, first.UserName), err, scim.ErrUniqueness))
	}
	ids, total, err := listUserIDs(ctx, e.users, scim.Query{})
	if err != nil {
		return errors.Join(append(errs, fmt.Errorf("ListUsers: %w", err))...)
	}
	if total != 1 || len(ids) != 1 {
		errs = append(errs, fmt.Errorf("after the refused creates ListUsers has %d users (total %d), want 1", len(ids), total))
	}
	return errors.Join(errs...)
}

func checkUniqueReplace(ctx context.Context, e *env) error {
	ctx = tenantA(ctx)
	var c clock
	a, err := e.create(ctx, &c, plainUser("alice@contoso.example"))
	if err != nil {
		return err
	}
	b, err := e.create(ctx, &c, plainUser("bob@contoso.example"))
	if err != nil {
		return err
	}
	var errs []error
	rep := b.Clone()
	rep.Groups = nil
	rep.UserName = "ALICE@contoso.example"
	rep.Meta.LastModified = c.next()
	_, err = e.users.ReplaceUser(ctx, rep, "")
	errs = append(errs, wantErr("ReplaceUser of bob with userName ALICE@contoso.example", err, scim.ErrUniqueness))
	if got, err := e.users.GetUser(ctx, b.ID); err != nil {
		errs = append(errs, fmt.Errorf("GetUser(bob): %w", err))
	} else {
		errs = append(errs, diffUser("bob after the refused replace", b, got))
	}
	self := a.Clone()
	self.Groups = nil
	self.UserName = "Alice@Contoso.example"
	self.Meta.LastModified = c.next()
	if _, err := e.users.ReplaceUser(ctx, self, ""); err != nil {
		errs = append(errs, fmt.Errorf("ReplaceUser changing the case of the user's own userName: %w", err))
	} else if got, err := e.users.GetUser(ctx, a.ID); err != nil {
		errs = append(errs, fmt.Errorf("GetUser(alice): %w", err))
	} else if got.UserName != self.UserName {
		errs = append(errs, fmt.Errorf("userName after replace is %q, want %q exactly", got.UserName, self.UserName))
	}
	return errors.Join(errs...)
}

func checkUniqueRace(ctx context.Context, e *env) error {
	ctx = tenantA(ctx)
	var c clock
	const n = 24
	names := make([]string, n)
	for i := range names {
		// Vary the case so that a store that only compares exact strings fails too.
		b := []byte("race.user@contoso.example")
		for j := range b {
			if (i>>(j%5))&1 == 1 && b[j] >= 'a' && b[j] <= 'z' {
				b[j] -= 'a' - 'A'
			}
		}
		names[i] = string(b)
	}
	errs := make([]error, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		u := plainUser(names[i])
		u.ID = uuid.NewString()
		u.Meta.Created = c.next()
		u.Meta.LastModified = u.Meta.Created
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			_, errs[i] = e.users.CreateUser(ctx, u)
		}()
	}
	close(start)
	wg.Wait()
	ok := 0
	var problems []error
	for i, err := range errs {
		switch {
		case err == nil:
			ok++
		case !errors.Is(err, scim.ErrUniqueness):
			problems = append(problems, fmt.Errorf("concurrent CreateUser(%q): %v, want nil or an error wrapping ErrUniqueness", names[i], err))
		}
	}
	if ok != 1 {
		problems = append(problems, fmt.Errorf("%d of %d concurrent creates of the same userName (in different cases) succeeded, want exactly 1", ok, n))
	}
	_, total, err := listUserIDs(ctx, e.users, scim.Query{})
	if err != nil {
		problems = append(problems, fmt.Errorf("ListUsers: %w", err))
	} else if total != 1 {
		problems = append(problems, fmt.Errorf("after the concurrent creates the tenant has %d users, want 1", total))
	}
	return errors.Join(problems...)
}

func checkPreconditions(ctx context.Context, e *env) error {
	ctx = tenantA(ctx)
	var c clock
	u, err := e.create(ctx, &c, plainUser("etag@contoso.example"))
	if err != nil {
		return err
	}
	v1 := u.Meta.Version
	if v1 == "" {
		return skipf("the store returns empty versions (no ETag support)")
	}
	var errs []error
	stale := v1 + "-stale"
	rep := u.Clone()
	rep.Groups = nil
	rep.Title = "Changed"
	rep.Meta.LastModified = c.next()
	_, err = e.users.ReplaceUser(ctx, rep, stale)
	errs = append(errs, wantErr("ReplaceUser with a stale ifMatch", err, scim.ErrPreconditionFailed))
	if got, err := e.users.GetUser(ctx, u.ID); err != nil {
		errs = append(errs, fmt.Errorf("GetUser: %w", err))
	} else {
		errs = append(errs, diffUser("after the refused replace", u, got))
		if got.Meta.Version != v1 {
			errs = append(errs, fmt.Errorf("version changed from %q to %q by a refused replace", v1, got.Meta.Version))
		}
	}
	got, err := e.users.ReplaceUser(ctx, rep, v1)
	if err != nil {
		return errors.Join(append(errs, fmt.Errorf("ReplaceUser with the current version %q: %w", v1, err))...)
	}
	v2 := got.Meta.Version
	if v2 == v1 || v2 == "" {
		errs = append(errs, fmt.Errorf("version after a replace is %q, want a new one (was %q)", v2, v1))
	}
	if read, err := e.users.GetUser(ctx, u.ID); err != nil {
		errs = append(errs, fmt.Errorf("GetUser: %w", err))
	} else if read.Meta.Version != v2 {
		errs = append(errs, fmt.Errorf("GetUser version %q differs from ReplaceUser's %q", read.Meta.Version, v2))
	}
	rep.Title = "Unconditional"
	rep.Meta.LastModified = c.next()
	got, err = e.users.ReplaceUser(ctx, rep, "")
	if err != nil {
		return errors.Join(append(errs, fmt.Errorf("ReplaceUser with an empty ifMatch: %w", err))...)
	}
	v3 := got.Meta.Version
	if v3 == v2 {
		errs = append(errs, fmt.Errorf("version %q did not change on an unconditional replace", v3))
	}
	errs = append(errs, wantErr("DeleteUser with a stale ifMatch", e.users.DeleteUser(ctx, u.ID, v1), scim.ErrPreconditionFailed))
	if _, err := e.users.GetUser(ctx, u.ID); err != nil {
		errs = append(errs, fmt.Errorf("GetUser after a refused delete: %w", err))
	}
	if err := e.users.DeleteUser(ctx, u.ID, v3); err != nil {
		errs = append(errs, fmt.Errorf("DeleteUser with the current version: %w", err))
	}
	return errors.Join(errs...)
}

func checkPaging(ctx context.Context, e *env) error {
	ctx = tenantA(ctx)
	const n = 23
	type key struct {
		created time.Time
		id      string
	}
	var keys []key
	for i := range n {
		u := plainUser(fmt.Sprintf("page.user%02d@contoso.example", i))
		u.ID = uuid.NewString()
		// Three users share each creation time, so that the id decides among them.
		u.Meta.Created = baseTime.Add(time.Duration(i/3) * time.Second)
		u.Meta.LastModified = u.Meta.Created
		got, err := e.users.CreateUser(ctx, u)
		if err != nil {
			return fmt.Errorf("CreateUser: %w", err)
		}
		keys = append(keys, key{got.Meta.Created, got.ID})
	}
	slices.SortFunc(keys, func(a, b key) int {
		if c := a.created.Compare(b.created); c != 0 {
			return c
		}
		return strings.Compare(a.id, b.id)
	})
	want := make([]string, n)
	for i, k := range keys {
		want[i] = k.id
	}
	var errs []error
	for _, count := range []int{1, 2, 5, 7, 10, 23, 100} {
		var got []string
		for start := 1; start <= n; start += count {
			p, err := e.users.ListUsers(ctx, scim.Query{StartIndex: start, Count: count})
			if err != nil {
				return fmt.Errorf("ListUsers(startIndex %d, count %d): %w", start, count, err)
			}
			if p.Total != n {
				errs = append(errs, fmt.Errorf("ListUsers(startIndex %d, count %d): Total %d, want %d", start, count, p.Total, n))
			}
			if wantLen := min(count, n-start+1); len(p.Resources) != wantLen {
				errs = append(errs, fmt.Errorf("ListUsers(startIndex %d, count %d): %d users, want %d", start, count, len(p.Resources), wantLen))
			}
			for _, u := range p.Resources {
				got = append(got, u.ID)
			}
		}
		if !slices.Equal(got, want) {
			errs = append(errs, fmt.Errorf("pages of %d: ids in order\n    %q\n  want (meta.created, then id)\n    %q", count, got, want))
		}
	}
	p, err := e.users.ListUsers(ctx, scim.Query{StartIndex: 1, Count: 0})
	if err != nil {
		return errors.Join(append(errs, fmt.Errorf("ListUsers(count 0): %w", err))...)
	}
	if p.Total != n || len(p.Resources) != 0 {
		errs = append(errs, fmt.Errorf("ListUsers(count 0): Total %d and %d users, want Total %d and none", p.Total, len(p.Resources), n))
	}
	p, err = e.users.ListUsers(ctx, scim.Query{StartIndex: n + 1, Count: 10})
	if err != nil {
		return errors.Join(append(errs, fmt.Errorf("ListUsers(startIndex past the end): %w", err))...)
	}
	if p.Total != n || len(p.Resources) != 0 {
		errs = append(errs, fmt.Errorf("ListUsers(startIndex %d): Total %d and %d users, want Total %d and none", n+1, p.Total, len(p.Resources), n))
	}
	return errors.Join(errs...)
}

// filterUsers builds the users of the filter and sort checks, stores them, and
// returns them as stored (ids and meta set) in creation order.
func filterUsers(ctx context.Context, e *env) ([]*scim.User, error) {
	var c clock
	mgr, err := e.create(ctx, &c, &scim.User{UserName: "Boss@Contoso.example", Active: true, Title: "Director",
		DisplayName: "The Boss", Emails: []scim.MultiValue{{Value: "boss@contoso.example", Type: "work"}}})
	if err != nil {
		return nil, err
	}
	users := []*scim.User{mgr}
	add := func(u *scim.User) error {
		in := u.Clone()
		got, err := e.create(ctx, &c, u)
		if err != nil {
			return err
		}
		in.ID, in.Meta = got.ID, got.Meta
		users = append(users, in)
		return nil
	}
	for i := range 4 {
		u := entraUser(i, mgr.ID)
		u.Active = i%2 == 0
		if i == 3 {
			u.Title = ""
			u.Name.FamilyName = ""
			u.Enterprise.Manager = nil
			u.Emails[0].Type = "home"
		}
		if err := add(u); err != nil {
			return nil, err
		}
	}
	for _, u := range []*scim.User{
		{UserName: "alice@fabrikam.example", ExternalID: "ALICE", Active: true, Title: "engineer",
			Name: &scim.Name{FamilyName: "Zeta"}, Emails: []scim.MultiValue{{Value: "Alice@Fabrikam.example", Type: "work", Primary: true}}},
		{UserName: "Bob@fabrikam.example", ExternalID: "alice", Active: false, Title: "Engineer",
			Name: &scim.Name{FamilyName: "alpha"}},
		{UserName: "carol@fabrikam.example", Active: true, DisplayName: "Carol", Name: &scim.Name{FamilyName: "Mu"},
			Emails:     []scim.MultiValue{{Value: "c@home.example", Type: "home"}, {Value: "carol@fabrikam.example", Type: "work"}},
			Enterprise: &scim.EnterpriseUser{Department: "Sales", Manager: &scim.Manager{Value: mgr.ID}}},
		{UserName: "Dave@Fabrikam.example", Active: false, ExternalID: "d-1", Title: "Director",
			Addresses: []scim.Address{{Type: "work", Country: "DE", Locality: "Berlin"}}},
	} {
		if err := add(u); err != nil {
			return nil, err
		}
	}
	return users, nil
}

// userNames returns the userNames of the users with the given ids, for messages.
func userNames(users []*scim.User, ids []string) []string {
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = "id " + id
		for _, u := range users {
			if u.ID == id {
				names[i] = u.UserName
			}
		}
	}
	return names
}

func userFilter(s string) (filter.Expr, error) {
	e, err := filter.Parse(s)
	if err != nil {
		return nil, err
	}
	return filter.Validate(e, schema.UserResourceType)
}

func checkFilters(ctx context.Context, e *env) error {
	ctx = tenantA(ctx)
	users, err := filterUsers(ctx, e)
	if err != nil {
		return err
	}
	mgr := users[0]
	mid := users[len(users)/2].Meta.Created.UTC().Format(time.RFC3339)
	filters := []string{
		`userName eq "ADA.LOVELACE1@contoso.EXAMPLE"`,
		`userName eq "nobody@contoso.example"`,
		`externalId eq "alice"`,
		`externalId eq "ALICE"`,
		`externalId eq "ada.l2"`,
		`id eq "` + users[2].ID + `"`,
		`emails[type eq "work"].value eq "ada.lovelace0@contoso.example"`,
		`emails[type eq "work" and value co "fabrikam"]`,
		`emails co "HOME"`,
		`emails.type eq "home"`,
		`active eq false`,
		`active eq true and userName sw "ada"`,
		`userName co "fabrikam" or title eq "director"`,
		`not (active eq true)`,
		`not (title pr) and active eq true`,
		`title pr`,
		`name.familyName pr`,
		`displayName eq "carol"`,
		`userName gt "b" and userName lt "D"`,
		`meta.created gt "` + mid + `"`,
		`meta.lastModified le "` + mid + `"`,
		`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "` + mgr.ID + `"`,
		`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department eq "r&d"`,
		`id eq "` + users[1].ID + `" and manager eq "` + mgr.ID + `"`,
		`id eq "` + users[4].ID + `" and manager eq "` + mgr.ID + `"`,
		`addresses[country eq "de" and locality sw "ber"]`,
		`userName eq "carol@fabrikam.example" and externalId pr`,
		`(userName eq "alice@fabrikam.example" or userName eq "bob@fabrikam.example") and active eq true`,
	}
	var errs []error
	for _, fs := range filters {
		f, err := userFilter(fs)
		if err != nil {
			return fmt.Errorf("scimtest: bad filter %s: %v", fs, err)
		}
		m, err := filter.Compile(f, schema.UserResourceType)
		if err != nil {
			return fmt.Errorf("scimtest: bad filter %s: %v", fs, err)
		}
		var want []string
		for _, u := range users {
			if m.Match(u.Tree()) {
				want = append(want, u.ID)
			}
		}
		got, total, err := listUserIDs(ctx, e.users, scim.Query{Filter: f})
		if errors.Is(err, errors.ErrUnsupported) {
			e.logf("the store does not support the filter %s: %v", fs, err)
			continue
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("ListUsers(filter %s): %w", fs, err))
			continue
		}
		if !slices.Equal(got, want) || total != len(want) {
			errs = append(errs, fmt.Errorf("ListUsers(filter %s): users %q (total %d), want %q in default order",
				fs, userNames(users, got), total, userNames(users, want)))
		}
	}
	return errors.Join(errs...)
}

// sortPaths are the sortBy paths that the sort checks try.
var sortPaths = []string{"userName", "externalId", "name.familyName", "title", "meta.created", "emails", "emails.value"}

// checkSort checks the sortBy paths for which a scim.Sorter's SortsBy reports true,
// or, for a store without Sorter, every path unless ListUsers declines sortBy with
// errors.ErrUnsupported.
func checkSort(ctx context.Context, e *env) error {
	paths := sortPaths
	if e.userSorter != nil {
		paths = slices.DeleteFunc(slices.Clone(sortPaths), func(p string) bool { return !e.userSorter.SortsBy("User", p) })
		if len(paths) == 0 {
			return skipf("SortsBy reports false for every path the check tries: %q", sortPaths)
		}
	}
	ctx = tenantA(ctx)
	users, err := filterUsers(ctx, e)
	if err != nil {
		return err
	}
	var errs []error
	for _, sortBy := range paths {
		for _, desc := range []bool{false, true} {
			err := checkSortedList(ctx, e, users, sortBy, desc)
			switch {
			case err == nil:
			case e.userSorter != nil:
				errs = append(errs, fmt.Errorf("SortsBy(\"User\", %q) is true, but %w", sortBy, err))
			case errors.Is(err, errors.ErrUnsupported):
				return skipf("the store does not support sortBy: %v", err)
			default:
				errs = append(errs, err)
			}
		}
	}
	return errors.Join(errs...)
}

// checkSortedList lists users, which are the whole tenant, sorted by sortBy and
// checks the order.
func checkSortedList(ctx context.Context, e *env, users []*scim.User, sortBy string, desc bool) error {
	byID := make(map[string]*scim.User, len(users))
	for _, u := range users {
		byID[u.ID] = u
	}
	got, total, err := listUserIDs(ctx, e.users, scim.Query{SortBy: sortBy, Descending: desc})
	if err != nil {
		return fmt.Errorf("ListUsers(sortBy %s, descending %v): %w", sortBy, desc, err)
	}
	if total != len(users) || len(got) != len(users) || !sameIDs(got, slices.Collect(maps.Keys(byID))) {
		return fmt.Errorf("ListUsers(sortBy %s): %d users (total %d), want all %d", sortBy, len(got), total, len(users))
	}
	ref, _ := schema.UserResourceType.Lookup(sortBy)
	for i := 1; i < len(got); i++ {
		a, b := sortKey(byID[got[i-1]].Tree(), ref), sortKey(byID[got[i]].Tree(), ref)
		if c := compareKeys(a, b, desc); c > 0 {
			return fmt.Errorf("ListUsers(sortBy %s, descending %v): %s (%q) comes before %s (%q)",
				sortBy, desc, got[i-1], a.s, got[i], b.s)
		}
	}
	return nil
}

// A key is the sort key of a resource: missing, or a string (lower-cased unless the
// attribute is caseExact; dateTimes in a sortable form).
type key struct {
	ok bool
	s  string
}

func sortKey(tree map[string]any, ref schema.Ref) key {
	v := tree[ref.Attr.Name]
	if ref.Attr.MultiValued {
		l, _ := v.([]any)
		v = nil
		if len(l) > 0 {
			v = l[0]
		}
		for _, e := range l {
			if m, ok := e.(map[string]any); ok && m["primary"] == true {
				v = e
				break
			}
		}
	}
	sub := ""
	if ref.Sub != nil {
		sub = ref.Sub.Name
	} else if ref.Attr.Type == schema.Complex {
		sub = "value"
	}
	if sub != "" {
		m, _ := v.(map[string]any)
		v = m[sub]
	}
	s, ok := v.(string)
	if !ok {
		return key{}
	}
	switch t := ref.Target(); {
	case t.Type == schema.DateTime:
		if tm, err := time.Parse(time.RFC3339Nano, s); err == nil {
			s = tm.UTC().Format("2006-01-02T15:04:05.000000000")
		}
	case !t.CaseExact:
		s = strings.ToLower(s)
	}
	return key{true, s}
}

// compareKeys orders two keys as sortBy must: missing last, else ascending or
// descending.
func compareKeys(a, b key, desc bool) int {
	switch {
	case !a.ok && !b.ok:
		return 0
	case !a.ok:
		return 1
	case !b.ok:
		return -1
	}
	c := strings.Compare(a.s, b.s)
	if desc {
		return -c
	}
	return c
}

func checkOwnershipOut(ctx context.Context, e *env) error {
	ctx = tenantA(ctx)
	var c clock
	mgr, err := e.create(ctx, &c, plainUser("manager@contoso.example"))
	if err != nil {
		return err
	}
	created, err := e.create(ctx, &c, entraUser(1, mgr.ID))
	if err != nil {
		return err
	}
	want := created.Clone()
	var errs []error
	check := func(what string) {
		got, err := e.users.GetUser(ctx, want.ID)
		if err != nil {
			errs = append(errs, fmt.Errorf("GetUser after changing the result of %s: %w", what, err))
			return
		}
		if err := diffUser("after changing the result of "+what, want, got); err != nil {
			errs = append(errs, err)
		}
	}
	mutateUser(created)
	check("CreateUser")

	got, err := e.users.GetUser(ctx, want.ID)
	if err != nil {
		return fmt.Errorf("GetUser: %w", err)
	}
	mutateUser(got)
	check("GetUser")

	p, err := e.users.ListUsers(ctx, scim.Query{StartIndex: 1, Count: 100})
	if err != nil {
		return errors.Join(append(errs, fmt.Errorf("ListUsers: %w", err))...)
	}
	for _, u := range p.Resources {
		mutateUser(u)
	}
	check("ListUsers")

	rep := want.Clone()
	rep.Groups = nil
	rep.Meta.LastModified = c.next()
	res, err := e.users.ReplaceUser(ctx, rep, "")
	if err != nil {
		return errors.Join(append(errs, fmt.Errorf("ReplaceUser: %w", err))...)
	}
	mutateUser(res)
	check("ReplaceUser")
	return errors.Join(errs...)
}

func checkOwnershipIn(ctx context.Context, e *env) error {
	ctx = tenantA(ctx)
	var c clock
	mgr, err := e.create(ctx, &c, plainUser("manager@contoso.example"))
	if err != nil {
		return err
	}
	in := entraUser(1, mgr.ID)
	want := in.Clone()
	created, err := e.create(ctx, &c, in)
	if err != nil {
		return err
	}
	want.ID = created.ID
	mutateUser(in)
	var errs []error
	got, err := e.users.GetUser(ctx, created.ID)
	if err != nil {
		return fmt.Errorf("GetUser: %w", err)
	}
	errs = append(errs, diffUser("after changing the *User passed to CreateUser", want, got))

	rep := want.Clone()
	rep.Title = "Replaced"
	rep.Meta.LastModified = c.next()
	want = rep.Clone()
	if _, err := e.users.ReplaceUser(ctx, rep, ""); err != nil {
		return errors.Join(append(errs, fmt.Errorf("ReplaceUser: %w", err))...)
	}
	mutateUser(rep)
	if got, err = e.users.GetUser(ctx, created.ID); err != nil {
		return errors.Join(append(errs, fmt.Errorf("GetUser: %w", err))...)
	}
	errs = append(errs, diffUser("after changing the *User passed to ReplaceUser", want, got))
	return errors.Join(errs...)
}

func checkTenants(ctx context.Context, e *env) error {
	a, b, none := tenantA(ctx), tenantB(ctx), ctx
	var c clock
	ua, err := e.create(a, &c, entraUser(1, ""))
	if err != nil {
		return fmt.Errorf("tenant A: %w", err)
	}
	ub, err := e.create(b, &c, entraUser(1, ""))
	if err != nil {
		return fmt.Errorf("tenant B, same userName as in tenant A: %w", err)
	}
	var errs []error
	for _, x := range []struct {
		name string
		ctx  context.Context
	}{{"tenant B", b}, {"the context without a tenant", none}} {
		_, err := e.users.GetUser(x.ctx, ua.ID)
		errs = append(errs, wantErr("GetUser of tenant A's user from "+x.name, err, scim.ErrNotFound))
		rep := entraUser(1, "")
		rep.ID = ua.ID
		rep.Meta.LastModified = c.next()
		_, err = e.users.ReplaceUser(x.ctx, rep, "")
		errs = append(errs, wantErr("ReplaceUser of tenant A's user from "+x.name, err, scim.ErrNotFound))
		errs = append(errs, wantErr("DeleteUser of tenant A's user from "+x.name, e.users.DeleteUser(x.ctx, ua.ID, ""), scim.ErrNotFound))
		f, _ := userFilter(`userName eq "` + ua.UserName + `"`)
		ids, _, err := listUserIDs(x.ctx, e.users, scim.Query{Filter: f})
		if err != nil {
			errs = append(errs, fmt.Errorf("ListUsers from %s: %w", x.name, err))
		} else if slices.Contains(ids, ua.ID) {
			errs = append(errs, fmt.Errorf("ListUsers from %s returns tenant A's user", x.name))
		}
		ids, _, err = listUserIDs(x.ctx, e.users, scim.Query{})
		if err != nil {
			errs = append(errs, fmt.Errorf("ListUsers from %s: %w", x.name, err))
		} else if slices.Contains(ids, ua.ID) {
			errs = append(errs, fmt.Errorf("unfiltered ListUsers from %s returns tenant A's user", x.name))
		}
	}
	if got, err := e.users.GetUser(a, ua.ID); err != nil {
		errs = append(errs, fmt.Errorf("tenant A's user after tenant B's attempts: %w", err))
	} else if got.Title != ua.Title {
		errs = append(errs, fmt.Errorf("tenant A's user was changed by tenant B"))
	}
	if ids, total, err := listUserIDs(b, e.users, scim.Query{}); err != nil {
		errs = append(errs, fmt.Errorf("ListUsers in tenant B: %w", err))
	} else if total != 1 || !slices.Equal(ids, []string{ub.ID}) {
		errs = append(errs, fmt.Errorf("tenant B lists %q (total %d), want only its own %q", ids, total, ub.ID))
	}
	return errors.Join(errs...)
}
