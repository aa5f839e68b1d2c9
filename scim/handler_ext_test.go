package scim_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scimkit/scimkit/schema"
	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/scim/memstore"
)

func TestNewHandlerValidatesConfig(t *testing.T) {
	st := memstore.New(memstore.Options{})
	for _, cfg := range []scim.Config{
		{Auth: scim.NoAuth()},
		{Users: st},
		{Users: st, Auth: scim.NoAuth(), BaseURL: "not a url"},
		{Users: st, Auth: scim.NoAuth(), BaseURL: "ftp://x/scim"},
	} {
		if _, err := scim.NewHandler(cfg); err == nil {
			t.Errorf("NewHandler(%+v) accepted", cfg)
		}
	}
}

func TestAUTH_2_UnauthenticatedIs401BeforeRouting(t *testing.T) {
	h, _ := newHandler(t)
	for _, target := range []string{`/Users?filter=userName%20eq%20%22x%22`, "/Users/unknown-id", "/NoSuchPath", "/ServiceProviderConfig", "/Schemas", "/Bulk"} {
		for _, auth := range []string{"", "non-token", "Bearer wrong", "Basic dXNlcjpwYXNz", "bearer"} {
			r := call(t, h, "GET", target, nil, "Authorization", auth)
			r.want(t, 401)
			if got := r.Header.Get("WWW-Authenticate"); got != `Bearer realm="scim"` {
				t.Errorf("%s with %q: WWW-Authenticate %q", target, auth, got)
			}
		}
	}
}

func TestAUTH_2_PublicDiscoveryOptIn(t *testing.T) {
	h, _ := newHandler(t, func(c *scim.Config) { c.PublicDiscovery = true })
	for _, p := range []string{"/ServiceProviderConfig", "/Schemas", "/ResourceTypes/User"} {
		call(t, h, "GET", p, nil, "Authorization", "").want(t, 200)
	}
	call(t, h, "GET", "/Users", nil, "Authorization", "").want(t, 401)
}

func TestAUTH_3_BareToken(t *testing.T) {
	h, _ := newHandler(t)
	call(t, h, "GET", "/Users", nil, "Authorization", token).want(t, 200)
	call(t, h, "GET", "/Users", nil, "Authorization", "  BEARER   "+token+" ").want(t, 200)
	strict, _ := newHandler(t, func(c *scim.Config) { c.Strict = true })
	call(t, strict, "GET", "/Users", nil, "Authorization", token).want(t, 401)
	call(t, strict, "GET", "/Users", nil, "Authorization", "bearer "+token).want(t, 200)
}

func TestAUTH_4_CustomAuthenticator(t *testing.T) {
	errDB := errors.New("db down")
	cases := []struct {
		err  error
		code int
	}{
		{errors.New("bad signature"), 401},
		{fmt.Errorf("tenant acme: %w", scim.ErrForbidden), 403},
		{scim.ErrUnauthenticated, 401},
		{errDB, 401},
		{&scim.Error{Status: 429, Detail: "slow down"}, 429},
		{&scim.Error{Detail: "no status set"}, 401}, // never 500 (AUTH-4)
		{fmt.Errorf("wrapped: %w", &scim.Error{Status: 200}), 401},
	}
	for _, c := range cases {
		h, _ := newHandler(t, func(cfg *scim.Config) {
			cfg.Auth = scim.AuthenticatorFunc(func(r *http.Request) (context.Context, error) { return nil, c.err })
		})
		r := call(t, h, "GET", "/Users", nil)
		r.want(t, c.code)
		if strings.Contains(r.Body, "db down") {
			t.Error("authenticator error text leaked")
		}
	}
}

// TestAUTH_5_TenantIsolation uses BearerTokens with two tenants, two tokens for the
// first (rotation).
func TestAUTH_5_TenantIsolation(t *testing.T) {
	var th scim.TokenHashes
	ta1, _ := scim.GenerateToken()
	ta2, _ := scim.GenerateToken()
	tb, _ := scim.GenerateToken()
	th.Add("acme", scim.HashToken(ta1))
	th.Add("acme", scim.HashToken(ta2))
	th.Add("globex", scim.HashToken(tb))
	h, _ := newHandler(t, func(c *scim.Config) { c.Auth = scim.BearerTokens(&th) })
	as := func(tok string) []string { return []string{"Authorization", "Bearer " + tok} }

	id := str(call(t, h, "POST", "/Users", user("ada@x.example"), as(ta1)...).want(t, 201).JSON, "id")
	call(t, h, "GET", "/Users/"+id, nil, as(ta2)...).want(t, 200)
	call(t, h, "GET", "/Users/"+id, nil, as(tb)...).want(t, 404)
	call(t, h, "DELETE", "/Users/"+id, nil, as(tb)...).want(t, 404)
	call(t, h, "PATCH", "/Users/"+id, patchBody(op("replace", "title", "x")), as(tb)...).want(t, 404)
	if n := num(call(t, h, "GET", "/Users", nil, as(tb)...).want(t, 200).JSON["totalResults"]); n != 0 {
		t.Errorf("globex sees %d users", n)
	}
	call(t, h, "POST", "/Users", user("ADA@x.example"), as(tb)...).want(t, 201) // uniqueness is per tenant
	call(t, h, "POST", "/Users", user("ADA@x.example"), as(ta2)...).want(t, 409, "uniqueness")
	th.Remove(scim.HashToken(ta1))
	call(t, h, "GET", "/Users", nil, as(ta1)...).want(t, 401)
	call(t, h, "GET", "/Users", nil, as(ta2)...).want(t, 200)
}

func TestRFC_CT_1_ResponseMediaType(t *testing.T) {
	h, _ := newHandler(t)
	for _, accept := range []string{"application/xml", "text/html", "application/json", "*/*"} {
		r := call(t, h, "GET", "/Users", nil, "Accept", accept)
		r.want(t, 200)
		if ct := r.Header.Get("Content-Type"); ct != "application/scim+json" {
			t.Errorf("Accept %s: Content-Type %q", accept, ct)
		}
	}
	call(t, h, "GET", "/Users/nope", nil, "Accept", "text/html").want(t, 404)
}

