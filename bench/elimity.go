package bench

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/elimity-com/scim"
	"github.com/elimity-com/scim/errors"
	"github.com/elimity-com/scim/optional"
	"github.com/elimity-com/scim/schema"
	"github.com/google/uuid"
	fp "github.com/scim2/filter-parser/v2"
)

// BaseURL is the base URL both servers under test put into meta.location, so
// that their responses are alike.
const BaseURL = "https://app.example.com/scim/v2"

// NewElimityServer returns an elimity scim.Server that serves /Users and
// /Groups (relative to the handler's root, as scimkit's handler does) over
// users and groups, with locations under [BaseURL]. The User resource type
// carries the Enterprise User extension, as it must for Entra ID.
func NewElimityServer(users *ElimityUsers, groups *ElimityGroups) (http.Handler, error) {
	s, err := scim.NewServer(&scim.ServerArgs{
		ServiceProviderConfig: &scim.ServiceProviderConfig{
			SupportFiltering: true,
			SupportPatch:     true,
		},
		ResourceTypes: []scim.ResourceType{
			{
				ID:               optional.NewString("User"),
				Name:             "User",
				Endpoint:         "/Users",
				Description:      optional.NewString("User Account"),
				Schema:           schema.CoreUserSchema(),
				SchemaExtensions: []scim.SchemaExtension{{Schema: schema.ExtensionEnterpriseUser()}},
				Handler:          users,
			},
			{
				ID:          optional.NewString("Group"),
				Name:        "Group",
				Endpoint:    "/Groups",
				Description: optional.NewString("Group"),
				Schema:      schema.CoreGroupSchema(),
				Handler:     groups,
			},
		},
	}, scim.WithBaseURL(BaseURL))
	if err != nil {
		return nil, err
	}
	return s, nil
}

type idKey struct{}

// WithID returns a copy of ctx that asks ElimityUsers.Create and
// ElimityGroups.Create to store the new resource under id instead of a fresh
// UUIDv7. The benchmarks use it to give a user the same id on both servers.
func WithID(ctx context.Context, id string) context.Context {
	return context.WithValue(ctx, idKey{}, id)
}

func newID(r *http.Request) string {
	if id, ok := r.Context().Value(idKey{}).(string); ok && id != "" {
		return id
	}
	return uuid.Must(uuid.NewV7()).String()
}

// An elimityRecord is one stored resource: the attribute map that elimity's
// schema validation produced, and its metadata.
type elimityRecord struct {
	attrs    scim.ResourceAttributes
	created  time.Time
	modified time.Time
	version  uint64
}

func (rec *elimityRecord) resource(id string) scim.Resource {
	created, modified := rec.created, rec.modified
	return scim.Resource{
		ID:         id,
		ExternalID: externalID(rec.attrs),
		Attributes: rec.attrs,
		Meta: scim.Meta{
			Created:      &created,
			LastModified: &modified,
			Version:      `W/"` + strconv.FormatUint(rec.version, 10) + `"`,
		},
	}
}

func externalID(attrs scim.ResourceAttributes) optional.String {
	if s, ok := attrs["externalId"].(string); ok {
		return optional.NewString(s)
	}
	return optional.String{}
}

// elimityTable is the storage shared by the user and group handlers: records
// by id plus the ids in creation order, so that pages are stable. It is safe
// for concurrent use. Stored attribute maps are never modified in place: a
// change stores a new map, because elimity marshals the map it is handed after
// the handler method has returned (and released its lock).
type elimityTable struct {
	mu    sync.RWMutex
	byID  map[string]*elimityRecord
	order []string
	seq   uint64
}

func newElimityTable() elimityTable {
	return elimityTable{byID: make(map[string]*elimityRecord)}
}

func (t *elimityTable) get(id string) (scim.Resource, error) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	rec, ok := t.byID[id]
	if !ok {
		return scim.Resource{}, errors.ScimErrorResourceNotFound(id)
	}
	return rec.resource(id), nil
}

