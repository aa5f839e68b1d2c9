// Package scimtest checks that stores and handlers behave as SCIM identity providers
// need, the way testing/fstest checks a file system.
//
// # Store conformance
//
// [TestUserStore] and [TestGroupStore] run a table of checks against a host's
// [scim.UserStore] and [scim.GroupStore]: round trips of fully populated Microsoft
// Entra ID users, userName and displayName uniqueness ignoring case (also under
// concurrent creates), not-found and precondition errors, stable paging, filters
// (compared with package filter's evaluator over the same users), sorting, ownership
// of values passed in and out, tenant isolation, group membership, and the optional
// [scim.MemberPatcher]. Each check runs in its own subtest on a fresh store made by
// the factory, and its failure message names the rule it checks: an RFC 7643/7644
// section or a requirement id such as ENTRA-USER-9.
//
// Put one call inside an ordinary test of the store's package:
//
//	func TestStore(t *testing.T) {
//		scimtest.TestUserStore(t, func(t *testing.T) scim.UserStore {
//			return newPGStore(t) // a fresh, empty store; t.Cleanup may drop it
//		})
//	}
//
// Optional behaviour is probed only when present: checks that need versions (ETags)
// are skipped when the store returns empty versions, sortBy checks when ListUsers
// returns an error wrapping errors.ErrUnsupported, and MemberPatcher checks when the
// GroupStore does not implement it. Package memstore passes every check.
//
// The checks create data in the tenants "scimtest-a" and "scimtest-b" and in the
// context without a tenant.
//
// # Identity provider flows
//
// [RunIdPFlows] replays, against a whole http.Handler, the request sequences that
// Microsoft Entra ID and Okta send, one subtest per requirement id of scimkit's
// compatibility document, docs/COMPAT.md in the repository. The command
// github.com/scimkit/scimkit/cmd/scimcheck replays the same steps against a running
// server over HTTP.
package scimtest
