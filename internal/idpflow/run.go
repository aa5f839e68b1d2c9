package idpflow

import (
	"context"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// Session runs the cases of one flow against one server, in order, and keeps
// their results so that a case whose prerequisite did not pass is blocked.
type Session struct {
	flow    *Flow
	client  Client
	token   string
	marker  string
	created *Created
	results map[string]*Result

	groupsProbed, groupsOK bool
}

// NewSession returns a session for flow f. created records the resources the
// cases create; sessions against one server may share it.
func NewSession(f *Flow, client Client, token, marker string, created *Created) *Session {
	return &Session{flow: f, client: client, token: token, marker: marker, created: created, results: map[string]*Result{}}
}

// Run runs case k, or reports it blocked or skipped because of a prerequisite.
func (s *Session) Run(ctx context.Context, k *Case) *Result {
	res := &Result{Flow: s.flow.Name, Case: k}
	s.results[k.ID] = res
	for _, n := range k.Needs {
		switch p := s.results[n]; {
		case p == nil || p.fatal:
			res.Outcome, res.BlockedBy = Blocked, n
			return res
		case p.Outcome == Blocked:
			res.Outcome, res.BlockedBy = Blocked, p.BlockedBy // the case that failed
			return res
		case p.Outcome == Skip:
			res.Outcome, res.Reason = Skip, p.Reason
			return res
		}
	}
	c := &C{ctx: ctx, s: s, res: res, Marker: s.marker}
	func() {
		defer func() {
			// A server's answer may be shaped so that a step cannot go on (a
			// missing object, say): that ends the case as a failure, never the run.
			if x := recover(); x != nil {
				if _, ok := x.(stop); !ok {
					c.errorf("the answer cannot be used by later steps (%v)", x)
					res.fatal = true
				}
			}
		}()
		if k.Groups && !c.groups() {
			c.skip("the server does not serve /Groups")
		}
		k.Run(c)
	}()
	if len(res.Failures) > 0 {
		res.Outcome = Fail
	}
	return res
}

// hasGroups probes /Groups once per session.
func (s *Session) hasGroups(c *C) bool {
	if s.groupsProbed {
		return s.groupsOK
	}
	s.groupsProbed = true
	// A scimkit Handler without a GroupStore still lists /Groups (empty, for Entra's
	// probe) but leaves Group out of /ResourceTypes; other servers answer 404.
	if rt := c.do("GET", "/ResourceTypes/Group", nil); rt.Status == http.StatusNotFound {
		if r := c.do("GET", "/ResourceTypes", nil); r.Status == http.StatusOK {
			c.logf("/ResourceTypes has no Group: group steps skipped")
			return false
		}
	}
	if r := c.do("GET", "/Groups?count=0", nil); r.Status == http.StatusNotFound {
		c.logf("/Groups answers 404: group steps skipped")
		return false
	}
	s.groupsOK = true
	return true
}

// Select returns the flows restricted to the cases of the given suites (all when
// empty) whose id matches pattern (all when nil), plus every case they need.
// Flows left without cases are dropped.
func Select(flows []*Flow, suites []string, pattern *regexp.Regexp) []*Flow {
	var out []*Flow
	for _, f := range flows {
		keep := map[string]bool{}
		var add func(id string)
		byID := map[string]*Case{}
		for _, k := range f.Cases {
			byID[k.ID] = k
		}
		add = func(id string) {
			if keep[id] {
				return
			}
			keep[id] = true
			for _, n := range byID[id].Needs {
				add(n)
			}
		}
		for _, k := range f.Cases {
			if (len(suites) == 0 || slices.Contains(suites, k.Suite)) && (pattern == nil || pattern.MatchString(k.ID)) {
				add(k.ID)
			}
		}
		g := *f
		g.Cases = nil
		for _, k := range f.Cases {
			if keep[k.ID] {
				g.Cases = append(g.Cases, k)
			}
		}
		if len(g.Cases) > 0 {
			out = append(out, &g)
		}
	}
	return out
}

// Created records the resources that cases created and have not deleted, by path
// ("/Users/<id>", "/Groups/<id>"), in creation order.
type Created struct {
	mu    sync.Mutex
	paths []string
}

// track records a created resource or forgets a deleted one.
func (cr *Created) track(method, path string, status int, id string) {
	if cr == nil {
		return
	}
	p, _, _ := strings.Cut(path, "?")
	p = "/" + strings.Trim(p, "/")
	cr.mu.Lock()
	defer cr.mu.Unlock()
	switch {
	case method == http.MethodPost && status == http.StatusCreated && id != "" && (p == "/Users" || p == "/Groups"):
		cr.paths = append(cr.paths, p+"/"+id)
	case method == http.MethodDelete && (status == http.StatusNoContent || status == http.StatusNotFound):
		cr.paths = slices.DeleteFunc(cr.paths, func(x string) bool { return x == p })
	}
}

// Paths returns the recorded paths, groups before users so that deleting them in
// order never leaves a group pointing at a deleted user.
func (cr *Created) Paths() []string {
	cr.mu.Lock()
	defer cr.mu.Unlock()
	var groups, users []string
	for _, p := range cr.paths {
		if strings.HasPrefix(p, "/Groups/") {
			groups = append(groups, p)
		} else {
			users = append(users, p)
		}
	}
	return append(groups, users...)
}

// Cleanup deletes every recorded resource and returns those it could not delete,
// each with the reason.
func (cr *Created) Cleanup(ctx context.Context, client Client, token string) (left []string) {
	for _, p := range cr.Paths() {
		h := http.Header{"Authorization": {"Bearer " + token}}
		r, err := client.Do(ctx, Request{Method: http.MethodDelete, Path: p, Header: h})
		switch {
		case err != nil:
			left = append(left, p+": "+err.Error())
		case r.Status == http.StatusNoContent || r.Status == http.StatusOK || r.Status == http.StatusNotFound:
			cr.track(http.MethodDelete, p, http.StatusNoContent, "")
		default:
			left = append(left, p+": DELETE answered "+http.StatusText(r.Status))
		}
	}
	return left
}