// getAll answers a list request the way elimity's examples do: it walks every
// stored resource, keeps those that pass params.FilterValidator, and pages the
// result.
func (t *elimityTable) getAll(params scim.ListRequestParams) (scim.Page, error) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	page := scim.Page{Resources: []scim.Resource{}}
	for _, id := range t.order {
		rec := t.byID[id]
		if params.FilterValidator != nil {
			if err := params.FilterValidator.PassesFilter(rec.attrs); err != nil {
				continue
			}
		}
		page.TotalResults++
		if page.TotalResults >= params.StartIndex && len(page.Resources) < params.Count {
			page.Resources = append(page.Resources, rec.resource(id))
		}
	}
	return page, nil
}

func (t *elimityTable) insertLocked(id string, attrs scim.ResourceAttributes) (scim.Resource, error) {
	if _, dup := t.byID[id]; dup {
		return scim.Resource{}, errors.ScimErrorUniqueness
	}
	now := time.Now().UTC()
	t.seq++
	rec := &elimityRecord{attrs: attrs, created: now, modified: now, version: t.seq}
	t.byID[id] = rec
	t.order = append(t.order, id)
	return rec.resource(id), nil
}

func (t *elimityTable) replace(id string, attrs scim.ResourceAttributes) (scim.Resource, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	rec, ok := t.byID[id]
	if !ok {
		return scim.Resource{}, errors.ScimErrorResourceNotFound(id)
	}
	t.seq++
	next := &elimityRecord{attrs: attrs, created: rec.created, modified: time.Now().UTC(), version: t.seq}
	t.byID[id] = next
	return next.resource(id), nil
}

func (t *elimityTable) deleteLocked(id string) error {
	if _, ok := t.byID[id]; !ok {
		return errors.ScimErrorResourceNotFound(id)
	}
	delete(t.byID, id)
	for i, v := range t.order {
		if v == id {
			t.order = append(t.order[:i:i], t.order[i+1:]...)
			break
		}
	}
	return nil
}

// ElimityUsers is an in-memory elimity ResourceHandler for /Users, written the
// way elimity's own example handler (resource_handler_test.go in its module)
// and its users write one: the validated attribute map is stored as is, Get
// returns it, and GetAll scans every user through the filter validator that
// elimity hands it. Beyond the example it keeps creation order (stable pages),
// ETag versions (so that both servers send an ETag), and a userName index used
// only to reject duplicates on Create, as RFC 7644 requires.
//
// Use [NewElimityUsers]; it is safe for concurrent use.
type ElimityUsers struct {
	elimityTable
	userNames map[string]string // lower-cased userName -> id
}

// NewElimityUsers returns an empty user store.
func NewElimityUsers() *ElimityUsers {
	return &ElimityUsers{elimityTable: newElimityTable(), userNames: make(map[string]string)}
}

// Len returns the number of stored users.
func (h *ElimityUsers) Len() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.byID)
}

// Create implements scim.ResourceHandler.
func (h *ElimityUsers) Create(r *http.Request, attrs scim.ResourceAttributes) (scim.Resource, error) {
	name, _ := attrs["userName"].(string)
	key := strings.ToLower(name)
	h.mu.Lock()
	defer h.mu.Unlock()
	if _, dup := h.userNames[key]; dup {
		return scim.Resource{}, errors.ScimErrorUniqueness
	}
	id := newID(r)
	res, err := h.insertLocked(id, attrs)
	if err != nil {
		return scim.Resource{}, err
	}
	h.userNames[key] = id
	return res, nil
}

// Get implements scim.ResourceHandler.
func (h *ElimityUsers) Get(r *http.Request, id string) (scim.Resource, error) {
	return h.get(id)
}

// GetAll implements scim.ResourceHandler by scanning every user.
func (h *ElimityUsers) GetAll(r *http.Request, params scim.ListRequestParams) (scim.Page, error) {
	return h.getAll(params)
}

// Replace implements scim.ResourceHandler.
func (h *ElimityUsers) Replace(r *http.Request, id string, attrs scim.ResourceAttributes) (scim.Resource, error) {
	return h.replace(id, attrs)
}

