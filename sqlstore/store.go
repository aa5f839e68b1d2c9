package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/scimkit/scimkit/schema"
	"github.com/scimkit/scimkit/scim"
)

// Options configure a Store.
type Options struct {
	// Dialect is the database behind the *sql.DB. The zero value is PostgreSQL.
	Dialect Dialect
	// Tables says where the resources live. Nil means the tables that Owned
	// describes, with the name prefix "scim_"; create them with Migrate.
	Tables *Tables
	// UserType is the resource type of users, with the host's extension schemas.
	// Nil means schema.UserResourceType.
	UserType *schema.ResourceType
	// UserHook, when set, runs inside the transaction of every user write, after
	// the store's statements: old is nil on create, new is nil on delete. Its error
	// rolls the write back and is returned as is. The hook must use tx, not the
	// *sql.DB, and must not keep or modify old and new.
	UserHook func(ctx context.Context, tx *sql.Tx, old, new *scim.User) error
	// GroupHook is UserHook for groups. Both groups carry their whole member list.
	GroupHook func(ctx context.Context, tx *sql.Tx, old, new *scim.Group) error
	// RetryAfter is what a client is told to wait when the database is unreachable
	// (503). Zero means 30 seconds.
	RetryAfter time.Duration
}

// A Store keeps SCIM users and groups in SQL tables. It implements scim.UserStore,
// scim.GroupStore, scim.MemberPatcher, scim.UserUpdater, scim.GroupUpdater and
// scim.Sorter. It is safe for concurrent use.
type Store struct {
	db     *sql.DB
	d      Dialect
	tables *Tables
	opts   Options
	users  *plan
	groups *plan
	// userGroups and groupMembers are the SELECT-list subqueries that read a user's
	// groups and a group's members as JSON arrays.
	userGroups, groupMembers string
	// queues holds the memberQueue of every group that member additions are waiting
	// for, by tenant and id.
	queueMu sync.Mutex
	queues  map[string]*memberQueue
}

var (
	_ scim.UserStore     = (*Store)(nil)
	_ scim.GroupStore    = (*Store)(nil)
	_ scim.MemberPatcher = (*Store)(nil)
	_ scim.UserUpdater   = (*Store)(nil)
	_ scim.GroupUpdater  = (*Store)(nil)
	_ scim.Sorter        = (*Store)(nil)
)

