package scimtest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/google/uuid"
	"github.com/scimkit/scimkit/filter"
	"github.com/scimkit/scimkit/schema"
	"github.com/scimkit/scimkit/scim"
)

// The comments give the ids of scimkit's compatibility requirements that each check
// guards.
var groupCases = []groupCase{
	// ENTRA-GROUP-1, OKTA-GROUP-1, OKTA-GROUP-7
	{name: "CreateGetGroup", rule: "a group is stored with its displayName, externalId and members, and an empty group has no members (RFC 7643 section 4.2)", check: checkGroupCreate},
	// ENTRA-GROUP-4
	{name: "UnknownMemberInvalidReference", rule: "a member id that names no user of the tenant gives ErrInvalidReference, answered as 400 invalidValue, and nothing is created or changed (RFC 7644 section 3.12)", check: checkGroupUnknownMember},
	// ENTRA-GROUP-2
	{name: "DisplayNameUnique", rule: "Microsoft Entra ID matches groups by displayName, so a displayName equal, ignoring case, to an existing group's gives ErrUniqueness", check: checkGroupNameUnique},
	// OKTA-GROUP-4, OKTA-GROUP-5, RFC-MUT-1
	{name: "ReplaceMembersExactly", rule: "ReplaceGroup sets the displayName and exactly the given members; an empty list empties the group (RFC 7644 section 3.5.1)", check: checkGroupReplace},
	// RFC-DEL-1, ENTRA-USER-8
	{name: "DeleteUserLeavesGroups", rule: "a deleted user is removed from every group (RFC 7644 section 3.6)", check: checkGroupUserDelete},
	// RFC-ATTR-3
	{name: "UserGroupsAttribute", rule: "a user's groups attribute lists the groups it is a direct member of (RFC 7643 section 4.1.2)", check: checkUserGroups},
	// ENTRA-GROUP-3, ENTRA-CONN-1
	{name: "ProjectionExcludesMembers", rule: "with excludedAttributes=members, or attributes without members, Get and List return Members nil, so that a large group is not loaded for nothing (RFC 7644 section 3.9)", check: checkGroupProjection},
	// ENTRA-GROUP-11, OKTA-GROUP-6
	{name: "DeleteGroupKeepsUsers", rule: "a deleted group is gone and its member users stay (RFC 7644 section 3.6)", check: checkGroupDelete},
	// ENTRA-GROUP-11
	{name: "GroupNotFound", rule: "an unknown group id gives ErrNotFound, answered with 404 (RFC 7644 section 3.12)", check: checkGroupNotFound},
	// RFC-ETAG-1
	{name: "GroupPreconditions", rule: "a stale ifMatch gives ErrPreconditionFailed and changes nothing (RFC 7644 section 3.14)", check: checkGroupPreconditions},
	// ENTRA-GROUP-2, OKTA-USER-4, RFC-PAGE-2
	{name: "GroupFilterAndPaging", rule: "displayName eq ignores case, and pages follow meta.created then id (RFC 7644 sections 3.4.2.2 and 3.4.2.4)", check: checkGroupList},
	// AUTH-5
	{name: "GroupTenantIsolation", rule: "another tenant's groups are not found, and its users cannot be members (scim.TenantFrom)", check: checkGroupTenants},
	{name: "GroupOwnership", rule: "the caller owns returned groups and the store keeps nothing passed in (scim.GroupStore contract)", check: checkGroupOwnership},
	// ENTRA-GROUP-4, ENTRA-GROUP-5, RFC-PATCH-1
	{name: "PatchMembersIdempotent", rule: "adding a present member and removing an absent one change nothing, not even the version (RFC 7644 section 3.5.2)", patcher: true, check: checkPatchIdempotent},
	// ENTRA-GROUP-8, OKTA-GROUP-2, OKTA-GROUP-3
	{name: "PatchMembersInOrder", rule: "PatchMembers applies the displayName, then the removals, then the additions, with the net effect of that order (scim.MemberChange)", patcher: true, check: checkPatchOrder},
	// ENTRA-GROUP-4
	{name: "PatchMembersUnknownNothingApplied", rule: "an unknown member id gives ErrInvalidReference and none of the change is applied (RFC 7644 section 3.5.2: a PATCH is atomic)", patcher: true, check: checkPatchUnknown},
	// RFC-ETAG-1
	{name: "PatchMembersPreconditions", rule: "PatchMembers honours ifMatch and returns the new version (RFC 7644 section 3.14)", patcher: true, check: checkPatchPrecondition},
	// ENTRA-GROUP-10, TRAP-5
	{name: "PatchMembersConcurrent", rule: "concurrent member additions are all kept, each exactly once: no lost update (scim.MemberPatcher contract)", patcher: true, check: checkPatchConcurrent},
	// RFC-SORT-1
	{name: "GroupSorterSortsWhatItClaims", rule: "a group store that implements scim.Sorter orders by every path for which SortsBy reports true, in both directions, ignoring case unless the attribute is caseExact, missing values last (RFC 7644 section 3.4.2.3)", check: checkGroupSorter},
	{name: "UpdateGroupConcurrent", rule: "concurrent UpdateGroup calls without ifMatch on one group all succeed, each calls fn once, and none of their changes is lost (scim.GroupUpdater contract)", check: updateCheck(groupUpdates, checkUpdateConcurrent[scim.Group])},
	{name: "UpdateGroupFnError", rule: "when fn returns an error, UpdateGroup returns it as is and writes nothing (scim.GroupUpdater contract)", check: updateCheck(groupUpdates, checkUpdateFnError[scim.Group])},
	// RFC-ETAG-1
	{name: "UpdateGroupPrecondition", rule: "UpdateGroup with a stale ifMatch gives ErrPreconditionFailed without calling fn; with the current one it writes and changes the version (RFC 7644 section 3.14, scim.GroupUpdater contract)", check: updateCheck(groupUpdates, checkUpdateIfMatch[scim.Group])},
	{name: "UpdateGroupNoChange", rule: "when fn returns nil, UpdateGroup writes nothing and returns the group as stored; an unknown id gives ErrNotFound without calling fn (scim.GroupUpdater contract)", check: updateCheck(groupUpdates, checkUpdateNil[scim.Group])},
}

