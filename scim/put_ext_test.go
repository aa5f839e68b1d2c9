package scim_test

import (
	"encoding/json"
	"testing"
)

// TestPutNullClearsInEveryKeyForm checks the clearing rules of PUT for every way a
// client can name an attribute: a top-level key, a dotted key, a URN-qualified key of
// the core schema or of an extension, and a key inside an extension object. null, ""
// for a reference, [] and {} clear what they name and nothing else; every attribute the
// body does not name keeps its value; a dotted key replaces one sub-attribute only.
// RFC-PUT-1: null, "" for a reference, [] and {} clear what they name in every key form, and nothing else.
func TestPutNullClearsInEveryKeyForm(t *testing.T) {
	const core = sUser + ":"
	cases := []struct {
		name  string
		body  map[string]any // sent with userName "put@x.example"
		gone  []string       // paths that must be absent afterwards
		value map[string]any // paths and their expected values afterwards
	}{
		{"dotted null", map[string]any{"name.givenName": nil},
			[]string{"name.givenName"}, map[string]any{"name.familyName": "F", "title": "Eng"}},
		{"dotted value keeps the siblings", map[string]any{"name.givenName": "X"},
			nil, map[string]any{"name.givenName": "X", "name.familyName": "F", "name.formatted": "G F"}},
		{"core URN top-level null", map[string]any{core + "title": nil},
			[]string{"title"}, map[string]any{"nickName": "P"}},
		{"core URN dotted null", map[string]any{core + "name.familyName": nil},
			[]string{"name.familyName"}, map[string]any{"name.givenName": "G"}},
		{"core URN object", map[string]any{sUser: map[string]any{"nickName": nil, "title": "Lead"}},
			[]string{"nickName"}, map[string]any{"title": "Lead", "name.givenName": "G"}},
		{"enterprise URN-qualified null", map[string]any{sEnt + ":department": nil},
			[]string{sEnt + ".department"}, map[string]any{sEnt + ".costCenter": "9", sEnt + ".division": "N"}},
		{"enterprise URN-qualified empty string", map[string]any{sEnt + ":division": ""},
			[]string{sEnt + ".division"}, map[string]any{sEnt + ".department": "R&D"}},
		{"enterprise object member null", map[string]any{sEnt: map[string]any{"costCenter": nil}},
			[]string{sEnt + ".costCenter"}, map[string]any{sEnt + ".department": "R&D"}},
		{"manager as empty string", map[string]any{sEnt: map[string]any{"manager": ""}},
			[]string{sEnt + ".manager"}, map[string]any{sEnt + ".department": "R&D"}},
		{"manager URN-qualified null", map[string]any{sEnt + ":manager": nil},
			[]string{sEnt + ".manager"}, map[string]any{sEnt + ".costCenter": "9"}},
		{"whole enterprise extension null", map[string]any{sEnt: nil},
			[]string{sEnt}, map[string]any{"title": "Eng"}},
		{"host extension URN-qualified null", map[string]any{acmeURN + ":badge": nil},
			[]string{acmeURN + ".badge"}, map[string]any{acmeURN + ".desks.0.building": "HQ"}},
		{"host extension empty list", map[string]any{acmeURN: map[string]any{"desks": []any{}}},
			[]string{acmeURN + ".desks"}, map[string]any{acmeURN + ".badge": "B-7"}},
		{"complex object with only nulls", map[string]any{"name": map[string]any{"familyName": nil}},
			[]string{"name"}, map[string]any{"title": "Eng"}},
		{"empty complex object", map[string]any{"name": map[string]any{}},
			[]string{"name"}, map[string]any{"title": "Eng"}},
		{"multi-valued null and []", map[string]any{"emails": nil, "phoneNumbers": []any{}},
			[]string{"emails", "phoneNumbers"}, map[string]any{"addresses.0.locality": "Leeds"}},
		{"read-only keys clear nothing", map[string]any{"id": nil, "meta": nil, "groups": nil, "schemas": nil, "password": nil},
			nil, map[string]any{"title": "Eng", "nickName": "P", "name.givenName": "G"}},
		{"absent keys keep their values", map[string]any{},
			nil, map[string]any{"title": "Eng", "nickName": "P", "active": false, "emails.0.value": "put@x.example",
				sEnt + ".department": "R&D", acmeURN + ".badge": "B-7"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			h := newAcmeHandler(t)
			mgr := mustCreate(t, h, user("boss@x.example"))
			body := user("put@x.example")
			body["title"] = "Eng"
			body["nickName"] = "P"
			body["active"] = false
			body["name"] = map[string]any{"givenName": "G", "familyName": "F", "formatted": "G F"}
			body["phoneNumbers"] = []any{map[string]any{"value": "1", "type": "work"}}
			body["addresses"] = []any{map[string]any{"locality": "Leeds", "type": "work"}}
			body[sEnt] = map[string]any{"department": "R&D", "costCenter": "9", "division": "N", "manager": mgr}
			body[acmeURN] = map[string]any{"badge": "B-7", "desks": []any{map[string]any{"building": "HQ"}}}
			id := mustCreate(t, h, body)

			put := map[string]any{"userName": "put@x.example"}
			for k, v := range c.body {
				put[k] = v
			}
			r := call(t, h, "PUT", "/Users/"+id, put).want(t, 200)
			g := call(t, h, "GET", "/Users/"+id, nil).want(t, 200)
			for _, res := range []*resp{r, g} {
				for _, p := range c.gone {
					if v := extGet(res.JSON, p); v != nil {
						t.Errorf("%s = %v after PUT, want it cleared: %s", p, v, res.Body)
					}
				}
				for p, want := range c.value {
					if v := extGet(res.JSON, p); v != want {
						t.Errorf("%s = %#v after PUT, want %#v: %s", p, v, want, res.Body)
					}
				}
			}
		})
	}
}

