package sqlfiltertest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"fmt"
	mrand "math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "github.com/go-sql-driver/mysql"
	_ "github.com/jackc/pgx/v5/stdlib"
	_ "modernc.org/sqlite"

	"github.com/scimkit/scimkit/filter"
	"github.com/scimkit/scimkit/filter/sqlfilter"
	"github.com/scimkit/scimkit/schema"
)

const (
	entURN = schema.EnterpriseUserURN
	extURN = "urn:example:params:scim:schemas:extension:sqlfiltertest:2.0:User"
	// timeLayout is how the SQLite tables store dateTimes.
	timeLayout = "2006-01-02T15:04:05Z"
	numUsers   = 300
)

// testExt adds the integer and decimal attributes that the built-in schemas lack.
var testExt = &schema.Schema{
	ID:   extURN,
	Name: "SQLFilterTest",
	Attributes: []*schema.Attribute{
		{Name: "level", Type: schema.Integer},
		{Name: "score", Type: schema.Decimal},
	},
}

var userType = schema.UserResourceType.WithExtensions(schema.Extension{Schema: testExt})

// column ties a single-valued attribute to a column of the users table.
type column struct {
	path              string // canonical attribute path
	name              string // column name
	pg, sqlite, mysql string // column types
}

// The MySQL string columns use several collations on purpose: sqlfilter must compare
// by code point whatever the collation, although a ci and PAD SPACE collation finds
// "Émile" equal to "emile " and "Straße" equal to "STRASSE".
var columns = []column{
	{"id", "id", "TEXT PRIMARY KEY", "TEXT PRIMARY KEY", "VARCHAR(64) COLLATE utf8mb4_bin PRIMARY KEY"},
	{"userName", "user_name", "TEXT", "TEXT", "VARCHAR(255) COLLATE utf8mb4_unicode_ci"},
	{"externalId", "external_id", "TEXT", "TEXT", "VARCHAR(255) COLLATE utf8mb4_general_ci"},
	{"displayName", "display_name", "TEXT", "TEXT", "VARCHAR(255) COLLATE utf8mb4_unicode_520_ci"},
	{"nickName", "nick_name", "TEXT", "TEXT", "VARCHAR(255) COLLATE utf8mb4_bin"},
	{"title", "title", "TEXT", "TEXT", "VARCHAR(255) COLLATE utf8mb4_general_ci"},
	{"active", "active", "BOOLEAN", "BOOLEAN", "BOOLEAN"},
	{"name.givenName", "given_name", "TEXT", "TEXT", "VARCHAR(255) COLLATE utf8mb4_unicode_ci"},
	{"name.familyName", "family_name", "TEXT", "TEXT", "VARCHAR(255) COLLATE utf8mb4_general_ci"},
	{"meta.created", "created", "TIMESTAMPTZ", "TEXT", "DATETIME(6)"},
	{"meta.lastModified", "last_modified", "TIMESTAMPTZ", "TEXT", "DATETIME(6)"},
	{entURN + ":employeeNumber", "employee_number", "TEXT", "TEXT", "VARCHAR(255) COLLATE utf8mb4_nopad_bin"},
	{entURN + ":department", "department", "TEXT", "TEXT", "VARCHAR(255) COLLATE utf8mb4_general_nopad_ci"},
	{entURN + ":manager.value", "manager_id", "TEXT", "TEXT", "VARCHAR(64) COLLATE utf8mb4_unicode_ci"},
	{extURN + ":level", "level", "INTEGER", "INTEGER", "INTEGER"},
	{extURN + ":score", "score", "NUMERIC", "REAL", "DECIMAL(20,6)"},
}

var emailColumns = []column{
	{"value", "address", "TEXT", "TEXT", "VARCHAR(255) COLLATE utf8mb4_unicode_ci"},
	{"type", "kind", "TEXT", "TEXT", "VARCHAR(255) COLLATE utf8mb4_general_ci"},
	{"primary", "is_primary", "BOOLEAN", "BOOLEAN", "BOOLEAN"},
}

// emailUserID is the column of user_emails that refers to users.id.
var emailUserID = column{"", "user_id", "TEXT NOT NULL", "TEXT NOT NULL", "VARCHAR(64) COLLATE utf8mb4_bin NOT NULL"}