// makeUsers creates n users in ctx and returns their ids.
func (e *env) makeUsers(ctx context.Context, c *clock, prefix string, n int) ([]string, error) {
	ids := make([]string, n)
	for i := range ids {
		u, err := e.create(ctx, c, plainUser(fmt.Sprintf("%s%d@contoso.example", prefix, i)))
		if err != nil {
			return nil, err
		}
		ids[i] = u.ID
	}
	return ids, nil
}

func members(ids ...string) []scim.Member {
	ms := make([]scim.Member, len(ids))
	for i, id := range ids {
		ms[i] = scim.Member{Value: id}
	}
	return ms
}

// getMembers returns the sorted member ids of the group id, read with the default
// projection.
func (e *env) getMembers(ctx context.Context, id string) ([]string, *scim.Group, error) {
	g, err := e.groups.GetGroup(ctx, id, scim.Projection{})
	if err != nil {
		return nil, nil, fmt.Errorf("GetGroup(%q): %w", id, err)
	}
	return memberIDs(g), g, nil
}

func wantMembers(what string, got []string, want ...string) error {
	if !sameIDs(got, want) {
		return fmt.Errorf("%s: members %q, want %q", what, got, sorted(want...))
	}
	return nil
}

func checkGroupCreate(ctx context.Context, e *env) error {
	ctx = tenantA(ctx)
	var c clock
	u, err := e.makeUsers(ctx, &c, "member", 2)
	if err != nil {
		return err
	}
	g, err := e.createGroup(ctx, &c, &scim.Group{DisplayName: "Design Team", ExternalID: "Ext-Design",
		Members: []scim.Member{{Value: u[0], Display: "Member 0"}, {Value: u[1]}}})
	if err != nil {
		return err
	}
	var errs []error
	errs = append(errs, wantMembers("CreateGroup result", memberIDs(g), u...))
	got, read, err := e.getMembers(ctx, g.ID)
	if err != nil {
		return errors.Join(append(errs, err)...)
	}
	errs = append(errs, wantMembers("GetGroup", got, u...))
	if read.DisplayName != "Design Team" || read.ExternalID != "Ext-Design" || read.ID != g.ID {
		errs = append(errs, fmt.Errorf("GetGroup: id %q, displayName %q, externalId %q; want %q, %q, %q exactly",
			read.ID, read.DisplayName, read.ExternalID, g.ID, "Design Team", "Ext-Design"))
	}
	for _, m := range read.Members {
		if m.Type != "" && m.Type != "User" {
			errs = append(errs, fmt.Errorf("GetGroup: member %q has type %q, want User", m.Value, m.Type))
		}
	}
	empty, err := e.createGroup(ctx, &c, &scim.Group{DisplayName: "Empty", Members: []scim.Member{}})
	if err != nil {
		return errors.Join(append(errs, err)...)
	}
	if got, _, err := e.getMembers(ctx, empty.ID); err != nil {
		errs = append(errs, err)
	} else if len(got) != 0 {
		errs = append(errs, fmt.Errorf("a group created without members has members %q", got))
	}
	return errors.Join(errs...)
}

func groupFilter(s string) (filter.Expr, error) {
	e, err := filter.Parse(s)
	if err != nil {
		return nil, err
	}
	return filter.Validate(e, schema.GroupResourceType)
}

func checkGroupUnknownMember(ctx context.Context, e *env) error {
	ctx = tenantA(ctx)
	var c clock
	u, err := e.makeUsers(ctx, &c, "member", 2)
	if err != nil {
		return err
	}
	var errs []error
	_, err = e.createGroup(ctx, &c, &scim.Group{DisplayName: "Ghosts", Members: members(u[0], uuid.NewString())})
	errs = append(errs, wantErr("CreateGroup with an unknown member", err, scim.ErrInvalidReference))
	f, _ := groupFilter(`displayName eq "Ghosts"`)
	if ids, total, err := listGroupIDs(ctx, e.groups, scim.Query{Filter: f}); err != nil {
		errs = append(errs, fmt.Errorf("ListGroups: %w", err))
	} else if total != 0 || len(ids) != 0 {
		errs = append(errs, fmt.Errorf("the refused group was created: ListGroups finds %q", ids))
	}
	g, err := e.createGroup(ctx, &c, &scim.Group{DisplayName: "Real", Members: members(u[0])})
	if err != nil {
		return errors.Join(append(errs, err)...)
	}
	rep := &scim.Group{ID: g.ID, DisplayName: "Renamed", Members: members(u[1], "no-such-user"), Meta: g.Meta}
	rep.Meta.LastModified = c.next()
	_, err = e.groups.ReplaceGroup(ctx, rep, "")
	errs = append(errs, wantErr("ReplaceGroup with an unknown member", err, scim.ErrInvalidReference))
	got, read, err := e.getMembers(ctx, g.ID)
	if err != nil {
		return errors.Join(append(errs, err)...)
	}
	errs = append(errs, wantMembers("after the refused ReplaceGroup", got, u[0]))
	if read.DisplayName != "Real" {
		errs = append(errs, fmt.Errorf("the refused ReplaceGroup renamed the group to %q", read.DisplayName))
	}
	return errors.Join(errs...)
}

