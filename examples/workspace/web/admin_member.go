package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"

	"github.com/scimkit/scimkit/examples/workspace/store"
	"github.com/scimkit/scimkit/scim"
)

// memberPage is the data of the page of one provisioned member: every attribute
// the app keeps, as SCIM reads it back, and the member's provisioning history.
type memberPage struct {
	Workspace  *store.Workspace
	Member     *store.Member
	Attributes []attributeValue
	Log        logView
}

// An attributeValue is one line of a member's attributes: a short path and its value.
type attributeValue struct{ Attribute, Value string }

func (s *Server) adminMember(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ws, err := s.db.Workspace(ctx, r.PathValue("ws"))
	if s.failed(w, r, err) {
		return
	}
	m, err := s.db.Member(ctx, ws.ID, r.PathValue("member"))
	if s.failed(w, r, err) {
		return
	}
	u, err := s.store.GetUser(scim.WithTenant(ctx, ws.ID), m.ID)
	if s.failed(w, r, err) {
		return
	}
	p := memberPage{Workspace: ws, Member: m, Attributes: s.flatten(ctx, "", u.Tree())}
	if p.Log, err = s.readLog(r, ws.ID, nil, m); err != nil {
		s.fail(w, r, err)
		return
	}
	s.render(w, r, http.StatusOK, "admin_member", view{Title: m.Name() + ": " + ws.Name, Admin: true,
		CSRF: sessionFrom(ctx).CSRF, Data: p})
}

// flatten lists the attributes of a resource tree as lines, sorted by path: complex
// attributes by sub-attribute ("name.givenName"), extension attributes under their
// short names, each value of a multi-valued attribute on its own line. A manager's id
// is followed by the manager's userName.
func (s *Server) flatten(ctx context.Context, prefix string, tree map[string]any) []attributeValue {
	keys := make([]string, 0, len(tree))
	for k := range tree {
		if k != "schemas" {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	var out []attributeValue
	for _, k := range keys {
		path := prefix + k
		if strings.HasPrefix(strings.ToLower(k), "urn:") {
			path = "" // an extension's attributes go by their own names
		}
		switch v := tree[k].(type) {
		case map[string]any:
			if path == "" {
				out = append(out, s.flatten(ctx, "", v)...)
			} else {
				out = append(out, s.flatten(ctx, path+".", v)...)
			}
		case []any:
			for _, item := range v {
				out = append(out, attributeValue{path, valueLine(item)})
			}
		default:
			line := attributeValue{path, valueLine(v)}
			if path == "manager.value" {
				if name := s.db.ResourceName(ctx, "User", line.Value); name != "" {
					line.Value += " (" + name + ")"
				}
			}
			out = append(out, line)
		}
	}
	return out
}

// valueLine shows one value: a complex value as "key: value" pairs, its primary flag
// and type first.
func valueLine(v any) string {
	m, ok := v.(map[string]any)
	if !ok {
		return fmt.Sprint(v)
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, k+": "+fmt.Sprint(m[k]))
	}
	return strings.Join(parts, " · ")
}

// memberURL is the URL of a member's page.
func memberURL(ws, id string) string {
	return "/admin/workspaces/" + url.PathEscape(ws) + "/members/" + url.PathEscape(id)
}
