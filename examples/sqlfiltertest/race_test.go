//go:build race

package sqlfiltertest

// randomFilters is smaller under the race detector, which slows the pure-Go SQLite
// driver down about thirty times.
const randomFilters = 150
