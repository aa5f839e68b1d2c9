// Package memstore is an in-memory store of SCIM users and groups: the reference
// implementation of [scim.UserStore], [scim.GroupStore] and their optional interfaces
// [scim.MemberPatcher], [scim.UserUpdater], [scim.GroupUpdater] and [scim.Sorter], for
// tests, examples, prototypes and small deployments that can rebuild their data from
// the identity provider after a restart.
//
// One [Store] serves every tenant:
//
//	store := memstore.New(memstore.Options{})
//	h, err := scim.NewHandler(scim.Config{Users: store, Groups: store, ...})
//
// It passes every check of package scimtest. Its limits are listed on [Store].
//
// # Reading it as a reference
//
// Each file holds one part, in the order a store author would write them:
//
//   - store.go: the Store, its options, tenants, versions and errors.
//   - records.go: what users and groups share: the table of records by id and in
//     default order, and the write protocol (every write holds the tenant's lock;
//     UpdateUser and UpdateGroup run fn without it, the record marked busy).
//   - users.go and groups.go: the two resources, each with its indexes; members.go:
//     a group's member list, whose changes cost the same whatever the group's size.
//   - list.go: ListUsers and ListGroups; index.go: the index lookups a filter can
//     use; trees.go: the resource trees filters are evaluated on; sort.go: sortBy.
//   - encode.go: a user in one string, what keeps 100,000 Entra ID users loaded
//     through the Handler within 300 MiB of peak RSS (a *scim.User copy per user
//     peaked at 444 MiB); fold.go: the case-insensitive key of userName and
//     displayName.
package memstore
