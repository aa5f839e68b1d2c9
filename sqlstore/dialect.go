package sqlstore

import (
	"strconv"
	"strings"
	"time"

	"github.com/scimkit/scimkit/filter/sqlfilter"
)

// A Dialect is the SQL database a Store talks to. The host chooses it; the driver
// behind the *sql.DB is the host's choice too.
type Dialect int

// The supported dialects.
const (
	// PostgreSQL (tested with pgx's stdlib driver). It is the zero Dialect.
	PostgreSQL Dialect = iota
	// MariaDB 10.6 or later (tested with github.com/go-sql-driver/mysql).
	MariaDB
	// MySQL 8.0.13 or later. It differs from MariaDB in the statement timeout
	// (a MAX_EXECUTION_TIME hint) and in aggregating child rows without ORDER BY,
	// so a multi-valued attribute may read back in another order.
	MySQL
	// SQLite 3.44 or later (tested with modernc.org/sqlite). Its lower() folds only
	// ASCII letters: "ÉMILE" and "émile" are different userNames there.
	SQLite
)

// String returns the dialect's name.
func (d Dialect) String() string {
	switch d {
	case PostgreSQL:
		return "PostgreSQL"
	case MariaDB:
		return "MariaDB"
	case MySQL:
		return "MySQL"
	case SQLite:
		return "SQLite"
	}
	return "Dialect(" + strconv.Itoa(int(d)) + ")"
}

func (d Dialect) mysqlLike() bool { return d == MariaDB || d == MySQL }

// filterDialect is the sqlfilter dialect that translates filters for d.
func (d Dialect) filterDialect() sqlfilter.Dialect {
	switch d {
	case SQLite:
		return sqlfilter.SQLite
	case MariaDB, MySQL:
		return sqlfilter.MySQL
	}
	return sqlfilter.PostgreSQL
}

// forUpdate is the suffix that locks the rows a SELECT reads, "" where the dialect
// locks by writing first (SQLite).
func (d Dialect) forUpdate() string {
	if d == SQLite {
		return ""
	}
	return " FOR UPDATE"
}

// forKeyShare is the suffix that share-locks the rows a SELECT reads, so that they
// cannot be deleted before the transaction ends ("" on SQLite, whose write
// transactions exclude each other). PostgreSQL's FOR KEY SHARE is the lock of a
// foreign key check: it waits only for deletes and FOR UPDATE.
func (d Dialect) forKeyShare() string {
	switch d {
	case SQLite:
		return ""
	case MariaDB, MySQL:
		return " LOCK IN SHARE MODE"
	}
	return " FOR KEY SHARE"
}

// insertIgnore returns an INSERT that skips rows whose key is taken: its prefix and
// suffix around "INTO t (…) VALUES …".
func (d Dialect) insertIgnore() (prefix, suffix string) {
	switch d {
	case SQLite:
		return "INSERT OR IGNORE ", ""
	case MariaDB, MySQL:
		return "INSERT IGNORE ", ""
	}
	return "INSERT ", " ON CONFLICT DO NOTHING"
}

// jsonArray returns an aggregate of the rows of a subquery into a JSON array of
// objects with these keys and SQL expressions, in the order of orderBy ("" for any).
func (d Dialect) jsonArray(keys, exprs []string, orderBy string) string {
	var obj strings.Builder
	fn := "json_object("
	if d == PostgreSQL {
		fn = "json_build_object("
	}
	obj.WriteString(fn)
	for i, k := range keys {
		if i > 0 {
			obj.WriteString(", ")
		}
		obj.WriteString("'" + k + "', " + exprs[i])
	}
	obj.WriteByte(')')
	order := ""
	if orderBy != "" && d != MySQL {
		order = " ORDER BY " + orderBy
	}
	switch d {
	case PostgreSQL:
		return "json_agg(" + obj.String() + order + ")"
	case SQLite:
		return "json_group_array(" + obj.String() + order + ")"
	}
	return "JSON_ARRAYAGG(" + obj.String() + order + ")"
}

// timed returns the statement q bounded by the database to the time left until
// deadline, where the dialect can bound one statement, and reports whether it did.
// PostgreSQL bounds a transaction instead (see Store.query).
func (d Dialect) timed(q string, left time.Duration) (string, bool) {
	ms := left.Milliseconds()
	if ms < 1 {
		ms = 1
	}
	switch d {
	case MariaDB:
		// max_statement_time is in seconds, with microsecond precision.
		set := "SET STATEMENT max_statement_time=" + strconv.FormatFloat(float64(ms)/1000, 'f', 3, 64)
		if rest, ok := strings.CutPrefix(q, "SET STATEMENT "); ok {
			return set + ", " + rest, true
		}
		return set + " FOR " + q, true
	case MySQL:
		if rest, ok := strings.CutPrefix(q, "SELECT "); ok {
			return "SELECT /*+ MAX_EXECUTION_TIME(" + strconv.FormatInt(ms, 10) + ") */ " + rest, true
		}
	}
	return q, false
}

// A builder writes one SQL statement and collects its arguments.
type builder struct {
	d    Dialect
	b    strings.Builder
	args []any
}

func (b *builder) sql(s ...string) *builder {
	for _, x := range s {
		b.b.WriteString(x)
	}
	return b
}

// arg appends v and writes its placeholder.
func (b *builder) arg(v any) *builder {
	b.args = append(b.args, v)
	if b.d == PostgreSQL {
		b.b.WriteString("$" + strconv.Itoa(len(b.args)))
	} else {
		b.b.WriteByte('?')
	}
	return b
}

func (b *builder) String() string { return b.b.String() }
