package main

import (
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/scimkit/scimkit/internal/idpflow"
)

// report is the outcome of a run, as -json writes it.
type report struct {
	URL        string        `json:"url"`
	Marker     string        `json:"marker"` // carried by every resource the run created
	Passed     int           `json:"passed"`
	Failed     int           `json:"failed"` // failed and blocked cases
	Skipped    int           `json:"skipped"`
	NotRun     int           `json:"notRun"` // cut short by Ctrl-C or -deadline
	Cases      []*caseReport `json:"cases"`
	NotDeleted []string      `json:"notDeleted"` // created resources left behind, with the reason
}

func (r *report) add(c *caseReport) {
	r.Cases = append(r.Cases, c)
	switch c.Outcome {
	case idpflow.Pass.String():
		r.Passed++
	case idpflow.Skip.String():
		r.Skipped++
	default:
		r.Failed++
	}
}

// caseReport is the outcome of one case.
type caseReport struct {
	Flow         string            `json:"flow"`
	ID           string            `json:"id"`
	Suite        string            `json:"suite"`
	Title        string            `json:"title"`
	Outcome      string            `json:"outcome"` // PASS, FAIL, BLOCKED or SKIP
	Requirements []requirement     `json:"requirements"`
	Failures     []idpflow.Failure `json:"failures,omitempty"`
	Consequence  string            `json:"consequence,omitempty"` // set when the case failed or was blocked
	BlockedBy    string            `json:"blockedBy,omitempty"`
	Reason       string            `json:"reason,omitempty"` // why a case was skipped
	Seconds      float64           `json:"seconds"`
}

// requirement is a requirement id with its section of the compatibility document.
type requirement struct {
	ID   string `json:"id"`
	Link string `json:"link"`
}

func newCaseReport(r *idpflow.Result, d time.Duration) *caseReport {
	k := r.Case
	c := &caseReport{Flow: r.Flow, ID: k.ID, Suite: k.Suite, Title: k.Title, Outcome: r.Outcome.String(),
		Failures: r.Failures, BlockedBy: r.BlockedBy, Reason: r.Reason, Seconds: d.Seconds()}
	for _, id := range k.Reqs {
		c.Requirements = append(c.Requirements, requirement{id, idpflow.DocLink(id)})
	}
	if r.Outcome == idpflow.Fail || r.Outcome == idpflow.Blocked {
		c.Consequence = k.Consequence
	}
	return c
}

// maxShown bounds the failures printed per case; -json has them all.
const maxShown = 3

// printCase writes the line of one case, and for a failure the details under it.
func printCase(w io.Writer, c *caseReport) {
	fmt.Fprintf(w, "%-7s %s  %s", c.Outcome, c.ID, c.Title)
	switch {
	case c.BlockedBy != "":
		fmt.Fprintf(w, " (not run: it builds on %s, which failed)", c.BlockedBy)
	case c.Reason != "":
		fmt.Fprintf(w, " (%s)", c.Reason)
	}
	fmt.Fprintln(w)
	for i, f := range c.Failures {
		if i == maxShown {
			fmt.Fprintf(w, "        … and %d more\n", len(c.Failures)-maxShown)
			break
		}
		fmt.Fprintf(w, "        %s\n", strings.ReplaceAll(f.String(), "\n", "\n        "))
	}
	if c.Outcome == idpflow.Fail.String() {
		fmt.Fprintf(w, "        why it matters: %s\n", c.Consequence)
		fmt.Fprintf(w, "        requirement %s: %s\n", c.Requirements[0].ID, c.Requirements[0].Link)
	}
}

// JUnit XML, as CI systems read it.
type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Skipped  int          `xml:"skipped,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Classname string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Time      string        `xml:"time,attr"`
	Failure   *junitMessage `xml:"failure,omitempty"`
	Skipped   *junitMessage `xml:"skipped,omitempty"`
}

type junitMessage struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr,omitempty"`
	Text    string `xml:",chardata"`
}

// writeJUnit writes rep as JUnit XML to file: a testsuite per flow, a testcase
// per case; blocked cases are failures of type "blocked".
func writeJUnit(file string, rep *report) error {
	out := junitSuites{}
	idx := map[string]int{}
	for _, c := range rep.Cases {
		i, ok := idx[c.Flow]
		if !ok {
			i = len(out.Suites)
			idx[c.Flow] = i
			out.Suites = append(out.Suites, junitSuite{Name: "scimcheck/" + c.Flow})
		}
		s := &out.Suites[i]
		jc := junitCase{Classname: "scimcheck." + c.Flow, Name: c.ID + " " + c.Title, Time: fmt.Sprintf("%.3f", c.Seconds)}
		switch c.Outcome {
		case idpflow.Fail.String():
			var b strings.Builder
			printCase(&b, c)
			jc.Failure = &junitMessage{Message: c.Failures[0].Message, Type: "FAIL", Text: b.String()}
			s.Failures++
		case idpflow.Blocked.String():
			jc.Failure = &junitMessage{Message: "not run: it builds on " + c.BlockedBy + ", which failed", Type: "BLOCKED"}
			s.Failures++
		case idpflow.Skip.String():
			jc.Skipped = &junitMessage{Message: c.Reason}
			s.Skipped++
		}
		s.Tests++
		s.Cases = append(s.Cases, jc)
	}
	for _, s := range out.Suites {
		out.Tests += s.Tests
		out.Failures += s.Failures
		out.Skipped += s.Skipped
	}
	data, err := xml.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(file, append([]byte(xml.Header), append(data, '\n')...), 0o644)
}
