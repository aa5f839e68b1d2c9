package bench

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	elimity "github.com/elimity-com/scim"
	elimityschema "github.com/elimity-com/scim/schema"
	fp "github.com/scim2/filter-parser/v2"

	"github.com/scimkit/scimkit/patch"
	"github.com/scimkit/scimkit/schema"
)

// entraUserPatch is the three-operation PATCH that Entra ID sends to update a user
// (ENTRA-PATCH-2, ENTRA-PATCH-3, ENTRA-PATCH-4): a filtered path, a dotted path and the string
// "False" for a boolean, with its capitalised op names.
const entraUserPatch = `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[
{"op":"Replace","path":"emails[type eq \"work\"].value","value":"ada.lovelace@contoso.example"},
{"op":"Replace","path":"name.familyName","value":"Lovelace"},
{"op":"Replace","path":"active","value":"False"}]}`

// entraUserPaths are the paths of entraUserPatch.
var entraUserPaths = []string{`emails[type eq "work"].value`, `name.familyName`, `active`}

// entraUserJSON is a user as Entra ID provisions it with its default mapping
// (ENTRA-USER-1, ENTRA-USER-2), stored with id and meta.
const entraUserJSON = `{
 "id":"2819c223-7f76-453a-919d-413861904646","externalId":"ada.l","userName":"ada.l@contoso.example","active":true,
 "displayName":"Ada L","title":"Engineer","preferredLanguage":"en-GB",
 "emails":[{"primary":true,"type":"work","value":"ada.l@contoso.example"},{"type":"other","value":"ada@home.example"}],
 "name":{"formatted":"Ada L","givenName":"Ada","familyName":"L"},
 "phoneNumbers":[{"type":"mobile","value":"+44 7700 900123"},{"type":"work","value":"+44 113 496 0000"}],
 "addresses":[{"type":"work","formatted":"1 Park Row, Leeds","streetAddress":"1 Park Row","locality":"Leeds","postalCode":"LS1 5AB","country":"GB","primary":false}],
 "meta":{"resourceType":"User","created":"2024-01-02T03:04:05Z","lastModified":"2024-01-02T03:04:05Z","location":"https://h/scim/v2/Users/2819c223-7f76-453a-919d-413861904646","version":"W/\"3\""},
 "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User":{"employeeNumber":"00412","department":"R&D","costCenter":"CC-9","manager":{"value":"26118915-6090-4610-87e4-49d8ca9f808d"}}
}`

func decodeTree(tb testing.TB, s string) map[string]any {
	tb.Helper()
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil {
		tb.Fatal(err)
	}
	return m
}