func checkGroupNameUnique(ctx context.Context, e *env) error {
	ctx = tenantA(ctx)
	var c clock
	if _, err := e.createGroup(ctx, &c, &scim.Group{DisplayName: "Design"}); err != nil {
		return err
	}
	var errs []error
	for _, name := range []string{"Design", "design", "DESIGN"} {
		_, err := e.createGroup(ctx, &c, &scim.Group{DisplayName: name})
		errs = append(errs, wantErr(fmt.Sprintf("CreateGroup(%q) after %q", name, "Design"), err, scim.ErrUniqueness))
	}
	other, err := e.createGroup(ctx, &c, &scim.Group{DisplayName: "Finance"})
	if err != nil {
		return errors.Join(append(errs, err)...)
	}
	rep := &scim.Group{ID: other.ID, DisplayName: "dESIGN", Members: []scim.Member{}, Meta: other.Meta}
	rep.Meta.LastModified = c.next()
	_, err = e.groups.ReplaceGroup(ctx, rep, "")
	errs = append(errs, wantErr("ReplaceGroup renaming Finance to dESIGN", err, scim.ErrUniqueness))
	rep.DisplayName = "FINANCE"
	if _, err := e.groups.ReplaceGroup(ctx, rep, ""); err != nil {
		errs = append(errs, fmt.Errorf("ReplaceGroup changing the case of the group's own displayName: %w", err))
	}
	return errors.Join(errs...)
}

func checkGroupReplace(ctx context.Context, e *env) error {
	ctx = tenantA(ctx)
	var c clock
	u, err := e.makeUsers(ctx, &c, "member", 4)
	if err != nil {
		return err
	}
	g, err := e.createGroup(ctx, &c, &scim.Group{DisplayName: "Design", Members: members(u[0], u[1])})
	if err != nil {
		return err
	}
	var errs []error
	rep := &scim.Group{ID: g.ID, DisplayName: "Design Studio", ExternalID: "ext-2", Members: members(u[1], u[2], u[3]), Meta: g.Meta}
	rep.Meta.LastModified = c.next()
	res, err := e.groups.ReplaceGroup(ctx, rep, "")
	if err != nil {
		return fmt.Errorf("ReplaceGroup: %w", err)
	}
	if res.Members != nil {
		errs = append(errs, wantMembers("ReplaceGroup result", memberIDs(res), u[1], u[2], u[3]))
	}
	got, read, err := e.getMembers(ctx, g.ID)
	if err != nil {
		return errors.Join(append(errs, err)...)
	}
	errs = append(errs, wantMembers("GetGroup after ReplaceGroup", got, u[1], u[2], u[3]))
	if read.DisplayName != "Design Studio" || read.ExternalID != "ext-2" {
		errs = append(errs, fmt.Errorf("after ReplaceGroup: displayName %q, externalId %q; want %q, %q", read.DisplayName, read.ExternalID, "Design Studio", "ext-2"))
	}
	if !read.Meta.Created.Equal(g.Meta.Created) {
		errs = append(errs, fmt.Errorf("ReplaceGroup changed meta.created from %v to %v", g.Meta.Created, read.Meta.Created))
	}
	rep.Members = []scim.Member{}
	rep.Meta.LastModified = c.next()
	if _, err := e.groups.ReplaceGroup(ctx, rep, ""); err != nil {
		return errors.Join(append(errs, fmt.Errorf("ReplaceGroup with no members: %w", err))...)
	}
	if got, _, err := e.getMembers(ctx, g.ID); err != nil {
		errs = append(errs, err)
	} else {
		errs = append(errs, wantMembers("after ReplaceGroup with an empty member list", got))
	}
	return errors.Join(errs...)
}

func checkGroupUserDelete(ctx context.Context, e *env) error {
	ctx = tenantA(ctx)
	var c clock
	u, err := e.makeUsers(ctx, &c, "member", 3)
	if err != nil {
		return err
	}
	g1, err := e.createGroup(ctx, &c, &scim.Group{DisplayName: "One", Members: members(u...)})
	if err != nil {
		return err
	}
	g2, err := e.createGroup(ctx, &c, &scim.Group{DisplayName: "Two", Members: members(u[0])})
	if err != nil {
		return err
	}
	if err := e.users.DeleteUser(ctx, u[0], ""); err != nil {
		return fmt.Errorf("DeleteUser: %w", err)
	}
	var errs []error
	for _, x := range []struct {
		g    *scim.Group
		want []string
	}{{g1, u[1:]}, {g2, nil}} {
		got, _, err := e.getMembers(ctx, x.g.ID)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		errs = append(errs, wantMembers("group "+x.g.DisplayName+" after deleting a member user", got, x.want...))
	}
	return errors.Join(errs...)
}

