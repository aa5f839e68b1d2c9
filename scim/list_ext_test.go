package scim_test

import (
	"fmt"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/scimkit/scimkit/scim"
)

// RFC-LIST-1, RFC-PAGE-1: a ListResponse always has Resources and integer counters; startIndex and count default, clamp and reject as specified.
func TestListResponseShapeAndPaging(t *testing.T) {
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

// RFC-PAGE-2: without sortBy, pages follow creation order, so paging sees every user once.
func TestPagesFollowCreationOrder(t *testing.T) {
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

// RFC-SORT-1: sortBy and sortOrder order the list ignoring case; an unknown sortBy or sortOrder is 400; sort.supported is true.
func TestSortByOrdersAndRejectsUnknownAttributes(t *testing.T) {
	h, _ := newHandler(t)
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

// RFC-FILTER-4: an unknown attribute or a malformed filter is 400 invalidFilter, never an unfiltered list.
func TestUnsupportedFilterIs400InvalidFilter(t *testing.T) {
	h, _ := newHandler(t)
	mustCreate(t, h, user("a@x.example"))
	for _, f := range []string{`shoeSize eq "9"`, `userName eq`, `userName xx "a"`, `(userName eq "a"`, `emails[type eq "work"`} {
		call(t, h, "GET", "/Users?filter="+urlQuery(f), nil).want(t, 400, "invalidFilter")
	}
}

// ENTRA-CONN-1: Entra's start-of-cycle group probe gets an empty ListResponse even without a GroupStore, never a 404.
func TestGroupProbeWithoutGroupStoreIsEmptyList(t *testing.T) {
	noGroups, _ := newHandler(t, func(c *scim.Config) { c.Groups = nil })
	r := call(t, noGroups, "GET", "/Groups?excludedAttributes=members&filter=displayName+eq+%22f5a1c1e0-8e0b-4c55-9d4c-0b1c2d3e4f50%22", nil).want(t, 200)
	if num(r.JSON["totalResults"]) != 0 || r.Body == "" || !strings.Contains(r.Body, `"Resources":[]`) ||
		str(r.JSON, "schemas.0") != "urn:ietf:params:scim:api:messages:2.0:ListResponse" {
		t.Errorf("probe without groups: %s", r.Body)
	}
}

func TestSearchRequestFiltersPagesAndProjects(t *testing.T) {
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