// TestPutGroupNullClearsAbsentKeeps checks PUT /Groups: members null clears, absent keeps,
// externalId null clears.
// RFC-PUT-1: on PUT /Groups, members or externalId null clears and absent keeps.
func TestPutGroupNullClearsAbsentKeeps(t *testing.T) {
	h, _ := newHandler(t)
	u := mustCreate(t, h, user("m@x.example"))
	g := str(call(t, h, "POST", "/Groups", map[string]any{"displayName": "G", "externalId": "e-1",
		"members": []any{map[string]any{"value": u}}}).want(t, 201).JSON, "id")
	r := call(t, h, "PUT", "/Groups/"+g, map[string]any{"displayName": "G"}).want(t, 200)
	if str(r.JSON, "externalId") != "e-1" || str(r.JSON, "members.0.value") != u {
		t.Errorf("absent keys not kept: %s", r.Body)
	}
	r = call(t, h, "PUT", "/Groups/"+g, map[string]any{"displayName": "G", "externalId": nil, "members": nil}).want(t, 200)
	if r.JSON["externalId"] != nil || len(r.JSON["members"].([]any)) != 0 {
		t.Errorf("null did not clear: %s", r.Body)
	}
}

// TestPutWithFullBodyEqualsCreate checks that a PUT takes every attribute of its
// body, whatever form its keys take: a user replaced with a body ends up as a user
// created with it.
// RFC-PUT-1: a user replaced with a body, whatever form its keys take, equals a user created with it.
func TestPutWithFullBodyEqualsCreate(t *testing.T) {
	h := newAcmeHandler(t)
	mgr := mustCreate(t, h, user("boss@x.example"))
	body := func(userName string) map[string]any {
		return map[string]any{
			"schemas": []any{sUser, sEnt}, "userName": userName, "externalId": "ext-1",
			"name.givenName": "Ada", "NAME.familyName": "L", sUser + ":name.formatted": "Ada L",
			"displayName": "Ada L", "nickName": "A", "profileUrl": "https://p.example/a", "title": "Eng",
			"userType": "Employee", "preferredLanguage": "en-GB", "locale": "en-GB", "timezone": "Europe/London",
			"active":                 "False",
			"emails":                 []any{map[string]any{"value": userName, "type": "work", "primary": true}, map[string]any{"value": "h@x.example", "type": "home"}},
			"phoneNumbers":           []any{map[string]any{"value": "+44 1", "type": "mobile"}},
			"ims":                    []any{map[string]any{"value": "ada", "type": "xmpp"}},
			"photos":                 []any{map[string]any{"value": "https://p.example/a.png", "type": "photo"}},
			"addresses":              []any{map[string]any{"streetAddress": "1 Road", "locality": "Leeds", "country": "GB", "type": "work", "primary": true}},
			"entitlements":           []any{map[string]any{"value": "e1"}},
			"roles":                  []any{map[string]any{"value": "r1", "primary": "True"}},
			"x509Certificates":       []any{map[string]any{"value": "MIIB"}},
			sEnt + ":employeeNumber": "7", sEnt + ":manager": mgr,
			sEnt:    map[string]any{"department": "R&D", "COSTCENTER": "9", "organization": "O", "division": "D"},
			acmeURN: map[string]any{"badge": "B", "desks": []any{map[string]any{"building": "HQ", "floor": 2}}},
		}
	}
	created := mustCreate(t, h, body("a@x.example"))
	replaced := mustCreate(t, h, user("b@x.example"))
	call(t, h, "PUT", "/Users/"+replaced, body("b@x.example")).want(t, 200)
	view := func(id string) string {
		r := call(t, h, "GET", "/Users/"+id, nil).want(t, 200)
		delete(r.JSON, "id")
		delete(r.JSON, "meta")
		delete(r.JSON, "userName")
		if e, ok := r.JSON["emails"].([]any); ok {
			delete(e[0].(map[string]any), "value")
		}
		b, _ := json.Marshal(r.JSON)
		return string(b)
	}
	if a, b := view(created), view(replaced); a != b {
		t.Errorf("PUT result differs from create:\ncreate: %s\nput:    %s", a, b)
	}
}

