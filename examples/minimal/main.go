// Command minimal serves a SCIM 2.0 endpoint over an in-memory store: the smallest
// complete use of package scim.
//
//	go run ./examples/minimal -addr 127.0.0.1:8080 -token T
//
// Without -token it generates one and prints it. With -db it keeps users and groups
// in an SQLite file (created on first use) instead of memory, so they survive a
// restart:
//
//	go run ./examples/minimal -db scim.db
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"time"

	_ "modernc.org/sqlite"

	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/scim/memstore"
	"github.com/scimkit/scimkit/sqlstore"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		log.Fatal(err)
	}
}

// run serves until ctx is done. It prints the base URL and a curl line to stdout.
func run(ctx context.Context, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("minimal", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:8080", "listen address")
	token := fs.String("token", "", "bearer token (generated when empty)")
	dbPath := fs.String("db", "", "SQLite file to keep users and groups in (memory when empty)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *token == "" {
		t, err := scim.GenerateToken()
		if err != nil {
			return err
		}
		*token = t
	}

	st, closeStore, err := openStore(ctx, *dbPath)
	if err != nil {
		return err
	}
	defer closeStore()
	handler, err := newServer(*token, st)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	base := "http://" + ln.Addr().String() + "/scim/v2"
	fmt.Fprintf(stdout, "SCIM base URL: %s\ntoken: %s\n", base, *token)
	fmt.Fprintf(stdout, "try: curl -H 'Authorization: Bearer %s' %s/Users\n", *token, base)

	// Timeouts keep slow or idle clients from holding connections forever; the
	// Handler bounds each request's work itself (scim.Config.RequestTimeout).
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
	}
	go func() {
		<-ctx.Done()
		srv.Shutdown(context.Background())
	}()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// scimPrefix is the path at which the SCIM endpoints are mounted.
const scimPrefix = "/scim/v2"

// A store keeps users and groups.
type store interface {
	scim.UserStore
	scim.GroupStore
}

// openStore returns the in-memory store, or with a path the SQL store on the SQLite
// file there, whose tables it creates when they do not exist yet.
func openStore(ctx context.Context, path string) (store, func() error, error) {
	if path == "" {
		return memstore.New(memstore.Options{}), func() error { return nil }, nil
	}
	// WAL lets reads go on while one request writes; the busy timeout makes
	// concurrent writers wait for each other instead of failing.
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=journal_mode(WAL)&_pragma=busy_timeout(10000)")
	if err != nil {
		return nil, nil, err
	}
	if err := sqlstore.Migrate(ctx, db, sqlstore.SQLite, sqlstore.DefaultPrefix); err != nil {
		db.Close()
		return nil, nil, err
	}
	st, err := sqlstore.New(db, sqlstore.Options{Dialect: sqlstore.SQLite})
	if err != nil {
		db.Close()
		return nil, nil, err
	}
	return st, db.Close, nil
}

// newServer returns the HTTP handler of the app: the SCIM endpoints under scimPrefix,
// over st, for one bearer token.
//
// The SCIM paths are routed before any http.ServeMux: a ServeMux cleans paths and
// answers "/scim/v2//Users" with a redirect. Entra ID sends such paths when its
// Tenant URL ends in a slash, and an HTTP client that follows a redirect drops the
// Authorization header, so the request would fail. scim.Handler itself routes
// doubled and trailing slashes normally.
func newServer(token string, st store) (http.Handler, error) {
	h, err := scim.NewHandler(scim.Config{Users: st, Groups: st, Auth: scim.StaticToken(token)})
	if err != nil {
		return nil, err
	}
	scimHandler := http.StripPrefix(scimPrefix, h)
	mux := http.NewServeMux() // the app's other routes go here
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, scimPrefix+"/") {
			scimHandler.ServeHTTP(w, r)
			return
		}
		mux.ServeHTTP(w, r)
	}), nil
}
