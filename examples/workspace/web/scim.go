package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/scimkit/scimkit/examples/workspace/scimstore"
	"github.com/scimkit/scimkit/examples/workspace/store"
	"github.com/scimkit/scimkit/scim"
)

// newSCIMHandler builds the SCIM endpoint: scimkit's Handler over the app's SQL
// stores, with the workspace tokens as bearer tokens and the activity log fed by
// its events. This is all the wiring a host app needs.
func (s *Server) newSCIMHandler() (http.Handler, error) {
	h, err := scim.NewHandler(scim.Config{
		Users:   scimstore.NewUsers(s.db),
		Groups:  scimstore.NewGroups(s.db),
		Auth:    scim.BearerTokens(scim.TokenVerifierFunc(s.verifyToken)),
		Events:  s.collectEvent,
		BaseURL: s.SCIMBaseURL(),
		Logger:  s.log,
	})
	if err != nil {
		return nil, err
	}
	return s.withActivityLog(h), nil
}

// verifyToken resolves a Secret Token to its workspace. A workspace whose admin
// switched provisioning off gets 403; a database outage 503, so that the identity
// provider retries instead of deciding the token is wrong.
func (s *Server) verifyToken(ctx context.Context, t scim.Token) (string, error) {
	ws, err := s.db.VerifyToken(ctx, string(t))
	switch {
	case err == nil:
		noteFrom(ctx).setTenant(ws)
		return ws, nil
	case errors.Is(err, store.ErrNotFound):
		return "", scim.ErrUnauthenticated
	case errors.Is(err, store.ErrDisabled):
		noteFrom(ctx).setTenant(ws)
		return "", &scim.Error{Status: http.StatusForbidden,
			Detail: "provisioning is disabled for this workspace; an admin can enable it on the app's User provisioning page"}
	}
	s.log.Error("verify SCIM token", "err", err)
	return "", &scim.Error{Status: http.StatusServiceUnavailable, Detail: "cannot check credentials right now; retry later"}
}

// collectEvent is the Handler's Config.Events: it keeps the event with the request,
// to be written to the activity log with the response's status.
func (s *Server) collectEvent(ctx context.Context, e scim.Event) {
	if n := noteFrom(ctx); n != nil {
		n.add(e)
		return
	}
	s.writeEvents(ctx, e.Tenant, 0, []scim.Event{e})
}

// withActivityLog records in the workspace's activity log every change a SCIM
// request made, and every request of a known workspace that failed, when the
// response status is written (so before the identity provider sees it).
func (s *Server) withActivityLog(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := &requestNote{}
		rw := &activityWriter{ResponseWriter: w, flush: func(status int) {
			tenant, events := n.take()
			if len(events) > 0 {
				s.writeEvents(r.Context(), tenant, status, events)
			} else if status >= 400 && tenant != "" {
				s.writeFailure(r, tenant, status)
			}
		}}
		h.ServeHTTP(rw, r.WithContext(context.WithValue(r.Context(), noteKey{}, n)))
		rw.WriteHeader(http.StatusOK) // no-op if the handler wrote a status
	})
}

// writeEvents appends events to the log. The activity log must not fail the SCIM
// request that it describes, so errors are only logged.
func (s *Server) writeEvents(ctx context.Context, tenant string, status int, events []scim.Event) {
	for _, e := range events {
		if e.Tenant != "" {
			tenant = e.Tenant
		}
		attrs := e.Changed
		if len(e.MembersAdded)+len(e.MembersRemoved) > 0 {
			attrs = append(attrs[:0:0], attrs...)
			for i, a := range attrs {
				if a == "members" {
					attrs[i] = fmt.Sprintf("members (+%d −%d)", len(e.MembersAdded), len(e.MembersRemoved))
				}
			}
		}
		err := s.db.RecordEvent(context.WithoutCancel(ctx), store.Event{
			WorkspaceID:  tenant,
			At:           e.Time,
			UserAgent:    e.UserAgent,
			Operation:    string(e.Type),
			ResourceType: e.ResourceType,
			ResourceID:   e.ID,
			ResourceName: s.db.ResourceName(context.WithoutCancel(ctx), e.ResourceType, e.ID),
			Attributes:   attrs,
			Status:       status,
		})
		if err != nil {
			s.log.Error("record provisioning activity", "err", err)
		}
		// A side effect: people the identity provider turned off are signed out now.
		// (Each request checks the member too; this also ends idle sessions.)
		if e.Type == scim.UserDeactivated || e.Type == scim.UserDeleted {
			if err := s.db.EndMemberSessions(context.WithoutCancel(ctx), tenant, e.ID); err != nil {
				s.log.Error("end sessions of a deprovisioned member", "err", err)
			}
		}
	}
}

// writeFailure logs a refused or failed SCIM request of a known workspace.
func (s *Server) writeFailure(r *http.Request, tenant string, status int) {
	path := strings.Trim(strings.TrimPrefix(r.URL.Path, ScimPath), "/")
	kind, id, _ := strings.Cut(path, "/")
	kind = strings.TrimSuffix(kind, "s") // Users → User, Groups → Group
	err := s.db.RecordEvent(context.WithoutCancel(r.Context()), store.Event{
		WorkspaceID:  tenant,
		UserAgent:    r.UserAgent(),
		Operation:    r.Method + " failed",
		ResourceType: kind,
		ResourceID:   loggable(id),
		ResourceName: loggable(id),
		Status:       status,
	})
	if err != nil {
		s.log.Error("record provisioning failure", "err", err)
	}
}

// loggable makes text taken from a request URL fit a text column: valid UTF-8, no NUL
// (PostgreSQL refuses it), and at most 200 bytes.
func loggable(s string) string {
	s = strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
	if len(s) > 200 {
		s = strings.ToValidUTF8(s[:200], "") + "…"
	}
	return s
}

// A requestNote collects what the activity log needs to know about one SCIM request.
type requestNote struct {
	mu     sync.Mutex
	tenant string
	events []scim.Event
}

type noteKey struct{}

func noteFrom(ctx context.Context) *requestNote {
	n, _ := ctx.Value(noteKey{}).(*requestNote)
	return n
}

func (n *requestNote) setTenant(t string) {
	if n != nil {
		n.mu.Lock()
		n.tenant = t
		n.mu.Unlock()
	}
}

func (n *requestNote) add(e scim.Event) {
	n.mu.Lock()
	n.events = append(n.events, e)
	n.mu.Unlock()
}

func (n *requestNote) take() (string, []scim.Event) {
	n.mu.Lock()
	defer n.mu.Unlock()
	es := n.events
	n.events = nil
	return n.tenant, es
}

// activityWriter calls flush once, with the status, before the status is sent.
type activityWriter struct {
	http.ResponseWriter
	flush   func(status int)
	flushed bool
}

func (w *activityWriter) WriteHeader(status int) {
	if w.flushed {
		return
	}
	w.flushed = true
	w.flush(status)
	w.ResponseWriter.WriteHeader(status)
}

func (w *activityWriter) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *activityWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
