package sqlstore

import (
	"context"
	"slices"
	"time"

	"github.com/scimkit/scimkit/scim"
)

// A memberQueue gathers the concurrent member additions to one group, so that one
// transaction (one version bump, one INSERT, one COMMIT) serves every addition that
// arrived while the previous one ran. Identity providers add members one PATCH at a
// time; without the queue the group's row lock serialises one transaction per PATCH,
// so that the last of 500 concurrent ones waits for 499 commits.
//
// The first addition to find the queue idle runs a batch of everything pending; when
// it is done it hands the turn to the oldest addition still pending. Every addition of
// a batch gets the batch's outcome, which is what happened to it: the version after
// the COMMIT, or the error that rolled the batch back. An addition whose deadline
// passes while it is pending leaves the queue unapplied.
type memberQueue struct {
	key     string
	running bool
	pending []*memberAdd
}

// A memberAdd is one PatchMembers call waiting in a memberQueue.
type memberAdd struct {
	ctx     context.Context
	members []scim.Member      // checked
	turn    chan struct{}      // closed when the call is to run the next batch
	done    chan memberOutcome // receives the outcome of the call's batch
}

type memberOutcome struct {
	version int64
	err     error
}

// queuedAdd adds the checked members to the group id through the group's queue and
// returns the group's version afterwards.
func (s *Store) queuedAdd(ctx context.Context, id string, members []scim.Member) (int64, error) {
	a := &memberAdd{ctx: ctx, members: members, turn: make(chan struct{}), done: make(chan memberOutcome, 1)}
	key := tenant(ctx) + "\x00" + id
	s.queueMu.Lock()
	if s.queues == nil {
		s.queues = map[string]*memberQueue{}
	}
	q := s.queues[key]
	if q == nil {
		q = &memberQueue{key: key}
		s.queues[key] = q
	}
	q.pending = append(q.pending, a)
	mine := !q.running
	q.running = true
	s.queueMu.Unlock()
	if !mine {
		select {
		case o := <-a.done:
			return o.version, o.err
		case <-a.turn:
		case <-ctx.Done():
			s.queueMu.Lock()
			if i := slices.Index(q.pending, a); i >= 0 {
				q.pending = slices.Delete(q.pending, i, i+1)
				select {
				case <-a.turn: // handed the turn as the deadline passed: pass it on
					s.passTurn(q)
				default:
				}
				s.queueMu.Unlock()
				return 0, s.fail("patch members", ctx.Err())
			}
			s.queueMu.Unlock()
			// In a batch already, whose outcome is this call's.
			select {
			case o := <-a.done:
				return o.version, o.err
			case <-a.turn:
			}
		}
	}
	s.runBatch(q, id)
	o := <-a.done
	return o.version, o.err
}

// runBatch applies every pending addition of q in one transaction and hands the turn
// on. The batch runs until the earliest deadline of its additions.
func (s *Store) runBatch(q *memberQueue, id string) {
	s.queueMu.Lock()
	take := q.pending
	q.pending = nil
	s.queueMu.Unlock()
	var live []*memberAdd
	var add []scim.Member
	seen := map[string]bool{}
	var deadline time.Time
	for _, a := range take {
		if err := a.ctx.Err(); err != nil {
			a.done <- memberOutcome{err: s.fail("patch members", err)}
			continue
		}
		live = append(live, a)
		if d, ok := a.ctx.Deadline(); ok && (deadline.IsZero() || d.Before(deadline)) {
			deadline = d
		}
		for _, m := range a.members {
			if !seen[m.Value] {
				seen[m.Value] = true
				add = append(add, m)
			}
		}
	}
	if len(live) > 0 {
		ctx := context.WithoutCancel(live[0].ctx) // the tenant's
		if !deadline.IsZero() {
			var cancel context.CancelFunc
			ctx, cancel = context.WithDeadline(ctx, deadline)
			defer cancel()
		}
		v, err := s.patchMembers(ctx, id, scim.MemberChange{Add: add}, "")
		for _, a := range live {
			a.done <- memberOutcome{v, err}
		}
	}
	s.queueMu.Lock()
	s.passTurn(q)
	s.queueMu.Unlock()
}

// passTurn hands q's turn to its oldest pending addition, or marks q idle and drops
// it. The caller holds s.queueMu.
func (s *Store) passTurn(q *memberQueue) {
	if len(q.pending) > 0 {
		close(q.pending[0].turn)
		return
	}
	q.running = false
	delete(s.queues, q.key)
}
