package sqlfilter

import (
	"errors"
	"math"
	"reflect"
	"strconv"
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
		{PostgreSQL, `userName co "50%_off\\"`, `lower(u.user_name) LIKE lower($1) ESCAPE '!'`, []any{`%50!%!_off\%`}},
		{PostgreSQL, `userName sw "a"`, `lower(u.user_name) LIKE lower($1) ESCAPE '!'`, []any{`a%`}},
		{PostgreSQL, `userName ew "a"`, `lower(u.user_name) LIKE lower($1) ESCAPE '!'`, []any{`%a`}},
		{PostgreSQL, `externalId co "a%"`, `u.external_id LIKE $1 ESCAPE '!'`, []any{`%a!%%`}},
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
		{PostgreSQL, `emails co "x"`, `EXISTS (SELECT 1 FROM emails e WHERE e.user_id = u.id AND lower(e.value) LIKE lower($1) ESCAPE '!')`, []any{"%x%"}},
		{PostgreSQL, `emails.type ne "work"`, `NOT EXISTS (SELECT 1 FROM emails e WHERE e.user_id = u.id AND lower(e.type) = lower($1))`, []any{"work"}},
		{PostgreSQL, `emails.type eq null`, `NOT EXISTS (SELECT 1 FROM emails e WHERE e.user_id = u.id AND (e.type IS NOT NULL AND e.type <> ''))`, nil},
		{PostgreSQL, `emails.type ne null`, `EXISTS (SELECT 1 FROM emails e WHERE e.user_id = u.id AND (e.type IS NOT NULL AND e.type <> ''))`, nil},
		{PostgreSQL, `not (emails.primary eq true)`, `NOT (EXISTS (SELECT 1 FROM emails e WHERE e.user_id = u.id AND e.is_primary = $1))`, []any{true}},
		{PostgreSQL, `emails[type eq "work"].value eq "a@b"`,
			`EXISTS (SELECT 1 FROM emails e WHERE e.user_id = u.id AND (lower(e.type) = lower($1) AND lower(e.value) = lower($2)))`, []any{"work", "a@b"}},
		{PostgreSQL, `userName co "wow!"`, `lower(u.user_name) LIKE lower($1) ESCAPE '!'`, []any{`%wow!!%`}},
		{MySQL, `userName eq "Bjensen"`, `CAST(LOWER(u.user_name) AS BINARY) = CAST(LOWER(?) AS BINARY)`, []any{"Bjensen"}},
		{MySQL, `userName gt "m"`, `CAST(LOWER(u.user_name) AS BINARY) > CAST(LOWER(?) AS BINARY)`, []any{"m"}},
		{MySQL, `externalId eq "Bj"`, `(u.external_id = ? AND CAST(u.external_id AS BINARY) = CAST(? AS BINARY))`, []any{"Bj", "Bj"}},
		{MySQL, `externalId ne "Bj"`, `(u.external_id IS NULL OR NOT ((u.external_id = ? AND CAST(u.external_id AS BINARY) = CAST(? AS BINARY))))`, []any{"Bj", "Bj"}},
		{MySQL, `externalId gt "Bj"`, `CAST(u.external_id AS BINARY) > CAST(? AS BINARY)`, []any{"Bj"}},
		{MySQL, `userName co "50%_off\\!"`, `CAST(LOWER(u.user_name) AS BINARY) LIKE CAST(LOWER(?) AS BINARY) ESCAPE '!'`, []any{`%50!%!_off\!!%`}},
		{MySQL, `externalId sw "a_"`, `CAST(u.external_id AS BINARY) LIKE CAST(? AS BINARY) ESCAPE '!'`, []any{`a!_%`}},
		{MySQL, `title pr`, `(u.title IS NOT NULL AND LENGTH(u.title) > 0)`, nil},
		{MySQL, `title eq null`, `(u.title IS NULL OR LENGTH(u.title) = 0)`, nil},
		{MySQL, `active eq true`, `u.active = ?`, []any{true}},
		{MySQL, `meta.lastModified ge "2011-05-13T04:42:34.0000005Z"`, `u.modified > ?`, []any{ts}},
		{MySQL, `emails[type eq "work"]`, `EXISTS (SELECT 1 FROM emails e WHERE e.user_id = u.id AND CAST(LOWER(e.type) AS BINARY) = CAST(LOWER(?) AS BINARY))`, []any{"work"}},
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

// In MySQL an index on a column of a case-insensitive collation serves userName eq.
func TestWhereMySQLCaseInsensitiveCollation(t *testing.T) {
	m := testMapping(MySQL)
	m.CaseInsensitiveCollation = true
	for _, tt := range []struct {
		filter, sql string
		args        []any
	}{
		{`userName eq "Bjensen"`, `(u.user_name = ? AND CAST(LOWER(u.user_name) AS BINARY) = CAST(LOWER(?) AS BINARY))`, []any{"Bjensen", "Bjensen"}},
		{`emails[value eq "a@b"]`, `EXISTS (SELECT 1 FROM emails e WHERE e.user_id = u.id AND (e.value = ? AND CAST(LOWER(e.value) AS BINARY) = CAST(LOWER(?) AS BINARY)))`, []any{"a@b", "a@b"}},
		{`userName sw "B"`, `CAST(LOWER(u.user_name) AS BINARY) LIKE CAST(LOWER(?) AS BINARY) ESCAPE '!'`, []any{"B%"}},
		{`not (userName eq "B")`, `NOT ((u.user_name IS NOT NULL AND (u.user_name = ? AND CAST(LOWER(u.user_name) AS BINARY) = CAST(LOWER(?) AS BINARY))))`, []any{"B", "B"}},
	} {
		sql, args, err := where(t, m, tt.filter, nil)
		if err != nil || sql != tt.sql || !reflect.DeepEqual(args, tt.args) {
			t.Errorf("%s:\n got %s %q %v\nwant %s %q", tt.filter, sql, args, err, tt.sql, tt.args)
		}
	}
	sql, args, err := where(t, m, `userName eq "a" or userName eq "b" or externalId eq "c" or externalId eq "d"`, nil)
	if want := `((u.user_name IN (?, ?) AND CAST(LOWER(u.user_name) AS BINARY) IN (CAST(LOWER(?) AS BINARY), CAST(LOWER(?) AS BINARY))) OR (u.external_id IN (?, ?) AND CAST(u.external_id AS BINARY) IN (CAST(? AS BINARY), CAST(? AS BINARY))))`; err != nil || sql != want {
		t.Errorf("IN lists:\n got %s %v\nwant %s", sql, err, want)
	}
	if want := []any{"a", "b", "a", "b", "c", "d", "c", "d"}; !reflect.DeepEqual(args, want) {
		t.Errorf("IN lists: args %q, want %q", args, want)
	}
	m.Dialect = PostgreSQL
	if sql, _, _ := where(t, m, `userName eq "B"`, nil); sql != `lower(u.user_name) = lower($1)` {
		t.Errorf("PostgreSQL with CaseInsensitiveCollation: %s", sql)
	}
}

// In MySQL a folded column (LOWER of the column, binary collation) with an index
// serves case-insensitive eq; the exact comparison stays, and other operators and
// dialects do not use it.
func TestWhereMySQLFoldedColumnServesCaseInsensitiveEq(t *testing.T) {
	m := testMapping(MySQL)
	m.Folded = map[string]string{"userName": "u.user_name_folded"}
	for _, tt := range []struct {
		filter, sql string
		args        []any
	}{
		{`userName eq "Bjensen"`, `(u.user_name_folded = LOWER(?) AND CAST(LOWER(u.user_name) AS BINARY) = CAST(LOWER(?) AS BINARY))`, []any{"Bjensen", "Bjensen"}},
		{`userName eq "a" or userName eq "B"`, `(u.user_name_folded IN (LOWER(?), LOWER(?)) AND CAST(LOWER(u.user_name) AS BINARY) IN (CAST(LOWER(?) AS BINARY), CAST(LOWER(?) AS BINARY)))`, []any{"a", "B", "a", "B"}},
		{`userName ne "B"`, `(u.user_name IS NULL OR NOT ((u.user_name_folded = LOWER(?) AND CAST(LOWER(u.user_name) AS BINARY) = CAST(LOWER(?) AS BINARY))))`, []any{"B", "B"}},
		{`userName sw "B"`, `CAST(LOWER(u.user_name) AS BINARY) LIKE CAST(LOWER(?) AS BINARY) ESCAPE '!'`, []any{"B%"}},
		{`externalId eq "B"`, `(u.external_id = ? AND CAST(u.external_id AS BINARY) = CAST(? AS BINARY))`, []any{"B", "B"}},
	} {
		sql, args, err := where(t, m, tt.filter, nil)
		if err != nil || sql != tt.sql || !reflect.DeepEqual(args, tt.args) {
			t.Errorf("%s:\n got %s %q %v\nwant %s %q", tt.filter, sql, args, err, tt.sql, tt.args)
		}
	}
	m.Dialect = PostgreSQL
	if sql, _, _ := where(t, m, `userName eq "B"`, nil); sql != `lower(u.user_name) = lower($1)` {
		t.Errorf("PostgreSQL with Folded: %s", sql)
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

// Numbers compare exactly: an operand the dialect cannot carry is rounded down to
// the column's precision and the operator adjusted, as for dateTimes.
func TestWhereNumbers(t *testing.T) {
	ext := &schema.Schema{ID: "urn:example:n", Attributes: []*schema.Attribute{
		{Name: "level", Type: schema.Integer}, {Name: "score", Type: schema.Decimal},
	}}
	rt := schema.UserResourceType.WithExtensions(schema.Extension{Schema: ext})
	below01 := math.Nextafter(0.1, 0) // 0.1 as a float64 is above 1/10
	for _, tt := range []struct {
		d      Dialect
		filter string
		sql    string
		args   []any
	}{
		{PostgreSQL, `urn:example:n:level gt 12345678901234567890`, `x.level > CAST($1 AS numeric)`, []any{"12345678901234567890"}},
		{PostgreSQL, `urn:example:n:score ne 1e400`, `(x.score IS NULL OR NOT (x.score = CAST($1 AS numeric)))`, []any{"1e400"}},
		{SQLite, `urn:example:n:level gt 42`, `x.level > ?`, []any{int64(42)}},
		{SQLite, `urn:example:n:level gt 4.2e1`, `x.level > ?`, []any{int64(42)}},
		{SQLite, `urn:example:n:score le 0.25`, `x.score <= ?`, []any{0.25}},
		{SQLite, `urn:example:n:score ge 0.1`, `x.score > ?`, []any{below01}},
		{SQLite, `urn:example:n:score lt 0.1`, `x.score <= ?`, []any{below01}},
		{SQLite, `urn:example:n:score eq 0.1`, `1 = 0`, nil},
		{SQLite, `urn:example:n:score ne 1e400`, `(x.score IS NULL OR NOT (1 = 0))`, nil},
		{SQLite, `urn:example:n:score lt 1e400`, `x.score <= ?`, []any{math.MaxFloat64}},
		{SQLite, `urn:example:n:score gt -1e400`, `x.score > ?`, []any{math.Inf(-1)}},
		{SQLite, `urn:example:n:level gt 12345678901234567890`, `x.level > ?`, []any{12345678901234567890.0}},
		{MySQL, `urn:example:n:level gt 4.2e1`, `x.level > ?`, []any{int64(42)}},
		{MySQL, `urn:example:n:score le 0.25`, `x.score <= CAST(? AS DECIMAL(65,30))`, []any{"0.250000000000000000000000000000"}},
		{MySQL, `urn:example:n:score ge 0.1`, `x.score >= CAST(? AS DECIMAL(65,30))`, []any{"0.100000000000000000000000000000"}},
		{MySQL, `urn:example:n:score ge 12.500000000000000000000000000000000001`, `x.score > CAST(? AS DECIMAL(65,30))`, []any{"12.500000000000000000000000000000"}},
		{MySQL, `urn:example:n:score le -1e-31`, `x.score <= CAST(? AS DECIMAL(65,30))`, []any{"-0.000000000000000000000000000001"}},
		{MySQL, `urn:example:n:level lt 12345678901234567890`, `x.level < CAST(? AS DECIMAL(65,30))`, []any{"12345678901234567890.000000000000000000000000000000"}},
		{MySQL, `urn:example:n:score lt 1e400`, `x.score <= ?`, []any{math.MaxFloat64}},
	} {
		m := &Mapping{ResourceType: rt, Dialect: tt.d, Columns: map[string]string{"urn:example:n:level": "x.level", "urn:example:n:score": "x.score"}}
		sql, args, err := where(t, m, tt.filter, nil)
		if err != nil {
			t.Errorf("%v %s: %v", tt.d, tt.filter, err)
			continue
		}
		if sql != tt.sql || !reflect.DeepEqual(args, tt.args) {
			t.Errorf("%v %s:\n got %s %#v\nwant %s %#v", tt.d, tt.filter, sql, args, tt.sql, tt.args)
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

// chain joins n terms made by term with op, left-associated as filter.Parse does.
func chain(n int, op filter.LogicalOp, term func(i int) filter.Expr) filter.Expr {
	e := term(0)
	for i := 1; i < n; i++ {
		e = &filter.Logical{Op: op, Left: e, Right: term(i)}
	}
	return e
}

// nesting returns the deepest nesting of parentheses in sql.
func nesting(sql string) int {
	depth, deepest := 0, 0
	for _, c := range sql {
		switch c {
		case '(':
			depth++
			deepest = max(deepest, depth)
		case ')':
			depth--
		}
	}
	return deepest
}

// Issue 9: SQLite refuses expressions deeper than 1,000 ("Expression tree is too
// large"); long chains must nest logarithmically.
func TestWhereBalancesLongChains(t *testing.T) {
	userName := func(i int) filter.Expr {
		return &filter.Compare{Path: filter.AttrPath{Name: "userName"}, Op: filter.Eq, Value: "u" + strconv.Itoa(i)}
	}
	for _, d := range []Dialect{PostgreSQL, SQLite, MySQL} {
		for _, op := range []filter.LogicalOp{filter.Or, filter.And} {
			for _, n := range []int{1000, 5000} {
				sql, args, err := testMapping(d).Where(chain(n, op, userName), nil)
				if err != nil {
					t.Fatalf("%v %d %s terms: %v", d, n, op, err)
				}
				if len(args) != n || args[0] != "u0" || args[n-1] != "u"+strconv.Itoa(n-1) {
					t.Errorf("%v %d %s terms: %d args from %v to %v", d, n, op, len(args), args[0], args[len(args)-1])
				}
				// Two levels per term for lower(…) and CAST, plus log2(n) for the tree.
				if got := nesting(sql); got > 20 {
					t.Errorf("%v %d %s terms nest %d parentheses deep", d, n, op, got)
				}
				if d == PostgreSQL && !strings.Contains(sql, "$"+strconv.Itoa(n)+")") {
					t.Errorf("%v %d %s terms: placeholder $%d missing", d, n, op, n)
				}
			}
		}
	}
}

// Issue 9: an or of value filters over one child table reads the child rows once,
// and an or of eq (and of ne) over one column is one IN (NOT IN) list.
func TestWhereMergesOredTermsOverOneTableOrColumn(t *testing.T) {
	for _, tt := range []struct{ filter, sql string }{
		{`emails[value eq "a"] or userName eq "b" or emails[type eq "c"] or emails.value co "d"`,
			`(EXISTS (SELECT 1 FROM emails e WHERE e.user_id = u.id AND ((lower(e.value) = lower($1) OR lower(e.type) = lower($2)) OR lower(e.value) LIKE lower($3) ESCAPE '!')) OR lower(u.user_name) = lower($4))`},
		// NOT EXISTS, and EXISTS without a condition, keep their own subquery.
		{`emails.value ne "a" or emails.type eq null or emails pr or emails[value eq "b"]`,
			`((NOT EXISTS (SELECT 1 FROM emails e WHERE e.user_id = u.id AND lower(e.value) = lower($1)) OR NOT EXISTS (SELECT 1 FROM emails e WHERE e.user_id = u.id AND (e.type IS NOT NULL AND e.type <> ''))) OR (EXISTS (SELECT 1 FROM emails e WHERE e.user_id = u.id) OR EXISTS (SELECT 1 FROM emails e WHERE e.user_id = u.id AND lower(e.value) = lower($2))))`},
		// and needs one row per term: no merge.
		{`emails[value eq "a"] and emails[value eq "b"]`,
			`(EXISTS (SELECT 1 FROM emails e WHERE e.user_id = u.id AND lower(e.value) = lower($1)) AND EXISTS (SELECT 1 FROM emails e WHERE e.user_id = u.id AND lower(e.value) = lower($2)))`},
		{`not (emails[value eq "a"] or emails[value eq "b"])`,
			`NOT (EXISTS (SELECT 1 FROM emails e WHERE e.user_id = u.id AND lower(e.value) IN (lower($1), lower($2))))`},
		// eq of one string column with several values is one IN list.
		{`userName eq "a" or userName eq "b" or externalId eq "c" or userName eq "d" or externalId eq "e"`,
			`(lower(u.user_name) IN (lower($1), lower($2), lower($3)) OR u.external_id IN ($4, $5))`},
		{`not (userName eq "a" or userName eq "b" or active eq true or active eq false)`,
			`NOT ((((u.user_name IS NOT NULL AND lower(u.user_name) IN (lower($1), lower($2))) OR (u.active IS NOT NULL AND u.active = $3)) OR (u.active IS NOT NULL AND u.active = $4)))`},
		{`userName ne "a" and userName ne "b" and title pr and userName ne "c"`,
			`((u.user_name IS NULL OR NOT (lower(u.user_name) IN (lower($1), lower($2), lower($3)))) AND (u.title IS NOT NULL AND u.title <> ''))`},
		{`not (emails[type ne "a" and type ne "b"]) and emails.type ne "c"`,
			`(NOT (EXISTS (SELECT 1 FROM emails e WHERE e.user_id = u.id AND (e.type IS NULL OR NOT (lower(e.type) IN (lower($1), lower($2)))))) AND NOT EXISTS (SELECT 1 FROM emails e WHERE e.user_id = u.id AND lower(e.type) = lower($3)))`},
		{`emails[type eq "a" or type eq "b" and value eq "c"] or emails.type eq "d"`,
			`EXISTS (SELECT 1 FROM emails e WHERE e.user_id = u.id AND (lower(e.type) IN (lower($1), lower($2)) OR (lower(e.type) = lower($3) AND lower(e.value) = lower($4))))`},
	} {
		sql, _, err := where(t, testMapping(PostgreSQL), tt.filter, nil)
		if err != nil {
			t.Errorf("%s: %v", tt.filter, err)
			continue
		}
		if sql != tt.sql {
			t.Errorf("%s:\n got %s\nwant %s", tt.filter, sql, tt.sql)
		}
	}
	value := func(i int) filter.Expr {
		return &filter.ValuePath{Path: filter.AttrPath{Name: "emails"}, Filter: &filter.Compare{
			Path: filter.AttrPath{Name: "value"}, Op: filter.Eq, Value: strconv.Itoa(i) + "@example.com"}}
	}
	for _, d := range []Dialect{PostgreSQL, SQLite, MySQL} {
		sql, args, err := testMapping(d).Where(chain(5000, filter.Or, value), nil)
		if err != nil {
			t.Fatalf("%v: %v", d, err)
		}
		if n := strings.Count(sql, "EXISTS"); n != 1 || len(args) != 5000 {
			t.Errorf("%v: 5,000 or-ed value filters gave %d EXISTS and %d args, want 1 and 5000", d, n, len(args))
		}
		if got := nesting(sql); got > 20 {
			t.Errorf("%v: 5,000 or-ed value filters nest %d parentheses deep", d, got)
		}
	}
}

// Issue 9: a filter no database can run answers invalidFilter, not 500.
func TestWhereRefusesWhatNoDatabaseCanRun(t *testing.T) {
	tooMany := chain(maxArgs+1, filter.Or, func(i int) filter.Expr {
		return &filter.Compare{Path: filter.AttrPath{Name: "userName"}, Op: filter.Eq, Value: "u"}
	})
	var deep filter.Expr = &filter.Compare{Path: filter.AttrPath{Name: "userName"}, Op: filter.Pr}
	for range maxNesting {
		deep = &filter.Not{X: deep}
	}
	for name, e := range map[string]filter.Expr{"too many values": tooMany, "too deep": deep} {
		_, args, err := testMapping(SQLite).Where(e, []any{"tenant"})
		var tc *TooComplexError
		if !errors.As(err, &tc) || tc.ScimType() != "invalidFilter" || tc.Err != nil {
			t.Errorf("%s: error %#v, want a *TooComplexError of Where", name, err)
		}
		if len(args) != 1 {
			t.Errorf("%s: args grew to %d on failure", name, len(args))
		}
	}
	// Within the limits of filter.Parse: MaxDepth nested levels pass.
	var ok filter.Expr = &filter.Compare{Path: filter.AttrPath{Name: "userName"}, Op: filter.Pr}
	for range filter.MaxDepth {
		ok = &filter.Not{X: ok}
	}
	if _, _, err := testMapping(SQLite).Where(ok, nil); err != nil {
		t.Errorf("%d nested nots: %v", filter.MaxDepth, err)
	}
}
