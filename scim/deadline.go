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

func (d *deadlineCtx) Err() error {
	if err := d.Context.Err(); err != nil {
		return err
	}
	if !time.Now().Before(d.deadline) {
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
