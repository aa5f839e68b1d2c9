package scimstore

// This file is the part of the workspace app that a team adopting scimkit writes for
// its own product: where each SCIM attribute lives in the app's tables, and back.
// Everything else in this package is plumbing that reads from here.
//
// A SCIM User is a row of members:
//
//	SCIM User attribute                     members column          used by the app for
//	──────────────────────────────────────  ──────────────────────  ─────────────────────
//	id                                      id                      everything
//	userName                                user_name               sign-in (unique per workspace, any case)
//	externalId                              external_id             (the IdP's own id; not unique)
//	displayName                             display_name            names on bookings and teams
//	name.formatted … name.honorificSuffix   name_formatted …        the people list
//	title                                   title                   the people list
//	active                                  active                  false: no sign-in, no booking
//	emails                                  member_emails rows      sign-in by any email
//	enterprise employeeNumber … department  employee_number …       the people list (department)
//	enterprise manager                      manager_id              (kept for the IdP)
//	every other attribute                   scim_attributes (JSON)  nothing; kept so it reads back verbatim
//	groups (read-only)                      team_members rows       teams
//	meta.created, meta.lastModified         created_at, updated_at
//	meta.version                            version                 ETags and If-Match
//
// A SCIM Group is a row of teams; its members are rows of team_members:
//
//	SCIM Group attribute   teams column / table
//	─────────────────────  ────────────────────────────────────────────────
//	id                     id
//	displayName            display_name (unique per workspace, any case)
//	externalId             external_id
//	members                team_members (team_id, member_id); users only, no nested groups
//	extensions             scim_attributes (JSON)
//
// Deleting a User marks the member deleted (deleted_at) instead of removing the row:
// the member leaves every team and disappears from SCIM and from the app, while the
// bookings they made stay in the history.
//
// Filters are translated to SQL by filter/sqlfilter through userFilters and
// groupFilters below: every attribute can be filtered on, the ones in columns through
// their indexes, the ones kept in scim_attributes by reading the JSON.

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"

	"github.com/scimkit/scimkit/examples/workspace/store"
	"github.com/scimkit/scimkit/filter/sqlfilter"
	"github.com/scimkit/scimkit/schema"
	"github.com/scimkit/scimkit/scim"
)

// A memberRow is one row of members with its emails, as this package reads and
// writes it. Empty strings are stored as NULL.
type memberRow struct {
	ID, UserName, ExternalID, DisplayName                          string
	NameFormatted, GivenName, FamilyName, MiddleName               string
	HonorificPrefix, HonorificSuffix                               string
	Title                                                          string
	Active                                                         bool
	EmployeeNumber, CostCenter, Organization, Division, Department string
	ManagerID                                                      string
	Rest                                                           []byte // scim_attributes
	Emails                                                         []scim.MultiValue
	Version                                                        int64
	Created, Updated                                               time.Time
}

// memberFromUser maps a SCIM User onto a members row.
func memberFromUser(u *scim.User) (memberRow, error) {
	r := memberRow{
		ID:          u.ID,
		UserName:    u.UserName,
		ExternalID:  u.ExternalID,
		DisplayName: u.DisplayName,
		Title:       u.Title,
		Active:      u.Active,
		Emails:      u.Emails,
		Created:     u.Meta.Created,
		Updated:     u.Meta.LastModified,
	}
	if n := u.Name; n != nil {
		r.NameFormatted, r.GivenName, r.FamilyName = n.Formatted, n.GivenName, n.FamilyName
		r.MiddleName, r.HonorificPrefix, r.HonorificSuffix = n.MiddleName, n.HonorificPrefix, n.HonorificSuffix
	}
	if e := u.Enterprise; e != nil {
		r.EmployeeNumber, r.CostCenter, r.Organization = e.EmployeeNumber, e.CostCenter, e.Organization
		r.Division, r.Department = e.Division, e.Department
		if e.Manager != nil {
			r.ManagerID = e.Manager.Value
		}
	}
	// What has no column is kept as SCIM JSON, under the attributes' SCIM names.
	rest := &scim.User{
		NickName: u.NickName, ProfileURL: u.ProfileURL, UserType: u.UserType,
		PreferredLanguage: u.PreferredLanguage, Locale: u.Locale, Timezone: u.Timezone,
		PhoneNumbers: u.PhoneNumbers, IMs: u.IMs, Photos: u.Photos, Addresses: u.Addresses,
		Entitlements: u.Entitlements, Roles: u.Roles, X509Certificates: u.X509Certificates,
		Extensions: u.Extensions,
	}
	var err error
	r.Rest, err = restJSON(rest.Tree())
	return r, err
}

