package scim

import "time"

// URNs of the SCIM messages this package writes. The resource schemas' URNs are
// schema.UserURN, schema.EnterpriseUserURN and schema.GroupURN, and the PATCH
// message's is patch.PatchOpURN.
const (
	ListResponseSchema = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
	ErrorSchema        = "urn:ietf:params:scim:api:messages:2.0:Error"
)

// A User is a SCIM User resource (RFC 7643 section 4.1) with the Enterprise User
// extension (section 4.3) and any host-declared extension schemas.
//
// The zero value of a string field means the attribute is unassigned. Stores keep
// every field as the client sent it (no trimming, no lower-casing) and return it
// unchanged: identity providers compare what they read with what they want and
// re-send any difference on every cycle.
type User struct {
	ID                string
	ExternalID        string
	UserName          string
	Name              *Name // nil when no name sub-attribute is set
	DisplayName       string
	NickName          string
	ProfileURL        string
	Title             string
	UserType          string
	PreferredLanguage string
	Locale            string
	Timezone          string
	// Active is always present in responses. A create request that omits it makes an
	// active user; an unassigned active, such as after {"op":"remove","path":"active"},
	// reads as false, so that a removal never enables an account.
	Active           bool
	Emails           []MultiValue
	PhoneNumbers     []MultiValue
	IMs              []MultiValue
	Photos           []MultiValue
	Addresses        []Address
	Entitlements     []MultiValue
	Roles            []MultiValue
	X509Certificates []MultiValue
	// Groups is read-only: the groups the user is a direct member of. Stores fill it
	// on read when they can; it is ignored on create and replace.
	Groups []GroupRef
	// Enterprise holds the Enterprise User extension, nil when none of its attributes is set.
	Enterprise *EnterpriseUser
	// Extensions holds the attributes of host-declared extension schemas, keyed by
	// schema URN; each value is a resource tree in the canonical form described in
	// package schema.
	Extensions map[string]map[string]any
	Meta       Meta
}

// userStrings are the User's singular string attributes, externalId first and then
// in the order of the User schema (schema.UserResourceType); User.stringField maps
// each to its field. Tree, UserFromTree and the encoder read the list; a test
// derives it from the schema and checks it.
var userStrings = [...]string{"externalId", "userName", "displayName", "nickName", "profileUrl",
	"title", "userType", "preferredLanguage", "locale", "timezone"}

// stringFields returns the fields of userStrings, in its order. It returns an
// array of pointers, not a table of funcs, so that the User it is called on can stay
// on the stack, and so that a loop over the fields takes no jump per field.
func (u *User) stringFields() [len(userStrings)]*string {
	return [...]*string{&u.ExternalID, &u.UserName, &u.DisplayName, &u.NickName, &u.ProfileURL,
		&u.Title, &u.UserType, &u.PreferredLanguage, &u.Locale, &u.Timezone}
}

// stringField returns the field of userStrings[i].
func (u *User) stringField(i int) *string { return u.stringFields()[i] }

// userMultiValues are the User's multi-valued attributes of [MultiValue]s, in the
// order of the User schema, under the rules of userStrings.
var userMultiValues = [...]string{"emails", "phoneNumbers", "ims", "photos", "entitlements", "roles", "x509Certificates"}

// multiFields returns the fields of userMultiValues, in its order, as
// stringFields does.
func (u *User) multiFields() [len(userMultiValues)]*[]MultiValue {
	return [...]*[]MultiValue{&u.Emails, &u.PhoneNumbers, &u.IMs, &u.Photos, &u.Entitlements, &u.Roles, &u.X509Certificates}
}

// multiField returns the field of userMultiValues[i].
func (u *User) multiField(i int) *[]MultiValue { return u.multiFields()[i] }

// Positions in userStrings and userMultiValues where the encoder, which writes the
// schema's order, puts the attributes of other shapes: name after userName,
// addresses and groups after photos.
const (
	userStringsBeforeName          = 2
	userMultiValuesBeforeAddresses = 4
)

// Name is the components of a user's name (RFC 7643 section 4.1.1).
type Name struct {
	Formatted       string
	FamilyName      string
	GivenName       string
	MiddleName      string
	HonorificPrefix string
	HonorificSuffix string
}

// A MultiValue is one value of a multi-valued attribute such as emails, phoneNumbers,
// ims, photos, entitlements, roles or x509Certificates (RFC 7643 section 2.4).
type MultiValue struct {
	Value   string
	Display string
	Type    string
	Primary bool // false is the same as absent
}

// An Address is one value of the addresses attribute (RFC 7643 section 4.1.2).
type Address struct {
	Formatted     string
	StreetAddress string
	Locality      string
	Region        string
	PostalCode    string
	Country       string
	Type          string
	Primary       bool
}

// A GroupRef is one value of a user's read-only groups attribute.
type GroupRef struct {
	Value   string // the group's id
	Display string
	Type    string // "direct" or "indirect"
}

// EnterpriseUser is the Enterprise User extension (RFC 7643 section 4.3).
type EnterpriseUser struct {
	EmployeeNumber string
	CostCenter     string
	Organization   string
	Division       string
	Department     string
	Manager        *Manager // nil when the user has no manager
}

// A Manager refers to another user of the same tenant by id.
type Manager struct {
	Value       string // the manager's id
	DisplayName string // read-only
}

// Meta is the resource metadata of RFC 7643 section 3.1.
// Location and ResourceType are filled in by the Handler on output.
type Meta struct {
	Created      time.Time
	LastModified time.Time
	// Version is an opaque version of the resource, changed by the store on every
	// change. Empty means the store does not track versions (no ETags).
	Version string
}
