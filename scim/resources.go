package scim

import (
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/scimkit/scimkit/schema"
)

// This file holds what /Users and /Groups share: GET by id, list, search, DELETE,
// response writing and the helpers of the write paths.

func (c *call) rt(k kind) (*schema.ResourceType, attrIndex) {
	if k == groupKind {
		return c.h.groupRT, c.h.groupAttrs
	}
	return c.h.userRT, c.h.userAttrs
}

// notFoundError is the 404 of an unknown, deleted, foreign or malformed id.
func notFoundError(k kind, id string) *Error {
	return &Error{Status: http.StatusNotFound, Detail: k.String() + " " + strconv.Quote(clip(id)) + " not found"}
}

// storeErr adds the resource to the detail of the store's not-found error.
func storeErr(k kind, id string, err error) error {
	if errors.Is(err, ErrNotFound) {
		var se *Error
		if !errors.As(err, &se) {
			return notFoundError(k, id)
		}
	}
	if errors.Is(err, ErrUniqueness) {
		var se *Error
		if !errors.As(err, &se) {
			if k == groupKind {
				return &Error{Status: http.StatusConflict, ScimType: "uniqueness", Detail: "a Group with this displayName already exists"}
			}
			return &Error{Status: http.StatusConflict, ScimType: "uniqueness", Detail: "a User with this userName already exists"}
		}
	}
	return err
}

// get serves GET /Users/{id} and GET /Groups/{id}.
func (c *call) get(k kind, id string) {
	rt, ix := c.rt(k)
	p := c.responseProjection(rt, ix)
	if k == userKind {
		u, err := c.h.users.GetUser(c.ctx, id)
		if err != nil {
			c.fail(storeErr(k, id, err))
			return
		}
		if c.notModified(u.Meta.Version) {
			return
		}
		c.writeUser(http.StatusOK, u, p, false)
		return
	}
	g, err := c.h.groups.GetGroup(c.ctx, id, p.Projection())
	if err != nil {
		c.fail(storeErr(k, id, err))
		return
	}
	if c.notModified(g.Meta.Version) {
		return
	}
	c.writeGroup(http.StatusOK, g, p, false)
}

// notModified answers 304 when If-None-Match names the current version.
func (c *call) notModified(version string) bool {
	if !c.h.etags || version == "" {
		return false
	}
	inm := c.r.Header.Get("If-None-Match")
	if inm == "" || !etagMatches(inm, version) {
		return false
	}
	c.w.Header().Set("ETag", etag(version))
	c.wrote = true
	c.w.WriteHeader(http.StatusNotModified)
	return true
}

// writeUser writes u with the given status; location adds the Location header.
func (c *call) writeUser(status int, u *User, p *projection, location bool) {
	b := getBuf()
	e := encoder{b: (*b)[:0], base: c.baseURL(), p: p}
	e.user(u, c.h.userRT)
	*b = e.b
	c.resourceHeaders(&u.Meta, "/Users/", u.ID, location)
	c.writeBody(status, e.b)
	putBuf(b)
}

// writeGroup writes g with the given status; location adds the Location header.
func (c *call) writeGroup(status int, g *Group, p *projection, location bool) {
	b := getBuf()
	e := encoder{b: (*b)[:0], base: c.baseURL(), p: p}
	e.group(g, c.h.groupRT)
	*b = e.b
	c.resourceHeaders(&g.Meta, "/Groups/", g.ID, location)
	c.writeBody(status, e.b)
	putBuf(b)
}

func (c *call) resourceHeaders(m *Meta, endpoint, id string, location bool) {
	hd := c.w.Header()
	if c.h.etags && m.Version != "" {
		hd["Etag"] = []string{etag(m.Version)}
	}
	if location {
		hd["Location"] = []string{string(appendPathSegment([]byte(c.baseURL()+endpoint), id))}
	}
}

