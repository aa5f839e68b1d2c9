package schema

import "testing"

func TestLookup(t *testing.T) {
	ent := EnterpriseUserURN
	tests := []struct {
		path      string
		want      string // canonical Ref.String(), "" for not found
		schema    *Schema
		extension bool
		sub       bool
	}{
		{"userName", "userName", User, false, false},
		{"USERNAME", "userName", User, false, false},
		{"name.givenName", "name.givenName", User, false, true},
		{"NAME.GIVENNAME", "name.givenName", User, false, true},
		{"emails.value", "emails.value", User, false, true},
		{"Emails.Type", "emails.type", User, false, true},
		{"members", "", nil, false, false}, // a Group attribute, not a User one
		{"id", "id", User, false, false},
		{"ID", "id", User, false, false},
		{"externalId", "externalId", User, false, false},
		{"meta.lastModified", "meta.lastModified", User, false, true},
		{"META.LASTMODIFIED", "meta.lastModified", User, false, true},
		{UserURN + ":userName", "userName", User, false, false},
		{UserURN + ":id", "id", User, false, false},
		{ent + ":manager.value", ent + ":manager.value", EnterpriseUser, true, true},
		{"URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER:Manager.Value", ent + ":manager.value", EnterpriseUser, true, true},
		{ent + ":department", ent + ":department", EnterpriseUser, true, false},
		// Failures.
		{"department", "", nil, false, false}, // extensions are not searched without their URN
		{"nickname2", "", nil, false, false},
		{"name.nope", "", nil, false, false},
		{"name.givenName.x", "", nil, false, false},
		{"", "", nil, false, false},
		{".", "", nil, false, false},
		{ent, "", nil, false, false}, // a bare URN names no attribute
		{ent + ":", "", nil, false, false},
		{ent + ":nope", "", nil, false, false},
		{"urn:ietf:params:scim:schemas:extension:acme:2.0:User:badge", "", nil, false, false},
		{"meta.nope", "", nil, false, false},
		{"password", "password", User, false, false},
	}
	for _, tt := range tests {
		r, ok := UserResourceType.Lookup(tt.path)
		if tt.want == "" {
			if ok || !r.IsZero() {
				t.Errorf("Lookup(%q) = %v, %v; want not found", tt.path, r, ok)
			}
			continue
		}
		if !ok {
			t.Errorf("Lookup(%q) not found, want %s", tt.path, tt.want)
			continue
		}
		if got := r.String(); got != tt.want {
			t.Errorf("Lookup(%q).String() = %q, want %q", tt.path, got, tt.want)
		}
		if r.Schema != tt.schema || r.Extension != tt.extension || (r.Sub != nil) != tt.sub {
			t.Errorf("Lookup(%q) = {Schema %v, Extension %v, Sub %v}", tt.path, r.Schema.ID, r.Extension, r.Sub)
		}
	}
}

func TestResolveCommonAttributesOnGroup(t *testing.T) {
	r, ok := GroupResourceType.Resolve("", "EXTERNALID", "")
	if !ok || r.Attr.Name != "externalId" || r.Schema != Group || r.Extension {
		t.Fatalf("Resolve externalId on Group = %+v, %v", r, ok)
	}
	if _, ok := GroupResourceType.Resolve(GroupURN, "meta", "version"); !ok {
		t.Error("Group meta.version not found with the core URN")
	}
	// Common attributes belong to the core schema only, not to an extension.
	if _, ok := UserResourceType.Resolve(EnterpriseUserURN, "id", ""); ok {
		t.Error("id found in the enterprise extension")
	}
	if _, ok := GroupResourceType.Resolve(EnterpriseUserURN, "department", ""); ok {
		t.Error("Group has no enterprise extension")
	}
}

func TestWithExtensions(t *testing.T) {
	acme := &Schema{ID: "urn:example:acme:2.0:User", Name: "Acme", Attributes: []*Attribute{{Name: "badge", Type: String}}}
	rt := UserResourceType.WithExtensions(Extension{Schema: acme, Required: true})
	if len(UserResourceType.Extensions) != 1 {
		t.Fatalf("WithExtensions changed the receiver: %d extensions", len(UserResourceType.Extensions))
	}
	if len(rt.Extensions) != 2 || rt.Extensions[0].Schema != EnterpriseUser || rt.Extensions[1].Schema != acme || !rt.Extensions[1].Required {
		t.Fatalf("extensions = %+v", rt.Extensions)
	}
	r, ok := rt.Lookup("URN:EXAMPLE:ACME:2.0:USER:Badge")
	if !ok || r.String() != "urn:example:acme:2.0:User:badge" || !r.Extension {
		t.Fatalf("Lookup badge = %v, %v", r, ok)
	}
	if _, ok := UserResourceType.Lookup("urn:example:acme:2.0:User:badge"); ok {
		t.Error("the original resource type sees the new extension")
	}
	// Appending to the copy must not write into the original's backing array.
	rt2 := rt.WithExtensions(Extension{Schema: &Schema{ID: "urn:x"}})
	rt3 := rt.WithExtensions(Extension{Schema: &Schema{ID: "urn:y"}})
	if rt2.Extensions[2].Schema.ID != "urn:x" || rt3.Extensions[2].Schema.ID != "urn:y" {
		t.Error("copies share their extension slices")
	}
}

