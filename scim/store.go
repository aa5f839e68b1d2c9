package scim

import (
	"context"

	"github.com/scimkit/scimkit/filter"
)

// A UserStore persists the users of every tenant. It is the one thing a host must write
// (package memstore has an in-memory one). Its methods may be called concurrently.
//
// Every method works within the tenant of ctx ([TenantFrom]); a resource of another
// tenant does not exist for it. Errors wrap the sentinels of this package
// ([ErrNotFound], [ErrUniqueness], [ErrPreconditionFailed], [ErrInvalidReference]) or
// are a *[Error]; any other error is answered with a 500.
//
// The Handler only reads the values a store returns; the store keeps ownership. The
// store must not keep or modify the *User passed to it after the call returns.
type UserStore interface {
	// CreateUser stores a new user and returns it as stored. u.ID and u.Meta.Created
	// and LastModified are already set by the Handler; the store may replace the ID,
	// and sets Meta.Version if it tracks versions. A userName equal, ignoring case, to
	// an existing user's fails with ErrUniqueness, atomically.
	CreateUser(ctx context.Context, u *User) (*User, error)
	// GetUser returns the user with that id, or ErrNotFound.
	GetUser(ctx context.Context, id string) (*User, error)
	// ListUsers returns one page of the users that match q.Filter, in q's order.
	ListUsers(ctx context.Context, q Query) (*Page[User], error)
	// ReplaceUser replaces the stored user that has u.ID with u and returns it as stored.
	// When ifMatch is not empty and differs from the stored Meta.Version it fails with
	// ErrPreconditionFailed and changes nothing. Unknown id: ErrNotFound. userName
	// clash: ErrUniqueness.
	ReplaceUser(ctx context.Context, u *User, ifMatch string) (*User, error)
	// DeleteUser deletes the user and removes it from every group. ifMatch works as
	// in ReplaceUser. Unknown id: ErrNotFound.
	DeleteUser(ctx context.Context, id string, ifMatch string) error
}

// A GroupStore persists the groups of every tenant, under the same rules as [UserStore].
type GroupStore interface {
	// CreateGroup stores a new group. A member id that names no user (or group, where
	// nesting is supported) of the tenant fails with ErrInvalidReference. A displayName
	// equal, ignoring case, to an existing group's fails with ErrUniqueness when the
	// store enforces that (it should: Entra ID matches groups by displayName).
	CreateGroup(ctx context.Context, g *Group) (*Group, error)
	// GetGroup returns the group with that id, or ErrNotFound. When p excludes members
	// the store should not load them and returns Members nil.
	GetGroup(ctx context.Context, id string, p Projection) (*Group, error)
	// ListGroups returns one page of the groups that match q.Filter, in q's order.
	ListGroups(ctx context.Context, q Query) (*Page[Group], error)
	// ReplaceGroup replaces the group with g.ID, including its whole member list, as
	// ReplaceUser does for users.
	ReplaceGroup(ctx context.Context, g *Group, ifMatch string) (*Group, error)
	// DeleteGroup deletes the group; its member users stay.
	DeleteGroup(ctx context.Context, id string, ifMatch string) error
}

// MemberPatcher is an optional interface that a [GroupStore] may implement to apply a
// membership change in time proportional to the change, not to the group's size.
//
// The Handler calls it for PATCH requests made only of member additions, member
// removals by id, and displayName replacements, which is what Entra ID and Okta send.
// Without it, or when PatchMembers returns an error wrapping errors.ErrUnsupported, the
// Handler reads the group, applies the PATCH and calls ReplaceGroup.
type MemberPatcher interface {
	// PatchMembers applies c to the group id atomically and returns the group's new
	// version ("" when the store tracks none). Adding a present member and removing an
	// absent one are no-ops. Unknown member ids fail with ErrInvalidReference and
	// change nothing; ifMatch works as in ReplaceGroup.
	PatchMembers(ctx context.Context, id string, c MemberChange, ifMatch string) (version string, err error)
}

// A MemberChange is a change of a group's membership and name, applied in this order:
// DisplayName, Remove, Add.
type MemberChange struct {
	DisplayName *string  // new displayName, or nil to keep it
	Remove      []string // member ids to remove
	Add         []Member // members to add
}

// A Query selects, orders and pages resources for ListUsers and ListGroups.
type Query struct {
	// Filter is a validated filter with canonical attribute names (see filter.Validate),
	// or nil to select every resource of the tenant.
	Filter filter.Expr
	// SortBy is the canonical path of the sort attribute, or "" for the default order:
	// by Meta.Created, then ID, which must be stable across calls.
	SortBy     string
	Descending bool
	// StartIndex is the 1-based index of the first resource to return; always >= 1.
	StartIndex int
	// Count is the most resources to return; 0 asks only for Page.Total.
	Count int
	// Projection says which attributes the response will carry, so that a store can
	// skip loading the others (members, above all).
	Projection Projection
}

// A Page is one page of a list result.
type Page[T any] struct {
	Total     int  // resources matching the filter, over all pages
	Resources []*T // this page, in order
}

// A Projection is the attributes and excludedAttributes query parameters of a request
// (RFC 7644 section 3.9), as canonical attribute paths.
type Projection struct {
	Attributes         []string
	ExcludedAttributes []string
}

// UserUpdater is an optional interface that a [UserStore] may implement to serialise
// the writes to one user, so that concurrent PUTs and PATCHes without If-Match never
// fail because another write won the race.
//
// The Handler uses it for PUT and PATCH of users when present. Without it the Handler
// reads the user, applies the change and calls ReplaceUser with the version it read,
// retrying with jittered backoff while another write wins, until the request's
// deadline; then it answers 503 with Retry-After.
type UserUpdater interface {
	// UpdateUser locks the user id against other writes (a row lock inside a
	// transaction, or a mutex), reads it, and calls fn once with it. When ifMatch is
	// not empty and differs from the stored version it fails with
	// ErrPreconditionFailed without calling fn. If fn returns an error, nothing is
	// written and that error is returned as is. If fn returns nil and no error,
	// nothing is written and the user is returned as stored. Otherwise the user fn
	// returns replaces the stored one under the rules of ReplaceUser, and is
	// returned as stored. fn must not keep or modify old. Unknown id: ErrNotFound.
	// UpdateUser never fails with ErrPreconditionFailed when ifMatch is empty.
	UpdateUser(ctx context.Context, id, ifMatch string, fn func(old *User) (*User, error)) (*User, error)
}

// GroupUpdater is to a [GroupStore] what [UserUpdater] is to a UserStore. The group
// passed to fn carries its whole member list.
type GroupUpdater interface {
	// UpdateGroup works as UserUpdater.UpdateUser, with the rules of ReplaceGroup.
	UpdateGroup(ctx context.Context, id, ifMatch string, fn func(old *Group) (*Group, error)) (*Group, error)
}

// A Sorter is a [UserStore] or [GroupStore] that orders list results by
// Query.SortBy. The Handler advertises sorting in /ServiceProviderConfig only when
// its stores implement Sorter, and passes SortBy only for paths that SortsBy accepts.
// A store without it always gets SortBy "" and returns its default order.
type Sorter interface {
	// SortsBy reports whether the store can order resources of resourceType ("User"
	// or "Group") by the attribute at the canonical path.
	SortsBy(resourceType, path string) bool
}
