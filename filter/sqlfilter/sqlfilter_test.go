package sqlfilter

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/scimkit/scimkit/filter"
	"github.com/scimkit/scimkit/schema"
)

const ent = schema.EnterpriseUserURN

func testMapping(d Dialect) *Mapping {
	m := &Mapping{
		ResourceType: schema.UserResourceType,
		Dialect:      d,
		Columns: map[string]string{
			"id":                   "u.id",
			"userName":             "u.user_name",
			"externalId":           "u.external_id",
			"title":                "u.title",
			"active":               "u.active",
			"name.givenName":       "u.given_name",
			"name.familyName":      "u.family_name",
			"meta.lastModified":    "u.modified",
			ent + ":manager.value": "u.manager_id",
		},
		Tables: map[string]Table{
			"emails": {From: "emails e", Join: "e.user_id = u.id", Columns: map[string]string{
				"value": "e.value", "type": "e.type", "primary": "e.is_primary",
			}},
		},
	}
	if d == SQLite {
		m.TimeLayout = "2006-01-02T15:04:05Z"
	}
	return m
}

func where(t *testing.T, m *Mapping, f string, args []any) (string, []any, error) {
	t.Helper()
	e, err := filter.Parse(f)
	if err != nil {
		t.Fatalf("Parse(%q): %v", f, err)
	}
	return m.Where(e, args)
}