// BenchmarkPatchEntraUser measures the three-operation Entra user PATCH.
//
//   - scimkit: patch.Parse of the body plus patch.Apply on the stored user tree, which
//     applies the three operations and returns the new tree (the input is not changed,
//     so every iteration starts from the same user).
//   - elimity/server: an elimity scim.Server serving the same PATCH request through
//     ServeHTTP with an httptest recorder, with a ResourceHandler whose Patch returns an
//     empty resource (so that the server answers 204 and marshals nothing). This is
//     elimity's whole PATCH path: routing, body read, PatchOp decoding, and for each
//     operation decoding, path parsing with filter-parser and schema validation of the
//     value. elimity applies nothing (applying is left to the handler), so it does less
//     than scimkit here. String booleans need elimity's process-global
//     schema.SetAllowStringValues(true), set for this benchmark only.
//   - elimity/pathsOnly: the part of elimity's work that is the path parsing: the
//     body decoded with encoding/json (UseNumber) and the three paths parsed with
//     filter-parser's ParsePathNumber, as elimity does for each operation.
func BenchmarkPatchEntraUser(b *testing.B) {
	body := []byte(entraUserPatch)
	b.Run("scimkit", func(b *testing.B) {
		user := decodeTree(b, entraUserJSON)
		b.ReportAllocs()
		for b.Loop() {
			req, err := patch.Parse(body)
			if err != nil {
				b.Fatal(err)
			}
			out, res, err := patch.Apply(schema.UserResourceType, user, req, patch.Options{})
			if err != nil || !res.Changed || out["active"] != false {
				b.Fatal(err, res)
			}
		}
	})
	b.Run("elimity/server", func(b *testing.B) {
		elimityschema.SetAllowStringValues(true)
		b.Cleanup(func() { elimityschema.SetAllowStringValues(false) })
		srv := newElimityServer(b)
		b.ReportAllocs()
		for b.Loop() {
			r := httptest.NewRequest(http.MethodPatch, "/Users/2819c223-7f76-453a-919d-413861904646", bytes.NewReader(body))
			r.Header.Set("Content-Type", "application/scim+json")
			w := httptest.NewRecorder()
			srv.ServeHTTP(w, r)
			if w.Code != http.StatusNoContent {
				b.Fatalf("status %d: %s", w.Code, w.Body)
			}
		}
	})
	b.Run("elimity/pathsOnly", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var req struct {
				Schemas    []string
				Operations []struct {
					Op, Path string
					Value    any
				}
			}
			d := json.NewDecoder(bytes.NewReader(body))
			d.UseNumber()
			if err := d.Decode(&req); err != nil {
				b.Fatal(err)
			}
			for _, op := range req.Operations {
				if _, err := fp.ParsePathNumber([]byte(op.Path)); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// TestPatchEntraUserComparator checks that the elimity comparator of
// BenchmarkPatchEntraUser really validates the request: it accepts the Entra PATCH and
// rejects one whose path names an unknown attribute.
func TestPatchEntraUserComparator(t *testing.T) {
	elimityschema.SetAllowStringValues(true)
	defer elimityschema.SetAllowStringValues(false)
	srv := newElimityServer(t)
	for body, want := range map[string]int{
		entraUserPatch: http.StatusNoContent,
		strings.Replace(entraUserPatch, "familyName", "nickname2", 1): http.StatusBadRequest,
	} {
		r := httptest.NewRequest(http.MethodPatch, "/Users/x", strings.NewReader(body))
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, r)
		if w.Code != want {
			t.Errorf("status %d, want %d: %s", w.Code, want, w.Body)
		}
	}
	for _, p := range entraUserPaths {
		if !strings.Contains(entraUserPatch, strings.ReplaceAll(p, `"`, `\"`)) {
			t.Errorf("path %s not in the body", p)
		}
	}
}

// elimityUsers is a minimal elimity ResourceHandler: Patch accepts the validated
// operations and returns an empty resource; nothing else is used.
type elimityUsers struct{}

var errUnused = errors.New("not used by the benchmark")

func (elimityUsers) Create(*http.Request, elimity.ResourceAttributes) (elimity.Resource, error) {
	return elimity.Resource{}, errUnused
}
func (elimityUsers) Get(*http.Request, string) (elimity.Resource, error) {
	return elimity.Resource{}, errUnused
}
func (elimityUsers) GetAll(*http.Request, elimity.ListRequestParams) (elimity.Page, error) {
	return elimity.Page{}, errUnused
}
func (elimityUsers) Replace(*http.Request, string, elimity.ResourceAttributes) (elimity.Resource, error) {
	return elimity.Resource{}, errUnused
}
func (elimityUsers) Delete(*http.Request, string) error { return errUnused }
func (elimityUsers) Patch(_ *http.Request, _ string, ops []elimity.PatchOperation) (elimity.Resource, error) {
	if len(ops) != 3 {
		return elimity.Resource{}, fmt.Errorf("got %d operations", len(ops))
	}
	return elimity.Resource{}, nil
}

func newElimityServer(tb testing.TB) elimity.Server {
	tb.Helper()
	srv, err := elimity.NewServer(&elimity.ServerArgs{
		ServiceProviderConfig: &elimity.ServiceProviderConfig{},
		ResourceTypes: []elimity.ResourceType{{
			Name:             "User",
			Endpoint:         "/Users",
			Schema:           elimityschema.CoreUserSchema(),
			SchemaExtensions: []elimity.SchemaExtension{{Schema: elimityschema.ExtensionEnterpriseUser()}},
			Handler:          elimityUsers{},
		}},
	})
	if err != nil {
		tb.Fatal(err)
	}
	return srv
}

// groupTree returns a group of n members shaped as stored from Entra ID and Okta.
func groupTree(n int) map[string]any {
	members := make([]any, n)
	for i := range members {
		members[i] = map[string]any{
			"value":   fmt.Sprintf("0190a3b2-%04x-7000-8000-%012x", i%0x10000, i),
			"display": fmt.Sprintf("user%d@contoso.example", i),
			"type":    "User",
		}
	}
	return map[string]any{
		"id": "g-1", "displayName": "Everyone", "externalId": "5f0c",
		"members": members,
		"meta":    map[string]any{"resourceType": "Group", "created": "2024-01-02T03:04:05Z", "lastModified": "2024-01-02T03:04:05Z"},
	}
}

// BenchmarkPatchGroupMembers measures patch.Parse plus patch.Apply of the Entra
// membership PATCHes on groups of 1,000, 10,000 and 100,000 members: add one new
// member, and remove one member by value list. Apply copies the member list once
// (copy-on-write) and checks membership in one pass, so the cost grows linearly with
// the group size; a store that implements push-down (Request.MemberOps) avoids even
// that.
func BenchmarkPatchGroupMembers(b *testing.B) {
	for _, n := range []int{1000, 10000, 100000} {
		g := groupTree(n)
		mid := g["members"].([]any)[n/2].(map[string]any)["value"].(string)
		add := []byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Add","path":"members","value":[{"$ref":null,"value":"0190a3b2-ffff-7000-8000-ffffffffffff"}]}]}`)
		remove := []byte(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"Remove","path":"members","value":[{"$ref":null,"value":"` + mid + `"}]}]}`)
		for _, c := range []struct {
			name string
			body []byte
			want int
		}{{"add", add, n + 1}, {"remove", remove, n - 1}} {
			b.Run(fmt.Sprintf("%s/n=%d", c.name, n), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					req, err := patch.Parse(c.body)
					if err != nil {
						b.Fatal(err)
					}
					out, _, err := patch.Apply(schema.GroupResourceType, g, req, patch.Options{})
					if err != nil || len(out["members"].([]any)) != c.want {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
