package scim

import (
	"strings"

	"github.com/scimkit/scimkit/schema"
)

// This file writes Users and Groups as SCIM JSON straight from the typed structs, in
// the attribute order of RFC 7643, into a caller-supplied buffer. Without a
// projection (the common case) it makes no allocation of its own; with one, every
// attribute is checked against it. Empty values are left out (RFC 7643 section 2.5),
// except active, which is always present, and members, present as [] when empty.

type encoder struct {
	b    []byte
	base string      // base URL without trailing slash, for location and $ref
	p    *projection // nil: the default attribute set
}

func (e *encoder) want(path string) bool { return e.p == nil || e.p.want(path) }

func (e *encoder) wantSub(path, sub string) bool { return e.p == nil || e.p.wantSub(path, sub) }

func (e *encoder) wantExt(urn, name string) bool { return e.p == nil || e.p.want(urn+":"+name) }

// rule returns the schema's projection rule for the request (nil: the default set).
func (e *encoder) rule() *schema.Projector {
	if e.p == nil {
		return nil
	}
	return e.p.sp
}

// user appends u as a JSON object. rt supplies the host extension schemas.
func (e *encoder) user(u *User, rt *schema.ResourceType) {
	ent := u.Enterprise
	if ent != nil && !ent.hasData() {
		ent = nil // schemas lists the extension only when it holds data (OKTA-CONN-2)
	}
	o := obj{b: e.b, first: true}
	o.b = append(o.b, '{')
	o.key("schemas")
	o.b = append(o.b, `["`+schema.UserURN+`"`...)
	if ent != nil {
		o.b = append(o.b, `,"`+schema.EnterpriseUserURN+`"`...)
	}
	o.b = appendExtURNs(o.b, rt, u.Extensions)
	o.b = append(o.b, ']')
	o.key("id")
	o.b = appendString(o.b, u.ID)
	strs, multis := u.stringFields(), u.multiFields()
	for i, name := range userStrings[:userStringsBeforeName] {
		e.topStr(&o, name, *strs[i])
	}
	if u.Name != nil && *u.Name != (Name{}) && e.want("name") {
		n := u.Name
		o.key("name")
		s := obj{b: o.b, first: true}
		s.b = append(s.b, '{')
		e.subStr(&s, "name", "formatted", n.Formatted)
		e.subStr(&s, "name", "familyName", n.FamilyName)
		e.subStr(&s, "name", "givenName", n.GivenName)
		e.subStr(&s, "name", "middleName", n.MiddleName)
		e.subStr(&s, "name", "honorificPrefix", n.HonorificPrefix)
		e.subStr(&s, "name", "honorificSuffix", n.HonorificSuffix)
		o.b = append(s.b, '}')
	}
	for i, name := range userStrings[userStringsBeforeName:] {
		e.topStr(&o, name, *strs[userStringsBeforeName+i])
	}
	if e.want("active") {
		o.boolean("active", u.Active)
	}
	for i, name := range userMultiValues[:userMultiValuesBeforeAddresses] {
		e.multi(&o, name, *multis[i])
	}
	if len(u.Addresses) > 0 && e.want("addresses") {
		l := beginList(&o, "addresses")
		for i := range u.Addresses {
			a := &u.Addresses[i]
			s := l.value()
			e.subStr(&s, "addresses", "formatted", a.Formatted)
			e.subStr(&s, "addresses", "streetAddress", a.StreetAddress)
			e.subStr(&s, "addresses", "locality", a.Locality)
			e.subStr(&s, "addresses", "region", a.Region)
			e.subStr(&s, "addresses", "postalCode", a.PostalCode)
			e.subStr(&s, "addresses", "country", a.Country)
			e.subStr(&s, "addresses", "type", a.Type)
			if a.Primary && e.wantSub("addresses", "primary") {
				s.boolean("primary", true)
			}
			l.end(s)
		}
		l.close(false)
	}
	if len(u.Groups) > 0 && e.want("groups") {
		refList(e, &o, "groups", u.Groups)
	}
	for i, name := range userMultiValues[userMultiValuesBeforeAddresses:] {
		e.multi(&o, name, *multis[userMultiValuesBeforeAddresses+i])
	}
	if ent != nil {
		e.enterprise(&o, ent)
	}
	e.extensions(&o, rt, u.Extensions)
	e.meta(&o, "User", "/Users/", u.ID, &u.Meta)
	o.b = append(o.b, '}')
	e.b = o.b
}

