package scim

// patchResult is what the Handler needs from applying a PATCH.
type patchResult struct {
	changed bool     // false: the PATCH certainly changed nothing
	skipped []string // unknown attributes skipped by leniency
}