// RFC-PUT-1: PUT replaces what it names, clears null and [], keeps what is absent; it never creates, and userName stays unique.
func TestPutReplacesUser(t *testing.T) {
	h, _ := newHandler(t)
	body := user("put@x.example")
	body["title"] = "Eng"
	body["nickName"] = "P"
	body["phoneNumbers"] = []any{map[string]any{"value": "1"}}
	body["active"] = false
	body[sEnt] = map[string]any{"department": "R&D", "division": "N"}
	id := mustCreate(t, h, body)
	r := call(t, h, "PUT", "/Users/"+id, map[string]any{
		"schemas": []any{sUser}, "userName": "put@x.example", "title": "Lead", "nickName": nil, "phoneNumbers": []any{},
		"emails": []any{map[string]any{"value": "new@x.example"}}, sEnt: map[string]any{"division": "S"},
	}).want(t, 200)
	u := r.JSON
	if u["title"] != "Lead" || u["nickName"] != nil || u["phoneNumbers"] != nil || u["active"] != false ||
		str(u, "name.givenName") != "G" || str(u, "emails.0.value") != "new@x.example" || len(u["emails"].([]any)) != 1 {
		t.Errorf("PUT result: %s", r.Body)
	}
	if e, _ := u[sEnt].(map[string]any); e["division"] != "S" || e["department"] != "R&D" {
		t.Errorf("enterprise after PUT: %v", e)
	}
	call(t, h, "PUT", "/Users/"+id, map[string]any{"schemas": []any{sUser}, "title": "x"}).want(t, 400, "invalidValue")
	call(t, h, "PUT", "/Users/does-not-exist", map[string]any{"userName": "new2@x.example"}).want(t, 404)
	call(t, h, "GET", "/Users?filter=userName%20eq%20%22new2@x.example%22", nil).want(t, 200)
	other := mustCreate(t, h, user("other@x.example"))
	call(t, h, "PUT", "/Users/"+other, map[string]any{"userName": "PUT@x.example"}).want(t, 409, "uniqueness")
}