func checkUserGroups(ctx context.Context, e *env) error {
	ctx = tenantA(ctx)
	var c clock
	u, err := e.makeUsers(ctx, &c, "member", 2)
	if err != nil {
		return err
	}
	g1, err := e.createGroup(ctx, &c, &scim.Group{DisplayName: "One", Members: members(u...)})
	if err != nil {
		return err
	}
	g2, err := e.createGroup(ctx, &c, &scim.Group{DisplayName: "Two", Members: members(u[0])})
	if err != nil {
		return err
	}
	read, err := e.users.GetUser(ctx, u[0])
	if err != nil {
		return fmt.Errorf("GetUser: %w", err)
	}
	if len(read.Groups) == 0 {
		e.logf("the store does not fill User.Groups; the groups attribute will be missing")
		return nil
	}
	groupIDs := func(u *scim.User) []string {
		ids := make([]string, len(u.Groups))
		for i, g := range u.Groups {
			ids[i] = g.Value
		}
		return ids
	}
	var errs []error
	if !sameIDs(groupIDs(read), []string{g1.ID, g2.ID}) {
		errs = append(errs, fmt.Errorf("user groups %q, want %q", groupIDs(read), sorted(g1.ID, g2.ID)))
	}
	for _, r := range read.Groups {
		if r.Type != "" && r.Type != "direct" {
			errs = append(errs, fmt.Errorf("group reference %q has type %q, want direct", r.Value, r.Type))
		}
	}
	if err := e.groups.DeleteGroup(ctx, g2.ID, ""); err != nil {
		return errors.Join(append(errs, fmt.Errorf("DeleteGroup: %w", err))...)
	}
	if read, err = e.users.GetUser(ctx, u[0]); err != nil {
		return errors.Join(append(errs, fmt.Errorf("GetUser: %w", err))...)
	}
	if !sameIDs(groupIDs(read), []string{g1.ID}) {
		errs = append(errs, fmt.Errorf("after deleting group Two the user's groups are %q, want %q", groupIDs(read), []string{g1.ID}))
	}
	return errors.Join(errs...)
}

func checkGroupProjection(ctx context.Context, e *env) error {
	ctx = tenantA(ctx)
	var c clock
	u, err := e.makeUsers(ctx, &c, "member", 2)
	if err != nil {
		return err
	}
	g, err := e.createGroup(ctx, &c, &scim.Group{DisplayName: "Projected", Members: members(u...)})
	if err != nil {
		return err
	}
	var errs []error
	for _, p := range []scim.Projection{
		{ExcludedAttributes: []string{"members"}},
		{Attributes: []string{"displayName"}},
		{Attributes: []string{"id", "externalId"}, ExcludedAttributes: []string{"members"}},
	} {
		got, err := e.groups.GetGroup(ctx, g.ID, p)
		if err != nil {
			errs = append(errs, fmt.Errorf("GetGroup(%+v): %w", p, err))
			continue
		}
		if got.Members != nil {
			errs = append(errs, fmt.Errorf("GetGroup(%+v): Members is %d long, want nil", p, len(got.Members)))
		}
		if got.DisplayName != "Projected" {
			errs = append(errs, fmt.Errorf("GetGroup(%+v): displayName %q, want %q", p, got.DisplayName, "Projected"))
		}
	}
	for _, p := range []scim.Projection{{}, {Attributes: []string{"members"}}, {Attributes: []string{"members.value"}}, {ExcludedAttributes: []string{"displayName"}}} {
		got, err := e.groups.GetGroup(ctx, g.ID, p)
		if err != nil {
			errs = append(errs, fmt.Errorf("GetGroup(%+v): %w", p, err))
			continue
		}
		errs = append(errs, wantMembers(fmt.Sprintf("GetGroup(%+v)", p), memberIDs(got), u...))
	}
	f, _ := groupFilter(`displayName eq "projected"`)
	page, err := e.groups.ListGroups(ctx, scim.Query{Filter: f, StartIndex: 1, Count: 10, Projection: scim.Projection{ExcludedAttributes: []string{"members"}}})
	if err != nil {
		return errors.Join(append(errs, fmt.Errorf("ListGroups: %w", err))...)
	}
	if len(page.Resources) != 1 || page.Total != 1 {
		errs = append(errs, fmt.Errorf("ListGroups(displayName eq \"projected\"): %d groups (total %d), want 1", len(page.Resources), page.Total))
	} else if page.Resources[0].Members != nil {
		errs = append(errs, fmt.Errorf("ListGroups with excludedAttributes=members: Members is not nil"))
	}
	return errors.Join(errs...)
}

func checkGroupDelete(ctx context.Context, e *env) error {
	ctx = tenantA(ctx)
	var c clock
	u, err := e.makeUsers(ctx, &c, "member", 2)
	if err != nil {
		return err
	}
	g, err := e.createGroup(ctx, &c, &scim.Group{DisplayName: "Doomed", Members: members(u...)})
	if err != nil {
		return err
	}
	if err := e.groups.DeleteGroup(ctx, g.ID, ""); err != nil {
		return fmt.Errorf("DeleteGroup: %w", err)
	}
	var errs []error
	_, err = e.groups.GetGroup(ctx, g.ID, scim.Projection{})
	errs = append(errs, wantErr("GetGroup after DeleteGroup", err, scim.ErrNotFound))
	errs = append(errs, wantErr("second DeleteGroup", e.groups.DeleteGroup(ctx, g.ID, ""), scim.ErrNotFound))
	for _, id := range u {
		if _, err := e.users.GetUser(ctx, id); err != nil {
			errs = append(errs, fmt.Errorf("member user after DeleteGroup: %w", err))
		}
	}
	if _, err := e.createGroup(ctx, &c, &scim.Group{DisplayName: "Doomed"}); err != nil {
		errs = append(errs, fmt.Errorf("creating a group with the deleted group's displayName: %w", err))
	}
	return errors.Join(errs...)
}

