package memstore

import (
	"cmp"
	"context"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/scimkit/scimkit/schema"
	"github.com/scimkit/scimkit/scim"
)

// A Store keeps the users and groups of every tenant in memory. It implements
// [scim.UserStore], [scim.GroupStore], [scim.MemberPatcher], [scim.UserUpdater],
// [scim.GroupUpdater] and [scim.Sorter] in one value, because deleting a user removes
// it from its groups and group members must name existing users. It is safe for
// concurrent use; the zero Store is not usable, call [New].
//
// Each tenant ([scim.TenantFrom]; "" is a tenant too) has its own data, indexes and
// lock, so tenants never see or block each other. Values are copied in and out: the
// Store keeps nothing the caller passed and returns values the caller owns.
//
// Writes to one resource are serialised by a mutex of that resource, which
// UpdateUser and UpdateGroup hold while their fn runs; the tenant's lock is held only
// for the few microseconds that a write changes the data and indexes.
//
// Limits:
//   - Data lives in the process and is lost when it exits; there is no persistence.
//   - Lookups by id, userName (ignoring case), externalId and group displayName
//     (ignoring case) use indexes, also as one conjunct of a top-level "and" filter.
//     Every other filter, and every sortBy, scans all resources of the tenant: a few
//     microseconds per user. A scan holds the tenant's read lock only while it copies
//     a chunk of 256 resources, so a write waits at most that long, and it stops with
//     the context's error when ctx is done.
//   - Users are kept compactly (all attribute values of a user in one string): a
//     typical Microsoft Entra ID user takes about 700 bytes of heap with its indexes,
//     so 100,000 of them take about 66 MiB; as *scim.User copies they would take
//     about 180 MiB. A group member takes about 100 bytes.
//   - The default order (meta.created, then id) is kept in a sorted slice that lists
//     read without the lock: creating the newest resource, as the Handler does,
//     appends to it; deleting, and creating an older one, copies it (a fraction of a
//     millisecond for 100,000).
//   - userName and group displayName are compared ignoring case both as
//     strings.EqualFold does and as lower-casing does, so "İ" and "i" clash too.
//   - Deleting a user removes it from its groups but not from other users' manager
//     references. User.Groups lists direct memberships only.
//   - Member display values are kept as sent; member types are set to "User" or
//     "Group" by what the id names.
type Store struct {
	opts    Options
	version atomic.Uint64

	mu      sync.RWMutex // guards tenants
	tenants map[string]*tenant
}

// Options configure a [Store]. The zero value is a good default.
type Options struct {
	// AllowDuplicateGroupNames lets two groups of a tenant have displayNames that are
	// equal ignoring case. By default that fails with scim.ErrUniqueness, because
	// Microsoft Entra ID matches groups by displayName.
	AllowDuplicateGroupNames bool
	// NestedGroups lets a group be a member of another group. By default a group id
	// given as a member fails with scim.ErrInvalidReference. A group is never a member
	// of itself.
	NestedGroups bool
	// UserType and GroupType are the resource types that filters and sortBy paths are
	// checked and evaluated against. Nil means schema.UserResourceType and
	// schema.GroupResourceType; a host that declares extension schemas passes the
	// same resource types as to its Handler.
	UserType  *schema.ResourceType
	GroupType *schema.ResourceType
	// Now returns the time the Store uses for meta.created and meta.lastModified when
	// the resource it is given has none, and for membership changes. Nil means
	// time.Now.
	Now func() time.Time
}

// New returns an empty Store configured by opts.
func New(opts Options) *Store {
	return &Store{opts: opts, tenants: make(map[string]*tenant)}
}

// Interface checks.
var (
	_ scim.UserStore     = (*Store)(nil)
	_ scim.GroupStore    = (*Store)(nil)
	_ scim.MemberPatcher = (*Store)(nil)
	_ scim.UserUpdater   = (*Store)(nil)
	_ scim.GroupUpdater  = (*Store)(nil)
	_ scim.Sorter        = (*Store)(nil)
)

