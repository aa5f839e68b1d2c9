// Package web is the HTTP side of the workspace example app: the pages a member uses
// to sign in and book a desk, the admin's "User provisioning" page for each workspace
// (SCIM base URL, secret tokens, the provisioning switch, the activity log and the
// provisioned members), and the SCIM endpoint under /scim/v2 that Microsoft Entra ID
// and Okta provision into.
//
// Pages are rendered on the server with html/template; there is no front-end build.
// Every POST carries a per-session CSRF token, and cookies are HttpOnly and SameSite.
package web
