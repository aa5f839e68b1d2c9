package schema

// The schemas of the discovery resources (RFC 7643 section 8.7.2), for hosts that list
// them under /Schemas. Every attribute of them is readOnly. Like the other built-in
// schemas they must not be modified.
var (
	// ServiceProviderConfigSchema describes the /ServiceProviderConfig resource
	// (RFC 7643 section 5).
	ServiceProviderConfigSchema = &Schema{
		ID:          ServiceProviderConfigURN,
		Name:        "Service Provider Configuration",
		Description: "Schema for representing the service provider's configuration",
		Attributes:  readOnly(serviceProviderConfigAttributes()),
	}

	// ResourceTypeSchema describes the resources under /ResourceTypes (RFC 7643 section 6).
	ResourceTypeSchema = &Schema{
		ID:          ResourceTypeURN,
		Name:        "ResourceType",
		Description: "Specifies the schema that describes a SCIM resource type",
		Attributes:  readOnly(resourceTypeAttributes()),
	}

	// SchemaSchema describes the resources under /Schemas (RFC 7643 section 7).
	SchemaSchema = &Schema{
		ID:          SchemaURN,
		Name:        "Schema",
		Description: "Specifies the schema that describes a SCIM schema",
		Attributes:  readOnly(schemaAttributes()),
	}
)

// readOnly marks attrs and all their sub-attributes readOnly and returns attrs.
func readOnly(attrs []*Attribute) []*Attribute {
	for _, a := range attrs {
		a.Mutability = ReadOnly
		readOnly(a.SubAttributes)
	}
	return attrs
}

func required(a *Attribute) *Attribute {
	a.Required = true
	return a
}

func caseExact(a *Attribute) *Attribute {
	a.CaseExact = true
	return a
}

func integer(name, desc string) *Attribute {
	return &Attribute{Name: name, Type: Integer, Description: desc, Mutability: ReadWrite, Returned: Default, Uniqueness: None}
}

// supported is a required complex attribute with a required "supported" Boolean and
// more sub-attributes.
func supported(name, desc string, more ...*Attribute) *Attribute {
	subs := append([]*Attribute{required(boolean("supported", "Whether the feature is supported."))}, more...)
	return required(complexAttr(name, desc, false, subs...))
}

func serviceProviderConfigAttributes() []*Attribute {
	schemeType := required(str("type", "Type of the authentication scheme."))
	schemeType.CanonicalValues = []string{"oauth", "oauth2", "oauthbearertoken", "httpbasic", "httpdigest"}
	return []*Attribute{
		ref("documentationUri", "URL of the service provider's help documentation.", "external"),
		supported("patch", "PATCH configuration options."),
		supported("bulk", "Bulk configuration options.",
			required(integer("maxOperations", "Maximum number of operations in one bulk request.")),
			required(integer("maxPayloadSize", "Maximum payload size of one bulk request, in bytes.")),
		),
		supported("filter", "Filter configuration options.",
			required(integer("maxResults", "Maximum number of resources returned in a response.")),
		),
		supported("changePassword", "Change password configuration options."),
		supported("sort", "Sort configuration options."),
		supported("etag", "ETag configuration options."),
		required(complexAttr("authenticationSchemes", "Supported authentication schemes.", true,
			schemeType,
			required(str("name", "Common name of the authentication scheme, such as HTTP Basic.")),
			required(str("description", "Description of the authentication scheme.")),
			ref("specUri", "URL of the authentication scheme's specification.", "external"),
			ref("documentationUri", "URL of the authentication scheme's usage documentation.", "external"),
			boolean("primary", "Whether this is the preferred authentication scheme."),
		)),
	}
}

func resourceTypeAttributes() []*Attribute {
	return []*Attribute{
		str("id", "Server-unique id of the resource type, often equal to its name."),
		required(str("name", "Name of the resource type, such as User.")),
		str("description", "Description of the resource type."),
		required(ref("endpoint", "Endpoint of the resource type relative to the base URL, such as /Users.", "uri")),
		required(caseExact(ref("schema", "URI of the resource type's core schema.", "uri"))),
		complexAttr("schemaExtensions", "Extension schemas of the resource type.", true,
			required(caseExact(ref("schema", "URI of an extension schema.", "uri"))),
			required(boolean("required", "Whether resources of this type must carry the extension.")),
		),
	}
}

// attributeDefinition returns the sub-attributes that describe one attribute in the
// Schema schema; with subs it includes subAttributes, one level deep as in the RFC.
func attributeDefinition(subs bool) []*Attribute {
	typ := required(str("type", "Data type of the attribute."))
	typ.CanonicalValues = []string{"string", "complex", "boolean", "decimal", "integer", "dateTime", "reference", "binary"}
	mutability := caseExact(str("mutability", "Whether and how the attribute may be modified."))
	mutability.CanonicalValues = []string{"readOnly", "readWrite", "immutable", "writeOnly"}
	returned := caseExact(str("returned", "When the attribute is returned in a response."))
	returned.CanonicalValues = []string{"always", "never", "default", "request"}
	uniqueness := caseExact(str("uniqueness", "How unique a value of the attribute must be."))
	uniqueness.CanonicalValues = []string{"none", "server", "global"}
	canonical := caseExact(str("canonicalValues", "Canonical values of the attribute, such as work and home."))
	canonical.MultiValued = true
	refTypes := caseExact(str("referenceTypes", "Resource types a reference attribute may refer to, such as User."))
	refTypes.MultiValued = true
	attrs := []*Attribute{
		required(caseExact(str("name", "Name of the attribute."))),
		typ,
		required(boolean("multiValued", "Whether the attribute is multi-valued.")),
		caseExact(str("description", "Description of the attribute.")),
		boolean("required", "Whether the attribute is required."),
		canonical,
		boolean("caseExact", "Whether string values are compared case-sensitively."),
		mutability,
		returned,
		uniqueness,
		refTypes,
	}
	if subs {
		attrs = append(attrs, complexAttr("subAttributes", "Sub-attributes of a complex attribute.", true, attributeDefinition(false)...))
	}
	return attrs
}

func schemaAttributes() []*Attribute {
	return []*Attribute{
		required(str("id", "URI of the schema.")),
		required(str("name", "Name of the schema, such as User.")),
		str("description", "Description of the schema."),
		required(complexAttr("attributes", "Attributes of the schema.", true, attributeDefinition(true)...)),
	}
}
