package sqlstoretest

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/scimkit/scimkit/filter"
	"github.com/scimkit/scimkit/schema"
	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/sqlstore"
)

// The host's hook runs inside the write's transaction: what it writes through tx
// commits with the SCIM write, and its error rolls both back.
func TestHookFailureRollsBackTheWrite(t *testing.T) {
	each(t, func(t *testing.T, b backend, m mode) {
		errSeats := errors.New("no seat left")
		var fail bool
		audit := prefix() + "audit"
		var calls []string
		s, db := newStore(t, b, m, sqlstore.Options{
			UserHook: func(ctx context.Context, tx *sql.Tx, old, nu *scim.User) error {
				switch {
				case old == nil:
					calls = append(calls, "create "+nu.UserName)
				case nu == nil:
					calls = append(calls, "delete "+old.UserName)
				default:
					calls = append(calls, "update "+old.Title+" → "+nu.Title)
				}
				q := "INSERT INTO " + audit + " (what) VALUES (?)"
				if b.dialect == sqlstore.PostgreSQL {
					q = strings.Replace(q, "?", "$1", 1)
				}
				if _, err := tx.ExecContext(ctx, q, calls[len(calls)-1]); err != nil {
					return err
				}
				if fail {
					return errSeats
				}
				return nil
			},
		})
		if _, err := db.Exec("CREATE TABLE " + audit + " (what varchar(200))"); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { db.Exec("DROP TABLE " + audit) })
		ctx := scim.WithTenant(t.Context(), "acme")
		u, err := s.CreateUser(ctx, &scim.User{ID: "u1", UserName: "ada@contoso.example", Title: "Engineer", Active: true})
		if err != nil {
			t.Fatal(err)
		}
		fail = true
		_, err = s.UpdateUser(ctx, u.ID, "", func(old *scim.User) (*scim.User, error) {
			old.Title = "Manager"
			return old, nil
		})
		if !errors.Is(err, errSeats) {
			t.Fatalf("UpdateUser with a failing hook: %v, want the hook's error", err)
		}
		if _, err := s.CreateUser(ctx, &scim.User{ID: "u2", UserName: "bob@contoso.example", Active: true}); !errors.Is(err, errSeats) {
			t.Fatalf("CreateUser with a failing hook: %v, want the hook's error", err)
		}
		if err := s.DeleteUser(ctx, u.ID, ""); !errors.Is(err, errSeats) {
			t.Fatalf("DeleteUser with a failing hook: %v, want the hook's error", err)
		}
		got, err := s.GetUser(ctx, u.ID)
		if err != nil || got.Title != "Engineer" || got.Meta.Version != "1" {
			t.Errorf("after failed update and delete: %+v, %v; want the user unchanged", got, err)
		}
		if _, err := s.GetUser(ctx, "u2"); !errors.Is(err, scim.ErrNotFound) {
			t.Errorf("after a failed create: GetUser = %v, want ErrNotFound", err)
		}
		var rows []string
		r, err := db.Query("SELECT what FROM " + audit)
		if err != nil {
			t.Fatal(err)
		}
		for r.Next() {
			var w string
			r.Scan(&w)
			rows = append(rows, w)
		}
		r.Close()
		want := []string{"create ada@contoso.example", "update Engineer → Manager", "create bob@contoso.example", "delete ada@contoso.example"}
		if fmt.Sprint(calls) != fmt.Sprint(want) {
			t.Errorf("hook calls %q, want %q", calls, want)
		}
		if fmt.Sprint(rows) != fmt.Sprint(want[:1]) {
			t.Errorf("audit rows %q, want only the committed %q", rows, want[:1])
		}
	})
}

