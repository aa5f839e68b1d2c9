package scim_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/scimkit/scimkit/schema"
	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/scim/memstore"
)

const (
	sUser  = scim.UserSchema
	sEnt   = scim.EnterpriseUserSchema
	sGroup = scim.GroupSchema
	sPatch = scim.PatchOpSchema
	sList  = scim.ListResponseSchema
	sErr   = scim.ErrorSchema
	token  = "test-token"
)

// newHandler returns a handler over a fresh memstore with a static token; edit
// adjusts the config first.
func newHandler(t testing.TB, edit ...func(*scim.Config)) (*scim.Handler, *memstore.Store) {
	t.Helper()
	st := memstore.New(memstore.Options{})
	cfg := scim.Config{Users: st, Groups: st, Auth: scim.StaticToken(token)}
	for _, e := range edit {
		e(&cfg)
	}
	h, err := scim.NewHandler(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return h, st
}

// newAcmeHandler returns a handler over a fresh memstore whose users have the acme
// host extension.
func newAcmeHandler(t testing.TB) *scim.Handler {
	t.Helper()
	ext := []schema.Extension{{Schema: acme}}
	st := memstore.New(memstore.Options{UserType: schema.UserResourceType.WithExtensions(ext...)})
	h, err := scim.NewHandler(scim.Config{Users: st, Groups: st, Auth: scim.StaticToken(token), UserExtensions: ext})
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// recordingStore is memstore that records what the Handler hands to it and asks of it,
// and shows the arguments of every call to inspect, if set.
type recordingStore struct {
	*memstore.Store
	inspect  func(method string, arg any)
	mu       sync.Mutex
	users    []*scim.User  // the users of CreateUser and ReplaceUser calls
	groups   []*scim.Group // the groups of CreateGroup and ReplaceGroup calls
	replaces int           // ReplaceUser calls
	projs    []scim.Projection
	queries  []scim.Query
}

func newRecording(t testing.TB, strict bool) (*scim.Handler, *recordingStore) {
	t.Helper()
	st := &recordingStore{Store: memstore.New(memstore.Options{})}
	h, err := scim.NewHandler(scim.Config{Users: st, Groups: st, Auth: scim.StaticToken(token), Strict: strict})
	if err != nil {
		t.Fatal(err)
	}
	return h, st
}

// record shows arg to inspect and runs f under the lock.
func (s *recordingStore) record(method string, arg any, f func()) {
	if s.inspect != nil {
		s.inspect(method, arg)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if f != nil {
		f()
	}
}

func (s *recordingStore) CreateUser(ctx context.Context, u *scim.User) (*scim.User, error) {
	s.record("CreateUser", u, func() { s.users = append(s.users, u) })
	return s.Store.CreateUser(ctx, u)
}

func (s *recordingStore) GetUser(ctx context.Context, id string) (*scim.User, error) {
	s.record("GetUser", id, nil)
	return s.Store.GetUser(ctx, id)
}

func (s *recordingStore) ReplaceUser(ctx context.Context, u *scim.User, ifMatch string) (*scim.User, error) {
	s.record("ReplaceUser", u, func() { s.users, s.replaces = append(s.users, u), s.replaces+1 })
	return s.Store.ReplaceUser(ctx, u, ifMatch)
}

func (s *recordingStore) DeleteUser(ctx context.Context, id, ifMatch string) error {
	s.record("DeleteUser", id, nil)
	return s.Store.DeleteUser(ctx, id, ifMatch)
}

func (s *recordingStore) CreateGroup(ctx context.Context, g *scim.Group) (*scim.Group, error) {
	s.record("CreateGroup", g, func() { s.groups = append(s.groups, g) })
	return s.Store.CreateGroup(ctx, g)
}

func (s *recordingStore) GetGroup(ctx context.Context, id string, p scim.Projection) (*scim.Group, error) {
	s.record("GetGroup", id, func() { s.projs = append(s.projs, p) })
	return s.Store.GetGroup(ctx, id, p)
}

func (s *recordingStore) ListGroups(ctx context.Context, q scim.Query) (*scim.Page[scim.Group], error) {
	s.record("ListGroups", q, func() { s.queries = append(s.queries, q) })
	return s.Store.ListGroups(ctx, q)
}

func (s *recordingStore) ReplaceGroup(ctx context.Context, g *scim.Group, ifMatch string) (*scim.Group, error) {
	s.record("ReplaceGroup", g, func() { s.groups = append(s.groups, g) })
	return s.Store.ReplaceGroup(ctx, g, ifMatch)
}

func (s *recordingStore) DeleteGroup(ctx context.Context, id, ifMatch string) error {
	s.record("DeleteGroup", id, nil)
	return s.Store.DeleteGroup(ctx, id, ifMatch)
}

func (s *recordingStore) PatchMembers(ctx context.Context, id string, c scim.MemberChange, ifMatch string) (string, error) {
	s.record("PatchMembers", []any{id, c}, nil)
	return s.Store.PatchMembers(ctx, id, c, ifMatch)
}

func (s *recordingStore) lastUser() (u *scim.User) {
	s.record("", nil, func() { u = s.users[len(s.users)-1] })
	return u
}

func (s *recordingStore) lastGroup() (g *scim.Group) {
	s.record("", nil, func() { g = s.groups[len(s.groups)-1] })
	return g
}

type resp struct {
	Code   int
	Header http.Header
	Body   string
	JSON   map[string]any
}

// call sends a request with the test token unless hdr overrides Authorization.
func call(t testing.TB, h http.Handler, method, target string, body any, hdr ...string) *resp {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	r := httptest.NewRequest(method, target, rd)
	r.Header.Set("Authorization", "Bearer "+token)
	if rd != nil {
		r.Header.Set("Content-Type", "application/scim+json")
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		if hdr[i+1] == "" {
			r.Header.Del(hdr[i])
		} else {
			r.Header.Set(hdr[i], hdr[i+1])
		}
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	res := &resp{Code: w.Code, Header: w.Header(), Body: w.Body.String()}
	if strings.TrimSpace(res.Body) != "" {
		dec := json.NewDecoder(strings.NewReader(res.Body))
		dec.UseNumber()
		if err := dec.Decode(&res.JSON); err != nil {
			t.Errorf("%s %s: body is not a JSON object: %v: %s", method, target, err, res.Body)
		}
	}
	return res
}

// want asserts the status; for errors also the SCIM error body and scimType ("" any).
func (r *resp) want(t testing.TB, code int, scimType ...string) *resp {
	t.Helper()
	if r.Code != code {
		t.Fatalf("status %d, want %d: %s", r.Code, code, r.Body)
	}
	if r.Body != "" && r.Header.Get("Content-Type") != "application/scim+json" {
		t.Errorf("Content-Type %q", r.Header.Get("Content-Type"))
	}
	if code >= 400 {
		if s, _ := r.JSON["status"].(string); s != strconv.Itoa(code) {
			t.Errorf("error status %#v, want string %q", r.JSON["status"], strconv.Itoa(code))
		}
		if !strings.Contains(r.Body, sErr) || r.JSON["detail"] == "" {
			t.Errorf("not a SCIM error body: %s", r.Body)
		}
		if len(scimType) > 0 && r.JSON["scimType"] != scimType[0] {
			t.Errorf("scimType %#v, want %q: %s", r.JSON["scimType"], scimType[0], r.Body)
		}
	}
	return r
}

// get returns the value at a dotted path of a decoded body.
func get(v any, path string) any {
	for _, seg := range strings.Split(path, ".") {
		switch x := v.(type) {
		case map[string]any:
			v = x[seg]
		case []any:
			i := 0
			for _, c := range seg {
				i = i*10 + int(c-'0')
			}
			if i >= len(x) {
				return nil
			}
			v = x[i]
		default:
			return nil
		}
	}
	return v
}

func str(v any, path string) string { s, _ := get(v, path).(string); return s }

func num(v any) int {
	n, _ := v.(json.Number)
	i, _ := n.Int64()
	return int(i)
}

// user returns a minimal create body.
func user(userName string) map[string]any {
	return map[string]any{"schemas": []any{sUser}, "userName": userName,
		"name":   map[string]any{"givenName": "G", "familyName": "F"},
		"emails": []any{map[string]any{"value": userName, "type": "work", "primary": true}}}
}

// mustCreate creates a user and returns its id.
func mustCreate(t testing.TB, h http.Handler, body map[string]any) string {
	t.Helper()
	r := call(t, h, "POST", "/Users", body).want(t, 201)
	return str(r.JSON, "id")
}

func patchBody(ops ...map[string]any) map[string]any {
	l := make([]any, len(ops))
	for i, o := range ops {
		l[i] = o
	}
	return map[string]any{"schemas": []any{sPatch}, "Operations": l}
}

func op(name, path string, value any) map[string]any {
	m := map[string]any{"op": name}
	if path != "" {
		m["path"] = path
	}
	if value != nil {
		m["value"] = value
	}
	return m
}

func itoa3(i int) string { return strconv.Itoa(i) }

func stringsReader(s string) io.Reader { return strings.NewReader(s) }

func urlQuery(s string) string {
	return strings.NewReplacer(" ", "%20", `"`, "%22", "[", "%5B", "]", "%5D").Replace(s)
}

func sortStrings(s []string) []string {
	for i := range s {
		for j := i + 1; j < len(s); j++ {
			if s[j] < s[i] {
				s[i], s[j] = s[j], s[i]
			}
		}
	}
	return s
}

// groupWith creates a group holding the given members and returns its id.
func groupWith(t *testing.T, h *scim.Handler, name string, ids ...string) string {
	t.Helper()
	var ms []any
	for _, id := range ids {
		ms = append(ms, map[string]any{"value": id})
	}
	return str(call(t, h, "POST", "/Groups", map[string]any{"displayName": name, "members": ms}).want(t, 201).JSON, "id")
}

func groupMembers(t *testing.T, h *scim.Handler, g string) string {
	t.Helper()
	r := call(t, h, "GET", "/Groups/"+g, nil).want(t, 200)
	var out []string
	for _, m := range r.JSON["members"].([]any) {
		out = append(out, str(m, "value"))
	}
	return strings.Join(sortStrings(out), ",")
}

// bothGroupPaths runs f over the MemberPatcher push-down and the fallback path.
func bothGroupPaths(t *testing.T, f func(t *testing.T, h *scim.Handler)) {
	bothGroupPathsStore(t, func(t *testing.T, h *scim.Handler, _ *memstore.Store) { f(t, h) })
}

func bothGroupPathsStore(t *testing.T, f func(t *testing.T, h *scim.Handler, st *memstore.Store)) {
	t.Run("MemberPatcher", func(t *testing.T) { h, st := newHandler(t); f(t, h, st) })
	t.Run("Fallback", func(t *testing.T) {
		h, st := newHandler(t, func(c *scim.Config) { c.Groups = noPatcher{c.Groups.(*memstore.Store)} })
		f(t, h, st)
	})
}

// extGet is get for paths that may start with a User schema URN, whose dots are not
// separators: "urn:…:User.department" reads department under that URN.
func extGet(v any, path string) any {
	const tail = ":User"
	if i := strings.Index(path, tail); i > 0 && strings.HasPrefix(path, "urn:") {
		urn, rest := path[:i+len(tail)], strings.TrimPrefix(path[i+len(tail):], ".")
		m, _ := v.(map[string]any)
		if rest == "" {
			return m[urn]
		}
		return get(m[urn], rest)
	}
	return get(v, path)
}

const acmeURN = "urn:ietf:params:scim:schemas:extension:acme:2.0:User"

var acme = &schema.Schema{ID: acmeURN, Name: "AcmeUser", Description: "Acme attributes", Attributes: []*schema.Attribute{
	{Name: "badge", Type: schema.String, Mutability: schema.ReadWrite, Returned: schema.Default, Uniqueness: schema.None},
	{Name: "secretCode", Type: schema.String, Mutability: schema.ReadWrite, Returned: schema.Request, Uniqueness: schema.None},
	{Name: "desks", Type: schema.Complex, MultiValued: true, Mutability: schema.ReadWrite, Returned: schema.Default, SubAttributes: []*schema.Attribute{
		{Name: "building", Type: schema.String, Mutability: schema.ReadWrite, Returned: schema.Default, Uniqueness: schema.None},
		{Name: "floor", Type: schema.Integer, Mutability: schema.ReadWrite, Returned: schema.Default, Uniqueness: schema.None},
	}},
}}

// noPatcher hides memstore's MemberPatcher, so that group PATCHes take the
// read-apply-replace path.
type noPatcher struct{ *memstore.Store }

func (noPatcher) PatchMembers() {} // shadows the promoted method: no MemberPatcher
