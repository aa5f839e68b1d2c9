package web

import (
	"context"
	"crypto/subtle"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/scimkit/scimkit/examples/workspace/scimstore"
	"github.com/scimkit/scimkit/examples/workspace/store"
	"github.com/scimkit/scimkit/sqlstore"
)

// Config configures a [Server].
type Config struct {
	// DB is the app's database. Required.
	DB *store.DB
	// BaseURL is the URL at which browsers and identity providers reach the app,
	// without a trailing slash, such as "http://127.0.0.1:8080". Required: the admin
	// page shows BaseURL + "/scim/v2" as the SCIM Tenant URL.
	BaseURL string
	// AdminPassword is the password of the admin pages. Required.
	AdminPassword string
	// Logger receives request errors. Nil means slog.Default().
	Logger *slog.Logger
}

// ScimPath is where the SCIM endpoint is mounted.
const ScimPath = "/scim/v2"

// A Server serves the whole app. It is safe for concurrent use, and any number of
// Servers (in one process or many) may share one database.
type Server struct {
	db      *store.DB
	baseURL string
	admin   []byte
	log     *slog.Logger
	pages   map[string]*template.Template
	mux     *http.ServeMux
	scim    http.Handler
	secure  bool   // cookies only over HTTPS
	formKey []byte // signs the double-submit tokens of forms shown without a session
	logins  *loginLimiter
	attrs   []attributeRow  // the attribute table of the admin page
	store   *sqlstore.Store // SCIM users and groups (package scimstore)
}

//go:embed templates
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// New returns a Server for cfg.
func New(cfg Config) (*Server, error) {
	if cfg.DB == nil || cfg.BaseURL == "" || cfg.AdminPassword == "" {
		return nil, errors.New("web: Config.DB, BaseURL and AdminPassword are required")
	}
	s := &Server{
		db:      cfg.DB,
		baseURL: strings.TrimSuffix(cfg.BaseURL, "/"),
		admin:   []byte(cfg.AdminPassword),
		log:     cfg.Logger,
		secure:  strings.HasPrefix(cfg.BaseURL, "https://"),
	}
	if s.log == nil {
		s.log = slog.Default()
	}
	s.logins = newLoginLimiter()
	s.attrs = attributeTable(cfg.DB.Dialect)
	var err error
	if s.store, err = scimstore.New(cfg.DB); err != nil {
		return nil, err
	}
	if s.formKey, err = cfg.DB.Key(context.Background(), "form"); err != nil {
		return nil, err
	}
	if s.pages, err = parsePages(); err != nil {
		return nil, err
	}
	scimHandler, err := s.newSCIMHandler()
	if err != nil {
		return nil, err
	}
	static, _ := fs.Sub(staticFS, "static")
	m := http.NewServeMux()
	m.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	m.HandleFunc("GET /{$}", s.home)

	m.HandleFunc("GET /admin/login", s.adminLoginPage)
	m.HandleFunc("POST /admin/login", s.adminLogin)
	m.HandleFunc("POST /admin/logout", s.requireAdmin(s.adminLogout))
	m.HandleFunc("GET /admin", s.requireAdmin(s.adminIndex))
	m.HandleFunc("POST /admin/workspaces", s.requireAdmin(s.adminCreateWorkspace))
	m.HandleFunc("GET /admin/workspaces/{ws}", s.requireAdmin(s.adminWorkspace))
	m.HandleFunc("GET /admin/workspaces/{ws}/members/{member}", s.requireAdmin(s.adminMember))
	m.HandleFunc("POST /admin/workspaces/{ws}/tokens", s.requireAdmin(s.adminCreateToken))
	m.HandleFunc("GET /admin/workspaces/{ws}/tokens/{token}/revoke", s.requireAdmin(s.adminConfirmRevoke))
	m.HandleFunc("POST /admin/workspaces/{ws}/tokens/{token}/revoke", s.requireAdmin(s.adminRevokeToken))
	m.HandleFunc("GET /admin/workspaces/{ws}/provisioning/disable", s.requireAdmin(s.adminConfirmDisable))
	m.HandleFunc("POST /admin/workspaces/{ws}/provisioning", s.requireAdmin(s.adminSetProvisioning))

	m.HandleFunc("GET /w/{ws}", s.memberHome)
	m.HandleFunc("POST /w/{ws}/signin", s.memberSignIn)
	m.HandleFunc("POST /w/{ws}/signout", s.requireMember(s.memberSignOut))
	m.HandleFunc("POST /w/{ws}/book", s.requireMember(s.memberBook))

	s.scim = http.StripPrefix(ScimPath, scimHandler)
	s.mux = m
	return s, nil
}

