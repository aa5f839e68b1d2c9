package sqlfilter

import (
	"errors"
	"fmt"
	"testing"
)

// sqlStateError stands for a PostgreSQL driver error such as pgx's *pgconn.PgError.
type sqlStateError struct{ code, msg string }

func (e *sqlStateError) Error() string    { return e.msg }
func (e *sqlStateError) SQLState() string { return e.code }

// Issue 9: a database's refusal of a huge filter answers 400 invalidFilter, not 500.
func TestTooComplexRecognisesDatabaseLimits(t *testing.T) {
	for _, err := range []error{
		&sqlStateError{"54001", "stack depth limit exceeded"},
		&sqlStateError{"54000", "target lists can have at most 1664 entries"},
		fmt.Errorf("query: %w", &sqlStateError{"54023", "cannot pass more than 100 arguments to a function"}),
		errors.New("SQL logic error: Expression tree is too large (maximum depth 1000) (1)"),
		errors.New("SQL logic error: too many SQL variables (1)"),
		errors.New("SQL logic error: parser stack overflow (1)"),
		errors.New("LIKE or GLOB pattern too complex (1)"),
		errors.New("Error 1436 (HY000): Thread stack overrun:  7856 bytes used of a 262144 byte stack, and 262144 bytes needed"),
		errors.New("Error 1390 (HY000): Prepared statement contains too many placeholders"),
		&TooComplexError{msg: "it has more than 32000 values"},
	} {
		got := TooComplex(err)
		var tc *TooComplexError
		if !errors.As(got, &tc) || tc.ScimType() != "invalidFilter" {
			t.Errorf("TooComplex(%v) = %#v, want a *TooComplexError", err, got)
			continue
		}
		var st *sqlStateError
		if errors.As(err, &st) && !errors.As(got, &st) {
			t.Errorf("TooComplex(%v) does not unwrap to the driver's error", err)
		}
	}
	for _, err := range []error{
		nil,
		&sqlStateError{"23505", "duplicate key value violates unique constraint"},
		&sqlStateError{"57014", "canceling statement due to statement timeout"},
		errors.New("SQL logic error: no such column: u.nick (1)"),
		errors.New("Error 1064 (42000): You have an error in your SQL syntax"),
		errors.New("database is locked"),
	} {
		if got := TooComplex(err); got != nil {
			t.Errorf("TooComplex(%v) = %v, want nil", err, got)
		}
	}
}

func TestTooComplexErrorHidesTheDatabaseMessage(t *testing.T) {
	err := TooComplex(&sqlStateError{"54001", "stack depth limit exceeded at /srv/secret"})
	if got, want := err.Error(), "sqlfilter: the filter is too complex for the database"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
