package memstore

import (
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/scimkit/scimkit/scim"
)

func randStr(r *rand.Rand) string {
	if r.IntN(3) == 0 {
		return ""
	}
	const alphabet = "aB9 @.\x00\xffé漢"
	rs := []rune(alphabet)
	n := r.IntN(70) // up to 210 bytes: lengths past 127 need two-byte varints
	b := make([]rune, n)
	for i := range b {
		b[i] = rs[r.IntN(len(rs))]
	}
	return string(b)
}

func randMulti(r *rand.Rand) []scim.MultiValue {
	if r.IntN(2) == 0 {
		return nil
	}
	vs := make([]scim.MultiValue, 1+r.IntN(3))
	for i := range vs {
		vs[i] = scim.MultiValue{Value: randStr(r), Display: randStr(r), Type: randStr(r), Primary: r.IntN(2) == 0}
	}
	return vs
}

// randEncodable returns a user with random values in every field that encodeUser
// keeps. Pointers may point to zero structs: the encoding keeps them apart from nil.
func randEncodable(r *rand.Rand) *scim.User {
	u := &scim.User{
		ID: randStr(r), ExternalID: randStr(r), UserName: randStr(r), DisplayName: randStr(r),
		NickName: randStr(r), ProfileURL: randStr(r), Title: randStr(r), UserType: randStr(r),
		PreferredLanguage: randStr(r), Locale: randStr(r), Timezone: randStr(r),
		Emails: randMulti(r), PhoneNumbers: randMulti(r), IMs: randMulti(r), Photos: randMulti(r),
		Entitlements: randMulti(r), Roles: randMulti(r), X509Certificates: randMulti(r),
	}
	if r.IntN(2) == 0 {
		u.Name = &scim.Name{Formatted: randStr(r), FamilyName: randStr(r), GivenName: randStr(r),
			MiddleName: randStr(r), HonorificPrefix: randStr(r), HonorificSuffix: randStr(r)}
	}
	for range r.IntN(3) {
		u.Addresses = append(u.Addresses, scim.Address{Formatted: randStr(r), StreetAddress: randStr(r),
			Locality: randStr(r), Region: randStr(r), PostalCode: randStr(r), Country: randStr(r),
			Type: randStr(r), Primary: r.IntN(2) == 0})
	}
	if r.IntN(2) == 0 {
		u.Enterprise = &scim.EnterpriseUser{EmployeeNumber: randStr(r), CostCenter: randStr(r),
			Organization: randStr(r), Division: randStr(r), Department: randStr(r)}
		if r.IntN(2) == 0 {
			u.Enterprise.Manager = &scim.Manager{Value: randStr(r), DisplayName: randStr(r)}
		}
	}
	return u
}

func TestEncodeRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for i := range 2000 {
		u := randEncodable(r)
		s, v := encodeUser(u, u.ID, uint64(i)*999)
		if want := strconv.Itoa(i * 999); v != want || !strings.HasSuffix(s, want) {
			t.Fatalf("#%d: version %q, want %q at the end of the encoding", i, v, want)
		}
		var got scim.User
		decodeUser(s, &got, ^uint64(0))
		if !reflect.DeepEqual(&got, u) {
			t.Fatalf("#%d: decode(encode(u)) differs:\n got %#v\nwant %#v", i, &got, u)
		}
		if nu := decodeNewUser(s); !reflect.DeepEqual(nu, u) {
			t.Fatalf("#%d: decodeNewUser(encode(u)) differs:\n got %#v\nwant %#v", i, nu, u)
		}
		id, ext, name := userKeys(s)
		if id != u.ID || ext != u.ExternalID || name != u.UserName {
			t.Fatalf("#%d: userKeys = %q %q %q, want %q %q %q", i, id, ext, name, u.ID, u.ExternalID, u.UserName)
		}
		// A partial decode fills exactly the asked-for fields.
		mask := r.Uint64() & (1<<(fEnterprise+1) - 1)
		var part scim.User
		decodeUser(s, &part, mask)
		want := mask2user(u, mask)
		if !reflect.DeepEqual(&part, want) {
			t.Fatalf("#%d: decode with mask %b:\n got %#v\nwant %#v", i, mask, &part, want)
		}
	}
}

// mask2user returns the fields of u that mask selects.
func mask2user(u *scim.User, mask uint64) *scim.User {
	var w scim.User
	has := func(f int) bool { return mask&(1<<f) != 0 }
	for i, p := range userStrings(&w) {
		if has(i) {
			*p = *userStrings(u)[i]
		}
	}
	if has(fName) {
		w.Name = u.Name
	}
	for i, p := range userLists(&w) {
		if has(fEmails + i) {
			*p = *userLists(u)[i]
		}
	}
	if has(fAddresses) {
		w.Addresses = u.Addresses
	}
	if has(fEnterprise) {
		w.Enterprise = u.Enterprise
	}
	return &w
}

