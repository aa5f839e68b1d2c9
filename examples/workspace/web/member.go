package web

import (
	"errors"
	"net/http"
	"net/url"
	"time"

	"github.com/scimkit/scimkit/examples/workspace/store"
)

// bookingPage is the data of a member's page: the desks on one day and their bookings.
type bookingPage struct {
	Workspace *store.Workspace
	Member    *store.Member // nil: show the sign-in form
	Day       string
	Desks     []deskDay
	Mine      []store.Booking
}

type deskDay struct {
	store.Desk
	BookedBy string // "" when free
}

func (s *Server) memberHome(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ws, err := s.db.Workspace(ctx, r.PathValue("ws"))
	if s.failed(w, r, err) {
		return
	}
	v := view{Title: ws.Name, Flash: notices[r.URL.Query().Get("notice")]}
	sess, secret := s.session(r, memberCookie, "member")
	if sess == nil || sess.WorkspaceID != ws.ID {
		v.CSRF, v.Data = s.formToken(w, r), bookingPage{Workspace: ws}
		s.render(w, r, http.StatusOK, "signin", v)
		return
	}
	m, err := s.db.Member(ctx, ws.ID, sess.MemberID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, err)
		return
	}
	if m == nil || !m.Active {
		// Deprovisioned since signing in: the session ends now.
		s.db.DeleteSession(ctx, secret)
		s.clearCookie(w, memberCookie)
		v.CSRF, v.Data = s.formToken(w, r), bookingPage{Workspace: ws}
		v.Flash, v.Error = "", "Your account was deactivated by your organisation, so you were signed out."
		s.render(w, r, http.StatusForbidden, "signin", v)
		return
	}
	day := r.URL.Query().Get("day")
	if _, err := time.Parse(time.DateOnly, day); err != nil {
		day = time.Now().UTC().Format(time.DateOnly)
	}
	p := bookingPage{Workspace: ws, Member: m, Day: day}
	desks, err := s.db.Desks(ctx, ws.ID)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	booked, err := s.db.BookingsOn(ctx, ws.ID, day)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	by := map[string]string{}
	for _, b := range booked {
		by[b.DeskID] = b.MemberName
	}
	for _, d := range desks {
		p.Desks = append(p.Desks, deskDay{Desk: d, BookedBy: by[d.ID]})
	}
	if p.Mine, err = s.db.BookingsOf(ctx, ws.ID, m.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	v.CSRF, v.Data = sess.CSRF, p
	s.render(w, r, http.StatusOK, "book", v)
}

func (s *Server) memberSignIn(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ws, err := s.db.Workspace(ctx, r.PathValue("ws"))
	if s.failed(w, r, err) {
		return
	}
	v := view{Title: ws.Name, Data: bookingPage{Workspace: ws}}
	if err := s.checkFormToken(r); err != nil {
		v.CSRF, v.Error = s.formToken(w, r), err.Error()
		s.render(w, r, http.StatusForbidden, "signin", v)
		return
	}
	m, err := s.db.SignIn(ctx, ws.ID, r.PostFormValue("email"))
	switch {
	case errors.Is(err, store.ErrInactive):
		v.CSRF, v.Error = s.formToken(w, r), "Your account is deactivated. Ask your IT team to re-enable it in your identity provider."
		s.render(w, r, http.StatusForbidden, "signin", v)
		return
	case errors.Is(err, store.ErrNotFound):
		v.CSRF, v.Error = s.formToken(w, r), "Nobody with that email is a member of this workspace."
		s.render(w, r, http.StatusUnauthorized, "signin", v)
		return
	case err != nil:
		s.fail(w, r, err)
		return
	}
	secret, err := s.db.CreateSession(ctx, store.Session{Kind: "member", WorkspaceID: ws.ID, MemberID: m.ID,
		Expires: store.Now().Add(memberSessionTTL)})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.setCookie(w, memberCookie, secret, memberSessionTTL, http.SameSiteLaxMode)
	http.Redirect(w, r, "/w/"+url.PathEscape(ws.ID), http.StatusSeeOther)
}

func (s *Server) memberSignOut(w http.ResponseWriter, r *http.Request) {
	if _, secret := s.session(r, memberCookie, "member"); secret != "" {
		if err := s.db.DeleteSession(r.Context(), secret); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	s.clearCookie(w, memberCookie)
	http.Redirect(w, r, "/w/"+url.PathEscape(r.PathValue("ws"))+"?notice=signed-out", http.StatusSeeOther)
}

func (s *Server) memberBook(w http.ResponseWriter, r *http.Request) {
	sess := sessionFrom(r.Context())
	ws, day := r.PathValue("ws"), r.PostFormValue("day")
	_, err := s.db.Book(r.Context(), ws, sess.MemberID, r.PostFormValue("desk"), day)
	back := "/w/" + url.PathEscape(ws) + "?day=" + url.QueryEscape(day)
	switch {
	case errors.Is(err, store.ErrInactive), errors.Is(err, store.ErrNotFound):
		// Deactivated or deleted since the page was shown (memberHome then signs them
		// out), or a desk that does not exist.
		http.Redirect(w, r, back, http.StatusSeeOther)
	case errors.Is(err, store.ErrTaken):
		http.Error(w, "Someone booked that desk a moment ago; go back and pick another.", http.StatusConflict)
	case err != nil:
		http.Error(w, "That booking is not possible.", http.StatusBadRequest)
	default:
		http.Redirect(w, r, back+"&notice=booked", http.StatusSeeOther)
	}
}