// list serves GET /Users and GET /Groups, and the searches (raw != nil).
func (c *call) list(k kind, raw *rawList) {
	rt, ix := c.rt(k)
	if raw == nil {
		r := rawListFromQuery(c.query())
		raw = &r
	}
	lp, err := c.parseList(rt, ix, *raw)
	if err != nil {
		c.fail(err)
		return
	}
	b := getBuf()
	defer putBuf(b)
	e := encoder{b: (*b)[:0], base: c.baseURL(), p: lp.proj}
	var total, n int
	e.b = append(e.b, `{"schemas":["`+ListResponseSchema+`"],"totalResults":`...)
	mark := len(e.b)
	if k == userKind {
		page, err := c.h.users.ListUsers(c.ctx, lp.q)
		if errors.Is(err, errors.ErrUnsupported) && lp.q.SortBy != "" {
			lp.q.SortBy, lp.q.Descending = "", false // served in the default order
			page, err = c.h.users.ListUsers(c.ctx, lp.q)
		}
		if err != nil {
			c.fail(err)
			return
		}
		if page == nil {
			page = &Page[User]{}
		}
		total = page.Total
		e.b = append(e.b, `,"Resources":[`...)
		for _, u := range page.Resources {
			if u == nil || n == lp.q.Count {
				continue
			}
			if n > 0 {
				e.b = append(e.b, ',')
			}
			e.user(u, rt)
			n++
		}
	} else {
		page, err := c.h.groups.ListGroups(c.ctx, lp.q)
		if errors.Is(err, errors.ErrUnsupported) && lp.q.SortBy != "" {
			lp.q.SortBy, lp.q.Descending = "", false
			page, err = c.h.groups.ListGroups(c.ctx, lp.q)
		}
		if err != nil {
			c.fail(err)
			return
		}
		if page == nil {
			page = &Page[Group]{}
		}
		total = page.Total
		e.b = append(e.b, `,"Resources":[`...)
		for _, g := range page.Resources {
			if g == nil || n == lp.q.Count {
				continue
			}
			if n > 0 {
				e.b = append(e.b, ',')
			}
			e.group(g, rt)
			n++
		}
	}
	e.b = append(e.b, "]}"...)
	// The counters go before Resources; now that n is known, splice them in.
	var counters []byte
	counters = strconv.AppendInt(counters, int64(max(total, n)), 10)
	counters = append(counters, `,"startIndex":`...)
	counters = strconv.AppendInt(counters, int64(lp.q.StartIndex), 10)
	counters = append(counters, `,"itemsPerPage":`...)
	counters = strconv.AppendInt(counters, int64(n), 10)
	e.b = slices.Insert(e.b, mark, counters...)
	*b = e.b
	c.writeBody(http.StatusOK, e.b)
}

// search serves POST /Users/.search and POST /Groups/.search (RFC 7644 section
// 3.4.3).
func (c *call) search(k kind) {
	in, err := c.readBody()
	if err != nil {
		c.fail(err)
		return
	}
	var raw rawList
	for key, v := range in {
		var dst *string
		switch strings.ToLower(key) {
		case "schemas":
			continue
		case "filter":
			dst = &raw.filter
		case "sortby":
			dst = &raw.sortBy
		case "sortorder":
			dst = &raw.sortOrder
		case "startindex":
			dst = &raw.startIndex
		case "count":
			dst = &raw.count
		case "attributes":
			dst = &raw.attributes
		case "excludedattributes":
			dst = &raw.excluded
		default:
			continue // unknown members are ignored, like unknown query parameters
		}
		s, ok := searchParam(v)
		if !ok {
			c.fail(badRequest("invalidValue", "SearchRequest member "+strconv.Quote(clip(key))+" has the wrong type"))
			return
		}
		*dst = s
	}
	c.list(k, &raw)
}

// searchParam turns one SearchRequest member into its query-string form.
func searchParam(v any) (string, bool) {
	switch v := v.(type) {
	case nil:
		return "", true
	case string:
		return v, true
	case json.Number:
		return string(v), true
	case []any:
		parts := make([]string, 0, len(v))
		for _, x := range v {
			s, ok := x.(string)
			if !ok {
				return "", false
			}
			parts = append(parts, s)
		}
		return strings.Join(parts, ","), true
	}
	return "", false
}

