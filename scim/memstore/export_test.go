package memstore

// OnScanChunk makes every list scan call f after each chunk, with no lock held, until
// the returned function is called.
func OnScanChunk(f func()) (restore func()) {
	scanChunkHook = f
	return func() { scanChunkHook = nil }
}

// TypicalUser is typicalUser, for the tests of package memstore_test.
var TypicalUser = typicalUser
