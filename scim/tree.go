package scim

import (
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/scimkit/scimkit/schema"
)

// This file converts Users and Groups to and from the resource trees of package
// schema, and clones them.

// Tree returns u as a resource tree in the canonical form of package schema: core
// attributes as top-level keys, the Enterprise User extension under
// [schema.EnterpriseUserURN], and each entry of u.Extensions under its URN.
//
// The tree holds "id", "externalId", every assigned attribute, "active" (always),
// "groups", and "meta" with "resourceType" "User", "created" and "lastModified" as
// RFC 3339 UTC strings (omitted when zero) and "version" (omitted when empty). It has
// no "schemas", "$ref" or "meta.location": those depend on the request and are added
// by the Handler. The manager is always the complex form {"value", "displayName"}.
//
// Unassigned attributes have no key, and so do elements of multi-valued attributes
// that have no assigned sub-attribute. Entries of u.Extensions whose key is not an
// extension URN (it must start with "urn:" and differ from the core schemas' URNs) are
// ignored, and so is one keyed by [schema.EnterpriseUserURN]: enterprise data lives in
// u.Enterprise.
//
// The tree shares nothing with u: the caller may modify it freely.
func (u *User) Tree() map[string]any {
	n := 2 // active, meta
	if u.ID != "" {
		n++
	}
	for i := range userStrings {
		if *u.stringField(i) != "" {
			n++
		}
	}
	for i := range userMultiValues {
		if len(*u.multiField(i)) > 0 {
			n++
		}
	}
	for _, l := range [...]int{len(u.Addresses), len(u.Groups)} {
		if l > 0 {
			n++
		}
	}
	if u.Name != nil {
		n++
	}
	if u.Enterprise != nil {
		n++
	}
	n += len(u.Extensions)

	t := make(map[string]any, n)
	putString(t, "id", u.ID)
	for i, name := range userStrings {
		putString(t, name, *u.stringField(i))
	}
	if u.Name != nil {
		putMap(t, "name", u.Name.tree())
	}
	t["active"] = u.Active
	for i, name := range userMultiValues {
		putList(t, name, multiValuesTree(*u.multiField(i)))
	}
	putList(t, "addresses", addressesTree(u.Addresses))
	putList(t, "groups", refsTree(u.Groups))
	if u.Enterprise != nil {
		putMap(t, schema.EnterpriseUserURN, u.Enterprise.tree())
	}
	putExtensions(t, u.Extensions)
	t["meta"] = u.Meta.tree("User")
	return t
}

// UserFromTree returns the User that a canonical resource tree describes; it is the
// inverse of [User.Tree]. It copies what it keeps, so the tree may be modified
// afterwards.
//
// Keys that name no attribute of the User or Enterprise User schema are ignored, among
// them "schemas", "password" (the Handler takes it out first), "$ref",
// "meta.resourceType" and "meta.location". Maps under other URN keys become
// u.Extensions, kept as they are. An absent "active" yields Active false: an
// unassigned active (after a PATCH remove, say) never enables an account. The
// Handler itself makes a user created without active an active one. A value of the wrong type
// fails with a *[schema.Error] of type invalidValue whose Path names the attribute.
func UserFromTree(tree map[string]any) (*User, error) {
	u := &User{}
	var err error
	for k, v := range tree {
		switch k {
		case "id":
			u.ID, err = stringValue(v, k)
		case "name":
			u.Name, err = nameFromTree(v)
		case "active":
			b, ok := v.(bool)
			if !ok {
				return nil, typeError(k, "a boolean", v)
			}
			u.Active = b
		case "addresses":
			u.Addresses, err = addressesFromTree(v)
		case "groups":
			u.Groups, err = refsFromTree[GroupRef](v, "groups")
		case schema.EnterpriseUserURN:
			u.Enterprise, err = enterpriseFromTree(v)
		case "meta":
			u.Meta, err = metaFromTree(v)
		default:
			if i, ok := userFields[k]; ok {
				if i >= 0 {
					*u.stringField(i), err = stringValue(v, k)
				} else {
					*u.multiField(-1 - i), err = multiValuesFromTree(v, k)
				}
				break
			}
			switch {
			case strings.EqualFold(k, schema.EnterpriseUserURN):
				u.Enterprise, err = enterpriseFromTree(v)
			case isExtensionKey(k, schema.UserURN):
				err = addExtension(&u.Extensions, k, v)
			}
		}
		if err != nil {
			return nil, err
		}
	}
	return u, nil
}