func checkGroupNotFound(ctx context.Context, e *env) error {
	ctx = tenantA(ctx)
	var c clock
	if _, err := e.createGroup(ctx, &c, &scim.Group{DisplayName: "Exists"}); err != nil {
		return err
	}
	var errs []error
	for _, id := range []string{uuid.NewString(), "00919288221112222", ""} {
		_, err := e.groups.GetGroup(ctx, id, scim.Projection{})
		errs = append(errs, wantErr(fmt.Sprintf("GetGroup(%q)", id), err, scim.ErrNotFound))
		rep := &scim.Group{ID: id, DisplayName: "Other"}
		rep.Meta.Created, rep.Meta.LastModified = c.next(), c.next()
		_, err = e.groups.ReplaceGroup(ctx, rep, "")
		errs = append(errs, wantErr(fmt.Sprintf("ReplaceGroup(%q)", id), err, scim.ErrNotFound))
		errs = append(errs, wantErr(fmt.Sprintf("DeleteGroup(%q)", id), e.groups.DeleteGroup(ctx, id, ""), scim.ErrNotFound))
		if mp, ok := e.groups.(scim.MemberPatcher); ok {
			_, err := mp.PatchMembers(ctx, id, scim.MemberChange{Remove: []string{"x"}}, "")
			if !errors.Is(err, errors.ErrUnsupported) {
				errs = append(errs, wantErr(fmt.Sprintf("PatchMembers(%q)", id), err, scim.ErrNotFound))
			}
		}
	}
	return errors.Join(errs...)
}

func checkGroupPreconditions(ctx context.Context, e *env) error {
	ctx = tenantA(ctx)
	var c clock
	u, err := e.makeUsers(ctx, &c, "member", 2)
	if err != nil {
		return err
	}
	g, err := e.createGroup(ctx, &c, &scim.Group{DisplayName: "Versioned", Members: members(u[0])})
	if err != nil {
		return err
	}
	v1 := g.Meta.Version
	if v1 == "" {
		return skipf("the store returns empty group versions (no ETag support)")
	}
	var errs []error
	rep := &scim.Group{ID: g.ID, DisplayName: "Versioned 2", Members: members(u[1]), Meta: g.Meta}
	rep.Meta.LastModified = c.next()
	_, err = e.groups.ReplaceGroup(ctx, rep, v1+"-stale")
	errs = append(errs, wantErr("ReplaceGroup with a stale ifMatch", err, scim.ErrPreconditionFailed))
	got, read, err := e.getMembers(ctx, g.ID)
	if err != nil {
		return errors.Join(append(errs, err)...)
	}
	errs = append(errs, wantMembers("after the refused ReplaceGroup", got, u[0]))
	if read.DisplayName != "Versioned" || read.Meta.Version != v1 {
		errs = append(errs, fmt.Errorf("the refused ReplaceGroup changed the group: displayName %q, version %q", read.DisplayName, read.Meta.Version))
	}
	res, err := e.groups.ReplaceGroup(ctx, rep, v1)
	if err != nil {
		return errors.Join(append(errs, fmt.Errorf("ReplaceGroup with the current version: %w", err))...)
	}
	if res.Meta.Version == v1 || res.Meta.Version == "" {
		errs = append(errs, fmt.Errorf("version after ReplaceGroup is %q, want a new one (was %q)", res.Meta.Version, v1))
	}
	errs = append(errs, wantErr("DeleteGroup with a stale ifMatch", e.groups.DeleteGroup(ctx, g.ID, v1), scim.ErrPreconditionFailed))
	if err := e.groups.DeleteGroup(ctx, g.ID, res.Meta.Version); err != nil {
		errs = append(errs, fmt.Errorf("DeleteGroup with the current version: %w", err))
	}
	return errors.Join(errs...)
}

func checkGroupList(ctx context.Context, e *env) error {
	ctx = tenantA(ctx)
	var c clock
	var want []string
	for i := range 12 {
		g, err := e.createGroup(ctx, &c, &scim.Group{DisplayName: fmt.Sprintf("Team %02d", i)})
		if err != nil {
			return err
		}
		want = append(want, g.ID)
	}
	var errs []error
	f, _ := groupFilter(`displayName eq "TEAM 07"`)
	if ids, total, err := listGroupIDs(ctx, e.groups, scim.Query{Filter: f}); err != nil {
		errs = append(errs, fmt.Errorf("ListGroups(displayName eq \"TEAM 07\"): %w", err))
	} else if total != 1 || !slices.Equal(ids, want[7:8]) {
		errs = append(errs, fmt.Errorf("ListGroups(displayName eq \"TEAM 07\"): %q (total %d), want %q", ids, total, want[7:8]))
	}
	f, _ = groupFilter(`displayName eq "Team 99"`)
	if ids, total, err := listGroupIDs(ctx, e.groups, scim.Query{Filter: f}); err != nil {
		errs = append(errs, fmt.Errorf("ListGroups(displayName eq \"Team 99\"): %w", err))
	} else if total != 0 || len(ids) != 0 {
		errs = append(errs, fmt.Errorf("ListGroups(displayName eq \"Team 99\"): %q, want none", ids))
	}
	for _, count := range []int{1, 5, 12} {
		var got []string
		for start := 1; start <= len(want); start += count {
			p, err := e.groups.ListGroups(ctx, scim.Query{StartIndex: start, Count: count})
			if err != nil {
				return errors.Join(append(errs, fmt.Errorf("ListGroups: %w", err))...)
			}
			if p.Total != len(want) {
				errs = append(errs, fmt.Errorf("ListGroups(startIndex %d, count %d): Total %d, want %d", start, count, p.Total, len(want)))
			}
			for _, g := range p.Resources {
				got = append(got, g.ID)
			}
		}
		if !slices.Equal(got, want) {
			errs = append(errs, fmt.Errorf("group pages of %d: %q, want creation order %q", count, got, want))
		}
	}
	return errors.Join(errs...)
}

