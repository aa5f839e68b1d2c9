package patch

import (
	"testing"

	"github.com/scimkit/scimkit/schema"
)

var groupRT = schema.GroupResourceType

// members returns the group with exactly these members.
func members(t *testing.T, list string) string {
	if list == "" {
		return edit(t, group, `{"members":null}`)
	}
	return edit(t, group, `{"members":`+list+`}`)
}

// ENTRA-GROUP-4: the Entra add body adds members; present members are no-ops.
func TestAddMembersSkipsPresentOnes(t *testing.T) {
	runCases(t, []tc{
		{name: "Entra body", rt: groupRT, ops: `{"op":"Add","path":"members","value":[{"$ref":null,"value":"u-7"},{"value":"u-8"}]}`,
			want:    members(t, `[{"value":"u-1","display":"Ada","type":"User"},{"value":"u-2","type":"User"},{"value":"u-3"},{"value":"u-7"},{"value":"u-8"}]`),
			changed: []string{"members"}},
		{name: "present member is a no-op", rt: groupRT, ops: `{"op":"Add","path":"members","value":[{"$ref":null,"value":"u-1"},{"value":"u-2","type":"User"}]}`,
			want: group, changed: []string{}},
		{name: "duplicates within the request", rt: groupRT, ops: `{"op":"Add","path":"members","value":[{"value":"u-7"},{"value":"u-7"}]}`,
			want: members(t, `[{"value":"u-1","display":"Ada","type":"User"},{"value":"u-2","type":"User"},{"value":"u-3"},{"value":"u-7"}]`)},
		{name: "empty group", rt: groupRT, res: members(t, ""), ops: `{"op":"add","path":"members","value":[{"value":"u-7"}]}`,
			want: members(t, `[{"value":"u-7"}]`)},
		{name: "nested group member", rt: groupRT, ops: `{"op":"add","path":"members","value":{"value":"g-9","type":"Group"}}`,
			want: members(t, `[{"value":"u-1","display":"Ada","type":"User"},{"value":"u-2","type":"User"},{"value":"u-3"},{"value":"g-9","type":"Group"}]`)},
		{name: "display of a present member is filled in", rt: groupRT, ops: `{"op":"add","path":"members","value":[{"value":"u-2","display":"Bo"}]}`,
			want: members(t, `[{"value":"u-1","display":"Ada","type":"User"},{"value":"u-2","type":"User","display":"Bo"},{"value":"u-3"}]`)},
		{name: "immutable display of a present member is kept", rt: groupRT, ops: `{"op":"add","path":"members","value":[{"value":"u-1","display":"Other"}]}`,
			want: group, changed: []string{}},
		{name: "member without value", rt: groupRT, ops: `{"op":"add","path":"members","value":[{"value":7}]}`, err: schema.ScimInvalidValue},
	})
}

// ENTRA-GROUP-5: Remove members with a value list removes only the listed members; [] is a no-op.
func TestRemoveMembersByValueList(t *testing.T) {
	runCases(t, []tc{
		{name: "Entra body", rt: groupRT, ops: `{"op":"Remove","path":"members","value":[{"$ref":null,"value":"u-2"}]}`,
			want: members(t, `[{"value":"u-1","display":"Ada","type":"User"},{"value":"u-3"}]`), changed: []string{"members"}},
		{name: "several", rt: groupRT, ops: `{"op":"Remove","path":"members","value":[{"value":"u-1"},{"value":"u-3"}]}`,
			want: members(t, `[{"value":"u-2","type":"User"}]`)},
		{name: "one object", rt: groupRT, ops: `{"op":"Remove","path":"members","value":{"value":"u-3"}}`,
			want: members(t, `[{"value":"u-1","display":"Ada","type":"User"},{"value":"u-2","type":"User"}]`)},
		{name: "not a member", rt: groupRT, ops: `{"op":"Remove","path":"members","value":[{"value":"u-9"}]}`, want: group, changed: []string{}},
		{name: "empty list is a no-op", rt: groupRT, ops: `{"op":"Remove","path":"members","value":[]}`, want: group, changed: []string{}},
		{name: "all listed", rt: groupRT, ops: `{"op":"Remove","path":"members","value":[{"value":"u-1"},{"value":"u-2"},{"value":"u-3"}]}`, want: members(t, "")},
		{name: "no value clears", rt: groupRT, ops: `{"op":"Remove","path":"members"}`, want: members(t, "")},
		{name: "display is not compared", rt: groupRT, ops: `{"op":"Remove","path":"members","value":[{"value":"u-1","display":"someone else"}]}`,
			want: members(t, `[{"value":"u-2","type":"User"},{"value":"u-3"}]`)},
	})
}

