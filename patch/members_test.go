package patch

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/scimkit/scimkit/schema"
)

func strp(s string) *string { return &s }

// TestMemberOps covers the requests MemberOps recognises and those it leaves to Apply
// (the membership push-down to the store).
// ENTRA-GROUP-4, ENTRA-GROUP-5, ENTRA-GROUP-6, ENTRA-GROUP-7, ENTRA-GROUP-8, OKTA-GROUP-2, OKTA-GROUP-3, OKTA-GROUP-4: each membership PATCH form reaches the store as a member change.
func TestMemberOps(t *testing.T) {
	cases := []struct {
		name string
		ops  string
		want MemberOps
		ok   bool
	}{
		{"ENTRA_GROUP_4 add", `{"op":"Add","path":"members","value":[{"$ref":null,"value":"u-7"},{"value":"u-8","display":"B","type":"User"}]}`,
			MemberOps{Add: []Member{{Value: "u-7"}, {Value: "u-8", Display: "B", Type: "User"}}}, true},
		{"add one object", `{"op":"add","path":"members","value":{"value":"u-7","$ref":"https://h/Users/u-7"}}`,
			MemberOps{Add: []Member{{Value: "u-7"}}}, true},
		{"add duplicates", `{"op":"add","path":"members","value":[{"value":"u-7"},{"value":"u-7","display":"x"}]}`,
			MemberOps{Add: []Member{{Value: "u-7"}}}, true},
		{"ENTRA_GROUP_5 remove by value list", `{"op":"Remove","path":"members","value":[{"$ref":null,"value":"u-7"}]}`,
			MemberOps{Remove: []string{"u-7"}}, true},
		{"remove empty list", `{"op":"Remove","path":"members","value":[]}`, MemberOps{}, true},
		{"ENTRA_GROUP_6 remove by filter", `{"op":"remove","path":"members[value eq \"u-7\"]"}`, MemberOps{Remove: []string{"u-7"}}, true},
		{"remove by or filter", `{"op":"remove","path":"members[value eq \"u-7\" or value eq \"u-8\" or VALUE EQ \"u-9\"]"}`,
			MemberOps{Remove: []string{"u-7", "u-8", "u-9"}}, true},
		{"ENTRA_GROUP_7 rename", `{"op":"Replace","path":"displayName","value":"Finance Operations"}`,
			MemberOps{DisplayName: strp("Finance Operations")}, true},
		{"ENTRA_GROUP_8 mixed", `{"op":"Replace","path":"displayName","value":"FinOps"},{"op":"Add","path":"members","value":[{"value":"u-9"}]},{"op":"Remove","path":"members","value":[{"value":"u-9"}]}`,
			MemberOps{DisplayName: strp("FinOps"), Remove: []string{"u-9"}}, true},
		{"remove then add", `{"op":"Remove","path":"members","value":[{"value":"u-9"}]},{"op":"Add","path":"members","value":[{"value":"u-9"}]}`,
			MemberOps{Add: []Member{{Value: "u-9"}}}, true},
		{"add, remove, add", `{"op":"Add","path":"members","value":[{"value":"u-9"},{"value":"u-1"}]},{"op":"remove","path":"members[value eq \"u-9\"]"},{"op":"Add","path":"members","value":[{"value":"u-9","display":"N"}]}`,
			MemberOps{Add: []Member{{Value: "u-1"}, {Value: "u-9", Display: "N"}}}, true},
		{"OKTA_GROUP_2 path-less rename with id", `{"op":"replace","value":{"id":"g-5","displayName":"Design","schemas":["x"],"meta":{}}}`,
			MemberOps{DisplayName: strp("Design")}, true},
		{"OKTA_GROUP_3 delta", `{"op":"remove","path":"members[value eq \"u-4\"]"},{"op":"add","path":"members","value":[{"value":"u-1","display":"ada@corp.example"}]}`,
			MemberOps{Remove: []string{"u-4"}, Add: []Member{{Value: "u-1", Display: "ada@corp.example"}}}, true},
		{"path-less add of members", `{"op":"add","value":{"members":[{"value":"u-1","display":"A"}],"displayName":"Ops"}}`,
			MemberOps{DisplayName: strp("Ops"), Add: []Member{{Value: "u-1", Display: "A"}}}, true},
		{"URN-qualified", `{"op":"add","path":"urn:ietf:params:scim:schemas:core:2.0:Group:members","value":[{"value":"u-1"}]}`,
			MemberOps{Add: []Member{{Value: "u-1"}}}, true},

		{"OKTA_GROUP_4 replace members", `{"op":"replace","path":"members","value":[{"value":"u-1"}]}`, MemberOps{}, false},
		{"path-less members", `{"op":"replace","value":{"members":[{"value":"u-1"}]}}`, MemberOps{}, false},
		{"remove without value clears", `{"op":"Remove","path":"members"}`, MemberOps{}, false},
		{"remove with null value clears", `{"op":"Remove","path":"members","value":null}`, MemberOps{}, false},
		{"filter on display", `{"op":"remove","path":"members[display eq \"Ada\"]"}`, MemberOps{}, false},
		{"filter with and", `{"op":"remove","path":"members[value eq \"u-1\" and type eq \"User\"]"}`, MemberOps{}, false},
		{"filter with ne", `{"op":"remove","path":"members[value ne \"u-1\"]"}`, MemberOps{}, false},
		{"filter with sub-attribute", `{"op":"remove","path":"members[value eq \"u-1\"].display"}`, MemberOps{}, false},
		{"add by filter", `{"op":"add","path":"members[value eq \"u-1\"]","value":{"display":"x"}}`, MemberOps{}, false},
		{"member sub-attribute path", `{"op":"add","path":"members.display","value":"x"}`, MemberOps{}, false},
		{"other attribute", `{"op":"replace","path":"externalId","value":"x"}`, MemberOps{}, false},
		{"other id", `{"op":"replace","value":{"id":"g-6","displayName":"Design"}}`, MemberOps{}, false},
		{"remove displayName", `{"op":"remove","path":"displayName"}`, MemberOps{}, false},
		{"displayName not a string", `{"op":"replace","path":"displayName","value":7}`, MemberOps{}, false},
		{"member without value", `{"op":"add","path":"members","value":[{"display":"x"}]}`, MemberOps{}, false},
		{"member value not a string", `{"op":"add","path":"members","value":[{"value":7}]}`, MemberOps{}, false},
		{"member with unknown key", `{"op":"add","path":"members","value":[{"value":"u-1","primary":true}]}`, MemberOps{}, false},
		{"member as bare string", `{"op":"add","path":"members","value":["u-1"]}`, MemberOps{}, false},
		{"other schema", `{"op":"add","path":"urn:x:members","value":[{"value":"u-1"}]}`, MemberOps{}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			req, err := Parse([]byte(body(c.ops)))
			if err != nil {
				t.Fatal(err)
			}
			got, ok := req.MemberOps("g-5")
			if ok != c.ok {
				t.Fatalf("ok = %v, want %v (%+v)", ok, c.ok, got)
			}
			if !reflect.DeepEqual(got, c.want) {
				t.Errorf("got %s, want %s", fmtOps(got), fmtOps(c.want))
			}
		})
	}
}

