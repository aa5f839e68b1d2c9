package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"time"
)

// A hostError is an error of the host's (an update function or a hook), which the
// Store returns as is.
type hostError struct{ err error }

func (e hostError) Error() string { return e.err.Error() }
func (e hostError) Unwrap() error { return e.err }

// unwrapHost returns the host's own error when err is one.
func unwrapHost(err error) error {
	var h hostError
	if errors.As(err, &h) {
		return h.err
	}
	return err
}

// batch is the most rows one INSERT writes: far below every dialect's limit on
// placeholders (SQLite's is the lowest, 32,766).
const batch = 500

// insertRow inserts the row r with id into p's table at version 1, with its child
// rows.
func (s *Store) insertRow(ctx context.Context, tx *sql.Tx, p *plan, id string, created, modified time.Time, r row) error {
	for _, b := range s.inserts(ctx, p, id, created, modified, r, false) {
		if _, err := tx.ExecContext(ctx, b.String(), b.args...); err != nil {
			return err
		}
	}
	return nil
}

// insertAlone inserts as insertRow does, in one PostgreSQL statement (the child rows'
// INSERTs in WITH clauses), which needs no transaction: one round trip. The request's
// deadline bounds the wait for a connection, not the statement.
func (s *Store) insertAlone(ctx context.Context, p *plan, id string, created, modified time.Time, r row) error {
	bs := s.inserts(ctx, p, id, created, modified, r, true)
	last := bs[len(bs)-1]
	q := last.String()
	if len(bs) > 1 {
		var w strings.Builder
		w.WriteString("WITH ")
		for i, b := range bs[:len(bs)-1] {
			if i > 0 {
				w.WriteString(", ")
			}
			w.WriteString("i" + strconv.Itoa(i) + " AS (" + b.String() + ")")
		}
		q = w.String() + " " + q
	}
	// The statement is its own commit: as inTx's COMMIT, it runs to its end once
	// begun, so that a deadline reached meanwhile cannot answer 503 for a user that
	// is stored.
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return cutShort(ctx, err)
	}
	defer conn.Close()
	if err := ctx.Err(); err != nil {
		return err
	}
	_, err = conn.ExecContext(context.WithoutCancel(ctx), q, last.args...)
	return err
}

// inserts returns the INSERTs of the row r and its child rows. With chain set, each
// statement's placeholders follow the previous one's, and the last holds all
// arguments.
func (s *Store) inserts(ctx context.Context, p *plan, id string, created, modified time.Time, r row, chain bool) []*builder {
	b := &builder{d: s.d}
	out := []*builder{b}
	next := func() *builder {
		nb := &builder{d: s.d}
		if chain {
			nb.args = b.args
		}
		b = nb
		out = append(out, b)
		return b
	}
	cols := []string{p.t.ID, p.t.Version, p.t.Created, p.t.Modified, p.t.Attributes}
	vals := []any{id, int64(1), timeValue(created, s.tables.TimeLayout), timeValue(modified, s.tables.TimeLayout), r.attrs}
	if p.t.Tenant != "" {
		cols = append(cols, p.t.Tenant)
		vals = append(vals, tenant(ctx))
	}
	for i, sc := range p.scalars {
		cols = append(cols, sc.col)
		vals = append(vals, r.scalars[i])
	}
	b.sql("INSERT INTO ", p.t.Name, " (", strings.Join(cols, ", "), ") VALUES (")
	for i, v := range vals {
		if i > 0 {
			b.sql(", ")
		}
		b.arg(v)
	}
	b.sql(")")
	for i, ls := range p.lists {
		vals := r.lists[i]
		for start := 0; start < len(vals); start += batch {
			end := min(start+batch, len(vals))
			b := next()
			b.sql("INSERT INTO ", ls.l.Name, " (", ls.l.Parent, ", ", ls.l.Position)
			if ls.l.Tenant != "" {
				b.sql(", ", ls.l.Tenant)
			}
			for _, sb := range ls.subs {
				b.sql(", ", sb.col)
			}
			b.sql(") VALUES ")
			for j := start; j < end; j++ {
				if j > start {
					b.sql(", ")
				}
				b.sql("(").arg(id).sql(", ").arg(int64(j))
				if ls.l.Tenant != "" {
					b.sql(", ").arg(tenant(ctx))
				}
				for k, sb := range ls.subs {
					v := vals[j][k]
					if v == nil && sb.boolean {
						v = false
					}
					b.sql(", ").arg(v)
				}
				b.sql(")")
			}
		}
	}
	return out
}

