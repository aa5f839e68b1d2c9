package scimtest

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// entraCreateBody is the create body of ENTRA-USER-2, as Entra ID shapes it.
func entraCreateBody(userName, externalID string) map[string]any {
	return map[string]any{
		"schemas":           []any{sUser, sEnt},
		"externalId":        externalID,
		"userName":          userName,
		"active":            true,
		"displayName":       "Ada L",
		"title":             "Engineer",
		"preferredLanguage": "en-GB",
		"emails":            []any{map[string]any{"primary": true, "type": "work", "value": userName}},
		"name":              map[string]any{"formatted": "Ada L", "givenName": "Ada", "familyName": "L"},
		"phoneNumbers":      []any{map[string]any{"type": "mobile", "value": "+44 7700 900123"}},
		"addresses":         []any{map[string]any{"type": "work", "locality": "Leeds", "country": "GB", "primary": false}},
		"meta":              map[string]any{"resourceType": "User"},
		"roles":             []any{},
		sEnt:                map[string]any{"employeeNumber": "00412", "department": "R&D", "costCenter": "CC-9"},
	}
}

func runEntra(t *testing.T, c *idp) {
	var adaID, mgrID, bobID, groupID string
	const adaName = "ada.l@contoso.example"

	t.Run("ENTRA-CONN-1", func(t *testing.T) {
		r := c.do(t, "GET", "/Users?filter="+q(`userName eq "`+randomGUID()+`"`), nil)
		if r.list(t, 0) != nil || r.JSON != nil {
			expect(t, r.JSON, "startIndex", 1)
			expect(t, r.JSON, "itemsPerPage", 0)
			if l, ok := r.JSON["Resources"].([]any); !ok || len(l) != 0 {
				t.Errorf("Resources = %#v, want []", r.JSON["Resources"])
			}
		}
		if hasGroups(t, c) {
			r = c.do(t, "GET", "/Groups?excludedAttributes=members&filter="+q(`displayName eq "`+randomGUID()+`"`), nil)
			r.list(t, 0)
		}
	})

	t.Run("ENTRA-CONN-2", func(t *testing.T) {
		// No User-Agent (c.userAgent is empty), an unknown bare query parameter, a
		// trailing slash and a doubled slash.
		for _, p := range []string{"/Users?aadOptscim062020", "/Users/?count=1", "//Users?count=1", "/Users?count=1&aadOptscim062020&foo=bar"} {
			r := c.do(t, "GET", p, nil)
			if r.status(t, http.StatusOK) && !hasString(r.JSON["schemas"], sList) {
				t.Errorf("GET %s: not a ListResponse: %s", p, clipBody(r.Body))
			}
		}
	})

	t.Run("ENTRA-USER-2", func(t *testing.T) {
		r := c.do(t, "POST", "/Users", entraCreateBody(adaName, "ada.l"))
		if !r.status(t, http.StatusCreated) {
			return
		}
		u := r.JSON
		adaID = str(u, "id")
		if adaID == "" {
			t.Fatal("created user has no id")
		}
		if loc := r.Header.Get("Location"); loc == "" || loc != str(u, "meta.location") {
			t.Errorf("Location %q, meta.location %q: want equal and non-empty", loc, str(u, "meta.location"))
		}
		if !strings.HasPrefix(str(u, "meta.location"), "http") || !strings.HasSuffix(str(u, "meta.location"), "/Users/"+adaID) {
			t.Errorf("meta.location %q is not an absolute URL of /Users/%s", str(u, "meta.location"), adaID)
		}
		expect(t, u, "meta.resourceType", "User")
		for _, k := range []string{"meta.created", "meta.lastModified"} {
			if s := str(u, k); !strings.HasSuffix(s, "Z") {
				t.Errorf("%s = %q, want RFC 3339 UTC with Z", k, s)
			}
		}
		expect(t, u, "userName", adaName)
		expect(t, u, "externalId", "ada.l")
		expect(t, u, "active", true)
		expect(t, u, "displayName", "Ada L")
		expect(t, u, "title", "Engineer")
		expect(t, u, "preferredLanguage", "en-GB")
		expect(t, u, "emails.0.value", adaName)
		expect(t, u, "emails.0.type", "work")
		expect(t, u, "emails.0.primary", true)
		expect(t, u, "name.givenName", "Ada")
		expect(t, u, "name.familyName", "L")
		expect(t, u, "name.formatted", "Ada L")
		expect(t, u, "phoneNumbers.0.value", "+44 7700 900123")
		expect(t, u, "phoneNumbers.0.type", "mobile")
		expect(t, u, "addresses.0.locality", "Leeds")
		expect(t, u, "addresses.0.country", "GB")
		expect(t, ent(u, "employeeNumber"), "", "00412")
		expect(t, ent(u, "department"), "", "R&D")
		expect(t, ent(u, "costCenter"), "", "CC-9")
		if !hasString(u["schemas"], sUser) || !hasString(u["schemas"], sEnt) {
			t.Errorf("schemas %v, want User and Enterprise URNs", u["schemas"])
		}
		if _, ok := u["password"]; ok {
			t.Error("response carries password")
		}

		// The manager, with the shapes of older Entra samples: explicit nulls and an
		// unknown schema URN in schemas.
		mgr := entraCreateBody("grace.h@contoso.example", "grace.h")
		mgr["schemas"] = []any{sUser, sEnt, "urn:ietf:params:scim:schemas:extension:acme:2.0:User"}
		mgr["phoneNumbers"] = nil
		mgr[sEnt] = map[string]any{"department": "R&D", "manager": nil}
		r = c.do(t, "POST", "/Users", mgr)
		if r.status(t, http.StatusCreated) {
			mgrID = str(r.JSON, "id")
			if _, ok := r.JSON["phoneNumbers"]; ok {
				t.Errorf("phoneNumbers: null came back as %v", r.JSON["phoneNumbers"])
			}
		}
		r = c.do(t, "POST", "/Users", entraCreateBody("bob.k@contoso.example", "bob.k"))
		if r.status(t, http.StatusCreated) {
			bobID = str(r.JSON, "id")
		}
	})

	t.Run("ENTRA-USER-10", func(t *testing.T) {
		need(t, adaID)
		r := c.do(t, "POST", "/Users", entraCreateBody("ADA.L@Contoso.Example", "other"))
		if r.status(t, http.StatusConflict) {
			r.scimError(t, http.StatusConflict, "uniqueness")
		}
		c.do(t, "GET", "/Users?filter="+q(`userName eq "ada.l@contoso.example"`), nil).list(t, 1)
	})

	t.Run("ENTRA-USER-3", func(t *testing.T) {
		need(t, adaID)
		for _, f := range []string{
			`userName eq "ada.l@contoso.example"`,
			`userName eq "ADA.L@CONTOSO.EXAMPLE"`,
			`externalId eq "ada.l"`,
			`emails[type eq "work"].value eq "ada.l@contoso.example"`,
		} {
			l := c.do(t, "GET", "/Users?filter="+q(f), nil).list(t, 1)
			if len(l) == 1 && str(l[0], "id") != adaID {
				t.Errorf("filter %s matched %s, want %s", f, str(l[0], "id"), adaID)
			}
		}
		c.do(t, "GET", "/Users?filter="+q(`externalId eq "ADA.L"`), nil).list(t, 0)
		c.do(t, "GET", "/Users?filter="+q(`userName eq "nobody@contoso.example"`), nil).list(t, 0)
	})

	t.Run("ENTRA-USER-5", func(t *testing.T) {
		need(t, adaID)
		r := c.do(t, "GET", "/Users/"+adaID, nil)
		if r.status(t, http.StatusOK) {
			expect(t, r.JSON, "id", adaID)
			expect(t, r.JSON, "active", true)
		}
		for _, id := range []string{"00919288221112222", randomGUID(), "not-an-id"} {
			c.do(t, "GET", "/Users/"+id, nil).status(t, http.StatusNotFound)
		}
	})

	patchUser := func(t *testing.T, id string, ops ...map[string]any) map[string]any {
		t.Helper()
		r := c.do(t, "PATCH", "/Users/"+id, patchOps(ops...))
		if !r.status(t, http.StatusOK) {
			return nil
		}
		// ENTRA-PATCH-11: 200 with the full user.
		if str(r.JSON, "id") != id || str(r.JSON, "userName") == "" || r.JSON["meta"] == nil {
			t.Errorf("PATCH response is not the full user: %s", clipBody(r.Body))
		}
		return r.JSON
	}

	t.Run("ENTRA-PATCH-1", func(t *testing.T) {
		need(t, adaID)
		for _, o := range []string{"Replace", "REPLACE", "replace", "Add", "add"} {
			u := patchUser(t, adaID, op(o, "title", "Lead "+o))
			expect(t, u, "title", "Lead "+o)
		}
		r := c.do(t, "PATCH", "/Users/"+adaID, patchOps(op("Frobnicate", "title", "x")))
		if r.status(t, http.StatusBadRequest) {
			r.scimError(t, http.StatusBadRequest, "invalidSyntax")
		}
		u := c.do(t, "GET", "/Users/"+adaID, nil).JSON
		expect(t, u, "title", "Lead add")
	})

	t.Run("ENTRA-PATCH-2", func(t *testing.T) {
		need(t, adaID)
		u := patchUser(t, adaID,
			op("Replace", `emails[type eq "work"].value`, "a.l@contoso.example"),
			op("Replace", "name.familyName", "Lovelace"))
		expect(t, u, "emails.0.value", "a.l@contoso.example")
		expect(t, u, "name.familyName", "Lovelace")
		expect(t, u, "name.givenName", "Ada")
		// All or nothing: the second operation fails, so the first is not applied.
		r := c.do(t, "PATCH", "/Users/"+adaID, patchOps(op("Replace", "title", "Atomic"), op("Remove", "userName", nil)))
		if r.status(t, http.StatusBadRequest) {
			r.scimError(t, http.StatusBadRequest, "mutability")
		}
		expect(t, c.do(t, "GET", "/Users/"+adaID, nil).JSON, "title", "Lead add")
	})

	t.Run("ENTRA-PATCH-3", func(t *testing.T) {
		need(t, adaID)
		expect(t, patchUser(t, adaID, op("Replace", "active", "False")), "active", false)
		expect(t, c.do(t, "GET", "/Users/"+adaID, nil).JSON, "active", false)
		expect(t, patchUser(t, adaID, op("Replace", "active", "TRUE")), "active", true)
		expect(t, patchUser(t, adaID, op("Replace", `emails[type eq "work"].primary`, "True")), "emails.0.primary", true)
		r := c.do(t, "PATCH", "/Users/"+adaID, patchOps(op("Replace", "active", "yes")))
		if r.status(t, http.StatusBadRequest) {
			r.scimError(t, http.StatusBadRequest, "invalidValue")
		}
		expect(t, c.do(t, "GET", "/Users/"+adaID, nil).JSON, "active", true)
	})

	t.Run("ENTRA-PATCH-4", func(t *testing.T) {
		need(t, adaID)
		u := patchUser(t, adaID,
			op("Add", `phoneNumbers[type eq "work"].value`, "+44 113 496 0000"),
			op("Replace", `addresses[type eq "work"].locality`, "York"),
			op("Replace", `emails[type eq "other"].Value`, "ada@home.example"))
		phones, _ := u["phoneNumbers"].([]any)
		if len(phones) != 2 || str(phones[0], "value") != "+44 7700 900123" || str(phones[1], "type") != "work" || str(phones[1], "value") != "+44 113 496 0000" {
			t.Errorf("phoneNumbers = %v, want the mobile entry kept and a work entry appended", phones)
		}
		expect(t, u, "addresses.0.locality", "York")
		expect(t, u, "addresses.0.country", "GB")
		emails, _ := u["emails"].([]any)
		if len(emails) != 2 || str(emails[0], "value") != "a.l@contoso.example" || str(emails[1], "value") != "ada@home.example" {
			t.Errorf("emails = %v, want work kept and other appended", emails)
		}
	})

	t.Run("ENTRA-PATCH-5", func(t *testing.T) {
		need(t, adaID, bobID)
		u := patchUser(t, adaID, op("Replace", "name.givenName", "Augusta"), op("Add", "nickName", "Ada"), op("Add", "nickName", "Countess"))
		expect(t, u, "name.givenName", "Augusta")
		expect(t, u, "name.familyName", "Lovelace")
		expect(t, u, "nickName", "Countess")
		r := c.do(t, "PATCH", "/Users/"+bobID, patchOps(op("Replace", "userName", "ADA.L@contoso.example")))
		if r.status(t, http.StatusConflict) {
			r.scimError(t, http.StatusConflict, "uniqueness")
		}
		u = patchUser(t, bobID, op("Replace", "userName", "bob.k2@contoso.example"))
		expect(t, u, "userName", "bob.k2@contoso.example")
	})

	t.Run("ENTRA-PATCH-6", func(t *testing.T) {
		need(t, bobID)
		u := patchUser(t, bobID,
			op("Add", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "Retail"),
			op("Replace", "URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER:organization", "Contoso"),
			op("Add", sEnt+":division", "North"))
		expect(t, ent(u, "department"), "", "Retail")
		expect(t, ent(u, "organization"), "", "Contoso")
		expect(t, ent(u, "division"), "", "North")
		if !hasString(u["schemas"], sEnt) {
			t.Errorf("schemas %v lacks the enterprise URN", u["schemas"])
		}
	})

	t.Run("ENTRA-PATCH-7", func(t *testing.T) {
		need(t, adaID, mgrID, bobID)
		mp := sEnt + ":manager"
		check := func(u map[string]any, want string) {
			t.Helper()
			m, ok := ent(u, "manager").(map[string]any)
			if !ok {
				t.Errorf("manager = %#v, want the complex form", ent(u, "manager"))
				return
			}
			if m["value"] != want || !strings.HasSuffix(str(m, "$ref"), "/Users/"+want) || !strings.HasPrefix(str(m, "$ref"), "http") {
				t.Errorf("manager = %v, want value %s with an absolute $ref", m, want)
			}
		}
		check(patchUser(t, adaID, op("Add", mp, mgrID)), mgrID)
		check(patchUser(t, adaID, op("Replace", mp, bobID)), bobID)
		check(patchUser(t, adaID, op("Add", "manager", []any{map[string]any{"$ref": "https://h/scim/Users/" + mgrID, "value": mgrID}})), mgrID)
		check(patchUser(t, adaID, op("Replace", mp, map[string]any{"value": bobID})), bobID)
		check(c.do(t, "GET", "/Users/"+adaID, nil).JSON, bobID)
		// A manager Entra ID has not provisioned yet is stored as sent.
		check(patchUser(t, adaID, op("Replace", mp, "no-such-user")), "no-such-user")
		check(patchUser(t, adaID, op("Replace", mp, bobID)), bobID)
	})

	t.Run("ENTRA-USER-4", func(t *testing.T) {
		need(t, adaID, bobID)
		l := c.do(t, "GET", "/Users?filter="+q(`id eq "`+adaID+`" and manager eq "`+bobID+`"`)+"&attributes=id", nil).list(t, 1)
		if len(l) == 1 {
			for k := range l[0] {
				if k != "id" && k != "schemas" {
					t.Errorf("attributes=id response has %q", k)
				}
			}
		}
		c.do(t, "GET", "/Users?filter="+q(`id eq "`+adaID+`" and manager eq "`+mgrID+`"`)+"&attributes=id", nil).list(t, 0)
	})

	t.Run("ENTRA-PATCH-8", func(t *testing.T) {
		need(t, adaID, mgrID, bobID)
		mp := sEnt + ":manager"
		setMgr := func() { patchUser(t, adaID, op("Add", mp, bobID)) }
		noMgr := func(u map[string]any, how string) {
			t.Helper()
			if m := ent(u, "manager"); m != nil {
				t.Errorf("%s: manager still %v", how, m)
			}
		}
		keeps := func(u map[string]any, how string) {
			t.Helper()
			if v := str(ent(u, "manager"), "value"); v != bobID {
				t.Errorf("%s: manager %q, want %s kept", how, v, bobID)
			}
		}
		setMgr()
		keeps(patchUser(t, adaID, op("Remove", mp, mgrID)), "Remove with another id")
		keeps(patchUser(t, adaID, op("Remove", "manager[value eq \""+mgrID+"\"]", nil)), "Remove by filter of another id")
		noMgr(patchUser(t, adaID, op("Remove", mp, nil)), "Remove without value")
		noMgr(patchUser(t, adaID, op("Remove", mp, nil)), "Remove when none is set")
		setMgr()
		noMgr(patchUser(t, adaID, op("Remove", mp, bobID)), "Remove with the id")
		setMgr()
		noMgr(patchUser(t, adaID, op("Remove", mp, []any{map[string]any{"value": bobID}})), "Remove with [{value}]")
		setMgr()
		noMgr(patchUser(t, adaID, op("Remove", "manager[value eq \""+bobID+"\"]", nil)), "Remove by filter")
		setMgr()
		noMgr(patchUser(t, adaID, op("Replace", mp, "")), "Replace with \"\"")
		setMgr()
		r := c.do(t, "PATCH", "/Users/"+adaID, `{"schemas":["`+sPatch+`"],"Operations":[{"op":"Replace","path":"`+mp+`","value":null}]}`)
		if r.status(t, http.StatusOK) {
			noMgr(r.JSON, "Replace with null")
		}
	})

	t.Run("ENTRA-PATCH-9", func(t *testing.T) {
		need(t, adaID)
		u := patchUser(t, adaID, op("replace", "", map[string]any{
			"displayName":            "Ada L.",
			"name.givenName":         "Ada",
			"name.familyName":        "Lovelace",
			sEnt + ":employeeNumber": "00413",
			"active":                 false,
		}))
		expect(t, u, "displayName", "Ada L.")
		expect(t, u, "name.givenName", "Ada")
		expect(t, u, "name.familyName", "Lovelace")
		expect(t, u, "name.formatted", "Ada L")
		expect(t, ent(u, "employeeNumber"), "", "00413")
		expect(t, ent(u, "department"), "", "R&D")
		expect(t, u, "active", false)
		if _, ok := u["name.givenName"]; ok {
			t.Error("a dotted key was stored literally")
		}
		u = patchUser(t, adaID, op("replace", "", map[string]any{"id": adaID, "name": map[string]any{"middleName": "K"}, "active": true}))
		expect(t, u, "name.middleName", "K")
		expect(t, u, "name.familyName", "Lovelace")
		r := c.do(t, "PATCH", "/Users/"+adaID, patchOps(op("replace", "", map[string]any{"id": "other-id"})))
		if r.status(t, http.StatusBadRequest) {
			r.scimError(t, http.StatusBadRequest, "mutability")
		}
	})

	t.Run("ENTRA-PATCH-10", func(t *testing.T) {
		need(t, adaID)
		patchUser(t, adaID, op("Replace", "title", "Engineer"))
		expect(t, patchUser(t, adaID, op("Remove", "title", "Manager")), "title", "Engineer")
		u := patchUser(t, adaID, op("Remove", "title", "ENGINEER"))
		if _, ok := u["title"]; ok {
			t.Errorf("title %v still set after Remove with an equal value", u["title"])
		}
		patchUser(t, adaID, op("Replace", "title", "Engineer"))
		u = patchUser(t, adaID, op("Remove", "title", nil))
		if _, ok := u["title"]; ok {
			t.Errorf("title still set after Remove")
		}
		r := c.do(t, "PATCH", "/Users/"+adaID, patchOps(op("Remove", "userName", nil)))
		if r.status(t, http.StatusBadRequest) {
			r.scimError(t, http.StatusBadRequest, "mutability")
		}
	})

	t.Run("ENTRA-PATCH-12", func(t *testing.T) {
		need(t, adaID)
		u := patchUser(t, adaID,
			op("Add", "urn:ietf:params:scim:schemas:extension:acme:2.0:User:badge", "7"),
			op("Replace", "nickname2", "x"),
			op("Replace", "title", "Skipped-around"))
		expect(t, u, "title", "Skipped-around")
		if _, ok := u["nickname2"]; ok {
			t.Error("unknown attribute stored")
		}
	})

	t.Run("ENTRA-GROUP-1", func(t *testing.T) {
		need(t, adaID)
		if !hasGroups(t, c) {
			t.Skip("no groups")
		}
		r := c.do(t, "POST", "/Groups", map[string]any{
			"schemas":     []any{sGroup, sADSCIM},
			"externalId":  "5f0c2b6e-1111-4e7e-9d2a-000000000001",
			"displayName": "Finance Ops",
			"meta":        map[string]any{"resourceType": "Group"},
		})
		if !r.status(t, http.StatusCreated) {
			return
		}
		groupID = str(r.JSON, "id")
		expect(t, r.JSON, "displayName", "Finance Ops")
		expect(t, r.JSON, "externalId", "5f0c2b6e-1111-4e7e-9d2a-000000000001")
		if r.Header.Get("Location") != str(r.JSON, "meta.location") || groupID == "" {
			t.Errorf("Location %q, meta.location %q, id %q", r.Header.Get("Location"), str(r.JSON, "meta.location"), groupID)
		}
		if m, ok := r.JSON["members"]; ok {
			if l, ok := m.([]any); !ok || len(l) != 0 {
				t.Errorf("members = %v, want absent or []", m)
			}
		}
		r = c.do(t, "POST", "/Groups", map[string]any{"schemas": []any{sGroup}, "displayName": "Empty Team", "members": []any{}})
		r.status(t, http.StatusCreated)
	})

	t.Run("ENTRA-GROUP-2", func(t *testing.T) {
		need(t, groupID)
		l := c.do(t, "GET", "/Groups?excludedAttributes=members&filter="+q(`displayName eq "FINANCE OPS"`), nil).list(t, 1)
		for _, g := range l {
			if _, ok := g["members"]; ok {
				t.Error("members present despite excludedAttributes=members")
			}
			expect(t, g, "id", groupID)
		}
		r := c.do(t, "POST", "/Groups", map[string]any{"schemas": []any{sGroup}, "displayName": "finance ops"})
		if r.status(t, http.StatusConflict) {
			r.scimError(t, http.StatusConflict, "uniqueness")
		}
	})

	patchGroup := func(t *testing.T, id string, want int, ops ...map[string]any) {
		t.Helper()
		r := c.do(t, "PATCH", "/Groups/"+id, patchOps(ops...))
		if r.Status != http.StatusNoContent && r.Status != http.StatusOK {
			t.Errorf("group PATCH: status %d, want 204 (or 200): %s", r.Status, clipBody(r.Body))
			return
		}
		if want == http.StatusNoContent && r.Status != want {
			t.Errorf("group PATCH: status %d, want 204 by default (ENTRA-GROUP-9)", r.Status)
		}
		if r.Status == http.StatusOK {
			if _, ok := r.JSON["members"]; ok {
				t.Error("group PATCH 200 response carries members (ENTRA-GROUP-9)")
			}
		}
	}
	members := func(t *testing.T) []string {
		t.Helper()
		r := c.do(t, "GET", "/Groups/"+groupID, nil)
		r.status(t, http.StatusOK)
		return memberValues(r.JSON)
	}
	wantMembers := func(t *testing.T, want ...string) {
		t.Helper()
		if got := members(t); !sameSet(got, want) {
			t.Errorf("members %v, want %v", got, want)
		}
	}

	t.Run("ENTRA-GROUP-4", func(t *testing.T) {
		need(t, groupID, adaID, mgrID, bobID)
		var nilRef any
		patchGroup(t, groupID, http.StatusNoContent, op("Add", "members", []any{
			map[string]any{"$ref": nilRef, "value": adaID}, map[string]any{"value": mgrID}}))
		wantMembers(t, adaID, mgrID)
		patchGroup(t, groupID, http.StatusNoContent, op("Add", "members", []any{map[string]any{"value": adaID}}))
		wantMembers(t, adaID, mgrID)
		r := c.do(t, "PATCH", "/Groups/"+groupID, patchOps(op("Add", "members", []any{
			map[string]any{"value": bobID}, map[string]any{"value": "ghost-1"}, map[string]any{"value": "ghost-2"}})))
		if r.status(t, http.StatusBadRequest) {
			r.scimError(t, http.StatusBadRequest, "invalidValue")
			if d := str(r.JSON, "detail"); !strings.Contains(d, "ghost-1") || !strings.Contains(d, "ghost-2") {
				t.Errorf("detail %q does not list the unknown ids", d)
			}
		}
		wantMembers(t, adaID, mgrID)
	})

	t.Run("ENTRA-GROUP-3", func(t *testing.T) {
		need(t, groupID)
		r := c.do(t, "GET", "/Groups/"+groupID+"?excludedAttributes=members", nil)
		if r.status(t, http.StatusOK) {
			if _, ok := r.JSON["members"]; ok {
				t.Error("members present despite excludedAttributes=members")
			}
			expect(t, r.JSON, "displayName", "Finance Ops")
		}
	})

	t.Run("ENTRA-USER-6", func(t *testing.T) {
		need(t, groupID, adaID)
		u := patchUser(t, adaID, op("Replace", "active", "False"))
		expect(t, u, "active", false)
		r := c.do(t, "GET", "/Users/"+adaID, nil)
		r.status(t, http.StatusOK)
		expect(t, r.JSON, "active", false)
		expect(t, r.JSON, "displayName", "Ada L.")
		c.do(t, "GET", "/Users?filter="+q(`userName eq "`+adaName+`"`), nil).list(t, 1)
		if !slices.Contains(members(t), adaID) {
			t.Error("deactivated user left its group")
		}
	})

	t.Run("ENTRA-USER-7", func(t *testing.T) {
		need(t, groupID, adaID)
		expect(t, patchUser(t, adaID, op("Replace", "active", "True")), "active", true)
		if !slices.Contains(members(t), adaID) {
			t.Error("reactivated user is not in its group")
		}
	})

	t.Run("ENTRA-GROUP-5", func(t *testing.T) {
		need(t, groupID, adaID, mgrID, bobID)
		patchGroup(t, groupID, http.StatusNoContent, op("Add", "members", []any{map[string]any{"value": bobID}}))
		wantMembers(t, adaID, mgrID, bobID)
		patchGroup(t, groupID, http.StatusNoContent, op("Remove", "members", []any{map[string]any{"$ref": nil, "value": mgrID}}))
		wantMembers(t, adaID, bobID)
		patchGroup(t, groupID, http.StatusNoContent, op("Remove", "members", []any{}))
		wantMembers(t, adaID, bobID)
		patchGroup(t, groupID, http.StatusNoContent, op("Remove", "members", []any{map[string]any{"value": "not-a-member"}}))
		wantMembers(t, adaID, bobID)
	})

	t.Run("ENTRA-GROUP-6", func(t *testing.T) {
		need(t, groupID, adaID, bobID)
		patchGroup(t, groupID, http.StatusNoContent, op("remove", `members[value eq "`+bobID+`"]`, nil))
		wantMembers(t, adaID)
		patchGroup(t, groupID, http.StatusNoContent, op("remove", `members[value eq "`+bobID+`"]`, nil))
		wantMembers(t, adaID)
	})

	t.Run("ENTRA-GROUP-7", func(t *testing.T) {
		need(t, groupID, adaID)
		patchGroup(t, groupID, http.StatusNoContent, op("Replace", "displayName", "Finance Operations"))
		r := c.do(t, "GET", "/Groups/"+groupID, nil)
		expect(t, r.JSON, "displayName", "Finance Operations")
		wantMembers(t, adaID)
	})

	t.Run("ENTRA-GROUP-8", func(t *testing.T) {
		need(t, groupID, adaID, mgrID)
		patchGroup(t, groupID, http.StatusNoContent,
			op("Replace", "displayName", "FinOps"),
			op("Add", "members", []any{map[string]any{"value": mgrID}}),
			op("Remove", "members", []any{map[string]any{"value": mgrID}}))
		r := c.do(t, "GET", "/Groups/"+groupID, nil)
		expect(t, r.JSON, "displayName", "FinOps")
		wantMembers(t, adaID)
	})

	t.Run("ENTRA-USER-8", func(t *testing.T) {
		need(t, groupID, adaID)
		r := c.do(t, "DELETE", "/Users/"+adaID, nil)
		if r.Status != http.StatusNoContent || len(r.Body) != 0 {
			t.Errorf("DELETE: status %d body %q, want 204 and no body", r.Status, r.Body)
		}
		c.do(t, "GET", "/Users/"+adaID, nil).status(t, http.StatusNotFound)
		c.do(t, "GET", "/Users?filter="+q(`userName eq "`+adaName+`"`), nil).list(t, 0)
		wantMembers(t)
		c.do(t, "DELETE", "/Users/"+adaID, nil).status(t, http.StatusNotFound)
	})

	t.Run("ENTRA-GROUP-11", func(t *testing.T) {
		need(t, groupID, bobID)
		patchGroup(t, groupID, http.StatusNoContent, op("Add", "members", []any{map[string]any{"value": bobID}}))
		r := c.do(t, "DELETE", "/Groups/"+groupID, nil)
		if r.Status != http.StatusNoContent || len(r.Body) != 0 {
			t.Errorf("DELETE group: status %d body %q, want 204 and no body", r.Status, r.Body)
		}
		c.do(t, "GET", "/Groups/"+groupID, nil).status(t, http.StatusNotFound)
		c.do(t, "GET", "/Users/"+bobID, nil).status(t, http.StatusOK)
		c.do(t, "DELETE", "/Groups/"+groupID, nil).status(t, http.StatusNotFound)
	})
}

