package idpflow

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
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

// oktaFlow replays Okta's provisioning and its SCIM 2.0 SPEC test suite, in the
// order Okta sends the requests.
func oktaFlow(m string) *Flow {
	f := &Flow{Name: "Okta", UserAgent: "Okta SCIM Client 1.0.0"}
	add := func(k *Case) { f.Cases = append(f.Cases, k) }
	var seedID, specID, u2, u3, groupID string
	seed := "ada." + m + "@corp.example"
	specUser := "okta.spec." + m + "@example.com"
	groupName := "Design " + m

	add(&Case{ID: "OKTA-CONN-1", Suite: "okta", Title: "GET /Users?startIndex=1&count=2 answers a ListResponse", Reqs: []string{"OKTA-CONN-1", "RFC-LIST-1"}, Consequence: "Okta's Test API Credentials would fail and the integration could not be saved.",
		Run: func(c *C) {
			// Existing users are fine: the connector test only needs the list.
			l := c.do("GET", "/Users?startIndex=1&count=2", nil).list(-1)
			if len(l) > 2 {
				c.errorf("count=2 answered %d resources", len(l))
			}
		}})

	add(&Case{ID: "OKTA-USER-3", Suite: "okta", Title: "a user created the way Okta shapes it answers 201 with the full user and no password; a duplicate gets 409", Reqs: []string{"OKTA-USER-3", "RFC-ATTR-3", "RFC-UNIQ-1"}, Consequence: "Okta reports the create as failed (an empty or partial user) and retries it.",
		Run: func(c *C) {
			r := c.do("POST", "/Users", oktaCreateBody(seed, "Ada", "L "+m)).must(http.StatusCreated)
			seedID = str(r.JSON, "id")
			if seedID == "" {
				c.fatalf("created user has no id")
			}
			for k, want := range map[string]any{"userName": seed, "name.givenName": "Ada", "name.familyName": "L " + m,
				"emails.0.value": seed, "displayName": "Ada L " + m, "locale": "en-US", "externalId": "00u1ab2CD3ef4GH5i6", "active": true} {
				c.expect(r.JSON, k, want)
			}
			if strings.Contains(string(r.Body), "tmp-8Jq2") || r.JSON["password"] != nil {
				c.errorf("the response carries the password")
			}
			r = c.do("POST", "/Users", oktaCreateBody(strings.ToUpper(seed[:3])+seed[3:], "Ada", "Again "+m))
			if r.status(http.StatusConflict) {
				r.scimError(http.StatusConflict, "uniqueness")
			}
		}})

	add(&Case{ID: "OKTA-CONN-2", Suite: "okta", Title: "a user created with only the core schema is returned with only the core schema", Reqs: []string{"OKTA-CONN-2"}, Needs: []string{"OKTA-USER-3"}, Consequence: "The user Okta reads back would carry an extension it never sent, so Okta's view and the app's differ.",
		Run: func(c *C) {
			// Okta sends only the core schema: the response lists only it, and no
			// enterprise extension appears for a user without enterprise data.
			for _, r := range []*response{c.do("GET", "/Users/"+seedID, nil), c.do("GET", "/Users?filter="+q(`userName eq "`+seed+`"`), nil)} {
				u := r.JSON
				if l, ok := u["Resources"].([]any); ok && len(l) == 1 {
					u, _ = l[0].(map[string]any)
				}
				if l, _ := u["schemas"].([]any); len(l) != 1 || l[0] != sUser {
					c.errorf("schemas %v, want only %s", u["schemas"], sUser)
				}
				if _, ok := u[sEnt]; ok {
					c.errorf("an enterprise extension appeared: %v", u[sEnt])
				}
			}
		}})

	add(&Case{ID: "OKTA-USER-1", Suite: "okta", Title: "the user has userName, names, emails and a Boolean active; multi-valued attributes have one primary and no repeats", Reqs: []string{"OKTA-USER-1"}, Needs: []string{"OKTA-USER-3"}, Consequence: "Okta would refuse to import or update the user.",
		Run: func(c *C) {
			r := c.do("GET", "/Users/"+seedID, nil)
			if !r.status(http.StatusOK) {
				return
			}
			u := r.JSON
			c.expect(u, "id", seedID)
			if strings.Contains(strings.ToLower(seedID), "bulkid") {
				c.errorf("id %q contains bulkId", seedID)
			}
			if _, ok := u["active"].(bool); !ok {
				c.errorf("active = %#v, want a Boolean", u["active"])
			}
			for _, k := range []string{"userName", "name.givenName", "name.familyName"} {
				if str(u, k) == "" {
					c.errorf("%s is empty", k)
				}
			}
			onePrimary(c, u, "emails", 1)
			// A repeated (value, type) pair is merged, not stored twice; the primary
			// stays single.
			grace := "grace." + m + "@corp.example"
			body := oktaCreateBody(grace, "Grace", "H "+m)
			body["emails"] = []any{
				map[string]any{"primary": true, "value": grace, "type": "work"},
				map[string]any{"value": grace, "type": "work"},
				map[string]any{"value": "g@home.example", "type": "home", "primary": true},
			}
			body["phoneNumbers"] = []any{map[string]any{"value": "+1 555 0100", "type": "mobile", "primary": true}, map[string]any{"value": "+1 555 0100", "type": "mobile"}}
			r = c.do("POST", "/Users", body)
			if r.status(http.StatusCreated) {
				onePrimary(c, r.JSON, "emails", 2)
				onePrimary(c, r.JSON, "phoneNumbers", 1)
				c.expect(r.JSON, "emails.0.value", grace)
				c.expect(r.JSON, "emails.0.primary", true)
				c.do("DELETE", "/Users/"+str(r.JSON, "id"), nil)
			}
		}})

	// The SCIM 2.0 SPEC test suite, in order (OKTA-SPEC-13).
	add(&Case{ID: "OKTA-SPEC-1", Suite: "okta-spec", Title: "GET /Users?count=1&startIndex=1 answers one user with id, names, userName, emails and active", Reqs: []string{"OKTA-SPEC-1", "OKTA-SPEC-13", "RFC-LIST-1"}, Needs: []string{"OKTA-USER-3"}, Consequence: "Okta's SCIM SPEC test, required for an Okta Integration Network listing, fails on this row.",
		Run: func(c *C) {
			r := c.do("GET", "/Users?count=1&startIndex=1", nil)
			l := r.list(-1)
			if len(l) != 1 || num(r.JSON["totalResults"]) < 1 {
				c.fatalf("got %d resources of totalResults %v, want 1 of at least 1", len(l), r.JSON["totalResults"])
			}
			u := l[0]
			for _, k := range []string{"id", "name.familyName", "name.givenName", "userName", "emails.0.value"} {
				if str(u, k) == "" {
					c.errorf("Resources[0].%s is empty", k)
				}
			}
			if _, ok := u["active"].(bool); !ok {
				c.errorf("Resources[0].active = %#v, want a Boolean", u["active"])
			}
		}})

	add(&Case{ID: "OKTA-SPEC-2", Suite: "okta-spec", Title: "GET /Users/<id> answers that user with its names, userName and emails", Reqs: []string{"OKTA-SPEC-2", "OKTA-SPEC-13"}, Needs: []string{"OKTA-USER-3"}, Consequence: "Okta's SCIM SPEC test fails on this row.",
		Run: func(c *C) {
			r := c.do("GET", "/Users/"+seedID, nil)
			if r.status(http.StatusOK) {
				c.expect(r.JSON, "id", seedID)
				for _, k := range []string{"name.familyName", "name.givenName", "userName", "emails.0.value"} {
					if str(r.JSON, k) == "" {
						c.errorf("%s is empty", k)
					}
				}
			}
		}})

	add(&Case{ID: "OKTA-SPEC-3", Suite: "okta-spec", Title: "a filter on an unknown userName answers List(0)", Reqs: []string{"OKTA-SPEC-3", "OKTA-SPEC-13"}, Consequence: "Okta's SCIM SPEC test fails, and Okta could not tell that a user is new.",
		Run: func(c *C) {
			c.do("GET", "/Users?filter="+q(`userName eq "unknown.`+randomGUID()[:8]+`.`+m+`@example.com"`), nil).list(0)
		}})

	add(&Case{ID: "OKTA-SPEC-4", Suite: "okta-spec", Title: "GET of an id the server never issued answers a SCIM 404", Reqs: []string{"OKTA-SPEC-4", "OKTA-SPEC-13", "RFC-ERR-1"}, Consequence: "Okta's SCIM SPEC test fails on this row.",
		Run: func(c *C) {
			c.do("GET", "/Users/010101001010101011001010101011", nil).status(http.StatusNotFound)
		}})

	add(&Case{ID: "OKTA-SPEC-5", Suite: "okta-spec", Title: "a filter on a random userName answers List(0)", Reqs: []string{"OKTA-SPEC-5", "OKTA-SPEC-13"}, Consequence: "Okta's SCIM SPEC test fails, and Okta could not tell that a user is new.",
		Run: func(c *C) {
			c.do("GET", "/Users?filter="+q(`userName eq "`+randomGUID()+`@example.com"`), nil).list(0)
		}})

	specBody := `{"schemas":["` + sUser + `"],"userName":"` + specUser + `","name":{"givenName":"Spec","familyName":"Tester"},` +
		`"emails":[{"primary":true,"value":"` + specUser + `","type":"work"}],"displayName":"Spec Tester ` + m + `","active":true}`

	add(&Case{ID: "OKTA-SPEC-6", Suite: "okta-spec", Title: "POST /Users with Content-Type application/json answers 201 with the user as sent", Reqs: []string{"OKTA-SPEC-6", "OKTA-SPEC-13", "RFC-CT-2"}, Consequence: "Okta's SCIM SPEC test fails, and user creation from Okta would fail.",
		Run: func(c *C) {
			r := c.do("POST", "/Users", specBody, "Content-Type", "application/json", "Accept", "application/scim+json; charset=utf-8").must(http.StatusCreated)
			specID = str(r.JSON, "id")
			c.expect(r.JSON, "active", true)
			c.expect(r.JSON, "userName", specUser)
			c.expect(r.JSON, "name.givenName", "Spec")
			c.expect(r.JSON, "name.familyName", "Tester")
			if specID == "" {
				c.fatalf("created user has no id")
			}
			if !hasString(r.JSON["schemas"], sUser) {
				c.errorf("schemas %v lacks %s", r.JSON["schemas"], sUser)
			}
		}})

	add(&Case{ID: "OKTA-SPEC-7", Suite: "okta-spec", Title: "GET of the new user answers its userName and names", Reqs: []string{"OKTA-SPEC-7", "OKTA-SPEC-13"}, Needs: []string{"OKTA-SPEC-6"}, Consequence: "Okta's SCIM SPEC test fails on this row.",
		Run: func(c *C) {
			r := c.do("GET", "/Users/"+specID, nil)
			if r.status(http.StatusOK) {
				c.expect(r.JSON, "userName", specUser)
				c.expect(r.JSON, "name.givenName", "Spec")
				c.expect(r.JSON, "name.familyName", "Tester")
			}
		}})

	add(&Case{ID: "OKTA-SPEC-8", Suite: "okta-spec", Title: "creating the same user again answers 409", Reqs: []string{"OKTA-SPEC-8", "OKTA-SPEC-13", "RFC-UNIQ-1"}, Needs: []string{"OKTA-SPEC-6"}, Consequence: "Okta's SCIM SPEC test fails, and Okta would create duplicate accounts.",
		Run: func(c *C) {
			r := c.do("POST", "/Users", specBody, "Content-Type", "application/json")
			if r.status(http.StatusConflict) {
				r.scimError(http.StatusConflict, "uniqueness") // RFC-UNIQ-1; the suite checks the status
			}
		}})

	add(&Case{ID: "OKTA-SPEC-9", Suite: "okta-spec", Title: "a filter on the userName in upper case finds the user", Reqs: []string{"OKTA-SPEC-9", "OKTA-SPEC-13", "RFC-FILTER-2"}, Needs: []string{"OKTA-SPEC-6"}, Consequence: "Okta's SCIM SPEC test fails, and Okta would not match users whose case differs.",
		Run: func(c *C) {
			l := c.do("GET", "/Users?filter="+q(`userName eq "`+strings.ToUpper(specUser)+`"`), nil).list(1)
			if len(l) == 1 {
				c.expect(l[0], "id", specID)
			}
		}})

	add(&Case{ID: "OKTA-SPEC-10", Suite: "okta-spec", Title: "GET /Groups answers within 600 ms with a Resources array", Reqs: []string{"OKTA-SPEC-10", "OKTA-SPEC-13"}, Consequence: "Okta's SCIM SPEC test fails on its optional groups row.",
		Run: func(c *C) {
			start := time.Now()
			r := c.do("GET", "/Groups", nil)
			if d := time.Since(start); d > 600*time.Millisecond {
				c.errorf("GET /Groups took %v, Okta allows 600ms", d)
			}
			if r.Status == http.StatusNotFound {
				c.skip("the server does not serve /Groups (this row of the suite is optional)")
			}
			r.status(http.StatusOK)
			if _, ok := r.JSON["Resources"].([]any); !ok {
				c.errorf("Resources = %#v, want an array", r.JSON["Resources"])
			}
		}})

	add(&Case{ID: "OKTA-SPEC-11", Suite: "okta-spec", Title: "a request with Authorization: non-token answers a SCIM 401 with a Bearer challenge", Reqs: []string{"OKTA-SPEC-11", "OKTA-SPEC-13", "AUTH-2"}, Consequence: "Okta's SCIM SPEC test fails, and a misconfigured token would not be reported as one.",
		Run: func(c *C) {
			r := c.do("GET", "/Users?filter="+q(`userName eq "`+specUser+`"`), nil, "Authorization", "non-token")
			r.status(http.StatusUnauthorized)
			if !strings.EqualFold(strings.Fields(r.Header.Get("WWW-Authenticate") + " x")[0], "Bearer") {
				c.errorf("WWW-Authenticate %q, want a Bearer challenge (AUTH-2)", r.Header.Get("WWW-Authenticate"))
			}
		}})

	add(&Case{ID: "OKTA-SPEC-12", Suite: "okta-spec", Title: "GET /Users/00919288221112222 answers a SCIM 404 with status \"404\"", Reqs: []string{"OKTA-SPEC-12", "OKTA-SPEC-13", "RFC-ERR-1"}, Consequence: "Okta's SCIM SPEC test fails on this row.",
		Run: func(c *C) {
			c.do("GET", "/Users/00919288221112222", nil).status(http.StatusNotFound)
		}})

	add(&Case{ID: "OKTA-USER-2", Suite: "okta", Title: "the existence check userName eq \u2026 with startIndex and count finds the user ignoring case", Reqs: []string{"OKTA-USER-2"}, Needs: []string{"OKTA-USER-3"}, Consequence: "Okta would not find the existing account and would try to create a duplicate.",
		Run: func(c *C) {
			l := c.do("GET", "/Users?filter="+pathEscape(`userName eq "`+strings.ToUpper(seed[:1])+seed[1:4]+strings.ToUpper(seed[4:5])+seed[5:]+`"`)+"&startIndex=1&count=100", nil).list(1)
			if len(l) == 1 {
				c.expect(l[0], "id", seedID)
			}
			c.do("GET", "/Users?filter="+pathEscape(`userName eq "nobody.`+m+`@corp.example"`)+"&startIndex=1&count=100", nil).list(0)
		}})

	add(&Case{ID: "OKTA-USER-4", Suite: "okta", Title: "paging with startIndex and count returns every user once, in the same order as one full page", Reqs: []string{"OKTA-USER-4", "RFC-PAGE-2", "RFC-LIST-1"}, Consequence: "Okta's import would miss some users and see others twice.", Exclusive: true,
		Run: func(c *C) {
			// Existing users are fine: the check compares the first pageWindow users
			// read one page at a time with the same users read in one page.
			const pageWindow = 50
			for i := range 5 {
				name := fmt.Sprintf("page%d.%s@corp.example", i, m)
				c.do("POST", "/Users", oktaCreateBody(name, "Page", strconv.Itoa(i)+" "+m)).must(http.StatusCreated)
				c.do("GET", "/Users?filter="+q(`userName eq "`+name+`"`), nil).list(1)
			}
			c.do("GET", "/Users", nil).list(-1) // startIndex and count are optional
			r := c.do("GET", "/Users?startIndex=1&count="+strconv.Itoa(pageWindow), nil)
			full := r.list(-1)
			total := num(r.JSON["totalResults"])
			if total < 5 || len(full) < min(total, pageWindow) {
				c.fatalf("totalResults %d with %d resources for count=%d, after creating 5 users", total, len(full), pageWindow)
			}
			var paged []string
			for start := 1; start <= len(full); start += 2 {
				r := c.do("GET", "/Users?startIndex="+strconv.Itoa(start)+"&count=2", nil)
				page := r.list(total)
				c.expect(r.JSON, "startIndex", start)
				for _, u := range page {
					paged = append(paged, str(u, "id"))
				}
			}
			for i, u := range full {
				if i >= len(paged) {
					c.fatalf("paging with count=2 returned %d users, one page of %d returned %d", len(paged), pageWindow, len(full))
				}
				if str(u, "id") != paged[i] {
					c.errorf("position %d: paged %s, one page %s (RFC-PAGE-2)", i+1, paged[i], str(u, "id"))
				}
			}
			r = c.do("GET", "/Users?startIndex="+strconv.Itoa(total+1)+"&count=100", nil)
			if l := r.list(total); len(l) != 0 {
				c.errorf("startIndex past the end answered %d resources, want none", len(l))
			}
		}})

	add(&Case{ID: "OKTA-USER-5", Suite: "okta", Title: "PUT of the whole user replaces what it carries and keeps what it leaves out; PUT never creates", Reqs: []string{"OKTA-USER-5", "RFC-PUT-1"}, Needs: []string{"OKTA-USER-3"}, Consequence: "Profile updates from Okta apps that use PUT would fail or wipe attributes.",
		Run: func(c *C) {
			r := c.do("PUT", "/Users/"+seedID, map[string]any{
				"schemas": []any{sUser}, "id": seedID, "userName": seed,
				"name":   map[string]any{"givenName": "Ada", "middleName": "K", "familyName": "L " + m},
				"emails": []any{map[string]any{"primary": true, "value": seed, "type": "work", "display": seed}},
				"groups": []any{}, "meta": map[string]any{"resourceType": "User"},
			})
			if r.status(http.StatusOK) {
				c.expect(r.JSON, "name.middleName", "K")
				c.expect(r.JSON, "emails.0.display", seed)
				c.expect(r.JSON, "active", true) // absent in the body: kept (RFC-PUT-1)
				c.expect(r.JSON, "locale", "en-US")
			}
			c.do("PUT", "/Users/"+randomGUID(), map[string]any{"schemas": []any{sUser}, "userName": "ghost." + m + "@corp.example"}).status(http.StatusNotFound)
		}})

	add(&Case{ID: "OKTA-USER-6", Suite: "okta", Title: "a path-less PATCH or a PUT with active false deactivates the user, who stays readable", Reqs: []string{"OKTA-USER-6", "TRAP-12"}, Needs: []string{"OKTA-USER-3"}, Consequence: "A person deactivated in Okta would keep access to the app.",
		Run: func(c *C) {
			r := c.do("PATCH", "/Users/"+seedID, patchOps(op("replace", "", map[string]any{"active": false})))
			if r.status(http.StatusOK) {
				c.expect(r.JSON, "active", false)
			}
			r = c.do("GET", "/Users/"+seedID, nil).must(http.StatusOK)
			c.expect(r.JSON, "active", false)
			// AIW apps deactivate by PUT.
			u := r.JSON
			if u == nil {
				c.fatalf("GET answered no user to PUT back")
			}
			u["active"] = true
			c.do("PUT", "/Users/"+seedID, u).status(http.StatusOK)
			u["active"] = false
			r = c.do("PUT", "/Users/"+seedID, u)
			if r.status(http.StatusOK) {
				c.expect(r.JSON, "active", false)
			}
		}})

	add(&Case{ID: "OKTA-USER-7", Suite: "okta", Title: "a path-less PATCH with active true reactivates the user", Reqs: []string{"OKTA-USER-7"}, Needs: []string{"OKTA-USER-6"}, Consequence: "A person reactivated in Okta would stay locked out.",
		Run: func(c *C) {
			r := c.do("PATCH", "/Users/"+seedID, patchOps(op("replace", "", map[string]any{"active": true})))
			if r.status(http.StatusOK) {
				c.expect(r.JSON, "active", true)
			}
			c.expect(c.do("GET", "/Users/"+seedID, nil).JSON, "active", true)
		}})

	add(&Case{ID: "OKTA-USER-8", Suite: "okta", Title: "a password PATCH, path-less or with a path, succeeds and never echoes the password", Reqs: []string{"OKTA-USER-8", "RFC-ATTR-3"}, Needs: []string{"OKTA-USER-3"}, Consequence: "Password sync would fail, or the password would leak in a response.",
		Run: func(c *C) {
			for _, o := range []map[string]any{
				op("replace", "", map[string]any{"password": "n3w-Secret!"}),
				op("replace", "password", "n3w-Secret!2"),
			} {
				r := c.do("PATCH", "/Users/"+seedID, patchOps(o))
				if r.status(http.StatusOK) && (strings.Contains(string(r.Body), "n3w-Secret") || r.JSON["password"] != nil) {
					c.errorf("the response carries the password")
				}
			}
		}})

	mkUser := func(c *C, name string) string {
		id := str(c.do("POST", "/Users", oktaCreateBody(name, "Member", name)).must(http.StatusCreated).JSON, "id")
		if id == "" {
			c.fatalf("created user has no id")
		}
		return id
	}

	add(&Case{ID: "OKTA-GROUP-1", Suite: "okta", Title: "a pushed group with members [] answers 201 with members []", Reqs: []string{"OKTA-GROUP-1"}, Consequence: "Okta's group push would fail.", Groups: true,
		Run: func(c *C) {
			u2, u3 = mkUser(c, "u2."+m+"@corp.example"), mkUser(c, "u3."+m+"@corp.example")
			r := c.do("POST", "/Groups", map[string]any{"schemas": []any{sGroup}, "displayName": groupName, "members": []any{}}).must(http.StatusCreated)
			groupID = str(r.JSON, "id")
			if groupID == "" {
				c.fatalf("created group has no id")
			}
			c.expect(r.JSON, "displayName", groupName)
			if l, ok := r.JSON["members"].([]any); !ok || len(l) != 0 {
				c.errorf("members = %#v, want []", r.JSON["members"])
			}
			if r.JSON["meta"] == nil {
				c.errorf("created group lacks meta")
			}
		}})

	groupPatch := func(c *C, ops ...map[string]any) {
		r := c.do("PATCH", "/Groups/"+groupID, patchOps(ops...))
		if r.Status != http.StatusNoContent && r.Status != http.StatusOK {
			c.errorf("group PATCH: status %d: %s", r.Status, clip(r.Body, 600))
		}
	}
	wantMembers := func(c *C, want ...string) {
		got := memberValues(c.do("GET", "/Groups/"+groupID, nil).JSON)
		if !sameSet(got, want) {
			c.errorf("members %v, want %v", got, want)
		}
	}

	add(&Case{ID: "OKTA-GROUP-2", Suite: "okta", Title: "a path-less replace of id and displayName is a no-op for an unchanged name and keeps members", Reqs: []string{"OKTA-GROUP-2", "TRAP-4", "TRAP-12"}, Needs: []string{"OKTA-GROUP-1", "OKTA-USER-3"}, Consequence: "Okta would mark the push failed and stop pushing membership, or the group would be emptied.", Groups: true,
		Run: func(c *C) {
			before := c.do("GET", "/Groups/"+groupID, nil).JSON
			groupPatch(c, op("replace", "", map[string]any{"id": groupID, "displayName": groupName}))
			after := c.do("GET", "/Groups/"+groupID, nil).JSON
			for _, k := range []string{"meta.lastModified", "meta.version"} {
				if str(before, k) != str(after, k) {
					c.errorf("the unchanged name changed %s from %q to %q (want a no-op)", k, str(before, k), str(after, k))
				}
			}
			groupPatch(c, op("add", "members", []any{map[string]any{"value": seedID, "display": seed}}))
			groupPatch(c, op("replace", "", map[string]any{"id": groupID, "displayName": groupName + " Team"}))
			wantMembers(c, seedID)
			c.expect(c.do("GET", "/Groups/"+groupID, nil).JSON, "displayName", groupName+" Team")
		}})

	add(&Case{ID: "OKTA-GROUP-3", Suite: "okta", Title: "a remove by filter and an add in one PATCH apply in order", Reqs: []string{"OKTA-GROUP-3"}, Needs: []string{"OKTA-GROUP-2"}, Consequence: "Membership changes pushed from Okta would be lost.", Groups: true,
		Run: func(c *C) {
			groupPatch(c, op("remove", `members[value eq "`+seedID+`"]`, nil),
				op("add", "members", []any{map[string]any{"value": u2, "display": "someone else"}}))
			wantMembers(c, u2)
		}})

	add(&Case{ID: "OKTA-GROUP-4", Suite: "okta", Title: "replacing members, with or without a path, sets exactly the given members", Reqs: []string{"OKTA-GROUP-4"}, Needs: []string{"OKTA-GROUP-1", "OKTA-USER-3"}, Consequence: "Groups pushed from Okta would hold the wrong people.", Groups: true,
		Run: func(c *C) {
			groupPatch(c, op("replace", "members", []any{map[string]any{"value": seedID}, map[string]any{"value": u3}}))
			wantMembers(c, seedID, u3)
			groupPatch(c, op("replace", "", map[string]any{"members": []any{map[string]any{"value": u2}}}))
			wantMembers(c, u2)
			groupPatch(c, op("replace", "members", []any{}))
			wantMembers(c)
		}})

	add(&Case{ID: "OKTA-GROUP-5", Suite: "okta", Title: "PUT of a group replaces name and members; without a members key it keeps them", Reqs: []string{"OKTA-GROUP-5", "RFC-PUT-1", "TRAP-4"}, Needs: []string{"OKTA-GROUP-1", "OKTA-USER-3"}, Consequence: "A group update from an Okta app that uses PUT would empty the group.", Groups: true,
		Run: func(c *C) {
			r := c.do("PUT", "/Groups/"+groupID, map[string]any{"schemas": []any{sGroup}, "displayName": groupName,
				"members": []any{map[string]any{"value": seedID, "display": seed}}})
			if r.status(http.StatusOK) {
				c.expect(r.JSON, "displayName", groupName)
				if got := memberValues(r.JSON); !sameSet(got, []string{seedID}) {
					c.errorf("PUT response members %v", got)
				}
			}
			r = c.do("PUT", "/Groups/"+groupID, map[string]any{"schemas": []any{sGroup}, "displayName": groupName + " Renamed"})
			r.status(http.StatusOK)
			wantMembers(c, seedID) // TRAP-4: no members key keeps them
			c.do("PUT", "/Groups/"+groupID, map[string]any{"schemas": []any{sGroup}, "displayName": groupName, "members": []any{}}).status(http.StatusOK)
			wantMembers(c)
			c.do("PUT", "/Groups/"+groupID, map[string]any{"schemas": []any{sGroup}, "displayName": groupName,
				"members": []any{map[string]any{"value": u2}}}).status(http.StatusOK)
		}})

	add(&Case{ID: "OKTA-GROUP-7", Suite: "okta", Title: "listing groups includes members with value, type and an absolute $ref", Reqs: []string{"OKTA-GROUP-7"}, Needs: []string{"OKTA-GROUP-5"}, Consequence: "Okta's group import would see groups without their members.", Groups: true,
		Run: func(c *C) {
			// Okta imports 100 groups a page; existing groups push ours further on.
			var found map[string]any
			for start := 1; found == nil && start < 2000; start += 100 {
				r := c.do("GET", "/Groups?startIndex="+strconv.Itoa(start)+"&count=100", nil)
				for _, g := range r.list(-1) {
					if str(g, "id") == groupID {
						found = g
					}
				}
				if start+100 > num(r.JSON["totalResults"]) {
					break
				}
			}
			if found == nil {
				c.fatalf("group %s not in the list", groupID)
			}
			c.expect(found, "members.0.value", u2)
			c.expect(found, "members.0.type", "User")
			if ref := str(found, "members.0.$ref"); !strings.HasSuffix(ref, "/Users/"+u2) || !strings.HasPrefix(ref, "http") {
				c.errorf("members.0.$ref = %q, want an absolute URL of the user", ref)
			}
			r := c.do("GET", "/Groups/"+groupID+"?excludedAttributes=members", nil)
			if _, ok := r.JSON["members"]; ok {
				c.errorf("excludedAttributes=members ignored")
			}
		}})

	add(&Case{ID: "OKTA-GROUP-6", Suite: "okta", Title: "deleting a group answers 204 and the group is gone", Reqs: []string{"OKTA-GROUP-6"}, Needs: []string{"OKTA-GROUP-1"}, Consequence: "Unlinking a pushed group in Okta with delete would leave the group in the app.", Groups: true,
		Run: func(c *C) {
			if r := c.do("DELETE", "/Groups/"+groupID, nil); r.Status != http.StatusNoContent {
				c.errorf("DELETE: status %d", r.Status)
			}
			c.do("GET", "/Groups/"+groupID, nil).status(http.StatusNotFound)
		}})
	return f
}

// onePrimary asserts that the multi-valued attribute attr of resource u has n values,
// exactly one of them primary (OKTA-USER-1), and no repeated (value, type) pair.
func onePrimary(c *C, u map[string]any, attr string, n int) {
	l, _ := u[attr].([]any)
	if len(l) != n {
		c.errorf("%s has %d values, want %d: %v", attr, len(l), n, u[attr])
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
			c.errorf("%s repeats value %q with type %q", attr, str(e, "value"), str(e, "type"))
		}
		seen[k] = true
	}
	if n > 0 && primaries != 1 {
		c.errorf("%s has %d primary values, want exactly 1: %v", attr, primaries, u[attr])
	}
}

// pathEscape escapes a filter the way Okta does: spaces as %20, @ as %40.
func pathEscape(filter string) string {
	return strings.ReplaceAll(url.QueryEscape(filter), "+", "%20")
}
