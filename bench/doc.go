// Package bench runs the same SCIM workloads through scimkit and through
// github.com/elimity-com/scim, side by side in one process, so that every
// performance claim scimkit makes is a ratio measured on the same machine.
//
// The package holds what the benchmarks, the load generator command
// (bench/cmd/scimload) and the memory command (bench/cmd/rss) share: the
// typical Entra ID user the workloads use ([EntraUserJSON]), an in-memory
// elimity resource handler written the way elimity's own example handler is
// ([ElimityUsers], [ElimityGroups]), a bare net/http baseline
// ([BareHandler]) and constructors for the servers under test.
//
// The benchmarks are in the package's _test.go files; README.md lists the
// exact commands and what each measurement compares.
//
// This module is not part of scimkit's API: it exists only to measure it.
package bench