// delete serves DELETE /Users/{id} and DELETE /Groups/{id}.
func (c *call) delete(k kind, id string) {
	version := ""
	if im := c.ifMatch(); im != "" {
		// Check the precondition against the current version, then let the store
		// check it again atomically.
		var cur Meta
		if k == userKind {
			u, err := c.h.users.GetUser(c.ctx, id)
			if err != nil {
				c.fail(storeErr(k, id, err))
				return
			}
			cur = u.Meta
		} else {
			g, err := c.h.groups.GetGroup(c.ctx, id, Projection{ExcludedAttributes: []string{"members"}})
			if err != nil {
				c.fail(storeErr(k, id, err))
				return
			}
			cur = g.Meta
		}
		if err := c.checkIfMatch(cur.Version); err != nil {
			c.fail(err)
			return
		}
		version = cur.Version
	}
	var err error
	ev := Event{ID: id, ResourceType: k.String()}
	if k == userKind {
		err = c.h.users.DeleteUser(c.ctx, id, version)
		ev.Type = UserDeleted
	} else {
		err = c.h.groups.DeleteGroup(c.ctx, id, version)
		ev.Type = GroupDeleted
	}
	if err != nil {
		c.fail(storeErr(k, id, err))
		return
	}
	c.emit(ev)
	c.writeNoContent()
}

// emit completes ev and hands it to Config.Events.
func (c *call) emit(ev Event) {
	if c.h.events == nil {
		return
	}
	ev.Tenant, _ = TenantFrom(c.ctx)
	ev.UserAgent = c.r.UserAgent()
	if ev.Time.IsZero() {
		ev.Time = c.h.now().UTC()
	}
	defer func() {
		if v := recover(); v != nil {
			c.h.log.LogAttrs(c.ctx, slog.LevelError, "scim: panic in Config.Events", slog.Any("panic", v))
		}
	}()
	c.h.events(c.ctx, ev)
}

// logSkipped reports attributes skipped by leniency.
func (c *call) logSkipped(k kind, id string, skipped []string) {
	if len(skipped) == 0 {
		return
	}
	c.h.log.LogAttrs(c.ctx, slog.LevelInfo, "scim: skipped unknown attributes",
		slog.String("resourceType", k.String()), slog.String("id", id), slog.Any("attributes", skipped))
}

// readOnlyKeys are dropped from incoming resource trees: the server owns them (RFC
// 7644 section 3.5.1, RFC-MUT-1).
var readOnlyKeys = []string{"id", "meta", "schemas"}

func dropReadOnly(tree map[string]any, extra ...string) {
	for _, k := range readOnlyKeys {
		delete(tree, k)
	}
	for _, k := range extra {
		delete(tree, k)
	}
}

// changedPaths lists the canonical paths that differ between two trees of rt: the
// sub-attributes of single-valued complex attributes, multi-valued attributes as a
// whole, extension attributes as "urn:…:name", and common attributes like externalId.
func changedPaths(rt *schema.ResourceType, old, cur map[string]any) []string {
	var out []string
	seen := map[string]bool{}
	cmp := func(prefix string, s *schema.Schema, a, b map[string]any) {
		for _, at := range s.Attributes {
			seen[prefix+at.Name] = true
			va, vb := a[at.Name], b[at.Name]
			if at.Type == schema.Complex && !at.MultiValued {
				ma, _ := va.(map[string]any)
				mb, _ := vb.(map[string]any)
				if valuesEqual(va, vb) {
					continue
				}
				if ma == nil || mb == nil {
					out = append(out, prefix+at.Name)
					continue
				}
				for _, sa := range at.SubAttributes {
					if !valuesEqual(ma[sa.Name], mb[sa.Name]) {
						out = append(out, prefix+at.Name+"."+sa.Name)
					}
				}
				continue
			}
			if !valuesEqual(va, vb) {
				out = append(out, prefix+at.Name)
			}
		}
	}
	cmp("", rt.Schema, old, cur)
	for _, e := range rt.Extensions {
		id := e.Schema.ID
		seen[id] = true
		ma, _ := old[id].(map[string]any)
		mb, _ := cur[id].(map[string]any)
		cmp(id+":", e.Schema, ma, mb)
	}
	var rest []string
	for k := range old {
		if !seen[k] && !slices.Contains(readOnlyKeys, k) && !valuesEqual(old[k], cur[k]) {
			rest = append(rest, k)
		}
	}
	for k := range cur {
		if _, ok := old[k]; !ok && !seen[k] && !slices.Contains(readOnlyKeys, k) {
			rest = append(rest, k)
		}
	}
	slices.Sort(rest)
	return append(out, rest...)
}