// user maps a members row back onto a SCIM User; groups are the member's teams.
func (r *memberRow) user(groups []scim.GroupRef) (*scim.User, error) {
	tree, err := restTree(r.Rest)
	if err != nil {
		return nil, err
	}
	u, err := scim.UserFromTree(tree) // the attributes that have no column
	if err != nil {
		return nil, err
	}
	u.ID = r.ID
	u.UserName = r.UserName
	u.ExternalID = r.ExternalID
	u.DisplayName = r.DisplayName
	u.Title = r.Title
	u.Active = r.Active
	u.Emails = r.Emails
	u.Groups = groups
	name := scim.Name{
		Formatted: r.NameFormatted, GivenName: r.GivenName, FamilyName: r.FamilyName,
		MiddleName: r.MiddleName, HonorificPrefix: r.HonorificPrefix, HonorificSuffix: r.HonorificSuffix,
	}
	if name != (scim.Name{}) {
		u.Name = &name
	}
	ent := scim.EnterpriseUser{
		EmployeeNumber: r.EmployeeNumber, CostCenter: r.CostCenter, Organization: r.Organization,
		Division: r.Division, Department: r.Department,
	}
	if r.ManagerID != "" {
		ent.Manager = &scim.Manager{Value: r.ManagerID}
	}
	if ent != (scim.EnterpriseUser{}) {
		u.Enterprise = &ent
	}
	u.Meta = scim.Meta{Created: r.Created, LastModified: r.Updated, Version: version(r.Version)}
	return u, nil
}

// A teamRow is one row of teams, as this package reads and writes it.
type teamRow struct {
	ID, DisplayName, ExternalID string
	Rest                        []byte // scim_attributes: the group's extensions
	Version                     int64
	Created, Updated            time.Time
}

// teamFromGroup maps a SCIM Group onto a teams row; members are mapped by the caller.
func teamFromGroup(g *scim.Group) (teamRow, error) {
	rest, err := restJSON((&scim.Group{Extensions: g.Extensions}).Tree())
	return teamRow{
		ID:          g.ID,
		DisplayName: g.DisplayName,
		ExternalID:  g.ExternalID,
		Rest:        rest,
		Created:     g.Meta.Created,
		Updated:     g.Meta.LastModified,
	}, err
}

// group maps a teams row back onto a SCIM Group; members is nil when not loaded.
func (r *teamRow) group(members []scim.Member) (*scim.Group, error) {
	tree, err := restTree(r.Rest)
	if err != nil {
		return nil, err
	}
	g, err := scim.GroupFromTree(tree)
	if err != nil {
		return nil, err
	}
	g.ID, g.DisplayName, g.ExternalID, g.Members = r.ID, r.DisplayName, r.ExternalID, members
	g.Meta = scim.Meta{Created: r.Created, LastModified: r.Updated, Version: version(r.Version)}
	return g, nil
}

// version is how a row's version counter appears as a SCIM meta.version (and ETag).
func version(v int64) string { return strconv.FormatInt(v, 10) }

// UserMapping returns where each SCIM User attribute is kept in database d, as
// filters read it: for pages that describe the mapping, such as the admin's
// attribute table.
func UserMapping(d store.Dialect) *sqlfilter.Mapping { return userFilters(d) }

// GroupMapping is UserMapping for SCIM Groups.
func GroupMapping(d store.Dialect) *sqlfilter.Mapping { return groupFilters(d) }

