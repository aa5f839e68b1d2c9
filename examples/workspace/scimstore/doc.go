// Package scimstore implements scim.UserStore, scim.GroupStore and
// scim.MemberPatcher for the workspace example app, over the app's own tables on
// SQLite or PostgreSQL: SCIM Users are the workspace's members, SCIM Groups its teams,
// and the tenant of each request is a workspace.
//
// Start reading at mapping.go, which says where each SCIM attribute lives; it is the
// file a team adopting scimkit writes for its own product. The rest is plumbing:
//
//   - Filters become one parameterised query through package filter/sqlfilter (no
//     rows are loaded to be filtered in Go); an attribute that cannot be translated
//     fails the request with 400 invalidFilter rather than being ignored.
//   - userName is unique per workspace ignoring case by a unique index on
//     (workspace_id, lower(user_name)), and team names likewise.
//   - Every write is one transaction that locks the row, checks If-Match against the
//     row's version and bumps it, so concurrent writers through any number of app
//     processes never lose an update; transactions that lose a deadlock are retried.
//   - Adding or removing team members is one statement each, whatever the team's size.
//   - A deleted user is marked deleted: it leaves its teams and disappears from SCIM
//     and the app, while the bookings it made stay.
//
// Both stores pass scimtest.TestUserStore and scimtest.TestGroupStore on both
// databases.
package scimstore
