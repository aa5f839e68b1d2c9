package memstore

import (
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/scimkit/scimkit/scim"
)

// typicalUser returns a user shaped like those Microsoft Entra ID provisions with its
// default attribute mapping (ENTRA-USER-1, ENTRA-USER-2), as the Handler passes it to
// CreateUser: id and times set.
func typicalUser(i int, managerID string) *scim.User {
	n := strconv.Itoa(i)
	u := &scim.User{
		ID:                uuid.NewString(),
		ExternalID:        "user" + n,
		UserName:          "user" + n + "@contoso.example",
		Active:            true,
		DisplayName:       "User Number " + n,
		Title:             "Software Engineer",
		PreferredLanguage: "en-US",
		Name:              &scim.Name{Formatted: "User Number " + n, GivenName: "User", FamilyName: "Number " + n},
		Emails:            []scim.MultiValue{{Value: "user" + n + "@contoso.example", Type: "work", Primary: true}},
		PhoneNumbers:      []scim.MultiValue{{Value: "+1 425 555 " + n, Type: "work"}, {Value: "+1 206 555 " + n, Type: "mobile"}},
		Addresses:         []scim.Address{{Type: "work", StreetAddress: "1 Microsoft Way", Locality: "Redmond", Region: "WA", PostalCode: "98052", Country: "US"}},
		Enterprise:        &scim.EnterpriseUser{EmployeeNumber: n, Department: "Engineering", CostCenter: "CC-100"},
		Meta:              scim.Meta{Created: time.Now().UTC(), LastModified: time.Now().UTC()},
	}
	if managerID != "" {
		u.Enterprise.Manager = &scim.Manager{Value: managerID}
	}
	return u
}
