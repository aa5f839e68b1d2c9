package web

import (
	"context"
	"crypto/rand"
	"errors"
	"net/http"
	"time"

	"github.com/scimkit/scimkit/examples/workspace/store"
)

// Cookies. Sessions live in the database (see store.Session); the cookie holds a
// random secret whose hash names the session.
const (
	adminCookie  = "ws_admin"
	memberCookie = "ws_member"
	// formCookie protects the forms shown before there is a session (admin login and
	// member sign-in) by double submission: the form field must equal the cookie.
	formCookie = "ws_form"

	adminSessionTTL  = 8 * time.Hour
	memberSessionTTL = 7 * 24 * time.Hour
)

type sessionKey struct{}

func withSession(ctx context.Context, s *store.Session) context.Context {
	return context.WithValue(ctx, sessionKey{}, s)
}

func sessionFrom(ctx context.Context) *store.Session {
	s, _ := ctx.Value(sessionKey{}).(*store.Session)
	return s
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
// setting its cookie when the browser has none yet.
func (s *Server) formToken(w http.ResponseWriter, r *http.Request) string {
	if c, err := r.Cookie(formCookie); err == nil && len(c.Value) >= 26 {
		return c.Value
	}
	t := rand.Text()
	s.setCookie(w, formCookie, t, 24*time.Hour, http.SameSiteStrictMode)
	return t
}

// checkFormToken verifies the CSRF field of a form posted without a session.
func checkFormToken(r *http.Request) error {
	c, err := r.Cookie(formCookie)
	if err != nil || !sameToken(r.PostFormValue("csrf"), c.Value) {
		return errCSRF
	}
	return nil
}

var errCSRF = errors.New("the form has expired; reload the page and try again")

// requireAdmin lets only the signed-in admin through and, for POSTs, only with the
// session's CSRF token.
func (s *Server) requireAdmin(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sess, _ := s.session(r, adminCookie, "admin")
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
		next(w, r.WithContext(withSession(r.Context(), sess)))
	}
}

// requireMember lets only a signed-in, still active member of the workspace in the
// path through, and for POSTs only with the session's CSRF token. A member who was
// deactivated or deleted since signing in is signed out here.
func (s *Server) requireMember(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ws := r.PathValue("ws")
		sess, _ := s.session(r, memberCookie, "member")
		if sess == nil || sess.WorkspaceID != ws {
			http.Redirect(w, r, "/w/"+ws, http.StatusSeeOther)
			return
		}
		if r.Method == http.MethodPost && !sameToken(r.PostFormValue("csrf"), sess.CSRF) {
			http.Error(w, errCSRF.Error(), http.StatusForbidden)
			return
		}
		next(w, r.WithContext(withSession(r.Context(), sess)))
	}
}