// ENTRA-PATCH-7, TRAP-18: a manager id that names no user (yet) is stored as sent.
func TestUnknownManagerIsStoredAsSent(t *testing.T) {
	each(t, func(t *testing.T, b backend, m mode) {
		s, _ := newStore(t, b, m, sqlstore.Options{})
		ctx := scim.WithTenant(t.Context(), "acme")
		u, err := s.CreateUser(ctx, &scim.User{ID: "u1", UserName: "ada@contoso.example", Active: true,
			Enterprise: &scim.EnterpriseUser{Manager: &scim.Manager{Value: "not-yet-provisioned"}}})
		if err != nil {
			t.Fatal(err)
		}
		got, err := s.GetUser(ctx, u.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Enterprise == nil || got.Enterprise.Manager == nil || got.Enterprise.Manager.Value != "not-yet-provisioned" {
			t.Errorf("manager read back as %+v", got.Enterprise)
		}
	})
}

// userName and group displayName are unique per tenant ignoring case. Folding is
// Unicode-aware on PostgreSQL and MariaDB; SQLite's lower() folds ASCII only, so
// "ÉMILE" and "émile" are different userNames there (a documented limit).
func TestUniquenessIgnoresCaseAsEachDialectFolds(t *testing.T) {
	each(t, func(t *testing.T, b backend, m mode) {
		s, _ := newStore(t, b, m, sqlstore.Options{})
		ctx := scim.WithTenant(t.Context(), "acme")
		create := func(id, name string) error {
			_, err := s.CreateUser(ctx, &scim.User{ID: id, UserName: name, Active: true})
			return err
		}
		if err := create("u1", "ada@contoso.example"); err != nil {
			t.Fatal(err)
		}
		if err := create("u2", "ADA@Contoso.Example"); !errors.Is(err, scim.ErrUniqueness) {
			t.Errorf("ASCII case variant: %v, want ErrUniqueness", err)
		}
		if err := create("u3", "ada@contoso.example "); err != nil {
			t.Errorf("a trailing space makes another userName: %v", err)
		}
		if err := create("u4", "émile@contoso.example"); err != nil {
			t.Fatal(err)
		}
		err := create("u5", "ÉMILE@contoso.example")
		if b.dialect == sqlstore.SQLite {
			if err != nil {
				t.Errorf("SQLite folds ASCII only, so the non-ASCII case variant is another userName; got %v", err)
			}
		} else if !errors.Is(err, scim.ErrUniqueness) {
			t.Errorf("non-ASCII case variant: %v, want ErrUniqueness", err)
		}
		if _, err := s.CreateUser(scim.WithTenant(t.Context(), "other"), &scim.User{ID: "u1", UserName: "ADA@contoso.example", Active: true}); err != nil {
			t.Errorf("the same userName and id in another tenant: %v", err)
		}
		if _, err := s.CreateGroup(ctx, &scim.Group{ID: "g1", DisplayName: "Sales"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.CreateGroup(ctx, &scim.Group{ID: "g2", DisplayName: "SALES"}); !errors.Is(err, scim.ErrUniqueness) {
			t.Errorf("group displayName case variant: %v, want ErrUniqueness", err)
		}
	})
}

// A database that cannot be reached answers 503 with Retry-After, which identity
// providers retry later, never 500.
func TestUnreachableDatabaseAnswers503(t *testing.T) {
	for _, c := range []struct {
		name, driver, dsn string
		d                 sqlstore.Dialect
	}{
		{"PostgreSQL", "pgx", "postgres://postgres@127.0.0.1:1/none?sslmode=disable&connect_timeout=2", sqlstore.PostgreSQL},
		{"MariaDB", "mysql", "root@tcp(127.0.0.1:1)/none?timeout=2s", sqlstore.MariaDB},
		{"SQLite", "sqlite", "file:" + t.TempDir() + "/missing/dir/scim.db?mode=ro", sqlstore.SQLite},
	} {
		t.Run(c.name, func(t *testing.T) {
			db, err := sql.Open(c.driver, c.dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			s, err := sqlstore.New(db, sqlstore.Options{Dialect: c.d})
			if err != nil {
				t.Fatal(err)
			}
			_, err = s.GetUser(t.Context(), "u1")
			var se *scim.Error
			if !errors.As(err, &se) || se.Status != 503 || se.RetryAfter <= 0 {
				t.Errorf("GetUser on an unreachable database: %v, want a *scim.Error 503 with RetryAfter", err)
			}
		})
	}
}

// A filter far larger than any IdP sends (1,000 or-ed value-filter terms) answers 200
// or 400 invalidFilter, never 500, even where the database refuses to plan it
// (SQLite: "Expression tree is too large").
func TestHugeFilterNeverAnswers500(t *testing.T) {
	each(t, func(t *testing.T, b backend, m mode) {
		s, _ := newStore(t, b, m, sqlstore.Options{})
		h := newHandler(t, s)
		makeUsers(t, t.Context(), s, "ada", 3)
		var terms []string
		for i := range 1000 {
			terms = append(terms, fmt.Sprintf(`emails[value eq "x%d@contoso.example"]`, i))
		}
		q := "/Users?filter=" + urlEscape(strings.Join(terms, " or "))
		code, body := serve(h, t.Context(), "GET", q, "")
		if code != 200 && !(code == 400 && strings.Contains(body, "invalidFilter")) {
			t.Errorf("1,000-term filter: %d %.300s", code, body)
		}
	})
}

func urlEscape(s string) string {
	r := strings.NewReplacer(" ", "%20", `"`, "%22", "[", "%5B", "]", "%5D", "@", "%40")
	return r.Replace(s)
}

// The store derives a filter mapping for every attribute, including those kept in
// the JSON column, and rejects a description that names what does not exist.
func TestDescriptionIsChecked(t *testing.T) {
	tb := sqlstore.Owned(sqlstore.PostgreSQL, "x_")
	tb.Users.Columns = map[string]string{"userName": "user_name", "nosuch": "c", "emails": "e",
		schema.EnterpriseUserURN + ":manager": "m"}
	_, err := sqlstore.New(nil, sqlstore.Options{Tables: tb})
	for _, want := range []string{`"nosuch" names no attribute`, `"emails" is multi-valued or complex`, `manager" is multi-valued or complex`} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("New: %v, want an error containing %s", err, want)
		}
	}
}

// A value the database cannot store (PostgreSQL: U+0000 in text; MariaDB: longer
// than the owned tables' 255-character key columns) is the client's mistake: 400
// invalidValue, never 500. SQLite stores both.
func TestUnstorableValueAnswers400(t *testing.T) {
	each(t, func(t *testing.T, b backend, m mode) {
		s, _ := newStore(t, b, m, sqlstore.Options{})
		ctx := scim.WithTenant(t.Context(), "acme")
		for i, name := range []string{"nul\x00@contoso.example", strings.Repeat("long", 100) + "@contoso.example"} {
			_, err := s.CreateUser(ctx, &scim.User{ID: fmt.Sprint("u", i), UserName: name, Active: true})
			refused := (b.dialect == sqlstore.PostgreSQL && i == 0) || (b.dialect == sqlstore.MariaDB && i == 1)
			var se *scim.Error
			switch {
			case refused && !(errors.As(err, &se) && se.Status == 400 && se.ScimType == "invalidValue"):
				t.Errorf("userName %.20q: %v, want 400 invalidValue", name, err)
			case !refused && err != nil:
				t.Errorf("userName %.20q: %v, want it stored", name, err)
			}
		}
	})
}

// ENTRA-GROUP-3: a list whose projection leaves out groups does not read them; one
// that keeps them reads each user's groups in the same statement.
func TestListSkipsGroupsTheProjectionLeavesOut(t *testing.T) {
	each(t, func(t *testing.T, b backend, m mode) {
		s, _ := newStore(t, b, m, sqlstore.Options{})
		ctx := scim.WithTenant(t.Context(), "acme")
		id := makeUsers(t, ctx, s, "ada", 1)[0]
		if _, err := s.CreateGroup(ctx, &scim.Group{ID: "g1", DisplayName: "Sales", Members: []scim.Member{{Value: id}}}); err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			p    scim.Projection
			want int
		}{
			{scim.Projection{}, 1},
			{scim.Projection{ExcludedAttributes: []string{"groups"}}, 0},
			{scim.Projection{Attributes: []string{"userName"}}, 0},
		} {
			page, err := s.ListUsers(ctx, scim.Query{StartIndex: 1, Count: 10, Projection: c.p})
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Resources) != 1 {
				t.Fatalf("projection %+v: %d users, want 1", c.p, len(page.Resources))
			}
			if got := page.Resources[0].Groups; len(got) != c.want {
				t.Errorf("projection %+v: groups %+v, want %d", c.p, got, c.want)
			}
		}
	})
}

