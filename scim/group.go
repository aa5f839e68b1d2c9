package scim

// A Group is a SCIM Group resource (RFC 7643 section 4.2).
type Group struct {
	ID          string
	ExternalID  string
	DisplayName string
	// Members is nil when the store was asked not to load members.
	Members    []Member
	Extensions map[string]map[string]any
	Meta       Meta
}

// A Member is one member of a group.
type Member struct {
	Value   string // the member's id: a user, or a group when the store supports nesting
	Display string
	Type    string // "User" or "Group"
}
