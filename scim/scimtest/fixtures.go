package scimtest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/google/uuid"
	"github.com/scimkit/scimkit/scim"
)

// extURN is the custom extension schema the checks store data under, as Entra ID
// sends custom attributes (ENTRA-USER-1).
const extURN = "urn:ietf:params:scim:schemas:extension:scimtest:2.0:User"

// baseTime is the meta.created of the first user a check creates; later ones are
// later by whole seconds, so stores that keep only seconds still order them.
var baseTime = time.Date(2024, 5, 6, 7, 8, 0, 0, time.UTC)

// tenants used by the checks.
func tenantA(ctx context.Context) context.Context { return scim.WithTenant(ctx, "scimtest-a") }
func tenantB(ctx context.Context) context.Context { return scim.WithTenant(ctx, "scimtest-b") }

// clock hands out increasing creation times.
type clock struct{ n atomic.Int64 }

func (c *clock) next() time.Time { return baseTime.Add(time.Duration(c.n.Add(1)) * time.Second) }

// entraUser returns a user with every attribute of Entra ID's default and optional
// mappings (ENTRA-USER-1), enterprise data with a manager and a custom extension value.
// Values have mixed case, spaces and punctuation, as real directories do. n makes the
// unique values unique.
func entraUser(n int, managerID string) *scim.User {
	u := &scim.User{
		ExternalID: fmt.Sprintf("ada.L%d", n),
		UserName:   fmt.Sprintf("Ada.Lovelace%d@Contoso.example", n),
		Name: &scim.Name{Formatted: "Ada K. Lovelace", GivenName: "Ada", FamilyName: fmt.Sprintf("Lovelace-%d", n),
			MiddleName: "K", HonorificPrefix: "Dr.", HonorificSuffix: "III"},
		DisplayName:       fmt.Sprintf("Ada Lovelace (%d)", n),
		NickName:          "Ada",
		ProfileURL:        "https://contoso.example/people/ada",
		Title:             "Principal Engineer",
		UserType:          "Employee",
		PreferredLanguage: "en-GB",
		Locale:            "en-GB",
		Timezone:          "Europe/London",
		Active:            true,
		Emails: []scim.MultiValue{
			{Value: fmt.Sprintf("Ada.Lovelace%d@Contoso.example", n), Type: "work", Primary: true},
			{Value: fmt.Sprintf("ada%d@home.example", n), Type: "other"},
		},
		PhoneNumbers: []scim.MultiValue{
			{Value: "+44 (0)113 496 0000", Type: "work"},
			{Value: "+44 7700 900123", Type: "mobile"},
			{Value: "+44 113 496 0999", Type: "fax"},
		},
		IMs:    []scim.MultiValue{{Value: "ada.l", Type: "xmpp"}},
		Photos: []scim.MultiValue{{Value: "https://contoso.example/ada.jpg", Type: "photo"}},
		Addresses: []scim.Address{
			{Type: "work", Formatted: "1 Loom Street\nLeeds LS1 1AA\nGB", StreetAddress: "1 Loom Street",
				Locality: "Leeds", Region: "West Yorkshire", PostalCode: "LS1 1AA", Country: "GB", Primary: true},
			{Type: "other", Formatted: "Somewhere else"},
		},
		Entitlements:     []scim.MultiValue{{Value: "Licence E5", Display: "E5"}},
		Roles:            []scim.MultiValue{{Value: `{"id":"r-1","displayName":"Admin"}`, Type: "WindowsAzureActiveDirectoryRole", Primary: true}},
		X509Certificates: []scim.MultiValue{{Value: "MIIDQTCCAimgAwIBAgITBmyf"}},
		Enterprise: &scim.EnterpriseUser{
			EmployeeNumber: fmt.Sprintf("%05d", n), CostCenter: "CC-9", Organization: "Contoso Ltd",
			Division: "Research", Department: "R&D",
		},
		Extensions: map[string]map[string]any{
			extURN: {"badge": fmt.Sprintf("B-%d", n), "floor": json.Number("3"), "remote": true,
				"skills": []any{"Go", "SCIM"}},
		},
	}
	if managerID != "" {
		u.Enterprise.Manager = &scim.Manager{Value: managerID}
	}
	return u
}