func TestEffectiveCharacteristics(t *testing.T) {
	var zero Attribute
	if zero.EffectiveMutability() != ReadWrite || zero.EffectiveReturned() != Default || zero.EffectiveUniqueness() != None {
		t.Errorf("zero attribute: %s %s %s", zero.EffectiveMutability(), zero.EffectiveReturned(), zero.EffectiveUniqueness())
	}
	a := Attribute{Mutability: Immutable, Returned: Request, Uniqueness: Global}
	if a.EffectiveMutability() != Immutable || a.EffectiveReturned() != Request || a.EffectiveUniqueness() != Global {
		t.Errorf("set attribute: %s %s %s", a.EffectiveMutability(), a.EffectiveReturned(), a.EffectiveUniqueness())
	}
}

// RFC-DISC-2: the characteristics that identity providers and RFC 7643 section 8.7.1 rely on are as specified.
func TestBuiltInCharacteristics(t *testing.T) {
	type want struct {
		typ        Type
		multi      bool
		required   bool
		caseExact  bool
		mutability Mutability
		returned   Returned
		uniqueness Uniqueness
	}
	ent := EnterpriseUserURN + ":"
	user := map[string]want{
		"userName":                  {String, false, true, false, ReadWrite, Default, Server},
		"id":                        {String, false, true, true, ReadOnly, Always, Server},
		"externalId":                {String, false, false, true, ReadWrite, Default, None},
		"meta":                      {Complex, false, false, false, ReadOnly, Default, None},
		"meta.created":              {DateTime, false, false, false, ReadOnly, Default, None},
		"meta.lastModified":         {DateTime, false, false, false, ReadOnly, Default, None},
		"meta.location":             {Reference, false, false, false, ReadOnly, Default, None},
		"meta.version":              {String, false, false, true, ReadOnly, Default, None},
		"meta.resourceType":         {String, false, false, true, ReadOnly, Default, None},
		"name":                      {Complex, false, false, false, ReadWrite, Default, None},
		"name.givenName":            {String, false, false, false, ReadWrite, Default, None},
		"profileUrl":                {Reference, false, false, false, ReadWrite, Default, None},
		"active":                    {Boolean, false, false, false, ReadWrite, Default, None},
		"password":                  {String, false, false, false, WriteOnly, Never, None},
		"emails":                    {Complex, true, false, false, ReadWrite, Default, None},
		"emails.value":              {String, false, false, false, ReadWrite, Default, None},
		"emails.primary":            {Boolean, false, false, false, ReadWrite, Default, None},
		"phoneNumbers.type":         {String, false, false, false, ReadWrite, Default, None},
		"photos.value":              {Reference, false, false, false, ReadWrite, Default, None},
		"addresses.primary":         {Boolean, false, false, false, ReadWrite, Default, None},
		"addresses.country":         {String, false, false, false, ReadWrite, Default, None},
		"groups":                    {Complex, true, false, false, ReadOnly, Default, None},
		"groups.value":              {String, false, false, true, ReadOnly, Default, None},
		"groups.$ref":               {Reference, false, false, false, ReadOnly, Default, None},
		"groups.type":               {String, false, false, false, ReadOnly, Default, None},
		"entitlements.value":        {String, false, false, false, ReadWrite, Default, None},
		"roles.primary":             {Boolean, false, false, false, ReadWrite, Default, None},
		"x509Certificates":          {Complex, true, false, false, ReadWrite, Default, None},
		"x509Certificates.value":    {Binary, false, false, false, ReadWrite, Default, None},
		ent + "employeeNumber":      {String, false, false, false, ReadWrite, Default, None},
		ent + "manager":             {Complex, false, false, false, ReadWrite, Default, None},
		ent + "manager.value":       {String, false, false, true, ReadWrite, Default, None},
		ent + "manager.$ref":        {Reference, false, false, false, ReadWrite, Default, None},
		ent + "manager.displayName": {String, false, false, false, ReadOnly, Default, None},
	}
	group := map[string]want{
		"displayName":     {String, false, true, false, ReadWrite, Default, None},
		"members":         {Complex, true, false, false, ReadWrite, Default, None},
		"members.value":   {String, false, false, true, Immutable, Default, None},
		"members.$ref":    {Reference, false, false, false, Immutable, Default, None},
		"members.type":    {String, false, false, false, Immutable, Default, None},
		"members.display": {String, false, false, false, Immutable, Default, None},
		"id":              {String, false, true, true, ReadOnly, Always, Server},
	}
	check := func(rt *ResourceType, m map[string]want) {
		for path, w := range m {
			r, ok := rt.Lookup(path)
			if !ok {
				t.Errorf("%s: %s not found", rt.Name, path)
				continue
			}
			a := r.Target()
			got := want{a.Type, a.MultiValued, a.Required, a.CaseExact, a.EffectiveMutability(), a.EffectiveReturned(), a.EffectiveUniqueness()}
			if got != w {
				t.Errorf("%s: %s = %+v, want %+v", rt.Name, path, got, w)
			}
		}
	}
	check(UserResourceType, user)
	check(GroupResourceType, group)

	canon := map[string][]string{
		"emails.type":       {"work", "home", "other"},
		"phoneNumbers.type": {"work", "home", "mobile", "fax", "pager", "other"},
		"ims.type":          {"aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo"},
		"photos.type":       {"photo", "thumbnail"},
		"addresses.type":    {"work", "home", "other"},
		"groups.type":       {"direct", "indirect"},
	}
	for path, w := range canon {
		r, _ := UserResourceType.Lookup(path)
		if got := r.Target().CanonicalValues; !equalStrings(got, w) {
			t.Errorf("%s canonicalValues = %v, want %v", path, got, w)
		}
	}
	r, _ := GroupResourceType.Lookup("members.type")
	if !equalStrings(r.Target().CanonicalValues, []string{"User", "Group"}) {
		t.Errorf("members.type canonicalValues = %v", r.Target().CanonicalValues)
	}
	r, _ = UserResourceType.Lookup(ent + "manager.$ref")
	if !equalStrings(r.Target().ReferenceTypes, []string{"User"}) {
		t.Errorf("manager.$ref referenceTypes = %v", r.Target().ReferenceTypes)
	}
	// The sub-attributes of the multi-valued attributes of RFC 7643 section 2.4.
	for _, name := range []string{"emails", "phoneNumbers", "ims", "photos", "entitlements", "roles", "x509Certificates"} {
		a := User.Attribute(name)
		var names []string
		for _, s := range a.SubAttributes {
			names = append(names, s.Name)
		}
		if !equalStrings(names, []string{"value", "display", "type", "primary"}) {
			t.Errorf("%s sub-attributes = %v", name, names)
		}
	}
}