// New returns a Store over db. It checks opts.Tables (or the owned tables'
// description) and derives every statement from it; it does not touch the database.
func New(db *sql.DB, opts Options) (*Store, error) {
	if opts.Tables == nil {
		opts.Tables = Owned(opts.Dialect, DefaultPrefix)
	}
	if opts.UserType == nil {
		opts.UserType = schema.UserResourceType
	}
	if opts.RetryAfter == 0 {
		opts.RetryAfter = 30 * time.Second
	}
	t := opts.Tables
	if opts.Dialect == SQLite && t.TimeLayout == "" {
		return nil, errors.New("sqlstore: SQLite has no timestamp type: set Tables.TimeLayout")
	}
	s := &Store{db: db, d: opts.Dialect, tables: t, opts: opts}
	var errs []error
	var err error
	if s.users, err = compile(s.d, opts.UserType, &t.Users, "u", t.TimeLayout); err != nil {
		errs = append(errs, err)
	}
	if s.groups, err = compile(s.d, schema.GroupResourceType, &t.Groups, "g", t.TimeLayout); err != nil {
		errs = append(errs, err)
	}
	m := t.Members
	switch {
	case len(t.Groups.Lists) > 0:
		errs = append(errs, errors.New("sqlstore: Groups.Lists must be empty"))
	case t.Groups.Document:
		errs = append(errs, errors.New("sqlstore: Groups.Document is not supported (a group's row has no list to spare)"))
	case m.Name == "" || m.Group == "" || m.Member == "":
		errs = append(errs, errors.New("sqlstore: Members needs Name, Group and Member"))
	case (m.Tenant == "") != (t.Users.Tenant == "") || (t.Users.Tenant == "") != (t.Groups.Tenant == ""):
		errs = append(errs, errors.New("sqlstore: Tenant columns must be set on every table or on none"))
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	s.relations()
	return s, nil
}

// relations derives the membership parts of the plans: the groups and members
// subqueries, and the filter mappings of a user's groups and a group's members.
func (s *Store) relations() {
	m := s.tables.Members
	gDisplay := "''"
	if col, ok := s.tables.Groups.Columns["displayName"]; ok {
		gDisplay = "gg." + col
	}
	mDisplay := "''"
	if m.Display != "" {
		mDisplay = "gm." + m.Display
	}
	from := m.Name + " gm"
	userJoin := s.users.join("gm", m.Member, m.Tenant)
	groupJoin := s.groups.join("gm", m.Group, m.Tenant)
	on := "gg." + s.tables.Groups.ID + " = gm." + m.Group
	if m.Tenant != "" {
		on += " AND gg." + s.tables.Groups.Tenant + " = gm." + m.Tenant
	}
	s.userGroups = "(SELECT " + s.d.jsonArray([]string{"value", "display"}, []string{"gm." + m.Group, gDisplay}, "gm."+m.Group) +
		" FROM " + from + " JOIN " + s.tables.Groups.Name + " gg ON " + on + " WHERE " + userJoin + ")"
	s.groupMembers = "(SELECT " + s.d.jsonArray([]string{"value", "display"}, []string{"gm." + m.Member, mDisplay}, "gm."+m.Member) +
		" FROM " + from + " WHERE " + groupJoin + ")"
	gcols := map[string]string{"value": "gm." + m.Group, "type": "'direct'"}
	if gDisplay != "''" {
		gcols["display"] = "(SELECT " + gDisplay + " FROM " + s.tables.Groups.Name + " gg WHERE " + on + ")"
	}
	s.users.filter.Tables["groups"] = sqlfilterTable(from, userJoin, gcols)
	mcols := map[string]string{"value": "gm." + m.Member, "type": "'User'"}
	if m.Display != "" {
		mcols["display"] = mDisplay
	}
	s.groups.filter.Tables["members"] = sqlfilterTable(from, groupJoin, mcols)
}

// SortsBy implements scim.Sorter: results can be ordered by every attribute that
// has a column of its own, and by id, meta.created and meta.lastModified.
func (s *Store) SortsBy(resourceType, path string) bool {
	p := s.users
	if resourceType == "Group" {
		p = s.groups
	}
	_, ok := p.sorts[path]
	return ok
}

// tenant returns the tenant of ctx.
func tenant(ctx context.Context) string {
	t, _ := scim.TenantFrom(ctx)
	return t
}

// key writes the condition that selects the row id of the tenant in p's table,
// with its arguments in the order keyArgs gives them.
func (p *plan) key(b *builder, tenant, id string) {
	args := p.keyArgs(tenant, id)
	b.sql(p.alias, ".", p.t.ID, " = ").arg(args[0])
	if len(args) > 1 {
		b.sql(" AND ", p.alias, ".", p.t.Tenant, " = ").arg(args[1])
	}
}

// tenantOnly writes the condition that selects the rows of the tenant ("1 = 1"
// for a single-tenant table).
func (p *plan) tenantOnly(b *builder, tenant string) {
	if p.t.Tenant == "" {
		b.sql("1 = 1")
		return
	}
	b.sql(p.alias, ".", p.t.Tenant, " = ").arg(tenant)
}

// errUnchanged, returned by the function that inTx runs, rolls the transaction back
// and makes inTx succeed: the write turned out to change nothing.
var errUnchanged = errors.New("sqlstore: nothing changed")

// inTx runs fn in one transaction and commits it unless fn fails. The request's
// context bounds the wait for a connection and every statement of fn; a deadline
// that passed before the COMMIT rolls the write back. The COMMIT itself runs to its
// end, without the context: one cut off by the deadline may have been durable all the
// same, and a client told 503 would retry a write that is already there (a POST then
// meets 409). So the answer always says whether the write happened.
func (s *Store) inTx(ctx context.Context, op string, fn func(tx *sql.Tx) error) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return s.fail(op, cutShort(ctx, err))
	}
	defer conn.Close()
	tx, err := conn.BeginTx(context.WithoutCancel(ctx), nil)
	if err != nil {
		return s.fail(op, cutShort(ctx, err))
	}
	defer tx.Rollback() // a no-op after Commit; a panicking hook leaves no open transaction
	if err := fn(tx); err != nil {
		if errors.Is(err, errUnchanged) {
			return nil
		}
		return s.fail(op, cutShort(ctx, err))
	}
	if err := ctx.Err(); err != nil {
		return s.fail(op, err)
	}
	return s.fail(op, tx.Commit())
}

// errRetry, returned by the function that retried runs, makes it run again.
var errRetry = errors.New("sqlstore: retry")

// retried runs f, whose transaction calls no function of the host's but its hooks,
// again when it fails with errRetry or a deadlock, at most three times in all; last
// tells f that it runs for the last time.
func retried(f func(last bool) error) error {
	const attempts = 3
	for i := 1; ; i++ {
		err := f(i == attempts)
		if i == attempts || !errors.Is(err, errRetry) && !isDeadlock(err) {
			return err
		}
	}
}

// lockRead locks the row id of p's table for the rest of tx, checks its version
// against ifMatch and reads it with the relation rel. The read is a statement of its
// own, after the lock: a statement that waited for the lock sees, in its subqueries,
// the data of when it started (PostgreSQL's READ COMMITTED), so one that both locks
// and aggregates child rows could miss the previous writer's rows.
func (s *Store) lockRead(ctx context.Context, tx *sql.Tx, p *plan, id, ifMatch, rel string) (*scanned, error) {
	if _, err := s.lock(ctx, tx, p, id, ifMatch); err != nil {
		return nil, err
	}
	return s.selectOne(ctx, tx, p, id, rel)
}

