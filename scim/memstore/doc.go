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
// store.go holds what users and groups share: the tenants, the per-resource write
// lock, the default order and the generic update path. users.go and groups.go hold
// what differs (the userName index, the member lists), query.go the list path shared
// by both (index lookups, chunked scans, sorting), and encode.go the compact encoding
// of a user, which is what keeps 100,000 users within about 66 MiB of heap.
package memstore