// hasData reports whether ent holds a value; a manager without an id is none.
func (ent *EnterpriseUser) hasData() bool {
	return ent.EmployeeNumber != "" || ent.CostCenter != "" || ent.Organization != "" ||
		ent.Division != "" || ent.Department != "" || ent.Manager != nil && ent.Manager.Value != ""
}

func (e *encoder) enterprise(o *obj, ent *EnterpriseUser) {
	const urn = schema.EnterpriseUserURN
	mark := len(o.b)
	first := o.first
	o.key(urn)
	s := obj{b: o.b, first: true}
	s.b = append(s.b, '{')
	e.extStr(&s, urn, "employeeNumber", ent.EmployeeNumber)
	e.extStr(&s, urn, "costCenter", ent.CostCenter)
	e.extStr(&s, urn, "organization", ent.Organization)
	e.extStr(&s, urn, "division", ent.Division)
	e.extStr(&s, urn, "department", ent.Department)
	if m := ent.Manager; m != nil && m.Value != "" && e.wantExt(urn, "manager") {
		const mp = urn + ":manager"
		s.key("manager")
		ms := obj{b: s.b, first: true}
		ms.b = append(ms.b, '{')
		e.subStr(&ms, mp, "value", m.Value)
		if e.wantSub(mp, "$ref") {
			ms.key("$ref")
			ms.b = e.appendRef(ms.b, "/Users/", m.Value)
		}
		e.subStr(&ms, mp, "displayName", m.DisplayName)
		s.b = append(ms.b, '}')
	}
	if s.first { // nothing of the extension survived the projection
		o.b = o.b[:mark]
		o.first = first
		return
	}
	o.b = append(s.b, '}')
}

// extensions appends the host extension attributes in schema order.
func (e *encoder) extensions(o *obj, rt *schema.ResourceType, exts map[string]map[string]any) {
	if len(exts) == 0 {
		return
	}
	for _, x := range rt.Extensions {
		urn := x.Schema.ID
		if urn == schema.EnterpriseUserURN {
			continue
		}
		data := exts[urn]
		if len(data) == 0 {
			continue
		}
		mark := len(o.b)
		first := o.first
		o.key(urn)
		s := obj{b: o.b, first: true}
		s.b = append(s.b, '{')
		for _, a := range x.Schema.Attributes {
			v, ok := data[a.Name]
			if !ok || v == nil {
				continue
			}
			if !e.rule().Keep(x.Schema, a) {
				continue
			}
			s.key(a.Name)
			s.b = e.appendAttrValue(s.b, x.Schema, a, v)
		}
		if s.first {
			o.b = o.b[:mark]
			o.first = first
			continue
		}
		o.b = append(s.b, '}')
	}
}

// appendAttrValue appends a tree value of top-level attribute a of schema sch,
// writing complex values in sub-attribute order and honouring the projection.
func (e *encoder) appendAttrValue(b []byte, sch *schema.Schema, a *schema.Attribute, v any) []byte {
	if a.Type != schema.Complex || len(a.SubAttributes) == 0 {
		return appendValue(b, v)
	}
	one := func(b []byte, v any) []byte {
		m, ok := v.(map[string]any)
		if !ok {
			return appendValue(b, v)
		}
		s := obj{b: b, first: true}
		s.b = append(s.b, '{')
		for _, sa := range a.SubAttributes {
			sv, ok := m[sa.Name]
			if !ok || sv == nil || !e.rule().KeepSub(sch, a, sa) {
				continue
			}
			s.key(sa.Name)
			s.b = appendValue(s.b, sv)
		}
		return append(s.b, '}')
	}
	if list, ok := v.([]any); ok {
		b = append(b, '[')
		for i, x := range list {
			if i > 0 {
				b = append(b, ',')
			}
			b = one(b, x)
		}
		return append(b, ']')
	}
	return one(b, v)
}

// hasValue reports whether the extension data m holds a value that is not null.
func hasValue(m map[string]any) bool {
	for _, v := range m {
		if v != nil {
			return true
		}
	}
	return false
}

