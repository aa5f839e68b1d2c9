package scim

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestAUTH_1_BearerTokenParsing(t *testing.T) {
	cases := []struct {
		header    string
		allowBare bool
		want      string
		ok        bool
	}{
		{"Bearer abc", false, "abc", true},
		{"bearer abc", false, "abc", true},
		{"BEARER   abc  ", false, "abc", true},
		{"  Bearer\tabc", false, "abc", true},
		{"Bearer", true, "", false},
		{"Bearer ", true, "", false},
		{"Bearer a b", true, "", false},
		{"Basic dXNlcjpwYXNz", true, "", false},
		{"abc", false, "", false},    // AUTH-3 strict
		{"abc", true, "abc", true},   // AUTH-3 lenient
		{" abc ", true, "abc", true}, // trimmed
		{"", true, "", false},
	}
	for _, c := range cases {
		r := httptest.NewRequest("GET", "/Users", nil)
		if c.header != "" {
			r.Header.Set("Authorization", c.header)
		}
		got, ok := BearerToken(r, c.allowBare)
		if string(got) != c.want || ok != c.ok {
			t.Errorf("BearerToken(%q, %v) = %q, %v; want %q, %v", c.header, c.allowBare, string(got), ok, c.want, c.ok)
		}
	}
}

func TestStaticTokenAuthenticator(t *testing.T) {
	a := StaticToken("s3cret").(*bearerAuth)
	if _, err := a.verify(context.Background(), "s3cret"); err != nil {
		t.Errorf("right token: %v", err)
	}
	for _, bad := range []Token{"s3cre", "s3cret1", "", "S3CRET"} {
		if _, err := a.verify(context.Background(), bad); !errors.Is(err, ErrUnauthenticated) {
			t.Errorf("token %q: err = %v, want ErrUnauthenticated", string(bad), err)
		}
	}
	empty := StaticToken("").(*bearerAuth)
	if _, err := empty.verify(context.Background(), ""); err == nil {
		t.Error("an empty static token must match nothing")
	}
}

func TestTokenRedaction(t *testing.T) {
	tok := Token("scimkit_secretvalue")
	var sb strings.Builder
	log := slog.New(slog.NewTextHandler(&sb, nil))
	log.Info("x", "token", tok)
	for _, s := range []string{fmt.Sprint(tok), fmt.Sprintf("%v %s %q %#v %+v", tok, tok, tok, tok, tok), sb.String(),
		fmt.Sprint(struct{ T Token }{tok})} {
		if strings.Contains(s, "secretvalue") {
			t.Errorf("token leaked: %s", s)
		}
	}
}

func TestGenerateAndHashToken(t *testing.T) {
	a, err := GenerateToken()
	if err != nil {
		t.Fatal(err)
	}
	b, _ := GenerateToken()
	if a == b || !strings.HasPrefix(a, TokenPrefix) || len(a) != len(TokenPrefix)+43 {
		t.Errorf("tokens %q %q", a, b)
	}
	if strings.ContainsAny(a[len(TokenPrefix):], "+/=") {
		t.Errorf("token not URL-safe: %q", a)
	}
	h := HashToken("abc")
	if h != "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" {
		t.Errorf("HashToken(abc) = %s", h)
	}
}

func TestAUTH_1_TokenHashesRotation(t *testing.T) {
	var th TokenHashes
	old, _ := GenerateToken()
	cur, _ := GenerateToken()
	other, _ := GenerateToken()
	for _, x := range []struct{ tenant, tok string }{{"acme", old}, {"acme", cur}, {"globex", other}} {
		if err := th.Add(x.tenant, HashToken(x.tok)); err != nil {
			t.Fatal(err)
		}
	}
	if err := th.Add("x", "nothex"); err == nil {
		t.Error("Add accepted a non-hash")
	}
	ctx := context.Background()
	for _, x := range []struct{ tok, tenant string }{{old, "acme"}, {cur, "acme"}, {other, "globex"}} {
		got, err := th.VerifyToken(ctx, Token(x.tok))
		if err != nil || got != x.tenant {
			t.Errorf("VerifyToken = %q, %v; want %q", got, err, x.tenant)
		}
	}
	th.Remove(HashToken(old))
	if _, err := th.VerifyToken(ctx, Token(old)); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("revoked token: %v", err)
	}
	if got, err := th.VerifyToken(ctx, Token(cur)); err != nil || got != "acme" {
		t.Errorf("rotation broke the other token: %q %v", got, err)
	}
	if _, err := th.VerifyToken(ctx, "unknown"); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("unknown token: %v", err)
	}
}

func TestBuiltInAuthenticatorsUsedDirectly(t *testing.T) {
	a := StaticToken("tok")
	r := httptest.NewRequest("GET", "/Users", nil)
	if _, err := a.Authenticate(r); err == nil {
		t.Error("no header accepted")
	}
	r.Header.Set("Authorization", "Bearer tok")
	ctx, err := a.Authenticate(r)
	if err != nil {
		t.Fatal(err)
	}
	if tenant, ok := TenantFrom(ctx); !ok || tenant != "" {
		t.Errorf("tenant %q %v", tenant, ok)
	}
	v := BearerTokens(TokenVerifierFunc(func(ctx context.Context, tok Token) (string, error) {
		if string(tok) == "tok" {
			return "acme", nil
		}
		return "", ErrUnauthenticated
	}))
	ctx, err = v.Authenticate(r)
	if tenant, _ := TenantFrom(ctx); err != nil || tenant != "acme" {
		t.Errorf("BearerTokens: %q %v", tenant, err)
	}
}
