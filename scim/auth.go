package scim

import (
	"context"
	"crypto/subtle"
	"errors"
	"net/http"
	"strings"
)

// An Authenticator checks the credentials of a request and tells which tenant it acts
// for. The Handler calls it for every request, before routing, so that unknown paths
// and discovery endpoints reveal nothing to an anonymous caller.
//
// Authenticate returns the request's context with the tenant attached by [WithTenant]
// (and anything else the host wants its stores to see). On failure it returns an
// error: one wrapping [ErrForbidden] is answered with 403, a *[Error] is sent as is,
// and every other error, [ErrUnauthenticated] included, is answered with 401 and
// WWW-Authenticate: Bearer realm="scim". An authenticator failure never becomes a
// 500. Authenticate may be called concurrently.
type Authenticator interface {
	Authenticate(r *http.Request) (context.Context, error)
}

// AuthenticatorFunc adapts a function to the [Authenticator] interface.
type AuthenticatorFunc func(r *http.Request) (context.Context, error)

// Authenticate calls f(r).
func (f AuthenticatorFunc) Authenticate(r *http.Request) (context.Context, error) { return f(r) }

// A TokenVerifier resolves a bearer token to the tenant it was issued for. A tenant may
// have several live tokens at once, so that an administrator can rotate a token
// without breaking provisioning.
//
// VerifyToken returns an error wrapping [ErrUnauthenticated] when the token is unknown,
// revoked or expired, and may return one wrapping [ErrForbidden] for a known token whose
// tenant may not provision (say, a disabled subscription). It may be called
// concurrently. Compare token hashes in constant time ([subtle.ConstantTimeCompare]),
// or look them up by hash in a database (see [HashToken]).
type TokenVerifier interface {
	VerifyToken(ctx context.Context, token Token) (tenant string, err error)
}

// TokenVerifierFunc adapts a function to the [TokenVerifier] interface.
type TokenVerifierFunc func(ctx context.Context, token Token) (string, error)

// VerifyToken calls f(ctx, token).
func (f TokenVerifierFunc) VerifyToken(ctx context.Context, token Token) (string, error) {
	return f(ctx, token)
}

// BearerTokens returns an [Authenticator] for bearer tokens (RFC 6750) that v resolves
// to tenants: the multi-tenant setup, where each customer organisation pastes its own
// token into Entra ID or Okta.
//
// The token is read from the Authorization header. The scheme name is matched ignoring
// case and blanks around the token are trimmed. A header holding only the token, without
// "Bearer ", is accepted too (Okta's custom-header mode makes that mistake easy), unless
// the Handler's Config.Strict is set.
func BearerTokens(v TokenVerifier) Authenticator {
	return &bearerAuth{verify: v.VerifyToken}
}

// StaticToken returns an [Authenticator] for one bearer token and one tenant, the empty
// tenant "": the setup of a single-tenant app. The token is compared in constant time.
// An empty token matches nothing. Header rules are those of [BearerTokens].
func StaticToken(token string) Authenticator {
	want := sumToken(token)
	empty := token == ""
	return &bearerAuth{verify: func(ctx context.Context, t Token) (string, error) {
		got := sumToken(string(t))
		if subtle.ConstantTimeCompare(got[:], want[:]) != 1 || empty {
			return "", ErrUnauthenticated
		}
		return "", nil
	}}
}

// NoAuth returns an [Authenticator] that accepts every request as the empty tenant "".
// It exists for tests and for hosts that authenticate in their own middleware before
// the Handler; [NewHandler] refuses a Config without Auth so that forgetting
// authentication is never silent.
func NoAuth() Authenticator {
	return AuthenticatorFunc(func(r *http.Request) (context.Context, error) {
		return WithTenant(r.Context(), ""), nil
	})
}

// bearerAuth is the Authenticator of BearerTokens and StaticToken. The Handler
// recognises it, reads the token itself with its own Strict setting, calls verify
// and keeps the tenant in the request's context (see requestCtx).
type bearerAuth struct {
	verify func(ctx context.Context, t Token) (string, error)
}

func (a *bearerAuth) Authenticate(r *http.Request) (context.Context, error) {
	t, ok := BearerToken(r, true)
	if !ok {
		return nil, ErrUnauthenticated
	}
	tenant, err := a.verify(r.Context(), t)
	if err != nil {
		return nil, err
	}
	return WithTenant(r.Context(), tenant), nil
}

// BearerToken returns the token of r's Authorization header. The scheme name "Bearer"
// is matched ignoring case, and blanks around the token are trimmed. When allowBare is
// true a header value that is a single word without a scheme is taken as the token.
// It reports false when the header is missing or holds another scheme (such as Basic).
// Custom [Authenticator]s may use it.
func BearerToken(r *http.Request, allowBare bool) (Token, bool) {
	v := strings.TrimSpace(headerValue(r.Header, "Authorization"))
	if v == "" {
		return "", false
	}
	scheme, rest, found := strings.Cut(v, " ")
	if !found {
		if tab := strings.IndexByte(v, '\t'); tab >= 0 {
			scheme, rest, found = v[:tab], v[tab+1:], true
		}
	}
	if found {
		if !strings.EqualFold(scheme, "Bearer") {
			return "", false
		}
		t := strings.TrimSpace(rest)
		if t == "" || strings.IndexByte(t, ' ') >= 0 || strings.IndexByte(t, '\t') >= 0 {
			return "", false
		}
		return Token(t), true
	}
	if !allowBare || strings.EqualFold(v, "Bearer") {
		return "", false
	}
	return Token(v), true
}

// authError maps an authenticator error to the response.
func authError(err error) *Error {
	var se *Error
	switch {
	case errors.As(err, &se) && se.Status >= 400 && se.Status <= 599:
		return se
	case se != nil:
		// An Error without an error status: still a failed authentication, never
		// a 500 (AUTH-4).
		return &Error{Status: http.StatusUnauthorized, Detail: orDefault(se.Detail, "invalid credentials"), RetryAfter: se.RetryAfter}
	case errors.Is(err, ErrForbidden):
		return &Error{Status: http.StatusForbidden, Detail: "these credentials may not use this SCIM endpoint"}
	case errors.Is(err, errMissingCredentials):
		return &Error{Status: http.StatusUnauthorized, Detail: "missing credentials: send the token in the Authorization header as \"Bearer <token>\""}
	default:
		return &Error{Status: http.StatusUnauthorized, Detail: "invalid credentials: the bearer token is unknown, revoked or malformed"}
	}
}

var errMissingCredentials = errors.New("scim: no credentials")
