package scim_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/scimkit/scimkit/schema"
	"github.com/scimkit/scimkit/scim"
)

// RFC-ATTR-1: attributes and excludedAttributes apply to GET, list, POST and PATCH answers, ignoring case; id and schemas stay.
func TestAttributesAndExcludedAttributesShapeResponses(t *testing.T) {
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

// RFC-ID-1, ENTRA-CONN-2: Location and meta.location are absolute URLs under the mount; meta.created is UTC; doubled and trailing slashes route.
func TestLocationAndMetaFollowTheMount(t *testing.T) {
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

// ENTRA-GROUP-9: with GroupPatchReturnsResource a group PATCH answers 200 with the group, members only on request.
func TestGroupPatchReturnsGroupWhenConfigured(t *testing.T) {
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

// TestSchemasListExtensionsOnlyWithData checks that a user's schemas lists the
// Enterprise User extension only while the user has enterprise data: Okta sends and
// expects only the core schema.
// OKTA-CONN-2: Okta sends and expects only the core schema: an extension URN is in schemas only while it holds data.
func TestSchemasListExtensionsOnlyWithData(t *testing.T) {
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

// OKTA-GROUP-7: members carry an absolute $ref to the member, and a user's groups one to the group.
func TestMemberAndGroupRefsAreAbsolute(t *testing.T) {
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