func TestSubAttributeIgnoresCase(t *testing.T) {
	name := User.Attribute("NAME")
	if name == nil || name.SubAttribute("FAMILYNAME") == nil || name.SubAttribute("familyname").Name != "familyName" {
		t.Fatal("case-insensitive sub-attribute lookup failed")
	}
	if name.SubAttribute("family") != nil {
		t.Error("prefix matched")
	}
}

func TestDiscoverySchemas(t *testing.T) {
	for _, s := range []*Schema{ServiceProviderConfigSchema, ResourceTypeSchema, SchemaSchema} {
		var walk func(path string, attrs []*Attribute)
		walk = func(path string, attrs []*Attribute) {
			for _, a := range attrs {
				if a.Mutability != ReadOnly {
					t.Errorf("%s: %s%s is %s, want readOnly", s.Name, path, a.Name, a.Mutability)
				}
				walk(path+a.Name+".", a.SubAttributes)
			}
		}
		walk("", s.Attributes)
	}
	spc := ServiceProviderConfigSchema
	for _, n := range []string{"patch", "bulk", "filter", "changePassword", "sort", "etag", "authenticationSchemes"} {
		a := spc.Attribute(n)
		if a == nil || !a.Required || a.Type != Complex {
			t.Errorf("ServiceProviderConfig %s = %+v", n, a)
		}
	}
	if a := spc.Attribute("bulk").SubAttribute("maxPayloadSize"); a == nil || a.Type != Integer {
		t.Errorf("bulk.maxPayloadSize = %+v", a)
	}
	if a := ResourceTypeSchema.Attribute("schemaExtensions"); !a.MultiValued || a.SubAttribute("required").Type != Boolean {
		t.Errorf("schemaExtensions = %+v", a)
	}
	sub := SchemaSchema.Attribute("attributes").SubAttribute("subAttributes")
	if sub == nil || sub.SubAttribute("subAttributes") != nil || sub.SubAttribute("referenceTypes") == nil {
		t.Errorf("attributes.subAttributes = %+v", sub)
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
