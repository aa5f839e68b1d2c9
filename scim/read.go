package scim

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"
)

// This file serves the reads of /Users and /Groups: GET by id, list and search.

// serveGet serves GET /Users/{id} and GET /Groups/{id}.
func (k *kind[T]) serveGet(c *call) error {
	id := c.id
	p := c.responseProjection(k.rt, k.ix)
	v, err := k.get(c.ctx, id, p.Projection())
	if err != nil {
		return k.storeErr(id, err)
	}
	if c.notModified(k.meta(v).Version) {
		return nil
	}
	k.write(c, http.StatusOK, v, p, false)
	return nil
}

// write writes v with the given status; location adds the Location header. Status
// 204 writes only the ETag.
func (k *kind[T]) write(c *call, status int, v *T, p *projection, location bool) {
	m := k.meta(v)
	if status == http.StatusNoContent {
		if c.h.etags && m.Version != "" {
			c.w.Header().Set("ETag", etag(m.Version))
		}
		c.writeNoContent()
		return
	}
	b := getBuf()
	e := encoder{b: (*b)[:0], base: c.baseURL(), p: p}
	k.encode(&e, v)
	*b = e.b
	c.resourceHeaders(m, k.endpoint, *k.id(v), location)
	c.writeBody(status, e.b)
	putBuf(b)
}

// notModified answers 304 when If-None-Match names the current version.
func (c *call) notModified(version string) bool {
	if !c.h.etags || version == "" {
		return false
	}
	inm := headerValue(c.r.Header, "If-None-Match")
	if inm == "" || !etagMatches(inm, version) {
		return false
	}
	c.w.Header().Set("ETag", etag(version))
	c.wrote = true
	c.w.WriteHeader(http.StatusNotModified)
	return true
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

// serveList serves GET /Users and GET /Groups.
func (k *kind[T]) serveList(c *call) error {
	return k.serveQuery(c, rawListFromQuery(c.query()))
}

// serveSearch serves POST /Users/.search and POST /Groups/.search (RFC 7644 section
// 3.4.3).
func (k *kind[T]) serveSearch(c *call) error {
	raw, err := c.readSearch()
	if err != nil {
		return err
	}
	return k.serveQuery(c, raw)
}

// serveQuery answers a list or search with one page of a ListResponse.
func (k *kind[T]) serveQuery(c *call, raw rawList) error {
	lp, err := c.parseList(k.rt, k.ix, k.sorter, raw)
	if err != nil {
		return err
	}
	b := getBuf()
	defer putBuf(b)
	e := encoder{b: (*b)[:0], base: c.baseURL(), p: lp.proj}
	e.b = append(e.b, `{"schemas":["`+ListResponseSchema+`"],"totalResults":`...)
	mark := len(e.b)
	e.b = append(e.b, `,"Resources":[`...)
	total, n, err := k.appendPage(c, &e, lp.q, 0)
	if err != nil {
		return err
	}
	e.b = append(e.b, "]}"...)
	e.b = spliceCounters(e.b, mark, max(total, n), lp.q.StartIndex, n)
	*b = e.b
	c.writeBody(http.StatusOK, e.b)
	return nil
}

// appendPage lists one page of q and appends its resources to the Resources array
// of e, after n resources already there. It returns the store's total and the
// number of resources now in the array.
func (k *kind[T]) appendPage(c *call, e *encoder, q Query, n int) (total, count int, err error) {
	page, err := k.list(c.ctx, q)
	if errors.Is(err, errors.ErrUnsupported) && q.SortBy != "" {
		// The store cannot sort after all: serve the default order.
		q.SortBy, q.Descending = "", false
		page, err = k.list(c.ctx, q)
	}
	if err != nil {
		return 0, n, err
	}
	if page == nil {
		return 0, n, nil
	}
	added := 0
	for _, v := range page.Resources {
		if v == nil || added == q.Count {
			continue
		}
		if n > 0 {
			e.b = append(e.b, ',')
		}
		k.encode(e, v)
		n++
		added++
	}
	return page.Total, n, nil
}

// spliceCounters inserts the counters of a ListResponse at mark, once the number of
// resources is known.
func spliceCounters(b []byte, mark, total, startIndex, n int) []byte {
	var counters []byte
	counters = strconv.AppendInt(counters, int64(total), 10)
	counters = append(counters, `,"startIndex":`...)
	counters = strconv.AppendInt(counters, int64(startIndex), 10)
	counters = append(counters, `,"itemsPerPage":`...)
	counters = strconv.AppendInt(counters, int64(n), 10)
	return slices.Insert(b, mark, counters...)
}

// readSearch reads a SearchRequest body into the query-string form of its members.
func (c *call) readSearch() (rawList, error) {
	var raw rawList
	in, err := c.readBody()
	if err != nil {
		return raw, err
	}
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
			return raw, badRequest("invalidValue", "SearchRequest member "+strconv.Quote(clip(key))+" has the wrong type")
		}
		*dst = s
	}
	return raw, nil
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

// serveRootSearch serves POST /.search (RFC 7644 section 3.4.3): one search over
// Users and then Groups. The filter is validated against each resource type; one
// whose attributes it does not name contributes no resources (a filter on userName
// finds only users), and a filter valid for neither fails as it would at
// /Users/.search. Paging runs over the users followed by the groups, in each
// store's default order: sortBy is ignored here, since no store orders the two
// kinds together.
func (c *call) serveRootSearch() error {
	raw, err := c.readSearch()
	if err != nil {
		return err
	}
	raw.sortBy, raw.sortOrder = "", ""
	u, g := c.h.user, c.h.group
	ul, uerr := c.parseList(u.rt, u.ix, nil, raw)
	var gl *listParams
	gerr := uerr
	if g != nil {
		gl, gerr = c.parseList(g.rt, g.ix, nil, raw)
	}
	if uerr != nil && gerr != nil {
		return uerr
	}
	b := getBuf()
	defer putBuf(b)
	e := encoder{b: (*b)[:0], base: c.baseURL()}
	e.b = append(e.b, `{"schemas":["`+ListResponseSchema+`"],"totalResults":`...)
	mark := len(e.b)
	e.b = append(e.b, `,"Resources":[`...)
	start, count := 0, 0
	var total, n int
	if uerr == nil {
		start, count = ul.q.StartIndex, ul.q.Count
		e.p = ul.proj
		total, n, err = u.appendPage(c, &e, ul.q, 0)
		if err != nil {
			return err
		}
	}
	if gl != nil && gerr == nil {
		if uerr != nil {
			start, count = gl.q.StartIndex, gl.q.Count
		}
		// The groups follow the users: skip what the users took of startIndex and
		// count.
		gl.q.StartIndex = max(1, start-max(total, n))
		gl.q.Count = max(0, count-n)
		e.p = gl.proj
		var gt int
		gt, n, err = g.appendPage(c, &e, gl.q, n)
		if err != nil {
			return err
		}
		total += gt
	}
	e.b = append(e.b, "]}"...)
	e.b = spliceCounters(e.b, mark, max(total, n), start, n)
	*b = e.b
	c.writeBody(http.StatusOK, e.b)
	return nil
}