// TRAP-1: a Remove with a value list never clears the group.
func TestRemoveMemberByValueListNeverClearsGroup(t *testing.T) {
	out := runCase(t, tc{rt: groupRT, ops: `{"op":"Remove","path":"members","value":[{"$ref":null,"value":"u-1"}]}`,
		want: members(t, `[{"value":"u-2","type":"User"},{"value":"u-3"}]`)})
	if l, _ := out["members"].([]any); len(l) != 2 {
		t.Fatalf("members = %v", out["members"])
	}
}

// TRAP-2: a Remove of members with a value is neither rejected nor ignored, even in strict mode.
func TestRemoveMembersWithValueAccepted(t *testing.T) {
	_, r, err := applyRun(t, groupRT, group, body(`{"op":"Remove","path":"members","value":[{"value":"u-1"}]}`), Options{Strict: true})
	if err != nil || !r.Changed {
		t.Fatalf("got %+v, %v", r, err)
	}
}

// ENTRA-GROUP-6: members[value eq "x"], or-combined, removes those; no match is a no-op.
func TestRemoveMembersByFilter(t *testing.T) {
	runCases(t, []tc{
		{name: "one", rt: groupRT, ops: `{"op":"remove","path":"members[value eq \"u-2\"]"}`,
			want: members(t, `[{"value":"u-1","display":"Ada","type":"User"},{"value":"u-3"}]`)},
		{name: "or", rt: groupRT, ops: `{"op":"remove","path":"members[value eq \"u-1\" or value eq \"u-3\"]"}`,
			want: members(t, `[{"value":"u-2","type":"User"}]`)},
		{name: "no match", rt: groupRT, ops: `{"op":"remove","path":"members[value eq \"u-9\"]"}`, want: group, changed: []string{}},
		// ids are caseExact: another letter case names another (absent) member.
		{name: "id in other case", rt: groupRT, ops: `{"op":"remove","path":"members[value eq \"U-2\"]"}`, want: group, changed: []string{}},
		{name: "value list in other case", rt: groupRT, ops: `{"op":"remove","path":"members","value":[{"value":"U-2"}]}`, want: group, changed: []string{}},
		{name: "by type", rt: groupRT, ops: `{"op":"remove","path":"members[type eq \"User\"]"}`, want: members(t, `[{"value":"u-3"}]`)},
		{name: "sub-attribute", rt: groupRT, ops: `{"op":"remove","path":"members[value eq \"u-1\"].display"}`, err: schema.ScimMutability},
		{name: "changing an immutable sub-attribute", rt: groupRT, ops: `{"op":"replace","path":"members[value eq \"u-1\"].value","value":"u-5"}`, err: schema.ScimMutability},
	})
}

// ENTRA-GROUP-7: Replace displayName leaves the members untouched.
func TestRenameKeepsMembers(t *testing.T) {
	runCases(t, []tc{
		{name: "rename", rt: groupRT, ops: `{"op":"Replace","path":"displayName","value":"Finance Operations"}`,
			want: edit(t, group, `{"displayName":"Finance Operations"}`), changed: []string{"displayName"}},
		{name: "displayName is required", rt: groupRT, ops: `{"op":"Remove","path":"displayName"}`, err: schema.ScimMutability},
	})
}

