package bench

import (
	"encoding/json"
	"net/url"
	"testing"
)

func TestFixturesAreValidJSON(t *testing.T) {
	var u map[string]any
	if err := json.Unmarshal(EntraUserJSON(42), &u); err != nil {
		t.Fatal(err)
	}
	if u["userName"] != "user000042@contoso.example" || u["externalId"] != "user000042" {
		t.Errorf("user 42: %v", u)
	}
	ent, _ := u[enterpriseSchemaURN].(map[string]any)
	if ent["employeeNumber"] != "000042" || ent["department"] == nil {
		t.Errorf("enterprise data of user 42: %v", ent)
	}
	if string(EntraUserJSON(1)) == string(EntraUserJSON(2)) {
		t.Error("users 1 and 2 are equal")
	}
	if UserName(1234567) != "user1234567@contoso.example" {
		t.Errorf("UserName(1234567) = %q", UserName(1234567))
	}
	for _, b := range [][]byte{
		GroupJSON(`Sales "EU"`, []string{"a", `b"c`}),
		AddMemberJSON(`x"y`),
		RemoveMemberJSON(`x"y\z`),
	} {
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Errorf("%s: %v", b, err)
		}
	}
	var rm struct{ Operations []struct{ Path string } }
	if err := json.Unmarshal(RemoveMemberJSON(`x"y`), &rm); err != nil || rm.Operations[0].Path != `members[value eq "x\"y"]` {
		t.Errorf("remove path: %+v, %v", rm, err)
	}
	p := UserNameFilterPath(`a+b "c"@d`)
	q, err := url.ParseRequestURI(p)
	if err != nil || q.Path != "/Users" || q.Query().Get("filter") != `userName eq "a+b \"c\"@d"` {
		t.Errorf("UserNameFilterPath round trip: %q -> %v, %v", p, q.Query(), err)
	}
}
