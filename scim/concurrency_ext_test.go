package scim_test

import (
	"fmt"
	"strconv"
	"sync"
	"testing"

	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/scim/memstore"
)

// TestConcurrentCreatesOfOneUserName races creates of one userName in different
// letter cases: exactly one wins with 201, the others get 409 uniqueness, and one
// user exists afterwards.
// RFC-UNIQ-1: racing creates of one userName in different letter cases: one 201, the rest 409 uniqueness, one user.
func TestConcurrentCreatesOfOneUserName(t *testing.T) {
	h, _ := newHandler(t)
	const n = 8
	codes := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := "race@x.example"
			if i%2 == 1 {
				name = "RACE@x.example"
			}
			r := call(t, h, "POST", "/Users", user(name))
			if r.Code == 409 {
				r.want(t, 409, "uniqueness")
			}
			codes[i] = r.Code
		}()
	}
	wg.Wait()
	created := 0
	for _, c := range codes {
		switch c {
		case 201:
			created++
		case 409:
		default:
			t.Errorf("status %d", c)
		}
	}
	if created != 1 {
		t.Errorf("%d creates won, want 1 (%v)", created, codes)
	}
	if n := num(call(t, h, "GET", "/Users?filter=userName%20eq%20%22race@x.example%22", nil).want(t, 200).JSON["totalResults"]); n != 1 {
		t.Errorf("%d users after the race", n)
	}
}

// TestConcurrentPutAndPatchLoseNothing races PUTs, which name only title, with
// PATCHes that add phone numbers and group PUTs that rename with PATCHes that add
// members: every change lands, since a PUT keeps what its body does not name
// (RFC-PUT-1) and the Handler retries on a version conflict.
func TestConcurrentPutAndPatchLoseNothing(t *testing.T) {
	bothGroupPaths(t, func(t *testing.T, h *scim.Handler) {
		id := mustCreate(t, h, user("race@x.example"))
		g := groupWith(t, h, "Race")
		const n = 6
		var members []string
		for i := range n {
			members = append(members, mustCreate(t, h, user(fmt.Sprintf("m%d@x.example", i))))
		}
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(4)
			go func() {
				defer wg.Done()
				call(t, h, "PUT", "/Users/"+id, map[string]any{"userName": "race@x.example", "title": "T" + strconv.Itoa(i)}).want(t, 200)
			}()
			go func() {
				defer wg.Done()
				call(t, h, "PATCH", "/Users/"+id, patchBody(op("add", "phoneNumbers", []any{map[string]any{"value": strconv.Itoa(i), "type": "t" + strconv.Itoa(i)}}))).want(t, 200)
			}()
			go func() {
				defer wg.Done()
				call(t, h, "PUT", "/Groups/"+g, map[string]any{"displayName": "Race " + strconv.Itoa(i)}).want(t, 200)
			}()
			go func() {
				defer wg.Done()
				call(t, h, "PATCH", "/Groups/"+g, patchBody(op("add", "members", []any{map[string]any{"value": members[i]}}))).want(t, 204)
			}()
		}
		wg.Wait()
		u := call(t, h, "GET", "/Users/"+id, nil).want(t, 200)
		if l, _ := u.JSON["phoneNumbers"].([]any); len(l) != n || str(u.JSON, "emails.0.value") != "race@x.example" {
			t.Errorf("after the race: %s", u.Body)
		}
		gr := call(t, h, "GET", "/Groups/"+g, nil).want(t, 200)
		if l, _ := gr.JSON["members"].([]any); len(l) != n {
			t.Errorf("%d members after %d concurrent adds and renames", len(l), n)
		}
	})
}

// TestConcurrentDeleteAndWrites races PATCH and PUT of a user, and member PATCHes
// naming it, with its deletion: each write either lands before the delete or gets
// 404 (400 for the member add); the user never comes back and no request fails with
// a 5xx.
func TestConcurrentDeleteAndWrites(t *testing.T) {
	for round := range 5 {
		st := memstore.New(memstore.Options{})
		h, err := scim.NewHandler(scim.Config{Users: st, Groups: st, Auth: scim.StaticToken(token)})
		if err != nil {
			t.Fatal(err)
		}
		id := mustCreate(t, h, user(fmt.Sprintf("gone%d@x.example", round)))
		g := groupWith(t, h, "G")
		var wg sync.WaitGroup
		check := func(r *resp, ok ...int) {
			for _, c := range ok {
				if r.Code == c {
					return
				}
			}
			t.Errorf("status %d, want one of %v: %s", r.Code, ok, r.Body)
		}
		wg.Add(4)
		go func() {
			defer wg.Done()
			check(call(t, h, "DELETE", "/Users/"+id, nil), 204)
		}()
		go func() {
			defer wg.Done()
			check(call(t, h, "PATCH", "/Users/"+id, patchBody(op("replace", "title", "x"))), 200, 404)
		}()
		go func() {
			defer wg.Done()
			check(call(t, h, "PUT", "/Users/"+id, map[string]any{"userName": fmt.Sprintf("gone%d@x.example", round), "title": "y"}), 200, 404)
		}()
		go func() {
			defer wg.Done()
			check(call(t, h, "PATCH", "/Groups/"+g, patchBody(op("add", "members", []any{map[string]any{"value": id}}))), 204, 400)
		}()
		wg.Wait()
		call(t, h, "GET", "/Users/"+id, nil).want(t, 404)
		if got := groupMembers(t, h, g); got != "" {
			t.Errorf("round %d: the deleted user is still a member: %s", round, got)
		}
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