// appendExtURNs appends ,"urn" for each host extension of rt that has data.
func appendExtURNs(b []byte, rt *schema.ResourceType, exts map[string]map[string]any) []byte {
	if len(exts) == 0 {
		return b
	}
	for _, x := range rt.Extensions {
		if x.Schema.ID != schema.EnterpriseUserURN && hasValue(exts[x.Schema.ID]) {
			b = append(b, ',')
			b = appendString(b, x.Schema.ID)
		}
	}
	return b
}

func (e *encoder) topStr(o *obj, name, v string) {
	if v != "" && e.want(name) {
		o.key(name)
		o.b = appendString(o.b, v)
	}
}

func (e *encoder) subStr(o *obj, path, sub, v string) {
	if v != "" && e.wantSub(path, sub) {
		o.key(sub)
		o.b = appendString(o.b, v)
	}
}

func (e *encoder) extStr(o *obj, urn, name, v string) {
	if v != "" && e.wantExt(urn, name) {
		o.key(name)
		o.b = appendString(o.b, v)
	}
}

// multi appends a multi-valued attribute of MultiValues.
func (e *encoder) multi(o *obj, name string, vs []MultiValue) {
	if len(vs) == 0 || !e.want(name) {
		return
	}
	l := beginList(o, name)
	for i := range vs {
		v := &vs[i]
		s := l.value()
		e.subStr(&s, name, "value", v.Value)
		e.subStr(&s, name, "display", v.Display)
		e.subStr(&s, name, "type", v.Type)
		if v.Primary && e.wantSub(name, "primary") {
			s.boolean("primary", true)
		}
		l.end(s)
	}
	l.close(false)
}

// A list writes the values of a multi-valued complex attribute into an object. A
// value that the projection leaves without sub-attributes is left out, and so is the
// attribute when no value is left, as schema.Project does.
type list struct {
	o         *obj
	mark      int  // where the attribute's key starts
	first     bool // o.first before the key
	valueMark int  // where the current value starts
	n         int  // values written
}

// beginList starts attribute name in o.
func beginList(o *obj, name string) list {
	l := list{o: o, mark: len(o.b), first: o.first}
	o.key(name)
	o.b = append(o.b, '[')
	return l
}

// value starts a value; end finishes it.
func (l *list) value() obj {
	l.valueMark = len(l.o.b)
	if l.n > 0 {
		l.o.b = append(l.o.b, ',')
	}
	s := obj{b: l.o.b, first: true}
	s.b = append(s.b, '{')
	return s
}

func (l *list) end(s obj) {
	if s.first {
		l.o.b = s.b[:l.valueMark]
		return
	}
	l.o.b = append(s.b, '}')
	l.n++
}

// close finishes the attribute; without values it is left out unless keepEmpty.
func (l *list) close(keepEmpty bool) {
	if l.n == 0 && !keepEmpty {
		l.o.b = l.o.b[:l.mark]
		l.o.first = l.first
		return
	}
	l.o.b = append(l.o.b, ']')
}

// meta appends the meta attribute.
func (e *encoder) meta(o *obj, resourceType, endpoint, id string, m *Meta) {
	if !e.want("meta") {
		return
	}
	o.key("meta")
	s := obj{b: o.b, first: true}
	s.b = append(s.b, '{')
	if e.wantSub("meta", "resourceType") {
		s.key("resourceType")
		s.b = appendString(s.b, resourceType)
	}
	if !m.Created.IsZero() && e.wantSub("meta", "created") {
		s.key("created")
		s.b = appendTime(s.b, m.Created)
	}
	if !m.LastModified.IsZero() && e.wantSub("meta", "lastModified") {
		s.key("lastModified")
		s.b = appendTime(s.b, m.LastModified)
	}
	if e.wantSub("meta", "location") {
		s.key("location")
		s.b = e.appendRef(s.b, endpoint, id)
	}
	if m.Version != "" && e.wantSub("meta", "version") {
		s.key("version")
		s.b = appendString(s.b, etag(m.Version))
	}
	o.b = append(s.b, '}')
}

// appendRef appends the JSON string base+endpoint+escaped id.
func (e *encoder) appendRef(b []byte, endpoint, id string) []byte {
	b = append(b, '"')
	b = appendStringBody(b, e.base)
	b = append(b, endpoint...)
	b = appendPathSegment(b, id)
	return append(b, '"')
}

