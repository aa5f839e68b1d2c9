package idpflow

import (
	"net/http"
	"strings"
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
