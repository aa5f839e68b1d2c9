package sqlstoretest

import (
	"github.com/scimkit/scimkit/schema"
	"github.com/scimkit/scimkit/sqlstore"
)

// hostTables is what a host with tables of its own writes: where each SCIM attribute
// lives in them. The names differ from the owned tables' on purpose.
func hostTables(d sqlstore.Dialect, p string) *sqlstore.Tables {
	layout := ""
	if d == sqlstore.SQLite {
		layout = "2006-01-02 15:04:05.000000"
	}
	t := &sqlstore.Tables{
		TimeLayout: layout,
		Users: sqlstore.Table{
			Name: p + "people", Tenant: "workspace_id", ID: "person_id", Version: "row_version",
			Created: "created_at", Modified: "updated_at", Attributes: "scim_json",
			Columns: map[string]string{
				"userName":                               "login",
				"displayName":                            "full_name",
				"externalId":                             "idp_id",
				"active":                                 "enabled",
				"name.givenName":                         "first_name",
				"name.familyName":                        "last_name",
				"title":                                  "job_title",
				schema.EnterpriseUserURN + ":department": "dept",
				schema.EnterpriseUserURN + ":manager.value": "manager_ref",
			},
			Lists: map[string]sqlstore.List{
				"emails": {Name: p + "person_emails", Tenant: "workspace_id", Parent: "person_id", Position: "idx",
					Columns: map[string]string{"value": "address", "display": "label", "type": "kind", "primary": "main"}},
				"phoneNumbers": {Name: p + "person_phones", Tenant: "workspace_id", Parent: "person_id", Position: "idx",
					Columns: map[string]string{"value": "number", "display": "label", "type": "kind", "primary": "main"}},
			},
		},
		Groups: sqlstore.Table{
			Name: p + "teams", Tenant: "workspace_id", ID: "team_id", Version: "row_version",
			Created: "created_at", Modified: "updated_at", Attributes: "scim_json",
			Columns: map[string]string{"displayName": "name", "externalId": "idp_id"},
		},
		Members: sqlstore.Membership{Name: p + "team_members", Tenant: "workspace_id", Group: "team_id", Member: "person_id"},
	}
	if d == sqlstore.MariaDB || d == sqlstore.MySQL {
		// the lower-cased copies that hostDDL indexes
		t.Users.Folded = map[string]string{"userName": "login_lc"}
		t.Groups.Folded = map[string]string{"displayName": "name_lc"}
	}
	return t
}

// hostDDL creates the host's tables: its own schema, with case-insensitive unique
// login and team name per workspace.
func hostDDL(d sqlstore.Dialect, p string) []string {
	id, txt, ts, boolean := "text", "text", "timestamptz", "boolean"
	switch d {
	case sqlstore.SQLite:
		ts, boolean = "text", "integer"
	case sqlstore.MariaDB, sqlstore.MySQL:
		id, txt, ts = "varchar(200) COLLATE utf8mb4_nopad_bin", "text COLLATE utf8mb4_nopad_bin", "datetime(6)"
	}
	my := d == sqlstore.MariaDB || d == sqlstore.MySQL
	uniqueLower := func(tbl, col string) []string {
		if my {
			return []string{col + "_lc varchar(200) COLLATE utf8mb4_nopad_bin AS (lower(" + col + ")) STORED",
				"UNIQUE KEY " + tbl + "_" + col + " (workspace_id, " + col + "_lc)"}
		}
		return nil
	}
	var out, idx []string
	table := func(name string, cols ...string) {
		s := "CREATE TABLE " + name + " ("
		for i, c := range cols {
			if i > 0 {
				s += ", "
			}
			s += c
		}
		out = append(out, s+")")
	}
	people := []string{"workspace_id " + id + " NOT NULL", "person_id " + id + " NOT NULL", "row_version bigint NOT NULL",
		"created_at " + ts + " NOT NULL", "updated_at " + ts + " NOT NULL", "scim_json " + txt + " NOT NULL",
		"login " + id + " NOT NULL", "full_name " + txt, "idp_id " + txt, "enabled " + boolean, "first_name " + txt,
		"last_name " + txt, "job_title " + txt, "dept " + txt, "manager_ref " + txt, "PRIMARY KEY (workspace_id, person_id)"}
	people = append(people, uniqueLower(p+"people", "login")...)
	table(p+"people", people...)
	for _, l := range []string{"person_emails", "person_phones"} {
		table(p+l, "workspace_id "+id+" NOT NULL", "person_id "+id+" NOT NULL", "idx integer NOT NULL",
			map[string]string{"person_emails": "address", "person_phones": "number"}[l]+" "+txt, "label "+txt, "kind "+txt,
			"main "+boolean+" NOT NULL", "PRIMARY KEY (workspace_id, person_id, idx)")
	}
	teams := []string{"workspace_id " + id + " NOT NULL", "team_id " + id + " NOT NULL", "row_version bigint NOT NULL",
		"created_at " + ts + " NOT NULL", "updated_at " + ts + " NOT NULL", "scim_json " + txt + " NOT NULL",
		"name " + id, "idp_id " + txt, "PRIMARY KEY (workspace_id, team_id)"}
	teams = append(teams, uniqueLower(p+"teams", "name")...)
	table(p+"teams", teams...)
	table(p+"team_members", "workspace_id "+id+" NOT NULL", "team_id "+id+" NOT NULL", "person_id "+id+" NOT NULL",
		"PRIMARY KEY (workspace_id, team_id, person_id)")
	if !my {
		idx = append(idx, "CREATE UNIQUE INDEX "+p+"people_login ON "+p+"people (workspace_id, lower(login))",
			"CREATE UNIQUE INDEX "+p+"teams_name ON "+p+"teams (workspace_id, lower(name))")
	}
	return append(out, idx...)
}