func checkVersion(p *plan, id string, v int64, ifMatch string) error {
	if ifMatch != "" && ifMatch != version(v) {
		return fmt.Errorf("sqlstore: %s %q is at version %d, not %s: %w", p.rt.Name, id, v, ifMatch, scim.ErrPreconditionFailed)
	}
	return nil
}

// writeLock takes SQLite's write lock for tx by writing the row id first: a write
// transaction excludes every other writer.
func (s *Store) writeLock(ctx context.Context, tx *sql.Tx, p *plan, id string) error {
	b := &builder{d: s.d}
	b.sql("UPDATE ", p.t.Name, " AS ", p.alias, " SET ", p.t.Version, " = ", p.t.Version, " WHERE ")
	p.key(b, tenant(ctx), id)
	n, err := exec(ctx, tx, b)
	if err == nil && n == 0 {
		err = notFound(p, id, nil)
	}
	return err
}

// lock locks the row id of p's table for the rest of tx, reads its version and
// checks it against ifMatch.
func (s *Store) lock(ctx context.Context, tx *sql.Tx, p *plan, id, ifMatch string) (int64, error) {
	t := tenant(ctx)
	if s.d == SQLite {
		if err := s.writeLock(ctx, tx, p, id); err != nil {
			return 0, err
		}
	}
	b := &builder{d: s.d}
	b.sql("SELECT ", p.alias, ".", p.t.Version, " FROM ", p.t.Name, " ", p.alias, " WHERE ")
	p.key(b, t, id)
	b.sql(s.d.forUpdate())
	var v int64
	err := tx.QueryRowContext(ctx, b.String(), b.args...).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, notFound(p, id, nil)
	}
	if err != nil {
		return 0, err
	}
	return v, checkVersion(p, id, v, ifMatch)
}

// bump increments the version of the row id of p's table and stamps its
// modification time, which locks the row for the rest of tx, and returns the new
// version, in one statement. With ifMatch, only a row at that version changes; a row
// that does not is missing or at another version, and lock says which.
func (s *Store) bump(ctx context.Context, tx *sql.Tx, p *plan, id, ifMatch string) (int64, error) {
	b := &builder{d: s.d}
	next := p.t.Version + " + 1"
	if s.d.mysqlLike() {
		next = "LAST_INSERT_ID(" + next + ")" // reported to the client with the result
	}
	b.sql("UPDATE ", p.t.Name, " SET ", p.t.Version, " = ", next, ", ", p.t.Modified, " = ").
		arg(timeValue(now(), s.tables.TimeLayout)).sql(" WHERE ")
	s.rowKey(b, p.t.ID, p.t.Tenant, tenant(ctx), id)
	v, err := strconv.ParseInt(ifMatch, 10, 64)
	if ifMatch != "" && (err != nil || version(v) != ifMatch) {
		return 0, s.mismatch(ctx, tx, p, id, ifMatch)
	}
	if ifMatch != "" {
		b.sql(" AND ", p.t.Version, " = ").arg(v)
	}
	if s.d.mysqlLike() {
		res, err := tx.ExecContext(ctx, b.String(), b.args...)
		if err != nil {
			return 0, err
		}
		if n, err := res.RowsAffected(); err != nil || n == 0 {
			if err == nil {
				err = s.mismatch(ctx, tx, p, id, ifMatch)
			}
			return 0, err
		}
		return res.LastInsertId()
	}
	b.sql(" RETURNING ", p.t.Version)
	err = tx.QueryRowContext(ctx, b.String(), b.args...).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, s.mismatch(ctx, tx, p, id, ifMatch)
	}
	return v, err
}

// mismatch returns the error of a row id that a conditional write did not find:
// scim.ErrNotFound or scim.ErrPreconditionFailed.
func (s *Store) mismatch(ctx context.Context, tx *sql.Tx, p *plan, id, ifMatch string) error {
	if _, err := s.lock(ctx, tx, p, id, ifMatch); err != nil || ifMatch == "" {
		return notFound(p, id, err)
	}
	return fmt.Errorf("sqlstore: %s %q is not at version %s: %w", p.rt.Name, id, ifMatch, scim.ErrPreconditionFailed)
}

func notFound(p *plan, id string, err error) error {
	if err != nil {
		return err
	}
	return fmt.Errorf("sqlstore: %s %q: %w", p.rt.Name, id, scim.ErrNotFound)
}

func version(v int64) string { return strconv.FormatInt(v, 10) }

// Tables returns the description the Store works with (the owned tables' when
// Options.Tables was nil). It must not be modified.
func (s *Store) Tables() *Tables { return s.tables }