// SCIMBaseURL returns the URL to give identity providers (Entra ID's Tenant URL,
// Okta's SCIM connector base URL).
func (s *Server) SCIMBaseURL() string { return s.baseURL + ScimPath }

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// SCIM requests bypass the ServeMux, which would redirect a doubled slash
	// (base URL "…/scim/v2/" + "/Users"); the SCIM handler routes those itself.
	if strings.HasPrefix(r.URL.Path, ScimPath+"/") {
		s.scim.ServeHTTP(w, r)
		return
	}
	h := w.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; form-action 'self'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
	h.Set("Cache-Control", "no-store")
	if !textOK(r.URL.Path) || !formTextOK(r) {
		s.render(w, r, http.StatusBadRequest, "message", view{Title: "Invalid text",
			Error: "The request contains text that is not valid: a NUL character, a control character or bytes that are not UTF-8. Remove them and try again."})
		return
	}
	s.mux.ServeHTTP(w, r)
}

// textOK reports whether v is text the app accepts from a browser: valid UTF-8
// without NUL or other control characters except tab and line breaks. (PostgreSQL
// refuses NUL and invalid UTF-8 in text; this keeps that a clear 400, not a 500.)
func textOK(v string) bool {
	return utf8.ValidString(v) && strings.IndexFunc(v, func(r rune) bool {
		return unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r'
	}) < 0
}

// formTextOK checks every query and form value of r with textOK.
func formTextOK(r *http.Request) bool {
	if err := r.ParseForm(); err != nil {
		return false
	}
	for k, vs := range r.Form {
		if !textOK(k) {
			return false
		}
		for _, v := range vs {
			if !textOK(v) {
				return false
			}
		}
	}
	return true
}

func parsePages() (map[string]*template.Template, error) {
	funcs := template.FuncMap{
		"time": func(t time.Time) string {
			if t.IsZero() {
				return "never"
			}
			return t.UTC().Format("2006-01-02 15:04:05 UTC")
		},
		"join":         strings.Join,
		"idp":          idpName,
		"since":        since,
		"memberURL":    memberURL,
		"workspaceURL": func(ws, frag string) string { return workspaceURL(ws, nil, frag) },
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	pages := map[string]*template.Template{}
	for _, n := range names {
		if strings.HasSuffix(n, "/layout.html") {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/parts/*.html", n)
		if err != nil {
			return nil, fmt.Errorf("web: parse %s: %w", n, err)
		}
		pages[strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")] = t
	}
	return pages, nil
}

// render writes page with data; data's fields are available as .Data, the CSRF
// token as .CSRF and a notice as .Flash.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, page string, v view) {
	t, ok := s.pages[page]
	if !ok {
		s.fail(w, r, fmt.Errorf("no page %q", page))
		return
	}
	var b strings.Builder
	if err := t.Execute(&b, v); err != nil {
		s.fail(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	w.Write([]byte(b.String()))
}

// A view is what every template receives.
type view struct {
	Title string
	CSRF  string // the token every form must send back as field "csrf"
	Flash string // a notice shown at the top of the page
	Error string // an error shown at the top of the page
	Admin bool   // the admin is signed in
	Data  any
}

func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	s.log.Error("request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	http.Error(w, "Something went wrong; see the server log.", http.StatusInternalServerError)
}

// failed answers the request when err, from a store call about what the URL names,
// is not nil: 404 for store.ErrNotFound, else 500 as fail does. It reports whether
// it answered.
func (s *Server) failed(w http.ResponseWriter, r *http.Request, err error) bool {
	switch {
	case err == nil:
		return false
	case errors.Is(err, store.ErrNotFound):
		http.NotFound(w, r)
	default:
		s.fail(w, r, err)
	}
	return true
}

// sameToken compares a submitted token with the expected one in constant time.
func sameToken(got, want string) bool {
	return want != "" && subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}
