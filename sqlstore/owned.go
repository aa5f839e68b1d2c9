package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/scimkit/scimkit/schema"
)

// DefaultPrefix is the name prefix of the owned tables when Options.Tables is nil.
const DefaultPrefix = "scim_"

// SchemaVersion is the layout version of the owned tables that this package creates
// and reads. The owned tables record theirs in the table prefix+"schema" (see DDL);
// Migrate upgrades an older one (see UpgradeDDL) and refuses a newer one.
//
// Version 2 adds to the users and groups tables an index on (created, id,
// tenant), the default order of a list.
const SchemaVersion = 2

// orderIndex is the index of the owned users and groups tables that serves the
// default order of a list (version 2): name suffix and columns.
const orderIndex, orderColumns = "created", "created, id, tenant"

// schemaTable names the table that records the owned tables' layout version.
func schemaTable(prefix string) string { return prefix + "schema" }

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
// (CREATE … IF NOT EXISTS, an INSERT that skips a row already there). The first
// creates the version record's table, prefix+"schema" (one row: id 1 and the layout
// version); the last records SchemaVersion there, so that a later Migrate knows the
// tables. A host that runs the statements must run them all, in order.
//
// userName and group displayName are unique per tenant ignoring case: PostgreSQL
// and SQLite through a unique index on lower(column), MariaDB and MySQL through a
// stored generated column lower(column) with a binary, no-pad collation (so that
// "ada" and "ada " differ, as they do elsewhere).
//
// No index starts with the tenant column: every key has it last. So each lookup
// (by id, userName, externalId, email, member) can use only the index on its own
// key, whatever the statistics say, also in a plan a database made while a table
// was nearly empty (PostgreSQL's generic plans); none can reach the row through an
// index that narrows only the tenant. A list of a whole tenant in the default order
// reads the index on (created, id, tenant) in order, and counts the tenant's rows
// in the smallest index that holds the tenant.
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
		index(&cols, false, tb.Name, orderIndex, orderColumns)
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
	out := []string{"CREATE TABLE IF NOT EXISTS " + schemaTable(prefix) + " (\n\tid " + integer + " NOT NULL PRIMARY KEY,\n\tversion " +
		integer + " NOT NULL\n)" + suffix}
	out = append(out, tables...)
	out = append(out, indexes...)
	pre, post := d.insertIgnore()
	return append(out, pre+"INTO "+schemaTable(prefix)+" (id, version) VALUES (1, "+strconv.Itoa(SchemaVersion)+")"+post)
}

// An upgrade is one statement of UpgradeDDL that creates an index: MySQL's has no
// IF NOT EXISTS, so Migrate runs it only when the index is missing.
type upgrade struct {
	table, index, stmt string
}

// upgrades returns the steps from layout version from to SchemaVersion, but the
// last: the one that records the version.
func upgrades(d Dialect, prefix string, from int) []upgrade {
	var out []upgrade
	if from < 2 {
		t := Owned(d, prefix)
		ifNotExists := " IF NOT EXISTS"
		if d == MySQL {
			ifNotExists = ""
		}
		for _, tbl := range []string{t.Users.Name, t.Groups.Name} {
			name := tbl + "_" + orderIndex
			out = append(out, upgrade{tbl, name, "CREATE INDEX" + ifNotExists + " " + name + " ON " + tbl + " (" + orderColumns + ")"})
		}
	}
	return out
}

// UpgradeDDL returns the statements that bring the owned tables with prefix from
// layout version from to SchemaVersion in dialect d, for a host that runs its own
// migration tool (Migrate runs them itself); the last records SchemaVersion. It
// returns none when from is SchemaVersion, and an error for a version this package
// does not know. Every statement is idempotent but on MySQL, which has no CREATE
// INDEX IF NOT EXISTS: there, skip the statement of an index that exists. Building
// an index blocks writes to its table while it runs, but on MariaDB and MySQL.
func UpgradeDDL(d Dialect, prefix string, from int) ([]string, error) {
	DDL(d, prefix) // checks the prefix
	if from < 1 || from > SchemaVersion {
		return nil, fmt.Errorf("sqlstore: no upgrade from schema version %d to %d", from, SchemaVersion)
	}
	if from == SchemaVersion {
		return nil, nil
	}
	var out []string
	for _, u := range upgrades(d, prefix, from) {
		out = append(out, u.stmt)
	}
	return append(out, "UPDATE "+schemaTable(prefix)+" SET version = "+strconv.Itoa(SchemaVersion)+" WHERE id = 1"), nil
}