// updateRow writes r over the row id of p's table and increments its version.
func (s *Store) updateRow(ctx context.Context, tx *sql.Tx, p *plan, id string, modified time.Time, r row) error {
	b := &builder{d: s.d}
	b.sql("UPDATE ", p.t.Name, " SET ", p.t.Version, " = ", p.t.Version, " + 1, ", p.t.Modified, " = ").
		arg(timeValue(modified, s.tables.TimeLayout)).sql(", ", p.t.Attributes, " = ").arg(r.attrs)
	for i, sc := range p.scalars {
		b.sql(", ", sc.col, " = ").arg(r.scalars[i])
	}
	b.sql(" WHERE ")
	s.rowKey(b, p.t.ID, p.t.Tenant, tenant(ctx), id)
	if _, err := tx.ExecContext(ctx, b.String(), b.args...); err != nil {
		return err
	}
	for _, ls := range p.lists {
		b := &builder{d: s.d}
		b.sql("DELETE FROM ", ls.l.Name, " WHERE ")
		s.rowKey(b, ls.l.Parent, ls.l.Tenant, tenant(ctx), id)
		if _, err := tx.ExecContext(ctx, b.String(), b.args...); err != nil {
			return err
		}
	}
	for _, b := range s.inserts(ctx, p, id, time.Time{}, time.Time{}, r, false)[1:] {
		if _, err := tx.ExecContext(ctx, b.String(), b.args...); err != nil {
			return err
		}
	}
	return nil
}

// rowKey writes "col = id [AND tenantCol = tenant]" without an alias.
func (s *Store) rowKey(b *builder, col, tenantCol, t, id string) {
	b.sql(col, " = ").arg(id)
	if tenantCol != "" {
		b.sql(" AND ", tenantCol, " = ").arg(t)
	}
}

// deleteRow deletes the row id of p's table, its child rows and its memberships, and
// returns how many memberships it deleted.
func (s *Store) deleteRow(ctx context.Context, tx *sql.Tx, p *plan, id, memberCol string) (int64, error) {
	m := s.tables.Members
	stmts := []*builder{}
	add := func(table, col, tenantCol string) {
		b := &builder{d: s.d}
		b.sql("DELETE FROM ", table, " WHERE ")
		s.rowKey(b, col, tenantCol, tenant(ctx), id)
		stmts = append(stmts, b)
	}
	add(m.Name, memberCol, m.Tenant)
	for _, ls := range p.lists {
		add(ls.l.Name, ls.l.Parent, ls.l.Tenant)
	}
	add(p.t.Name, p.t.ID, p.t.Tenant)
	var memberships int64
	for i, b := range stmts {
		n, err := exec(ctx, tx, b)
		if err != nil {
			return 0, err
		}
		if i == 0 {
			memberships = n
		}
	}
	return memberships, nil
}

// stored returns what a read of the row r with id would return, without running one:
// the write path and the read path share the codec.
func (p *plan) stored(r row) (map[string]any, error) {
	sc := &scanned{attrs: []byte(r.attrs)}
	if p.t.Document {
		return p.tree(sc)
	}
	sc.scalars, sc.lists = r.scalars, make([][]byte, len(p.lists))
	for i, ls := range p.lists {
		objs := make([]map[string]any, len(r.lists[i]))
		for j, vals := range r.lists[i] {
			objs[j] = map[string]any{}
			for k, sb := range ls.subs {
				objs[j][sb.name] = vals[k]
			}
		}
		sc.lists[i], _ = json.Marshal(objs)
	}
	return p.tree(sc)
}

// now is the time of a write that the Handler did not stamp.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// stamp returns t at the precision the columns keep, or now when t is zero.
func stamp(t time.Time) time.Time {
	if t.IsZero() {
		return now()
	}
	return t.UTC().Truncate(time.Microsecond)
}