// A tenant holds one tenant's resources. Its lock guards everything reachable from it,
// including the records; a list holds it only while it copies a chunk of records.
type tenant struct {
	mu sync.RWMutex

	users      table[*userRec]
	userByName map[string]*userRec // by foldKey(userName)
	userByExt  map[string]*userRec // by externalId; more share one via userRec.nextExt

	groups      table[*groupRec]
	groupByName map[string]*groupRec // by foldKey(displayName); chained via nextName
	groupByExt  map[string]*groupRec // by externalId; chained via nextExt
}

func newTenant() *tenant {
	return &tenant{
		users:       table[*userRec]{byID: make(map[string]*userRec)},
		userByName:  make(map[string]*userRec),
		userByExt:   make(map[string]*userRec),
		groups:      table[*groupRec]{byID: make(map[string]*groupRec)},
		groupByName: make(map[string]*groupRec),
		groupByExt:  make(map[string]*groupRec),
	}
}

// A record is a stored user or group.
type record interface {
	comparable
	// key returns the default order's sort key.
	key() (created time.Time, id string)
	lock() bool // see writeLock
	unlock()
	markDeleted()
	currentVersion() string
}

// A writeLock serialises the writes to one resource. Every write holds it, and a
// delete marks the record deleted while holding it.
type writeLock struct {
	mu      sync.Mutex
	deleted bool
}

// lock locks l and reports whether the record still exists; if not, l is unlocked.
func (l *writeLock) lock() bool {
	l.mu.Lock()
	if l.deleted {
		l.mu.Unlock()
		return false
	}
	return true
}

func (l *writeLock) unlock() { l.mu.Unlock() }

// markDeleted marks the record deleted; the caller holds l.
func (l *writeLock) markDeleted() { l.deleted = true }

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
	tb.order = insertOrdered(tb.order, r)
}

func (tb *table[R]) remove(r R) {
	_, id := r.key()
	delete(tb.byID, id)
	tb.order = removeOrdered(tb.order, r)
}

// withWriter calls do with the record id of the table of the tenant of ctx that of
// selects, holding the record's writeLock; an unknown id gives ErrNotFound. Every write
// to one resource goes through withWriter, so that UpdateUser and UpdateGroup can call
// their fn without the tenant's lock.
func withWriter[R record, T any](ctx context.Context, s *Store, of func(*tenant) *table[R], kind, id string,
	do func(t *tenant, r R) (T, error)) (T, error) {
	var zero T
	if err := ctx.Err(); err != nil {
		return zero, err
	}
	t := s.tenant(ctx, false)
	if t == nil {
		return zero, notFound(kind, id)
	}
	t.mu.RLock()
	r, ok := of(t).byID[id]
	t.mu.RUnlock()
	if !ok || !r.lock() { // unknown, or deleted while we waited
		return zero, notFound(kind, id)
	}
	defer r.unlock()
	return do(t, r)
}

// update is UpdateUser and UpdateGroup: holding the record's writeLock, it checks
// ifMatch, reads a copy with read (under the tenant's read lock), calls fn without any
// lock of the tenant, and stores fn's result with write.
func update[R record, T any](ctx context.Context, s *Store, of func(*tenant) *table[R], kind, id, ifMatch string,
	read func(R) *T, fn func(old *T) (*T, error), write func(t *tenant, r R, old, v *T) (*T, error)) (*T, error) {
	return withWriter(ctx, s, of, kind, id, func(t *tenant, r R) (*T, error) {
		t.mu.RLock()
		err := checkVersion(ifMatch, r.currentVersion(), kind, id)
		old := read(r)
		t.mu.RUnlock()
		if err != nil {
			return nil, err
		}
		v, err := fn(old)
		if err != nil {
			return nil, err
		}
		if v == nil {
			t.mu.RLock()
			defer t.mu.RUnlock()
			return read(r), nil
		}
		return write(t, r, old, v)
	})
}

// remove is DeleteUser and DeleteGroup: holding the record's writeLock and the tenant's
// lock, it checks ifMatch, calls unlink to undo the record's links and indexes, and
// removes it from its table.
func remove[R record](ctx context.Context, s *Store, of func(*tenant) *table[R], kind, id, ifMatch string,
	unlink func(t *tenant, r R)) error {
	_, err := withWriter(ctx, s, of, kind, id, func(t *tenant, r R) (struct{}, error) {
		t.mu.Lock()
		defer t.mu.Unlock()
		if err := checkVersion(ifMatch, r.currentVersion(), kind, id); err != nil {
			return struct{}{}, err
		}
		unlink(t, r)
		of(t).remove(r)
		r.markDeleted()
		return struct{}{}, nil
	})
	return err
}

