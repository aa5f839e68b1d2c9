package schema

// The URNs of the built-in schemas.
const (
	UserURN                  = "urn:ietf:params:scim:schemas:core:2.0:User"
	GroupURN                 = "urn:ietf:params:scim:schemas:core:2.0:Group"
	EnterpriseUserURN        = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	ServiceProviderConfigURN = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
	ResourceTypeURN          = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
	SchemaURN                = "urn:ietf:params:scim:schemas:core:2.0:Schema"
)

// The built-in schemas and resource types. They follow RFC 7643 section 8.7, with the
// deviations listed in the package documentation under "Built-in schemas". Like every
// [Schema] in use they must not be modified; declare a new [Schema] and use
// [ResourceType.WithExtensions] to add attributes.
var (
	// User is the core User schema (RFC 7643 section 4.1).
	User = &Schema{
		ID:          UserURN,
		Name:        "User",
		Description: "User Account",
		Attributes:  userAttributes(),
	}

	// Group is the core Group schema (RFC 7643 section 4.2).
	Group = &Schema{
		ID:          GroupURN,
		Name:        "Group",
		Description: "Group",
		Attributes:  groupAttributes(),
	}

	// EnterpriseUser is the Enterprise User extension schema (RFC 7643 section 4.3).
	EnterpriseUser = &Schema{
		ID:          EnterpriseUserURN,
		Name:        "EnterpriseUser",
		Description: "Enterprise User",
		Attributes:  enterpriseAttributes(),
	}

	// CommonAttributes are the attributes every resource has besides those of its
	// schemas (RFC 7643 section 3.1): id, externalId and meta. [ResourceType.Resolve]
	// finds them as if they belonged to the core schema. They are not listed in the
	// /Schemas representation of any schema.
	CommonAttributes = commonAttributes()

	// UserResourceType is the User resource type at /Users, with the optional
	// Enterprise User extension.
	UserResourceType = &ResourceType{
		ID:          "User",
		Name:        "User",
		Endpoint:    "/Users",
		Description: "User Account",
		Schema:      User,
		Extensions:  []Extension{{Schema: EnterpriseUser, Required: false}},
	}

	// GroupResourceType is the Group resource type at /Groups.
	GroupResourceType = &ResourceType{
		ID:          "Group",
		Name:        "Group",
		Endpoint:    "/Groups",
		Description: "Group",
		Schema:      Group,
	}
)

// WithExtensions returns a copy of rt that has ext after rt's own extensions, for hosts
// that declare their own extension schemas:
//
//	users := schema.UserResourceType.WithExtensions(schema.Extension{Schema: acme})
//
// rt itself is not changed. The caller should make sure that the URNs are distinct
// ([ResourceType.Validate] checks it).
func (rt *ResourceType) WithExtensions(ext ...Extension) *ResourceType {
	c := *rt
	c.Extensions = make([]Extension, 0, len(rt.Extensions)+len(ext))
	c.Extensions = append(c.Extensions, rt.Extensions...)
	c.Extensions = append(c.Extensions, ext...)
	return &c
}

// Constructors for the attribute tables below. Each one returns a new Attribute with
// the characteristics the RFC tables give most often; the tables change the rest.

// str is a string attribute: readWrite, returned by default, not unique, caseExact false.
func str(name, desc string) *Attribute {
	return &Attribute{Name: name, Type: String, Description: desc, Mutability: ReadWrite, Returned: Default, Uniqueness: None}
}

func boolean(name, desc string) *Attribute {
	return &Attribute{Name: name, Type: Boolean, Description: desc, Mutability: ReadWrite, Returned: Default}
}

func ref(name, desc string, types ...string) *Attribute {
	return &Attribute{Name: name, Type: Reference, Description: desc, ReferenceTypes: types, Mutability: ReadWrite, Returned: Default, Uniqueness: None}
}

func complexAttr(name, desc string, multi bool, subs ...*Attribute) *Attribute {
	return &Attribute{Name: name, Type: Complex, Description: desc, MultiValued: multi, SubAttributes: subs, Mutability: ReadWrite, Returned: Default}
}

func withMutability(m Mutability, attrs ...*Attribute) []*Attribute {
	for _, a := range attrs {
		a.Mutability = m
	}
	return attrs
}

// multi builds the usual multi-valued complex attribute of RFC 7643 section 2.4: value,
// display, type (with canonical values, if any) and primary.
func multi(name, desc string, value *Attribute, types ...string) *Attribute {
	typ := str("type", "A label for the value's function.")
	typ.CanonicalValues = types
	return complexAttr(name, desc, true,
		value,
		str("display", "A human-readable name for the value."),
		typ,
		boolean("primary", "Whether this is the primary value; true appears at most once."),
	)
}

func commonAttributes() []*Attribute {
	id := str("id", "Unique, stable identifier of the resource, assigned by the service provider.")
	id.Required = true
	id.CaseExact = true
	id.Mutability = ReadOnly
	id.Returned = Always
	id.Uniqueness = Server

	externalID := str("externalId", "Identifier of the resource as defined by the provisioning client.")
	externalID.CaseExact = true

	resourceType := str("resourceType", "Name of the resource type of the resource.")
	resourceType.CaseExact = true
	created := &Attribute{Name: "created", Type: DateTime, Description: "When the resource was added to the service provider.", Returned: Default, Uniqueness: None}
	lastModified := &Attribute{Name: "lastModified", Type: DateTime, Description: "When the resource was last changed.", Returned: Default, Uniqueness: None}
	location := ref("location", "URI of the resource.", "uri")
	version := str("version", "Version (entity tag) of the resource.")
	version.CaseExact = true
	meta := complexAttr("meta", "Resource metadata.", false,
		withMutability(ReadOnly, resourceType, created, lastModified, location, version)...)
	meta.Mutability = ReadOnly

	return []*Attribute{id, externalID, meta}
}

