package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"github.com/scimkit/scimkit/schema"
)

// DefaultPrefix is the name prefix of the owned tables when Options.Tables is nil.
const DefaultPrefix = "scim_"

// ownedTimeLayout is how the owned tables store meta.created and meta.lastModified:
// fixed-width UTC text, the same in every dialect, so that text order is time order.
const ownedTimeLayout = "2006-01-02T15:04:05.000000Z"

// ownedUserColumns are the user attributes that get a column of their own in the
// owned tables; every other attribute is kept in the attrs column.
var ownedUserColumns = map[string]string{
	"userName":             "user_name",
	"externalId":           "external_id",
	"displayName":          "display_name",
	"nickName":             "nick_name",
	"title":                "title",
	"userType":             "user_type",
	"active":               "active",
	"preferredLanguage":    "preferred_language",
	"locale":               "locale",
	"timezone":             "timezone",
	"name.formatted":       "name_formatted",
	"name.givenName":       "given_name",
	"name.familyName":      "family_name",
	"name.middleName":      "middle_name",
	"name.honorificPrefix": "honorific_prefix",
	"name.honorificSuffix": "honorific_suffix",
	schema.EnterpriseUserURN + ":employeeNumber": "employee_number",
	schema.EnterpriseUserURN + ":costCenter":     "cost_center",
	schema.EnterpriseUserURN + ":organization":   "organization",
	schema.EnterpriseUserURN + ":division":       "division",
	schema.EnterpriseUserURN + ":department":     "department",
	schema.EnterpriseUserURN + ":manager.value":  "manager_id",
}

// Owned returns the description of the tables that sqlstore creates itself, with
// names starting with prefix (letters, digits and underscores): prefix+"users",
// prefix+"user_emails", prefix+"groups" and prefix+"group_members". Every table has a
// tenant column. DDL returns the statements that create them.
func Owned(d Dialect, prefix string) *Tables {
	t := &Tables{
		TimeLayout: ownedTimeLayout,
		Users: Table{
			Name: prefix + "users", Tenant: "tenant", ID: "id", Version: "version",
			Created: "created", Modified: "modified", Attributes: "attrs", Document: true,
			Columns: ownedUserColumns,
			Lists: map[string]List{"emails": {
				Name: prefix + "user_emails", Tenant: "tenant", Parent: "user_id", Position: "pos",
				Columns: map[string]string{"value": "value", "display": "display", "type": "type", "primary": "is_primary"},
			}},
		},
		Groups: Table{
			Name: prefix + "groups", Tenant: "tenant", ID: "id", Version: "version",
			Created: "created", Modified: "modified", Attributes: "attrs",
			Columns: map[string]string{"displayName": "display_name", "externalId": "external_id"},
		},
		Members: Membership{Name: prefix + "group_members", Tenant: "tenant", Group: "group_id", Member: "user_id", Display: "display"},
	}
	if d.mysqlLike() {
		t.Users.Folded = map[string]string{"userName": foldedColumn(t.Users.Columns["userName"])}
		t.Groups.Folded = map[string]string{"displayName": foldedColumn(t.Groups.Columns["displayName"])}
	}
	return t
}

// foldedColumn names the owned tables' MariaDB and MySQL column that holds
// lower(col).
func foldedColumn(col string) string { return col + "_folded" }

