// Package idpflow holds the request sequences that Microsoft Entra ID and Okta send
// to a SCIM service provider, each step a Case with the requirement ids it checks,
// and runs them over a Client: in process for scimtest.RunIdPFlows, over HTTP for
// the scimcheck command. Both run these definitions; neither keeps a copy.
package idpflow

import (
	"fmt"
	"strings"
)

// Suites names the groups of cases that -only selects, in report order.
var Suites = []string{"entra", "okta", "okta-spec", "rfc"}

// DocURL is the published compatibility document; a requirement's section is
// DocURL + "#" + its id in lower case.
const DocURL = "https://github.com/scimkit/scimkit/blob/main/docs/COMPAT.md"

// DocLink returns the link to the section of requirement id in the compatibility
// document.
func DocLink(id string) string { return DocURL + "#" + strings.ToLower(id) }

// Case is one step of a flow.
type Case struct {
	ID          string   // unique across flows, e.g. "ENTRA-PATCH-3"
	Suite       string   // one of Suites
	Title       string   // what the case checks, one line
	Reqs        []string // requirement ids it checks; the first is the main one
	Needs       []string // ids of earlier cases of the same flow whose results it uses
	Consequence string   // what the identity provider does when the case fails, one sentence
	Groups      bool     // the case needs /Groups; skipped when the server has none
	Exclusive   bool     // no other case may run meanwhile (it reads whole collections)
	Run         func(c *C)
}

// Flow is a sequence of cases that share state: the resources earlier cases
// created. Cases run in order; Needs only name the earlier cases a case uses.
type Flow struct {
	Name      string // e.g. "Entra"
	UserAgent string // sent with every request; "" sends none
	Cases     []*Case
}

// Flows returns fresh flows whose created resources carry marker in userName,
// displayName and externalId. Every call returns new state.
func Flows(marker string) []*Flow {
	fs := []*Flow{entraFlow(marker), entraFlagFlow(marker), oktaFlow(marker), rfcFlow(marker)}
	seen := map[string]bool{}
	for _, f := range fs {
		for _, c := range f.Cases {
			if seen[c.ID] {
				panic("idpflow: duplicate case id " + c.ID)
			}
			seen[c.ID] = true
		}
	}
	return fs
}

// Outcome is how a case ended.
type Outcome int

// The outcomes of a case.
const (
	Pass    Outcome = iota
	Fail            // an assertion failed
	Blocked         // a case it needs failed or was blocked
	Skip            // the server lacks an optional feature the case needs
)

func (o Outcome) String() string {
	return [...]string{"PASS", "FAIL", "BLOCKED", "SKIP"}[o]
}

// Failure is one failed assertion, with the exchange it was made on.
type Failure struct {
	Message  string `json:"message"`
	Request  string `json:"request,omitempty"`  // "GET /Users?…" and a clipped body; never headers
	Response string `json:"response,omitempty"` // status and clipped body
}

func (f Failure) String() string {
	var b strings.Builder
	b.WriteString(f.Message)
	if f.Request != "" {
		fmt.Fprintf(&b, "\n  request:  %s", f.Request)
	}
	if f.Response != "" {
		fmt.Fprintf(&b, "\n  response: %s", f.Response)
	}
	return b.String()
}

// Result is the report of one case.
type Result struct {
	Flow      string
	Case      *Case
	Outcome   Outcome
	Failures  []Failure
	BlockedBy string // Blocked: the id of the failed case it builds on, directly or not
	Reason    string // Skip: why
	Logs      []string
	fatal     bool // the case stopped early: cases that need it are blocked
}