func TestRFC_CT_2_RequestMediaTypes(t *testing.T) {
	h, _ := newHandler(t)
	for i, ct := range []string{"application/scim+json", "application/json", "application/scim+json; charset=utf-8", "application/json;charset=UTF-8", ""} {
		call(t, h, "POST", "/Users", user("u"+strconv.Itoa(i)+"@x.example"), "Content-Type", ct).want(t, 201)
	}
	call(t, h, "POST", "/Users", `{"userName":`, "Content-Type", "application/json").want(t, 400, "invalidSyntax")
	call(t, h, "POST", "/Users", `[1,2]`).want(t, 400, "invalidSyntax")
	call(t, h, "POST", "/Users", ``).want(t, 400, "invalidSyntax")
	small, _ := newHandler(t, func(c *scim.Config) { c.MaxBodyBytes = 100 })
	call(t, small, "POST", "/Users", map[string]any{"userName": strings.Repeat("x", 200)}).want(t, 413)
	call(t, small, "PATCH", "/Users/x", patchBody(op("add", "title", strings.Repeat("x", 200)))).want(t, 413)
}

func TestENTRA_GROUP_10_BodyLimitDefault8MiB(t *testing.T) {
	h, _ := newHandler(t)
	big := `{"schemas":["` + sUser + `"],"userName":"big@x.example","title":"` + strings.Repeat("x", 8<<20) + `"}`
	call(t, h, "POST", "/Users", big).want(t, 413)
}

func TestRFC_LIST_1_And_PAGE_1(t *testing.T) {
	h, _ := newHandler(t, func(c *scim.Config) { c.MaxResults = 5; c.DefaultCount = 3 })
	r := call(t, h, "GET", "/Users", nil).want(t, 200)
	if !strings.Contains(r.Body, `"Resources":[]`) || !strings.Contains(r.Body, `"totalResults":0`) {
		t.Errorf("empty list: %s", r.Body)
	}
	for i := range 7 {
		mustCreate(t, h, user(fmt.Sprintf("p%d@x.example", i)))
	}
	cases := []struct {
		query               string
		start, items, total int
	}{
		{"", 1, 3, 7},           // default count
		{"?count=100", 1, 5, 7}, // clamped to MaxResults
		{"?count=0", 1, 0, 7},   // totals only
		{"?count=-4", 1, 0, 7},  // negative means 0
		{"?startIndex=0&count=2", 1, 2, 7},
		{"?startIndex=-3&count=2", 1, 2, 7},
		{"?startIndex=6&count=5", 6, 2, 7},
		{"?startIndex=50", 50, 0, 7},
		{"?startIndex=99999999999999999999999&count=1", 1 << 31, 0, 7},
	}
	for _, c := range cases {
		r := call(t, h, "GET", "/Users"+c.query, nil).want(t, 200)
		if num(r.JSON["startIndex"]) != c.start || num(r.JSON["itemsPerPage"]) != c.items || num(r.JSON["totalResults"]) != c.total {
			t.Errorf("%s: startIndex %v itemsPerPage %v totalResults %v", c.query, r.JSON["startIndex"], r.JSON["itemsPerPage"], r.JSON["totalResults"])
		}
		if l, ok := r.JSON["Resources"].([]any); !ok || len(l) != c.items {
			t.Errorf("%s: Resources %v", c.query, r.JSON["Resources"])
		}
	}
	for _, bad := range []string{"?count=ten", "?startIndex=1.5", "?count=", "?startIndex=x"} {
		if bad == "?count=" {
			call(t, h, "GET", "/Users"+bad, nil).want(t, 200) // empty means absent
			continue
		}
		call(t, h, "GET", "/Users"+bad, nil).want(t, 400, "invalidValue")
	}
}

func TestRFC_PAGE_2_StableOrder(t *testing.T) {
	clock := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	h, _ := newHandler(t, func(c *scim.Config) {
		c.Now = func() time.Time { mu.Lock(); defer mu.Unlock(); clock = clock.Add(time.Second); return clock }
	})
	var ids []string
	for i := range 6 {
		ids = append(ids, mustCreate(t, h, user(fmt.Sprintf("%c@x.example", 'z'-i))))
	}
	var got []string
	for start := 1; start <= 6; start += 4 {
		r := call(t, h, "GET", "/Users?count=4&startIndex="+strconv.Itoa(start), nil).want(t, 200)
		for _, u := range r.JSON["Resources"].([]any) {
			got = append(got, str(u, "id"))
		}
	}
	if strings.Join(got, ",") != strings.Join(ids, ",") {
		t.Errorf("paged order %v, want creation order %v", got, ids)
	}
}

func TestRFC_SORT_1(t *testing.T) {
	h, _ := newHandler(t, sortingStores)
	for _, n := range []string{"bob@x.example", "Carol@x.example", "alice@x.example"} {
		mustCreate(t, h, user(n))
	}
	names := func(q string) string {
		r := call(t, h, "GET", "/Users?"+q, nil).want(t, 200)
		var out []string
		for _, u := range r.JSON["Resources"].([]any) {
			out = append(out, str(u, "userName"))
		}
		return strings.Join(out, " ")
	}
	if got := names("sortBy=USERNAME"); got != "alice@x.example bob@x.example Carol@x.example" {
		t.Errorf("ascending: %s", got)
	}
	if got := names("sortBy=userName&sortOrder=descending"); got != "Carol@x.example bob@x.example alice@x.example" {
		t.Errorf("descending: %s", got)
	}
	call(t, h, "GET", "/Users?sortBy=shoeSize", nil).want(t, 400, "invalidValue")
	call(t, h, "GET", "/Users?sortBy=userName&sortOrder=sideways", nil).want(t, 400, "invalidValue")
	sp := call(t, h, "GET", "/ServiceProviderConfig", nil).want(t, 200)
	if get(sp.JSON, "sort.supported") != true {
		t.Error("sort.supported is not true")
	}
}

func TestRFC_FILTER_4_UnsupportedFilterFailsLoudly(t *testing.T) {
	h, _ := newHandler(t)
	mustCreate(t, h, user("a@x.example"))
	for _, f := range []string{`shoeSize eq "9"`, `userName eq`, `userName xx "a"`, `(userName eq "a"`, `emails[type eq "work"`} {
		call(t, h, "GET", "/Users?filter="+urlQuery(f), nil).want(t, 400, "invalidFilter")
	}
}