// DDL returns the statements that create the owned tables (see Owned) in dialect d,
// for a host that runs its own migration tool. Every statement is idempotent
// (CREATE … IF NOT EXISTS). userName and group displayName are unique per tenant
// ignoring case: PostgreSQL and SQLite through a unique index on lower(column),
// MariaDB and MySQL through a stored generated column lower(column) with a binary,
// no-pad collation (so that "ada" and "ada " differ, as they do elsewhere).
//
// No index starts with the tenant column: every key has it last. So each lookup
// (by id, userName, externalId, email, member) can use only the index on its own
// key, whatever the statistics say, also in a plan a database made while a table
// was nearly empty (PostgreSQL's generic plans); none can reach the row through an
// index that narrows only the tenant. A list of a whole tenant reads the table.
//
// Per-dialect limits: MariaDB and MySQL hold at most 255 characters in the indexed
// columns (tenant, id, userName, displayName, externalId, email values); SQLite's
// lower() folds only ASCII letters, so "ÉMILE" and "émile" are two userNames there.
func DDL(d Dialect, prefix string) []string {
	if strings.Trim(prefix, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != "" {
		panic(fmt.Sprintf("sqlstore: table prefix %q is not made of letters, digits and underscores", prefix))
	}
	t := Owned(d, prefix)
	key, text, long, boolean, integer := "text", "text", "text", "boolean", "bigint"
	switch d {
	case SQLite:
		boolean, integer = "integer", "integer"
	case MariaDB:
		key, text, long, boolean = "varchar(255) COLLATE utf8mb4_nopad_bin", "text COLLATE utf8mb4_nopad_bin", "longtext COLLATE utf8mb4_nopad_bin", "boolean"
	case MySQL:
		key, text, long, boolean = "varchar(255) COLLATE utf8mb4_0900_bin", "text COLLATE utf8mb4_0900_bin", "longtext COLLATE utf8mb4_0900_bin", "boolean"
	}
	my := d.mysqlLike()
	suffix := ""
	if my {
		suffix = " DEFAULT CHARSET=utf8mb4"
	}
	// indexed columns need a key type in MariaDB/MySQL
	keyed := map[string]bool{"user_name": true, "display_name": true, "external_id": true}
	var tables, indexes []string
	table := func(name string, cols []string) {
		tables = append(tables, "CREATE TABLE IF NOT EXISTS "+name+" (\n\t"+strings.Join(cols, ",\n\t")+"\n)"+suffix)
	}
	// index adds an index of tbl: inline in MariaDB/MySQL, whose CREATE INDEX has
	// no IF NOT EXISTS everywhere.
	index := func(cols *[]string, unique bool, tbl, name, on string) {
		kw := ""
		if unique {
			kw = "UNIQUE "
		}
		if my {
			*cols = append(*cols, kw+"KEY "+tbl+"_"+name+" ("+on+")")
			return
		}
		indexes = append(indexes, "CREATE "+kw+"INDEX IF NOT EXISTS "+tbl+"_"+name+" ON "+tbl+" ("+on+")")
	}
	// folded adds case-insensitive uniqueness of col per tenant.
	folded := func(cols *[]string, tbl, col string) {
		if my {
			*cols = append(*cols, foldedColumn(col)+" "+key+" AS (lower("+col+")) STORED")
			index(cols, true, tbl, col, foldedColumn(col)+", tenant")
			return
		}
		index(cols, true, tbl, col, "lower("+col+"), tenant")
	}
	resource := func(tb Table, extra []string, unique string) {
		cols := []string{"tenant " + key + " NOT NULL", "id " + key + " NOT NULL", "version " + integer + " NOT NULL",
			"created " + key + " NOT NULL", "modified " + key + " NOT NULL", "attrs " + long + " NOT NULL"}
		cols = append(cols, extra...)
		cols = append(cols, "PRIMARY KEY (id, tenant)")
		folded(&cols, tb.Name, unique)
		index(&cols, false, tb.Name, "external_id", "external_id, tenant")
		table(tb.Name, cols)
	}
	var ucols []string
	for _, path := range sortedKeys(t.Users.Columns) {
		col := t.Users.Columns[path]
		switch {
		case col == "active":
			ucols = append(ucols, col+" "+boolean)
		case keyed[col]:
			ucols = append(ucols, col+" "+key)
		default:
			ucols = append(ucols, col+" "+text)
		}
	}
	resource(t.Users, ucols, "user_name")
	resource(t.Groups, []string{"display_name " + key, "external_id " + key}, "display_name")

	e := t.Users.Lists["emails"]
	ecols := []string{"tenant " + key + " NOT NULL", "user_id " + key + " NOT NULL", "pos " + integer + " NOT NULL",
		"value " + key, "display " + text, "type " + key, "is_primary " + boolean + " NOT NULL",
		"PRIMARY KEY (user_id, tenant, pos)"}
	if my {
		index(&ecols, false, e.Name, "value", "value, tenant")
	} else {
		index(&ecols, false, e.Name, "value", "lower(value), tenant")
	}
	table(e.Name, ecols)

	m := t.Members
	mcols := []string{"tenant " + key + " NOT NULL", "group_id " + key + " NOT NULL", "user_id " + key + " NOT NULL",
		"display " + text, "PRIMARY KEY (group_id, user_id, tenant)"}
	index(&mcols, false, m.Name, "user_id", "user_id, tenant")
	table(m.Name, mcols)
	return append(tables, indexes...)
}

// Migrate creates the owned tables with prefix in db, when they do not exist yet.
func Migrate(ctx context.Context, db *sql.DB, d Dialect, prefix string) error {
	for _, q := range DDL(d, prefix) {
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("sqlstore: migrate: %w\n%s", err, q)
		}
	}
	return nil
}