// The total of a list is the number of matches whatever page is asked for: an
// empty first page (a lookup that finds nothing, answered without a COUNT), a page
// past the last match (counted on its own) and a page with rows.
func TestListTotalCountsMatchesOnEveryPage(t *testing.T) {
	each(t, func(t *testing.T, b backend, m mode) {
		s, _ := newStore(t, b, m, sqlstore.Options{})
		ctx := scim.WithTenant(t.Context(), "acme")
		makeUsers(t, ctx, s, "ada", 3)
		makeUsers(t, scim.WithTenant(t.Context(), "other"), s, "bob", 2)
		for _, c := range []struct {
			filter      string
			start, want int
			rows        int
		}{
			{`userName eq "nobody@example.com"`, 1, 0, 0},
			{`userName sw "ada"`, 1, 3, 3},
			{`userName sw "ada"`, 3, 3, 1},
			{`userName sw "ada"`, 4, 3, 0},
			{`userName sw "ada"`, 50, 3, 0},
			{`userName sw "bob"`, 1, 0, 0},
		} {
			f, err := filter.Parse(c.filter)
			if err != nil {
				t.Fatal(err)
			}
			page, err := s.ListUsers(ctx, scim.Query{Filter: f, StartIndex: c.start, Count: 10})
			if err != nil {
				t.Fatal(err)
			}
			if page.Total != c.want || len(page.Resources) != c.rows {
				t.Errorf("%s from %d: total %d with %d rows, want %d with %d", c.filter, c.start, page.Total, len(page.Resources), c.want, c.rows)
			}
		}
	})
}

