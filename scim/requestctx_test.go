package scim

import (
	"context"
	"testing"
	"time"
)

// With RequestTimeout negative the request context has no deadline of its own: its
// deadline, Done and Err are its parent's, and stopping it stops nothing.
func TestRequestCtxWithoutDeadlineIsItsParent(t *testing.T) {
	parent, cancel := context.WithCancel(context.Background())
	d := &requestCtx{Context: parent}
	if dl, ok := d.Deadline(); ok {
		t.Errorf("Deadline() = %v, true; want none", dl)
	}
	if d.Done() != parent.Done() {
		t.Error("Done is not the parent's channel")
	}
	if err := d.Err(); err != nil {
		t.Errorf("Err() = %v before the parent is canceled", err)
	}
	cancel()
	if err := d.Err(); err != context.Canceled {
		t.Errorf("Err() = %v after the parent is canceled, want context.Canceled", err)
	}
	d.stop()
}

// The request context reports the earlier of its own deadline and its parent's.
func TestRequestCtxReportsTheEarlierDeadline(t *testing.T) {
	now := time.Now()
	parent, cancel := context.WithDeadline(context.Background(), now.Add(time.Hour))
	defer cancel()
	own := &requestCtx{Context: parent, deadline: now.Add(time.Minute)}
	if dl, ok := own.Deadline(); !ok || !dl.Equal(now.Add(time.Minute)) {
		t.Errorf("Deadline() = %v, %v; want its own, a minute from now", dl, ok)
	}
	later := &requestCtx{Context: parent, deadline: now.Add(2 * time.Hour)}
	if dl, ok := later.Deadline(); !ok || !dl.Equal(now.Add(time.Hour)) {
		t.Errorf("Deadline() = %v, %v; want the parent's, an hour from now", dl, ok)
	}
}
