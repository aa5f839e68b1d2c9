package sqlstore

import (
	"context"
	"database/sql/driver"
	"errors"
	"fmt"
	"net"
	"strings"
	"syscall"
	"time"

	"github.com/scimkit/scimkit/scim"
)

// fail classifies a database error for the Handler: the scim sentinels and errors
// pass as they are; a unique-key violation becomes scim.ErrUniqueness; a database
// that cannot be reached a 503 with Retry-After; a transaction that the database
// rolled back to break a deadlock (where sqlstore does not start it again itself) a
// 503 with Retry-After of a second; a statement stopped by its timeout
// context.DeadlineExceeded (which the Handler answers with 503).
func (s *Store) fail(op string, err error) error {
	switch {
	case err == nil:
		return nil
	case isSCIM(err):
		return err
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		return fmt.Errorf("sqlstore: %s: %w", op, err)
	case isUnique(err):
		return fmt.Errorf("sqlstore: %s: %w (%v)", op, scim.ErrUniqueness, err)
	case isBadValue(err):
		return fmt.Errorf("sqlstore: %s: %w (%w)", op, &scim.Error{Status: 400, ScimType: "invalidValue",
			Detail: "a value cannot be stored: it is too long for its column or holds a character the database refuses"}, err)
	case isTimeout(err):
		return fmt.Errorf("sqlstore: %s: %w (%v)", op, context.DeadlineExceeded, err)
	case isDeadlock(err):
		return fmt.Errorf("sqlstore: %s: %w (%w)", op, &scim.Error{Status: 503, RetryAfter: time.Second,
			Detail: "the database rolled this write back to break a deadlock with a concurrent write; nothing was written; retry"}, err)
	case isUnavailable(err):
		return fmt.Errorf("sqlstore: %s: %w (%w)", op, &scim.Error{Status: 503,
			Detail: "the database is unavailable; retry later", RetryAfter: s.opts.RetryAfter}, err)
	}
	return fmt.Errorf("sqlstore: %s: %w", op, err)
}

// cutShort returns err as the context's error when ctx ended before the statement
// that failed could finish: a dial or network error at the deadline is a timeout
// (503), not a store failure (500). An answer of the database's own (a unique-key
// violation, a value refused), the scim errors and the host's pass as they are.
func cutShort(ctx context.Context, err error) error {
	var h hostError
	end := ctx.Err()
	if dl, ok := ctx.Deadline(); end == nil && ok && !time.Now().Before(dl) {
		end = context.DeadlineExceeded // a driver's timer may fire before the context's
	}
	if end == nil || errors.Is(err, end) || errors.As(err, &h) || isSCIM(err) || isUnique(err) || isBadValue(err) {
		return err
	}
	return fmt.Errorf("%w (%v)", end, err)
}

// isSCIM reports an error the Handler answers as it is: a *scim.Error or one of the
// store sentinels.
func isSCIM(err error) bool {
	var se *scim.Error
	return errors.As(err, &se) || errors.Is(err, scim.ErrNotFound) || errors.Is(err, scim.ErrPreconditionFailed) ||
		errors.Is(err, scim.ErrInvalidReference) || errors.Is(err, scim.ErrUniqueness)
}

// sqlState returns the SQLSTATE of a PostgreSQL error (pgx and lib/pq have the
// method), or "".
func sqlState(err error) string {
	var st interface{ SQLState() string }
	if errors.As(err, &st) {
		return st.SQLState()
	}
	return ""
}

// mysqlNumber returns the error number of a MySQL/MariaDB error, or 0. The driver's
// message starts "Error 1062 (23000): …".
func mysqlNumber(err error) int {
	var n int
	if _, e := fmt.Sscanf(err.Error(), "Error %d", &n); e == nil {
		return n
	}
	return 0
}

func isUnique(err error) bool {
	return sqlState(err) == "23505" || mysqlNumber(err) == 1062 ||
		strings.Contains(err.Error(), "UNIQUE constraint failed")
}

// isDeadlock reports a transaction that the database rolled back to break a
// deadlock: PostgreSQL's 40P01, MySQL's 1213.
func isDeadlock(err error) bool {
	return sqlState(err) == "40P01" || inTree(err, func(e error) bool { return mysqlNumber(e) == 1213 })
}

// inTree reports whether match holds for err or any error it wraps, one or many
// (mysqlNumber reads the driver's own message, so each must be looked at).
func inTree(err error, match func(error) bool) bool {
	if err == nil {
		return false
	}
	if match(err) {
		return true
	}
	switch e := err.(type) {
	case interface{ Unwrap() error }:
		return inTree(e.Unwrap(), match)
	case interface{ Unwrap() []error }:
		for _, c := range e.Unwrap() {
			if inTree(c, match) {
				return true
			}
		}
	}
	return false
}

// isBadValue reports a value the column cannot hold: PostgreSQL's U+0000 in text
// (22021, 22P05) and too-long strings (22001), MySQL's 1406 (data too long) and 1366
// (incorrect string value).
func isBadValue(err error) bool {
	switch sqlState(err) {
	case "22021", "22P05", "22001":
		return true
	}
	n := mysqlNumber(err)
	return n == 1406 || n == 1366
}

// isTimeout reports a statement stopped by the database's own timeout, or a
// connection that timed out.
func isTimeout(err error) bool {
	switch mysqlNumber(err) {
	case 1969, 3024: // MariaDB max_statement_time, MySQL max_execution_time
		return true
	}
	var t interface{ Timeout() bool } // net.Error, pgconn's timeouts
	return sqlState(err) == "57014" || strings.Contains(err.Error(), "interrupted") || errors.As(err, &t) && t.Timeout()
}

// isUnavailable reports a database that cannot be reached or is shutting down.
func isUnavailable(err error) bool {
	var ne *net.OpError
	switch {
	case errors.Is(err, driver.ErrBadConn), errors.As(err, &ne), errors.Is(err, syscall.ECONNREFUSED),
		errors.Is(err, syscall.ECONNRESET):
		return true
	case strings.HasPrefix(sqlState(err), "08"), sqlState(err) == "57P01", sqlState(err) == "57P03":
		return true
	}
	msg := err.Error()
	for _, s := range [...]string{"connection refused", "failed to connect", "database is locked", "unable to open database file", "bad connection"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}
