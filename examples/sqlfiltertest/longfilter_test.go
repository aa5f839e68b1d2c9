package sqlfiltertest

import (
	mrand "math/rand/v2"
	"strconv"
	"testing"

	"github.com/scimkit/scimkit/filter"
)

// longFilters are the chains of runLong: each builds the filter of n terms.
var longFilters = []struct {
	name  string
	build func(g *gen, n int) filter.Expr
}{
	{"emails value filters or-ed", func(g *gen, n int) filter.Expr {
		return g.chain(n, filter.Or, func(i int) filter.Expr {
			return &filter.ValuePath{Path: filter.AttrPath{Name: "emails"}, Filter: g.eq("value", g.email(i))}
		})
	}},
	{"userName eq or-ed", func(g *gen, n int) filter.Expr {
		return g.chain(n, filter.Or, func(i int) filter.Expr { return g.eq("userName", g.userName(i)) })
	}},
	{"mixed terms or-ed", func(g *gen, n int) filter.Expr {
		return g.chain(n, filter.Or, func(i int) filter.Expr {
			switch i % 4 {
			case 0:
				return g.eq("userName", g.userName(i))
			case 1:
				return &filter.ValuePath{Path: filter.AttrPath{Name: "emails"}, Filter: &filter.Logical{
					Op: filter.And, Left: g.eq("type", "work"), Right: g.eq("value", g.email(i))}}
			case 2:
				return &filter.Compare{Path: filter.AttrPath{Name: "emails", Sub: "value"}, Op: filter.Co, Value: g.email(i)}
			}
			return g.eq("externalId", "ext-"+strconv.Itoa(i))
		})
	}},
	{"userName ne and-ed", func(g *gen, n int) filter.Expr {
		return g.chain(n, filter.And, func(i int) filter.Expr {
			c := g.eq("userName", g.userName(i))
			c.Op = filter.Ne
			return c
		})
	}},
}

// runLong runs filters of 1,000 and 5,000 terms, which without balancing nest far
// deeper than SQLite's expression limit of 1,000 and than PostgreSQL's stack allows.
func runLong(t *testing.T, d *db, users []map[string]any) {
	for _, lf := range longFilters {
		for _, n := range []int{1000, 5000} {
			t.Run(lf.name+" "+strconv.Itoa(n), func(t *testing.T) {
				g := &gen{r: mrand.New(mrand.NewPCG(uint64(n), 17)), users: users}
				e := lf.build(g, n)
				if text := e.String(); len(text) <= filter.MaxLength {
					// Through the parser, as a client would send it.
					var err error
					if e, err = filter.Parse(text); err != nil {
						t.Fatal(err)
					}
				}
				k := d.check(t, users, e)
				if k == 0 || k == len(users) {
					t.Errorf("the filter selected %d of %d users: it tests nothing", k, len(users))
				}
			})
		}
	}
}

func (g *gen) chain(n int, op filter.LogicalOp, term func(i int) filter.Expr) filter.Expr {
	e := term(0)
	for i := 1; i < n; i++ {
		e = &filter.Logical{Op: op, Left: e, Right: term(i)}
	}
	return e
}

func (g *gen) eq(path, value string) *filter.Compare {
	return &filter.Compare{Path: filter.AttrPath{Name: path}, Op: filter.Eq, Value: value}
}

// email returns the address of some user in changed case, or one nobody has.
func (g *gen) email(i int) string {
	if g.r.IntN(8) == 0 {
		if emails := collect(g.users[g.r.IntN(len(g.users))], filter.AttrPath{Name: "emails"}); len(emails) > 0 {
			return flipCase(g.r, emails[g.r.IntN(len(emails))])
		}
	}
	return "nobody" + strconv.Itoa(i) + "@example.com"
}

// userName returns the userName of some user in changed case, or one nobody has.
func (g *gen) userName(i int) string {
	if g.r.IntN(8) == 0 {
		return flipCase(g.r, g.users[g.r.IntN(len(g.users))]["userName"].(string))
	}
	return "nobody" + strconv.Itoa(i)
}