func fmtOps(mo MemberOps) string {
	dn := "<nil>"
	if mo.DisplayName != nil {
		dn = *mo.DisplayName
	}
	return fmt.Sprintf("{DisplayName:%s Remove:%q Add:%+v}", dn, mo.Remove, mo.Add)
}

// applyMemberOps applies mo to a group tree the way a store would: Remove, then Add
// (skipping present members).
func applyMemberOps(g map[string]any, mo MemberOps) []string {
	var ids []string
	for _, m := range g["members"].([]any) {
		id := m.(map[string]any)["value"].(string)
		if !slices.Contains(mo.Remove, id) {
			ids = append(ids, id)
		}
	}
	for _, m := range mo.Add {
		if !slices.Contains(ids, m.Value) {
			ids = append(ids, m.Value)
		}
	}
	return ids
}

func memberIDs(g map[string]any) []string {
	var ids []string
	l, _ := g["members"].([]any)
	for _, m := range l {
		ids = append(ids, m.(map[string]any)["value"].(string))
	}
	return ids
}

// TestMemberOps_AgreesWithApply: for random sequences of member additions and
// removals, the net effect MemberOps reports gives the same membership as Apply.
func TestMemberOps_AgreesWithApply(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	id := func() string { return fmt.Sprintf("u-%d", rng.IntN(8)) }
	for n := range 500 {
		var ops []string
		for range 1 + rng.IntN(6) {
			switch rng.IntN(5) {
			case 4:
				ops = append(ops, `{"op":"add","value":{"members":[{"value":"`+id()+`"}]}}`)
			case 0:
				ops = append(ops, `{"op":"add","path":"members","value":[{"value":"`+id()+`"},{"value":"`+id()+`"}]}`)
			case 1:
				ops = append(ops, `{"op":"remove","path":"members","value":[{"value":"`+id()+`"}]}`)
			case 2:
				ops = append(ops, `{"op":"remove","path":"members[value eq \"`+id()+`\" or value eq \"`+id()+`\"]"}`)
			case 3:
				ops = append(ops, `{"op":"replace","path":"displayName","value":"G`+id()+`"}`)
			}
		}
		b := body(strings.Join(ops, ","))
		res := `{"id":"g-1","displayName":"G","members":[{"value":"u-1"},{"value":"u-3"},{"value":"u-5"}]}`
		req, err := Parse([]byte(b))
		if err != nil {
			t.Fatal(err)
		}
		mo, ok := req.MemberOps("g-1")
		if !ok {
			t.Fatalf("case %d: not recognised: %s", n, b)
		}
		for _, r := range mo.Remove {
			if slices.ContainsFunc(mo.Add, func(m Member) bool { return m.Value == r }) {
				t.Fatalf("case %d: %s in Add and Remove", n, r)
			}
		}
		out, _, err := applyRun(t, schema.GroupResourceType, res, b, Options{})
		if err != nil {
			t.Fatal(err)
		}
		want := memberIDs(out)
		got := applyMemberOps(decode(t, res), mo)
		slices.Sort(want)
		slices.Sort(got)
		if !slices.Equal(got, want) {
			t.Fatalf("case %d: %s\nMemberOps %s gives %v, Apply gives %v", n, b, fmtOps(mo), got, want)
		}
		if dn := out["displayName"]; (mo.DisplayName == nil && dn != "G") || (mo.DisplayName != nil && *mo.DisplayName != dn) {
			t.Fatalf("case %d: displayName %v vs %s", n, dn, fmtOps(mo))
		}
	}
}

// TestMemberOps_Large: folding is linear; 20,000 ids remove then re-add.
func TestMemberOps_Large(t *testing.T) {
	var add, rm strings.Builder
	for i := range 20000 {
		if i > 0 {
			add.WriteByte(',')
			rm.WriteByte(',')
		}
		fmt.Fprintf(&add, `{"value":"u-%d"}`, i)
		fmt.Fprintf(&rm, `{"value":"u-%d"}`, i)
	}
	req, err := Parse([]byte(body(`{"op":"remove","path":"members","value":[` + rm.String() + `]},{"op":"add","path":"members","value":[` + add.String() + `]}`)))
	if err != nil {
		t.Fatal(err)
	}
	mo, ok := req.MemberOps("g")
	if !ok || len(mo.Add) != 20000 || mo.Remove != nil {
		t.Fatalf("ok %v, %d adds, %d removes", ok, len(mo.Add), len(mo.Remove))
	}
}