// appendStringBody appends s escaped for the inside of a JSON string.
func appendStringBody(b []byte, s string) []byte {
	start := len(b)
	b = appendString(b, s)
	// drop the quotes appendString added
	copy(b[start:], b[start+1:len(b)-1])
	return b[:len(b)-2]
}

// appendPathSegment appends id percent-encoded as one URL path segment. Ids the
// Handler makes (UUIDs) pass through unchanged.
func appendPathSegment(b []byte, id string) []byte {
	for i := 0; i < len(id); i++ {
		c := id[i]
		if unreserved[c] {
			b = append(b, c)
			continue
		}
		b = append(b, '%', "0123456789ABCDEF"[c>>4], "0123456789ABCDEF"[c&0xf])
	}
	return b
}

// unreserved tells the bytes that a URL path segment holds as they are (RFC 3986
// section 2.3). A table, because the letters and digits of a UUID come in no order
// that a branch predictor could learn.
var unreserved = func() (t [256]bool) {
	for c := range t {
		t[c] = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '-' || c == '.' || c == '_' || c == '~'
	}
	return t
}()

// group appends g as a JSON object. Members nil and not excluded come out as [].
func (e *encoder) group(g *Group, rt *schema.ResourceType) {
	o := obj{b: e.b, first: true}
	o.b = append(o.b, '{')
	o.key("schemas")
	o.b = append(o.b, `["`+schema.GroupURN+`"`...)
	o.b = appendExtURNs(o.b, rt, g.Extensions)
	o.b = append(o.b, ']')
	o.key("id")
	o.b = appendString(o.b, g.ID)
	if e.want("externalId") {
		o.str("externalId", g.ExternalID)
	}
	e.topStr(&o, "displayName", g.DisplayName)
	if e.want("members") {
		refList(e, &o, "members", g.Members)
	}
	e.extensions(&o, rt, g.Extensions)
	e.meta(&o, "Group", "/Groups/", g.ID, &g.Meta)
	o.b = append(o.b, '}')
	e.b = o.b
}

// refList writes a multi-valued reference attribute: a user's groups or a group's
// members. Each value's $ref points at /Groups/ when its type is "Group" (members
// that are groups, and every groups value, whose type is direct or indirect) and
// at /Users/ otherwise.
func refList[R GroupRef | Member](e *encoder, o *obj, name string, refs []R) {
	l := beginList(o, name)
	for i := range refs {
		r := Member(refs[i])
		s := l.value()
		e.subStr(&s, name, "value", r.Value)
		if r.Value != "" && e.wantSub(name, "$ref") {
			s.key("$ref")
			endpoint := "/Users/"
			if name == "groups" || r.Type == "Group" {
				endpoint = "/Groups/"
			}
			s.b = e.appendRef(s.b, endpoint, r.Value)
		}
		e.subStr(&s, name, "display", r.Display)
		e.subStr(&s, name, "type", r.Type)
		l.end(s)
	}
	l.close(name == "members")
}

// etag returns the weak entity tag of a version: W/"v". Quotes and backslashes,
// which an entity tag cannot hold, are dropped.
func etag(v string) string {
	return `W/"` + cleanVersion(v) + `"`
}

func cleanVersion(v string) string {
	if strings.IndexByte(v, '"') >= 0 || strings.IndexByte(v, '\\') >= 0 {
		v = strings.NewReplacer(`"`, "", `\`, "").Replace(v)
	}
	return v
}

// etagMatches reports whether an If-Match or If-None-Match header value names the
// version v: "*" matches any existing resource, and entity tags compare weakly (RFC
// 9110 section 8.8.3.2), so W/"3" and "3" both name version 3.
func etagMatches(header, v string) bool {
	cv := cleanVersion(v)
	for header != "" {
		var t string
		t, header, _ = strings.Cut(header, ",")
		t = strings.TrimSpace(t)
		if t == "*" {
			return true
		}
		t = strings.TrimPrefix(t, "W/")
		if len(t) >= 2 && t[0] == '"' && t[len(t)-1] == '"' {
			t = t[1 : len(t)-1]
		}
		if v != "" && t == cv {
			return true
		}
	}
	return false
}
