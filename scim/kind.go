package scim

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/scimkit/scimkit/patch"
	"github.com/scimkit/scimkit/schema"
)

// A kind is what the one request path needs to know about a resource type T (User or
// Group): its schema, its store's methods, its conversions, and the few hooks in
// which users and groups differ. userKind and groupKind build the two kinds.
type kind[T any] struct {
	name     string // the resource type: "User" or "Group"
	endpoint string // "/Users/" or "/Groups/"
	rt       *schema.ResourceType
	ix       attrIndex
	sorter   Sorter // the store as a Sorter, or nil

	// The store. get returns the resource with what p asks for (a GroupStore
	// may leave members out); users ignore p.
	get     func(ctx context.Context, id string, p Projection) (*T, error)
	list    func(ctx context.Context, q Query) (*Page[T], error)
	create  func(ctx context.Context, v *T) (*T, error)
	replace func(ctx context.Context, v *T, ifMatch string) (*T, error)
	remove  func(ctx context.Context, id, ifMatch string) error
	// update is the store's UserUpdater or GroupUpdater method, or nil.
	update func(ctx context.Context, id, ifMatch string, fn func(old *T) (*T, error)) (*T, error)

	// Conversions.
	tree     func(v *T) map[string]any
	fromTree func(tree map[string]any) (*T, error)
	meta     func(v *T) *Meta
	id       func(v *T) *string

	// Hooks.
	readOnly    []string // keys of incoming trees the server owns besides id, meta, schemas
	passwords   bool     // trees may carry a password for Config.PasswordHook
	putRequires string   // an attribute a PUT body must carry, or ""
	// defaults fills in a new resource's tree before it is validated, or is nil.
	defaults func(tree map[string]any)
	// check validates a tree about to be stored (old is nil on create), or is nil.
	check func(c *call, old, next map[string]any) error
	// finish completes a resource built from a tree before it goes to the store.
	finish func(v *T)
	// refs names the references in a tree that a store may refuse with
	// ErrInvalidReference (of a change from old, nil on create), and what they are.
	refs     func(old, next map[string]any) []string
	refsName string
	// Events of a create, a change (changed lists the changed paths) and a delete.
	created func(tree map[string]any) Event
	changed func(old, next map[string]any, changed []string) Event
	deleted EventType
	// patch, if not nil, may serve a PATCH without the generic path: it reports
	// whether it did, or fails.
	patch func(c *call, id string, req *patch.Request) (bool, error)
	// patchStatus is the status of a successful PATCH, and its projection.
	patchStatus func(c *call) (int, *projection)
}

// encode appends v to e. It calls the encoder directly rather than through a func
// value, so that the encoder stays on the stack.
func (k *kind[T]) encode(e *encoder, v *T) {
	switch v := any(v).(type) {
	case *User:
		e.user(v, k.rt)
	case *Group:
		e.group(v, k.rt)
	}
}

// notFound is the 404 of an unknown, deleted, foreign or malformed id.
func (k *kind[T]) notFound(id string) *Error {
	return &Error{Status: http.StatusNotFound, Detail: k.name + " " + strconv.Quote(clip(id)) + " not found"}
}

// storeErr adds the resource to the detail of the store's not-found and uniqueness
// errors, unless the store sent its own *Error.
func (k *kind[T]) storeErr(id string, err error) error {
	var se *Error
	switch {
	case err == nil || errors.As(err, &se):
		return err
	case errors.Is(err, ErrNotFound):
		return k.notFound(id)
	case errors.Is(err, ErrUniqueness):
		attr := "userName"
		if k.name == "Group" {
			attr = "displayName"
		}
		return &Error{Status: http.StatusConflict, ScimType: "uniqueness", Detail: "a " + k.name + " with this " + attr + " already exists"}
	}
	return err
}

// userKind returns the kind of users over the Handler's UserStore.
func (h *Handler) userKind() *kind[User] {
	st := h.users
	k := &kind[User]{
		name: "User", endpoint: "/Users/", rt: h.userRT, ix: newAttrIndex(h.userRT),
		get:      func(ctx context.Context, id string, _ Projection) (*User, error) { return st.GetUser(ctx, id) },
		list:     st.ListUsers,
		create:   st.CreateUser,
		replace:  st.ReplaceUser,
		remove:   st.DeleteUser,
		tree:     (*User).Tree,
		fromTree: UserFromTree,
		meta:     func(u *User) *Meta { return &u.Meta },
		id:       func(u *User) *string { return &u.ID },

		readOnly:    []string{"groups"},
		passwords:   true,
		putRequires: "userName",
		defaults: func(tree map[string]any) {
			if _, ok := tree["active"]; !ok {
				tree["active"] = true
			}
		},
		check: func(c *call, old, next map[string]any) error {
			if m := managerID(next); m != "" && (old == nil || m != managerID(old)) {
				return c.checkManager(m)
			}
			return nil
		},
		finish: func(u *User) { u.Groups = nil },
		refs: func(_, next map[string]any) []string {
			return []string{managerID(next)}
		},
		refsName: "manager",
		created:  func(map[string]any) Event { return Event{Type: UserCreated} },
		changed: func(old, next map[string]any, changed []string) Event {
			return Event{Type: userEvent(old["active"] == true, next["active"] == true)}
		},
		deleted: UserDeleted,
		patchStatus: func(c *call) (int, *projection) {
			return http.StatusOK, c.responseProjection(c.h.user.rt, c.h.user.ix)
		},
	}
	k.sorter, _ = st.(Sorter)
	if up, ok := st.(UserUpdater); ok {
		k.update = up.UpdateUser
	}
	return k
}

// groupKind returns the kind of groups over the Handler's GroupStore.
func (h *Handler) groupKind() *kind[Group] {
	st := h.groups
	k := &kind[Group]{
		name: "Group", endpoint: "/Groups/", rt: h.groupRT, ix: newAttrIndex(h.groupRT),
		get:      st.GetGroup,
		list:     st.ListGroups,
		create:   st.CreateGroup,
		replace:  st.ReplaceGroup,
		remove:   st.DeleteGroup,
		tree:     (*Group).Tree,
		fromTree: GroupFromTree,
		meta:     func(g *Group) *Meta { return &g.Meta },
		id:       func(g *Group) *string { return &g.ID },

		finish: func(g *Group) {
			if g.Members == nil {
				g.Members = []Member{}
			}
		},
		refs: func(old, next map[string]any) []string {
			added, _ := memberDiff(memberIDs(old), memberIDs(next))
			return added
		},
		refsName: "members",
		created: func(tree map[string]any) Event {
			return Event{Type: GroupCreated, MembersAdded: memberIDs(tree)}
		},
		changed: func(old, next map[string]any, changed []string) Event {
			added, removed := memberDiff(memberIDs(old), memberIDs(next))
			return Event{Type: groupEvent(changed), MembersAdded: added, MembersRemoved: removed}
		},
		deleted:     GroupDeleted,
		patch:       (*call).patchGroupMembers,
		patchStatus: (*call).groupPatchStatus,
	}
	k.sorter, _ = st.(Sorter)
	if up, ok := st.(GroupUpdater); ok {
		k.update = up.UpdateGroup
	}
	return k
}