// userFilters says how a filter on SCIM Users reads the members row m.
func userFilters(d store.Dialect) *sqlfilter.Mapping {
	j := jsonAttrs(d)
	return &sqlfilter.Mapping{
		ResourceType: schema.UserResourceType,
		Dialect:      sqlDialect(d),
		TimeLayout:   d.TimeLayout(),
		Columns: map[string]string{
			"id":                           "m.id",
			"userName":                     "m.user_name",
			"externalId":                   "m.external_id",
			"displayName":                  "m.display_name",
			"name.formatted":               "m.name_formatted",
			"name.givenName":               "m.given_name",
			"name.familyName":              "m.family_name",
			"name.middleName":              "m.middle_name",
			"name.honorificPrefix":         "m.honorific_prefix",
			"name.honorificSuffix":         "m.honorific_suffix",
			"title":                        "m.title",
			"active":                       "m.active",
			"meta.created":                 "m.created_at",
			"meta.lastModified":            "m.updated_at",
			enterprise + ":employeeNumber": "m.employee_number",
			enterprise + ":costCenter":     "m.cost_center",
			enterprise + ":organization":   "m.organization",
			enterprise + ":division":       "m.division",
			enterprise + ":department":     "m.department",
			enterprise + ":manager.value":  "m.manager_id",
			// kept in scim_attributes
			"nickName":          j.field("nickName"),
			"profileUrl":        j.field("profileUrl"),
			"userType":          j.field("userType"),
			"preferredLanguage": j.field("preferredLanguage"),
			"locale":            j.field("locale"),
			"timezone":          j.field("timezone"),
		},
		Tables: map[string]sqlfilter.Table{
			"emails": {From: "member_emails e", Join: "e.member_id = m.id", Columns: map[string]string{
				"value": "e.value", "type": "e.type", "display": "e.display", "primary": "e.is_primary"}},
			"groups": {From: "team_members gm", Join: "gm.member_id = m.id", Columns: map[string]string{
				"value": "gm.team_id", "type": "'direct'",
				"display": "(SELECT gt.display_name FROM teams gt WHERE gt.id = gm.team_id)"}},
			// kept in scim_attributes
			"phoneNumbers":     j.list("phoneNumbers", "ph", "value", "display", "type"),
			"ims":              j.list("ims", "im", "value", "display", "type"),
			"photos":           j.list("photos", "ph", "value", "display", "type"),
			"entitlements":     j.list("entitlements", "en", "value", "display", "type"),
			"roles":            j.list("roles", "ro", "value", "display", "type"),
			"x509Certificates": j.list("x509Certificates", "xc", "value", "display", "type"),
			"addresses": j.list("addresses", "ad", "formatted", "streetAddress", "locality", "region",
				"postalCode", "country", "type"),
		},
	}
}

// groupFilters says how a filter on SCIM Groups reads the teams row t.
func groupFilters(d store.Dialect) *sqlfilter.Mapping {
	return &sqlfilter.Mapping{
		ResourceType: schema.GroupResourceType,
		Dialect:      sqlDialect(d),
		TimeLayout:   d.TimeLayout(),
		Columns: map[string]string{
			"id":                "t.id",
			"displayName":       "t.display_name",
			"externalId":        "t.external_id",
			"meta.created":      "t.created_at",
			"meta.lastModified": "t.updated_at",
		},
		Tables: map[string]sqlfilter.Table{
			"members": {From: "team_members tm", Join: "tm.team_id = t.id", Columns: map[string]string{
				"value": "tm.member_id", "type": "'User'",
				"display": "(SELECT COALESCE(mm.display_name, mm.user_name) FROM members mm WHERE mm.id = tm.member_id)"}},
		},
	}
}

// sortPrimaryEmail is what sortBy=emails orders by: the primary email, or else the first.
const sortPrimaryEmail = `(SELECT e.value FROM member_emails e WHERE e.member_id = m.id
	ORDER BY e.is_primary DESC, e.position LIMIT 1)`

const enterprise = schema.EnterpriseUserURN

// restJSON encodes a resource tree for scim_attributes, without what has columns.
func restJSON(tree map[string]any) ([]byte, error) {
	delete(tree, "active")
	delete(tree, "meta")
	return json.Marshal(tree)
}

// restTree decodes scim_attributes; numbers stay exact (json.Number).
func restTree(data []byte) (map[string]any, error) {
	var tree map[string]any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	err := dec.Decode(&tree)
	return tree, err
}
