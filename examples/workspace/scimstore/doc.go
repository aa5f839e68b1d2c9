// Package scimstore is the SCIM store of the workspace example app: package
// sqlstore in mapped mode over the app's own tables on SQLite or PostgreSQL. SCIM
// Users are the workspace's members, SCIM Groups its teams, and the tenant of each
// request is a workspace.
//
// mapping.go is all there is: where each SCIM attribute lives, and the hook that
// keeps the app's own tables (sessions, former members) in step with a SCIM write,
// inside its transaction. It is the one file a team adopting scimkit writes.
package scimstore
