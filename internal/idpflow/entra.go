package idpflow

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
)

// entraCreateBody is the create body of ENTRA-USER-2, as Entra ID shapes it.
func entraCreateBody(userName, externalID, displayName string) map[string]any {
	return map[string]any{
		"schemas":           []any{sUser, sEnt},
		"externalId":        externalID,
		"userName":          userName,
		"active":            true,
		"displayName":       displayName,
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

// entraFlow replays Entra ID's provisioning of one user's life cycle and one
// group's, in the order Entra sends the requests.
func entraFlow(m string) *Flow {
	f := &Flow{Name: "Entra"}
	add := func(k *Case) { f.Cases = append(f.Cases, k) }
	var adaID, mgrID, bobID, groupID string
	adaName := "ada.l." + m + "@contoso.example"
	adaExt := "ada.l." + m
	adaDisplay := "Ada L " + m
	groupName := "Finance Ops " + m

	add(&Case{ID: "ENTRA-CONN-1", Suite: "entra", Title: "a filter that matches no one answers 200 and an empty ListResponse, for users and groups", Reqs: []string{"ENTRA-CONN-1", "RFC-LIST-1", "TRAP-8"}, Consequence: "Entra's Test Connection would fail, and a running provisioning job would be quarantined.",
		Run: func(c *C) {
			r := c.do("GET", "/Users?filter="+q(`userName eq "`+randomGUID()+`"`), nil)
			if r.list(0) != nil {
				c.expect(r.JSON, "startIndex", 1)
				c.expect(r.JSON, "itemsPerPage", 0)
				if l, ok := r.JSON["Resources"].([]any); !ok || len(l) != 0 {
					c.errorf("Resources = %#v, want []", r.JSON["Resources"])
				}
			}
			if c.groups() {
				r = c.do("GET", "/Groups?excludedAttributes=members&filter="+q(`displayName eq "`+randomGUID()+`"`), nil)
				r.list(0)
			}
		}})

	add(&Case{ID: "ENTRA-CONN-2", Suite: "entra", Title: "requests without User-Agent, with unknown query parameters, a trailing or a doubled slash are served", Reqs: []string{"ENTRA-CONN-2", "TRAP-14"}, Consequence: "Entra's Test Connection would fail for a Tenant URL that ends in a slash or carries the aadOptscim062020 flag.",
		Run: func(c *C) {
			// No User-Agent (c.userAgent is empty), an unknown bare query parameter, a
			// trailing slash and a doubled slash.
			for _, p := range []string{"/Users?aadOptscim062020", "/Users/?count=1", "//Users?count=1", "/Users?count=1&aadOptscim062020&foo=bar"} {
				r := c.do("GET", p, nil)
				if r.status(http.StatusOK) && !hasString(r.JSON["schemas"], sList) {
					c.errorf("GET %s: not a ListResponse: %s", p, clip(r.Body, 600))
				}
			}
		}})

	add(&Case{ID: "ENTRA-USER-2", Suite: "entra", Title: "a user created the way Entra shapes it answers 201 with Location and every attribute stored", Reqs: []string{"ENTRA-USER-2", "ENTRA-USER-1", "RFC-ID-1", "RFC-MUT-1"}, Consequence: "Entra would record the user as failed to provision and retry it every cycle, counting toward quarantine.",
		Run: func(c *C) {
			r := c.do("POST", "/Users", entraCreateBody(adaName, adaExt, adaDisplay)).must(http.StatusCreated)
			u := r.JSON
			adaID = str(u, "id")
			if adaID == "" {
				c.fatalf("created user has no id")
			}
			if loc := r.Header.Get("Location"); loc == "" || loc != str(u, "meta.location") {
				c.errorf("Location %q, meta.location %q: want equal and non-empty", loc, str(u, "meta.location"))
			}
			if !strings.HasPrefix(str(u, "meta.location"), "http") || !strings.HasSuffix(str(u, "meta.location"), "/Users/"+adaID) {
				c.errorf("meta.location %q is not an absolute URL of /Users/%s", str(u, "meta.location"), adaID)
			}
			c.expect(u, "meta.resourceType", "User")
			for _, k := range []string{"meta.created", "meta.lastModified"} {
				if s := str(u, k); !strings.HasSuffix(s, "Z") {
					c.errorf("%s = %q, want RFC 3339 UTC with Z", k, s)
				}
			}
			c.expect(u, "userName", adaName)
			c.expect(u, "externalId", adaExt)
			c.expect(u, "active", true)
			c.expect(u, "displayName", adaDisplay)
			c.expect(u, "title", "Engineer")
			c.expect(u, "preferredLanguage", "en-GB")
			c.expect(u, "emails.0.value", adaName)
			c.expect(u, "emails.0.type", "work")
			c.expect(u, "emails.0.primary", true)
			c.expect(u, "name.givenName", "Ada")
			c.expect(u, "name.familyName", "L")
			c.expect(u, "name.formatted", "Ada L")
			c.expect(u, "phoneNumbers.0.value", "+44 7700 900123")
			c.expect(u, "phoneNumbers.0.type", "mobile")
			c.expect(u, "addresses.0.locality", "Leeds")
			c.expect(u, "addresses.0.country", "GB")
			c.expect(ent(u, "employeeNumber"), "", "00412")
			c.expect(ent(u, "department"), "", "R&D")
			c.expect(ent(u, "costCenter"), "", "CC-9")
			if !hasString(u["schemas"], sUser) || !hasString(u["schemas"], sEnt) {
				c.errorf("schemas %v, want User and Enterprise URNs", u["schemas"])
			}
			if _, ok := u["password"]; ok {
				c.errorf("response carries password")
			}

			// The manager, with the shapes of older Entra samples: explicit nulls and an
			// unknown schema URN in schemas.
			mgr := entraCreateBody("grace.h."+m+"@contoso.example", "grace.h."+m, "Grace H "+m)
			mgr["schemas"] = []any{sUser, sEnt, "urn:ietf:params:scim:schemas:extension:acme:2.0:User"}
			mgr["phoneNumbers"] = nil
			mgr[sEnt] = map[string]any{"department": "R&D", "manager": nil}
			r = c.do("POST", "/Users", mgr).must(http.StatusCreated)
			mgrID = str(r.JSON, "id")
			if _, ok := r.JSON["phoneNumbers"]; ok {
				c.errorf("phoneNumbers: null came back as %v", r.JSON["phoneNumbers"])
			}
			r = c.do("POST", "/Users", entraCreateBody("bob.k."+m+"@contoso.example", "bob.k."+m, "Bob K "+m)).must(http.StatusCreated)
			bobID = str(r.JSON, "id")
			if mgrID == "" || bobID == "" {
				c.fatalf("created user has no id")
			}
		}})

	add(&Case{ID: "ENTRA-USER-10", Suite: "entra", Title: "a second user whose userName differs only in letter case is refused with 409 uniqueness", Reqs: []string{"ENTRA-USER-10", "RFC-UNIQ-1", "TRAP-6"}, Needs: []string{"ENTRA-USER-2"}, Consequence: "Entra would provision a second account for the same person.",
		Run: func(c *C) {
			r := c.do("POST", "/Users", entraCreateBody(strings.ToUpper(adaName[:5])+adaName[5:], "other."+m, "Ada Again "+m))
			if r.status(http.StatusConflict) {
				r.scimError(http.StatusConflict, "uniqueness")
			}
			c.do("GET", "/Users?filter="+q(`userName eq "`+adaName+`"`), nil).list(1)
		}})

	add(&Case{ID: "ENTRA-USER-3", Suite: "entra", Title: "matching by userName (any case), externalId (exact case) and work email finds the user", Reqs: []string{"ENTRA-USER-3", "RFC-FILTER-2", "RFC-FILTER-3", "TRAP-7"}, Needs: []string{"ENTRA-USER-2"}, Consequence: "Entra would not find the existing account and would create a duplicate, or link the wrong person.",
		Run: func(c *C) {
			for _, f := range []string{
				`userName eq "` + adaName + `"`,
				`userName eq "` + strings.ToUpper(adaName) + `"`,
				`externalId eq "` + adaExt + `"`,
				`emails[type eq "work"].value eq "` + adaName + `"`,
			} {
				l := c.do("GET", "/Users?filter="+q(f), nil).list(1)
				if len(l) == 1 && str(l[0], "id") != adaID {
					c.errorf("filter %s matched %s, want %s", f, str(l[0], "id"), adaID)
				}
			}
			c.do("GET", "/Users?filter="+q(`externalId eq "`+strings.ToUpper(adaExt)+`"`), nil).list(0)
			c.do("GET", "/Users?filter="+q(`userName eq "nobody.`+m+`@contoso.example"`), nil).list(0)
		}})

	add(&Case{ID: "ENTRA-USER-5", Suite: "entra", Title: "GET by id answers the user with active; unknown or malformed ids answer 404", Reqs: []string{"ENTRA-USER-5"}, Needs: []string{"ENTRA-USER-2"}, Consequence: "Entra would consider the user missing and try to create it again.",
		Run: func(c *C) {
			r := c.do("GET", "/Users/"+adaID, nil)
			if r.status(http.StatusOK) {
				c.expect(r.JSON, "id", adaID)
				c.expect(r.JSON, "active", true)
			}
			for _, id := range []string{"00919288221112222", randomGUID(), "not-an-id"} {
				c.do("GET", "/Users/"+id, nil).status(http.StatusNotFound)
			}
		}})

	patchUser := func(c *C, id string, ops ...map[string]any) map[string]any {
		r := c.do("PATCH", "/Users/"+id, patchOps(ops...))
		if !r.status(http.StatusOK) {
			return nil
		}
		// ENTRA-PATCH-11: 200 with the full user.
		if str(r.JSON, "id") != id || str(r.JSON, "userName") == "" || r.JSON["meta"] == nil {
			c.errorf("PATCH response is not the full user: %s", clip(r.Body, 600))
		}
		return r.JSON
	}

	add(&Case{ID: "ENTRA-PATCH-1", Suite: "entra", Title: "PATCH op names are accepted in any letter case; an unknown op is refused with 400 invalidSyntax", Reqs: []string{"ENTRA-PATCH-1", "ENTRA-PATCH-11", "TRAP-3"}, Needs: []string{"ENTRA-USER-2"}, Consequence: "Entra's default tenants send \"Replace\" and \"Remove\": updates and deprovisioning would silently never happen.",
		Run: func(c *C) {
			for _, o := range []string{"Replace", "REPLACE", "replace", "Add", "add"} {
				u := patchUser(c, adaID, op(o, "title", "Lead "+o))
				c.expect(u, "title", "Lead "+o)
			}
			r := c.do("PATCH", "/Users/"+adaID, patchOps(op("Frobnicate", "title", "x")))
			if r.status(http.StatusBadRequest) {
				r.scimError(http.StatusBadRequest, "invalidSyntax")
			}
			u := c.do("GET", "/Users/"+adaID, nil).JSON
			c.expect(u, "title", "Lead add")
		}})

	add(&Case{ID: "ENTRA-PATCH-2", Suite: "entra", Title: "several operations in one PATCH apply in order, all or nothing", Reqs: []string{"ENTRA-PATCH-2", "RFC-PATCH-1"}, Needs: []string{"ENTRA-USER-2"}, Consequence: "A PATCH that fails halfway would leave the user in a state Entra never asked for.",
		Run: func(c *C) {
			title := str(c.do("GET", "/Users/"+adaID, nil).JSON, "title")
			u := patchUser(c, adaID,
				op("Replace", `emails[type eq "work"].value`, "a.l@contoso.example"),
				op("Replace", "name.familyName", "Lovelace"))
			c.expect(u, "emails.0.value", "a.l@contoso.example")
			c.expect(u, "name.familyName", "Lovelace")
			c.expect(u, "name.givenName", "Ada")
			// All or nothing: the second operation fails, so the first is not applied.
			r := c.do("PATCH", "/Users/"+adaID, patchOps(op("Replace", "title", "Atomic"), op("Remove", "userName", nil)))
			if r.status(http.StatusBadRequest) {
				r.scimError(http.StatusBadRequest, "mutability")
			}
			c.expect(c.do("GET", "/Users/"+adaID, nil).JSON, "title", title)
		}})

	add(&Case{ID: "ENTRA-PATCH-3", Suite: "entra", Title: "the strings \"True\" and \"False\" are accepted as Booleans; other strings are refused", Reqs: []string{"ENTRA-PATCH-3", "TRAP-15"}, Needs: []string{"ENTRA-USER-2"}, Consequence: "Entra could not disable the account, or would enable it by accident: the person keeps access.",
		Run: func(c *C) {
			c.expect(patchUser(c, adaID, op("Replace", "active", "False")), "active", false)
			c.expect(c.do("GET", "/Users/"+adaID, nil).JSON, "active", false)
			c.expect(patchUser(c, adaID, op("Replace", "active", "TRUE")), "active", true)
			c.expect(patchUser(c, adaID, op("Replace", `emails[type eq "work"].primary`, "True")), "emails.0.primary", true)
			r := c.do("PATCH", "/Users/"+adaID, patchOps(op("Replace", "active", "yes")))
			if r.status(http.StatusBadRequest) {
				r.scimError(http.StatusBadRequest, "invalidValue")
			}
			c.expect(c.do("GET", "/Users/"+adaID, nil).JSON, "active", true)
		}})

	add(&Case{ID: "ENTRA-PATCH-4", Suite: "entra", Title: "a filtered path such as phoneNumbers[type eq \"work\"].value updates that entry or appends it, touching nothing else", Reqs: []string{"ENTRA-PATCH-4", "TRAP-10"}, Needs: []string{"ENTRA-USER-2"}, Consequence: "Entra could not set a work email or phone on a user that lacks one, or the user's other entries would be lost.",
		Run: func(c *C) {
			work := str(c.do("GET", "/Users/"+adaID, nil).JSON, "emails.0.value")
			u := patchUser(c, adaID,
				op("Add", `phoneNumbers[type eq "work"].value`, "+44 113 496 0000"),
				op("Replace", `addresses[type eq "work"].locality`, "York"),
				op("Replace", `emails[type eq "other"].Value`, "ada@home.example"))
			phones, _ := u["phoneNumbers"].([]any)
			if len(phones) != 2 || str(phones[0], "value") != "+44 7700 900123" || str(phones[1], "type") != "work" || str(phones[1], "value") != "+44 113 496 0000" {
				c.errorf("phoneNumbers = %v, want the mobile entry kept and a work entry appended", phones)
			}
			c.expect(u, "addresses.0.locality", "York")
			c.expect(u, "addresses.0.country", "GB")
			emails, _ := u["emails"].([]any)
			if len(emails) != 2 || str(emails[0], "value") != work || str(emails[1], "value") != "ada@home.example" {
				c.errorf("emails = %v, want work kept and other appended", emails)
			}
		}})

	add(&Case{ID: "ENTRA-PATCH-5", Suite: "entra", Title: "simple and dotted paths replace one value; a userName change re-checks uniqueness", Reqs: []string{"ENTRA-PATCH-5", "RFC-UNIQ-1"}, Needs: []string{"ENTRA-USER-2"}, Consequence: "Entra would resend the same update every cycle, or two accounts would share one userName.",
		Run: func(c *C) {
			family := str(c.do("GET", "/Users/"+adaID, nil).JSON, "name.familyName")
			u := patchUser(c, adaID, op("Replace", "name.givenName", "Augusta"), op("Add", "nickName", "Ada"), op("Add", "nickName", "Countess"))
			c.expect(u, "name.givenName", "Augusta")
			c.expect(u, "name.familyName", family)
			c.expect(u, "nickName", "Countess")
			r := c.do("PATCH", "/Users/"+bobID, patchOps(op("Replace", "userName", strings.ToUpper(adaName))))
			if r.status(http.StatusConflict) {
				r.scimError(http.StatusConflict, "uniqueness")
			}
			u = patchUser(c, bobID, op("Replace", "userName", "bob.k2."+m+"@contoso.example"))
			c.expect(u, "userName", "bob.k2."+m+"@contoso.example")
		}})

	add(&Case{ID: "ENTRA-PATCH-6", Suite: "entra", Title: "URN-qualified enterprise paths set department, organization and division", Reqs: []string{"ENTRA-PATCH-6"}, Needs: []string{"ENTRA-USER-2"}, Consequence: "Department, employee number and the other enterprise attributes would never reach the app.",
		Run: func(c *C) {
			u := patchUser(c, bobID,
				op("Add", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department", "Retail"),
				op("Replace", "URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER:organization", "Contoso"),
				op("Add", sEnt+":division", "North"))
			c.expect(ent(u, "department"), "", "Retail")
			c.expect(ent(u, "organization"), "", "Contoso")
			c.expect(ent(u, "division"), "", "North")
			if !hasString(u["schemas"], sEnt) {
				c.errorf("schemas %v lacks the enterprise URN", u["schemas"])
			}
		}})

	add(&Case{ID: "ENTRA-PATCH-7", Suite: "entra", Title: "manager set as a bare id, an object or a one-element array is returned as {value, $ref}", Reqs: []string{"ENTRA-PATCH-7", "TRAP-11", "TRAP-18"}, Needs: []string{"ENTRA-USER-2"}, Consequence: "Entra cannot read a user whose manager comes back as a string, so that user fails to provision.",
		Run: func(c *C) {
			mp := sEnt + ":manager"
			check := func(u map[string]any, want string) {
				m, ok := ent(u, "manager").(map[string]any)
				if !ok {
					c.errorf("manager = %#v, want the complex form", ent(u, "manager"))
					return
				}
				if m["value"] != want || !strings.HasSuffix(str(m, "$ref"), "/Users/"+want) || !strings.HasPrefix(str(m, "$ref"), "http") {
					c.errorf("manager = %v, want value %s with an absolute $ref", m, want)
				}
			}
			check(patchUser(c, adaID, op("Add", mp, mgrID)), mgrID)
			check(patchUser(c, adaID, op("Replace", mp, bobID)), bobID)
			check(patchUser(c, adaID, op("Add", "manager", []any{map[string]any{"$ref": "https://h/scim/Users/" + mgrID, "value": mgrID}})), mgrID)
			check(patchUser(c, adaID, op("Replace", mp, map[string]any{"value": bobID})), bobID)
			check(c.do("GET", "/Users/"+adaID, nil).JSON, bobID)
			// An id that names no user (yet) is stored as sent; a strict server may
			// refuse it with 400 invalidValue and keep the manager it had.
			unknown := "no-such-user-" + m
			r := c.do("PATCH", "/Users/"+adaID, patchOps(op("Replace", mp, unknown)))
			switch r.Status {
			case http.StatusOK:
				check(r.JSON, unknown)
				check(patchUser(c, adaID, op("Replace", mp, bobID)), bobID)
			case http.StatusBadRequest:
				r.scimError(http.StatusBadRequest, "invalidValue")
				c.logf("an unknown manager id is refused (strict mode); Entra sends people before their managers, so such users fail")
			default:
				r.status(http.StatusOK)
			}
			check(c.do("GET", "/Users/"+adaID, nil).JSON, bobID)
		}})

	add(&Case{ID: "ENTRA-USER-4", Suite: "entra", Title: "the legacy check id eq \u2026 and manager eq \u2026&attributes=id answers List(1) or List(0) with only id", Reqs: []string{"ENTRA-USER-4"}, Needs: []string{"ENTRA-PATCH-7"}, Consequence: "Entra would judge the manager reference wrong and rewrite it on every cycle.",
		Run: func(c *C) {
			l := c.do("GET", "/Users?filter="+q(`id eq "`+adaID+`" and manager eq "`+bobID+`"`)+"&attributes=id", nil).list(1)
			if len(l) == 1 {
				for k := range l[0] {
					if k != "id" && k != "schemas" {
						c.errorf("attributes=id response has %q", k)
					}
				}
			}
			c.do("GET", "/Users?filter="+q(`id eq "`+adaID+`" and manager eq "`+mgrID+`"`)+"&attributes=id", nil).list(0)
		}})

	add(&Case{ID: "ENTRA-PATCH-8", Suite: "entra", Title: "manager is removed by every form Entra uses; a value naming another manager changes nothing", Reqs: []string{"ENTRA-PATCH-8"}, Needs: []string{"ENTRA-USER-2"}, Consequence: "A manager removed in Entra would stay on the user in the app, or the wrong one would be dropped.",
		Run: func(c *C) {
			mp := sEnt + ":manager"
			setMgr := func() { patchUser(c, adaID, op("Add", mp, bobID)) }
			noMgr := func(u map[string]any, how string) {
				if m := ent(u, "manager"); m != nil {
					c.errorf("%s: manager still %v", how, m)
				}
			}
			keeps := func(u map[string]any, how string) {
				if v := str(ent(u, "manager"), "value"); v != bobID {
					c.errorf("%s: manager %q, want %s kept", how, v, bobID)
				}
			}
			setMgr()
			keeps(patchUser(c, adaID, op("Remove", mp, mgrID)), "Remove with another id")
			keeps(patchUser(c, adaID, op("Remove", "manager[value eq \""+mgrID+"\"]", nil)), "Remove by filter of another id")
			noMgr(patchUser(c, adaID, op("Remove", mp, nil)), "Remove without value")
			noMgr(patchUser(c, adaID, op("Remove", mp, nil)), "Remove when none is set")
			setMgr()
			noMgr(patchUser(c, adaID, op("Remove", mp, bobID)), "Remove with the id")
			setMgr()
			noMgr(patchUser(c, adaID, op("Remove", mp, []any{map[string]any{"value": bobID}})), "Remove with [{value}]")
			setMgr()
			noMgr(patchUser(c, adaID, op("Remove", "manager[value eq \""+bobID+"\"]", nil)), "Remove by filter")
			setMgr()
			noMgr(patchUser(c, adaID, op("Replace", mp, "")), "Replace with \"\"")
			setMgr()
			r := c.do("PATCH", "/Users/"+adaID, `{"schemas":["`+sPatch+`"],"Operations":[{"op":"Replace","path":"`+mp+`","value":null}]}`)
			if r.status(http.StatusOK) {
				noMgr(r.JSON, "Replace with null")
			}
		}})

	add(&Case{ID: "ENTRA-PATCH-9", Suite: "entra", Title: "a path-less replace treats its keys as paths and merges complex values", Reqs: []string{"ENTRA-PATCH-9", "TRAP-12", "TRAP-13", "RFC-MUT-1"}, Needs: []string{"ENTRA-USER-2"}, Consequence: "Flag tenants and Okta send this form: keys would be stored literally or skipped, and attributes silently not updated.",
		Run: func(c *C) {
			u := patchUser(c, adaID, op("replace", "", map[string]any{
				"displayName":            adaDisplay + ".",
				"name.givenName":         "Ada",
				"name.familyName":        "Lovelace",
				sEnt + ":employeeNumber": "00413",
				"active":                 false,
			}))
			c.expect(u, "displayName", adaDisplay+".")
			c.expect(u, "name.givenName", "Ada")
			c.expect(u, "name.familyName", "Lovelace")
			c.expect(u, "name.formatted", "Ada L")
			c.expect(ent(u, "employeeNumber"), "", "00413")
			c.expect(ent(u, "department"), "", "R&D")
			c.expect(u, "active", false)
			if _, ok := u["name.givenName"]; ok {
				c.errorf("a dotted key was stored literally")
			}
			u = patchUser(c, adaID, op("replace", "", map[string]any{"id": adaID, "name": map[string]any{"middleName": "K"}, "active": true}))
			c.expect(u, "name.middleName", "K")
			c.expect(u, "name.familyName", "Lovelace")
			r := c.do("PATCH", "/Users/"+adaID, patchOps(op("replace", "", map[string]any{"id": "other-id"})))
			if r.status(http.StatusBadRequest) {
				r.scimError(http.StatusBadRequest, "mutability")
			}
		}})

	add(&Case{ID: "ENTRA-PATCH-10", Suite: "entra", Title: "Remove on a single-valued attribute clears it, or only when the value is equal; removing userName is refused", Reqs: []string{"ENTRA-PATCH-10"}, Needs: []string{"ENTRA-USER-2"}, Consequence: "Entra's removals would clear values they did not name, or fail.",
		Run: func(c *C) {
			patchUser(c, adaID, op("Replace", "title", "Engineer"))
			c.expect(patchUser(c, adaID, op("Remove", "title", "Manager")), "title", "Engineer")
			u := patchUser(c, adaID, op("Remove", "title", "ENGINEER"))
			if _, ok := u["title"]; ok {
				c.errorf("title %v still set after Remove with an equal value", u["title"])
			}
			patchUser(c, adaID, op("Replace", "title", "Engineer"))
			u = patchUser(c, adaID, op("Remove", "title", nil))
			if _, ok := u["title"]; ok {
				c.errorf("title still set after Remove")
			}
			r := c.do("PATCH", "/Users/"+adaID, patchOps(op("Remove", "userName", nil)))
			if r.status(http.StatusBadRequest) {
				r.scimError(http.StatusBadRequest, "mutability")
			}
		}})

	add(&Case{ID: "ENTRA-PATCH-12", Suite: "entra", Title: "operations on attributes the server does not know are skipped and the rest applies", Reqs: []string{"ENTRA-PATCH-12", "TRAP-9"}, Needs: []string{"ENTRA-USER-2"}, Consequence: "Every user with an extra mapped attribute would fail on every cycle, and Entra would quarantine the job.",
		Run: func(c *C) {
			u := patchUser(c, adaID,
				op("Add", "urn:ietf:params:scim:schemas:extension:acme:2.0:User:badge", "7"),
				op("Replace", "nickname2", "x"),
				op("Replace", "title", "Skipped-around"))
			c.expect(u, "title", "Skipped-around")
			if _, ok := u["nickname2"]; ok {
				c.errorf("unknown attribute stored")
			}
		}})

	add(&Case{ID: "ENTRA-GROUP-1", Suite: "entra", Title: "a group created with externalId and no members answers 201", Reqs: []string{"ENTRA-GROUP-1"}, Consequence: "Entra could not provision the group, nor any membership in it.", Groups: true,
		Run: func(c *C) {
			r := c.do("POST", "/Groups", map[string]any{
				"schemas":     []any{sGroup, sADSCIM},
				"externalId":  "5f0c2b6e-1111-4e7e-9d2a-000000000001",
				"displayName": groupName,
				"meta":        map[string]any{"resourceType": "Group"},
			}).must(http.StatusCreated)
			groupID = str(r.JSON, "id")
			if groupID == "" {
				c.fatalf("created group has no id")
			}
			c.expect(r.JSON, "displayName", groupName)
			c.expect(r.JSON, "externalId", "5f0c2b6e-1111-4e7e-9d2a-000000000001")
			if r.Header.Get("Location") != str(r.JSON, "meta.location") || groupID == "" {
				c.errorf("Location %q, meta.location %q, id %q", r.Header.Get("Location"), str(r.JSON, "meta.location"), groupID)
			}
			if m, ok := r.JSON["members"]; ok {
				if l, ok := m.([]any); !ok || len(l) != 0 {
					c.errorf("members = %v, want absent or []", m)
				}
			}
			r = c.do("POST", "/Groups", map[string]any{"schemas": []any{sGroup}, "displayName": "Empty Team " + m, "members": []any{}})
			r.status(http.StatusCreated)
		}})

	add(&Case{ID: "ENTRA-GROUP-2", Suite: "entra", Title: "displayName eq matches ignoring case and leaves out members; a duplicate name is refused with 409", Reqs: []string{"ENTRA-GROUP-2"}, Needs: []string{"ENTRA-GROUP-1"}, Consequence: "Entra would not find the group and would create a duplicate.", Groups: true,
		Run: func(c *C) {
			l := c.do("GET", "/Groups?excludedAttributes=members&filter="+q(`displayName eq "`+strings.ToUpper(groupName)+`"`), nil).list(1)
			for _, g := range l {
				if _, ok := g["members"]; ok {
					c.errorf("members present despite excludedAttributes=members")
				}
				c.expect(g, "id", groupID)
			}
			r := c.do("POST", "/Groups", map[string]any{"schemas": []any{sGroup}, "displayName": strings.ToLower(groupName)})
			if r.status(http.StatusConflict) {
				r.scimError(http.StatusConflict, "uniqueness")
			}
		}})

	patchGroup := func(c *C, id string, want int, ops ...map[string]any) {
		r := c.do("PATCH", "/Groups/"+id, patchOps(ops...))
		if r.Status != http.StatusNoContent && r.Status != http.StatusOK {
			c.errorf("group PATCH: status %d, want 204 (or 200): %s", r.Status, clip(r.Body, 600))
			return
		}
		if want == http.StatusNoContent && r.Status != want {
			c.errorf("group PATCH: status %d, want 204 by default (ENTRA-GROUP-9)", r.Status)
		}
		if r.Status == http.StatusOK {
			if _, ok := r.JSON["members"]; ok {
				c.errorf("group PATCH 200 response carries members (ENTRA-GROUP-9)")
			}
		}
	}
	members := func(c *C) []string {
		r := c.do("GET", "/Groups/"+groupID, nil)
		r.status(http.StatusOK)
		return memberValues(r.JSON)
	}
	wantMembers := func(c *C, want ...string) {
		if got := members(c); !sameSet(got, want) {
			c.errorf("members %v, want %v", got, want)
		}
	}

	add(&Case{ID: "ENTRA-GROUP-4", Suite: "entra", Title: "Add members is idempotent and accepts $ref null; unknown ids are refused with 400 listing them", Reqs: []string{"ENTRA-GROUP-4", "ENTRA-GROUP-9"}, Needs: []string{"ENTRA-GROUP-1", "ENTRA-USER-2"}, Consequence: "Memberships, and the access they grant, would not reach the app, or would be half applied.", Groups: true,
		Run: func(c *C) {
			var nilRef any
			patchGroup(c, groupID, http.StatusNoContent, op("Add", "members", []any{
				map[string]any{"$ref": nilRef, "value": adaID}, map[string]any{"value": mgrID}}))
			wantMembers(c, adaID, mgrID)
			patchGroup(c, groupID, http.StatusNoContent, op("Add", "members", []any{map[string]any{"value": adaID}}))
			wantMembers(c, adaID, mgrID)
			r := c.do("PATCH", "/Groups/"+groupID, patchOps(op("Add", "members", []any{
				map[string]any{"value": bobID}, map[string]any{"value": "ghost-1"}, map[string]any{"value": "ghost-2"}})))
			if r.status(http.StatusBadRequest) {
				r.scimError(http.StatusBadRequest, "invalidValue")
				if d := str(r.JSON, "detail"); !strings.Contains(d, "ghost-1") || !strings.Contains(d, "ghost-2") {
					c.errorf("detail %q does not list the unknown ids", d)
				}
			}
			wantMembers(c, adaID, mgrID)
		}})

	add(&Case{ID: "ENTRA-GROUP-3", Suite: "entra", Title: "GET of a group with excludedAttributes=members leaves out the members key", Reqs: []string{"ENTRA-GROUP-3"}, Needs: []string{"ENTRA-GROUP-1"}, Consequence: "Entra would download every member of every group it checks.", Groups: true,
		Run: func(c *C) {
			r := c.do("GET", "/Groups/"+groupID+"?excludedAttributes=members", nil)
			if r.status(http.StatusOK) {
				if _, ok := r.JSON["members"]; ok {
					c.errorf("members present despite excludedAttributes=members")
				}
				c.expect(r.JSON, "displayName", groupName)
			}
		}})

	add(&Case{ID: "ENTRA-USER-6", Suite: "entra", Title: "disabling a user keeps it visible, with its attributes and group memberships", Reqs: []string{"ENTRA-USER-6"}, Needs: []string{"ENTRA-GROUP-4"}, Consequence: "Memberships dropped at disable are never restored by Entra at reactivation; a hidden user is re-created in a 409 loop.", Groups: true,
		Run: func(c *C) {
			display := str(c.do("GET", "/Users/"+adaID, nil).JSON, "displayName")
			u := patchUser(c, adaID, op("Replace", "active", "False"))
			c.expect(u, "active", false)
			r := c.do("GET", "/Users/"+adaID, nil)
			r.status(http.StatusOK)
			c.expect(r.JSON, "active", false)
			c.expect(r.JSON, "displayName", display)
			c.do("GET", "/Users?filter="+q(`userName eq "`+adaName+`"`), nil).list(1)
			if !slices.Contains(members(c), adaID) {
				c.errorf("deactivated user left its group")
			}
		}})

	add(&Case{ID: "ENTRA-USER-7", Suite: "entra", Title: "re-enabling a user keeps its group memberships", Reqs: []string{"ENTRA-USER-7"}, Needs: []string{"ENTRA-USER-6"}, Consequence: "A person re-enabled in Entra would come back without their access.", Groups: true,
		Run: func(c *C) {
			c.expect(patchUser(c, adaID, op("Replace", "active", "True")), "active", true)
			if !slices.Contains(members(c), adaID) {
				c.errorf("reactivated user is not in its group")
			}
		}})

	add(&Case{ID: "ENTRA-GROUP-5", Suite: "entra", Title: "Remove members with a value list removes exactly those members", Reqs: []string{"ENTRA-GROUP-5", "TRAP-1", "TRAP-2"}, Needs: []string{"ENTRA-GROUP-4"}, Consequence: "Removing one person would empty the whole group, and everyone in it would lose access.", Groups: true,
		Run: func(c *C) {
			patchGroup(c, groupID, http.StatusNoContent, op("Add", "members", []any{map[string]any{"value": bobID}}))
			wantMembers(c, adaID, mgrID, bobID)
			patchGroup(c, groupID, http.StatusNoContent, op("Remove", "members", []any{map[string]any{"$ref": nil, "value": mgrID}}))
			wantMembers(c, adaID, bobID)
			patchGroup(c, groupID, http.StatusNoContent, op("Remove", "members", []any{}))
			wantMembers(c, adaID, bobID)
			patchGroup(c, groupID, http.StatusNoContent, op("Remove", "members", []any{map[string]any{"value": "not-a-member"}}))
			wantMembers(c, adaID, bobID)
		}})

	add(&Case{ID: "ENTRA-GROUP-6", Suite: "entra", Title: "Remove by members[value eq \"\u2026\"] removes that member; no match is a no-op", Reqs: []string{"ENTRA-GROUP-6"}, Needs: []string{"ENTRA-GROUP-5"}, Consequence: "People removed in Entra would keep their access in the app.", Groups: true,
		Run: func(c *C) {
			patchGroup(c, groupID, http.StatusNoContent, op("remove", `members[value eq "`+bobID+`"]`, nil))
			wantMembers(c, adaID)
			patchGroup(c, groupID, http.StatusNoContent, op("remove", `members[value eq "`+bobID+`"]`, nil))
			wantMembers(c, adaID)
		}})

	add(&Case{ID: "ENTRA-GROUP-7", Suite: "entra", Title: "renaming a group leaves its members untouched", Reqs: []string{"ENTRA-GROUP-7"}, Needs: []string{"ENTRA-GROUP-6"}, Consequence: "A rename in Entra would change who is in the group.", Groups: true,
		Run: func(c *C) {
			patchGroup(c, groupID, http.StatusNoContent, op("Replace", "displayName", "Finance Operations "+m))
			r := c.do("GET", "/Groups/"+groupID, nil)
			c.expect(r.JSON, "displayName", "Finance Operations "+m)
			wantMembers(c, adaID)
		}})

	add(&Case{ID: "ENTRA-GROUP-8", Suite: "entra", Title: "a rename, an Add and a Remove in one PATCH apply in order", Reqs: []string{"ENTRA-GROUP-8"}, Needs: []string{"ENTRA-GROUP-7"}, Consequence: "Membership would end up different from what Entra sent.", Groups: true,
		Run: func(c *C) {
			patchGroup(c, groupID, http.StatusNoContent,
				op("Replace", "displayName", "FinOps "+m),
				op("Add", "members", []any{map[string]any{"value": mgrID}}),
				op("Remove", "members", []any{map[string]any{"value": mgrID}}))
			r := c.do("GET", "/Groups/"+groupID, nil)
			c.expect(r.JSON, "displayName", "FinOps "+m)
			wantMembers(c, adaID)
		}})

	add(&Case{ID: "ENTRA-USER-8", Suite: "entra", Title: "DELETE answers 204; the user is then gone from GET, filters and groups", Reqs: []string{"ENTRA-USER-8", "RFC-DEL-1"}, Needs: []string{"ENTRA-GROUP-8"}, Consequence: "A person deleted in Entra would still be found, or still hold group memberships.", Groups: true,
		Run: func(c *C) {
			r := c.do("DELETE", "/Users/"+adaID, nil)
			if r.Status != http.StatusNoContent || len(r.Body) != 0 {
				c.errorf("DELETE: status %d body %q, want 204 and no body", r.Status, r.Body)
			}
			c.do("GET", "/Users/"+adaID, nil).status(http.StatusNotFound)
			c.do("GET", "/Users?filter="+q(`userName eq "`+adaName+`"`), nil).list(0)
			wantMembers(c)
			c.do("DELETE", "/Users/"+adaID, nil).status(http.StatusNotFound)
		}})

	add(&Case{ID: "ENTRA-GROUP-11", Suite: "entra", Title: "deleting a group answers 204 and keeps its member users", Reqs: []string{"ENTRA-GROUP-11"}, Needs: []string{"ENTRA-GROUP-1", "ENTRA-USER-2"}, Consequence: "Deleting a group in Entra would leave it in the app, or delete its users with it.", Groups: true,
		Run: func(c *C) {
			patchGroup(c, groupID, http.StatusNoContent, op("Add", "members", []any{map[string]any{"value": bobID}}))
			r := c.do("DELETE", "/Groups/"+groupID, nil)
			if r.Status != http.StatusNoContent || len(r.Body) != 0 {
				c.errorf("DELETE group: status %d body %q, want 204 and no body", r.Status, r.Body)
			}
			c.do("GET", "/Groups/"+groupID, nil).status(http.StatusNotFound)
			c.do("GET", "/Users/"+bobID, nil).status(http.StatusOK)
			c.do("DELETE", "/Groups/"+groupID, nil).status(http.StatusNotFound)
		}})
	return f
}

// entraFlagFlow applies the old (default) and new (aadOptscim062020) shapes of
// each ENTRA-FLAG row to two equal resources and compares the results.
func entraFlagFlow(m string) *Flow {
	f := &Flow{Name: "EntraFlagEquivalence"}
	add := func(k *Case) { f.Cases = append(f.Cases, k) }
	var oldID, newID string
	ext := "Ext-Case-9-" + m
	create := func(c *C, userName string) string {
		body := entraCreateBody(userName, "same-ext-"+m, "Ada Flag "+m)
		id := str(c.do("POST", "/Users", body).must(http.StatusCreated).JSON, "id")
		if id == "" {
			c.fatalf("created user has no id")
		}
		return id
	}
	// comparable returns a user's GET body without what legitimately differs.
	comparable := func(c *C, id string) string {
		r := c.do("GET", "/Users/"+id, nil)
		r.status(http.StatusOK)
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
	send := func(c *C, id string, ops ...map[string]any) {
		c.do("PATCH", "/Users/"+id, patchOps(ops...)).status(http.StatusOK)
	}
	same := func(c *C) {
		if a, b := comparable(c, oldID), comparable(c, newID); a != b {
			c.errorf("old and new shapes differ (ENTRA-FLAG-7):\nold: %s\nnew: %s", a, b)
		}
	}
	add(&Case{ID: "ENTRA-FLAG-7", Suite: "entra", Title: "two equal users are created for comparing the default and the aadOptscim062020 request shapes", Reqs: []string{"ENTRA-FLAG-7"}, Consequence: "The equivalence checks of the two Entra request shapes cannot run.",
		Run: func(c *C) {
			oldID = create(c, "old."+m+"@contoso.example")
			newID = create(c, "new."+m+"@contoso.example")
			same(c)
		}})
	add(&Case{ID: "ENTRA-FLAG-1", Suite: "entra", Title: "Add/Replace and add/replace give the same result", Reqs: []string{"ENTRA-FLAG-1", "ENTRA-FLAG-7"}, Needs: []string{"ENTRA-FLAG-7"}, Consequence: "Tenants with and without the compliance flag would write different data.",
		Run: func(c *C) {
			send(c, oldID, op("Add", "title", "Director"), op("Replace", "displayName", "Ada D "+m))
			send(c, newID, op("add", "title", "Director"), op("replace", "displayName", "Ada D "+m))
			same(c)
		}})
	add(&Case{ID: "ENTRA-FLAG-2", Suite: "entra", Title: "disabling with \"False\" and with false gives the same result", Reqs: []string{"ENTRA-FLAG-2", "ENTRA-FLAG-7"}, Needs: []string{"ENTRA-FLAG-7"}, Consequence: "One of the two kinds of tenant could not disable users.",
		Run: func(c *C) {
			send(c, oldID, op("Replace", "active", "False"))
			send(c, newID, op("replace", "active", false))
			same(c)
			c.expect(c.do("GET", "/Users/"+oldID, nil).JSON, "active", false)
		}})
	add(&Case{ID: "ENTRA-FLAG-3", Suite: "entra", Title: "Add on a single-valued attribute sets it in both shapes", Reqs: []string{"ENTRA-FLAG-3", "ENTRA-FLAG-7"}, Needs: []string{"ENTRA-FLAG-7"}, Consequence: "One of the two kinds of tenant could not set the attribute.",
		Run: func(c *C) {
			send(c, oldID, op("Add", "nickName", "Ada"))
			send(c, newID, op("add", "nickName", "Ada"))
			same(c)
			c.expect(c.do("GET", "/Users/"+newID, nil).JSON, "nickName", "Ada")
		}})
	add(&Case{ID: "ENTRA-FLAG-4", Suite: "entra", Title: "per-path Replaces and one path-less replace give the same user; externalId is kept exact", Reqs: []string{"ENTRA-FLAG-4", "ENTRA-FLAG-7"}, Needs: []string{"ENTRA-FLAG-7"}, Consequence: "Users would differ depending on whether Entra ran a scheduled cycle or on-demand provisioning.",
		Run: func(c *C) {
			send(c, oldID,
				op("Replace", `emails[type eq "home"].value`, "ada@home.example"),
				op("Replace", "name.givenName", "Augusta"),
				op("Replace", "externalId", ext),
				op("Replace", sEnt+":employeeNumber", "777"))
			send(c, newID,
				op("replace", `emails[type eq "home"].value`, "ada@home.example"),
				op("replace", "", map[string]any{"name.givenName": "Augusta", "externalId": ext, sEnt + ":employeeNumber": "777"}))
			same(c)
			c.expect(c.do("GET", "/Users/"+newID, nil).JSON, "externalId", ext)
			c.do("GET", "/Users?filter="+q(`externalId eq "`+ext+`"`), nil).list(2)
		}})
	add(&Case{ID: "ENTRA-FLAG-6", Suite: "entra", Title: "roles are stored verbatim from both shapes", Reqs: []string{"ENTRA-FLAG-6", "ENTRA-FLAG-7"}, Needs: []string{"ENTRA-FLAG-7"}, Consequence: "App roles assigned in Entra would be lost or mangled.",
		Run: func(c *C) {
			roles := `[{"primary":"True","type":"WindowsAzureActiveDirectoryRole","value":"{\"id\":\"x\",\"v\":1}"}]`
			send(c, oldID, op("Add", "roles", json.RawMessage(roles)))
			send(c, newID, op("add", "roles", json.RawMessage(roles)))
			same(c)
			u := c.do("GET", "/Users/"+oldID, nil).JSON
			c.expect(u, "roles.0.value", `{"id":"x","v":1}`)
			c.expect(u, "roles.0.primary", true)
		}})
	add(&Case{ID: "ENTRA-FLAG-5", Suite: "entra", Title: "removing a member by value list and by filter path both remove only that member", Reqs: []string{"ENTRA-FLAG-5", "ENTRA-FLAG-7", "TRAP-1"}, Needs: []string{"ENTRA-FLAG-7"}, Consequence: "Depending on the tenant's flag, removing one person would empty the group or do nothing.", Groups: true,
		Run: func(c *C) {
			mk := func(name string) string {
				r := c.do("POST", "/Groups", map[string]any{"schemas": []any{sGroup}, "displayName": name,
					"members": []any{map[string]any{"value": oldID}, map[string]any{"value": newID}}})
				id := str(r.must(http.StatusCreated).JSON, "id")
				if id == "" {
					c.fatalf("created group has no id")
				}
				return id
			}
			g1, g2 := mk("Flag Old "+m), mk("Flag New "+m)
			for g, body := range map[string]map[string]any{
				g1: patchOps(op("Remove", "members", []any{map[string]any{"value": oldID}})),
				g2: patchOps(op("remove", `members[value eq "`+oldID+`"]`, nil)),
			} {
				if r := c.do("PATCH", "/Groups/"+g, body); r.Status != http.StatusNoContent && r.Status != http.StatusOK {
					c.errorf("group PATCH: status %d: %s", r.Status, clip(r.Body, 600))
				}
			}
			for _, g := range []string{g1, g2} {
				got := memberValues(c.do("GET", "/Groups/"+g, nil).JSON)
				if !sameSet(got, []string{newID}) {
					c.errorf("group %s members %v, want only %s", g, got, newID)
				}
			}
		}})
	return f
}
