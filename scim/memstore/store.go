package memstore

import (
	"context"
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
// A write holds the tenant's lock for the few microseconds that it changes the data and
// indexes. UpdateUser and UpdateGroup call their fn without it, and other writes to
// that resource wait for them meanwhile.
//
// Limits:
//   - Data lives in the process and is lost when it exits; there is no persistence.
//   - Lookups by id, userName (ignoring case), externalId and group displayName
//     (ignoring case) use indexes, also as one conjunct of a top-level "and" filter.
//     A filter that is just one such eq is answered from the index alone. Every other
//     filter, and every sortBy, scans all resources of the tenant: a few
//     microseconds per user. A scan holds the tenant's read lock only while it
//     matches a chunk of 256 resources, so a write waits at most that long, and it
//     stops with the context's error when ctx is done.
//   - Users are kept compactly (all attribute values of a user in one string): a
//     typical Microsoft Entra ID user takes about 580 bytes of heap with its record
//     and indexes, so 100,000 of them take about 55 MiB; the string is 336 bytes,
//     where a *scim.User copy would take 1,237. A group member takes about 100 bytes.
//   - The default order (meta.created, then id) is kept in a sorted slice that scans
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
// including the records.
type tenant struct {
	mu   sync.RWMutex
	idle *sync.Cond // on mu; signalled when a record stops being busy

	users      table[*userRec]
	userByName map[string]*userRec // by foldKey(userName)
	userByExt  chains[*userRec]    // by externalId

	groups      table[*groupRec]
	groupByName chains[*groupRec] // by foldKey(displayName), which several may share
	groupByExt  chains[*groupRec] // by externalId
}

func newTenant() *tenant {
	t := &tenant{
		users:       table[*userRec]{byID: make(map[string]*userRec)},
		userByName:  make(map[string]*userRec),
		userByExt:   chains[*userRec]{make(map[string]*userRec), func(r *userRec) **userRec { return &r.nextExt }},
		groups:      table[*groupRec]{byID: make(map[string]*groupRec)},
		groupByName: chains[*groupRec]{make(map[string]*groupRec), func(g *groupRec) **groupRec { return &g.nextName }},
		groupByExt:  chains[*groupRec]{make(map[string]*groupRec), func(g *groupRec) **groupRec { return &g.nextExt }},
	}
	t.idle = sync.NewCond(&t.mu)
	return t
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
		uid, err := uuid.NewV7()
		if err != nil {
			return "", time.Time{}, time.Time{}, err
		}
		id = uid.String()
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

func fail(kind, id, detail string, err error) error {
	return &storeError{op: kind, id: id, detail: detail, err: err}
}

func notFound(kind, id string) error { return fail(kind, id, "", scim.ErrNotFound) }

func quote(s string) string { return strconv.Quote(s) }