// changedValues returns the old and new values of the paths in changed that name
// single-valued simple attributes of rt.
func changedValues(rt *schema.ResourceType, old, cur map[string]any, changed []string) []ChangedValue {
	var out []ChangedValue
	for _, p := range changed {
		r, ok := rt.Lookup(p)
		if !ok || r.Attr.MultiValued || r.Target().Type == schema.Complex || p == "password" {
			continue
		}
		out = append(out, ChangedValue{Path: p, Old: refValue(old, r), New: refValue(cur, r)})
	}
	return out
}

// refValue returns the value that r names in a canonical tree, or nil.
func refValue(tree map[string]any, r schema.Ref) any {
	if r.Extension {
		tree, _ = tree[r.Schema.ID].(map[string]any)
	}
	v := tree[r.Attr.Name]
	if r.Sub != nil {
		m, _ := v.(map[string]any)
		v = m[r.Sub.Name]
	}
	return v
}

// badRefs sorts the ids among ids that a store refused as references, for the
// detail of an ErrInvalidReference: those that name no user nor group of the tenant,
// and those that name a group (which the store may not accept as a member, and no
// group is a member of itself). It stops after 20 of each.
func (c *call) badRefs(ids []string) (unknown, groups []string, err error) {
	for _, id := range ids {
		if len(unknown) == 20 || len(groups) == 20 {
			break
		}
		_, err := c.h.users.GetUser(c.ctx, id)
		if err == nil {
			continue
		}
		if !errors.Is(err, ErrNotFound) {
			return nil, nil, err
		}
		if c.h.groups != nil {
			_, err = c.h.groups.GetGroup(c.ctx, id, Projection{ExcludedAttributes: []string{"members"}})
			if err == nil {
				groups = append(groups, id)
				continue
			}
			if !errors.Is(err, ErrNotFound) {
				return nil, nil, err
			}
		}
		unknown = append(unknown, id)
	}
	return unknown, groups, nil
}

// refError turns an ErrInvalidReference from a store into a 400 that lists the ids,
// among candidates, that resolve to nothing, or else those that are groups.
func (c *call) refError(err error, what string, candidates []string) error {
	if !errors.Is(err, ErrInvalidReference) {
		return err
	}
	var se *Error
	if errors.As(err, &se) {
		return se
	}
	unknown, groups, lerr := c.badRefs(candidates)
	switch {
	case lerr == nil && len(unknown) > 0:
		return badRequest("invalidValue", what+" names ids that do not exist in this tenant: "+quoteIDs(unknown))
	case lerr == nil && len(groups) > 0 && what == "members":
		return badRequest("invalidValue", "members names groups, which cannot be members here (nested groups are not supported, and no group is a member of itself): "+quoteIDs(groups))
	case lerr == nil && len(groups) > 0:
		return badRequest("invalidValue", what+" names a group, not a user: "+quoteIDs(groups))
	}
	return badRequest("invalidValue", what+" names a resource that this tenant does not have or does not accept there")
}

func quoteIDs(ids []string) string {
	q := make([]string, len(ids))
	for i, id := range ids {
		q[i] = strconv.Quote(clip(id))
	}
	return strings.Join(q, ", ")
}

// valuesEqual compares two tree values.
func valuesEqual(a, b any) bool {
	switch a := a.(type) {
	case nil:
		return b == nil
	case string:
		bs, ok := b.(string)
		return ok && a == bs
	case bool:
		bb, ok := b.(bool)
		return ok && a == bb
	case json.Number:
		bn, ok := b.(json.Number)
		return ok && a == bn
	case map[string]any:
		bm, ok := b.(map[string]any)
		if !ok || len(a) != len(bm) {
			return false
		}
		for k, v := range a {
			w, ok := bm[k]
			if !ok || !valuesEqual(v, w) {
				return false
			}
		}
		return true
	case []any:
		bl, ok := b.([]any)
		if !ok || len(a) != len(bl) {
			return false
		}
		for i := range a {
			if !valuesEqual(a[i], bl[i]) {
				return false
			}
		}
		return true
	}
	return reflect.DeepEqual(a, b)
}
