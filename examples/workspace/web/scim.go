package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/scimkit/scimkit/examples/workspace/store"
	"github.com/scimkit/scimkit/scim"
)

// newSCIMHandler builds the SCIM endpoint: scimkit's Handler over the app's SQL
// store, with the workspace tokens as bearer tokens and the activity log fed by its
// events (changes) and failures. This is all the wiring a host app needs.
func (s *Server) newSCIMHandler() (http.Handler, error) {
	return scim.NewHandler(scim.Config{
		Users:    s.store,
		Groups:   s.store,
		Auth:     scim.BearerTokens(scim.TokenVerifierFunc(s.verifyToken)),
		Events:   s.recordEvent,
		Failures: s.recordFailure,
		BaseURL:  s.SCIMBaseURL(),
		Logger:   s.log,
	})
}

// verifyToken resolves a Secret Token to its workspace. A workspace whose admin
// switched provisioning off gets 403; a database outage 503, so that the identity
// provider retries instead of deciding the token is wrong.
func (s *Server) verifyToken(ctx context.Context, t scim.Token) (string, error) {
	ws, err := s.db.VerifyToken(ctx, string(t))
	switch {
	case err == nil:
		return ws, nil
	case errors.Is(err, store.ErrNotFound):
		return "", scim.ErrUnauthenticated
	case errors.Is(err, store.ErrDisabled):
		return "", &scim.Error{Status: http.StatusForbidden,
			Detail: "provisioning is disabled for this workspace; an admin can enable it on the app's User provisioning page"}
	}
	s.log.Error("verify SCIM token", "err", err)
	return "", &scim.Error{Status: http.StatusServiceUnavailable, Detail: "cannot check credentials right now; retry later"}
}

// membersNamed is how many of the people a group change added (or removed) the log
// names; it counts the others.
const membersNamed = 5

// recordEvent is the Handler's Config.Events: it writes a change to the activity log.
// The log must not fail the request it describes, so errors are only logged.
func (s *Server) recordEvent(ctx context.Context, e scim.Event) {
	ctx = context.WithoutCancel(ctx)
	ev := store.Event{
		WorkspaceID:  e.Tenant,
		At:           e.Time,
		UserAgent:    loggable(e.UserAgent),
		Operation:    string(e.Type),
		ResourceType: e.ResourceType,
		ResourceID:   e.ID,
		ResourceName: s.db.ResourceName(ctx, e.ResourceType, e.ID),
		Status:       successStatus(e.Type),
	}
	for _, p := range e.Changed {
		ev.Attributes = append(ev.Attributes, shortName(p))
	}
	for _, v := range e.Values {
		ev.Values = append(ev.Values, store.ValueChange{Attribute: shortName(v.Path), Old: valueText(v.Old), New: valueText(v.New)})
	}
	ev.Added, ev.AddedMore = s.memberNames(ctx, e.MembersAdded)
	ev.Removed, ev.RemovedMore = s.memberNames(ctx, e.MembersRemoved)
	for _, p := range e.Skipped {
		ev.Skipped = append(ev.Skipped, loggable(shortName(p)))
	}
	if err := s.db.RecordEvent(ctx, ev); err != nil {
		s.log.Error("record provisioning activity", "err", err)
	}
}

// recordFailure is the Handler's Config.Failures: it writes a failed request to the
// activity log with its reason. A refused token is matched against the stored token
// hashes, so that the row names the token's workspace and label; a token that
// matches none goes to the log of refused requests of no workspace.
func (s *Server) recordFailure(ctx context.Context, f scim.Failure) {
	ctx = context.WithoutCancel(ctx)
	ev := store.Event{
		WorkspaceID:  f.Tenant,
		At:           f.Time,
		UserAgent:    loggable(f.UserAgent),
		Operation:    string(f.Operation),
		ResourceType: f.ResourceType,
		ResourceID:   loggable(f.ID),
		ResourceName: loggable(f.Name),
		Status:       f.Status,
		EventDetails: store.EventDetails{
			Method: loggable(f.Method), Path: loggable(f.Path), ScimType: loggable(f.ScimType), Detail: loggable(f.Detail),
		},
	}
	if f.Operation == scim.OpAuthenticate {
		switch t, err := s.db.TokenByHashPrefix(ctx, f.TokenHint); {
		case f.TokenHint == "":
			ev.Token = "no token sent"
		case err != nil:
			ev.Token = "unknown token (hash " + f.TokenHint + "…)"
		default:
			ev.WorkspaceID, ev.Token = t.WorkspaceID, t.Name()
			if t.Revoked {
				ev.Token += " (revoked)"
			}
		}
	}
	if ev.ResourceName == "" && f.ID != "" && ev.WorkspaceID != "" {
		ev.ResourceName = s.db.ResourceName(ctx, f.ResourceType, ev.ResourceID)
	}
	if err := s.db.RecordEvent(ctx, ev); err != nil {
		s.log.Error("record provisioning failure", "err", err)
	}
}

// successStatus is the status the Handler answers a change of type t with.
func successStatus(t scim.EventType) int {
	switch t {
	case scim.UserCreated, scim.GroupCreated:
		return http.StatusCreated
	case scim.UserDeleted, scim.GroupDeleted:
		return http.StatusNoContent
	}
	return http.StatusOK
}

// memberNames returns the names of the first membersNamed people of ids and how many
// more there are.
func (s *Server) memberNames(ctx context.Context, ids []string) (names []string, more int) {
	for i, id := range ids {
		if i == membersNamed {
			return names, len(ids) - i
		}
		name := s.db.ResourceName(ctx, "User", id)
		if name == "" {
			name = loggable(id)
		}
		names = append(names, name)
	}
	return names, 0
}

// shortName drops the schema URN of an extension attribute's path:
// "urn:…:enterprise:2.0:User:manager" is shown as "manager".
func shortName(path string) string {
	if !strings.HasPrefix(strings.ToLower(path), "urn:") {
		return path
	}
	return path[strings.LastIndex(path, ":")+1:]
}

// valueText is how the log shows a single value of a ChangedValue: "" for none.
func valueText(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return loggable(v)
	case json.Number:
		return v.String()
	}
	return loggable(fmt.Sprint(v))
}

// loggable makes text taken from a request fit a text column: valid UTF-8, no NUL
// (PostgreSQL refuses it), and at most 200 bytes.
func loggable(s string) string {
	s = strings.ReplaceAll(strings.ToValidUTF8(s, "\uFFFD"), "\x00", "")
	if len(s) > 200 {
		s = strings.ToValidUTF8(s[:200], "") + "…"
	}
	return s
}