// runEntraFlags applies the old (default) and new (aadOptscim062020) shapes of each
// ENTRA-FLAG row to two equal resources and compares the results (ENTRA-FLAG-7).
func runEntraFlags(t *testing.T, c *idp) {
	create := func(t *testing.T, userName string) string {
		t.Helper()
		body := entraCreateBody(userName, "same-ext")
		r := c.do(t, "POST", "/Users", body)
		r.status(t, http.StatusCreated)
		return str(r.JSON, "id")
	}
	// comparable returns a user's GET body without what legitimately differs.
	comparable := func(t *testing.T, id string) string {
		t.Helper()
		r := c.do(t, "GET", "/Users/"+id, nil)
		r.status(t, http.StatusOK)
		m := r.JSON
		delete(m, "id")
		delete(m, "meta")
		delete(m, "userName")
		if e, ok := m["emails"].([]any); ok {
			for _, x := range e {
				if xm, ok := x.(map[string]any); ok && xm["type"] == "work" {
					delete(xm, "value")
				}
			}
		}
		if mgr, ok := ent(m, "manager").(map[string]any); ok {
			delete(mgr, "$ref")
		}
		b, _ := json.Marshal(m)
		return string(b)
	}
	oldID := create(t, "old@contoso.example")
	newID := create(t, "new@contoso.example")
	need(t, oldID, newID)
	send := func(t *testing.T, id string, ops ...map[string]any) {
		t.Helper()
		c.do(t, "PATCH", "/Users/"+id, patchOps(ops...)).status(t, http.StatusOK)
	}
	same := func(t *testing.T) {
		t.Helper()
		if a, b := comparable(t, oldID), comparable(t, newID); a != b {
			t.Errorf("old and new shapes differ (ENTRA-FLAG-7):\nold: %s\nnew: %s", a, b)
		}
	}
	t.Run("ENTRA-FLAG-1", func(t *testing.T) {
		send(t, oldID, op("Add", "title", "Director"), op("Replace", "displayName", "Ada D"))
		send(t, newID, op("add", "title", "Director"), op("replace", "displayName", "Ada D"))
		same(t)
	})
	t.Run("ENTRA-FLAG-2", func(t *testing.T) {
		send(t, oldID, op("Replace", "active", "False"))
		send(t, newID, op("replace", "active", false))
		same(t)
		expect(t, c.do(t, "GET", "/Users/"+oldID, nil).JSON, "active", false)
	})
	t.Run("ENTRA-FLAG-3", func(t *testing.T) {
		send(t, oldID, op("Add", "nickName", "Ada"))
		send(t, newID, op("add", "nickName", "Ada"))
		same(t)
		expect(t, c.do(t, "GET", "/Users/"+newID, nil).JSON, "nickName", "Ada")
	})
	t.Run("ENTRA-FLAG-4", func(t *testing.T) {
		send(t, oldID,
			op("Replace", `emails[type eq "home"].value`, "ada@home.example"),
			op("Replace", "name.givenName", "Augusta"),
			op("Replace", "externalId", "Ext-Case-9"),
			op("Replace", sEnt+":employeeNumber", "777"))
		send(t, newID,
			op("replace", `emails[type eq "home"].value`, "ada@home.example"),
			op("replace", "", map[string]any{"name.givenName": "Augusta", "externalId": "Ext-Case-9", sEnt + ":employeeNumber": "777"}))
		same(t)
		expect(t, c.do(t, "GET", "/Users/"+newID, nil).JSON, "externalId", "Ext-Case-9")
		c.do(t, "GET", "/Users?filter="+q(`externalId eq "Ext-Case-9"`), nil).list(t, 2)
	})
	t.Run("ENTRA-FLAG-6", func(t *testing.T) {
		roles := `[{"primary":"True","type":"WindowsAzureActiveDirectoryRole","value":"{\"id\":\"x\",\"v\":1}"}]`
		send(t, oldID, op("Add", "roles", json.RawMessage(roles)))
		send(t, newID, op("add", "roles", json.RawMessage(roles)))
		same(t)
		u := c.do(t, "GET", "/Users/"+oldID, nil).JSON
		expect(t, u, "roles.0.value", `{"id":"x","v":1}`)
		expect(t, u, "roles.0.primary", true)
	})
	if !hasGroups(t, c) {
		return
	}
	t.Run("ENTRA-FLAG-5", func(t *testing.T) {
		mk := func(name string) string {
			r := c.do(t, "POST", "/Groups", map[string]any{"schemas": []any{sGroup}, "displayName": name,
				"members": []any{map[string]any{"value": oldID}, map[string]any{"value": newID}}})
			r.status(t, http.StatusCreated)
			return str(r.JSON, "id")
		}
		g1, g2 := mk("Flag Old"), mk("Flag New")
		need(t, g1, g2)
		for g, body := range map[string]map[string]any{
			g1: patchOps(op("Remove", "members", []any{map[string]any{"value": oldID}})),
			g2: patchOps(op("remove", `members[value eq "`+oldID+`"]`, nil)),
		} {
			if r := c.do(t, "PATCH", "/Groups/"+g, body); r.Status != http.StatusNoContent && r.Status != http.StatusOK {
				t.Errorf("group PATCH: status %d: %s", r.Status, clipBody(r.Body))
			}
		}
		for _, g := range []string{g1, g2} {
			got := memberValues(c.do(t, "GET", "/Groups/"+g, nil).JSON)
			if !sameSet(got, []string{newID}) {
				t.Errorf("group %s members %v, want only %s", g, got, newID)
			}
		}
	})
}