// ENTRA-GROUP-8: the Entra fixture of rename, add and remove applies in order.
func TestMixedGroupOperationsApplyInOrder(t *testing.T) {
	runCases(t, []tc{
		{name: "fixture", rt: groupRT, ops: `{"op":"Replace","path":"displayName","value":"FinOps"},
			{"op":"Add","path":"members","value":[{"value":"u-9"}]},{"op":"Remove","path":"members","value":[{"value":"u-9"}]}`,
			want: edit(t, group, `{"displayName":"FinOps"}`), changed: []string{"displayName"}},
		{name: "remove then add", rt: groupRT, ops: `{"op":"Remove","path":"members","value":[{"value":"u-1"}]},{"op":"Add","path":"members","value":[{"value":"u-1"}]}`,
			want: members(t, `[{"value":"u-2","type":"User"},{"value":"u-3"},{"value":"u-1"}]`), changed: []string{"members"}},
	})
}

// OKTA-GROUP-2, TRAP-4: Okta's path-less {id, displayName} leaves members alone; an unchanged name is no change.
func TestPathlessGroupReplaceKeepsMembers(t *testing.T) {
	runCases(t, []tc{
		{name: "rename", rt: groupRT, ops: `{"op":"replace","value":{"id":"g-1","displayName":"Design"}}`,
			want: edit(t, group, `{"displayName":"Design"}`), changed: []string{"displayName"}},
		{name: "unchanged", rt: groupRT, ops: `{"op":"replace","value":{"id":"g-1","displayName":"Finance Ops"}}`, want: group, changed: []string{}},
		{name: "other id", rt: groupRT, ops: `{"op":"replace","value":{"id":"g-2","displayName":"Design"}}`, err: schema.ScimMutability},
	})
}

// TRAP-4: a replace that does not name members does not empty the group.
func TestReplaceWithoutMembersKeepsThem(t *testing.T) {
	out := runCase(t, tc{rt: groupRT, ops: `{"op":"replace","value":{"displayName":"Design","externalId":"x"}}`,
		want: edit(t, group, `{"displayName":"Design","externalId":"x"}`)})
	if l, _ := out["members"].([]any); len(l) != 3 {
		t.Fatalf("members = %v", out["members"])
	}
}

// OKTA-GROUP-3: Okta's remove by filter, then add, in one PATCH, in order.
func TestRemoveThenAddMembersInOneRequest(t *testing.T) {
	runCase(t, tc{rt: groupRT, ops: `{"op":"remove","path":"members[value eq \"u-2\"]"},{"op":"add","path":"members","value":[{"value":"u-4","display":"ada@corp.example"}]}`,
		want: members(t, `[{"value":"u-1","display":"Ada","type":"User"},{"value":"u-3"},{"value":"u-4","display":"ada@corp.example"}]`)})
}

// OKTA-GROUP-4: replace members, with path or path-less, sets the exact membership; [] empties the group.
func TestReplaceMembersSetsExactMembership(t *testing.T) {
	want := members(t, `[{"value":"u-1"},{"value":"u-4"}]`)
	runCases(t, []tc{
		{name: "path", rt: groupRT, ops: `{"op":"replace","path":"members","value":[{"value":"u-1"},{"value":"u-4"}]}`, want: want},
		{name: "path-less", rt: groupRT, ops: `{"op":"replace","value":{"members":[{"value":"u-1"},{"value":"u-4"}]}}`, want: want},
		{name: "empty", rt: groupRT, ops: `{"op":"replace","path":"members","value":[]}`, want: members(t, "")},
		{name: "same", rt: groupRT, ops: `{"op":"replace","path":"members","value":[{"value":"u-1","display":"Ada","type":"User"},{"value":"u-2","type":"User"},{"value":"u-3"}]}`,
			want: group, changed: []string{}},
	})
}