// Delete implements scim.ResourceHandler.
func (h *ElimityUsers) Delete(r *http.Request, id string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if rec, ok := h.byID[id]; ok {
		name, _ := rec.attrs["userName"].(string)
		delete(h.userNames, strings.ToLower(name))
	}
	return h.deleteLocked(id)
}

// Patch implements scim.ResourceHandler for the attribute replacements that
// Entra ID and Okta send to users: replace or add with a plain path, or with no
// path and a map of attributes. Other operations answer 501.
func (h *ElimityUsers) Patch(r *http.Request, id string, ops []scim.PatchOperation) (scim.Resource, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	rec, ok := h.byID[id]
	if !ok {
		return scim.Resource{}, errors.ScimErrorResourceNotFound(id)
	}
	attrs := make(scim.ResourceAttributes, len(rec.attrs)+1)
	for k, v := range rec.attrs {
		attrs[k] = v
	}
	for _, op := range ops {
		switch {
		case (op.Op == scim.PatchOperationAdd || op.Op == scim.PatchOperationReplace) && op.Path == nil:
			m, _ := op.Value.(map[string]interface{})
			for k, v := range m {
				attrs[k] = v
			}
		case (op.Op == scim.PatchOperationAdd || op.Op == scim.PatchOperationReplace) &&
			op.Path.ValueExpression == nil && op.Path.SubAttribute == nil && op.Path.AttributePath.URI() == "":
			attrs[op.Path.AttributePath.AttributeName] = op.Value
		default:
			return scim.Resource{}, errors.ScimError{Status: http.StatusNotImplemented, Detail: "unsupported PATCH operation"}
		}
	}
	h.seq++
	next := &elimityRecord{attrs: attrs, created: rec.created, modified: time.Now().UTC(), version: h.seq}
	h.byID[id] = next
	return next.resource(id), nil
}

// ElimityGroups is an in-memory elimity ResourceHandler for /Groups, written as
// [ElimityUsers] is. Its Patch applies member changes to the stored member list
// as an elimity user must (elimity validates a PATCH but leaves applying it to
// the handler): for an add it appends each new member after checking that it
// is not already present; for a remove it drops the matching members.
//
// Use [NewElimityGroups]; it is safe for concurrent use.
type ElimityGroups struct {
	elimityTable
}

// NewElimityGroups returns an empty group store.
func NewElimityGroups() *ElimityGroups {
	return &ElimityGroups{elimityTable: newElimityTable()}
}

// Create implements scim.ResourceHandler.
func (h *ElimityGroups) Create(r *http.Request, attrs scim.ResourceAttributes) (scim.Resource, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.insertLocked(newID(r), attrs)
}

// Get implements scim.ResourceHandler.
func (h *ElimityGroups) Get(r *http.Request, id string) (scim.Resource, error) {
	return h.get(id)
}

// GetAll implements scim.ResourceHandler by scanning every group.
func (h *ElimityGroups) GetAll(r *http.Request, params scim.ListRequestParams) (scim.Page, error) {
	return h.getAll(params)
}

// Replace implements scim.ResourceHandler.
func (h *ElimityGroups) Replace(r *http.Request, id string, attrs scim.ResourceAttributes) (scim.Resource, error) {
	return h.replace(id, attrs)
}

// Delete implements scim.ResourceHandler.
func (h *ElimityGroups) Delete(r *http.Request, id string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.deleteLocked(id)
}

// Members returns the member ids of group id, in stored order.
func (h *ElimityGroups) Members(id string) ([]string, error) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	rec, ok := h.byID[id]
	if !ok {
		return nil, errors.ScimErrorResourceNotFound(id)
	}
	members, _ := rec.attrs["members"].([]interface{})
	ids := make([]string, 0, len(members))
	for _, m := range members {
		if mm, ok := m.(map[string]interface{}); ok {
			v, _ := mm["value"].(string)
			ids = append(ids, v)
		}
	}
	return ids, nil
}