func TestWhere(t *testing.T) {
	ts := time.Date(2011, 5, 13, 4, 42, 34, 0, time.UTC)
	tests := []struct {
		d      Dialect
		filter string
		sql    string
		args   []any
	}{
		{PostgreSQL, `userName eq "Bjensen"`, `lower(u.user_name) = lower($1)`, []any{"Bjensen"}},
		{SQLite, `userName eq "Bjensen"`, `lower(u.user_name) = lower(?)`, []any{"Bjensen"}},
		{PostgreSQL, `externalId eq "Bj"`, `u.external_id = $1`, []any{"Bj"}},
		{PostgreSQL, `externalId ne "Bj"`, `(u.external_id IS NULL OR NOT (u.external_id = $1))`, []any{"Bj"}},
		{PostgreSQL, `not (externalId eq "Bj")`, `NOT ((u.external_id IS NOT NULL AND u.external_id = $1))`, []any{"Bj"}},
		{PostgreSQL, `not (not (externalId eq "Bj"))`, `NOT (NOT (u.external_id = $1))`, []any{"Bj"}},
		{PostgreSQL, `userName co "50%_off\\"`, `lower(u.user_name) LIKE lower($1) ESCAPE '\'`, []any{`%50\%\_off\\%`}},
		{PostgreSQL, `userName sw "a"`, `lower(u.user_name) LIKE lower($1) ESCAPE '\'`, []any{`a%`}},
		{PostgreSQL, `userName ew "a"`, `lower(u.user_name) LIKE lower($1) ESCAPE '\'`, []any{`%a`}},
		{PostgreSQL, `externalId co "a%"`, `u.external_id LIKE $1 ESCAPE '\'`, []any{`%a\%%`}},
		{SQLite, `externalId co "a*?[b]"`, `u.external_id GLOB ?`, []any{`*a[*][?][[]b]*`}},
		{SQLite, `externalId sw "a"`, `u.external_id GLOB ?`, []any{`a*`}},
		{SQLite, `externalId ew "a"`, `u.external_id GLOB ?`, []any{`*a`}},
		{PostgreSQL, `userName co ""`, `u.user_name IS NOT NULL`, nil},
		{PostgreSQL, `userName gt "m"`, `lower(u.user_name) > lower($1) COLLATE "C"`, []any{"m"}},
		{PostgreSQL, `externalId le "m"`, `u.external_id <= $1 COLLATE "C"`, []any{"m"}},
		{SQLite, `userName lt "m"`, `lower(u.user_name) < lower(?)`, []any{"m"}},
		{PostgreSQL, `title pr`, `(u.title IS NOT NULL AND u.title <> '')`, nil},
		{PostgreSQL, `title eq null`, `(u.title IS NULL OR u.title = '')`, nil},
		{PostgreSQL, `title ne null`, `(u.title IS NOT NULL AND u.title <> '')`, nil},
		{PostgreSQL, `active eq "True"`, `u.active = $1`, []any{true}},
		{PostgreSQL, `active pr`, `u.active IS NOT NULL`, nil},
		{PostgreSQL, `active eq null`, `u.active IS NULL`, nil},
		{PostgreSQL, `name pr`, `((u.family_name IS NOT NULL AND u.family_name <> '') OR (u.given_name IS NOT NULL AND u.given_name <> ''))`, nil},
		{PostgreSQL, `meta.lastModified gt "2011-05-13T06:42:34+02:00"`, `u.modified > $1`, []any{ts}},
		{PostgreSQL, `meta.lastModified ge "2011-05-13T04:42:34.0000005Z"`, `u.modified > $1`, []any{ts}},
		{PostgreSQL, `meta.lastModified eq "2011-05-13T04:42:34.0000005Z"`, `1 = 0`, nil},
		{PostgreSQL, `meta.lastModified lt "2011-05-13T04:42:34.5Z"`, `u.modified < $1`, []any{ts.Add(500 * time.Millisecond)}},
		{SQLite, `meta.lastModified lt "2011-05-13T04:42:34.5Z"`, `u.modified <= ?`, []any{"2011-05-13T04:42:34Z"}},
		{SQLite, `meta.lastModified ne "2011-05-13T04:42:34.5Z"`, `(u.modified IS NULL OR NOT (1 = 0))`, nil},
		{SQLite, `meta.lastModified pr`, `(u.modified IS NOT NULL AND u.modified <> '')`, nil},
		{PostgreSQL, `manager eq "u-2"`, `u.manager_id = $1`, []any{"u-2"}},
		{PostgreSQL, `id eq "u-7" and (userName eq "a" or not (active eq true))`,
			`(u.id = $1 AND (lower(u.user_name) = lower($2) OR NOT ((u.active IS NOT NULL AND u.active = $3))))`, []any{"u-7", "a", true}},
		{PostgreSQL, `emails pr`, `EXISTS (SELECT 1 FROM emails e WHERE e.user_id = u.id)`, nil},
		{PostgreSQL, `emails co "x"`, `EXISTS (SELECT 1 FROM emails e WHERE e.user_id = u.id AND lower(e.value) LIKE lower($1) ESCAPE '\')`, []any{"%x%"}},
		{PostgreSQL, `emails.type ne "work"`, `NOT EXISTS (SELECT 1 FROM emails e WHERE e.user_id = u.id AND lower(e.type) = lower($1))`, []any{"work"}},
		{PostgreSQL, `emails.type eq null`, `NOT EXISTS (SELECT 1 FROM emails e WHERE e.user_id = u.id AND (e.type IS NOT NULL AND e.type <> ''))`, nil},
		{PostgreSQL, `emails.type ne null`, `EXISTS (SELECT 1 FROM emails e WHERE e.user_id = u.id AND (e.type IS NOT NULL AND e.type <> ''))`, nil},
		{PostgreSQL, `not (emails.primary eq true)`, `NOT (EXISTS (SELECT 1 FROM emails e WHERE e.user_id = u.id AND e.is_primary = $1))`, []any{true}},
		{PostgreSQL, `emails[type eq "work"].value eq "a@b"`,
			`EXISTS (SELECT 1 FROM emails e WHERE e.user_id = u.id AND (lower(e.type) = lower($1) AND lower(e.value) = lower($2)))`, []any{"work", "a@b"}},
		{PostgreSQL, `not (emails[not (type eq "work")])`,
			`NOT (EXISTS (SELECT 1 FROM emails e WHERE e.user_id = u.id AND NOT ((e.type IS NOT NULL AND lower(e.type) = lower($1)))))`, []any{"work"}},
	}
	for _, tt := range tests {
		sql, args, err := where(t, testMapping(tt.d), tt.filter, nil)
		if err != nil {
			t.Errorf("%s: %v", tt.filter, err)
			continue
		}
		if sql != tt.sql {
			t.Errorf("%s:\n got %s\nwant %s", tt.filter, sql, tt.sql)
		}
		if !reflect.DeepEqual(args, tt.args) {
			t.Errorf("%s: args %#v, want %#v", tt.filter, args, tt.args)
		}
		if strings.Contains(sql, "bjensen") {
			t.Errorf("%s: a value reached the SQL text", tt.filter)
		}
	}
}

