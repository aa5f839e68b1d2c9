// Package web is the HTTP side of the workspace example app: the pages a member uses
// to sign in and book a desk, the admin's "User provisioning" page for each workspace
// (a health summary, SCIM base URL, labelled secret tokens, the provisioning switch,
// the activity log with the reason of every failure, the provisioned members with a
// page each, and the table of attributes kept), and the SCIM endpoint under /scim/v2 that Microsoft Entra ID
// and Okta provision into.
//
// Pages are rendered on the server with html/template; there is no front-end build.
// Every POST carries a per-session CSRF token, and cookies are HttpOnly and SameSite.
// A successful POST redirects (post/redirect/get); a new token's secret reaches the
// page after the redirect in a sealed one-time flash, never in a URL.
package web