func urlQuery(s string) string {
	return strings.NewReplacer(" ", "%20", `"`, "%22", "[", "%5B", "]", "%5D").Replace(s)
}

func TestRFC_ATTR_1_Projection(t *testing.T) {
	h, _ := newHandler(t)
	body := user("ada@x.example")
	body["title"] = "Eng"
	body[sEnt] = map[string]any{"department": "R&D", "costCenter": "9"}
	id := mustCreate(t, h, body)
	keys := func(m map[string]any) string {
		var ks []string
		for k := range m {
			ks = append(ks, k)
		}
		return strings.Join(sortStrings(ks), ",")
	}
	r := call(t, h, "GET", "/Users/"+id+"?attributes=userName,NAME.givenName,unknownAttr", nil).want(t, 200)
	if got := keys(r.JSON); got != "id,name,schemas,userName" {
		t.Errorf("attributes=userName,name.givenName gives keys %s", got)
	}
	if got := keys(r.JSON["name"].(map[string]any)); got != "givenName" {
		t.Errorf("name keys %s", got)
	}
	r = call(t, h, "GET", "/Users/"+id+"?excludedAttributes=emails,title,"+sEnt+":costCenter", nil).want(t, 200)
	if _, ok := r.JSON["emails"]; ok || r.JSON["title"] != nil || r.JSON["userName"] == nil || r.JSON["id"] == nil {
		t.Errorf("excludedAttributes: %s", r.Body)
	}
	if e, _ := r.JSON[sEnt].(map[string]any); e["costCenter"] != nil || e["department"] != "R&D" {
		t.Errorf("enterprise after exclusion: %v", e)
	}
	r = call(t, h, "GET", "/Users?attributes="+sEnt, nil).want(t, 200)
	u := get(r.JSON, "Resources.0").(map[string]any)
	if got := keys(u); got != "id,schemas,"+sEnt {
		t.Errorf("attributes=<enterprise URN> gives %s", got)
	}
	r = call(t, h, "POST", "/Users?attributes=userName", user("b@x.example")).want(t, 201)
	if got := keys(r.JSON); got != "id,schemas,userName" {
		t.Errorf("POST with attributes: %s", got)
	}
	r = call(t, h, "PATCH", "/Users/"+id+"?excludedAttributes=meta", patchBody(op("replace", "title", "Lead"))).want(t, 200)
	if r.JSON["meta"] != nil || r.JSON["title"] != "Lead" {
		t.Errorf("PATCH with excludedAttributes: %s", r.Body)
	}
	r = call(t, h, "GET", "/Users/"+id+"?attributes=meta.created,externalId,ID", nil).want(t, 200)
	if got := keys(r.JSON); got != "id,meta,schemas" {
		t.Errorf("attributes=meta.created gives %s", got)
	}
	if got := keys(r.JSON["meta"].(map[string]any)); got != "created" {
		t.Errorf("meta keys %s", got)
	}
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

func TestRFC_ATTR_3_PasswordNeverReturned(t *testing.T) {
	var got []string
	h, _ := newHandler(t, func(c *scim.Config) {
		c.PasswordHook = func(ctx context.Context, id, pw string) error { got = append(got, id+":"+pw); return nil }
	})
	body := user("pw@x.example")
	body["password"] = "Sekr1t-one"
	r := call(t, h, "POST", "/Users", body).want(t, 201)
	id := str(r.JSON, "id")
	for _, x := range []*resp{r,
		call(t, h, "PATCH", "/Users/"+id, patchBody(op("replace", "password", "Sekr1t-two"))).want(t, 200),
		call(t, h, "PATCH", "/Users/"+id, patchBody(op("replace", "", map[string]any{"password": "Sekr1t-three"}))).want(t, 200),
		call(t, h, "PUT", "/Users/"+id, map[string]any{"userName": "pw@x.example", "password": "Sekr1t-four"}).want(t, 200),
		call(t, h, "GET", "/Users/"+id+"?attributes=password", nil).want(t, 200),
		call(t, h, "GET", "/Users?filter=userName%20eq%20%22pw@x.example%22", nil).want(t, 200),
	} {
		if strings.Contains(x.Body, "Sekr1t") || strings.Contains(x.Body, `"password"`) {
			t.Errorf("password in response: %s", x.Body)
		}
	}
	want := []string{id + ":Sekr1t-one", id + ":Sekr1t-two", id + ":Sekr1t-three", id + ":Sekr1t-four"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("PasswordHook got %v, want %v", got, want)
	}
	sp := call(t, h, "GET", "/ServiceProviderConfig", nil).want(t, 200)
	if get(sp.JSON, "changePassword.supported") != true {
		t.Error("changePassword.supported false with a hook")
	}
}

func TestOKTA_USER_8_PasswordHookFailureUndoesCreate(t *testing.T) {
	h, _ := newHandler(t, func(c *scim.Config) {
		c.PasswordHook = func(ctx context.Context, id, pw string) error {
			return &scim.Error{Status: 400, ScimType: "invalidValue", Detail: "password too weak"}
		}
	})
	body := user("weak@x.example")
	body["password"] = "123"
	call(t, h, "POST", "/Users", body).want(t, 400, "invalidValue")
	delete(body, "password")
	call(t, h, "POST", "/Users", body).want(t, 201) // the failed create left nothing behind
	nohook, _ := newHandler(t)
	sp := call(t, nohook, "GET", "/ServiceProviderConfig", nil).want(t, 200)
	if get(sp.JSON, "changePassword.supported") != false {
		t.Error("changePassword.supported true without a hook")
	}
}

func TestRFC_MUT_1_ReadOnlyInputIgnored(t *testing.T) {
	h, _ := newHandler(t)
	body := user("ro@x.example")
	body["id"] = "client-chosen"
	body["meta"] = map[string]any{"created": "1999-01-01T00:00:00Z", "resourceType": "Nope"}
	body["groups"] = []any{map[string]any{"value": "g-1"}}
	r := call(t, h, "POST", "/Users", body).want(t, 201)
	if str(r.JSON, "id") == "client-chosen" || str(r.JSON, "meta.resourceType") != "User" || strings.HasPrefix(str(r.JSON, "meta.created"), "1999") || r.JSON["groups"] != nil {
		t.Errorf("readOnly input was used: %s", r.Body)
	}
	id := str(r.JSON, "id")
	call(t, h, "PATCH", "/Users/"+id, patchBody(op("replace", "id", "x"))).want(t, 400, "mutability")
	call(t, h, "PATCH", "/Users/"+id, patchBody(op("replace", "meta.created", "2000-01-01T00:00:00Z"))).want(t, 400, "mutability")
}

func TestRFC_PUT_1_Replace(t *testing.T) {
	h, _ := newHandler(t)
	body := user("put@x.example")
	body["title"] = "Eng"
	body["nickName"] = "P"
	body["phoneNumbers"] = []any{map[string]any{"value": "1"}}
	body["active"] = false
	body[sEnt] = map[string]any{"department": "R&D", "division": "N"}
	id := mustCreate(t, h, body)
	r := call(t, h, "PUT", "/Users/"+id, map[string]any{
		"schemas": []any{sUser}, "userName": "put@x.example", "title": "Lead", "nickName": nil, "phoneNumbers": []any{},
		"emails": []any{map[string]any{"value": "new@x.example"}}, sEnt: map[string]any{"division": "S"},
	}).want(t, 200)
	u := r.JSON
	if u["title"] != "Lead" || u["nickName"] != nil || u["phoneNumbers"] != nil || u["active"] != false ||
		str(u, "name.givenName") != "G" || str(u, "emails.0.value") != "new@x.example" || len(u["emails"].([]any)) != 1 {
		t.Errorf("PUT result: %s", r.Body)
	}
	if e, _ := u[sEnt].(map[string]any); e["division"] != "S" || e["department"] != "R&D" {
		t.Errorf("enterprise after PUT: %v", e)
	}
	call(t, h, "PUT", "/Users/"+id, map[string]any{"schemas": []any{sUser}, "title": "x"}).want(t, 400, "invalidValue")
	call(t, h, "PUT", "/Users/does-not-exist", map[string]any{"userName": "new2@x.example"}).want(t, 404)
	call(t, h, "GET", "/Users?filter=userName%20eq%20%22new2@x.example%22", nil).want(t, 200)
	other := mustCreate(t, h, user("other@x.example"))
	call(t, h, "PUT", "/Users/"+other, map[string]any{"userName": "PUT@x.example"}).want(t, 409, "uniqueness")
}

func TestRFC_ETAG_1(t *testing.T) {
	h, _ := newHandler(t)
	r := call(t, h, "POST", "/Users", user("etag@x.example")).want(t, 201)
	id := str(r.JSON, "id")
	tag := r.Header.Get("ETag")
	if !strings.HasPrefix(tag, `W/"`) || str(r.JSON, "meta.version") != tag {
		t.Fatalf("ETag %q, meta.version %q", tag, str(r.JSON, "meta.version"))
	}
	g := call(t, h, "GET", "/Users/"+id, nil, "If-None-Match", tag)
	if g.Code != 304 || g.Body != "" {
		t.Errorf("If-None-Match: %d %q", g.Code, g.Body)
	}
	call(t, h, "GET", "/Users/"+id, nil, "If-None-Match", `W/"other"`).want(t, 200)
	call(t, h, "PATCH", "/Users/"+id, patchBody(op("replace", "title", "x")), "If-Match", `W/"stale"`).want(t, 412)
	call(t, h, "PUT", "/Users/"+id, map[string]any{"userName": "etag@x.example"}, "If-Match", `W/"stale"`).want(t, 412)
	call(t, h, "DELETE", "/Users/"+id, nil, "If-Match", `W/"stale"`).want(t, 412)
	r2 := call(t, h, "PATCH", "/Users/"+id, patchBody(op("replace", "title", "x")), "If-Match", tag).want(t, 200)
	if r2.Header.Get("ETag") == tag {
		t.Error("version did not change")
	}
	// A PATCH that changes nothing keeps the version (RFC-PATCH-1).
	r3 := call(t, h, "PATCH", "/Users/"+id, patchBody(op("replace", "title", "x"))).want(t, 200)
	if r3.Header.Get("ETag") != r2.Header.Get("ETag") {
		t.Error("no-op PATCH bumped the version")
	}
	call(t, h, "DELETE", "/Users/"+id, nil, "If-Match", r3.Header.Get("ETag")).want(t, 204)

	// Groups, on the MemberPatcher path and the general one.
	gr := call(t, h, "POST", "/Groups", map[string]any{"displayName": "E"}).want(t, 201)
	gid, gtag := str(gr.JSON, "id"), gr.Header.Get("ETag")
	member := mustCreate(t, h, user("member@x.example"))
	add := patchBody(op("add", "members", []any{map[string]any{"value": member}}))
	call(t, h, "PATCH", "/Groups/"+gid, add, "If-Match", `W/"stale"`).want(t, 412)
	call(t, h, "PATCH", "/Groups/"+gid, add, "If-Match", `W/"stale", W/"stale2"`).want(t, 412)
	pr := call(t, h, "PATCH", "/Groups/"+gid, add, "If-Match", gtag).want(t, 204)
	if pr.Header.Get("ETag") == "" || pr.Header.Get("ETag") == gtag {
		t.Errorf("group ETag after PATCH: %q (was %q)", pr.Header.Get("ETag"), gtag)
	}
	call(t, h, "PUT", "/Groups/"+gid, map[string]any{"displayName": "E2"}, "If-Match", gtag).want(t, 412)
	call(t, h, "GET", "/Groups/"+gid, nil, "If-None-Match", pr.Header.Get("ETag")).want(t, 304)
	call(t, h, "DELETE", "/Groups/"+gid, nil, "If-Match", gtag).want(t, 412)
	call(t, h, "DELETE", "/Groups/"+gid, nil, "If-Match", "*").want(t, 204)
	sp := call(t, h, "GET", "/ServiceProviderConfig", nil).want(t, 200)
	if get(sp.JSON, "etag.supported") != true {
		t.Error("etag.supported not true over memstore")
	}
	off, _ := newHandler(t, func(c *scim.Config) { c.NoETags = true })
	r = call(t, off, "POST", "/Users", user("e2@x.example")).want(t, 201)
	if r.Header.Get("ETag") != "" || get(call(t, off, "GET", "/ServiceProviderConfig", nil).JSON, "etag.supported") != false {
		t.Error("NoETags still sends ETags or advertises them")
	}
}

func TestRFC_DISC_1_ServiceProviderConfig(t *testing.T) {
	h, _ := newHandler(t, sortingStores, func(c *scim.Config) { c.BaseURL = "https://app.example/scim/v2/" })
	r := call(t, h, "GET", "/ServiceProviderConfig", nil).want(t, 200)
	s := r.JSON
	checks := map[string]any{
		"patch.supported": true, "bulk.supported": false, "filter.supported": true,
		"changePassword.supported": false, "sort.supported": true, "etag.supported": true,
		"authenticationSchemes.0.type": "oauthbearertoken", "authenticationSchemes.0.primary": true,
		"authenticationSchemes.0.specUri": "https://www.rfc-editor.org/info/rfc6750",
		"meta.resourceType":               "ServiceProviderConfig", "meta.location": "https://app.example/scim/v2/ServiceProviderConfig",
	}
	for p, want := range checks {
		if got := get(s, p); got != want {
			t.Errorf("%s = %#v, want %#v", p, got, want)
		}
	}
	if num(get(s, "bulk.maxOperations")) != 0 || num(get(s, "bulk.maxPayloadSize")) != 0 || num(get(s, "filter.maxResults")) != 1000 {
		t.Errorf("bulk/filter numbers: %s", r.Body)
	}
	if !strings.Contains(r.Body, "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig") {
		t.Error("schemas missing")
	}
}

func TestRFC_DISC_2_Schemas(t *testing.T) {
	h, _ := newHandler(t)
	r := call(t, h, "GET", "/Schemas", nil).want(t, 200)
	if num(r.JSON["totalResults"]) != 3 || strings.Contains(r.Body, "null") {
		t.Errorf("/Schemas: %s", r.Body)
	}
	var userSchema map[string]any
	for _, s := range r.JSON["Resources"].([]any) {
		if str(s, "id") == sUser {
			userSchema = s.(map[string]any)
		}
	}
	attr := func(name string) map[string]any {
		for _, a := range userSchema["attributes"].([]any) {
			if str(a, "name") == name {
				return a.(map[string]any)
			}
		}
		return nil
	}
	un := attr("userName")
	if un["required"] != true || un["caseExact"] != false || un["uniqueness"] != "server" || un["mutability"] != "readWrite" {
		t.Errorf("userName definition: %v", un)
	}
	pw := attr("password")
	if pw["mutability"] != "writeOnly" || pw["returned"] != "never" {
		t.Errorf("password definition: %v", pw)
	}
	one := call(t, h, "GET", "/Schemas/"+sGroup, nil).want(t, 200)
	if str(one.JSON, "id") != sGroup || !strings.Contains(one.Body, `"members"`) || !strings.Contains(one.Body, `"$ref"`) {
		t.Errorf("/Schemas/Group: %s", one.Body)
	}
	call(t, h, "GET", "/Schemas/urn:nope", nil).want(t, 404)
	noGroups, _ := newHandler(t, func(c *scim.Config) { c.Groups = nil })
	if n := num(call(t, noGroups, "GET", "/Schemas", nil).JSON["totalResults"]); n != 2 {
		t.Errorf("/Schemas without groups lists %d", n)
	}
}

func TestRFC_DISC_3_ResourceTypes(t *testing.T) {
	h, _ := newHandler(t)
	r := call(t, h, "GET", "/ResourceTypes", nil).want(t, 200)
	if num(r.JSON["totalResults"]) != 2 {
		t.Errorf("%s", r.Body)
	}
	u := call(t, h, "GET", "/ResourceTypes/User", nil).want(t, 200).JSON
	if u["endpoint"] != "/Users" || u["schema"] != sUser || str(u, "schemaExtensions.0.schema") != sEnt || get(u, "schemaExtensions.0.required") != false {
		t.Errorf("/ResourceTypes/User: %v", u)
	}
	g := call(t, h, "GET", "/ResourceTypes/Group", nil).want(t, 200).JSON
	if g["endpoint"] != "/Groups" {
		t.Errorf("%v", g)
	}
	noGroups, _ := newHandler(t, func(c *scim.Config) { c.Groups = nil })
	call(t, noGroups, "GET", "/ResourceTypes/Group", nil).want(t, 404)
	call(t, noGroups, "GET", "/Groups/g-1", nil).want(t, 404)
	call(t, noGroups, "POST", "/Groups", `{"displayName":"x"}`).want(t, 404)
}

// TestENTRA_CONN_1_GroupProbeWithoutGroups: with no GroupStore, Entra's start-of-cycle
// group probe still gets an empty ListResponse, never a 404 that fails the cycle.
func TestENTRA_CONN_1_GroupProbeWithoutGroups(t *testing.T) {
	noGroups, _ := newHandler(t, func(c *scim.Config) { c.Groups = nil })
	r := call(t, noGroups, "GET", "/Groups?excludedAttributes=members&filter=displayName+eq+%22f5a1c1e0-8e0b-4c55-9d4c-0b1c2d3e4f50%22", nil).want(t, 200)
	if num(r.JSON["totalResults"]) != 0 || r.Body == "" || !strings.Contains(r.Body, `"Resources":[]`) ||
		str(r.JSON, "schemas.0") != "urn:ietf:params:scim:api:messages:2.0:ListResponse" {
		t.Errorf("probe without groups: %s", r.Body)
	}
}

func TestRFC_DISC_4_DiscoveryMisuse(t *testing.T) {
	h, _ := newHandler(t)
	for _, p := range []string{"/ServiceProviderConfig", "/Schemas", "/ResourceTypes"} {
		call(t, h, "GET", p+"?filter=id%20eq%20%22x%22", nil).want(t, 403)
		for _, m := range []string{"POST", "PUT", "PATCH", "DELETE"} {
			r := call(t, h, m, p, "{}").want(t, 405)
			if r.Header.Get("Allow") != "GET" {
				t.Errorf("%s %s: Allow %q", m, p, r.Header.Get("Allow"))
			}
		}
	}
	r := call(t, h, "DELETE", "/Users", nil).want(t, 405)
	if r.Header.Get("Allow") != "GET, POST" {
		t.Errorf("Allow %q", r.Header.Get("Allow"))
	}
	r = call(t, h, "POST", "/Users/some-id", "{}").want(t, 405)
	if r.Header.Get("Allow") != "GET, PUT, PATCH, DELETE" {
		t.Errorf("Allow %q", r.Header.Get("Allow"))
	}
	call(t, h, "GET", "/Users/.search", nil).want(t, 405)
}

func TestRFC_BULK_1_And_Me(t *testing.T) {
	h, _ := newHandler(t)
	call(t, h, "POST", "/Bulk", "{}").want(t, 501)
	call(t, h, "GET", "/Me", nil).want(t, 501)
	call(t, h, "GET", "/Nothing", nil).want(t, 404)
	call(t, h, "GET", "/Users/a/b", nil).want(t, 404)
	call(t, h, "GET", "/", nil).want(t, 404)
}

func TestRFC_ID_1_MetaAndLocation(t *testing.T) {
	h, _ := newHandler(t)
	mux := http.NewServeMux()
	mux.Handle("/scim/v2/", http.StripPrefix("/scim/v2", h))
	r := call(t, mux, "POST", "https://idp.example/scim/v2/Users", user("m@x.example")).want(t, 201)
	id := str(r.JSON, "id")
	want := "https://idp.example/scim/v2/Users/" + id
	if r.Header.Get("Location") != want || str(r.JSON, "meta.location") != want {
		t.Errorf("Location %q meta.location %q, want %q", r.Header.Get("Location"), str(r.JSON, "meta.location"), want)
	}
	if _, err := time.Parse(time.RFC3339, str(r.JSON, "meta.created")); err != nil || !strings.HasSuffix(str(r.JSON, "meta.created"), "Z") {
		t.Errorf("meta.created %q", str(r.JSON, "meta.created"))
	}
	// Doubled and trailing slashes route normally (ENTRA-CONN-2). (ServeMux itself
	// redirects paths with "//", so this mounts with StripPrefix alone.)
	sp := http.StripPrefix("/scim", h)
	r = call(t, sp, "GET", "http://h/scim//Users/"+id+"/", nil).want(t, 200)
	if str(r.JSON, "meta.location") != "http://h/scim/Users/"+id {
		t.Errorf("meta.location %q", str(r.JSON, "meta.location"))
	}
	call(t, sp, "GET", "http://h/scim/Users/", nil).want(t, 200)
}

func TestBaseURLForwardedHeaders(t *testing.T) {
	for _, trust := range []bool{false, true} {
		h, _ := newHandler(t, func(c *scim.Config) { c.TrustForwardedHeaders = trust })
		r := call(t, h, "POST", "http://internal:8080/Users", user(fmt.Sprint(trust)+"@x.example"),
			"X-Forwarded-Proto", "https", "X-Forwarded-Host", "public.example")
		r.want(t, 201)
		loc := r.Header.Get("Location")
		if trust != strings.HasPrefix(loc, "https://public.example/Users/") || !trust && !strings.HasPrefix(loc, "http://internal:8080/Users/") {
			t.Errorf("trust=%v: Location %q", trust, loc)
		}
	}
}

func TestRFC_ERR_1_StoreErrorsMapping(t *testing.T) {
	logs := &bytes.Buffer{}
	cases := []struct {
		err      error
		code     int
		scimType string
	}{
		{fmt.Errorf("get: %w", scim.ErrNotFound), 404, ""},
		{fmt.Errorf("x: %w", scim.ErrUniqueness), 409, "uniqueness"},
		{fmt.Errorf("x: %w", scim.ErrPreconditionFailed), 412, ""},
		{fmt.Errorf("x: %w", scim.ErrInvalidReference), 400, "invalidValue"},
		{fmt.Errorf("wrapped: %w", &scim.Error{Status: 429, Detail: "slow down"}), 429, ""},
		{errors.New("pq: connection refused to 10.0.0.7"), 500, ""},
		{fmt.Errorf("ctx: %w", context.DeadlineExceeded), 503, ""},
	}
	for _, c := range cases {
		h, _ := newHandler(t, func(cfg *scim.Config) {
			cfg.Users = failingUsers{UserStore: cfg.Users, err: c.err}
			cfg.Logger = slog.New(slog.NewTextHandler(logs, nil))
		})
		r := call(t, h, "GET", "/Users/x", nil).want(t, c.code)
		if c.scimType != "" && r.JSON["scimType"] != c.scimType {
			t.Errorf("%v: scimType %v", c.err, r.JSON["scimType"])
		}
		if strings.Contains(r.Body, "10.0.0.7") {
			t.Errorf("store error leaked: %s", r.Body)
		}
	}
	if !strings.Contains(logs.String(), "10.0.0.7") {
		t.Error("the cause of the 500 was not logged")
	}
}

type failingUsers struct {
	scim.UserStore
	err   error
	panic bool
}

func (f failingUsers) GetUser(ctx context.Context, id string) (*scim.User, error) {
	if f.panic {
		panic("store bug: index out of range")
	}
	return nil, f.err
}

func TestRFC_ERR_2_StorePanicIs500(t *testing.T) {
	logs := &bytes.Buffer{}
	h, _ := newHandler(t, func(cfg *scim.Config) {
		cfg.Users = failingUsers{UserStore: cfg.Users, panic: true}
		cfg.Logger = slog.New(slog.NewTextHandler(logs, nil))
	})
	r := call(t, h, "GET", "/Users/x", nil).want(t, 500)
	if strings.Contains(r.Body, "index out of range") || !strings.Contains(logs.String(), "index out of range") {
		t.Errorf("panic handling: body %s, log %s", r.Body, logs)
	}
}

func TestEvents(t *testing.T) {
	var mu sync.Mutex
	var evs []scim.Event
	h, _ := newHandler(t, func(c *scim.Config) {
		c.Events = func(ctx context.Context, e scim.Event) { mu.Lock(); evs = append(evs, e); mu.Unlock() }
	})
	id := mustCreate(t, h, user("ev@x.example"))
	other := mustCreate(t, h, user("ev2@x.example"))
	call(t, h, "PATCH", "/Users/"+id, patchBody(op("Replace", "active", "False"), op("add", "nickName2", "x")), "User-Agent", "Okta SCIM Client 1.0.0").want(t, 200)
	call(t, h, "PATCH", "/Users/"+id, patchBody(op("replace", "active", true), op("replace", "name.givenName", "H"))).want(t, 200)
	call(t, h, "PATCH", "/Users/"+id, patchBody(op("replace", "title", "T"), op("replace", "password", "p"))).want(t, 200)
	call(t, h, "PATCH", "/Users/"+id, patchBody(op("replace", "title", "T"))).want(t, 200) // no change, no event
	g := str(call(t, h, "POST", "/Groups", map[string]any{"displayName": "G", "members": []any{map[string]any{"value": id}}}).want(t, 201).JSON, "id")
	call(t, h, "PATCH", "/Groups/"+g, patchBody(op("add", "members", []any{map[string]any{"value": other}}), op("remove", "members", []any{map[string]any{"value": id}}))).want(t, 204)
	call(t, h, "PATCH", "/Groups/"+g, patchBody(op("replace", "displayName", "G2"), op("replace", "members", []any{map[string]any{"value": id}}))).want(t, 204)
	call(t, h, "PATCH", "/Groups/"+g, patchBody(op("replace", "", map[string]any{"id": g, "displayName": "G2"}))).want(t, 204) // Okta's unchanged name: no event
	call(t, h, "DELETE", "/Groups/"+g, nil).want(t, 204)
	call(t, h, "DELETE", "/Users/"+id, nil).want(t, 204)

	type ev struct {
		typ            scim.EventType
		changed        string
		added, removed string
		skipped, agent string
	}
	want := []ev{
		{typ: scim.UserCreated},
		{typ: scim.UserCreated},
		{typ: scim.UserDeactivated, changed: "active", skipped: "nickName2", agent: "Okta SCIM Client 1.0.0"},
		{typ: scim.UserReactivated, changed: "name.givenName,active"},
		{typ: scim.UserUpdated, changed: "title,password"},
		{typ: scim.GroupCreated, added: id},
		{typ: scim.GroupMembersChanged, changed: "members", added: other, removed: id},
		{typ: scim.GroupUpdated, changed: "displayName,members", added: id, removed: other},
		{typ: scim.GroupDeleted},
		{typ: scim.UserDeleted},
	}
	if len(evs) != len(want) {
		t.Fatalf("got %d events, want %d: %+v", len(evs), len(want), evs)
	}
	for i, w := range want {
		e := evs[i]
		got := ev{e.Type, strings.Join(e.Changed, ","), strings.Join(e.MembersAdded, ","), strings.Join(e.MembersRemoved, ","), strings.Join(e.Skipped, ","), ""}
		if w.agent != "" {
			got.agent = e.UserAgent
		}
		if got != w {
			t.Errorf("event %d = %+v, want %+v", i, got, w)
		}
		if e.ID == "" || e.Time.IsZero() || (e.ResourceType != "User" && e.ResourceType != "Group") {
			t.Errorf("event %d incomplete: %+v", i, e)
		}
	}
}

func TestENTRA_GROUP_9_PatchReturnsResourceOption(t *testing.T) {
	h, _ := newHandler(t, func(c *scim.Config) { c.GroupPatchReturnsResource = true })
	u := mustCreate(t, h, user("gm@x.example"))
	g := str(call(t, h, "POST", "/Groups", map[string]any{"displayName": "G"}).want(t, 201).JSON, "id")
	r := call(t, h, "PATCH", "/Groups/"+g, patchBody(op("add", "members", []any{map[string]any{"value": u}}))).want(t, 200)
	if r.JSON["members"] != nil || r.JSON["displayName"] != "G" {
		t.Errorf("200 group PATCH body: %s", r.Body)
	}
	r = call(t, h, "PATCH", "/Groups/"+g+"?attributes=members,displayName", patchBody(op("replace", "displayName", "G2"))).want(t, 200)
	if str(r.JSON, "members.0.value") != u {
		t.Errorf("attributes=members ignored: %s", r.Body)
	}
}

// TestConcurrentPatchesLoseNothing checks the read-apply-replace retry loop: parallel
// PATCHes of one user and one group all land.
func TestConcurrentPatchesLoseNothing(t *testing.T) {
	h, _ := newHandler(t, func(c *scim.Config) {
		c.Groups = noPatcher{c.Groups.(*memstore.Store)}
	})
	id := mustCreate(t, h, user("race@x.example"))
	g := str(call(t, h, "POST", "/Groups", map[string]any{"displayName": "Race"}).want(t, 201).JSON, "id")
	const n = 4
	var wg sync.WaitGroup
	var members []string
	for i := range n {
		members = append(members, mustCreate(t, h, user(fmt.Sprintf("m%d@x.example", i))))
	}
	for i := range n {
		wg.Add(2)
		go func() {
			defer wg.Done()
			call(t, h, "PATCH", "/Users/"+id, patchBody(op("add", "phoneNumbers", []any{map[string]any{"value": strconv.Itoa(i), "type": "t" + strconv.Itoa(i)}}))).want(t, 200)
		}()
		go func() {
			defer wg.Done()
			call(t, h, "PATCH", "/Groups/"+g, patchBody(op("add", "members", []any{map[string]any{"value": members[i]}}))).want(t, 204)
		}()
	}
	wg.Wait()
	if l, _ := call(t, h, "GET", "/Users/"+id, nil).JSON["phoneNumbers"].([]any); len(l) != n {
		t.Errorf("%d phone numbers after %d concurrent adds", len(l), n)
	}
	if l, _ := call(t, h, "GET", "/Groups/"+g, nil).JSON["members"].([]any); len(l) != n {
		t.Errorf("%d members after %d concurrent adds", len(l), n)
	}
}

func TestSearchEndpoint(t *testing.T) {
	h, _ := newHandler(t)
	mustCreate(t, h, user("s1@x.example"))
	mustCreate(t, h, user("s2@x.example"))
	r := call(t, h, "POST", "/Users/.search", map[string]any{
		"schemas": []any{"urn:ietf:params:scim:api:messages:2.0:SearchRequest"},
		"filter":  `userName sw "s"`, "attributes": []any{"userName"}, "startIndex": 2, "count": 5, "sortBy": "userName",
	}).want(t, 200)
	if num(r.JSON["totalResults"]) != 2 || num(r.JSON["itemsPerPage"]) != 1 || str(r.JSON, "Resources.0.userName") != "s2@x.example" || get(r.JSON, "Resources.0.emails") != nil {
		t.Errorf("search: %s", r.Body)
	}
	call(t, h, "POST", "/Users/.search", map[string]any{"count": true}).want(t, 400, "invalidValue")
	call(t, h, "POST", "/Groups/.search", map[string]any{}).want(t, 200)
}

func TestServeHTTPRecorderWithoutRequestURI(t *testing.T) {
	h, _ := newHandler(t)
	r := httptest.NewRequest("GET", "/Users", nil)
	r.RequestURI = ""
	r.Header.Set("Authorization", "Bearer "+token)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != 200 {
		t.Errorf("status %d", w.Code)
	}
}

// emptyEnterpriseUsers returns users whose Enterprise extension holds nothing but an
// empty manager, and whose host extension holds only a null, as a SQL store may build
// from NULL columns.
type emptyEnterpriseUsers struct{ scim.UserStore }

func (s emptyEnterpriseUsers) GetUser(ctx context.Context, id string) (*scim.User, error) {
	u, err := s.UserStore.GetUser(ctx, id)
	if err != nil {
		return nil, err
	}
	c := *u
	c.Enterprise = &scim.EnterpriseUser{Manager: &scim.Manager{}}
	c.Extensions = map[string]map[string]any{acmeURN: {"badge": nil}}
	return &c, nil
}

// TestOKTA_CONN_2_SchemasOnlyForPresentData checks that a user's schemas lists the
// Enterprise User extension only while the user has enterprise data: Okta sends and
// expects only the core schema.
func TestOKTA_CONN_2_SchemasOnlyForPresentData(t *testing.T) {
	h, st := newHandler(t)
	schemas := func(r *resp) string {
		var out []string
		for _, s := range r.JSON["schemas"].([]any) {
			out = append(out, s.(string))
		}
		return strings.Join(out, " ")
	}
	r := call(t, h, "POST", "/Users", user("okta@x.example"), "User-Agent", "Okta SCIM Client 1.0.0").want(t, 201)
	id := str(r.JSON, "id")
	if got := schemas(r); got != sUser || r.JSON[sEnt] != nil {
		t.Errorf("schemas %s for a user without enterprise data: %s", got, r.Body)
	}
	r = call(t, h, "PATCH", "/Users/"+id, patchBody(op("add", sEnt+":department", "R&D"))).want(t, 200)
	if got := schemas(r); got != sUser+" "+sEnt {
		t.Errorf("schemas %s with enterprise data", got)
	}
	r = call(t, h, "PATCH", "/Users/"+id, patchBody(op("remove", sEnt+":department", nil))).want(t, 200)
	if got := schemas(r); got != sUser || r.JSON[sEnt] != nil {
		t.Errorf("schemas %s after the enterprise data was removed: %s", got, r.Body)
	}
	h2, err := scim.NewHandler(scim.Config{Users: emptyEnterpriseUsers{st}, Auth: scim.StaticToken(token),
		UserExtensions: []schema.Extension{{Schema: acme}}})
	if err != nil {
		t.Fatal(err)
	}
	r = call(t, h2, "GET", "/Users/"+id, nil).want(t, 200)
	if got := schemas(r); got != sUser || r.JSON[sEnt] != nil || r.JSON[acmeURN] != nil {
		t.Errorf("schemas %s for an empty manager and a null extension attribute: %s", got, r.Body)
	}
}

// TestOKTA_USER_8_PasswordHookPanicUndoesCreate checks that a PasswordHook that
// panics fails the create with a 500 and leaves no user behind: otherwise Okta's retry
// of the create would meet 409 for ever.
func TestOKTA_USER_8_PasswordHookPanicUndoesCreate(t *testing.T) {
	logs := &bytes.Buffer{}
	h, _ := newHandler(t, func(c *scim.Config) {
		c.PasswordHook = func(ctx context.Context, id, pw string) error { panic("hook bug") }
		c.Logger = slog.New(slog.NewTextHandler(logs, nil))
	})
	body := user("panic@x.example")
	body["password"] = "p"
	r := call(t, h, "POST", "/Users", body).want(t, 500)
	if strings.Contains(r.Body, "hook bug") || !strings.Contains(logs.String(), "hook bug") {
		t.Errorf("body %s, log %s", r.Body, logs)
	}
	if n := num(call(t, h, "GET", "/Users", nil).want(t, 200).JSON["totalResults"]); n != 0 {
		t.Errorf("%d users after the failed create, want 0", n)
	}
}

// TestOKTA_GROUP_7_MemberAndGroupRefs: members carry an absolute $ref to the member
// (user or nested group endpoint), and a user's groups carry one to the group.
func TestOKTA_GROUP_7_MemberAndGroupRefs(t *testing.T) {
	h, _ := newHandler(t)
	uid := mustCreate(t, h, user("ref@example.com"))
	g := call(t, h, "POST", "/Groups", map[string]any{"displayName": "Refs", "members": []any{map[string]any{"value": uid}}}).want(t, 201).JSON
	gid := str(g, "id")
	if ref := str(g, "members.0.$ref"); !strings.HasPrefix(ref, "http") || !strings.HasSuffix(ref, "/Users/"+uid) {
		t.Errorf("members.0.$ref = %q, want an absolute URL ending in /Users/%s", ref, uid)
	}
	u := call(t, h, "GET", "/Users/"+uid, nil).want(t, 200).JSON
	if ref := str(u, "groups.0.$ref"); !strings.HasPrefix(ref, "http") || !strings.HasSuffix(ref, "/Groups/"+gid) {
		t.Errorf("groups.0.$ref = %q, want an absolute URL ending in /Groups/%s", ref, gid)
	}
	if v := str(u, "groups.0.value"); v != gid {
		t.Errorf("groups.0.value = %q, want %q", v, gid)
	}
}

// sortingMemstore declares that memstore sorts by every path, as it does.
type sortingMemstore struct{ *memstore.Store }

func (sortingMemstore) SortsBy(resourceType, path string) bool { return true }

// sortingStores makes both stores of a memstore config Sorters.
func sortingStores(c *scim.Config) {
	st := sortingMemstore{c.Users.(*memstore.Store)}
	c.Users, c.Groups = st, st
}
