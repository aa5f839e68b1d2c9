package sqlstore

import (
	"maps"
	"slices"
)

// Tables describes, in one place, where the SCIM resources live in a database: the
// only thing a host writes to serve SCIM from its own tables. Every statement, scan
// and filter translation of a Store is derived from it.
//
// Names are SQL identifiers written into statements as they are: they come from the
// host's code, never from a request.
type Tables struct {
	Users  Table // the users; its Lists may hold "emails", "phoneNumbers", …
	Groups Table // the groups; its Lists must be empty
	// Members is the membership table: one row per (group, user).
	Members Membership
	// TimeLayout says how the Created and Modified columns store instants. "" means
	// a timestamp type (PostgreSQL timestamptz, MySQL/MariaDB DATETIME(6), read
	// with the driver's parseTime=true); otherwise text in this fixed-width layout of
	// package time, such as "2006-01-02T15:04:05.000000Z", which SQLite needs.
	TimeLayout string
}

// Names returns the tables t describes, child tables first: the membership table,
// the users' list tables (in the order of their attribute names), the groups' and
// the users' tables; the order in which they can be dropped.
func (t *Tables) Names() []string {
	names := []string{t.Members.Name}
	for _, a := range slices.Sorted(maps.Keys(t.Users.Lists)) {
		names = append(names, t.Users.Lists[a].Name)
	}
	return append(names, t.Groups.Name, t.Users.Name)
}

// A Table is the table of one resource type.
type Table struct {
	Name     string // the table
	Tenant   string // the tenant column (text); "" when the table serves one tenant
	ID       string // the id column (text); with Tenant, the primary key
	Version  string // an integer column, incremented on every write: meta.version
	Created  string // meta.created
	Modified string // meta.lastModified
	// Attributes is a text (or JSON) column holding, as SCIM JSON, every attribute
	// that has no column or list of its own, so that it reads back verbatim.
	Attributes string
	// Document, for the users table only, makes Attributes hold the whole user
	// (but id, meta and groups), and Columns and Lists copies of parts of it,
	// written in the same statements and kept for filters, sorting and uniqueness.
	// A read then decodes the Attributes column alone and reads no child table.
	// Set it only where nothing but the Store writes the table; the owned users
	// table does.
	Document bool
	// Columns maps the canonical path of a single-valued string, reference or
	// boolean attribute, or sub-attribute, to its column: "userName" to
	// "user_name", "name.givenName" to "given_name", schema.EnterpriseUserURN +
	// ":manager.value" to "manager_id". Text columns hold NULL for an unassigned
	// attribute; booleans a boolean (MySQL and SQLite: a 0/1 integer).
	Columns map[string]string
	// Lists maps a multi-valued complex attribute such as "emails" to the child
	// table that holds one row per value.
	Lists map[string]List
	// Folded, on MariaDB and MySQL, maps a Columns path whose attribute is not
	// caseExact (such as "userName") to a column holding lower() of its column in a
	// binary, no-pad collation, with an index: eq filters then find the row through
	// that index (see sqlfilter.Mapping.Folded). Other dialects ignore it.
	Folded map[string]string
}

// A List is the child table of a multi-valued complex attribute.
type List struct {
	Name     string // the table
	Tenant   string // the tenant column, or "" when Table.Tenant is ""
	Parent   string // the column holding the id of the resource
	Position string // an integer column keeping the values in order
	// Columns maps every sub-attribute of the attribute ("value", "display",
	// "type", "primary") to its column.
	Columns map[string]string
}

// Membership is the table of group members. Members are users; nested groups are not
// supported.
type Membership struct {
	Name    string // the table
	Tenant  string // the tenant column, or "" when Table.Tenant is ""
	Group   string // the group's id
	Member  string // the user's id
	Display string // the member's display as the client sent it; "" to keep none
}