// Deleting a user changes the members of its groups: each of them gets a new version
// (its ETag) and lastModified, so that a client's If-Match on the old member list
// fails; a group the user was not in keeps its own.
func TestDeletingAUserGivesItsGroupsNewVersions(t *testing.T) {
	each(t, func(t *testing.T, b backend, m mode) {
		s, _ := newStore(t, b, m, sqlstore.Options{})
		ctx := scim.WithTenant(t.Context(), "acme")
		ids := makeUsers(t, ctx, s, "d", 2)
		groups := map[string][]string{"both": ids, "gone": ids[:1], "kept": ids[1:]}
		before := map[string]*scim.Group{}
		for name, ms := range groups {
			g := &scim.Group{ID: name, DisplayName: name}
			for _, id := range ms {
				g.Members = append(g.Members, scim.Member{Value: id})
			}
			var err error
			if before[name], err = s.CreateGroup(ctx, g); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.DeleteUser(ctx, ids[0], ""); err != nil {
			t.Fatal(err)
		}
		for name, old := range before {
			g, err := s.GetGroup(ctx, name, scim.Projection{})
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range g.Members {
				if m.Value == ids[0] {
					t.Errorf("group %s still lists the deleted user", name)
				}
			}
			changed := name != "kept"
			if (g.Meta.Version != old.Meta.Version) != changed || g.Meta.LastModified.After(old.Meta.LastModified) != changed {
				t.Errorf("group %s: version %s → %s, lastModified %s → %s; want them changed: %v", name, old.Meta.Version, g.Meta.Version,
					old.Meta.LastModified.Format(time.RFC3339Nano), g.Meta.LastModified.Format(time.RFC3339Nano), changed)
			}
		}
	})
}