func checkGroupTenants(ctx context.Context, e *env) error {
	a, b := tenantA(ctx), tenantB(ctx)
	var c clock
	ua, err := e.makeUsers(a, &c, "member", 1)
	if err != nil {
		return err
	}
	ga, err := e.createGroup(a, &c, &scim.Group{DisplayName: "Shared Name", Members: members(ua...)})
	if err != nil {
		return err
	}
	var errs []error
	if _, err := e.createGroup(b, &c, &scim.Group{DisplayName: "Shared Name"}); err != nil {
		errs = append(errs, fmt.Errorf("tenant B creating a group with tenant A's displayName: %w", err))
	}
	_, err = e.groups.GetGroup(b, ga.ID, scim.Projection{})
	errs = append(errs, wantErr("GetGroup of tenant A's group from tenant B", err, scim.ErrNotFound))
	errs = append(errs, wantErr("DeleteGroup of tenant A's group from tenant B", e.groups.DeleteGroup(b, ga.ID, ""), scim.ErrNotFound))
	rep := &scim.Group{ID: ga.ID, DisplayName: "Taken over"}
	rep.Meta.Created, rep.Meta.LastModified = c.next(), c.next()
	_, err = e.groups.ReplaceGroup(b, rep, "")
	errs = append(errs, wantErr("ReplaceGroup of tenant A's group from tenant B", err, scim.ErrNotFound))
	_, err = e.createGroup(b, &c, &scim.Group{DisplayName: "Poacher", Members: members(ua...)})
	errs = append(errs, wantErr("tenant B creating a group with tenant A's user as member", err, scim.ErrInvalidReference))
	if ids, _, err := listGroupIDs(b, e.groups, scim.Query{}); err != nil {
		errs = append(errs, fmt.Errorf("ListGroups in tenant B: %w", err))
	} else if slices.Contains(ids, ga.ID) {
		errs = append(errs, fmt.Errorf("tenant B lists tenant A's group"))
	}
	if got, _, err := e.getMembers(a, ga.ID); err != nil {
		errs = append(errs, err)
	} else {
		errs = append(errs, wantMembers("tenant A's group after tenant B's attempts", got, ua...))
	}
	return errors.Join(errs...)
}

func checkGroupOwnership(ctx context.Context, e *env) error {
	ctx = tenantA(ctx)
	var c clock
	u, err := e.makeUsers(ctx, &c, "member", 3)
	if err != nil {
		return err
	}
	in := &scim.Group{DisplayName: "Owned", Members: members(u[0], u[1]),
		Extensions: map[string]map[string]any{"urn:example:group:1.0": {"code": "x", "tags": []any{"a"}}}}
	g, err := e.createGroup(ctx, &c, in)
	if err != nil {
		return err
	}
	in.Members[0].Value = u[2]
	in.Members = append(in.Members, scim.Member{Value: u[2]})
	in.Extensions["urn:example:group:1.0"]["tags"].([]any)[0] = "changed"
	var errs []error
	check := func(what string) {
		got, read, err := e.getMembers(ctx, g.ID)
		if err != nil {
			errs = append(errs, err)
			return
		}
		errs = append(errs, wantMembers("after changing "+what, got, u[0], u[1]))
		if ext := read.Extensions["urn:example:group:1.0"]; ext == nil || fmt.Sprint(ext["tags"]) != "[a]" {
			errs = append(errs, fmt.Errorf("after changing %s: extension data %v, want tags [a]", what, ext))
		}
	}
	check("the *Group passed to CreateGroup")
	for i := range g.Members {
		g.Members[i].Value = "changed"
	}
	check("the result of CreateGroup")
	read, err := e.groups.GetGroup(ctx, g.ID, scim.Projection{})
	if err != nil {
		return errors.Join(append(errs, fmt.Errorf("GetGroup: %w", err))...)
	}
	for i := range read.Members {
		read.Members[i].Value = "changed"
	}
	if ext := read.Extensions["urn:example:group:1.0"]; ext != nil {
		ext["tags"].([]any)[0] = "changed"
	}
	check("the result of GetGroup")
	p, err := e.groups.ListGroups(ctx, scim.Query{StartIndex: 1, Count: 10})
	if err != nil {
		return errors.Join(append(errs, fmt.Errorf("ListGroups: %w", err))...)
	}
	for _, g := range p.Resources {
		for i := range g.Members {
			g.Members[i].Value = "changed"
		}
	}
	check("the result of ListGroups")
	return errors.Join(errs...)
}

// patch calls PatchMembers and turns a decline into a skip.
func (e *env) patch(ctx context.Context, id string, c scim.MemberChange, ifMatch string) (string, error) {
	v, err := e.patcher.PatchMembers(ctx, id, c, ifMatch)
	if errors.Is(err, errors.ErrUnsupported) {
		return "", skipf("PatchMembers declined with errors.ErrUnsupported: %v", err)
	}
	return v, err
}

