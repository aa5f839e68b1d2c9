package sqlstore

import (
	"context"
	"database/sql"
	"strconv"
	"time"

	"github.com/scimkit/scimkit/filter"
	"github.com/scimkit/scimkit/filter/sqlfilter"

	"github.com/scimkit/scimkit/scim"
)

// queryer is what *sql.DB and *sql.Tx have in common for reading.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// selectOne reads the row id of p's table with its relation (rel, "" for none) in one
// statement.
func (s *Store) selectOne(ctx context.Context, q queryer, p *plan, id, rel string) (*scanned, error) {
	stmt, ok := p.byID.Load(rel)
	if !ok {
		b := &builder{d: s.d}
		b.sql("SELECT ", p.columns)
		if rel != "" {
			b.sql(", ", rel)
		}
		b.sql(" FROM ", p.t.Name, " ", p.alias, " WHERE ")
		p.key(b, "", "")
		stmt, _ = p.byID.LoadOrStore(rel, b.String())
	}
	rows, err := q.QueryContext(ctx, stmt.(string), p.keyArgs(tenant(ctx), id)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, err
		}
		return nil, notFound(p, id, nil)
	}
	sc := &scanned{}
	if err := rows.Scan(p.dest(sc, rel != "")...); err != nil {
		return nil, err
	}
	return sc, rows.Close()
}

// keyArgs returns the arguments of the condition that key writes, in its order.
func (p *plan) keyArgs(tenant, id string) []any {
	if p.t.Tenant == "" {
		return []any{id}
	}
	return []any{id, tenant}
}

// list runs a list query over p's table: one statement that returns the page and
// the total, and a count only when a page after the first came back empty.
// Each row is handed to each.
//
// The statement pages the keys in a derived table (ORDER BY, LIMIT, OFFSET over
// the key and sort columns only) and reads the page's rows, list attributes and
// relation (rel, "" for none) by key outside it, so that these are computed for the
// page's rows, not for every row skipped. The total is the derived table's: with no
// filter a COUNT(*) of the tenant that the database runs once, as an index scan
// where it can; with a filter COUNT(*) OVER () of the matches, so that the filter
// runs once.
func (s *Store) list(ctx context.Context, p *plan, q scim.Query, rel string, each func(*scanned) error) (int, error) {
	t := tenant(ctx)
	where := &builder{d: s.d}
	p.tenantOnly(where, t)
	if q.Filter != nil {
		cond, args, err := p.filter.Where(q.Filter, where.args)
		if err != nil {
			return 0, err // a *filter.ValidationError: 400 invalidFilter
		}
		where.args = args
		where.sql(" AND (", cond, ")")
	}
	// No filter, or one of the lookups identity providers make (userName eq,
	// externalId eq, id eq, displayName eq), costs at most one pass over the tenant's
	// rows, and usually an index probe: on PostgreSQL these skip the transaction
	// that bounds other filters.
	cheap := q.Filter == nil || isLookup(q.Filter)
	count := func() (int, error) {
		b := &builder{d: s.d, args: where.args}
		b.sql("SELECT COUNT(*) FROM ", p.t.Name, " ", p.alias, " WHERE ", where.String())
		n := 0
		err := s.query(ctx, b, cheap, func(r *sql.Rows) error { return r.Scan(&n) })
		return n, err
	}
	if q.Count <= 0 {
		return count()
	}
	a := p.alias + "."
	order := &builder{}
	dir := ""
	if q.Descending {
		dir = " DESC"
	}
	if expr, ok := p.sorts[q.SortBy]; ok && q.SortBy != "" {
		// Missing values come last in both directions.
		order.sql("(", expr, " IS NULL), ", expr, dir, ", ")
	} else {
		order.sql(a, p.t.Created, dir, ", ")
	}
	order.sql(a, p.t.ID, dir)
	b := &builder{d: s.d}
	if s.d == MariaDB {
		// MariaDB sorts keys longer than max_length_for_sort_data (1,024 bytes by
		// default; the owned tables' id and tenant take up to 2,044) as row ids, and
		// then reads every sorted row again by its id, up to OFFSET+LIMIT of them.
		b.sql("SET STATEMENT max_length_for_sort_data=65536 FOR ")
	}
	b.sql("SELECT ", p.columns)
	if rel != "" {
		b.sql(", ", rel)
	}
	b.sql(", page.total FROM (SELECT ", a, p.t.ID, " AS page_id, ")
	if p.t.Tenant != "" {
		b.sql(a, p.t.Tenant, " AS page_tenant, ")
	}
	if q.Filter == nil {
		b.sql("(SELECT COUNT(*) FROM ", p.t.Name, " ", p.alias, " WHERE ")
		p.tenantOnly(b, t)
		b.sql(") AS total FROM ", p.t.Name, " ", p.alias, " WHERE ")
		p.tenantOnly(b, t)
	} else {
		// where's placeholders are the first ones of b.
		b.sql("COUNT(*) OVER () AS total FROM ", p.t.Name, " ", p.alias, " WHERE ", where.String())
		b.args = append(b.args, where.args...)
	}
	b.sql(" ORDER BY ", order.String(), " LIMIT ").arg(int64(q.Count)).sql(" OFFSET ").arg(int64(max(q.StartIndex, 1) - 1))
	b.sql(") page JOIN ", p.t.Name, " ", p.alias, " ON ", a, p.t.ID, " = page.page_id")
	if p.t.Tenant != "" {
		b.sql(" AND ", a, p.t.Tenant, " = page.page_tenant")
	}
	b.sql(" ORDER BY ", order.String())
	total, n := 0, 0
	err := s.query(ctx, b, cheap, func(r *sql.Rows) error {
		sc := &scanned{}
		if err := r.Scan(append(p.dest(sc, rel != ""), &total)...); err != nil {
			return err
		}
		n++
		return each(sc)
	})
	if err != nil || n > 0 || q.StartIndex <= 1 {
		// An empty first page means no match: the count is 0 without a statement
		// (an identity provider's lookup of a user it is about to create).
		return total, err
	}
	return count()
}

