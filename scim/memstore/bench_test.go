package memstore_test

import (
	"context"
	"fmt"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/scimkit/scimkit/filter"
	"github.com/scimkit/scimkit/schema"
	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/scim/memstore"
)

// typicalUser returns a typical Microsoft Entra ID user (see memstore.TypicalUser).
var typicalUser = memstore.TypicalUser

// load fills s with n typical users in ctx and returns their ids.
func load(tb testing.TB, s *memstore.Store, ctx context.Context, n int) []string {
	ids := make([]string, n)
	for i := range n {
		mgr := ""
		if i > 0 {
			mgr = ids[i/10]
		}
		u, err := s.CreateUser(ctx, typicalUser(i, mgr))
		if err != nil {
			tb.Fatal(err)
		}
		ids[i] = u.ID
	}
	return ids
}

var big struct {
	once  sync.Once
	store *memstore.Store
	ids   []string
	ctx   context.Context
}

const bigN = 100_000

// bigStore returns a store with 100,000 typical users, built once per test binary.
func bigStore(b *testing.B) (*memstore.Store, context.Context, []string) {
	big.once.Do(func() {
		big.ctx = scim.WithTenant(context.Background(), "bench")
		big.store = memstore.New(memstore.Options{})
		big.ids = load(b, big.store, big.ctx, bigN)
	})
	return big.store, big.ctx, big.ids
}

func parse(b *testing.B, rt *schema.ResourceType, s string) filter.Expr {
	e, err := filter.Parse(s)
	if err != nil {
		b.Fatal(err)
	}
	if e, err = filter.Validate(e, rt); err != nil {
		b.Fatal(err)
	}
	return e
}

// BenchmarkListUsersUserNameEq is Entra ID's matching query before every create
// (ENTRA-USER-3) against 1,000 and 100,000 users: an index lookup, so the two should
// cost the same.
func BenchmarkListUsersUserNameEq(b *testing.B) {
	for _, n := range []int{1000, bigN} {
		b.Run(fmt.Sprint("users=", n), func(b *testing.B) {
			s, ctx, _ := bigStore(b)
			if n != bigN {
				ctx = scim.WithTenant(context.Background(), "bench-small")
				s = memstore.New(memstore.Options{})
				load(b, s, ctx, n)
			}
			filters := make([]filter.Expr, 64)
			for i := range filters {
				filters[i] = parse(b, schema.UserResourceType, fmt.Sprintf(`userName eq "USER%d@contoso.example"`, i*(n/64)))
			}
			b.ReportAllocs()
			b.ResetTimer()
			defer cpuPerOp(b)()
			i := 0
			for b.Loop() {
				p, err := s.ListUsers(ctx, scim.Query{Filter: filters[i%len(filters)], StartIndex: 1, Count: 100})
				if err != nil || p.Total != 1 {
					b.Fatal(p, err)
				}
				i++
			}
		})
	}
}

// BenchmarkListUsersScan filters on an attribute without an index (title), which
// scans every user: the cost per user of a scan.
func BenchmarkListUsersScan(b *testing.B) {
	const n = 10_000
	ctx := scim.WithTenant(context.Background(), "scan")
	s := memstore.New(memstore.Options{})
	load(b, s, ctx, n)
	f := parse(b, schema.UserResourceType, `title eq "Lead" or name.familyName eq "Number 77"`)
	b.ReportAllocs()
	defer cpuPerOp(b)()
	for b.Loop() {
		p, err := s.ListUsers(ctx, scim.Query{Filter: f, StartIndex: 1, Count: 100})
		if err != nil || p.Total != 1 {
			b.Fatal(p, err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/user")
}

func BenchmarkGetUser(b *testing.B) {
	s, ctx, ids := bigStore(b)
	b.ReportAllocs()
	defer cpuPerOp(b)()
	i := 0
	for b.Loop() {
		if _, err := s.GetUser(ctx, ids[(i*7919)%len(ids)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

func BenchmarkCreateUser(b *testing.B) {
	ctx := context.Background()
	s := memstore.New(memstore.Options{})
	users := make([]*scim.User, 0, 1<<16)
	for i := range cap(users) {
		users = append(users, typicalUser(i, ""))
	}
	b.ReportAllocs()
	defer cpuPerOp(b)()
	i := 0
	for b.Loop() {
		if i == len(users) {
			b.StopTimer()
			s, i = memstore.New(memstore.Options{}), 0
			b.StartTimer()
		}
		if _, err := s.CreateUser(ctx, users[i]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkPatchMembers adds one member to (even iterations) and removes it from (odd
// iterations) groups of 1,000 and 100,000 members (ENTRA-GROUP-10): the cost must not
// depend on the group's size.
//
// With churn, the odd iterations remove a member from the middle of the group (which
// leaves a tombstone, compacted away from time to time) and the even ones add it back
// at the end; the cost must still not depend on the group's size.
func BenchmarkPatchMembers(b *testing.B) {
	b.Run("add-remove", func(b *testing.B) { benchPatchMembers(b, false) })
	b.Run("churn", func(b *testing.B) { benchPatchMembers(b, true) })
}

func benchPatchMembers(b *testing.B, churn bool) {
	for _, n := range []int{1000, bigN - 1} {
		b.Run(fmt.Sprint("members=", n), func(b *testing.B) {
			s, ctx, ids := bigStore(b)
			g, err := s.CreateGroup(ctx, &scim.Group{DisplayName: fmt.Sprint("bench group ", n)})
			if err != nil {
				b.Fatal(err)
			}
			for start := 0; start < n; start += 10_000 {
				var c scim.MemberChange
				for _, id := range ids[start:min(n, start+10_000)] {
					c.Add = append(c.Add, scim.Member{Value: id})
				}
				if _, err := s.PatchMembers(ctx, g.ID, c, ""); err != nil {
					b.Fatal(err)
				}
			}
			spare := ids[len(ids)-1]
			add := scim.MemberChange{Add: []scim.Member{{Value: spare}}}
			remove := scim.MemberChange{Remove: []string{spare}}
			b.ReportAllocs()
			b.ResetTimer()
			stop := cpuPerOp(b)
			i := 0
			for b.Loop() {
				c := add
				if i%2 == 1 {
					c = remove
				}
				if churn {
					id := ids[(i/2*7919)%n]
					c = scim.MemberChange{Remove: []string{id}}
					if i%2 == 1 {
						c = scim.MemberChange{Add: []scim.Member{{Value: id}}}
					}
				}
				if _, err := s.PatchMembers(ctx, g.ID, c, ""); err != nil {
					b.Fatal(err)
				}
				i++
			}
			stop()
			b.StopTimer()
			if err := s.DeleteGroup(ctx, g.ID, ""); err != nil {
				b.Fatal(err)
			}
		})
	}
}

// cpuPerOp starts counting the process's CPU time (user and system, garbage
// collection included); the function it returns reports it per op as cpu-ns/op. On a
// machine shared with other work, wall time per op grows with the contention while
// CPU time does not.
func cpuPerOp(b *testing.B) func() {
	start := processCPU(b)
	return func() {
		b.ReportMetric(float64((processCPU(b)-start).Nanoseconds())/float64(b.N), "cpu-ns/op")
	}
}

// processCPU returns the user and system CPU time the process has used.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
