package memstore

import (
	"cmp"
	"context"
	"slices"
	"time"
)

// A record is a stored user (*userRec) or group (*groupRec). Everything about it is
// guarded by its tenant's lock.
type record interface {
	comparable
	// key returns the default order's sort key.
	key() (created time.Time, id string)
	version() string
	state() *recState
}

// A recState is what the write protocol keeps of each record.
type recState struct {
	busy    bool // an UpdateUser or UpdateGroup runs its fn on the record
	deleted bool
}

// A table holds the records of one kind of a tenant, by id and in default order.
type table[R record] struct {
	byID map[string]R
	// order holds the records by (created, id). It is never changed in place, only
	// appended to or replaced, so a list may keep reading it after unlocking.
	order []R
}

func (tb *table[R]) add(r R) {
	_, id := r.key()
	tb.byID[id] = r
	if n := len(tb.order); n == 0 || compareOrder(tb.order[n-1], r) < 0 {
		tb.order = append(tb.order, r) // the newest, as the Handler creates them
		return
	}
	i, _ := slices.BinarySearchFunc(tb.order, r, compareOrder)
	tb.order = slices.Concat(tb.order[:i], []R{r}, tb.order[i:])
}

func (tb *table[R]) remove(r R) {
	_, id := r.key()
	delete(tb.byID, id)
	i, found := slices.BinarySearchFunc(tb.order, r, compareOrder)
	if !found {
		panic("memstore: record missing from its order")
	}
	tb.order = slices.Concat(tb.order[:i], tb.order[i+1:])
	r.state().deleted = true
}

// compareOrder orders records by the default order: meta.created, then id.
func compareOrder[R record](a, b R) int {
	ac, aid := a.key()
	bc, bid := b.key()
	if c := ac.Compare(bc); c != 0 {
		return c
	}
	return cmp.Compare(aid, bid)
}

// The write protocol: every write holds the tenant's lock while it changes anything.
// UpdateUser and UpdateGroup must call their fn without it (fn may read from the
// Store), so they mark the record busy meanwhile, and every other write to that
// record waits until it is not busy any more: writes to one resource never
// interleave, and none is lost or refused.

// writable returns the record id of tb once no fn runs on it, holding the tenant's
// lock as the caller does; an unknown id (or one deleted while waiting) gives
// ErrNotFound.
func writable[R record](t *tenant, tb *table[R], kind, id string) (R, error) {
	for {
		r, ok := tb.byID[id]
		if !ok {
			return r, notFound(kind, id)
		}
		if !r.state().busy {
			return r, nil
		}
		t.idle.Wait()
	}
}

// write runs do, holding the tenant's lock, on the record id of the table of the
// tenant of ctx that of selects, after checking ifMatch.
func write[R record, T any](ctx context.Context, s *Store, of func(*tenant) *table[R], kind, id, ifMatch string,
	do func(t *tenant, r R) (T, error)) (T, error) {
	var zero T
	t, err := s.existing(ctx, kind, id)
	if err != nil {
		return zero, err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	r, err := writable(t, of(t), kind, id)
	if err == nil {
		err = checkVersion(ifMatch, r.version(), kind, id)
	}
	if err != nil {
		return zero, err
	}
	return do(t, r)
}

// update is UpdateUser and UpdateGroup: it checks ifMatch, reads a copy with read,
// calls fn on it with the record busy and the tenant unlocked, and stores fn's
// result with store.
func update[R record, T any](ctx context.Context, s *Store, of func(*tenant) *table[R], kind, id, ifMatch string,
	read func(R) *T, fn func(old *T) (*T, error), store func(t *tenant, r R, old, v *T) (*T, error)) (*T, error) {
	var t *tenant
	var r R
	old, err := write(ctx, s, of, kind, id, ifMatch, func(tt *tenant, rr R) (*T, error) {
		t, r = tt, rr
		r.state().busy = true
		return read(r), nil
	})
	if err != nil {
		return nil, err
	}
	locked := false
	defer func() { // also when fn panics
		if !locked {
			t.mu.Lock()
		}
		r.state().busy = false
		t.idle.Broadcast()
		t.mu.Unlock()
	}()
	v, err := fn(old)
	t.mu.Lock()
	locked = true
	switch {
	case err != nil:
		return nil, err
	case v == nil:
		return read(r), nil
	}
	return store(t, r, old, v)
}

// get returns out of the record id of the table of the tenant of ctx that of selects.
func get[R record, T any](ctx context.Context, s *Store, of func(*tenant) *table[R], kind, id string, out func(R) *T) (*T, error) {
	t, err := s.existing(ctx, kind, id)
	if err != nil {
		return nil, err
	}
	t.mu.RLock()
	defer t.mu.RUnlock()
	r, ok := of(t).byID[id]
	if !ok {
		return nil, notFound(kind, id)
	}
	return out(r), nil
}

// remove is DeleteUser and DeleteGroup: it checks ifMatch, calls unlink to undo the
// record's links and indexes, and removes the record from its table.
func remove[R record](ctx context.Context, s *Store, of func(*tenant) *table[R], kind, id, ifMatch string,
	unlink func(t *tenant, r R)) error {
	_, err := write(ctx, s, of, kind, id, ifMatch, func(t *tenant, r R) (struct{}, error) {
		unlink(t, r)
		of(t).remove(r)
		return struct{}{}, nil
	})
	return err
}

// existing returns the tenant of ctx for an operation on the resource id, or ctx's
// error, or ErrNotFound when the tenant has never been written to.
func (s *Store) existing(ctx context.Context, kind, id string) (*tenant, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if t := s.tenant(ctx, false); t != nil {
		return t, nil
	}
	return nil, notFound(kind, id)
}
