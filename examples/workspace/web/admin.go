package web

import (
	"crypto/subtle"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/scimkit/scimkit/examples/workspace/store"
)

// notices are the fixed messages a redirect can ask a page to show (?notice=…), so
// that nothing from the URL is ever echoed into the page.
var notices = map[string]string{
	"token-created":         "A new token was generated. Copy it now: it will not be shown again.",
	"token-revoked":         "The token was revoked. Requests that present it now get 401.",
	"provisioning-enabled":  "Provisioning is on: SCIM requests with a live token are served.",
	"provisioning-disabled": "Provisioning is off: SCIM requests for this workspace now get 403.",
	"booked":                "Booked.",
	"signed-out":            "You are signed out.",
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) {
	s.render(w, r, http.StatusOK, "home", view{Title: "Workspace"})
}

func (s *Server) adminLoginPage(w http.ResponseWriter, r *http.Request) {
	if sess, _ := s.session(r, adminCookie, "admin"); sess != nil {
		http.Redirect(w, r, "/admin", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "admin_login", view{Title: "Admin sign-in", CSRF: s.formToken(w, r)})
}

func (s *Server) adminLogin(w http.ResponseWriter, r *http.Request) {
	refuse := func(status int, msg string) {
		s.render(w, r, status, "admin_login", view{Title: "Admin sign-in", CSRF: s.formToken(w, r), Error: msg})
	}
	if err := s.checkFormToken(r); err != nil {
		refuse(http.StatusForbidden, err.Error())
		return
	}
	client := clientAddress(r)
	if wait := s.logins.wait(client); wait > 0 {
		secs := int((wait + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", strconv.Itoa(secs))
		refuse(http.StatusTooManyRequests, fmt.Sprintf("Too many wrong passwords. Wait %s before you try again.", plural(secs, "second")))
		return
	}
	if subtle.ConstantTimeCompare([]byte(r.PostFormValue("password")), s.admin) != 1 {
		s.logins.failed(client)
		refuse(http.StatusUnauthorized, "Wrong password. The app printed the admin password when it started.")
		return
	}
	s.logins.succeeded(client)
	secret, err := s.db.CreateSession(r.Context(), store.Session{Kind: "admin", Expires: store.Now().Add(adminSessionTTL)})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.setCookie(w, adminCookie, secret, adminSessionTTL, http.SameSiteStrictMode)
	http.Redirect(w, r, "/admin", http.StatusSeeOther)
}

func (s *Server) adminLogout(w http.ResponseWriter, r *http.Request) {
	if err := s.db.DeleteSession(r.Context(), sessionSecretFrom(r.Context())); err != nil {
		s.fail(w, r, err)
		return
	}
	s.clearCookie(w, adminCookie)
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// adminIndexPage is the data of the admin's list of workspaces.
type adminIndexPage struct {
	Workspaces []store.Workspace
	// Unmatched are the newest refused requests whose token matches no workspace.
	Unmatched []store.Event
	Name      string // the name typed into the create form, shown again on error
}

func (s *Server) adminIndex(w http.ResponseWriter, r *http.Request) {
	s.showIndex(w, r, http.StatusOK, "", "")
}

func (s *Server) showIndex(w http.ResponseWriter, r *http.Request, status int, name, problem string) {
	ctx := r.Context()
	p := adminIndexPage{Name: name}
	var err error
	if p.Workspaces, err = s.db.Workspaces(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	if p.Unmatched, _, err = s.db.Events(ctx, store.EventQuery{Limit: 10}); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, status, "admin_index", view{Title: "Admin", Admin: true, CSRF: sessionFrom(ctx).CSRF, Error: problem, Data: p})
}

// checkName returns why name cannot name a workspace or a token, or "".
func checkName(what, name string, max int) string {
	switch {
	case name == "":
		return what + " needs a name."
	case utf8.RuneCountInString(name) > max:
		return fmt.Sprintf("%s name can have at most %d characters.", what, max)
	}
	return "" // textOK (ServeHTTP) already refused NUL, control characters and invalid UTF-8
}

func (s *Server) adminCreateWorkspace(w http.ResponseWriter, r *http.Request) {
	name := strings.TrimSpace(r.PostFormValue("name"))
	if problem := checkName("A workspace", name, 100); problem != "" {
		s.showIndex(w, r, http.StatusBadRequest, name, problem)
		return
	}
	ws, err := s.db.CreateWorkspace(r.Context(), name)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, workspaceURL(ws.ID, nil, ""), http.StatusSeeOther)
}

// workspaceURL is the URL of a workspace's page with query q, at fragment frag.
func workspaceURL(ws string, q url.Values, frag string) string {
	u := "/admin/workspaces/" + url.PathEscape(ws)
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	if frag != "" {
		u += "#" + frag
	}
	return u
}

// workspacePage is the data of the "User provisioning" page of one workspace.
type workspacePage struct {
	Workspace   *store.Workspace
	SCIMBaseURL string
	SignInURL   string
	NewToken    string // a token generated by the POST that redirected here, shown once
	Health      *store.Health
	LastContact time.Time // the newest use of a live token: the last request that authenticated
	Tokens      []store.Token
	Search      string // the member search
	Members     []*store.Member
	Teams       []store.Team
	Attributes  []attributeRow
	Log         logView
}

// logView is an activity log with its filter and pager.
type logView struct {
	Events     []store.Event
	Workspace  string
	Filter     store.EventQuery
	Operations []string // the choices of the operation filter
	OnePerson  bool     // the log of one member, without the person filter
	Older      string   // URL of the next page of older events, "" if none
	Newest     string   // URL of the newest page, "" on it
}

// eventsPerPage is the page size of the activity log.
const eventsPerPage = 25

// readLog reads the page of the log that the request's query selects: who, op,
// result, before. base is the query the pager links keep; a member m (or nil) fixes
// the person.
func (s *Server) readLog(r *http.Request, ws string, base url.Values, m *store.Member) (logView, error) {
	q := r.URL.Query()
	f := store.EventQuery{Workspace: ws, Resource: strings.TrimSpace(q.Get("who")), Operation: q.Get("op"),
		Result: q.Get("result"), Limit: eventsPerPage}
	fixed := m != nil
	if fixed {
		f.Resource, f.Member, f.MemberUserName = "", m.ID, m.UserName
	}
	f.Before, _ = strconv.ParseInt(q.Get("before"), 10, 64)
	lv := logView{Workspace: ws, Filter: f, OnePerson: fixed}
	var more bool
	var err error
	if lv.Events, more, err = s.db.Events(r.Context(), f); err != nil {
		return lv, err
	}
	if lv.Operations, err = s.db.Operations(r.Context(), ws); err != nil {
		return lv, err
	}
	page := url.Values{}
	for k, v := range base {
		page[k] = v
	}
	for k, v := range map[string]string{"who": q.Get("who"), "op": f.Operation, "result": f.Result} {
		if v != "" && (k != "who" || !fixed) {
			page.Set(k, v)
		}
	}
	link := func() string {
		if len(page) == 0 {
			return r.URL.Path + "#activity"
		}
		return r.URL.Path + "?" + page.Encode() + "#activity"
	}
	if f.Before > 0 {
		lv.Newest = link()
	}
	if more {
		page.Set("before", strconv.FormatInt(lv.Events[len(lv.Events)-1].ID, 10))
		lv.Older = link()
	}
	return lv, nil
}

func (s *Server) adminWorkspace(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ws, err := s.db.Workspace(ctx, r.PathValue("ws"))
	if s.failed(w, r, err) {
		return
	}
	p := workspacePage{Workspace: ws, SCIMBaseURL: s.SCIMBaseURL(), SignInURL: s.baseURL + "/w/" + ws.ID,
		Search: strings.TrimSpace(r.URL.Query().Get("q")), Attributes: s.attrs}
	if p.NewToken, err = s.takeFlash(ctx); err != nil {
		s.fail(w, r, err)
		return
	}
	if p.Health, err = s.db.Health(ctx, ws.ID, store.Now()); err != nil {
		s.fail(w, r, err)
		return
	}
	base := url.Values{}
	if p.Search != "" {
		base.Set("q", p.Search)
	}
	if p.Log, err = s.readLog(r, ws.ID, base, nil); err != nil {
		s.fail(w, r, err)
		return
	}
	if p.Tokens, err = s.db.Tokens(ctx, ws.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	for _, t := range p.Tokens {
		if t.LastUsed.After(p.LastContact) {
			p.LastContact = t.LastUsed
		}
	}
	if p.Members, err = s.db.Members(ctx, ws.ID, p.Search); err != nil {
		s.fail(w, r, err)
		return
	}
	if p.Teams, err = s.db.Teams(ctx, ws.ID); err != nil {
		s.fail(w, r, err)
		return
	}
	notice := notices[r.URL.Query().Get("notice")]
	if p.NewToken == "" && r.URL.Query().Get("notice") == "token-created" {
		notice = "" // the one-time token was shown already
	}
	s.render(w, r, http.StatusOK, "admin_workspace", view{
		Title: ws.Name + ": User provisioning", Admin: true, CSRF: sessionFrom(ctx).CSRF, Flash: notice, Data: p,
	})
}

// adminCreateToken makes a labelled token and redirects to the workspace page,
// which shows its secret once: the secret travels in a sealed server-side flash,
// never in a URL, and reloading the page neither shows it again nor makes another.
func (s *Server) adminCreateToken(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ws := r.PathValue("ws")
	label := strings.TrimSpace(r.PostFormValue("label"))
	if problem := checkName("A token", label, 60); problem != "" {
		s.renderMessage(w, r, http.StatusBadRequest, problem, workspaceURL(ws, nil, "tokens"))
		return
	}
	secret, _, err := s.db.CreateLabeledToken(ctx, ws, label)
	if s.failed(w, r, err) {
		return
	}
	if err := s.setFlash(ctx, secret); err != nil {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, workspaceURL(ws, url.Values{"notice": {"token-created"}}, "tokens"), http.StatusSeeOther)
}

// confirmPage is the data of a page that asks before a POST that stops provisioning.
type confirmPage struct {
	Question    string
	Consequence string
	Action      string            // where the form posts
	Fields      map[string]string // hidden fields besides csrf
	Button      string
	Cancel      string // URL back
}

func (s *Server) adminConfirmRevoke(w http.ResponseWriter, r *http.Request) {
	ws := r.PathValue("ws")
	t, err := s.db.Token(r.Context(), ws, r.PathValue("token"))
	if s.failed(w, r, err) {
		return
	}
	if t.Revoked {
		http.Redirect(w, r, workspaceURL(ws, url.Values{"notice": {"token-revoked"}}, "tokens"), http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "confirm", view{Title: "Revoke token", Admin: true, CSRF: sessionFrom(r.Context()).CSRF,
		Data: confirmPage{
			Question:    fmt.Sprintf("Revoke the token %q?", t.Name()),
			Consequence: "Every request that presents it will get 401 from now on. An identity provider that still uses it stops provisioning until you give it another token; Entra ID quarantines the app after a while.",
			Action:      r.URL.Path, Button: "Revoke token", Cancel: workspaceURL(ws, nil, "tokens"),
		}})
}

func (s *Server) adminRevokeToken(w http.ResponseWriter, r *http.Request) {
	ws := r.PathValue("ws")
	err := s.db.RevokeToken(r.Context(), ws, r.PathValue("token"))
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, err)
		return
	}
	http.Redirect(w, r, workspaceURL(ws, url.Values{"notice": {"token-revoked"}}, "tokens"), http.StatusSeeOther)
}

func (s *Server) adminConfirmDisable(w http.ResponseWriter, r *http.Request) {
	ws, err := s.db.Workspace(r.Context(), r.PathValue("ws"))
	if s.failed(w, r, err) {
		return
	}
	s.render(w, r, http.StatusOK, "confirm", view{Title: "Disable provisioning", Admin: true, CSRF: sessionFrom(r.Context()).CSRF,
		Data: confirmPage{
			Question:    fmt.Sprintf("Disable provisioning of %q?", ws.Name),
			Consequence: "Every SCIM request for this workspace will get 403 until you enable it again: new people are not created and people who leave are not deactivated. Nothing is deleted.",
			Action:      "/admin/workspaces/" + url.PathEscape(ws.ID) + "/provisioning", Fields: map[string]string{"enabled": "false"},
			Button: "Disable provisioning", Cancel: workspaceURL(ws.ID, nil, "provisioning"),
		}})
}

func (s *Server) adminSetProvisioning(w http.ResponseWriter, r *http.Request) {
	ws := r.PathValue("ws")
	enabled := r.PostFormValue("enabled") == "true"
	err := s.db.SetProvisioning(r.Context(), ws, enabled)
	if s.failed(w, r, err) {
		return
	}
	notice := "provisioning-disabled"
	if enabled {
		notice = "provisioning-enabled"
	}
	http.Redirect(w, r, workspaceURL(ws, url.Values{"notice": {notice}}, "provisioning"), http.StatusSeeOther)
}

// renderMessage answers with a page that shows problem and a link back.
func (s *Server) renderMessage(w http.ResponseWriter, r *http.Request, status int, problem, back string) {
	s.render(w, r, status, "message", view{Title: "Not done", Admin: true, CSRF: sessionFrom(r.Context()).CSRF,
		Error: problem, Data: back})
}