// typeIn returns the column's type in the dialect.
func (c column) typeIn(d sqlfilter.Dialect) string {
	switch d {
	case sqlfilter.PostgreSQL:
		return c.pg
	case sqlfilter.MySQL:
		return c.mysql
	}
	return c.sqlite
}

// db is one database loaded with the test users.
type db struct {
	name    string
	sql     *sql.DB
	mapping *sqlfilter.Mapping
	users   string // the qualified name of the users table
}

func TestSQLite(t *testing.T) {
	runAll(t, openSQLite(t))
}

func TestPostgreSQL(t *testing.T) {
	runAll(t, openPostgreSQL(t))
}

func TestMySQL(t *testing.T) {
	runAll(t, openMySQL(t, false))
}

// With Mapping.CaseInsensitiveCollation, eq adds a comparison an index serves; the
// results must not change.
func TestMySQLCaseInsensitiveCollation(t *testing.T) {
	runAll(t, openMySQL(t, true))
}

// openSQLite returns a fresh SQLite database loaded with the test users.
func openSQLite(t *testing.T) *db {
	conn, err := sql.Open("sqlite", filepath.Join(t.TempDir(), "users.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return setup(t, conn, sqlfilter.SQLite, "", nil)
}

// openPostgreSQL returns a schema of its own, loaded with the test users, in the
// database SCIMKIT_POSTGRES_DSN names; it drops the schema when the test ends.
func openPostgreSQL(t *testing.T) *db {
	dsn := os.Getenv("SCIMKIT_POSTGRES_DSN")
	if dsn == "" {
		t.Skip("SCIMKIT_POSTGRES_DSN not set: set it to a PostgreSQL URL (such as postgres://postgres@127.0.0.1:5432/test?sslmode=disable) to run the PostgreSQL half of the sqlfilter test")
	}
	conn, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	name := ownName(t, conn, "CREATE SCHEMA ", "DROP SCHEMA %s CASCADE")
	return setup(t, conn, sqlfilter.PostgreSQL, name+".", nil)
}

// openMySQL returns a database of its own, loaded with the test users, on the
// MySQL or MariaDB server SCIMKIT_MYSQL_DSN names; it drops the database when the
// test ends. With ci, the columns of attributes that are not caseExact all use
// case-insensitive collations, and the mapping says so.
func openMySQL(t *testing.T, ci bool) *db {
	dsn := os.Getenv("SCIMKIT_MYSQL_DSN")
	if dsn == "" {
		t.Skip("SCIMKIT_MYSQL_DSN not set: set it to a go-sql-driver/mysql DSN (such as root@tcp(127.0.0.1:3306)/test) to run the MySQL/MariaDB half of the sqlfilter test")
	}
	conn, err := sql.Open("mysql", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	name := ownName(t, conn, "CREATE DATABASE ", "DROP DATABASE %s")
	if !ci {
		return setup(t, conn, sqlfilter.MySQL, name+".", nil)
	}
	return setup(t, conn, sqlfilter.MySQL, name+".", func(c column, m *sqlfilter.Mapping) string {
		m.CaseInsensitiveCollation = true
		if c.path == "id" || c.path == "" {
			return c.mysql
		}
		return strings.NewReplacer("utf8mb4_nopad_bin", "utf8mb4_general_ci", "utf8mb4_bin", "utf8mb4_unicode_ci").Replace(c.mysql)
	})
}

// ownName creates a schema or database with a random name, so that tests running in
// parallel against one server do not share tables, and drops it when the test ends.
func ownName(t *testing.T, conn *sql.DB, create, drop string) string {
	t.Helper()
	var suffix [6]byte
	rand.Read(suffix[:])
	name := "sqlfiltertest_" + hex.EncodeToString(suffix[:])
	mustExec(t, conn, create+name)
	t.Cleanup(func() {
		if _, err := conn.ExecContext(context.Background(), fmt.Sprintf(drop, name)); err != nil {
			t.Errorf("dropping %s: %v", name, err)
		}
	})
	return name
}

// setup creates and fills the tables, and returns the database with its mapping.
// prefix qualifies the table names. variant, if not nil, returns the type of each
// column and may change the mapping.
func setup(t *testing.T, conn *sql.DB, dialect sqlfilter.Dialect, prefix string, variant func(column, *sqlfilter.Mapping) string) *db {
	t.Helper()
	ctx := context.Background()
	m := &sqlfilter.Mapping{
		ResourceType: userType,
		Dialect:      dialect,
		Columns:      map[string]string{},
		Tables: map[string]sqlfilter.Table{
			"emails": {From: prefix + "user_emails e", Join: "e.user_id = u.id", Columns: map[string]string{}},
		},
	}
	typeOf := func(c column) string {
		if variant != nil {
			return variant(c, m)
		}
		return c.typeIn(dialect)
	}
	var ddl strings.Builder
	ddl.WriteString("CREATE TABLE " + prefix + "users (")
	for i, c := range columns {
		if i > 0 {
			ddl.WriteString(", ")
		}
		ddl.WriteString(c.name + " " + typeOf(c))
	}
	ddl.WriteString(")")
	mustExec(t, conn, ddl.String())
	ddl.Reset()
	ddl.WriteString("CREATE TABLE " + prefix + "user_emails (user_id " + typeOf(emailUserID))
	for _, c := range emailColumns {
		ddl.WriteString(", " + c.name + " " + typeOf(c))
	}
	ddl.WriteString(")")
	mustExec(t, conn, ddl.String())
	mustExec(t, conn, "CREATE INDEX user_emails_user_id ON "+prefix+"user_emails (user_id)")
	if dialect == sqlfilter.SQLite {
		m.TimeLayout = timeLayout
	}
	for _, c := range columns {
		m.Columns[c.path] = "u." + c.name
	}
	for _, c := range emailColumns {
		m.Tables["emails"].Columns[c.path] = "e." + c.name
	}
	if err := m.Check(); err != nil {
		t.Fatalf("Check: %v", err)
	}

	placeholders := func(n int) string {
		var b strings.Builder
		for i := 1; i <= n; i++ {
			if i > 1 {
				b.WriteString(", ")
			}
			b.WriteString(dialect.Placeholder(i))
		}
		return b.String()
	}
	names := make([]string, len(columns))
	for i, c := range columns {
		names[i] = c.name
	}
	tx, err := conn.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	insertUser := "INSERT INTO " + prefix + "users (" + strings.Join(names, ", ") + ") VALUES (" + placeholders(len(columns)) + ")"
	insertEmail := "INSERT INTO " + prefix + "user_emails (user_id, address, kind, is_primary) VALUES (" + placeholders(4) + ")"
	for _, u := range testUsers() {
		vals := make([]any, len(columns))
		for i, c := range columns {
			vals[i] = sqlValue(lookup(u, c.path), c, m.TimeLayout)
		}
		if _, err := tx.ExecContext(ctx, insertUser, vals...); err != nil {
			t.Fatalf("insert %v: %v", vals, err)
		}
		emails, _ := u["emails"].([]any)
		for _, e := range emails {
			em := e.(map[string]any)
			if _, err := tx.ExecContext(ctx, insertEmail, u["id"], em["value"], em["type"], em["primary"]); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	return &db{name: dialect.String(), sql: conn, mapping: m, users: prefix + "users"}
}

func mustExec(t *testing.T, conn *sql.DB, q string) {
	t.Helper()
	if _, err := conn.ExecContext(context.Background(), q); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// lookup returns the value at a canonical path of a tree, or nil.
func lookup(u map[string]any, path string) any {
	obj := u
	if rest, ok := strings.CutPrefix(path, entURN+":"); ok {
		obj, _ = u[entURN].(map[string]any)
		path = rest
	} else if rest, ok := strings.CutPrefix(path, extURN+":"); ok {
		obj, _ = u[extURN].(map[string]any)
		path = rest
	}
	name, sub, _ := strings.Cut(path, ".")
	v := obj[name]
	if sub == "" {
		return v
	}
	m, _ := v.(map[string]any)
	return m[sub]
}

// sqlValue converts a tree value to the column's representation: dateTimes become
// text in layout, or a time.Time when layout is empty.
func sqlValue(v any, c column, layout string) any {
	switch v := v.(type) {
	case nil:
		return nil
	case json.Number:
		if c.name == "level" {
			i, _ := v.Int64()
			return i
		}
		f, _ := v.Float64()
		return f
	case string:
		if c.pg == "TIMESTAMPTZ" {
			tm, err := schema.ParseDateTime(v)
			if err != nil {
				panic(err)
			}
			if layout == "" {
				return tm
			}
			return tm.UTC().Format(layout)
		}
	}
	return v
}

// Pools of values for users and filter operands. They contain LIKE and GLOB
// wildcards, quotes, backslashes and non-ASCII letters on purpose.
var (
	givenNames  = []string{"Ann", "Bob", "Cara", "Dave", "Émile", "Emile", "Zoë", "eve", "O'Neil", "Al_x", "100%", "Back\\slash", "Straße", "Bang!Bang"}
	familyNames = []string{"Jensen", "jensen", "Smith", "Smith ", "Lovelace", "Nguyen", "de la Cruz", "Star*Glob?[x]", "Ünal"}
	domains     = []string{"example.com", "Example.org", "corp.example.net", "x_y.test"}
	titles      = []string{"", "Engineer", "engineer", "Lead Engineer", "CTO"}
	departments = []string{"R&D", "Sales", "sales", "Tour Operations", "50% Ops"}
	emailTypes  = []string{"work", "home", "other", "Work"}
	externalIDs = []string{"ext-%d", "EXT-%d", "A*b?[c]%%_%d", "x\\y-%d"}
	scores      = []string{"0.25", "12.5", "-3", "100", "7.75", "12.50"}
	offsets     = []int{0, 0, 2 * 3600, -(5*3600 + 1800), 14 * 3600}
)

var epoch = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)

// testUsers generates numUsers canonical User trees, always the same ones.
func testUsers() []map[string]any {
	r := mrand.New(mrand.NewPCG(7, 11))
	pick := func(s []string) string { return s[r.IntN(len(s))] }
	users := make([]map[string]any, numUsers)
	for i := range users {
		id := fmt.Sprintf("u-%03d", i)
		given, family := pick(givenNames), pick(familyNames)
		userName := given + "." + family + strconv.Itoa(i) + "@" + pick(domains)
		u := map[string]any{
			"id":         id,
			"userName":   flipCase(r, userName),
			"externalId": fmt.Sprintf(pick(externalIDs), i),
			"name":       map[string]any{"givenName": given, "familyName": family},
		}
		if r.IntN(4) > 0 {
			u["displayName"] = given + " " + family
		}
		if r.IntN(5) == 0 {
			u["nickName"] = flipCase(r, given)
		}
		if r.IntN(3) > 0 {
			u["title"] = pick(titles)
		}
		if r.IntN(5) > 0 {
			u["active"] = r.IntN(2) == 0
		}
		created := epoch.Add(time.Duration(r.IntN(4*365*24*3600)) * time.Second)
		modified := created.Add(time.Duration(r.IntN(100*24*3600)) * time.Second)
		u["meta"] = map[string]any{
			"resourceType": "User",
			"created":      formatWithOffset(created, offsets[r.IntN(len(offsets))]),
			"lastModified": formatWithOffset(modified, offsets[r.IntN(len(offsets))]),
		}
		ent := map[string]any{}
		if r.IntN(3) > 0 {
			ent["employeeNumber"] = strconv.Itoa(r.IntN(50))
		}
		if r.IntN(3) > 0 {
			ent["department"] = pick(departments)
		}
		if i > 0 && r.IntN(2) == 0 {
			ent["manager"] = map[string]any{"value": fmt.Sprintf("u-%03d", r.IntN(i))}
		}
		if len(ent) > 0 {
			u[entURN] = ent
		}
		ext := map[string]any{}
		if r.IntN(4) > 0 {
			ext["level"] = json.Number(strconv.Itoa(r.IntN(26) - 5))
		}
		if r.IntN(4) > 0 {
			ext["score"] = json.Number(pick(scores))
		}
		if len(ext) > 0 {
			u[extURN] = ext
		}
		var emails []any
		for range r.IntN(4) {
			e := map[string]any{"value": flipCase(r, pick(givenNames)+strconv.Itoa(r.IntN(5))+"@"+pick(domains))}
			if r.IntN(5) > 0 {
				e["type"] = pick(emailTypes)
			}
			if r.IntN(3) == 0 {
				e["primary"] = r.IntN(2) == 0
			}
			emails = append(emails, e)
		}
		if len(emails) > 0 {
			u["emails"] = emails
		}
		users[i] = u
	}
	return users
}

func formatWithOffset(t time.Time, offset int) string {
	if offset == 0 {
		return t.UTC().Format(time.RFC3339)
	}
	return t.In(time.FixedZone("", offset)).Format(time.RFC3339)
}

// flipCase changes the case of some ASCII letters of s. Non-ASCII letters keep
// their case: SQLite's lower() folds only ASCII, so changing them would test SQLite
// rather than sqlfilter (see the sqlfilter documentation).
func flipCase(r *mrand.Rand, s string) string {
	b := []byte(s)
	for i, c := range b {
		if r.IntN(3) != 0 {
			continue
		}
		switch {
		case 'a' <= c && c <= 'z':
			b[i] = c - 'a' + 'A'
		case 'A' <= c && c <= 'Z':
			b[i] = c - 'A' + 'a'
		}
	}
	return string(b)
}

// fixedFilters exercise every translation rule at least once.
var fixedFilters = []string{
	`userName eq "ann.jensen0@example.com"`,
	`userName sw "ANN."`,
	`userName co "%"`,
	`userName co "_x"`,
	`userName co "\\"`,
	`userName ew "@EXAMPLE.ORG"`,
	`userName gt "m" and userName lt "T"`,
	`userName ge "Émile" or userName le "Bob"`,
	`externalId eq "ext-1"`,
	`externalId sw "EXT-"`,
	`externalId co "*b?[c]%_"`,
	`externalId ew "y-12"`,
	`externalId gt "ext-2"`,
	`id eq "u-007"`,
	`id eq "U-007"`,
	`id ne "u-007"`,
	`displayName pr`,
	`displayName eq null`,
	`displayName ne null`,
	`not (displayName pr)`,
	`title pr`,
	`title eq ""`,
	`title eq "ENGINEER"`,
	`title ne "engineer"`,
	`not (title eq "engineer")`,
	`not (title co "eng") and active eq true`,
	`nickName ne "x"`,
	`active eq true`,
	`active eq false`,
	`active ne true`,
	`active eq "False"`,
	`not (active eq true)`,
	`active pr`,
	`name pr`,
	`name.givenName eq "ÉMILE"`,
	`name.givenName sw "o'n"`,
	`name.givenName eq "emile"`,
	`name.givenName eq "STRASSE"`,
	`name.givenName sw "bang!b"`,
	`name.givenName co "!"`,
	`name.familyName eq "smith"`,
	`name.familyName eq "Smith "`,
	`name.familyName ew "h "`,
	`name.familyName gt "smith"`,
	`name.familyName co "*glob?["`,
	`name.familyName eq "JENSEN" and (emails.value co "example.com" or emails.value co "example.org")`,
	`meta.created gt "2022-01-01T00:00:00Z"`,
	`meta.created ge "2022-01-01T00:00:00.5Z"`,
	`meta.created lt "2021-06-01T12:00:00+02:00"`,
	`meta.lastModified le "2021-06-01T12:00:00.999Z"`,
	`meta.lastModified eq "2021-06-01T12:00:00.5Z"`,
	`meta.lastModified ne "2021-06-01T12:00:00.5Z"`,
	`meta.created pr`,
	`employeeNumber eq "7"`,
	`employeeNumber pr and not (department pr)`,
	`department co "%"`,
	`department eq "SALES"`,
	`manager eq "u-001"`,
	`manager pr`,
	`manager ne "u-001"`,
	`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value sw "u-00"`,
	`id eq "u-010" and manager eq "u-002"`,
	extURN + `:level gt 10`,
	extURN + `:level ge 10.5`,
	extURN + `:level eq 1e1`,
	extURN + `:level ne 3`,
	extURN + `:level le -2`,
	extURN + `:level pr`,
	extURN + `:score eq 12.5`,
	extURN + `:score lt 0.3`,
	extURN + `:score ge -3`,
	extURN + `:score lt 1e400`,
	extURN + `:score gt -1e400`,
	extURN + `:level lt 12345678901234567890`,
	extURN + `:level gt -12345678901234567890.5`,
	extURN + `:score gt 0.0000000000000000000000000000000001`,
	extURN + `:score ge 12.500000000000000000000000000000000001`,
	`emails pr`,
	`not (emails pr)`,
	`emails co "example"`,
	`emails eq "ann1@example.com"`,
	`emails ne "ann1@example.com"`,
	`emails.value ew ".NET"`,
	`emails.type eq "work"`,
	`emails.type ne "work"`,
	`emails.type eq null`,
	`emails.type ne null`,
	`emails.primary eq true`,
	`emails.primary ne true`,
	`emails[type eq "work"]`,
	`emails[type eq "work" and primary eq true]`,
	`emails[type eq "work"].value co "@example"`,
	`emails[type eq "work" or type eq "home"].value sw "a"`,
	`emails[not (type eq "work") and value co "0"]`,
	`emails[type ne "work" and not (primary eq false)]`,
	`emails[type pr and value co "_"]`,
	`not (emails[type eq "work"]) and userName co "a"`,
	`emails[primary eq "True"]`,
	`emails[type eq "work"] and emails[type eq "home"]`,
	`emails[type eq "work" or type eq "home"] or emails.type eq "other" or emails.value ew ".net"`,
	`userName eq "x" or userName eq "ANN.jensen0@example.com" or title eq "cto" or title eq "Engineer"`,
	`not (title eq "engineer" or title eq "CTO")`,
	`title ne "engineer" and title ne "cto" and nickName ne "eve"`,
	`not (title ne "engineer" and title ne "cto")`,
	`emails[type ne "work" and type ne "home"]`,
	`externalId eq "ext-1" or externalId eq "EXT-2" or externalId eq "ext-3"`,
}

// unicodeCaseFilters need a lower() that folds non-ASCII letters, which SQLite's does
// not (a documented difference): they run against PostgreSQL and MySQL only.
var unicodeCaseFilters = []string{
	`name.givenName eq "émile"`,
	`name.familyName sw "ü"`,
	`name.givenName ew "Ë"`,
}

func runAll(t *testing.T, d *db) {
	users := testUsers()
	check := func(t *testing.T, text string) int {
		t.Helper()
		e, err := filter.Parse(text)
		if err != nil {
			t.Fatalf("Parse(%q): %v", text, err)
		}
		return d.check(t, users, e)
	}
	t.Run("fixed", func(t *testing.T) {
		for _, f := range fixedFilters {
			check(t, f)
		}
		if d.mapping.Dialect != sqlfilter.SQLite {
			for _, f := range unicodeCaseFilters {
				check(t, f)
			}
		}
	})
	t.Run("long", func(t *testing.T) { runLong(t, d, users) })
	t.Run("random", func(t *testing.T) {
		r := mrand.New(mrand.NewPCG(3, 5))
		g := &gen{r: r, users: users}
		const n = randomFilters
		some := 0 // filters that select some users but not all
		for range n {
			if k := check(t, g.filter(0).String()); k > 0 && k < len(users) {
				some++
			}
		}
		t.Logf("%d of %d random filters selected some but not all users", some, n)
		if some < n/3 {
			t.Errorf("only %d of %d random filters selected some but not all users: the generator needs better operands", some, n)
		}
	})
}

// check compares SQL and Match on one filter and returns how many users matched.
func (d *db) check(t *testing.T, users []map[string]any, e filter.Expr) int {
	t.Helper()
	text := e.String()
	if len(text) > 300 {
		text = text[:300] + "…"
	}
	m, err := filter.Compile(e, userType)
	if err != nil {
		t.Fatalf("Compile(%q): %v", text, err)
	}
	var want []string
	for _, u := range users {
		if m.Match(u) {
			want = append(want, u["id"].(string))
		}
	}
	where, args, err := d.mapping.Where(e, nil)
	if err != nil {
		t.Fatalf("Where(%q): %v", text, err)
	}
	shown, shownArgs := where, args
	if len(shown) > 600 {
		shown, shownArgs = shown[:600]+"…", args[:min(len(args), 20)]
	}
	got, err := queryIDs(d.sql, "SELECT u.id FROM "+d.users+" u WHERE "+where, args)
	if err != nil {
		t.Fatalf("%s: %q: %s %v: %v", d.name, text, shown, shownArgs, err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("%s: %s\n  SQL  %s %q\n  SQL rows    %d %v\n  Match rows  %d %v", d.name, text, shown, shownArgs, len(got), diff(got, want), len(want), diff(want, got))
	}
	return len(want)
}

func queryIDs(conn *sql.DB, q string, args []any) ([]string, error) {
	rows, err := conn.QueryContext(context.Background(), q+" ORDER BY u.id", args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// diff returns the ids in a that are not in b.
func diff(a, b []string) []string {
	var d []string
	for _, x := range a {
		if !slices.Contains(b, x) {
			d = append(d, x)
		}
	}
	return d
}

// gen builds random filters over the attributes of the test users, with operands
// taken from their data so that many filters select some users but not all.
type gen struct {
	r     *mrand.Rand
	users []map[string]any
}

type attrKind int

const (
	kString attrKind = iota
	kExact
	kBool
	kNumber
	kTime
)

var genAttrs = []struct {
	path string
	kind attrKind
}{
	{"userName", kString}, {"USERNAME", kString}, {"externalId", kExact}, {"id", kExact},
	{"displayName", kString}, {"nickName", kString}, {"title", kString}, {"active", kBool},
	{"name.givenName", kString}, {"name.familyName", kString}, {"meta.created", kTime},
	{"meta.lastModified", kTime}, {"employeeNumber", kString}, {entURN + ":department", kString},
	{"manager", kString}, {extURN + ":level", kNumber}, {extURN + ":score", kNumber},
	{"emails", kString}, {"emails.value", kString}, {"emails.type", kString}, {"emails.primary", kBool},
}

var elemAttrs = []struct {
	path string
	kind attrKind
}{{"value", kString}, {"type", kString}, {"primary", kBool}, {"Type", kString}}

func (g *gen) filter(depth int) filter.Expr {
	n := g.r.IntN(10)
	if depth >= 3 {
		n = 9
	}
	switch {
	case n == 0:
		return &filter.Not{X: g.filter(depth + 1)}
	case n <= 2:
		return &filter.Logical{Op: filter.And, Left: g.filter(depth + 1), Right: g.filter(depth + 1)}
	case n <= 4:
		return &filter.Logical{Op: filter.Or, Left: g.filter(depth + 1), Right: g.filter(depth + 1)}
	case n == 5:
		return &filter.ValuePath{Path: filter.AttrPath{Name: "emails"}, Filter: g.elemFilter(0)}
	}
	a := genAttrs[g.r.IntN(len(genAttrs))]
	urn, rest := "", a.path
	if i := strings.LastIndexByte(a.path, ':'); i >= 0 {
		urn, rest = a.path[:i], a.path[i+1:]
	}
	name, sub, _ := strings.Cut(rest, ".")
	return g.compare(filter.AttrPath{URN: urn, Name: name, Sub: sub}, a.kind)
}

func (g *gen) elemFilter(depth int) filter.Expr {
	n := g.r.IntN(8)
	if depth >= 2 {
		n = 7
	}
	switch n {
	case 0:
		return &filter.Not{X: g.elemFilter(depth + 1)}
	case 1:
		return &filter.Logical{Op: filter.And, Left: g.elemFilter(depth + 1), Right: g.elemFilter(depth + 1)}
	case 2:
		return &filter.Logical{Op: filter.Or, Left: g.elemFilter(depth + 1), Right: g.elemFilter(depth + 1)}
	}
	a := elemAttrs[g.r.IntN(len(elemAttrs))]
	return g.compare(filter.AttrPath{Name: a.path}, a.kind)
}

var (
	stringOps = []filter.CompareOp{filter.Eq, filter.Eq, filter.Ne, filter.Co, filter.Sw, filter.Ew, filter.Gt, filter.Ge, filter.Lt, filter.Le, filter.Pr}
	boolOps   = []filter.CompareOp{filter.Eq, filter.Ne, filter.Pr}
	orderOps  = []filter.CompareOp{filter.Eq, filter.Ne, filter.Gt, filter.Ge, filter.Lt, filter.Le, filter.Pr}
)

func (g *gen) compare(p filter.AttrPath, k attrKind) filter.Expr {
	var ops []filter.CompareOp
	switch k {
	case kString, kExact:
		ops = stringOps
	case kBool:
		ops = boolOps
	default:
		ops = orderOps
	}
	op := ops[g.r.IntN(len(ops))]
	c := &filter.Compare{Path: p, Op: op}
	if op == filter.Pr {
		return c
	}
	if (op == filter.Eq || op == filter.Ne) && g.r.IntN(15) == 0 {
		return c // null
	}
	switch k {
	case kBool:
		c.Value = []any{true, false, "True", "false"}[g.r.IntN(4)]
	case kNumber:
		c.Value = json.Number([]string{"0", "3", "-2", "10", "12.5", "0.25", "1.25e1", "20", "7.75", "-3", "100.0", "12.5000000000000000000000000000000001", "0.1", "-1e400"}[g.r.IntN(14)])
	case kTime:
		tm := epoch.Add(time.Duration(g.r.Int64N(int64(4 * 365 * 24 * time.Hour))))
		if g.r.IntN(2) == 0 {
			// The time of some user, exactly or a fraction of a second later, so that
			// rounding to the column's precision matters.
			u := g.users[g.r.IntN(len(g.users))]
			tm, _ = schema.ParseDateTime(lookup(u, []string{"meta.created", "meta.lastModified"}[g.r.IntN(2)]).(string))
		}
		tm = tm.Add([]time.Duration{0, 0, time.Millisecond * 500, time.Nanosecond, -time.Nanosecond, time.Second}[g.r.IntN(6)])
		c.Value = tm.In(time.FixedZone("", offsets[g.r.IntN(len(offsets))])).Format(time.RFC3339Nano)
	default:
		c.Value = g.stringOperand(p, op)
	}
	return c
}

// stringOperand picks a value of some user (or a random string) and, for co, sw and
// ew, a piece of it; it flips the case of some ASCII letters.
func (g *gen) stringOperand(p filter.AttrPath, op filter.CompareOp) string {
	var pool []string
	for range 3 {
		u := g.users[g.r.IntN(len(g.users))]
		pool = append(pool, collect(u, p)...)
	}
	if len(pool) == 0 || g.r.IntN(10) == 0 {
		pool = append(pool, []string{"a", "x", "", "%", "_", "*", "Example", "u-1"}...)
	}
	s := pool[g.r.IntN(len(pool))]
	if op == filter.Co || op == filter.Sw || op == filter.Ew {
		runes := []rune(s)
		if len(runes) > 0 {
			i := g.r.IntN(len(runes))
			j := i + g.r.IntN(len(runes)-i+1)
			switch op {
			case filter.Sw:
				s = string(runes[:j])
			case filter.Ew:
				s = string(runes[i:])
			default:
				s = string(runes[i:j])
			}
		}
	}
	if g.r.IntN(2) == 0 {
		s = flipCase(g.r, s)
	}
	return s
}

// collect returns the string values of the (case-insensitively named) attribute p in
// u, and of every email for email attributes.
func collect(u map[string]any, p filter.AttrPath) []string {
	path := strings.ToLower(p.String())
	var out []string
	add := func(v any) {
		if s, ok := v.(string); ok {
			out = append(out, s)
		}
	}
	emails, _ := u["emails"].([]any)
	switch path {
	case "emails", "emails.value", "value":
		for _, e := range emails {
			add(e.(map[string]any)["value"])
		}
		return out
	case "emails.type", "type":
		for _, e := range emails {
			add(e.(map[string]any)["type"])
		}
		return out
	case "manager":
		path = strings.ToLower(entURN) + ":manager.value"
	case "employeenumber":
		path = strings.ToLower(entURN) + ":employeenumber"
	}
	for _, c := range columns {
		if strings.ToLower(c.path) == path {
			add(lookup(u, c.path))
		}
	}
	return out
}
