package scim

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// A deadlineCtx is its parent context with the request deadline of
// Config.RequestTimeout. It reports the deadline from the start, but creates the
// timer behind Done only when something waits on Done: a store that only reads
// memory never pays for a timer, while one that blocks (a database driver) gets a
// Done channel that closes at the deadline, as with context.WithDeadline.
type deadlineCtx struct {
	context.Context // the parent
	deadline        time.Time
	once            sync.Once
	timed           context.Context // created by Done
	cancel          context.CancelFunc
	started         atomic.Bool
	expired         atomic.Bool   // Err saw the deadline pass
	errCalls        atomic.Uint32 // calls of Err, for its clock reads
}

func (d *deadlineCtx) Deadline() (time.Time, bool) {
	if p, ok := d.Context.Deadline(); ok && p.Before(d.deadline) {
		return p, true
	}
	return d.deadline, true
}

func (d *deadlineCtx) Done() <-chan struct{} {
	d.once.Do(func() {
		d.timed, d.cancel = context.WithDeadline(d.Context, d.deadline)
		d.started.Store(true)
	})
	return d.timed.Done()
}

// Err reports the parent's error, or DeadlineExceeded once the deadline has passed.
// It reads the clock on every 16th call only: a store that polls Err while it
// evaluates a long filter notices the deadline within a few polls, and one that
// calls it once per operation never pays for the clock.
func (d *deadlineCtx) Err() error {
	if d.started.Load() {
		return d.timed.Err()
	}
	if err := d.Context.Err(); err != nil {
		return err
	}
	if d.expired.Load() {
		return context.DeadlineExceeded
	}
	if d.errCalls.Add(1)%16 == 0 && !time.Now().Before(d.deadline) {
		d.expired.Store(true)
		return context.DeadlineExceeded
	}
	return nil
}

// stop releases the timer, if Done created one.
func (d *deadlineCtx) stop() {
	if d.started.Load() {
		d.cancel()
	}
}
