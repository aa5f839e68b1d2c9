package sqlfilter_test

import (
	"errors"
	"fmt"

	"github.com/scimkit/scimkit/filter"
	"github.com/scimkit/scimkit/filter/sqlfilter"
	"github.com/scimkit/scimkit/schema"
)

// users maps the User resource type onto a users table u and a user_emails table e.
var users = &sqlfilter.Mapping{
	ResourceType: schema.UserResourceType,
	Dialect:      sqlfilter.PostgreSQL,
	Columns: map[string]string{
		"id":                "u.id::text",
		"userName":          "u.user_name",
		"externalId":        "u.external_id",
		"displayName":       "u.display_name",
		"active":            "u.active",
		"name.familyName":   "u.family_name",
		"meta.lastModified": "u.updated_at",
		schema.EnterpriseUserURN + ":manager.value": "u.manager_id",
	},
	Tables: map[string]sqlfilter.Table{
		"emails": {
			From:    "user_emails e",
			Join:    "e.user_id = u.id",
			Columns: map[string]string{"value": "e.address", "type": "e.kind", "primary": "e.is_primary"},
		},
	},
}

func ExampleMapping_Where() {
	expr, err := filter.Parse(`userName eq "bjensen@example.com" and emails[type eq "work" and value co "@example.com"]`)
	if err != nil {
		panic(err)
	}
	// The host's own condition on the tenant takes $1.
	args := []any{"tenant-42"}
	where, args, err := users.Where(expr, args)
	if err != nil {
		panic(err)
	}
	fmt.Println("SELECT u.id FROM users u WHERE u.tenant_id = $1 AND " + where)
	fmt.Printf("%q\n", args)
	// Output:
	// SELECT u.id FROM users u WHERE u.tenant_id = $1 AND (lower(u.user_name) = lower($2) AND EXISTS (SELECT 1 FROM user_emails e WHERE e.user_id = u.id AND (lower(e.kind) = lower($3) AND lower(e.address) LIKE lower($4) ESCAPE '!')))
	// ["tenant-42" "bjensen@example.com" "work" "%@example.com%"]
}

func ExampleMapping_Where_entra() {
	// The reference check of Entra ID: manager eq compares manager.value, and id is
	// caseExact.
	expr, _ := filter.Parse(`id eq "u-7" and manager eq "u-2"`)
	where, args, _ := users.Where(expr, nil)
	fmt.Println(where)
	fmt.Println(args...)
	// Output:
	// (u.id::text = $1 AND u.manager_id = $2)
	// u-7 u-2
}

func ExampleMapping_Where_unmapped() {
	expr, _ := filter.Parse(`nickName eq "Babs"`)
	_, _, err := users.Where(expr, nil)
	fmt.Println(err)
	fmt.Println(err.(interface{ ScimType() string }).ScimType())
	// Output:
	// filter: nickName: filtering on this attribute is not supported
	// invalidFilter
}

func ExampleMapping_Check() {
	m := &sqlfilter.Mapping{
		ResourceType: schema.UserResourceType,
		Dialect:      sqlfilter.SQLite,
		Columns:      map[string]string{"username": "user_name", "meta.created": "created"},
	}
	fmt.Println(m.Check())
	// Output:
	// sqlfilter: Columns key "username" must be spelled "userName"
	// sqlfilter: SQLite has no timestamp type: set Mapping.TimeLayout for the dateTime columns
}

func ExampleMapping_Where_mySQL() {
	// The same tables in MySQL or MariaDB. Strings compare as binary strings, by code
	// point, whatever the columns' collations; LOWER() makes the comparison ignore
	// case where the attribute is not caseExact. The columns of this host use
	// case-insensitive collations, so eq also compares the column itself, which an
	// index serves.
	mysql := *users
	mysql.Dialect = sqlfilter.MySQL
	mysql.CaseInsensitiveCollation = true
	mysql.Columns = map[string]string{"id": "u.id", "userName": "u.user_name", "displayName": "u.display_name"}
	expr, err := filter.Parse(`userName eq "bjensen" or id eq "u-7" or displayName sw "Babs_" or emails[type eq "work" and value ew "@example.com"] or emails.value eq "babs@example.com"`)
	if err != nil {
		panic(err)
	}
	where, args, err := mysql.Where(expr, []any{"tenant-42"})
	if err != nil {
		panic(err)
	}
	fmt.Println("SELECT u.id FROM users u WHERE u.tenant_id = ? AND " + where)
	fmt.Println(args...)
	// Output:
	// SELECT u.id FROM users u WHERE u.tenant_id = ? AND (((u.user_name = ? AND CAST(LOWER(u.user_name) AS BINARY) = CAST(LOWER(?) AS BINARY)) OR (u.id = ? AND CAST(u.id AS BINARY) = CAST(? AS BINARY))) OR (CAST(LOWER(u.display_name) AS BINARY) LIKE CAST(LOWER(?) AS BINARY) ESCAPE '!' OR EXISTS (SELECT 1 FROM user_emails e WHERE e.user_id = u.id AND (((e.kind = ? AND CAST(LOWER(e.kind) AS BINARY) = CAST(LOWER(?) AS BINARY)) AND CAST(LOWER(e.address) AS BINARY) LIKE CAST(LOWER(?) AS BINARY) ESCAPE '!') OR (e.address = ? AND CAST(LOWER(e.address) AS BINARY) = CAST(LOWER(?) AS BINARY))))))
	// tenant-42 bjensen bjensen u-7 u-7 Babs!_% work work %@example.com babs@example.com babs@example.com
}

func ExampleTooComplex() {
	// A store maps the database's refusal of a huge filter to 400 invalidFilter.
	dbErr := errors.New("SQL logic error: Expression tree is too large (maximum depth 1000) (1)")
	err := sqlfilter.TooComplex(dbErr)
	fmt.Println(err)
	fmt.Println(err.(interface{ ScimType() string }).ScimType())
	fmt.Println(errors.Is(err, dbErr))
	fmt.Println(sqlfilter.TooComplex(errors.New("database is locked")))
	// Output:
	// sqlfilter: the filter is too complex for the database
	// invalidFilter
	// true
	// <nil>
}
