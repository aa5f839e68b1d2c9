package memstore

import (
	"context"
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/scimkit/scimkit/scim"
)

const heapUsers = 100_000

// measureHeap runs load, which keeps 100,000 typical users, and reports the live heap
// that load added (after a GC), per user and in total, and the process's peak
// resident set size.
func measureHeap(b *testing.B, load func() any) {
	for b.Loop() {
		b.StopTimer()
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		b.StartTimer()
		kept := load()
		b.StopTimer()
		runtime.GC()
		runtime.ReadMemStats(&after)
		live := float64(after.HeapAlloc) - float64(before.HeapAlloc)
		b.ReportMetric(live/heapUsers, "heap-B/user")
		b.ReportMetric(live/(1<<20), "heap-MiB")
		if hwm := peakRSS(); hwm > 0 {
			b.ReportMetric(hwm/(1<<20), "peakRSS-MiB")
		}
		runtime.KeepAlive(kept)
		b.StartTimer()
	}
}

// BenchmarkLoad100kUsers stores 100,000 typical Entra ID users in a new store, as
// the Handler would (each user made, stored and dropped). Run it alone for a
// meaningful peak:
//
//	go test -run '^$' -bench Load100k -benchtime 1x ./scim/memstore
func BenchmarkLoad100kUsers(b *testing.B) {
	ctx := context.Background()
	measureHeap(b, func() any {
		s := New(Options{})
		for i := range heapUsers {
			if _, err := s.CreateUser(ctx, typicalUser(i, "")); err != nil {
				b.Fatal(err)
			}
		}
		return s
	})
}

// BenchmarkUserHeap measures the heap that 100,000 typical Microsoft Entra ID users
// take in the two forms a store could keep them in: the encoding that memstore keeps
// (one string per user, see encodeUser), and a copy of each *scim.User (the struct,
// its parts and its strings). The record, indexes and order that memstore adds per
// user are the same for both and not counted. Run the two separately for peak RSS:
//
//	go test -run '^$' -bench 'UserHeap/codec' -benchtime 1x ./scim/memstore
//	go test -run '^$' -bench 'UserHeap/struct' -benchtime 1x ./scim/memstore
func BenchmarkUserHeap(b *testing.B) {
	b.Run("codec", func(b *testing.B) {
		measureHeap(b, func() any {
			kept := make([]string, heapUsers)
			for i := range kept {
				u := typicalUser(i, "")
				kept[i], _ = encodeUser(u, u.ID, uint64(i))
			}
			return kept
		})
	})
	b.Run("struct", func(b *testing.B) {
		measureHeap(b, func() any {
			kept := make([]*scim.User, heapUsers)
			for i := range kept {
				kept[i] = typicalUser(i, "").Clone()
			}
			return kept
		})
	})
}

// peakRSS returns the process's peak resident set size in bytes (Linux), or 0.
func peakRSS() float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(l, "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 64)
			return kb * 1024
		}
	}
	return 0
}
