package patch

import (
	"testing"

	"github.com/scimkit/scimkit/schema"
)

// flagRows hold Entra ID's two shapes of one request (ENTRA-FLAG-1 to ENTRA-FLAG-6):
// the one a default tenant sends (old) and the one a tenant with the
// aadOptscim062020 flag sends (new).
var flagRows = []struct {
	id       string
	rt       *schema.ResourceType
	old, new string
}{
	{"ENTRA_FLAG_1_OpCasing", nil,
		`{"op":"Add","path":"title","value":"Lead"},{"op":"Replace","path":"displayName","value":"A"},{"op":"Remove","path":"preferredLanguage"}`,
		`{"op":"add","path":"title","value":"Lead"},{"op":"replace","path":"displayName","value":"A"},{"op":"remove","path":"preferredLanguage"}`},
	{"ENTRA_FLAG_2_DisableUser", nil,
		`{"op":"Replace","path":"active","value":"False"}`,
		`{"op":"replace","path":"active","value":false}`},
	{"ENTRA_FLAG_3_AddSingleValueString", nil,
		`{"op":"Add","path":"nickName","value":"Ada"}`,
		`{"op":"add","path":"nickName","value":"Ada"}`},
	{"ENTRA_FLAG_4_SeveralAttributes", nil,
		`{"op":"Replace","path":"emails[type eq \"work\"].value","value":"ada@new.example"},
		 {"op":"Replace","path":"name.givenName","value":"Augusta"},
		 {"op":"Replace","path":"name.familyName","value":"King"},
		 {"op":"Replace","path":"externalId","value":"Ada.K"},
		 {"op":"Replace","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber","value":"00413"},
		 {"op":"Add","path":"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager","value":"u-2"},
		 {"op":"Replace","path":"active","value":"False"}`,
		`{"op":"replace","path":"emails[type eq \"work\"].value","value":"ada@new.example"},
		 {"op":"replace","value":{"name.givenName":"Augusta","name.familyName":"King","externalId":"Ada.K",
		  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber":"00413",
		  "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager":{"value":"u-2"},"active":false}}`},
	{"ENTRA_FLAG_5_RemoveGroupMember", schema.GroupResourceType,
		`{"op":"Remove","path":"members","value":[{"value":"u-2"}]}`,
		`{"op":"remove","path":"members[value eq \"u-2\"]"}`},
	{"ENTRA_FLAG_6_Roles", nil,
		`{"op":"Add","path":"roles","value":[{"primary":"True","type":"WindowsAzureActiveDirectoryRole","value":"{\"id\":\"7\",\"value\":\"Admin\"}"}]}`,
		`{"op":"add","path":"roles","value":[{"primary":true,"type":"WindowsAzureActiveDirectoryRole","value":"{\"id\":\"7\",\"value\":\"Admin\"}"}]}`},
}

// ENTRA-FLAG-1, ENTRA-FLAG-2, ENTRA-FLAG-3, ENTRA-FLAG-4, ENTRA-FLAG-5, ENTRA-FLAG-6, ENTRA-FLAG-7: the default-tenant and flag-tenant form of each request give identical resources.
func TestOldAndNewEntraRequestsAgree(t *testing.T) {
	for _, row := range flagRows {
		t.Run(row.id, func(t *testing.T) {
			rt, bases := row.rt, []string{entraUser, `{"id":"u-1","userName":"ada"}`}
			if rt == nil {
				rt = schema.UserResourceType
			} else {
				bases = []string{group, `{"id":"g-1","displayName":"G","members":[{"value":"u-2"}]}`}
			}
			for _, base := range bases {
				oldOut, oldR, err := applyRun(t, rt, base, body(row.old), Options{})
				if err != nil {
					t.Fatalf("old form: %v", err)
				}
				newOut, newR, err := applyRun(t, rt, base, body(row.new), Options{})
				if err != nil {
					t.Fatalf("new form: %v", err)
				}
				if o, n := mustJSON(t, oldOut), mustJSON(t, newOut); o != n {
					t.Errorf("trees differ\n old %s\n new %s", o, n)
				}
				if oldR.Changed != newR.Changed || !oldR.Changed {
					t.Errorf("Changed: old %v, new %v", oldR.Changed, newR.Changed)
				}
			}
		})
	}
}
