package sqlfilter

import (
	"encoding/json"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/scimkit/scimkit/filter"
	"github.com/scimkit/scimkit/schema"
)

// A Dialect selects the placeholder syntax and the few SQL constructs that differ
// between databases.
type Dialect int

// The supported dialects.
const (
	// PostgreSQL numbers placeholders $1, $2, …. It is the zero Dialect.
	PostgreSQL Dialect = iota
	// SQLite uses ? placeholders.
	SQLite
	// MySQL is MySQL and MariaDB. It uses ? placeholders. String columns must use
	// the character set utf8mb4, in any collation; see [Mapping.Where].
	MySQL
)

// String returns the dialect's name: "PostgreSQL", "SQLite" or "MySQL".
func (d Dialect) String() string {
	switch d {
	case PostgreSQL:
		return "PostgreSQL"
	case SQLite:
		return "SQLite"
	case MySQL:
		return "MySQL"
	}
	return "Dialect(" + strconv.Itoa(int(d)) + ")"
}

// Placeholder returns the placeholder of the n-th argument of a statement, counted
// from 1: "$n" in PostgreSQL, "?" otherwise.
func (d Dialect) Placeholder(n int) string {
	if d == PostgreSQL {
		return "$" + strconv.Itoa(n)
	}
	return "?"
}

// checkText refuses a string operand that the dialect's text cannot hold.
func (d Dialect) checkText(a *schema.Attribute, s string) error {
	if d == PostgreSQL && strings.IndexByte(s, 0) >= 0 {
		return &filter.ValidationError{Attr: a.Name, Msg: "PostgreSQL text cannot hold the character U+0000"}
	}
	return nil
}

// likeEscape is the escape character of LIKE patterns. MySQL reads a backslash in a
// string literal as an escape unless sql_mode has NO_BACKSLASH_ESCAPES, so no
// literal spelling of a backslash works in both modes; "!" needs no escaping in
// any mode or database.
const likeEscape = '!'

// fold returns x lower-cased for a case-insensitive comparison. In MySQL the result
// is a binary string, so that the comparison is by code point whatever the
// collation: a ci, accent-insensitive or PAD SPACE collation would otherwise make
// "é" equal "e", "ß" equal "ss" or "a " equal "a".
func (d Dialect) fold(x string) string {
	if d == MySQL {
		return "CAST(LOWER(" + x + ") AS BINARY)"
	}
	return "lower(" + x + ")"
}

// exact returns x for a case-sensitive comparison by code point.
func (d Dialect) exact(x string) string {
	if d == MySQL {
		return "CAST(" + x + " AS BINARY)"
	}
	return x
}

// empty returns the condition that the non-NULL text x is the empty string. MySQL's
// PAD SPACE collations find "  " equal to "", so it counts bytes instead.
func (d Dialect) empty(x string, is bool) string {
	switch {
	case d == MySQL && is:
		return "LENGTH(" + x + ") = 0"
	case d == MySQL:
		return "LENGTH(" + x + ") > 0"
	case is:
		return x + " = ''"
	}
	return x + " <> ''"
}

// number returns the argument for the JSON number n, the SQL type to cast it to
// (none if empty), and whether the argument is below n. The argument is n itself
// where the dialect can carry it exactly: as text cast to numeric in PostgreSQL, an
// int64, or DECIMAL(65,30) in MySQL. Otherwise it is the largest float64 (or, in
// MySQL, DECIMAL(65,30) value) not above n; see floored.
func (d Dialect) number(n json.Number) (arg any, cast string, below bool) {
	if d == PostgreSQL {
		return string(n), "numeric", false
	}
	r, ok := new(big.Rat).SetString(string(n))
	if !ok {
		// Validated JSON numbers always parse; be safe anyway.
		f, _ := strconv.ParseFloat(string(n), 64)
		return f, "", false
	}
	if r.IsInt() && r.Num().IsInt64() {
		return r.Num().Int64(), "", false
	}
	if d == MySQL {
		if s, below, ok := decimalFloor(r); ok {
			return s, "DECIMAL(65,30)", below
		}
	}
	return floatFloor(r)
}

// decimalFloor returns the largest DECIMAL(65,30) value not above r, in decimal
// notation, and whether it is below r. It fails if r has more than 35 integer digits.
func decimalFloor(r *big.Rat) (string, bool, bool) {
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(30), nil)
	scaled := new(big.Int).Mul(r.Num(), scale)
	q, m := new(big.Int).DivMod(scaled, r.Denom(), new(big.Int)) // Euclidean: q is the floor
	digits := new(big.Int).Abs(q).String()
	if len(digits) > 35+30 {
		return "", false, false
	}
	digits = strings.Repeat("0", max(0, 31-len(digits))) + digits
	s := digits[:len(digits)-30] + "." + digits[len(digits)-30:]
	if q.Sign() < 0 {
		s = "-" + s
	}
	return s, m.Sign() != 0, true
}

// floatFloor returns the largest float64 not above r (-Inf if there is none) and
// whether it is below r.
func floatFloor(r *big.Rat) (float64, string, bool) {
	f, _ := r.Float64() // nearest, or ±Inf beyond the range
	if math.IsInf(f, 1) {
		return math.MaxFloat64, "", true
	}
	if math.IsInf(f, -1) {
		return f, "", true
	}
	switch new(big.Rat).SetFloat64(f).Cmp(r) {
	case 0:
		return f, "", false
	case 1:
		f = math.Nextafter(f, math.Inf(-1))
	}
	return f, "", true
}

// maxArgs bounds the arguments of a statement that Where builds: below the limits of
// SQLite (32,766 by default), PostgreSQL and MySQL (65,535 each), with room for the
// host's own arguments.
const maxArgs = 32000

// maxNesting bounds how deeply Where nests NOT, EXISTS and parentheses. Filters from
// filter.Parse nest at most filter.MaxDepth levels, and Where emits chains of "and"
// and "or" as balanced trees, so only expressions built in code reach the limit; it
// keeps SQLite below its expression depth limit of 1,000.
const maxNesting = 200
