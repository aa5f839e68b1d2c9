//go:build !race

package sqlfiltertest

// randomFilters is the number of random filters run against each database.
const randomFilters = 600
