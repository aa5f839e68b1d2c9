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

import (
	"bytes"
	"encoding/json"
	"strconv"
	"time"

	"github.com/scimkit/scimkit/scim"
)

// userColumns maps the SCIM User attributes that filters and sortBy may use to SQL
// over members (alias m). Attributes that are not here are stored but cannot be
// filtered on: such a filter fails with 400 invalidFilter rather than being ignored.
var userColumns = map[string]column{
	"id":                           {sql: "m.id", caseExact: true},
	"userName":                     {sql: "m.user_name"},
	"externalId":                   {sql: "m.external_id", caseExact: true},
	"displayName":                  {sql: "m.display_name"},
	"name.formatted":               {sql: "m.name_formatted"},
	"name.givenName":               {sql: "m.given_name"},
	"name.familyName":              {sql: "m.family_name"},
	"name.middleName":              {sql: "m.middle_name"},
	"name.honorificPrefix":         {sql: "m.honorific_prefix"},
	"name.honorificSuffix":         {sql: "m.honorific_suffix"},
	"title":                        {sql: "m.title"},
	"active":                       {sql: "m.active", kind: kindBool},
	"meta.created":                 {sql: "m.created_at", kind: kindTime},
	"meta.lastModified":            {sql: "m.updated_at", kind: kindTime},
	enterprise + ":employeeNumber": {sql: "m.employee_number"},
	enterprise + ":costCenter":     {sql: "m.cost_center"},
	enterprise + ":organization":   {sql: "m.organization"},
	enterprise + ":division":       {sql: "m.division"},
	enterprise + ":department":     {sql: "m.department"},
	enterprise + ":manager.value":  {sql: "m.manager_id", caseExact: true},
	// emails is multi-valued: a filter on it is an EXISTS over member_emails (alias e).
	"emails.value":   {sql: "e.value", table: emailsTable},
	"emails.type":    {sql: "e.type", table: emailsTable},
	"emails.display": {sql: "e.display", table: emailsTable},
	"emails.primary": {sql: "e.is_primary", table: emailsTable, kind: kindBool},
}

// groupColumns does the same for SCIM Groups over teams (alias t).
var groupColumns = map[string]column{
	"id":                {sql: "t.id", caseExact: true},
	"displayName":       {sql: "t.display_name"},
	"externalId":        {sql: "t.external_id", caseExact: true},
	"meta.created":      {sql: "t.created_at", kind: kindTime},
	"meta.lastModified": {sql: "t.updated_at", kind: kindTime},
	// members is multi-valued: a filter on it is an EXISTS over team_members (alias tm).
	"members.value": {sql: "tm.member_id", table: membersTable, caseExact: true},
}

const enterprise = scim.EnterpriseUserSchema

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
	ManagerName                                                    string // read only
	Attributes                                                     []byte // scim_attributes: JSON of userRest
	Emails                                                         []scim.MultiValue
	Version                                                        int64
	Created, Updated                                               time.Time
}

// userRest is what scim_attributes holds: the SCIM attributes the app has no column
// for, under their SCIM names.
type userRest struct {
	NickName          string                    `json:"nickName,omitempty"`
	ProfileURL        string                    `json:"profileUrl,omitempty"`
	UserType          string                    `json:"userType,omitempty"`
	PreferredLanguage string                    `json:"preferredLanguage,omitempty"`
	Locale            string                    `json:"locale,omitempty"`
	Timezone          string                    `json:"timezone,omitempty"`
	PhoneNumbers      []scim.MultiValue         `json:"phoneNumbers,omitempty"`
	IMs               []scim.MultiValue         `json:"ims,omitempty"`
	Photos            []scim.MultiValue         `json:"photos,omitempty"`
	Addresses         []scim.Address            `json:"addresses,omitempty"`
	Entitlements      []scim.MultiValue         `json:"entitlements,omitempty"`
	Roles             []scim.MultiValue         `json:"roles,omitempty"`
	X509Certificates  []scim.MultiValue         `json:"x509Certificates,omitempty"`
	Extensions        map[string]map[string]any `json:"extensions,omitempty"`
	// EnterpriseSet remembers an Enterprise extension present with no attribute set.
	EnterpriseSet bool `json:"enterprise,omitempty"`
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
	rest := userRest{
		NickName: u.NickName, ProfileURL: u.ProfileURL, UserType: u.UserType,
		PreferredLanguage: u.PreferredLanguage, Locale: u.Locale, Timezone: u.Timezone,
		PhoneNumbers: u.PhoneNumbers, IMs: u.IMs, Photos: u.Photos, Addresses: u.Addresses,
		Entitlements: u.Entitlements, Roles: u.Roles, X509Certificates: u.X509Certificates,
		Extensions: u.Extensions,
	}
	if e := u.Enterprise; e != nil {
		r.EmployeeNumber, r.CostCenter, r.Organization = e.EmployeeNumber, e.CostCenter, e.Organization
		r.Division, r.Department = e.Division, e.Department
		if e.Manager != nil {
			r.ManagerID = e.Manager.Value
		}
		rest.EnterpriseSet = *e == scim.EnterpriseUser{}
	}
	var err error
	r.Attributes, err = json.Marshal(rest)
	return r, err
}