// userFields finds the entries of userStrings (as i) and userMultiValues (as
// -1-i) by name.
var userFields = func() map[string]int {
	m := map[string]int{}
	for i, name := range userStrings {
		m[name] = i
	}
	for i, name := range userMultiValues {
		m[name] = -1 - i
	}
	return m
}()

// Tree returns g as a resource tree in the canonical form of package schema, with "id",
// "externalId", "displayName", "members" (absent when Members is empty or nil), the
// extensions under their URNs, and "meta" as in [User.Tree] with resourceType "Group".
// It has no "schemas", "$ref" or "meta.location". The tree shares nothing with g.
func (g *Group) Tree() map[string]any {
	n := 1 + len(g.Extensions)
	for _, s := range [...]string{g.ID, g.ExternalID, g.DisplayName} {
		if s != "" {
			n++
		}
	}
	if len(g.Members) > 0 {
		n++
	}
	t := make(map[string]any, n)
	putString(t, "id", g.ID)
	putString(t, "externalId", g.ExternalID)
	putString(t, "displayName", g.DisplayName)
	putList(t, "members", refsTree(g.Members))
	putExtensions(t, g.Extensions)
	t["meta"] = g.Meta.tree("Group")
	return t
}

// GroupFromTree returns the Group that a canonical resource tree describes; it is the
// inverse of [Group.Tree], under the rules of [UserFromTree]. An absent "members" key
// yields Members nil.
func GroupFromTree(tree map[string]any) (*Group, error) {
	g := &Group{}
	var err error
	for k, v := range tree {
		switch k {
		case "id":
			g.ID, err = stringValue(v, k)
		case "externalId":
			g.ExternalID, err = stringValue(v, k)
		case "displayName":
			g.DisplayName, err = stringValue(v, k)
		case "members":
			g.Members, err = refsFromTree[Member](v, "members")
		case "meta":
			g.Meta, err = metaFromTree(v)
		default:
			if isExtensionKey(k, schema.GroupURN) {
				err = addExtension(&g.Extensions, k, v)
			}
		}
		if err != nil {
			return nil, err
		}
	}
	return g, nil
}

// Clone returns a deep copy of u that shares no slice, map or pointer with it.
// Clone of nil is nil.
func (u *User) Clone() *User {
	if u == nil {
		return nil
	}
	c := *u
	if u.Name != nil {
		n := *u.Name
		c.Name = &n
	}
	c.Emails = cloneSlice(u.Emails)
	c.PhoneNumbers = cloneSlice(u.PhoneNumbers)
	c.IMs = cloneSlice(u.IMs)
	c.Photos = cloneSlice(u.Photos)
	c.Addresses = cloneSlice(u.Addresses)
	c.Entitlements = cloneSlice(u.Entitlements)
	c.Roles = cloneSlice(u.Roles)
	c.X509Certificates = cloneSlice(u.X509Certificates)
	c.Groups = cloneSlice(u.Groups)
	if u.Enterprise != nil {
		e := *u.Enterprise
		if e.Manager != nil {
			m := *e.Manager
			e.Manager = &m
		}
		c.Enterprise = &e
	}
	c.Extensions = CloneExtensions(u.Extensions)
	return &c
}

// Clone returns a deep copy of g that shares no slice, map or pointer with it.
// Clone of nil is nil.
func (g *Group) Clone() *Group {
	if g == nil {
		return nil
	}
	c := *g
	c.Members = cloneSlice(g.Members)
	c.Extensions = CloneExtensions(g.Extensions)
	return &c
}

// CloneExtensions returns a deep copy of the extension data ext (as in
// [User.Extensions]): every map and slice is copied, scalars are shared. It returns nil
// for nil.
func CloneExtensions(ext map[string]map[string]any) map[string]map[string]any {
	if ext == nil {
		return nil
	}
	c := make(map[string]map[string]any, len(ext))
	for k, v := range ext {
		c[k] = cloneMap(v)
	}
	return c
}

// cloneSlice copies s, keeping nil as nil (and empty as empty).
func cloneSlice[T any](s []T) []T {
	if s == nil {
		return nil
	}
	return append(make([]T, 0, len(s)), s...)
}

func cloneMap(m map[string]any) map[string]any {
	if m == nil {
		return nil
	}
	c := make(map[string]any, len(m))
	for k, v := range m {
		c[k] = cloneValue(v)
	}
	return c
}

func cloneValue(v any) any {
	switch v := v.(type) {
	case map[string]any:
		return cloneMap(v)
	case []any:
		c := make([]any, len(v))
		for i, e := range v {
			c[i] = cloneValue(e)
		}
		return c
	}
	return v
}