func TestDecodeSharesEncoding(t *testing.T) {
	u := &scim.User{UserName: "ada@contoso.example", Emails: []scim.MultiValue{{Value: "ada@contoso.example"}}}
	s, _ := encodeUser(u, "u-1", 1)
	var got scim.User
	if n := testing.AllocsPerRun(100, func() { got = scim.User{}; decodeUser(s, &got, 1<<fUserName|1<<fID) }); n != 0 {
		t.Errorf("decoding strings allocates %v times, want 0", n)
	}
}

// decodeNewUser puts a typical user in two allocations, and the parts that share a
// block stay apart: appending to one multi-valued attribute never writes into the next,
// and one decode's block is not another's.
func TestDecodeNewUserBlock(t *testing.T) {
	for _, tc := range []struct {
		name   string
		u      *scim.User
		allocs float64
	}{
		{"empty", &scim.User{}, 1},
		{"strings only", &scim.User{UserName: "ada", DisplayName: "Ada"}, 1},
		{"name only", &scim.User{Name: &scim.Name{GivenName: "Ada"}}, 2},
		{"typical", &scim.User{
			UserName:     "ada@contoso.example",
			Name:         &scim.Name{GivenName: "Ada", FamilyName: "Lovelace"},
			Emails:       []scim.MultiValue{{Value: "ada@contoso.example", Type: "work", Primary: true}},
			PhoneNumbers: []scim.MultiValue{{Value: "+1 1", Type: "work"}, {Value: "+1 2", Type: "mobile"}},
			Addresses:    []scim.Address{{Type: "work", Locality: "Redmond"}},
			Enterprise:   &scim.EnterpriseUser{Department: "R&D", Manager: &scim.Manager{Value: "m-1"}},
		}, 2},
		{"many values", &scim.User{
			Emails:    []scim.MultiValue{{Value: "a"}, {Value: "b"}},
			Roles:     []scim.MultiValue{{Value: "r1"}, {Value: "r2"}},
			Addresses: []scim.Address{{Type: "work"}, {Type: "home"}},
		}, 4},
		{"many addresses only", &scim.User{Addresses: []scim.Address{{Type: "work"}, {Type: "home"}}}, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, _ := encodeUser(tc.u, "u-1", 123456)
			want := *tc.u
			want.ID = "u-1"
			a, b := decodeNewUser(s), decodeNewUser(s)
			if !reflect.DeepEqual(a, &want) {
				t.Fatalf("got %#v\nwant %#v", a, &want)
			}
			lists := func(u *scim.User) []*[]scim.MultiValue {
				return []*[]scim.MultiValue{&u.Emails, &u.PhoneNumbers, &u.IMs, &u.Photos, &u.Entitlements, &u.Roles, &u.X509Certificates}
			}
			for _, p := range lists(a) {
				if cap(*p) != len(*p) {
					t.Errorf("multi-value slice has len %d, cap %d", len(*p), cap(*p))
				}
				*p = append(*p, scim.MultiValue{Value: "appended"})
			}
			if cap(a.Addresses) != len(a.Addresses) {
				t.Errorf("addresses have len %d, cap %d", len(a.Addresses), cap(a.Addresses))
			}
			a.Addresses = append(a.Addresses, scim.Address{Type: "appended"})
			for i, p := range lists(a) {
				l, orig := *p, *lists(b)[i]
				if !reflect.DeepEqual(l[:len(l)-1:len(l)-1], orig[:len(orig):len(orig)]) && len(orig) > 0 {
					t.Errorf("an append wrote into a neighbour: %#v, want %#v then the appended value", l, orig)
				}
			}
			if a.Name != nil {
				a.Name.GivenName = "changed"
			}
			if a.Enterprise != nil {
				a.Enterprise.Department = "changed"
				if a.Enterprise.Manager != nil {
					a.Enterprise.Manager.Value = "changed"
				}
			}
			if !reflect.DeepEqual(b, &want) {
				t.Fatalf("changing one decode changed another:\n got %#v\nwant %#v", b, &want)
			}
			if n := testing.AllocsPerRun(100, func() { decodeNewUser(s) }); n != tc.allocs {
				t.Errorf("decodeNewUser allocates %v times, want %v", n, tc.allocs)
			}
		})
	}
}

// TestUserFieldsCoverEveryEncodedAttribute checks that the attribute list derived from
// package schema finds a field of the encoding for every attribute that the encoding
// holds, each its own.
func TestUserFieldsCoverEveryEncodedAttribute(t *testing.T) {
	var all uint64
	for name, bits := range userFields {
		if bits&(bits-1) != 0 {
			t.Errorf("attribute %s maps to several fields of the encoding: %b", name, bits)
		}
		if all&bits != 0 {
			t.Errorf("attribute %s shares its field %b with another", name, bits)
		}
		all |= bits
	}
	if want := uint64(1)<<fEnterprise - 1; all != want {
		t.Errorf("the derived attributes cover fields %b, want every core field %b", all, want)
	}
}