// Migrate creates the owned tables with prefix in db and records their layout
// version (see DDL), when they do not exist yet; it does nothing when the recorded
// version is SchemaVersion, and upgrades tables at an older version (see
// UpgradeDDL). It refuses a database whose recorded version is newer (one made by a
// newer sqlstore), naming both, and owned tables without a version record: those
// were made by an unreleased layout, and must be dropped (or their data moved to
// tables that Migrate makes with another prefix) first.
//
// Processes may run Migrate at once: they take turns (PostgreSQL through
// pg_advisory_xact_lock, in one transaction; MariaDB and MySQL through GET_LOCK;
// SQLite in one write transaction), and all succeed.
func Migrate(ctx context.Context, db *sql.DB, d Dialect, prefix string) error {
	stmts := DDL(d, prefix) // checks the prefix
	conn, err := db.Conn(ctx)
	if err != nil {
		return fmt.Errorf("sqlstore: migrate: %w", err)
	}
	defer conn.Close()
	// The lock of this prefix and a transaction where the dialect has transactional
	// DDL; end ends both, committing when commit is set.
	var end func(commit bool) error
	switch d {
	case PostgreSQL:
		if _, err = conn.ExecContext(ctx, "BEGIN"); err == nil {
			end = endTx(ctx, conn)
			_, err = conn.ExecContext(ctx, "SELECT pg_advisory_xact_lock(hashtext($1))", "scimkit migrate "+prefix)
		}
	case SQLite:
		if _, err = conn.ExecContext(ctx, "BEGIN IMMEDIATE"); err == nil {
			end = endTx(ctx, conn)
		}
	default:
		sum := sha256.Sum256([]byte(prefix))
		name := "scimkit_migrate_" + hex.EncodeToString(sum[:16]) // GET_LOCK takes at most 64 characters
		var got sql.NullInt64
		if err = conn.QueryRowContext(ctx, "SELECT GET_LOCK(?, 86400)", name).Scan(&got); err == nil && got.Int64 != 1 {
			err = errors.New("GET_LOCK did not grant the lock")
		}
		if err == nil {
			end = func(bool) error {
				_, err := conn.ExecContext(context.WithoutCancel(ctx), "DO RELEASE_LOCK(?)", name)
				return err
			}
		}
	}
	if err != nil {
		if end != nil {
			end(false)
		}
		return fmt.Errorf("sqlstore: migrate: taking the migration lock: %w", err)
	}
	if err := migrate(ctx, conn, d, prefix, stmts); err != nil {
		end(false)
		return err
	}
	if err := end(true); err != nil {
		return fmt.Errorf("sqlstore: migrate: %w", err)
	}
	return nil
}

// endTx returns the end of the transaction that conn runs: COMMIT or ROLLBACK.
func endTx(ctx context.Context, conn *sql.Conn) func(commit bool) error {
	return func(commit bool) error {
		q := "ROLLBACK"
		if commit {
			q = "COMMIT"
		}
		_, err := conn.ExecContext(context.WithoutCancel(ctx), q)
		return err
	}
}

// migrate does Migrate's work under its lock: it reads the recorded version and runs
// stmts (DDL's) when there is none. A version table without its row is a Migrate
// that stopped half way (MariaDB and MySQL commit every CREATE at once): DDL's first
// statement creates that table and its last fills it, so the statements run again.
func migrate(ctx context.Context, conn *sql.Conn, d Dialect, prefix string, stmts []string) error {
	versioned, err := tableExists(ctx, conn, d, schemaTable(prefix))
	if err != nil {
		return fmt.Errorf("sqlstore: migrate: %w", err)
	}
	if versioned {
		var v sql.NullInt64
		if err := conn.QueryRowContext(ctx, "SELECT MAX(version) FROM "+schemaTable(prefix)).Scan(&v); err != nil {
			return fmt.Errorf("sqlstore: migrate: reading the schema version: %w", err)
		}
		switch {
		case v.Valid && v.Int64 == SchemaVersion:
			return nil
		case v.Valid && v.Int64 >= 1 && v.Int64 < SchemaVersion:
			return upgradeTables(ctx, conn, d, prefix, int(v.Int64))
		case v.Valid:
			return fmt.Errorf("sqlstore: migrate: the tables with prefix %q are at schema version %d, and this sqlstore knows version %d only: "+
				"run a sqlstore that knows version %d", prefix, v.Int64, SchemaVersion, v.Int64)
		}
	} else {
		for _, name := range Owned(d, prefix).Names() {
			there, err := tableExists(ctx, conn, d, name)
			if err != nil {
				return fmt.Errorf("sqlstore: migrate: %w", err)
			}
			if there {
				return fmt.Errorf("sqlstore: migrate: table %s exists but %s, the schema version record, does not: "+
					"the tables with prefix %q were made by an unreleased sqlstore, whose layout may differ from version %d; "+
					"drop them (or copy their data into tables that Migrate makes with another prefix) and run Migrate again",
					name, schemaTable(prefix), prefix, SchemaVersion)
			}
		}
	}
	for _, q := range stmts {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("sqlstore: migrate: %w\n%s", err, q)
		}
	}
	return nil
}

// upgradeTables runs UpgradeDDL's statements from version from under Migrate's
// lock, skipping on MySQL those of indexes that exist. On MariaDB and MySQL every
// CREATE INDEX commits at once: a Migrate stopped half way leaves the old version
// recorded, and the next one runs the steps again.
func upgradeTables(ctx context.Context, conn *sql.Conn, d Dialect, prefix string, from int) error {
	stmts, err := UpgradeDDL(d, prefix, from)
	if err != nil {
		return fmt.Errorf("sqlstore: migrate: %w", err)
	}
	for i, u := range upgrades(d, prefix, from) {
		if d == MySQL {
			var there bool
			q := "SELECT EXISTS (SELECT 1 FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = ? AND index_name = ?)"
			if err := conn.QueryRowContext(ctx, q, u.table, u.index).Scan(&there); err != nil {
				return fmt.Errorf("sqlstore: migrate: %w", err)
			}
			if there {
				stmts[i] = ""
			}
		}
	}
	for _, q := range stmts {
		if q == "" {
			continue
		}
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("sqlstore: migrate: upgrading from schema version %d: %w\n%s", from, err, q)
		}
	}
	return nil
}

// tableExists reports whether the table name exists where db's unqualified names
// resolve: PostgreSQL's search path, MariaDB's and MySQL's current database, SQLite's
// main database.
func tableExists(ctx context.Context, conn *sql.Conn, d Dialect, name string) (bool, error) {
	var q string
	switch d {
	case PostgreSQL:
		q = "SELECT to_regclass($1) IS NOT NULL"
	case SQLite:
		q = "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?)"
	default:
		q = "SELECT EXISTS (SELECT 1 FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = ?)"
	}
	var there bool
	err := conn.QueryRowContext(ctx, q, name).Scan(&there)
	return there, err
}