// ---- building trees ----

func putString(t map[string]any, k, v string) {
	if v != "" {
		t[k] = v
	}
}

func putMap(t map[string]any, k string, m map[string]any) {
	if len(m) > 0 {
		t[k] = m
	}
}

func putList(t map[string]any, k string, l []any) {
	if len(l) > 0 {
		t[k] = l
	}
}

func putExtensions(t map[string]any, ext map[string]map[string]any) {
	for urn, m := range ext {
		if len(m) == 0 || strings.EqualFold(urn, schema.EnterpriseUserURN) || !isExtensionKey(urn, schema.UserURN) || strings.EqualFold(urn, schema.GroupURN) {
			continue
		}
		t[urn] = cloneMap(m)
	}
}

func (n *Name) tree() map[string]any {
	c := 0
	for _, s := range [...]string{n.Formatted, n.FamilyName, n.GivenName, n.MiddleName, n.HonorificPrefix, n.HonorificSuffix} {
		if s != "" {
			c++
		}
	}
	if c == 0 {
		return nil
	}
	t := make(map[string]any, c)
	putString(t, "formatted", n.Formatted)
	putString(t, "familyName", n.FamilyName)
	putString(t, "givenName", n.GivenName)
	putString(t, "middleName", n.MiddleName)
	putString(t, "honorificPrefix", n.HonorificPrefix)
	putString(t, "honorificSuffix", n.HonorificSuffix)
	return t
}

func multiValuesTree(vs []MultiValue) []any {
	if len(vs) == 0 {
		return nil
	}
	l := make([]any, 0, len(vs))
	for i := range vs {
		v := &vs[i]
		c := 0
		for _, s := range [...]string{v.Value, v.Display, v.Type} {
			if s != "" {
				c++
			}
		}
		if v.Primary {
			c++
		}
		if c == 0 {
			continue
		}
		t := make(map[string]any, c)
		putString(t, "value", v.Value)
		putString(t, "display", v.Display)
		putString(t, "type", v.Type)
		if v.Primary {
			t["primary"] = true
		}
		l = append(l, t)
	}
	return l
}

func addressesTree(as []Address) []any {
	if len(as) == 0 {
		return nil
	}
	l := make([]any, 0, len(as))
	for i := range as {
		a := &as[i]
		c := 0
		for _, s := range [...]string{a.Formatted, a.StreetAddress, a.Locality, a.Region, a.PostalCode, a.Country, a.Type} {
			if s != "" {
				c++
			}
		}
		if a.Primary {
			c++
		}
		if c == 0 {
			continue
		}
		t := make(map[string]any, c)
		putString(t, "formatted", a.Formatted)
		putString(t, "streetAddress", a.StreetAddress)
		putString(t, "locality", a.Locality)
		putString(t, "region", a.Region)
		putString(t, "postalCode", a.PostalCode)
		putString(t, "country", a.Country)
		putString(t, "type", a.Type)
		if a.Primary {
			t["primary"] = true
		}
		l = append(l, t)
	}
	return l
}

// A ref is what GroupRef and Member both are: a reference to another resource,
// whose tree is {"value", "display", "type"}.
type ref = struct{ Value, Display, Type string }

// refsTree is the tree of User.Groups or Group.Members; references with no field set
// are left out.
func refsTree[R GroupRef | Member](rs []R) []any {
	if len(rs) == 0 {
		return nil
	}
	l := make([]any, 0, len(rs))
	for _, r := range rs {
		r := ref(r)
		if r.Value == "" && r.Display == "" && r.Type == "" {
			continue
		}
		t := make(map[string]any, 3)
		putString(t, "value", r.Value)
		putString(t, "display", r.Display)
		putString(t, "type", r.Type)
		l = append(l, t)
	}
	return l
}

func (e *EnterpriseUser) tree() map[string]any {
	c := 0
	for _, s := range [...]string{e.EmployeeNumber, e.CostCenter, e.Organization, e.Division, e.Department} {
		if s != "" {
			c++
		}
	}
	var mgr map[string]any
	if m := e.Manager; m != nil && (m.Value != "" || m.DisplayName != "") {
		mgr = make(map[string]any, 2)
		putString(mgr, "value", m.Value)
		putString(mgr, "displayName", m.DisplayName)
		c++
	}
	if c == 0 {
		return nil
	}
	t := make(map[string]any, c)
	putString(t, "employeeNumber", e.EmployeeNumber)
	putString(t, "costCenter", e.CostCenter)
	putString(t, "organization", e.Organization)
	putString(t, "division", e.Division)
	putString(t, "department", e.Department)
	if mgr != nil {
		t["manager"] = mgr
	}
	return t
}

