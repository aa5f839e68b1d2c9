package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/scimkit/scimkit/examples/workspace/store"
)

// Cookies. Sessions live in the database (see store.Session); the cookie holds a
// random secret whose hash names the session.
const (
	adminCookie  = "ws_admin"
	memberCookie = "ws_member"
	// formCookie protects the forms shown before there is a session (admin login and
	// member sign-in) by double submission: the form field must equal the cookie, and
	// the cookie must be one the server issued (signed with its "form" key).
	formCookie = "ws_form"

	adminSessionTTL  = 8 * time.Hour
	memberSessionTTL = 7 * 24 * time.Hour
)

type sessionKey struct{}

// A signedIn is the session of a request and the secret of its cookie.
type signedIn struct {
	*store.Session
	secret string
}

func withSession(ctx context.Context, s *store.Session, secret string) context.Context {
	return context.WithValue(ctx, sessionKey{}, signedIn{s, secret})
}

// sessionFrom returns the session that requireAdmin or requireMember found, or nil.
func sessionFrom(ctx context.Context) *store.Session {
	si, _ := ctx.Value(sessionKey{}).(signedIn)
	return si.Session
}

// sessionSecretFrom returns the cookie secret of that session, or "".
func sessionSecretFrom(ctx context.Context) string {
	si, _ := ctx.Value(sessionKey{}).(signedIn)
	return si.secret
}

func (s *Server) setCookie(w http.ResponseWriter, name, value string, ttl time.Duration, sameSite http.SameSite) {
	http.SetCookie(w, &http.Cookie{
		Name: name, Value: value, Path: "/", MaxAge: int(ttl / time.Second),
		HttpOnly: true, Secure: s.secure, SameSite: sameSite,
	})
}

func (s *Server) clearCookie(w http.ResponseWriter, name string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, Secure: s.secure})
}

// session returns the live session of a cookie, or nil.
func (s *Server) session(r *http.Request, cookie, kind string) (*store.Session, string) {
	c, err := r.Cookie(cookie)
	if err != nil || c.Value == "" {
		return nil, ""
	}
	sess, err := s.db.Session(r.Context(), c.Value)
	if err != nil || sess.Kind != kind {
		return nil, ""
	}
	return sess, c.Value
}

// formToken returns the double-submit token for a form shown without a session,
// setting its cookie when the browser has none that the server issued.
func (s *Server) formToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(formCookie); err == nil && s.issued(c.Value) {
		return c.Value
	}
	nonce := rand.Text()
	t := nonce + "." + s.sign(nonce)
	s.setCookie(w, formCookie, t, 24*time.Hour, http.SameSiteStrictMode)
	return t
}

// sign returns the MAC of v under the server's form key.
func (s *Server) sign(v string) string {
	m := hmac.New(sha256.New, s.formKey)
	m.Write([]byte(v))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// issued reports whether t is a form token that formToken made.
func (s *Server) issued(t string) bool {
	nonce, mac, ok := strings.Cut(t, ".")
	return ok && nonce != "" && sameToken(mac, s.sign(nonce))
}

// checkFormToken verifies the CSRF field of a form posted without a session: it must
// equal the cookie, which the server must have issued.
func (s *Server) checkFormToken(r *http.Request) error {
	c, err := r.Cookie(formCookie)
	if err != nil || !s.issued(c.Value) || !sameToken(r.PostFormValue("csrf"), c.Value) {
		return errCSRF
	}
	return nil
}

var errCSRF = errors.New("the form has expired; reload the page and try again")

// requireAdmin lets only the signed-in admin through and, for POSTs, only with the
// session's CSRF token.
func (s *Server) requireAdmin(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sess, secret := s.session(r, adminCookie, "admin")
		if sess == nil {
			if r.Method == http.MethodGet {
				http.Redirect(w, r, "/admin/login", http.StatusSeeOther)
				return
			}
			http.Error(w, "Not signed in.", http.StatusUnauthorized)
			return
		}
		if r.Method == http.MethodPost && !sameToken(r.PostFormValue("csrf"), sess.CSRF) {
			http.Error(w, errCSRF.Error(), http.StatusForbidden)
			return
		}
		next(w, r.WithContext(withSession(r.Context(), sess, secret)))
	}
}

// requireMember lets only a signed-in, still active member of the workspace in the
// path through, and for POSTs only with the session's CSRF token. A member who was
// deactivated or deleted since signing in is signed out here.
func (s *Server) requireMember(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ws := r.PathValue("ws")
		sess, secret := s.session(r, memberCookie, "member")
		if sess == nil || sess.WorkspaceID != ws {
			http.Redirect(w, r, "/w/"+ws, http.StatusSeeOther)
			return
		}
		if r.Method == http.MethodPost && !sameToken(r.PostFormValue("csrf"), sess.CSRF) {
			http.Error(w, errCSRF.Error(), http.StatusForbidden)
			return
		}
		next(w, r.WithContext(withSession(r.Context(), sess, secret)))
	}
}
