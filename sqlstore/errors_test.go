package sqlstore

import (
	"errors"
	"net/http"
	"testing"

	"github.com/scimkit/scimkit/scim"
)

// pgError stands for a PostgreSQL driver error, which reports its SQLSTATE.
type pgError string

func (e pgError) Error() string    { return "ERROR: (SQLSTATE " + string(e) + ")" }
func (e pgError) SQLState() string { return string(e) }

// A deadlock that reaches the Handler is a 503 the client may retry at once, never a
// 500: the database rolled the write back, and another write merely won the race.
func TestDeadlockIsA503WithRetryAfter(t *testing.T) {
	s := &Store{}
	for _, err := range []error{
		pgError("40P01"),
		errors.New("Error 1213 (40001): Deadlock found when trying to get lock; try restarting transaction"),
	} {
		var se *scim.Error
		got := s.fail("update group", err)
		if !errors.As(got, &se) || se.Status != http.StatusServiceUnavailable || se.RetryAfter <= 0 {
			t.Errorf("fail(%v) = %v, want a 503 with Retry-After", err, got)
		}
		// The writes that start again after a deadlock still see it through fail.
		if !isDeadlock(got) {
			t.Errorf("isDeadlock(fail(%v)) = false", err)
		}
	}
}