func (m *Meta) tree(resourceType string) map[string]any {
	t := make(map[string]any, 4)
	t["resourceType"] = resourceType
	if !m.Created.IsZero() {
		t["created"] = formatTime(m.Created)
	}
	if !m.LastModified.IsZero() {
		t["lastModified"] = formatTime(m.LastModified)
	}
	putString(t, "version", m.Version)
	return t
}

// formatTime formats t as an RFC 3339 UTC string with as many fractional digits as
// needed to keep it exact.
func formatTime(t time.Time) string {
	var b [40]byte
	return string(t.UTC().AppendFormat(b[:0], time.RFC3339Nano))
}

// ---- reading trees ----

func typeError(path, want string, v any) error {
	return &schema.Error{Type: schema.ScimInvalidValue, Path: path, Detail: "must be " + want + ", not " + kindOf(v)}
}

func kindOf(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case map[string]any:
		return "an object"
	case []any:
		return "an array"
	}
	return "a number"
}

func stringValue(v any, path string) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", typeError(path, "a string", v)
	}
	return s, nil
}

func complexValue(v any, path string) (map[string]any, error) {
	m, ok := v.(map[string]any)
	if !ok {
		return nil, typeError(path, "an object", v)
	}
	return m, nil
}

func listValue(v any, path string) ([]any, error) {
	l, ok := v.([]any)
	if !ok {
		return nil, typeError(path, "an array", v)
	}
	return l, nil
}

func nameFromTree(v any) (*Name, error) {
	m, err := complexValue(v, "name")
	if err != nil || len(m) == 0 {
		return nil, err
	}
	n := &Name{}
	for k, v := range m {
		var p *string
		switch k {
		case "formatted":
			p = &n.Formatted
		case "familyName":
			p = &n.FamilyName
		case "givenName":
			p = &n.GivenName
		case "middleName":
			p = &n.MiddleName
		case "honorificPrefix":
			p = &n.HonorificPrefix
		case "honorificSuffix":
			p = &n.HonorificSuffix
		default:
			continue
		}
		if *p, err = stringValue(v, "name."+k); err != nil {
			return nil, err
		}
	}
	if *n == (Name{}) {
		return nil, nil
	}
	return n, nil
}

func multiValuesFromTree(v any, attr string) ([]MultiValue, error) {
	l, err := listValue(v, attr)
	if err != nil || len(l) == 0 {
		return nil, err
	}
	vs := make([]MultiValue, 0, len(l))
	for _, e := range l {
		m, err := complexValue(e, attr)
		if err != nil {
			return nil, err
		}
		var mv MultiValue
		for k, v := range m {
			var p *string
			switch k {
			case "value":
				p = &mv.Value
			case "display":
				p = &mv.Display
			case "type":
				p = &mv.Type
			case "primary":
				b, ok := v.(bool)
				if !ok {
					return nil, typeError(attr+".primary", "a boolean", v)
				}
				mv.Primary = b
				continue
			default:
				continue
			}
			if *p, err = stringValue(v, attr+"."+k); err != nil {
				return nil, err
			}
		}
		if mv != (MultiValue{}) {
			vs = append(vs, mv)
		}
	}
	if len(vs) == 0 {
		return nil, nil
	}
	return vs, nil
}

func addressesFromTree(v any) ([]Address, error) {
	l, err := listValue(v, "addresses")
	if err != nil || len(l) == 0 {
		return nil, err
	}
	as := make([]Address, 0, len(l))
	for _, e := range l {
		m, err := complexValue(e, "addresses")
		if err != nil {
			return nil, err
		}
		var a Address
		for k, v := range m {
			var p *string
			switch k {
			case "formatted":
				p = &a.Formatted
			case "streetAddress":
				p = &a.StreetAddress
			case "locality":
				p = &a.Locality
			case "region":
				p = &a.Region
			case "postalCode":
				p = &a.PostalCode
			case "country":
				p = &a.Country
			case "type":
				p = &a.Type
			case "primary":
				b, ok := v.(bool)
				if !ok {
					return nil, typeError("addresses.primary", "a boolean", v)
				}
				a.Primary = b
				continue
			default:
				continue
			}
			if *p, err = stringValue(v, "addresses."+k); err != nil {
				return nil, err
			}
		}
		if a != (Address{}) {
			as = append(as, a)
		}
	}
	if len(as) == 0 {
		return nil, nil
	}
	return as, nil
}

