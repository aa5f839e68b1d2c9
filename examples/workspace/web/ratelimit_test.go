package web

import (
	"testing"
	"time"
)

// TestLoginBackOffDoublesUpToTheCapAndClearsOnSuccess: the first wrong passwords are
// free, then each one doubles the wait, up to maxBackoff; a right password clears it.
func TestLoginBackOffDoublesUpToTheCapAndClearsOnSuccess(t *testing.T) {
	now := time.Unix(1_000_000, 0)
	l := newLoginLimiter()
	l.now = func() time.Time { return now }
	for range freeAttempts - 1 {
		l.failed("10.0.0.1")
	}
	if d := l.wait("10.0.0.1"); d != 0 {
		t.Fatalf("wait after %d failures: %v, want none", freeAttempts-1, d)
	}
	for i, want := range []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second} {
		l.failed("10.0.0.1")
		if d := l.wait("10.0.0.1"); d != want {
			t.Errorf("wait after failure %d past the free ones: %v, want %v", i+1, d, want)
		}
	}
	if d := l.wait("10.0.0.2"); d != 0 {
		t.Errorf("another address waits %v", d)
	}
	for range 40 {
		l.failed("10.0.0.1")
	}
	if d := l.wait("10.0.0.1"); d != maxBackoff {
		t.Errorf("wait after many failures: %v, want the cap %v", d, maxBackoff)
	}
	now = now.Add(maxBackoff)
	if d := l.wait("10.0.0.1"); d != 0 {
		t.Errorf("wait once the back-off passed: %v", d)
	}
	l.succeeded("10.0.0.1")
	l.failed("10.0.0.1")
	if d := l.wait("10.0.0.1"); d != 0 {
		t.Errorf("a failure after a success waits %v, want a fresh count", d)
	}
}
