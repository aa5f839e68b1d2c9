package idpflow

import (
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// rfcFlow checks the RFC 7643/7644 rules that both identity providers rely on
// without naming them in their own documentation.
func rfcFlow(m string) *Flow {
	f := &Flow{Name: "RFC"}
	add := func(k *Case) { f.Cases = append(f.Cases, k) }
	var userID string
	user := func(name string) map[string]any {
		u := name + "." + m + "@rfc.example"
		return map[string]any{"schemas": []any{sUser}, "userName": u, "displayName": "RFC " + name + " " + m, "active": true,
			"name": map[string]any{"givenName": "RFC", "familyName": name + " " + m}, "emails": []any{map[string]any{"value": u, "type": "work", "primary": true}}}
	}

	add(&Case{ID: "AUTH-2", Suite: "rfc", Title: "a request without a valid token answers a SCIM 401 with a Bearer challenge, on every path",
		Consequence: "The IdP shows an opaque error instead of \"bad credentials\", and an HTML 401 from middleware breaks its JSON reader.",
		Run: func(c *C) {
			for _, p := range []string{"/Users", "/Users/" + randomGUID(), "/Groups", "/NoSuchEndpoint"} {
				for _, auth := range []string{"", "Bearer wrong-" + m} {
					r := c.do("GET", p, nil, "Authorization", auth)
					r.status(http.StatusUnauthorized)
					if ch := r.Header.Get("WWW-Authenticate"); !strings.HasPrefix(strings.ToLower(ch), "bearer") {
						c.errorf("WWW-Authenticate %q, want a Bearer challenge", ch)
					}
				}
			}
		}})

	add(&Case{ID: "RFC-ERR-1", Suite: "rfc", Title: "errors answer a SCIM error body whose status is a string and whose detail is set",
		Consequence: "Entra and Okta log an unreadable error instead of the server's reason, and Okta's SPEC test fails.",
		Run: func(c *C) {
			c.do("GET", "/Users/"+randomGUID(), nil).status(http.StatusNotFound)
			r := c.do("GET", "/Users?filter="+q(`userName eq`), nil)
			if r.status(http.StatusBadRequest) {
				r.scimError(http.StatusBadRequest, "invalidFilter")
			}
		}})

	add(&Case{ID: "RFC-CT-1", Suite: "rfc", Title: "responses carry Content-Type application/scim+json whatever Accept says",
		Consequence: "Entra's validator stops at the first response with another media type.",
		Run: func(c *C) {
			for _, accept := range []string{"application/json", "text/html", "*/*"} {
				c.do("GET", "/Users?count=1", nil, "Accept", accept).status(http.StatusOK)
				c.do("GET", "/Users/"+randomGUID(), nil, "Accept", accept).status(http.StatusNotFound)
			}
		}})

	add(&Case{ID: "RFC-CT-2", Suite: "rfc", Title: "request bodies are read with a charset parameter or no Content-Type; malformed JSON answers 400 invalidSyntax",
		Consequence: "Okta's creates, sent as application/json, would fail.",
		Run: func(c *C) {
			r := c.do("POST", "/Users", user("charset"), "Content-Type", "application/scim+json; charset=utf-8").must(http.StatusCreated)
			userID = str(r.JSON, "id")
			if userID == "" {
				c.fatalf("created user has no id")
			}
			c.do("POST", "/Users", user("nocontenttype"), "Content-Type", "").status(http.StatusCreated)
			r = c.do("POST", "/Users", `{"userName":`)
			if r.status(http.StatusBadRequest) {
				r.scimError(http.StatusBadRequest, "invalidSyntax")
			}
		}})

	add(&Case{ID: "RFC-PAGE-1", Suite: "rfc", Title: "count=0 answers only the total; startIndex below 1 means 1 and a negative count means 0",
		Needs: []string{"RFC-CT-2"}, Consequence: "Entra's onboarding checks and Okta's imports page with these parameters and would stop with an error.",
		Run: func(c *C) {
			r := c.do("GET", "/Users?count=0", nil)
			if l := r.list(-1); len(l) != 0 || num(r.JSON["totalResults"]) < 1 {
				c.errorf("count=0: %d resources and totalResults %v, want none and at least 1", len(l), r.JSON["totalResults"])
			}
			r = c.do("GET", "/Users?startIndex=0&count=1", nil)
			r.list(-1)
			c.expect(r.JSON, "startIndex", 1)
			if l := c.do("GET", "/Users?count=-1", nil).list(-1); len(l) != 0 {
				c.errorf("count=-1 answered %d resources, want none", len(l))
			}
		}})

	add(&Case{ID: "RFC-DEL-1", Suite: "rfc", Title: "DELETE answers 204 without a body; the user is then gone from GET, PATCH, filters and a second DELETE",
		Needs: []string{"RFC-CT-2"}, Consequence: "A person deleted in the IdP would still be found in the app.",
		Run: func(c *C) {
			name := str(c.do("GET", "/Users/"+userID, nil).JSON, "userName")
			r := c.do("DELETE", "/Users/"+userID, nil)
			if r.Status != http.StatusNoContent || len(r.Body) != 0 {
				c.errorf("DELETE: status %d with %d body bytes, want 204 and no body", r.Status, len(r.Body))
			}
			c.do("GET", "/Users/"+userID, nil).status(http.StatusNotFound)
			c.do("PATCH", "/Users/"+userID, patchOps(op("replace", "title", "x"))).status(http.StatusNotFound)
			c.do("GET", "/Users?filter="+q(`userName eq "`+name+`"`), nil).list(0)
			c.do("DELETE", "/Users/"+userID, nil).status(http.StatusNotFound)
		}})

	add(&Case{ID: "RFC-PATCH-1", Suite: "rfc", Title: "a PATCH that removes active leaves the user inactive; adding a present value and removing an absent one change nothing",
		Reqs: []string{"TRAP-16"}, Consequence: "A removal sent to a disabled account would enable it again.",
		Run: func(c *C) {
			userID := str(c.do("POST", "/Users", user("patch")).must(http.StatusCreated).JSON, "id")
			r := c.do("PATCH", "/Users/"+userID, patchOps(op("replace", "active", false)))
			r.status(http.StatusOK)
			r = c.do("PATCH", "/Users/"+userID, patchOps(op("remove", "active", nil)))
			if r.status(http.StatusOK) && r.JSON["active"] == true {
				c.errorf("active = true after a Remove of active, want false or absent")
			}
			if u := c.do("GET", "/Users/"+userID, nil).JSON; u["active"] == true {
				c.errorf("GET: active = true after a Remove of active, want false or absent")
			}
			before := c.do("GET", "/Users/"+userID, nil).JSON
			r = c.do("PATCH", "/Users/"+userID, patchOps(op("add", "displayName", str(before, "displayName")), op("remove", `emails[type eq "home"]`, nil)))
			if r.status(http.StatusOK) && str(r.JSON, "meta.lastModified") != str(before, "meta.lastModified") {
				c.errorf("a PATCH that changes nothing moved meta.lastModified from %s to %s", str(before, "meta.lastModified"), str(r.JSON, "meta.lastModified"))
			}
		}})

	add(&Case{ID: "RFC-FILTER-1", Suite: "rfc", Title: "a filter with thousands of terms answers a 400 SCIM error or the right list, never a 5xx",
		Reqs: []string{"TRAP-19"}, Consequence: "One oversized filter could stall the server for every tenant, and the IdP would see timeouts.",
		Run: func(c *C) {
			terms := make([]string, 1500)
			for i := range terms {
				terms[i] = `userName eq "nobody` + strconv.Itoa(i) + "." + m + `@rfc.example"`
			}
			r := c.do("GET", "/Users?filter="+q(strings.Join(terms, " or ")), nil)
			switch r.Status {
			case http.StatusOK:
				r.list(0)
			case http.StatusRequestURITooLong:
			default:
				r.status(http.StatusBadRequest)
			}
		}})

	add(&Case{ID: "TRAP-17", Suite: "rfc", Title: "concurrent membership PATCHes to one group without If-Match all succeed, and every member is kept",
		Reqs: []string{"RFC-ETAG-1"}, Groups: true, Consequence: "When Entra or Okta send membership changes in parallel, some would fail and the people in them would not get access.",
		Run: func(c *C) {
			const n = 8
			g := str(c.do("POST", "/Groups", map[string]any{"schemas": []any{sGroup}, "displayName": "RFC Parallel " + m}).must(http.StatusCreated).JSON, "id")
			ids := make([]string, n)
			for i := range ids {
				ids[i] = str(c.do("POST", "/Users", user("parallel"+strconv.Itoa(i))).must(http.StatusCreated).JSON, "id")
			}
			statuses := make([]int, n)
			var wg sync.WaitGroup
			for i, id := range ids {
				wg.Add(1)
				go func() {
					defer wg.Done()
					body, _ := json.Marshal(patchOps(op("add", "members", []any{map[string]any{"value": id}})))
					h := http.Header{"Authorization": {"Bearer " + c.s.token}, "Content-Type": {"application/scim+json"}}
					resp, err := c.s.client.Do(c.ctx, Request{Method: "PATCH", Path: "/Groups/" + g, Header: h, Body: body})
					if err == nil {
						statuses[i] = resp.Status
					}
				}()
			}
			wg.Wait()
			for i, st := range statuses {
				if st != http.StatusNoContent && st != http.StatusOK {
					c.errorf("concurrent PATCH %d of %d adding %s: status %d, want 204 (0: no answer)", i+1, n, ids[i], st)
				}
			}
			if got := memberValues(c.do("GET", "/Groups/"+g, nil).JSON); !sameSet(got, ids) {
				c.errorf("members %v after %d concurrent adds, want %v", got, n, ids)
			}
		}})

	add(&Case{ID: "RFC-DISC-1", Suite: "rfc", Title: "/ServiceProviderConfig states PATCH and filter support and the bearer scheme",
		Consequence: "Entra's gallery onboarding reads the discovery endpoints and rejects an app without them.",
		Run: func(c *C) {
			r := c.do("GET", "/ServiceProviderConfig", nil)
			if !r.status(http.StatusOK) {
				return
			}
			if !hasString(r.JSON["schemas"], "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig") {
				c.errorf("schemas %v lacks the ServiceProviderConfig URN", r.JSON["schemas"])
			}
			c.expect(r.JSON, "patch.supported", true)
			c.expect(r.JSON, "filter.supported", true)
			if l, _ := r.JSON["authenticationSchemes"].([]any); len(l) == 0 {
				c.errorf("authenticationSchemes is empty")
			}
		}})
	for _, k := range f.Cases {
		k.Reqs = append([]string{k.ID}, k.Reqs...)
	}
	return f
}