func checkPatchIdempotent(ctx context.Context, e *env) error {
	ctx = tenantA(ctx)
	var c clock
	u, err := e.makeUsers(ctx, &c, "member", 3)
	if err != nil {
		return err
	}
	g, err := e.createGroup(ctx, &c, &scim.Group{DisplayName: "Patched", Members: members(u[0])})
	if err != nil {
		return err
	}
	var errs []error
	v, err := e.patch(ctx, g.ID, scim.MemberChange{Add: members(u[1], u[1], u[2])}, "")
	if err != nil {
		return err
	}
	if got, _, err := e.getMembers(ctx, g.ID); err != nil {
		return err
	} else if !slices.Equal(got, sorted(u...)) {
		errs = append(errs, fmt.Errorf("after adding %q (one twice): members %q, want each of %q once", u[1:], got, sorted(u...)))
	}
	for _, ch := range []struct {
		what string
		c    scim.MemberChange
	}{
		{"adding present members", scim.MemberChange{Add: members(u[0], u[2])}},
		{"removing an absent member", scim.MemberChange{Remove: []string{uuid.NewString()}}},
		{"an empty change", scim.MemberChange{}},
		{"setting the same displayName", scim.MemberChange{DisplayName: ptr("Patched")}},
	} {
		v2, err := e.patch(ctx, g.ID, ch.c, "")
		if err != nil {
			errs = append(errs, fmt.Errorf("PatchMembers %s: %w", ch.what, err))
			continue
		}
		if v != "" && v2 != v {
			errs = append(errs, fmt.Errorf("PatchMembers %s changed the version from %q to %q", ch.what, v, v2))
		}
		v = v2
		if got, _, err := e.getMembers(ctx, g.ID); err != nil {
			errs = append(errs, err)
		} else if !slices.Equal(got, sorted(u...)) {
			errs = append(errs, fmt.Errorf("after %s: members %q, want %q", ch.what, got, sorted(u...)))
		}
	}
	v2, err := e.patch(ctx, g.ID, scim.MemberChange{Remove: []string{u[0], u[0]}}, "")
	if err != nil {
		return errors.Join(append(errs, fmt.Errorf("PatchMembers removing a member: %w", err))...)
	}
	if v != "" && v2 == v {
		errs = append(errs, fmt.Errorf("removing a member left the version at %q", v))
	}
	got, read, err := e.getMembers(ctx, g.ID)
	if err != nil {
		return errors.Join(append(errs, err)...)
	}
	errs = append(errs, wantMembers("after removing one member", got, u[1], u[2]))
	if v2 != "" && read.Meta.Version != v2 {
		errs = append(errs, fmt.Errorf("GetGroup version %q differs from the %q PatchMembers returned", read.Meta.Version, v2))
	}
	return errors.Join(errs...)
}

func ptr[T any](v T) *T { return &v }

func checkPatchOrder(ctx context.Context, e *env) error {
	ctx = tenantA(ctx)
	var c clock
	u, err := e.makeUsers(ctx, &c, "member", 4)
	if err != nil {
		return err
	}
	g, err := e.createGroup(ctx, &c, &scim.Group{DisplayName: "Finance", Members: members(u[0], u[1])})
	if err != nil {
		return err
	}
	// ENTRA-GROUP-8: rename, add u[2], remove u[2] in one request is sent as
	// remove-then-add of different members; here: remove u[1] and u[3] (absent), add
	// u[1] back and u[2], rename.
	_, err = e.patch(ctx, g.ID, scim.MemberChange{
		DisplayName: ptr("FinOps"),
		Remove:      []string{u[1], u[3]},
		Add:         members(u[1], u[2]),
	}, "")
	if err != nil {
		return fmt.Errorf("PatchMembers: %w", err)
	}
	var errs []error
	got, read, err := e.getMembers(ctx, g.ID)
	if err != nil {
		return err
	}
	errs = append(errs, wantMembers("after remove u1,u3 then add u1,u2", got, u[0], u[1], u[2]))
	if read.DisplayName != "FinOps" {
		errs = append(errs, fmt.Errorf("displayName %q after PatchMembers, want FinOps", read.DisplayName))
	}
	if _, err := e.patch(ctx, g.ID, scim.MemberChange{Remove: []string{u[0], u[1], u[2]}}, ""); err != nil {
		return errors.Join(append(errs, fmt.Errorf("PatchMembers removing everyone: %w", err))...)
	}
	if got, _, err := e.getMembers(ctx, g.ID); err != nil {
		errs = append(errs, err)
	} else {
		errs = append(errs, wantMembers("after removing every member", got))
	}
	other, err := e.createGroup(ctx, &c, &scim.Group{DisplayName: "Legal"})
	if err != nil {
		return errors.Join(append(errs, err)...)
	}
	_, err = e.patch(ctx, other.ID, scim.MemberChange{DisplayName: ptr("FINOPS")}, "")
	errs = append(errs, wantErr("PatchMembers renaming Legal to FINOPS", err, scim.ErrUniqueness))
	return errors.Join(errs...)
}

func checkPatchUnknown(ctx context.Context, e *env) error {
	ctx = tenantA(ctx)
	var c clock
	u, err := e.makeUsers(ctx, &c, "member", 3)
	if err != nil {
		return err
	}
	g, err := e.createGroup(ctx, &c, &scim.Group{DisplayName: "Careful", Members: members(u[0])})
	if err != nil {
		return err
	}
	before, err := e.groups.GetGroup(ctx, g.ID, scim.Projection{})
	if err != nil {
		return fmt.Errorf("GetGroup: %w", err)
	}
	_, err = e.patch(ctx, g.ID, scim.MemberChange{
		DisplayName: ptr("Careless"),
		Remove:      []string{u[0]},
		Add:         members(u[1], uuid.NewString(), u[2]),
	}, "")
	if s, ok := err.(*skipError); ok {
		return s
	}
	var errs []error
	errs = append(errs, wantErr("PatchMembers adding an unknown id", err, scim.ErrInvalidReference))
	got, read, err := e.getMembers(ctx, g.ID)
	if err != nil {
		return errors.Join(append(errs, err)...)
	}
	errs = append(errs, wantMembers("after the refused PatchMembers", got, u[0]))
	if read.DisplayName != "Careful" || read.Meta.Version != before.Meta.Version {
		errs = append(errs, fmt.Errorf("the refused PatchMembers changed the group: displayName %q, version %q (was %q)", read.DisplayName, read.Meta.Version, before.Meta.Version))
	}
	return errors.Join(errs...)
}

