package scim

import (
	"log/slog"
	"time"
)

// An EventType says what a change did.
type EventType string

// The event types. A user whose active attribute goes from true to false is
// deactivated (that is how Entra ID and Okta disable people); from false to true,
// reactivated. Every other change of a user is an update.
const (
	UserCreated         EventType = "UserCreated"
	UserUpdated         EventType = "UserUpdated"
	UserDeactivated     EventType = "UserDeactivated"
	UserReactivated     EventType = "UserReactivated"
	UserDeleted         EventType = "UserDeleted"
	GroupCreated        EventType = "GroupCreated"
	GroupUpdated        EventType = "GroupUpdated"
	GroupMembersChanged EventType = "GroupMembersChanged"
	GroupDeleted        EventType = "GroupDeleted"
	// NothingChanged reports a PUT or PATCH that succeeded without changing anything
	// because every attribute it set was skipped (Event.Skipped), so that an
	// administrator can see the attributes the service does not keep.
	NothingChanged EventType = "NothingChanged"
)

// An Event reports one successful change made through the Handler, for audit logs and
// side effects such as revoking the sessions of a deactivated user. See Config.Events.
// An Event never carries a password.
type Event struct {
	Type         EventType
	Tenant       string // the tenant of the request ([TenantFrom])
	ResourceType string // "User" or "Group"
	ID           string // the resource's id
	// Changed lists the canonical paths of the attributes that changed, such as
	// "active", "name.givenName", "emails" or
	// "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager"; a member
	// change of a group is reported as "members". A password change is reported as
	// "password", never its value. It is nil for creations and deletions.
	Changed []string
	// Values holds the old and new value of each path in Changed that names a
	// single-valued attribute with a simple type (string, boolean, number, dateTime or
	// reference), such as "active" or "name.givenName", so that an audit log can show
	// "title: Engineer → Manager". Multi-valued and complex attributes, members and
	// passwords are never in it.
	Values []ChangedValue
	// MembersAdded and MembersRemoved are the member ids a group change added and
	// removed. When the store applies a membership PATCH itself (MemberPatcher) they are
	// the ids the request named, since only the store knows which were already members.
	MembersAdded   []string
	MembersRemoved []string
	// Skipped lists the attributes of the request that the Handler skipped because no
	// schema defines them (see Config.Strict).
	Skipped   []string
	UserAgent string    // the User-Agent of the request, which tells Entra ID from Okta
	Time      time.Time // when the change was made (Config.Now)
}

// A ChangedValue is the old and new value of one single-valued attribute that a
// change modified. Old or New is nil when the attribute was unassigned before or after.
type ChangedValue struct {
	Path     string // canonical path, as in Event.Changed
	Old, New any    // string, bool, json.Number or nil
}

// emit completes ev and hands it to Config.Events.
func (c *call) emit(ev Event) {
	if c.h.events == nil {
		return
	}
	ev.Tenant, _ = TenantFrom(c.ctx)
	ev.UserAgent = c.r.UserAgent()
	if ev.Time.IsZero() {
		ev.Time = c.h.now().UTC()
	}
	defer func() {
		if v := recover(); v != nil {
			c.h.log.LogAttrs(c.ctx, slog.LevelError, "scim: panic in Config.Events", slog.Any("panic", v))
		}
	}()
	c.h.events(c.ctx, ev)
}

// logSkipped reports attributes skipped by leniency.
func (c *call) logSkipped(resourceType, id string, skipped []string) {
	if len(skipped) == 0 {
		return
	}
	c.h.log.LogAttrs(c.ctx, slog.LevelInfo, "scim: skipped unknown attributes",
		slog.String("resourceType", resourceType), slog.String("id", id), slog.Any("attributes", skipped))
}
