package scimtest

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"
)

// oktaCreateBody is the create body of OKTA-USER-3.
func oktaCreateBody(userName, given, family string) map[string]any {
	return map[string]any{
		"schemas":     []any{sUser},
		"userName":    userName,
		"name":        map[string]any{"givenName": given, "familyName": family},
		"emails":      []any{map[string]any{"primary": true, "value": userName, "type": "work"}},
		"displayName": given + " " + family,
		"locale":      "en-US",
		"externalId":  "00u1ab2CD3ef4GH5i6",
		"groups":      []any{},
		"password":    "tmp-8Jq2",
		"active":      true,
	}
}

func runOkta(t *testing.T, c *idp) {
	var seedID, specID, u2, u3, groupID string
	specUser := "okta.spec." + strings.ToLower(randomGUID()[:8]) + "@example.com"

	t.Run("OKTA-CONN-1", func(t *testing.T) {
		c.do(t, "GET", "/Users?startIndex=1&count=2", nil).list(t, 0)
	})

	t.Run("OKTA-USER-3", func(t *testing.T) {
		r := c.do(t, "POST", "/Users", oktaCreateBody("ada@corp.example", "Ada", "L"))
		if !r.status(t, http.StatusCreated) {
			return
		}
		seedID = str(r.JSON, "id")
		for k, want := range map[string]any{"userName": "ada@corp.example", "name.givenName": "Ada", "name.familyName": "L",
			"emails.0.value": "ada@corp.example", "displayName": "Ada L", "locale": "en-US", "externalId": "00u1ab2CD3ef4GH5i6", "active": true} {
			expect(t, r.JSON, k, want)
		}
		if strings.Contains(string(r.Body), "tmp-8Jq2") || r.JSON["password"] != nil {
			t.Error("the response carries the password")
		}
		r = c.do(t, "POST", "/Users", oktaCreateBody("ADA@corp.example", "Ada", "Again"))
		if r.status(t, http.StatusConflict) {
			r.scimError(t, http.StatusConflict, "uniqueness")
		}
	})

	t.Run("OKTA-CONN-2", func(t *testing.T) {
		// Okta sends only the core schema: the response lists only it, and no
		// enterprise extension appears for a user without enterprise data.
		need(t, seedID)
		for _, r := range []*response{c.do(t, "GET", "/Users/"+seedID, nil), c.do(t, "GET", "/Users?filter="+q(`userName eq "ada@corp.example"`), nil)} {
			u := r.JSON
			if l, ok := u["Resources"].([]any); ok && len(l) == 1 {
				u, _ = l[0].(map[string]any)
			}
			if l, _ := u["schemas"].([]any); len(l) != 1 || l[0] != sUser {
				t.Errorf("schemas %v, want only %s", u["schemas"], sUser)
			}
			if _, ok := u[sEnt]; ok {
				t.Errorf("an enterprise extension appeared: %v", u[sEnt])
			}
		}
	})

	t.Run("OKTA-USER-1", func(t *testing.T) {
		need(t, seedID)
		r := c.do(t, "GET", "/Users/"+seedID, nil)
		if !r.status(t, http.StatusOK) {
			return
		}
		u := r.JSON
		expect(t, u, "id", seedID)
		if strings.Contains(strings.ToLower(seedID), "bulkid") {
			t.Errorf("id %q contains bulkId", seedID)
		}
		if _, ok := u["active"].(bool); !ok {
			t.Errorf("active = %#v, want a Boolean", u["active"])
		}
		for _, k := range []string{"userName", "name.givenName", "name.familyName"} {
			if str(u, k) == "" {
				t.Errorf("%s is empty", k)
			}
		}
		onePrimary(t, u, "emails", 1)
		// A repeated (value, type) pair is merged, not stored twice; the primary
		// stays single.
		body := oktaCreateBody("grace@corp.example", "Grace", "H")
		body["emails"] = []any{
			map[string]any{"primary": true, "value": "grace@corp.example", "type": "work"},
			map[string]any{"value": "grace@corp.example", "type": "work"},
			map[string]any{"value": "g@home.example", "type": "home", "primary": true},
		}
		body["phoneNumbers"] = []any{map[string]any{"value": "+1 555 0100", "type": "mobile", "primary": true}, map[string]any{"value": "+1 555 0100", "type": "mobile"}}
		r = c.do(t, "POST", "/Users", body)
		if r.status(t, http.StatusCreated) {
			onePrimary(t, r.JSON, "emails", 2)
			onePrimary(t, r.JSON, "phoneNumbers", 1)
			expect(t, r.JSON, "emails.0.value", "grace@corp.example")
			expect(t, r.JSON, "emails.0.primary", true)
			c.do(t, "DELETE", "/Users/"+str(r.JSON, "id"), nil)
		}
	})

	// The SCIM 2.0 SPEC test suite, in order (OKTA-SPEC-13).
	t.Run("OKTA-SPEC-1", func(t *testing.T) {
		need(t, seedID)
		l := c.do(t, "GET", "/Users?count=1&startIndex=1", nil).list(t, 1)
		if len(l) != 1 {
			t.Fatalf("got %d resources, want 1", len(l))
		}
		u := l[0]
		for _, k := range []string{"id", "name.familyName", "name.givenName", "userName", "emails.0.value"} {
			if str(u, k) == "" {
				t.Errorf("Resources[0].%s is empty", k)
			}
		}
		expect(t, u, "active", true)
	})

	t.Run("OKTA-SPEC-2", func(t *testing.T) {
		need(t, seedID)
		r := c.do(t, "GET", "/Users/"+seedID, nil)
		if r.status(t, http.StatusOK) {
			expect(t, r.JSON, "id", seedID)
			for _, k := range []string{"name.familyName", "name.givenName", "userName", "emails.0.value"} {
				if str(r.JSON, k) == "" {
					t.Errorf("%s is empty", k)
				}
			}
		}
	})

	t.Run("OKTA-SPEC-3", func(t *testing.T) {
		c.do(t, "GET", "/Users?filter="+q(`userName eq "unknown.`+randomGUID()[:8]+`@example.com"`), nil).list(t, 0)
	})

	t.Run("OKTA-SPEC-4", func(t *testing.T) {
		c.do(t, "GET", "/Users/010101001010101011001010101011", nil).status(t, http.StatusNotFound)
	})

	t.Run("OKTA-SPEC-5", func(t *testing.T) {
		c.do(t, "GET", "/Users?filter="+q(`userName eq "`+randomGUID()+`@example.com"`), nil).list(t, 0)
	})

	specBody := `{"schemas":["` + sUser + `"],"userName":"` + specUser + `","name":{"givenName":"Spec","familyName":"Tester"},` +
		`"emails":[{"primary":true,"value":"` + specUser + `","type":"work"}],"displayName":"Spec Tester","active":true}`

	t.Run("OKTA-SPEC-6", func(t *testing.T) {
		r := c.do(t, "POST", "/Users", specBody, "Content-Type", "application/json", "Accept", "application/scim+json; charset=utf-8")
		if !r.status(t, http.StatusCreated) {
			return
		}
		specID = str(r.JSON, "id")
		expect(t, r.JSON, "active", true)
		expect(t, r.JSON, "userName", specUser)
		expect(t, r.JSON, "name.givenName", "Spec")
		expect(t, r.JSON, "name.familyName", "Tester")
		if specID == "" || !hasString(r.JSON["schemas"], sUser) {
			t.Errorf("id %q, schemas %v", specID, r.JSON["schemas"])
		}
	})

	t.Run("OKTA-SPEC-7", func(t *testing.T) {
		need(t, specID)
		r := c.do(t, "GET", "/Users/"+specID, nil)
		if r.status(t, http.StatusOK) {
			expect(t, r.JSON, "userName", specUser)
			expect(t, r.JSON, "name.givenName", "Spec")
			expect(t, r.JSON, "name.familyName", "Tester")
		}
	})

	t.Run("OKTA-SPEC-8", func(t *testing.T) {
		need(t, specID)
		r := c.do(t, "POST", "/Users", specBody, "Content-Type", "application/json")
		if r.status(t, http.StatusConflict) {
			r.scimError(t, http.StatusConflict, "uniqueness") // RFC-UNIQ-1; the suite checks the status
		}
	})

	t.Run("OKTA-SPEC-9", func(t *testing.T) {
		need(t, specID)
		l := c.do(t, "GET", "/Users?filter="+q(`userName eq "`+strings.ToUpper(specUser)+`"`), nil).list(t, 1)
		if len(l) == 1 {
			expect(t, l[0], "id", specID)
		}
	})

	t.Run("OKTA-SPEC-10", func(t *testing.T) {
		start := time.Now()
		r := c.do(t, "GET", "/Groups", nil)
		if d := time.Since(start); d > 600*time.Millisecond {
			t.Errorf("GET /Groups took %v, Okta allows 600ms", d)
		}
		if r.Status == http.StatusNotFound {
			t.Skip("no groups (the SPEC row is optional)")
		}
		r.status(t, http.StatusOK)
		if _, ok := r.JSON["Resources"].([]any); !ok {
			t.Errorf("Resources = %#v, want an array", r.JSON["Resources"])
		}
	})

	t.Run("OKTA-SPEC-11", func(t *testing.T) {
		r := c.do(t, "GET", "/Users?filter="+q(`userName eq "`+specUser+`"`), nil, "Authorization", "non-token")
		r.status(t, http.StatusUnauthorized)
		if !strings.EqualFold(strings.Fields(r.Header.Get("WWW-Authenticate") + " x")[0], "Bearer") {
			t.Errorf("WWW-Authenticate %q, want a Bearer challenge (AUTH-2)", r.Header.Get("WWW-Authenticate"))
		}
	})

	t.Run("OKTA-SPEC-12", func(t *testing.T) {
		c.do(t, "GET", "/Users/00919288221112222", nil).status(t, http.StatusNotFound)
	})

	t.Run("OKTA-USER-2", func(t *testing.T) {
		need(t, seedID)
		l := c.do(t, "GET", "/Users?filter=userName%20eq%20%22Ada%40Corp.example%22&startIndex=1&count=100", nil).list(t, 1)
		if len(l) == 1 {
			expect(t, l[0], "id", seedID)
		}
		c.do(t, "GET", "/Users?filter=userName%20eq%20%22nobody%40corp.example%22&startIndex=1&count=100", nil).list(t, 0)
	})

	t.Run("OKTA-USER-4", func(t *testing.T) {
		for i := range 5 {
			c.do(t, "POST", "/Users", oktaCreateBody(fmt.Sprintf("page%d@corp.example", i), "Page", strconv.Itoa(i))).status(t, http.StatusCreated)
		}
		all := c.do(t, "GET", "/Users", nil)
		total := num(all.JSON["totalResults"])
		full := all.list(t, total)
		var paged []string
		for start := 1; start <= total; start += 2 {
			r := c.do(t, "GET", "/Users?startIndex="+strconv.Itoa(start)+"&count=2", nil)
			page := r.list(t, total)
			expect(t, r.JSON, "startIndex", start)
			for _, u := range page {
				paged = append(paged, str(u, "id"))
			}
		}
		if len(paged) != len(full) {
			t.Fatalf("paging returned %d users, the full list %d", len(paged), len(full))
		}
		for i, u := range full {
			if str(u, "id") != paged[i] {
				t.Errorf("position %d: paged %s, full list %s (RFC-PAGE-2)", i, paged[i], str(u, "id"))
			}
		}
		r := c.do(t, "GET", "/Users?startIndex="+strconv.Itoa(total+1)+"&count=100", nil)
		r.list(t, total)
	})

	t.Run("OKTA-USER-5", func(t *testing.T) {
		need(t, seedID)
		r := c.do(t, "PUT", "/Users/"+seedID, map[string]any{
			"schemas": []any{sUser}, "id": seedID, "userName": "ada@corp.example",
			"name":   map[string]any{"givenName": "Ada", "middleName": "K", "familyName": "L"},
			"emails": []any{map[string]any{"primary": true, "value": "ada@corp.example", "type": "work", "display": "ada@corp.example"}},
			"groups": []any{}, "meta": map[string]any{"resourceType": "User"},
		})
		if r.status(t, http.StatusOK) {
			expect(t, r.JSON, "name.middleName", "K")
			expect(t, r.JSON, "emails.0.display", "ada@corp.example")
			expect(t, r.JSON, "active", true) // absent in the body: kept (RFC-PUT-1)
			expect(t, r.JSON, "locale", "en-US")
		}
		c.do(t, "PUT", "/Users/"+randomGUID(), map[string]any{"schemas": []any{sUser}, "userName": "ghost@corp.example"}).status(t, http.StatusNotFound)
	})

	t.Run("OKTA-USER-6", func(t *testing.T) {
		need(t, seedID)
		r := c.do(t, "PATCH", "/Users/"+seedID, patchOps(op("replace", "", map[string]any{"active": false})))
		if r.status(t, http.StatusOK) {
			expect(t, r.JSON, "active", false)
		}
		r = c.do(t, "GET", "/Users/"+seedID, nil)
		r.status(t, http.StatusOK)
		expect(t, r.JSON, "active", false)
		// AIW apps deactivate by PUT.
		u := r.JSON
		u["active"] = true
		c.do(t, "PUT", "/Users/"+seedID, u).status(t, http.StatusOK)
		u["active"] = false
		r = c.do(t, "PUT", "/Users/"+seedID, u)
		if r.status(t, http.StatusOK) {
			expect(t, r.JSON, "active", false)
		}
	})

	t.Run("OKTA-USER-7", func(t *testing.T) {
		need(t, seedID)
		r := c.do(t, "PATCH", "/Users/"+seedID, patchOps(op("replace", "", map[string]any{"active": true})))
		if r.status(t, http.StatusOK) {
			expect(t, r.JSON, "active", true)
		}
		expect(t, c.do(t, "GET", "/Users/"+seedID, nil).JSON, "active", true)
	})

	t.Run("OKTA-USER-8", func(t *testing.T) {
		need(t, seedID)
		for _, o := range []map[string]any{
			op("replace", "", map[string]any{"password": "n3w-Secret!"}),
			op("replace", "password", "n3w-Secret!2"),
		} {
			r := c.do(t, "PATCH", "/Users/"+seedID, patchOps(o))
			if r.status(t, http.StatusOK) && (strings.Contains(string(r.Body), "n3w-Secret") || r.JSON["password"] != nil) {
				t.Error("the response carries the password")
			}
		}
	})

	if !hasGroups(t, c) {
		return
	}
	mkUser := func(t *testing.T, name string) string {
		r := c.do(t, "POST", "/Users", oktaCreateBody(name, "Member", name))
		r.status(t, http.StatusCreated)
		return str(r.JSON, "id")
	}

	t.Run("OKTA-GROUP-1", func(t *testing.T) {
		u2, u3 = mkUser(t, "u2@corp.example"), mkUser(t, "u3@corp.example")
		r := c.do(t, "POST", "/Groups", map[string]any{"schemas": []any{sGroup}, "displayName": "Design", "members": []any{}})
		if !r.status(t, http.StatusCreated) {
			return
		}
		groupID = str(r.JSON, "id")
		expect(t, r.JSON, "displayName", "Design")
		if l, ok := r.JSON["members"].([]any); !ok || len(l) != 0 {
			t.Errorf("members = %#v, want []", r.JSON["members"])
		}
		if groupID == "" || r.JSON["meta"] == nil {
			t.Error("created group lacks id or meta")
		}
	})

	groupPatch := func(t *testing.T, ops ...map[string]any) {
		t.Helper()
		r := c.do(t, "PATCH", "/Groups/"+groupID, patchOps(ops...))
		if r.Status != http.StatusNoContent && r.Status != http.StatusOK {
			t.Errorf("group PATCH: status %d: %s", r.Status, clipBody(r.Body))
		}
	}
	wantMembers := func(t *testing.T, want ...string) {
		t.Helper()
		got := memberValues(c.do(t, "GET", "/Groups/"+groupID, nil).JSON)
		if !sameSet(got, want) {
			t.Errorf("members %v, want %v", got, want)
		}
	}

	t.Run("OKTA-GROUP-2", func(t *testing.T) {
		need(t, groupID, seedID)
		before := c.do(t, "GET", "/Groups/"+groupID, nil).JSON
		groupPatch(t, op("replace", "", map[string]any{"id": groupID, "displayName": "Design"}))
		after := c.do(t, "GET", "/Groups/"+groupID, nil).JSON
		for _, k := range []string{"meta.lastModified", "meta.version"} {
			if str(before, k) != str(after, k) {
				t.Errorf("the unchanged name changed %s from %q to %q (want a no-op)", k, str(before, k), str(after, k))
			}
		}
		groupPatch(t, op("add", "members", []any{map[string]any{"value": seedID, "display": "ada@corp.example"}}))
		groupPatch(t, op("replace", "", map[string]any{"id": groupID, "displayName": "Design Team"}))
		wantMembers(t, seedID)
		expect(t, c.do(t, "GET", "/Groups/"+groupID, nil).JSON, "displayName", "Design Team")
	})

	t.Run("OKTA-GROUP-3", func(t *testing.T) {
		need(t, groupID, seedID, u2)
		groupPatch(t, op("remove", `members[value eq "`+seedID+`"]`, nil),
			op("add", "members", []any{map[string]any{"value": u2, "display": "someone else"}}))
		wantMembers(t, u2)
	})

	t.Run("OKTA-GROUP-4", func(t *testing.T) {
		need(t, groupID, seedID, u2, u3)
		groupPatch(t, op("replace", "members", []any{map[string]any{"value": seedID}, map[string]any{"value": u3}}))
		wantMembers(t, seedID, u3)
		groupPatch(t, op("replace", "", map[string]any{"members": []any{map[string]any{"value": u2}}}))
		wantMembers(t, u2)
		groupPatch(t, op("replace", "members", []any{}))
		wantMembers(t)
	})

	t.Run("OKTA-GROUP-5", func(t *testing.T) {
		need(t, groupID, seedID, u2)
		r := c.do(t, "PUT", "/Groups/"+groupID, map[string]any{"schemas": []any{sGroup}, "displayName": "Design",
			"members": []any{map[string]any{"value": seedID, "display": "ada@corp.example"}}})
		if r.status(t, http.StatusOK) {
			expect(t, r.JSON, "displayName", "Design")
			if got := memberValues(r.JSON); !sameSet(got, []string{seedID}) {
				t.Errorf("PUT response members %v", got)
			}
		}
		r = c.do(t, "PUT", "/Groups/"+groupID, map[string]any{"schemas": []any{sGroup}, "displayName": "Design Renamed"})
		r.status(t, http.StatusOK)
		wantMembers(t, seedID) // TRAP-4: no members key keeps them
		c.do(t, "PUT", "/Groups/"+groupID, map[string]any{"schemas": []any{sGroup}, "displayName": "Design", "members": []any{}}).status(t, http.StatusOK)
		wantMembers(t)
		c.do(t, "PUT", "/Groups/"+groupID, map[string]any{"schemas": []any{sGroup}, "displayName": "Design",
			"members": []any{map[string]any{"value": u2}}}).status(t, http.StatusOK)
	})

	t.Run("OKTA-GROUP-7", func(t *testing.T) {
		need(t, groupID, u2)
		var found map[string]any
		for _, g := range c.do(t, "GET", "/Groups?startIndex=1&count=100", nil).list(t, 1) {
			if str(g, "id") == groupID {
				found = g
			}
		}
		if found == nil {
			t.Fatal("group not in the list")
		}
		expect(t, found, "members.0.value", u2)
		expect(t, found, "members.0.type", "User")
		if ref := str(found, "members.0.$ref"); !strings.HasSuffix(ref, "/Users/"+u2) || !strings.HasPrefix(ref, "http") {
			t.Errorf("members.0.$ref = %q, want an absolute URL of the user", ref)
		}
		r := c.do(t, "GET", "/Groups/"+groupID+"?excludedAttributes=members", nil)
		if _, ok := r.JSON["members"]; ok {
			t.Error("excludedAttributes=members ignored")
		}
	})

	t.Run("OKTA-GROUP-6", func(t *testing.T) {
		need(t, groupID)
		if r := c.do(t, "DELETE", "/Groups/"+groupID, nil); r.Status != http.StatusNoContent {
			t.Errorf("DELETE: status %d", r.Status)
		}
		c.do(t, "GET", "/Groups/"+groupID, nil).status(t, http.StatusNotFound)
	})
}

// onePrimary asserts that the multi-valued attribute attr of resource u has n values,
// exactly one of them primary (OKTA-USER-1), and no repeated (value, type) pair.
func onePrimary(t *testing.T, u map[string]any, attr string, n int) {
	t.Helper()
	l, _ := u[attr].([]any)
	if len(l) != n {
		t.Errorf("%s has %d values, want %d: %v", attr, len(l), n, u[attr])
		return
	}
	primaries := 0
	seen := map[string]bool{}
	for _, e := range l {
		if get(e, "primary") == true {
			primaries++
		}
		k := strings.ToLower(str(e, "value") + "\x00" + str(e, "type"))
		if seen[k] {
			t.Errorf("%s repeats value %q with type %q", attr, str(e, "value"), str(e, "type"))
		}
		seen[k] = true
	}
	if n > 0 && primaries != 1 {
		t.Errorf("%s has %d primary values, want exactly 1: %v", attr, primaries, u[attr])
	}
}
