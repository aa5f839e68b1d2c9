// Package memstore is an in-memory store of SCIM users and groups: the reference
// implementation of [scim.UserStore], [scim.GroupStore] and [scim.MemberPatcher], for
// tests, examples, prototypes and small deployments that can rebuild their data from
// the identity provider after a restart.
//
// One [Store] serves every tenant:
//
//	store := memstore.New(memstore.Options{})
//	h, err := scim.NewHandler(scim.Config{Users: store, Groups: store, ...})
//
// It passes every check of package scimtest. Its limits are listed on [Store].
package memstore