// Patch implements scim.ResourceHandler for the group PATCH requests Entra ID
// and Okta send: add members (path "members", or no path and a "members"
// key), remove members (path `members[value eq "id"]`, or path "members" with
// a value list), and replace displayName. The response carries the whole
// group, as elimity's contract requires when something changed (it answers 204
// only for a PATCH that changed nothing).
func (h *ElimityGroups) Patch(r *http.Request, id string, ops []scim.PatchOperation) (scim.Resource, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	rec, ok := h.byID[id]
	if !ok {
		return scim.Resource{}, errors.ScimErrorResourceNotFound(id)
	}
	attrs := make(scim.ResourceAttributes, len(rec.attrs)+1)
	for k, v := range rec.attrs {
		attrs[k] = v
	}
	members, _ := attrs["members"].([]interface{})
	changed := false
	for _, op := range ops {
		name := ""
		if op.Path != nil {
			name = strings.ToLower(op.Path.AttributePath.AttributeName)
		}
		switch {
		case op.Op == scim.PatchOperationAdd && name == "members":
			members, changed = addMembers(members, op.Value, changed)
		case op.Op == scim.PatchOperationAdd && name == "":
			m, _ := op.Value.(map[string]interface{})
			for k, v := range m {
				if strings.EqualFold(k, "members") {
					members, changed = addMembers(members, v, changed)
					continue
				}
				attrs[k] = v
				changed = true
			}
		case op.Op == scim.PatchOperationRemove && name == "members":
			members, changed = removeMembers(members, op, changed)
		case op.Op == scim.PatchOperationReplace && name == "displayname":
			if attrs["displayName"] != op.Value {
				attrs["displayName"] = op.Value
				changed = true
			}
		default:
			return scim.Resource{}, errors.ScimError{Status: http.StatusNotImplemented, Detail: "unsupported PATCH operation"}
		}
	}
	if !changed {
		return scim.Resource{}, nil // elimity answers 204 No Content
	}
	attrs["members"] = members
	h.seq++
	next := &elimityRecord{attrs: attrs, created: rec.created, modified: time.Now().UTC(), version: h.seq}
	h.byID[id] = next
	return next.resource(id), nil
}

// addMembers appends each member of value (a list of member objects, as
// elimity's PATCH validation returns them) that is not in members yet. The
// append may write into spare capacity of the stored slice; readers of the
// old map only read its first len(old) elements, so that is safe.
func addMembers(members []interface{}, value interface{}, changed bool) ([]interface{}, bool) {
	list, ok := value.([]interface{})
	if !ok {
		list = []interface{}{value}
	}
	for _, v := range list {
		nm, ok := v.(map[string]interface{})
		if !ok {
			continue
		}
		nid, _ := nm["value"].(string)
		if containsMember(members, nid) {
			continue
		}
		members = append(members, nm)
		changed = true
	}
	return members, changed
}

func containsMember(members []interface{}, id string) bool {
	for _, m := range members {
		if mm, ok := m.(map[string]interface{}); ok && mm["value"] == id {
			return true
		}
	}
	return false
}

// removeMembers drops the members that op names, into a new slice.
func removeMembers(members []interface{}, op scim.PatchOperation, changed bool) ([]interface{}, bool) {
	drop := map[string]bool{}
	if op.Path.ValueExpression != nil {
		// members[value eq "id"]: elimity hands over the parsed expression.
		id, ok := memberValueEq(op.Path)
		if !ok {
			return members, changed
		}
		drop[id] = true
	} else {
		list, _ := op.Value.([]interface{})
		for _, v := range list {
			if m, ok := v.(map[string]interface{}); ok {
				if id, ok := m["value"].(string); ok {
					drop[id] = true
				}
			}
		}
	}
	kept := make([]interface{}, 0, len(members))
	for _, m := range members {
		if mm, ok := m.(map[string]interface{}); ok {
			if id, _ := mm["value"].(string); drop[id] {
				changed = true
				continue
			}
		}
		kept = append(kept, m)
	}
	return kept, changed
}

func memberValueEq(p *fp.Path) (string, bool) {
	e, ok := p.ValueExpression.(*fp.AttributeExpression)
	if !ok || e.Operator != fp.EQ || !strings.EqualFold(e.AttributePath.AttributeName, "value") {
		return "", false
	}
	id, ok := e.CompareValue.(string)
	return id, ok
}
