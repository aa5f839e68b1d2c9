// Command scimcheck replays the requests that Microsoft Entra ID and Okta send to a
// SCIM 2.0 service provider against a running server, and reports, case by case,
// whether the answers are ones the identity providers can live with.
//
//	go run github.com/scimkit/scimkit/cmd/scimcheck@latest -url https://staging.example.com/scim/v2 -token "$TOKEN"
//
// It runs the same cases as scimtest.RunIdPFlows does inside a Go test, over real
// HTTP, so it works against a staging deployment, a server written in another
// language, or a proxy in front of one, from a laptop or from CI. No public URL is
// needed: localhost is fine.
//
// # Output
//
// One line per case: PASS, FAIL, BLOCKED or SKIP, the case id and what it checks.
// A failed case also shows the request, the part of the response that was wrong,
// the requirement it checks with a link to its section of scimkit's compatibility
// document, and what Entra ID or Okta would do with such an answer. A case that
// builds on a failed one is BLOCKED and names it; a case that needs /Groups is
// skipped when the server has no groups. The last line is exactly
//
//	N passed, M failed
//
// where blocked cases count as failed. -json writes one JSON report instead of the
// lines, and -junit FILE writes JUnit XML as well, for CI systems.
//
// Exit status: 0 when every case passed or was skipped, 1 when a case failed or was
// blocked, 2 when the check could not run: bad flags, an unreachable server, a 401
// on the first request, a tenant that already holds users, or an interrupted run.
//
// # Flags
//
//	-url URL          SCIM base URL, the one an IdP is configured with (required)
//	-token TOKEN      bearer token; or set SCIMCHECK_TOKEN to keep it out of the process list
//	-only LIST        comma-separated suites: entra, okta, okta-spec, rfc (default all)
//	-run REGEXP       only cases whose id matches, plus the cases they build on
//	-json             write a JSON report to standard output instead of lines
//	-junit FILE       also write JUnit XML to FILE
//	-timeout D        per-request timeout (default 30s)
//	-deadline D       time limit for the whole run, cleanup excluded (default 10m)
//	-concurrency N    flows run at once (default 1)
//	-allow-nonempty   run against a tenant that already holds users
//
// # Safety on a real tenant
//
// Every user and group scimcheck creates carries a run marker such as sc1f2e3d4c in
// its userName, displayName and externalId, and is deleted at the end of the run,
// also after Ctrl-C; what could not be deleted is listed with the reason. By default
// scimcheck refuses a tenant that already holds users; with -allow-nonempty it runs,
// and the paging checks compare pages among whatever users exist. It touches no
// resource it did not create. The token is sent only in the Authorization header and
// never printed.
package main