// user maps a members row back onto a SCIM User. groups is the user's teams.
func (r *memberRow) user(groups []scim.GroupRef) (*scim.User, error) {
	var rest userRest
	dec := json.NewDecoder(bytes.NewReader(r.Attributes))
	dec.UseNumber() // extension numbers stay exact, as json.Number
	if err := dec.Decode(&rest); err != nil {
		return nil, err
	}
	u := &scim.User{
		ID:                r.ID,
		ExternalID:        r.ExternalID,
		UserName:          r.UserName,
		DisplayName:       r.DisplayName,
		NickName:          rest.NickName,
		ProfileURL:        rest.ProfileURL,
		Title:             r.Title,
		UserType:          rest.UserType,
		PreferredLanguage: rest.PreferredLanguage,
		Locale:            rest.Locale,
		Timezone:          rest.Timezone,
		Active:            r.Active,
		Emails:            r.Emails,
		PhoneNumbers:      rest.PhoneNumbers,
		IMs:               rest.IMs,
		Photos:            rest.Photos,
		Addresses:         rest.Addresses,
		Entitlements:      rest.Entitlements,
		Roles:             rest.Roles,
		X509Certificates:  rest.X509Certificates,
		Groups:            groups,
		Extensions:        rest.Extensions,
		Meta: scim.Meta{
			Created:      r.Created,
			LastModified: r.Updated,
			Version:      version(r.Version),
		},
	}
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
		ent.Manager = &scim.Manager{Value: r.ManagerID, DisplayName: r.ManagerName}
	}
	if ent != (scim.EnterpriseUser{}) || rest.EnterpriseSet {
		u.Enterprise = &ent
	}
	return u, nil
}

// A teamRow is one row of teams, as this package reads and writes it.
type teamRow struct {
	ID, DisplayName, ExternalID string
	Attributes                  []byte // scim_attributes: JSON of groupRest
	Version                     int64
	Created, Updated            time.Time
}

// groupRest is what a team's scim_attributes holds.
type groupRest struct {
	Extensions map[string]map[string]any `json:"extensions,omitempty"`
}

// teamFromGroup maps a SCIM Group onto a teams row; members are mapped by the caller.
func teamFromGroup(g *scim.Group) (teamRow, error) {
	attrs, err := json.Marshal(groupRest{Extensions: g.Extensions})
	return teamRow{
		ID:          g.ID,
		DisplayName: g.DisplayName,
		ExternalID:  g.ExternalID,
		Attributes:  attrs,
		Created:     g.Meta.Created,
		Updated:     g.Meta.LastModified,
	}, err
}

// group maps a teams row back onto a SCIM Group; members is nil when not loaded.
func (r *teamRow) group(members []scim.Member) (*scim.Group, error) {
	var rest groupRest
	dec := json.NewDecoder(bytes.NewReader(r.Attributes))
	dec.UseNumber()
	if err := dec.Decode(&rest); err != nil {
		return nil, err
	}
	return &scim.Group{
		ID:          r.ID,
		ExternalID:  r.ExternalID,
		DisplayName: r.DisplayName,
		Members:     members,
		Extensions:  rest.Extensions,
		Meta:        scim.Meta{Created: r.Created, LastModified: r.Updated, Version: version(r.Version)},
	}, nil
}

// version is how a row's version counter appears as a SCIM meta.version (and ETag).
func version(v int64) string { return strconv.FormatInt(v, 10) }
