package memstore

import (
	"encoding/binary"
	"strconv"

	"github.com/scimkit/scimkit/scim"
)

// A user's attributes other than meta, groups and extensions are kept in one immutable
// string, so that a stored user costs one allocation plus its record, and reading it
// back allocates only the structs and slices of the result: every string of a decoded
// User is a substring of the encoding.
//
// Layout: a uvarint bit set of the fields present (bit i = field i: the strings of
// userStrings, name, the lists of userLists, addresses, the enterprise extension),
// then, when any multi-valued attribute is present, the uvarint total number of values
// of those other than addresses and the uvarint number of addresses (so that a full
// decode allocates everything at once), then each present field in order. A string is
// a uvarint length and its bytes. Name and Enterprise are a flags byte naming their
// present sub-attributes, then those strings. A multi-valued attribute is a uvarint
// count, then per element a flags byte and its present strings. Last come the decimal
// digits of the user's version, which the decoders never reach: the record keeps them
// as a substring, so that neither a version string nor formatting one costs anything
// on reads.
const (
	fID, fExternalID, fUserName = 0, 1, 2 // the first of userStrings
	fName                       = nStrings
	fEmails                     = fName + 1 // the first of userLists
	fAddresses                  = fEmails + nLists
	fEnterprise                 = fAddresses + 1
)

const nStrings, nLists = 11, 7

// userStrings returns the singular string attributes of u that the encoding holds,
// in its order; package schema's User attributes are mapped to them by name (see
// userFields). With userLists, it is the encoding's one list of User fields.
func userStrings(u *scim.User) [nStrings]*string {
	return [...]*string{&u.ID, &u.ExternalID, &u.UserName, &u.DisplayName, &u.NickName, &u.ProfileURL,
		&u.Title, &u.UserType, &u.PreferredLanguage, &u.Locale, &u.Timezone}
}

// userLists returns the multi-valued attributes of MultiValues of u, in the
// encoding's order.
func userLists(u *scim.User) [nLists]*[]scim.MultiValue {
	return [...]*[]scim.MultiValue{&u.Emails, &u.PhoneNumbers, &u.IMs, &u.Photos, &u.Entitlements, &u.Roles, &u.X509Certificates}
}

// listBits are the bits of the multi-valued attributes: the encoding has the
// counts header when any of them is set.
const listBits = (1<<(fAddresses+1) - 1) &^ (1<<fEmails - 1)

// Flags of a multi-valued element: its three strings, then primary.
const mvPrimary = 1 << 3

// Flags of an address: its seven strings, then primary.
const addrPrimary = 1 << 7

// Flags of the enterprise extension: five strings, manager value, manager
// displayName, then manager present.
const entManager = 1 << 7

type encoder struct {
	b []byte
}

func (e *encoder) str(s string) {
	e.b = binary.AppendUvarint(e.b, uint64(len(s)))
	e.b = append(e.b, s...)
}

// strs writes the flags byte for ss (bit i set when ss[i] is not empty) or'ed with
// extra, then the non-empty strings.
func (e *encoder) strs(extra byte, ss ...string) {
	f := extra
	for i, s := range ss {
		if s != "" {
			f |= 1 << i
		}
	}
	e.b = append(e.b, f)
	for _, s := range ss {
		if s != "" {
			e.str(s)
		}
	}
}

func (e *encoder) multi(vs []scim.MultiValue) {
	e.b = binary.AppendUvarint(e.b, uint64(len(vs)))
	for i := range vs {
		v := &vs[i]
		var f byte
		if v.Primary {
			f = mvPrimary
		}
		e.strs(f, v.Value, v.Display, v.Type)
	}
}

