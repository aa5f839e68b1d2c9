package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
)

// Schema URNs used by the workloads.
const (
	userSchemaURN       = "urn:ietf:params:scim:schemas:core:2.0:User"
	enterpriseSchemaURN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	groupSchemaURN      = "urn:ietf:params:scim:schemas:core:2.0:Group"
	patchOpSchemaURN    = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
)

// UserName returns the userName of the i-th workload user, such as
// "user000042@contoso.example".
func UserName(i int) string {
	return "user" + pad6(i) + "@contoso.example"
}

// EntraUserJSON returns the POST /Users body of the i-th workload user: the
// attribute set that Microsoft Entra ID's default user mapping sends
// (ENTRA-USER-1 and ENTRA-USER-2 in docs/COMPAT.md), with enterprise extension data.
// Every user has distinct values, so that memory measurements see realistic
// strings rather than one shared literal.
func EntraUserJSON(i int) []byte {
	n := pad6(i)
	b := make([]byte, 0, 1100)
	b = append(b, `{"schemas":["`+userSchemaURN+`","`+enterpriseSchemaURN+`"],`...)
	b = append(b, `"externalId":"user`+n+`",`...)
	b = append(b, `"userName":"user`+n+`@contoso.example",`...)
	b = append(b, `"active":true,`...)
	b = append(b, `"displayName":"Ada Lovelace `+n+`",`...)
	b = append(b, `"title":"Senior Engineer",`...)
	b = append(b, `"preferredLanguage":"en-GB",`...)
	b = append(b, `"emails":[{"primary":true,"type":"work","value":"user`+n+`@contoso.example"}],`...)
	b = append(b, `"name":{"formatted":"Ada Lovelace `+n+`","familyName":"Lovelace `+n+`","givenName":"Ada"},`...)
	b = append(b, `"phoneNumbers":[{"type":"work","value":"+44 113 496 `+n[2:]+`"},{"type":"mobile","value":"+44 7700 9`+n+`"}],`...)
	b = append(b, `"addresses":[{"type":"work","formatted":"`+n+` Park Row, Leeds LS1 5AB, GB","streetAddress":"`+n+` Park Row","locality":"Leeds","region":"West Yorkshire","postalCode":"LS1 5AB","country":"GB","primary":true}],`...)
	b = append(b, `"`+enterpriseSchemaURN+`":{"employeeNumber":"`+n+`","costCenter":"CC-`+n[3:]+`","organization":"Contoso","division":"Engineering","department":"R&D `+n[4:]+`"}}`...)
	return b
}

// GroupJSON returns the POST /Groups body of a group named displayName whose
// members are the given ids.
func GroupJSON(displayName string, memberIDs []string) []byte {
	var b strings.Builder
	b.Grow(64 + 64*len(memberIDs))
	b.WriteString(`{"schemas":["` + groupSchemaURN + `"],"displayName":`)
	b.WriteString(jsonString(displayName))
	b.WriteString(`,"members":[`)
	for i, id := range memberIDs {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"value":`)
		b.WriteString(jsonString(id))
		b.WriteByte('}')
	}
	b.WriteString(`]}`)
	return []byte(b.String())
}

// AddMemberJSON returns the PATCH body that Entra ID and Okta send to add one
// member to a group.
func AddMemberJSON(memberID string) []byte {
	return []byte(`{"schemas":["` + patchOpSchemaURN + `"],"Operations":[{"op":"add","path":"members","value":[{"value":` + jsonString(memberID) + `}]}]}`)
}

// RemoveMemberJSON returns the PATCH body that Okta sends to remove one member
// from a group.
func RemoveMemberJSON(memberID string) []byte {
	path := `members[value eq ` + jsonString(memberID) + `]`
	return []byte(`{"schemas":["` + patchOpSchemaURN + `"],"Operations":[{"op":"remove","path":` + jsonString(path) + `}]}`)
}

// UserNameFilterPath returns the request path of the query Entra ID sends
// before it creates a user: GET /Users?filter=userName eq "<name>".
func UserNameFilterPath(userName string) string {
	return "/Users?filter=" + queryEscape(`userName eq `+jsonString(userName))
}

func queryEscape(s string) string {
	// url.QueryEscape turns spaces into '+', which is what IdPs send too.
	var b strings.Builder
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_', c == '.', c == '~':
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
	return b.String()
}

// jsonString returns s as a JSON string literal.
func jsonString(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	return string(b)
}

func pad6(i int) string {
	s := strconv.Itoa(i)
	if len(s) >= 6 {
		return s
	}
	return "000000"[len(s):] + s
}

// Do sends one request to h through an httptest.ResponseRecorder, without a
// network, and returns the recorder. body may be nil. Header values in hdr are
// added to the request (pass nil for none).
func Do(h http.Handler, method, target string, body []byte, hdr http.Header) *httptest.ResponseRecorder {
	return DoContext(context.Background(), h, method, target, body, hdr)
}

// DoContext is [Do] with a request context.
func DoContext(ctx context.Context, h http.Handler, method, target string, body []byte, hdr http.Header) *httptest.ResponseRecorder {
	var r io.Reader
	if body != nil {
		r = bytes.NewReader(body)
	}
	req := httptest.NewRequestWithContext(ctx, method, target, r)
	if body != nil {
		req.Header.Set("Content-Type", "application/scim+json")
	}
	for k, vs := range hdr {
		req.Header[k] = vs
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}