// plainUser returns a user with a few attributes.
func plainUser(userName string) *scim.User {
	return &scim.User{UserName: userName, Active: true, DisplayName: "User " + userName,
		Name: &scim.Name{GivenName: "Given", FamilyName: "Family"}}
}

// create stores u as the Handler would: with a fresh id and creation times set. It
// returns the stored user.
func (e *env) create(ctx context.Context, c *clock, u *scim.User) (*scim.User, error) {
	if u.ID == "" {
		u.ID = uuid.NewString()
	}
	if u.Meta.Created.IsZero() {
		u.Meta.Created = c.next()
		u.Meta.LastModified = u.Meta.Created
	}
	got, err := e.users.CreateUser(ctx, u)
	if err != nil {
		return nil, fmt.Errorf("CreateUser(%q): %w", u.UserName, err)
	}
	if got == nil || got.ID == "" {
		return nil, fmt.Errorf("CreateUser(%q) returned no user or an empty id", u.UserName)
	}
	return got, nil
}

func (e *env) createGroup(ctx context.Context, c *clock, g *scim.Group) (*scim.Group, error) {
	if g.ID == "" {
		g.ID = uuid.NewString()
	}
	if g.Meta.Created.IsZero() {
		g.Meta.Created = c.next()
		g.Meta.LastModified = g.Meta.Created
	}
	got, err := e.groups.CreateGroup(ctx, g)
	if err != nil {
		return nil, fmt.Errorf("CreateGroup(%q): %w", g.DisplayName, err)
	}
	if got == nil || got.ID == "" {
		return nil, fmt.Errorf("CreateGroup(%q) returned no group or an empty id", g.DisplayName)
	}
	return got, nil
}

// wantErr checks that err wraps target.
func wantErr(op string, err, target error) error {
	if errors.Is(err, target) {
		return nil
	}
	if err == nil {
		return fmt.Errorf("%s: succeeded, want an error wrapping %q", op, target)
	}
	return fmt.Errorf("%s: got error %q, want one wrapping %q", op, err, target)
}

// listIDs lists every resource q selects, all in one page, returning the ids in order.
func listUserIDs(ctx context.Context, s scim.UserStore, q scim.Query) ([]string, int, error) {
	if q.StartIndex == 0 {
		q.StartIndex = 1
	}
	if q.Count == 0 {
		q.Count = 10000
	}
	p, err := s.ListUsers(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	if p == nil {
		return nil, 0, errors.New("ListUsers returned a nil page")
	}
	ids := make([]string, len(p.Resources))
	for i, u := range p.Resources {
		if u == nil {
			return nil, 0, fmt.Errorf("ListUsers returned a nil user at %d", i)
		}
		ids[i] = u.ID
	}
	return ids, p.Total, nil
}

func listGroupIDs(ctx context.Context, s scim.GroupStore, q scim.Query) ([]string, int, error) {
	if q.StartIndex == 0 {
		q.StartIndex = 1
	}
	if q.Count == 0 {
		q.Count = 10000
	}
	p, err := s.ListGroups(ctx, q)
	if err != nil {
		return nil, 0, err
	}
	if p == nil {
		return nil, 0, errors.New("ListGroups returned a nil page")
	}
	ids := make([]string, len(p.Resources))
	for i, g := range p.Resources {
		if g == nil {
			return nil, 0, fmt.Errorf("ListGroups returned a nil group at %d", i)
		}
		ids[i] = g.ID
	}
	return ids, p.Total, nil
}

// diffUser reports how got differs from want in the attributes a client sets: every
// attribute but meta and the read-only groups.
func diffUser(what string, want, got *scim.User) error {
	if got == nil {
		return fmt.Errorf("%s: got no user", what)
	}
	wt, gt := want.Tree(), got.Tree()
	for _, t := range []map[string]any{wt, gt} {
		delete(t, "meta")
		delete(t, "groups")
	}
	var d []string
	diffValue("", wt, gt, &d)
	if len(d) == 0 {
		return nil
	}
	if len(d) > 8 {
		d = append(d[:8], fmt.Sprintf("and %d more differences", len(d)-8))
	}
	return fmt.Errorf("%s: the user differs from the one stored:\n    %s", what, strings.Join(d, "\n    "))
}

// diffValue appends to d a line per difference between the tree values want and got.
func diffValue(path string, want, got any, d *[]string) {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			*d = append(*d, fmt.Sprintf("%s: got %s, want %s", orRoot(path), show(got), show(want)))
			return
		}
		keys := make([]string, 0, len(w)+len(g))
		for k := range w {
			keys = append(keys, k)
		}
		for k := range g {
			if _, ok := w[k]; !ok {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := k
			if path != "" {
				p = path + "." + k
			}
			wv, inW := w[k]
			gv, inG := g[k]
			switch {
			case !inG:
				*d = append(*d, fmt.Sprintf("%s: missing, want %s", p, show(wv)))
			case !inW:
				*d = append(*d, fmt.Sprintf("%s: got %s, want no value", p, show(gv)))
			default:
				diffValue(p, wv, gv, d)
			}
		}
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) != len(w) {
			*d = append(*d, fmt.Sprintf("%s: got %s, want %s", orRoot(path), show(got), show(want)))
			return
		}
		for i := range w {
			diffValue(fmt.Sprintf("%s[%d]", path, i), w[i], g[i], d)
		}
	default:
		if !reflect.DeepEqual(want, got) {
			*d = append(*d, fmt.Sprintf("%s: got %s, want %s", orRoot(path), show(got), show(want)))
		}
	}
}