// encodeUser returns the encoding of u's attributes, with the ID id (not u.ID) and
// the version v, and the formatted version, a substring of the encoding.
func encodeUser(u *scim.User, id string, v uint64) (data, version string) {
	top, multis := userStrings(u), userLists(u)
	var set uint64
	size := 8 + 20
	for i, p := range top {
		if s := str(i, p, id); s != "" {
			set |= 1 << i
			size += len(s) + 2
		}
	}
	if u.Name != nil {
		set |= 1 << fName
		size += 64
	}
	nMulti := 0
	for i, p := range multis {
		if l := *p; len(l) > 0 {
			set |= 1 << (fEmails + i)
			size += 48 * len(l)
			nMulti += len(l)
		}
	}
	if len(u.Addresses) > 0 {
		set |= 1 << fAddresses
		size += 96 * len(u.Addresses)
	}
	if u.Enterprise != nil {
		set |= 1 << fEnterprise
		size += 64
	}

	e := encoder{b: make([]byte, 0, size)}
	e.b = binary.AppendUvarint(e.b, set)
	if set&listBits != 0 {
		e.b = binary.AppendUvarint(e.b, uint64(nMulti))
		e.b = binary.AppendUvarint(e.b, uint64(len(u.Addresses)))
	}
	for i, p := range top {
		if s := str(i, p, id); s != "" {
			e.str(s)
		}
	}
	if n := u.Name; n != nil {
		e.strs(0, n.Formatted, n.FamilyName, n.GivenName, n.MiddleName, n.HonorificPrefix, n.HonorificSuffix)
	}
	for _, p := range multis {
		if len(*p) > 0 {
			e.multi(*p)
		}
	}
	if len(u.Addresses) > 0 {
		e.b = binary.AppendUvarint(e.b, uint64(len(u.Addresses)))
		for i := range u.Addresses {
			a := &u.Addresses[i]
			var f byte
			if a.Primary {
				f = addrPrimary
			}
			e.strs(f, a.Formatted, a.StreetAddress, a.Locality, a.Region, a.PostalCode, a.Country, a.Type)
		}
	}
	if ent := u.Enterprise; ent != nil {
		var f byte
		var mv, mn string
		if ent.Manager != nil {
			f |= entManager
			mv, mn = ent.Manager.Value, ent.Manager.DisplayName
		}
		e.strs(f, ent.EmployeeNumber, ent.CostCenter, ent.Organization, ent.Division, ent.Department, mv, mn)
	}
	n := len(e.b)
	e.b = strconv.AppendUint(e.b, v, 10)
	data = string(e.b)
	return data, data[n:]
}

// str returns *p, the string i of userStrings, or id for the ID.
func str(i int, p *string, id string) string {
	if i == fID {
		return id
	}
	return *p
}

type decoder struct {
	s string
	i int
}

func (d *decoder) uvarint() uint64 {
	var x uint64
	var shift uint
	for {
		c := d.s[d.i]
		d.i++
		if c < 0x80 {
			return x | uint64(c)<<shift
		}
		x |= uint64(c&0x7f) << shift
		shift += 7
	}
}

func (d *decoder) str() string {
	n := int(d.uvarint())
	s := d.s[d.i : d.i+n]
	d.i += n
	return s
}

func (d *decoder) flags() byte {
	f := d.s[d.i]
	d.i++
	return f
}

// strs reads the strings named by the low bits of f into ps.
func (d *decoder) strs(f byte, ps ...*string) {
	for i, p := range ps {
		if f&(1<<i) != 0 {
			*p = d.str()
		}
	}
}

// An arena is where a decode puts the parts of a User that are not in the User struct.
// A nil pointer or a too short slice means allocate that part on its own.
type arena struct {
	name  *scim.Name
	ent   *scim.EnterpriseUser
	mgr   *scim.Manager
	multi []scim.MultiValue // carved up in order, each part with len == cap
	addr  []scim.Address
}

func (a *arena) multis(n int) []scim.MultiValue {
	if len(a.multi) < n {
		return make([]scim.MultiValue, n)
	}
	vs := a.multi[:n:n]
	a.multi = a.multi[n:]
	return vs
}

// A decoded User takes two allocations: the User, and one block for all its other
// parts (name, enterprise extension, manager, multi-values) that the User points
// into. Both stay within 512 bytes, the largest objects the runtime allocates and
// scans without a type header: a single block holding the User too costs more CPU
// to allocate and to collect than the two.
type userParts struct {
	name scim.Name
	ent  scim.EnterpriseUser
	mgr  scim.Manager
}

// Up to inlineMulti multi-values and inlineAddr addresses fit in a userPartsInline
// (504 bytes), enough for a user that Microsoft Entra ID provisions with its default
// mapping: one email, work and mobile phones, a work address.
const (
	inlineMulti = 3
	inlineAddr  = 1
)

type userPartsInline struct {
	userParts
	multi [inlineMulti]scim.MultiValue
	addr  [inlineAddr]scim.Address
}