func userAttributes() []*Attribute {
	userName := str("userName", "Unique identifier the user signs in with. REQUIRED.")
	userName.Required = true
	userName.Uniqueness = Server

	name := complexAttr("name", "Components of the user's real name.", false,
		str("formatted", "Full name, formatted for display."),
		str("familyName", "Family (last) name."),
		str("givenName", "Given (first) name."),
		str("middleName", "Middle name(s)."),
		str("honorificPrefix", "Honorific prefix(es), such as Ms."),
		str("honorificSuffix", "Honorific suffix(es), such as III."),
	)

	password := str("password", "Clear-text password; set only, never returned.")
	password.Mutability = WriteOnly
	password.Returned = Never

	emails := multi("emails", "Email addresses of the user.",
		str("value", "Email address."), "work", "home", "other")
	phones := multi("phoneNumbers", "Phone numbers of the user.",
		str("value", "Phone number."), "work", "home", "mobile", "fax", "pager", "other")
	ims := multi("ims", "Instant messaging addresses of the user.",
		str("value", "Instant messaging address."), "aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo")
	photos := multi("photos", "URLs of photos of the user.",
		ref("value", "URL of a photo.", "external"), "photo", "thumbnail")

	addrType := str("type", "A label for the address's function.")
	addrType.CanonicalValues = []string{"work", "home", "other"}
	addresses := complexAttr("addresses", "Physical mailing addresses of the user.", true,
		str("formatted", "Full address, formatted for a mailing label; may contain newlines."),
		str("streetAddress", "Street address; may contain newlines."),
		str("locality", "City or locality."),
		str("region", "State or region."),
		str("postalCode", "Postal code."),
		str("country", "Country."),
		addrType,
		boolean("primary", "Whether this is the primary address; true appears at most once."),
	)

	groupType := str("type", "How the user is a member: direct or indirect.")
	groupType.CanonicalValues = []string{"direct", "indirect"}
	groups := complexAttr("groups", "Groups the user belongs to; maintained by the service provider.", true,
		withMutability(ReadOnly,
			idValue("id of the group."),
			ref("$ref", "URI of the group.", "User", "Group"),
			str("display", "Name of the group."),
			groupType,
		)...)
	groups.Mutability = ReadOnly

	certs := multi("x509Certificates", "X.509 certificates of the user.",
		&Attribute{Name: "value", Type: Binary, Description: "DER-encoded certificate, base64.", Mutability: ReadWrite, Returned: Default, Uniqueness: None})

	return []*Attribute{
		userName,
		name,
		str("displayName", "Name of the user for display to end users."),
		str("nickName", "Casual name of the user."),
		ref("profileUrl", "URL of the user's online profile.", "external"),
		str("title", "Title of the user, such as Vice President."),
		str("userType", "Relationship of the user to the organization, such as Employee."),
		str("preferredLanguage", "Preferred written or spoken language, such as en-US."),
		str("locale", "Default location for localisation, such as en-US."),
		str("timezone", "Time zone in the IANA database format, such as Europe/Paris."),
		boolean("active", "Administrative status of the user."),
		password,
		emails,
		phones,
		ims,
		photos,
		addresses,
		groups,
		multi("entitlements", "Entitlements of the user.", str("value", "Value of an entitlement.")),
		multi("roles", "Roles of the user.", str("value", "Value of a role.")),
		certs,
	}
}

// idValue is the value sub-attribute of a reference to another resource: it holds that
// resource's id, which is caseExact like id itself (RFC 7643 section 3.1). The RFC tables
// leave these value sub-attributes caseExact false; comparing ids ignoring case would let
// a PATCH filter on members[value eq "..."] select a different resource than the one named.
func idValue(desc string) *Attribute {
	a := str("value", desc)
	a.CaseExact = true
	return a
}

func groupAttributes() []*Attribute {
	displayName := str("displayName", "Name of the group for display. REQUIRED.")
	displayName.Required = true

	memberType := str("type", "Type of the member resource.")
	memberType.CanonicalValues = []string{"User", "Group"}
	members := complexAttr("members", "Members of the group.", true,
		withMutability(Immutable,
			idValue("id of the member."),
			ref("$ref", "URI of the member.", "User", "Group"),
			memberType,
			str("display", "Name of the member for display."),
		)...)

	return []*Attribute{displayName, members}
}

func enterpriseAttributes() []*Attribute {
	managerName := str("displayName", "Display name of the manager.")
	managerName.Mutability = ReadOnly
	manager := complexAttr("manager", "The user's manager, another user of the service provider.", false,
		idValue("id of the manager."),
		ref("$ref", "URI of the manager.", "User"),
		managerName,
	)
	return []*Attribute{
		str("employeeNumber", "Number or code identifying the employee within the organization."),
		str("costCenter", "Cost center."),
		str("organization", "Organization."),
		str("division", "Division."),
		str("department", "Department."),
		manager,
	}
}
