package scim

import (
	"errors"
	"math/rand/v2"
	"net/http"
	"strconv"
	"time"

	"github.com/scimkit/scimkit/schema"
)

// This file holds the one read-change-write step of PUT and PATCH, for users and
// groups alike, and the limits on what a write may store.

// Bounds of the backoff between attempts of update without an updater, and of the
// whole loop when the request has no deadline.
const (
	retryMinDelay   = time.Millisecond
	retryMaxDelay   = 50 * time.Millisecond
	retryNoDeadline = 30 * time.Second
)

// errRetryLater answers a write that kept losing the race to concurrent writes until
// the request's deadline.
var errRetryLater = &Error{Status: http.StatusServiceUnavailable, RetryAfter: time.Second,
	Detail: "the resource is being changed by other requests; retry later"}

// update runs fn on the current resource id and stores what it returns: nil means
// nothing to store, and update returns the current resource. With the store's
// updater, fn runs once under the store's lock. Without it, update reads, calls fn
// and replaces with the version it read; when a concurrent write wins it starts
// again after a jittered backoff, until the request's deadline, and then fails with
// 503 and Retry-After. A client's If-Match is checked against the resource fn gets;
// only a request that sent If-Match fails with 412.
func update[T any](c *call, k *kind[T], id string, fn func(old *T) (*T, error)) (*T, error) {
	check := func(old *T) (*T, error) {
		if err := c.checkIfMatch(k.meta(old).Version); err != nil {
			return nil, err
		}
		return fn(old)
	}
	if k.update != nil {
		return k.update(c.ctx, id, "", check)
	}
	clientIfMatch := c.ifMatch() != ""
	deadline, ok := c.ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(retryNoDeadline)
	}
	delay := retryMinDelay
	for {
		cur, err := k.get(c.ctx, id, Projection{})
		if err != nil {
			return nil, err
		}
		next, err := check(cur)
		if err != nil || next == nil {
			return cur, err
		}
		version := k.meta(cur).Version
		saved, err := k.replace(c.ctx, next, version)
		if !errors.Is(err, ErrPreconditionFailed) || clientIfMatch || version == "" {
			return saved, err
		}
		// A concurrent write won: wait a jittered while and start again.
		d := delay/2 + rand.N(delay)
		if time.Now().Add(d).After(deadline) {
			return nil, errRetryLater
		}
		t := time.NewTimer(d)
		select {
		case <-c.ctx.Done():
			t.Stop()
			return nil, errRetryLater
		case <-t.C:
		}
		delay = min(2*delay, retryMaxDelay)
	}
}

// checkLimits refuses a resource tree whose multi-valued attributes, other than a
// group's members, hold more values than Config.MaxValues allows.
func (c *call) checkLimits(rt *schema.ResourceType, tree map[string]any) error {
	check := func(s *schema.Schema, m map[string]any) error {
		for _, a := range s.Attributes {
			if !a.MultiValued || a.Name == "members" {
				continue
			}
			if l, _ := m[a.Name].([]any); len(l) > c.h.maxValues {
				return badRequest("invalidValue", a.Name+" holds "+strconv.Itoa(len(l))+" values, more than the limit of "+strconv.Itoa(c.h.maxValues))
			}
		}
		return nil
	}
	if err := check(rt.Schema, tree); err != nil {
		return err
	}
	for _, e := range rt.Extensions {
		if m, ok := tree[e.Schema.ID].(map[string]any); ok {
			if err := check(e.Schema, m); err != nil {
				return err
			}
		}
	}
	return nil
}