// decodeNewUser returns a new User holding every field of an encoding made by
// encodeUser, allocated in as few blocks as possible: the caller owns all of it.
func decodeNewUser(s string) *scim.User {
	d := decoder{s: s}
	set := d.uvarint()
	var nMulti, nAddr uint64
	if set&listBits != 0 {
		nMulti, nAddr = d.uvarint(), d.uvarint()
	}
	u := new(scim.User)
	var a arena
	switch {
	case set&(listBits|1<<fName|1<<fEnterprise) == 0:
	case nMulti <= inlineMulti && nAddr <= inlineAddr:
		p := new(userPartsInline)
		a = arena{name: &p.name, ent: &p.ent, mgr: &p.mgr, multi: p.multi[:nMulti], addr: p.addr[:nAddr]}
	default:
		p := new(userParts)
		a = arena{name: &p.name, ent: &p.ent, mgr: &p.mgr}
		if nMulti > 0 {
			a.multi = make([]scim.MultiValue, nMulti)
		}
		if nAddr > 0 {
			a.addr = make([]scim.Address, nAddr)
		}
	}
	d.fields(set, u, ^uint64(0), &a)
	return u
}

// decodeUser fills u from an encoding made by encodeUser, only the fields whose bit
// (1<<fXxx) is set in mask, allocating each part on its own. Fields that the encoding
// does not hold (Active, Groups, Extensions, Meta) are left alone.
func decodeUser(s string, u *scim.User, mask uint64) {
	d := decoder{s: s}
	set := d.uvarint()
	if set&listBits != 0 {
		d.uvarint()
		d.uvarint()
	}
	d.fields(set, u, mask, &arena{})
}

// fields decodes the fields of set, the bit set read from the encoding, into u, only
// those whose bit is set in mask, taking storage from a.
func (d *decoder) fields(set uint64, u *scim.User, mask uint64, a *arena) {
	want := set & mask
	top := userStrings(u)
	for i, p := range top {
		if want>>i == 0 {
			return // nothing more to decode
		}
		if set&(1<<i) != 0 {
			if s := d.str(); want&(1<<i) != 0 {
				*p = s
			}
		}
	}
	if want>>fName == 0 {
		return
	}
	if set&(1<<fName) != 0 {
		f := d.flags()
		if want&(1<<fName) == 0 {
			d.skip(f)
		} else {
			n := a.name
			if n == nil {
				n = new(scim.Name)
			}
			d.strs(f, &n.Formatted, &n.FamilyName, &n.GivenName, &n.MiddleName, &n.HonorificPrefix, &n.HonorificSuffix)
			u.Name = n
		}
	}
	multis := userLists(u)
	for i, p := range multis {
		bit := uint64(1) << (fEmails + i)
		if set&bit == 0 {
			continue
		}
		n := int(d.uvarint())
		if want&bit == 0 {
			for range n {
				d.skip(d.flags() &^ mvPrimary)
			}
			continue
		}
		vs := a.multis(n)
		for i := range vs {
			v := &vs[i]
			f := d.flags()
			d.strs(f, &v.Value, &v.Display, &v.Type)
			v.Primary = f&mvPrimary != 0
		}
		*p = vs
	}
	if set&(1<<fAddresses) != 0 {
		n := int(d.uvarint())
		if want&(1<<fAddresses) == 0 {
			for range n {
				d.skip(d.flags() &^ addrPrimary)
			}
		} else {
			var as []scim.Address
			if len(a.addr) == n {
				as = a.addr[:n:n]
			} else {
				as = make([]scim.Address, n)
			}
			for i := range as {
				ad := &as[i]
				f := d.flags()
				d.strs(f, &ad.Formatted, &ad.StreetAddress, &ad.Locality, &ad.Region, &ad.PostalCode, &ad.Country, &ad.Type)
				ad.Primary = f&addrPrimary != 0
			}
			u.Addresses = as
		}
	}
	if set&(1<<fEnterprise) != 0 {
		f := d.flags()
		if want&(1<<fEnterprise) == 0 {
			d.skip(f &^ entManager)
		} else {
			ent := a.ent
			if ent == nil {
				ent = new(scim.EnterpriseUser)
			}
			var mv, mn string
			d.strs(f, &ent.EmployeeNumber, &ent.CostCenter, &ent.Organization, &ent.Division, &ent.Department, &mv, &mn)
			if f&entManager != 0 {
				m := a.mgr
				if m == nil {
					m = new(scim.Manager)
				}
				m.Value, m.DisplayName = mv, mn
				ent.Manager = m
			}
			u.Enterprise = ent
		}
	}
}

// skip reads past the strings named by the low seven bits of f.
func (d *decoder) skip(f byte) {
	for i := range 7 {
		if f&(1<<i) != 0 {
			d.str()
		}
	}
}

// userKeys returns the id, externalId and userName of an encoding without decoding
// the rest; the results are substrings of s.
func userKeys(s string) (id, externalID, userName string) {
	var u scim.User
	decodeUser(s, &u, 1<<fID|1<<fExternalID|1<<fUserName)
	return u.ID, u.ExternalID, u.UserName
}