// refFromTree reads the value, display and type sub-attributes shared by group
// references and members.
func refFromTree(e any, attr string) (value, display, typ string, err error) {
	m, err := complexValue(e, attr)
	if err != nil {
		return "", "", "", err
	}
	for k, v := range m {
		var p *string
		switch k {
		case "value":
			p = &value
		case "display":
			p = &display
		case "type":
			p = &typ
		default:
			continue
		}
		if *p, err = stringValue(v, attr+"."+k); err != nil {
			return "", "", "", err
		}
	}
	return value, display, typ, nil
}

// refsFromTree reads User.Groups (attr "groups") or Group.Members (attr "members");
// references with no field set are left out.
func refsFromTree[R GroupRef | Member](v any, attr string) ([]R, error) {
	l, err := listValue(v, attr)
	if err != nil || len(l) == 0 {
		return nil, err
	}
	rs := make([]R, 0, len(l))
	for _, e := range l {
		value, display, typ, err := refFromTree(e, attr)
		if err != nil {
			return nil, err
		}
		if value != "" || display != "" || typ != "" {
			rs = append(rs, R(ref{Value: value, Display: display, Type: typ}))
		}
	}
	if len(rs) == 0 {
		return nil, nil
	}
	return rs, nil
}

func enterpriseFromTree(v any) (*EnterpriseUser, error) {
	m, err := complexValue(v, schema.EnterpriseUserURN)
	if err != nil || len(m) == 0 {
		return nil, err
	}
	e := &EnterpriseUser{}
	for k, v := range m {
		var p *string
		switch k {
		case "employeeNumber":
			p = &e.EmployeeNumber
		case "costCenter":
			p = &e.CostCenter
		case "organization":
			p = &e.Organization
		case "division":
			p = &e.Division
		case "department":
			p = &e.Department
		case "manager":
			if e.Manager, err = managerFromTree(v); err != nil {
				return nil, err
			}
			continue
		default:
			continue
		}
		if *p, err = stringValue(v, schema.EnterpriseUserURN+":"+k); err != nil {
			return nil, err
		}
	}
	if *e == (EnterpriseUser{}) {
		return nil, nil
	}
	return e, nil
}

// managerFromTree reads the complex manager; a bare string is taken as its value.
func managerFromTree(v any) (*Manager, error) {
	const path = schema.EnterpriseUserURN + ":manager"
	if s, ok := v.(string); ok {
		if s == "" {
			return nil, nil
		}
		return &Manager{Value: s}, nil
	}
	m, err := complexValue(v, path)
	if err != nil {
		return nil, err
	}
	mgr := &Manager{}
	for k, v := range m {
		var p *string
		switch k {
		case "value":
			p = &mgr.Value
		case "displayName":
			p = &mgr.DisplayName
		default:
			continue
		}
		if *p, err = stringValue(v, path+"."+k); err != nil {
			return nil, err
		}
	}
	if *mgr == (Manager{}) {
		return nil, nil
	}
	return mgr, nil
}

func metaFromTree(v any) (Meta, error) {
	var meta Meta
	m, err := complexValue(v, "meta")
	if err != nil {
		return meta, err
	}
	for k, v := range m {
		switch k {
		case "created", "lastModified":
			s, err := stringValue(v, "meta."+k)
			if err != nil {
				return meta, err
			}
			t, err := time.Parse(time.RFC3339Nano, s)
			if y := t.UTC().Year(); err == nil && (y < 0 || y > 9999) {
				err = errors.New("year out of range")
			}
			if err != nil {
				return meta, &schema.Error{Type: schema.ScimInvalidValue, Path: "meta." + k,
					Detail: "must be an RFC 3339 date-time, not " + strconv.Quote(s)}
			}
			if k == "created" {
				meta.Created = t
			} else {
				meta.LastModified = t
			}
		case "version":
			if meta.Version, err = stringValue(v, "meta.version"); err != nil {
				return meta, err
			}
		}
	}
	return meta, nil
}

// isExtensionKey reports whether the tree key k is the URN of an extension schema: it
// starts with "urn:" and is not the core schema urn itself.
func isExtensionKey(k, core string) bool {
	return len(k) > 4 && strings.EqualFold(k[:4], "urn:") && !strings.EqualFold(k, core)
}

func addExtension(ext *map[string]map[string]any, urn string, v any) error {
	m, err := complexValue(v, urn)
	if err != nil || len(m) == 0 {
		return err
	}
	if *ext == nil {
		*ext = make(map[string]map[string]any, 1)
	}
	(*ext)[urn] = cloneMap(m)
	return nil
}