// query runs the SELECT b and hands each row to each. When ctx has a deadline the
// database stops the statement at it: MariaDB and MySQL through the statement
// itself, PostgreSQL through statement_timeout, set for one read-only transaction
// unless cheap is set, so that the bound does not depend on the driver (pgx v5's
// stdlib sends a cancel request when ctx ends; a driver that only closes its
// connection would leave the server running). SQLite is interrupted by the driver
// when ctx ends.
func (s *Store) query(ctx context.Context, b *builder, cheap bool, each func(*sql.Rows) error) error {
	deadline, bounded := ctx.Deadline()
	q := b.String()
	if bounded && s.d != PostgreSQL {
		q, _ = s.d.timed(q, time.Until(deadline))
	}
	if !bounded || s.d != PostgreSQL || cheap {
		return scanAll(ctx, s.db, q, b.args, each)
	}
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	ms := max(time.Until(deadline).Milliseconds(), 1)
	if _, err := tx.ExecContext(ctx, "SELECT set_config('statement_timeout', $1, true)", strconv.FormatInt(ms, 10)); err != nil {
		return err
	}
	if err := scanAll(ctx, tx, q, b.args, each); err != nil {
		return err
	}
	return tx.Commit()
}

func scanAll(ctx context.Context, q queryer, query string, args []any, each func(*sql.Rows) error) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		if err := each(rows); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return rows.Close()
}

// failList classifies an error of a list query: a filter that the database refused
// for its size or depth is the client's (a *sqlfilter.TooComplexError: 400
// invalidFilter).
func (s *Store) failList(op string, err error) error {
	if tc := sqlfilter.TooComplex(err); tc != nil {
		return tc
	}
	return s.fail(op, err)
}

// isLookup reports whether e is one eq comparison of a single-valued attribute.
func isLookup(e filter.Expr) bool {
	c, ok := e.(*filter.Compare)
	return ok && c.Op == filter.Eq && c.Value != nil
}
