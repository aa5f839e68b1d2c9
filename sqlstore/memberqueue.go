package sqlstore

import (
	"context"
	"database/sql"
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
// passes while it is pending leaves the queue unapplied; a batch runs until the latest
// deadline of its additions (see runBatch).
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
// on. An addition whose context ended before the batch starts leaves it unapplied.
// The batch runs detached from its additions' cancellation, until the latest of their
// deadlines (without one when any has none): an addition is never refused because
// another one, with less time, joined its batch. An addition whose own deadline
// passes meanwhile gets the batch's outcome, which says what happened to it.
func (s *Store) runBatch(q *memberQueue, id string) {
	s.queueMu.Lock()
	take := q.pending
	q.pending = nil
	s.queueMu.Unlock()
	var live []*memberAdd
	var deadline time.Time
	unbounded := false
	for _, a := range take {
		if err := a.ctx.Err(); err != nil {
			a.done <- memberOutcome{err: s.fail("patch members", err)}
			continue
		}
		live = append(live, a)
		d, ok := a.ctx.Deadline()
		unbounded = unbounded || !ok
		if ok && d.After(deadline) {
			deadline = d
		}
	}
	if len(live) > 0 {
		ctx := context.WithoutCancel(live[0].ctx) // the tenant's
		if !unbounded {
			var cancel context.CancelFunc
			ctx, cancel = context.WithDeadline(ctx, deadline)
			defer cancel()
		}
		for i, o := range s.addBatch(ctx, id, live) {
			live[i].done <- o
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

// addBatch adds the members of the additions live to the group id in one
// transaction, as patchMembers does: the version bump (which locks the group), the
// members' check with their rows share-locked (see lockMembers), one INSERT per 500
// members. An addition that names a user deleted since PatchMembers checked it fails
// alone, with scim.ErrInvalidReference; the others are applied. It returns the
// outcome of each addition.
func (s *Store) addBatch(ctx context.Context, id string, live []*memberAdd) []memberOutcome {
	var all []scim.Member
	seen := map[string]bool{}
	for _, a := range live {
		all = appendNew(all, seen, a.members)
	}
	out := make([]memberOutcome, len(live))
	var ok []int // the additions applied
	var ver int64
	err := retried(func(bool) error {
		return s.inTx(ctx, "patch members", func(tx *sql.Tx) error {
			out, ok = make([]memberOutcome, len(live)), nil
			v, err := s.bump(ctx, tx, s.groups, id, "")
			if err != nil {
				return err
			}
			found, err := s.foundMembers(ctx, tx, all, true)
			if err != nil {
				return err
			}
			var add []scim.Member
			added := map[string]bool{}
			for i, a := range live {
				if missing := unknown(found, a.members); len(missing) > 0 {
					out[i].err = invalidMembers(missing)
					continue
				}
				ok = append(ok, i)
				add = appendNew(add, added, a.members)
			}
			n, err := s.insertMembers(ctx, tx, id, add)
			if err != nil {
				return err
			}
			ver = v
			if n == 0 {
				ver = v - 1
				return errUnchanged
			}
			return nil
		})
	})
	if err != nil {
		for i := range out {
			out[i] = memberOutcome{err: err}
		}
		return out
	}
	for _, i := range ok {
		out[i].version = ver
	}
	return out
}
