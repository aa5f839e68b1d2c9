package scim

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// A requestCtx is the context that the stores, hooks and callbacks of one request
// get: the request's context with the deadline of Config.RequestTimeout and, once a
// built-in bearer authenticator has accepted the request, its tenant (as WithTenant
// attaches it): one allocation per request, where a context.WithValue over a
// context.WithDeadline would take several.
//
// It reports the deadline from the start, but creates the timer behind Done only
// when something waits on Done: a store that only reads memory never pays for a
// timer, while one that blocks (a database driver) gets a Done channel that closes at
// the deadline, as with context.WithDeadline.
type requestCtx struct {
	context.Context           // the parent
	deadline        time.Time // zero when the request has no deadline of its own
	// tenant holds the tenant (a string) once a bearer token is accepted. It is
	// set after the verifier has seen the context, which it may have shared.
	tenant   atomic.Value
	once     sync.Once
	timed    context.Context // created by Done
	cancel   context.CancelFunc
	started  atomic.Bool
	expired  atomic.Bool   // Err saw the deadline pass
	errCalls atomic.Uint32 // calls of Err, for its clock reads
}

func (d *requestCtx) Deadline() (time.Time, bool) {
	p, ok := d.Context.Deadline()
	if d.deadline.IsZero() || ok && p.Before(d.deadline) {
		return p, ok
	}
	return d.deadline, true
}

func (d *requestCtx) Done() <-chan struct{} {
	if d.deadline.IsZero() {
		return d.Context.Done()
	}
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
func (d *requestCtx) Err() error {
	if d.started.Load() {
		return d.timed.Err()
	}
	if err := d.Context.Err(); err != nil || d.deadline.IsZero() {
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

// Value returns the tenant for the key of WithTenant once the request is
// authenticated, and the parent's value otherwise.
func (d *requestCtx) Value(key any) any {
	if _, ok := key.(tenantKey); ok {
		if t := d.tenant.Load(); t != nil {
			return t
		}
	}
	return d.Context.Value(key)
}

// stop releases the timer, if Done created one.
func (d *requestCtx) stop() {
	if d.started.Load() {
		d.cancel()
	}
}