func TestWhereArgsOffset(t *testing.T) {
	sql, args, err := where(t, testMapping(PostgreSQL), `userName eq "a" or externalId eq "b"`, []any{"tenant"})
	if err != nil {
		t.Fatal(err)
	}
	if want := `(lower(u.user_name) = lower($2) OR u.external_id = $3)`; sql != want {
		t.Errorf("got %s, want %s", sql, want)
	}
	if !reflect.DeepEqual(args, []any{"tenant", "a", "b"}) {
		t.Errorf("args %v", args)
	}
}

func TestWhereNumbers(t *testing.T) {
	ext := &schema.Schema{ID: "urn:example:n", Attributes: []*schema.Attribute{
		{Name: "level", Type: schema.Integer}, {Name: "score", Type: schema.Decimal},
	}}
	rt := schema.UserResourceType.WithExtensions(schema.Extension{Schema: ext})
	for _, tt := range []struct {
		d      Dialect
		filter string
		sql    string
		arg    any
	}{
		{PostgreSQL, `urn:example:n:level gt 12345678901234567890`, `x.level > CAST($1 AS numeric)`, "12345678901234567890"},
		{SQLite, `urn:example:n:level gt 42`, `x.level > ?`, int64(42)},
		{SQLite, `urn:example:n:level gt 4.2e1`, `x.level > ?`, int64(42)},
		{SQLite, `urn:example:n:score le 0.25`, `x.score <= ?`, 0.25},
		{SQLite, `urn:example:n:score ne 1e400`, `(x.score IS NULL OR NOT (x.score = ?))`, json.Number("1e400")},
	} {
		m := &Mapping{ResourceType: rt, Dialect: tt.d, Columns: map[string]string{"urn:example:n:level": "x.level", "urn:example:n:score": "x.score"}}
		sql, args, err := where(t, m, tt.filter, nil)
		if err != nil {
			t.Errorf("%s: %v", tt.filter, err)
			continue
		}
		if sql != tt.sql || len(args) != 1 {
			t.Errorf("%s: got %s %v, want %s", tt.filter, sql, args, tt.sql)
			continue
		}
		if n, ok := tt.arg.(json.Number); ok {
			// Beyond float64: infinity is the closest SQLite can get.
			if f, ok := args[0].(float64); !ok || f < 1e308 {
				t.Errorf("%s: arg %#v, want a huge float64 for %s", tt.filter, args[0], n)
			}
			continue
		}
		if args[0] != tt.arg {
			t.Errorf("%s: arg %#v, want %#v", tt.filter, args[0], tt.arg)
		}
	}
}

// RFC-FILTER-4: a filter on an attribute the mapping has no column for is an invalidFilter error, never an unfiltered query.
func TestWhereRejectsUnmappedAttributes(t *testing.T) {
	for _, f := range []string{
		`nickName eq "x"`,       // attribute not in Columns
		`emails.display eq "x"`, // sub-attribute not in the table
		`emails[display pr]`,    // same, in a value path
		`phoneNumbers pr`,       // no table
		`phoneNumbers[type eq "work"]`,
		`meta pr`,        // no sub-attribute of meta mapped (lastModified is deleted below)
		`nosuch eq "x"`,  // unknown: validation error
		`name eq "x"`,    // complex without value
		`active gt true`, // operator/type mismatch
	} {
		m := testMapping(PostgreSQL)
		if f == `meta pr` {
			delete(m.Columns, "meta.lastModified")
		}
		_, _, err := where(t, m, f, nil)
		if err == nil {
			t.Errorf("%s: no error", f)
			continue
		}
		if st, ok := err.(interface{ ScimType() string }); !ok || st.ScimType() != "invalidFilter" {
			t.Errorf("%s: error %v is not invalidFilter", f, err)
		}
	}
}