func orRoot(p string) string {
	if p == "" {
		return "(resource)"
	}
	return p
}

// show formats a tree value with its Go type where that matters.
func show(v any) string {
	switch v := v.(type) {
	case string:
		return fmt.Sprintf("%q", v)
	case json.Number:
		return "json.Number(" + string(v) + ")"
	case map[string]any, []any:
		b, _ := json.Marshal(v)
		return string(b)
	}
	return fmt.Sprintf("%T(%v)", v, v)
}

// memberIDs returns the sorted member values of g.
func memberIDs(g *scim.Group) []string {
	ids := make([]string, len(g.Members))
	for i, m := range g.Members {
		ids[i] = m.Value
	}
	slices.Sort(ids)
	return ids
}

func sorted(ids ...string) []string {
	s := slices.Clone(ids)
	slices.Sort(s)
	if s == nil {
		s = []string{}
	}
	return s
}

// sameIDs reports whether a and b hold the same ids, in any order.
func sameIDs(a, b []string) bool {
	return slices.Equal(sorted(a...), sorted(b...))
}

// mutateUser changes, in place, every string, slice element, map and pointer target
// reachable from u.
func mutateUser(u *scim.User) {
	u.UserName += "-changed"
	u.DisplayName += "-changed"
	if u.Name != nil {
		u.Name.GivenName += "-changed"
		u.Name.FamilyName += "-changed"
	}
	for _, l := range [][]scim.MultiValue{u.Emails, u.PhoneNumbers, u.IMs, u.Photos, u.Entitlements, u.Roles, u.X509Certificates} {
		for i := range l {
			l[i].Value += "-changed"
			l[i].Primary = !l[i].Primary
		}
	}
	for i := range u.Addresses {
		u.Addresses[i].Locality += "-changed"
	}
	for i := range u.Groups {
		u.Groups[i].Value += "-changed"
	}
	if u.Enterprise != nil {
		u.Enterprise.Department += "-changed"
		if u.Enterprise.Manager != nil {
			u.Enterprise.Manager.Value += "-changed"
		}
	}
	for _, m := range u.Extensions {
		for k, v := range m {
			if l, ok := v.([]any); ok && len(l) > 0 {
				l[0] = "changed"
			} else {
				m[k] = "changed"
			}
		}
		m["added"] = "changed"
	}
}