func usersOf(t *tenant) *table[*userRec]   { return &t.users }
func groupsOf(t *tenant) *table[*groupRec] { return &t.groups }

// tenant returns the tenant of ctx, creating it when create is set; without create it
// returns nil for a tenant that has never been written to.
func (s *Store) tenant(ctx context.Context, create bool) *tenant {
	id, _ := scim.TenantFrom(ctx)
	s.mu.RLock()
	t := s.tenants[id]
	s.mu.RUnlock()
	if t != nil || !create {
		return t
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if t = s.tenants[id]; t == nil {
		t = newTenant()
		s.tenants[id] = t
	}
	return t
}

func (s *Store) now() time.Time {
	if s.opts.Now != nil {
		return s.opts.Now().Round(0)
	}
	return time.Now().UTC().Round(0)
}

// nextVersion returns a version never used before in this Store.
func (s *Store) nextVersion() uint64 { return s.version.Add(1) }

func formatVersion(v uint64) string { return strconv.FormatUint(v, 10) }

// newResource returns the id and times of a resource being created with id and m: a
// new UUIDv7 for an empty id, the current time for a zero created, created for a zero
// lastModified.
func (s *Store) newResource(id string, m scim.Meta) (string, time.Time, time.Time, error) {
	if id == "" {
		var err error
		if id, err = newID(); err != nil {
			return "", time.Time{}, time.Time{}, err
		}
	}
	created, modified := m.Created, m.LastModified
	if created.IsZero() {
		created = s.now()
	}
	if modified.IsZero() {
		modified = created
	}
	return id, created, modified, nil
}

// newID returns a fresh resource id, a UUIDv7.
func newID() (string, error) {
	id, err := uuid.NewV7()
	if err != nil {
		return "", err
	}
	return id.String(), nil
}

// checkVersion reports ErrPreconditionFailed when ifMatch is set and differs from v.
func checkVersion(ifMatch, v, kind, id string) error {
	if ifMatch != "" && ifMatch != v {
		return &storeError{op: kind, id: id, err: scim.ErrPreconditionFailed,
			detail: "version " + strconv.Quote(ifMatch) + " is not the current one"}
	}
	return nil
}

// A storeError wraps a scim sentinel with the resource it concerns.
type storeError struct {
	op     string // "user" or "group"
	id     string
	detail string
	err    error
}

func (e *storeError) Error() string {
	s := "memstore: " + e.op
	if e.id != "" {
		s += " " + strconv.Quote(e.id)
	}
	if e.detail != "" {
		s += ": " + e.detail
	}
	return s + ": " + e.err.Error()
}

func (e *storeError) Unwrap() error { return e.err }

func notFound(kind, id string) error { return &storeError{op: kind, id: id, err: scim.ErrNotFound} }

// compareOrder orders records by the default order: meta.created, then id.
func compareOrder[R record](a, b R) int {
	ac, aid := a.key()
	bc, bid := b.key()
	if c := ac.Compare(bc); c != 0 {
		return c
	}
	return cmp.Compare(aid, bid)
}

// insertOrdered returns s with r inserted in default order. It appends when r is the
// newest, and otherwise copies: s itself is never changed.
func insertOrdered[R record](s []R, r R) []R {
	if n := len(s); n == 0 || compareOrder(s[n-1], r) < 0 {
		return append(s, r)
	}
	i, _ := slices.BinarySearchFunc(s, r, compareOrder)
	return slices.Concat(s[:i], []R{r}, s[i:])
}

// removeOrdered returns a copy of s, which holds r in default order, without r.
func removeOrdered[R record](s []R, r R) []R {
	i, found := slices.BinarySearchFunc(s, r, compareOrder)
	if !found || s[i] != r {
		panic("memstore: record missing from its order index")
	}
	return slices.Concat(s[:i], s[i+1:])
}