func TestWhereMisconfigured(t *testing.T) {
	m := testMapping(SQLite)
	m.TimeLayout = ""
	if _, _, err := where(t, m, `meta.lastModified gt "2011-05-13T04:42:34Z"`, nil); err == nil || !strings.Contains(err.Error(), "TimeLayout") {
		t.Errorf("SQLite without TimeLayout: %v", err)
	}
	m.TimeLayout = "2006-1-2T15:04:05Z"
	if _, _, err := where(t, m, `meta.lastModified gt "2011-05-13T04:42:34Z"`, nil); err == nil || !strings.Contains(err.Error(), "fixed width") {
		t.Errorf("variable-width TimeLayout: %v", err)
	}
	m.TimeLayout = "2006-01-02"
	if _, _, err := where(t, m, `meta.lastModified gt "2011-05-13T04:42:34Z"`, nil); err == nil || !strings.Contains(err.Error(), "complete date and time") {
		t.Errorf("date-only TimeLayout: %v", err)
	}
	if _, _, err := (&Mapping{}).Where(&filter.Compare{Path: filter.AttrPath{Name: "id"}, Op: filter.Pr}, nil); err == nil {
		t.Error("nil ResourceType accepted")
	}
	if _, _, err := where(t, testMapping(PostgreSQL), `userName eq "a\u0000b"`, nil); err == nil {
		t.Error("NUL accepted for PostgreSQL")
	}
	if _, _, err := where(t, testMapping(SQLite), `userName eq "a\u0000b"`, nil); err != nil {
		t.Errorf("NUL for SQLite: %v", err)
	}
}

func TestCheck(t *testing.T) {
	if err := testMapping(PostgreSQL).Check(); err != nil {
		t.Errorf("good PostgreSQL mapping: %v", err)
	}
	if err := testMapping(SQLite).Check(); err != nil {
		t.Errorf("good SQLite mapping: %v", err)
	}
	m := &Mapping{
		ResourceType: schema.UserResourceType,
		Dialect:      SQLite,
		Columns: map[string]string{
			"nosuch": "a", "NAME.givenName": "b", "emails": "c", "name": "d", "meta.created": "e",
			"urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value": "f",
		},
		Tables: map[string]Table{
			"name":         {From: "x", Join: "y"},
			"Emails":       {From: "x", Join: "y"},
			"phoneNumbers": {Columns: map[string]string{"nosuch": "a", "Value": "b"}},
		},
		TimeLayout: "Jan 2",
	}
	err := m.Check()
	if err == nil {
		t.Fatal("bad mapping passed Check")
	}
	for _, want := range []string{
		`Columns key "nosuch" names no attribute`,
		`Columns key "NAME.givenName" must be spelled "name.givenName"`,
		`Columns key "emails" is a multi-valued or complex attribute`,
		`Columns key "name" is a multi-valued or complex attribute`,
		`Tables key "name" is not a multi-valued complex attribute`,
		`Tables key "Emails" must be spelled "emails"`,
		`Tables["phoneNumbers"] needs From and Join`,
		`Tables["phoneNumbers"].Columns key "nosuch" names no sub-attribute`,
		`Tables["phoneNumbers"].Columns key "Value" must be spelled "value"`,
		`TimeLayout "Jan 2"`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Check error lacks %q:\n%v", want, err)
		}
	}
	if strings.Contains(err.Error(), "manager.value") {
		t.Errorf("Check rejected a good key: %v", err)
	}
	m.TimeLayout = ""
	if err := m.Check(); err == nil || !strings.Contains(err.Error(), "SQLite has no timestamp type") {
		t.Errorf("SQLite without layout: %v", err)
	}
	if err := (&Mapping{}).Check(); err == nil {
		t.Error("nil ResourceType passed Check")
	}
}