func checkPatchPrecondition(ctx context.Context, e *env) error {
	ctx = tenantA(ctx)
	var c clock
	u, err := e.makeUsers(ctx, &c, "member", 2)
	if err != nil {
		return err
	}
	g, err := e.createGroup(ctx, &c, &scim.Group{DisplayName: "Guarded", Members: members(u[0])})
	if err != nil {
		return err
	}
	if g.Meta.Version == "" {
		return skipf("the store returns empty group versions (no ETag support)")
	}
	var errs []error
	_, err = e.patch(ctx, g.ID, scim.MemberChange{Add: members(u[1])}, g.Meta.Version+"-stale")
	if s, ok := err.(*skipError); ok {
		return s
	}
	errs = append(errs, wantErr("PatchMembers with a stale ifMatch", err, scim.ErrPreconditionFailed))
	if got, _, err := e.getMembers(ctx, g.ID); err != nil {
		errs = append(errs, err)
	} else {
		errs = append(errs, wantMembers("after the refused PatchMembers", got, u[0]))
	}
	v, err := e.patch(ctx, g.ID, scim.MemberChange{Add: members(u[1])}, g.Meta.Version)
	if err != nil {
		return errors.Join(append(errs, fmt.Errorf("PatchMembers with the current version: %w", err))...)
	}
	if v == "" || v == g.Meta.Version {
		errs = append(errs, fmt.Errorf("PatchMembers returned version %q, want a new one (was %q)", v, g.Meta.Version))
	}
	if read, err := e.groups.GetGroup(ctx, g.ID, scim.Projection{}); err != nil {
		errs = append(errs, fmt.Errorf("GetGroup: %w", err))
	} else if read.Meta.Version != v {
		errs = append(errs, fmt.Errorf("GetGroup version %q, want the %q PatchMembers returned", read.Meta.Version, v))
	}
	return errors.Join(errs...)
}

func checkPatchConcurrent(ctx context.Context, e *env) error {
	ctx = tenantA(ctx)
	var c clock
	const workers, each = 16, 8
	u, err := e.makeUsers(ctx, &c, "member", workers*each)
	if err != nil {
		return err
	}
	g, err := e.createGroup(ctx, &c, &scim.Group{DisplayName: "Crowd"})
	if err != nil {
		return err
	}
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				// One member per call, as Entra ID sends many small batches.
				if _, err := e.patch(ctx, g.ID, scim.MemberChange{Add: members(u[w*each+i])}, ""); err != nil {
					errs[w] = err
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if s, ok := err.(*skipError); ok {
			return s
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("concurrent PatchMembers: %w", err)
	}
	read, err := e.groups.GetGroup(ctx, g.ID, scim.Projection{})
	if err != nil {
		return fmt.Errorf("GetGroup: %w", err)
	}
	if got := memberIDs(read); !slices.Equal(got, sorted(u...)) {
		return fmt.Errorf("after %d concurrent additions the group has %d members (%d distinct), want each of the %d once",
			len(u), len(got), len(slices.Compact(got)), len(u))
	}
	return nil
}

func checkGroupSorter(ctx context.Context, e *env) error {
	sorter := e.groupSorter
	if sorter == nil {
		return skipf("the GroupStore does not implement scim.Sorter")
	}
	var paths []string
	for _, p := range []string{"displayName", "externalId", "meta.created"} {
		if sorter.SortsBy("Group", p) {
			paths = append(paths, p)
		}
	}
	if len(paths) == 0 {
		return skipf("SortsBy reports false for displayName, externalId and meta.created")
	}
	ctx = tenantA(ctx)
	var c clock
	byID := map[string]*scim.Group{}
	for i, name := range []string{"beta", "Alpha", "gamma", "DELTA", "epsilon"} {
		g := &scim.Group{DisplayName: name}
		if i%2 == 0 {
			g.ExternalID = fmt.Sprintf("%c-%d", 'Z'-i, i) // caseExact, absent on some
		}
		got, err := e.createGroup(ctx, &c, g)
		if err != nil {
			return err
		}
		byID[got.ID] = got
	}
	var errs []error
	for _, sortBy := range paths {
		ref, _ := schema.GroupResourceType.Lookup(sortBy)
		for _, desc := range []bool{false, true} {
			got, _, err := listGroupIDs(ctx, e.groups, scim.Query{SortBy: sortBy, Descending: desc})
			if err != nil {
				errs = append(errs, fmt.Errorf("SortsBy(\"Group\", %q) is true, but ListGroups(sortBy %s, descending %v): %w", sortBy, sortBy, desc, err))
				continue
			}
			if len(got) != len(byID) {
				errs = append(errs, fmt.Errorf("ListGroups(sortBy %s): %d groups, want all %d", sortBy, len(got), len(byID)))
				continue
			}
			for i := 1; i < len(got); i++ {
				a, b := sortKey(byID[got[i-1]].Tree(), ref), sortKey(byID[got[i]].Tree(), ref)
				if compareKeys(a, b, desc) > 0 {
					errs = append(errs, fmt.Errorf("SortsBy(\"Group\", %q) is true, but ListGroups(sortBy %s, descending %v) puts %q before %q",
						sortBy, sortBy, desc, a.s, b.s))
					break
				}
			}
		}
	}
	return errors.Join(errs...)
}
