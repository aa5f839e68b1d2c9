package scim

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/scimkit/scimkit/filter"
	"github.com/scimkit/scimkit/schema"
)

// listParams are the query parameters of a list or search request (RFC 7644 section
// 3.4.2), validated.
type listParams struct {
	q    Query
	proj *projection
}

// maxStartIndex keeps startIndex arithmetic in stores far from overflow.
const maxStartIndex = 1 << 31

// rawList holds the parameters as strings, from a query string or a SearchRequest.
type rawList struct {
	filter, sortBy, sortOrder, startIndex, count string
	attributes, excluded                         string
}

func rawListFromQuery(v url.Values) rawList {
	return rawList{
		filter:     param(v, "filter"),
		sortBy:     param(v, "sortBy"),
		sortOrder:  param(v, "sortOrder"),
		startIndex: param(v, "startIndex"),
		count:      param(v, "count"),
		attributes: param(v, "attributes"),
		excluded:   param(v, "excludedAttributes"),
	}
}

// param returns the first value of a query parameter, whose name is matched exactly
// first and then ignoring case (some clients send "startindex").
func param(v url.Values, name string) string {
	if vs, ok := v[name]; ok && len(vs) > 0 {
		return vs[0]
	}
	for k, vs := range v {
		if len(vs) > 0 && strings.EqualFold(k, name) {
			return vs[0]
		}
	}
	return ""
}

// parseList validates raw against rt.
func (c *call) parseList(rt *schema.ResourceType, ix attrIndex, sorter Sorter, raw rawList) (*listParams, error) {
	lp := &listParams{}
	lp.q.StartIndex = 1
	if s := strings.TrimSpace(raw.startIndex); s != "" {
		n, err := parseInt(s)
		if err != nil {
			return nil, badRequest("invalidValue", "startIndex must be an integer, got "+strconv.Quote(clip(raw.startIndex)))
		}
		lp.q.StartIndex = max(1, min(n, maxStartIndex))
	}
	lp.q.Count = c.h.pageSize
	if s := strings.TrimSpace(raw.count); s != "" {
		n, err := parseInt(s)
		if err != nil {
			return nil, badRequest("invalidValue", "count must be an integer, got "+strconv.Quote(clip(raw.count)))
		}
		lp.q.Count = max(0, min(n, c.h.maxResults))
	}
	if s := strings.TrimSpace(raw.filter); s != "" {
		e, err := filter.Parse(s)
		if err != nil {
			return nil, err
		}
		if n := filterTerms(e); n > c.h.maxTerms {
			return nil, badRequest("invalidFilter", "the filter has "+strconv.Itoa(n)+" comparisons, more than the limit of "+strconv.Itoa(c.h.maxTerms))
		}
		e, err = filter.Validate(e, rt)
		if err != nil {
			return nil, err
		}
		lp.q.Filter = e
	}
	if s := strings.TrimSpace(raw.sortBy); s != "" {
		p := resolvePath(rt, s)
		if p == "" {
			return nil, badRequest("invalidValue", "sortBy names no attribute of "+rt.Name+": "+strconv.Quote(clip(s)))
		}
		if r, ok := ix[p]; ok && (r.attr().Type == schema.Complex || r.attr().Returned == schema.Never) {
			return nil, badRequest("invalidValue", "cannot sort by "+p)
		}
		if p == "meta" || rt.SchemaByURN(p) != nil {
			return nil, badRequest("invalidValue", "cannot sort by "+p)
		}
		// Sorting is optional for a service provider (RFC 7644 section 3.4.2.3), and
		// /ServiceProviderConfig says whether it is supported: a sortBy that the
		// store cannot serve is ignored and the page comes in the default order.
		if sorter != nil && sorter.SortsBy(rt.Name, p) {
			lp.q.SortBy = p
		}
	}
	switch strings.ToLower(strings.TrimSpace(raw.sortOrder)) {
	case "", "ascending":
	case "descending":
		lp.q.Descending = lp.q.SortBy != ""
	default:
		return nil, badRequest("invalidValue", `sortOrder must be "ascending" or "descending"`)
	}
	lp.proj = newProjection(rt, ix, raw.attributes, raw.excluded)
	lp.q.Projection = lp.proj.Projection()
	return lp, nil
}

// parseInt parses a decimal integer; values beyond the int range saturate.
func parseInt(s string) (int, error) {
	n, err := strconv.Atoi(s)
	if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
		if strings.HasPrefix(s, "-") {
			return -1, nil
		}
		return maxStartIndex, nil
	}
	return n, err
}

// clip shortens client input quoted in an error detail.
func clip(s string) string {
	if len(s) > 64 {
		return s[:64] + "…"
	}
	return s
}

// responseProjection parses attributes/excludedAttributes of a request that returns
// one resource.
func (c *call) responseProjection(rt *schema.ResourceType, ix attrIndex) *projection {
	q := c.r.URL.RawQuery
	if q == "" {
		return nil
	}
	v := c.query()
	return newProjection(rt, ix, param(v, "attributes"), param(v, "excludedAttributes"))
}

// query returns the parsed query string. Malformed pairs are skipped, as url.Values
// does; unknown parameters are ignored (ENTRA-CONN-2).
func (c *call) query() url.Values {
	v, _ := url.ParseQuery(c.r.URL.RawQuery)
	return v
}

// ifMatch returns the If-Match header, or "" when ETags are off.
func (c *call) ifMatch() string {
	if !c.h.etags {
		return ""
	}
	return strings.TrimSpace(headerValue(c.r.Header, "If-Match"))
}

// checkIfMatch fails with 412 when the client sent If-Match and it does not name
// version v.
func (c *call) checkIfMatch(v string) error {
	im := c.ifMatch()
	if im == "" || etagMatches(im, v) {
		return nil
	}
	return &Error{Status: http.StatusPreconditionFailed, Detail: "the resource was changed: its version does not match If-Match"}
}

// filterTerms counts the comparisons of e.
func filterTerms(e filter.Expr) int {
	switch e := e.(type) {
	case *filter.Logical:
		return filterTerms(e.Left) + filterTerms(e.Right)
	case *filter.Not:
		return filterTerms(e.X)
	case *filter.ValuePath:
		return filterTerms(e.Filter)
	}
	return 1
}

// sortSupported reports whether every store of the Handler sorts, for
// sort.supported in /ServiceProviderConfig.
func (h *Handler) sortSupported() bool {
	return h.user.sorter != nil && (h.group == nil || h.group.sorter != nil)
}
