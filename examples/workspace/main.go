// Workspace is an example SaaS app built on scimkit: a desk-booking product whose
// enterprise customers provision their people and teams from Microsoft Entra ID or
// Okta over SCIM 2.0.
//
// Run it from the repository root:
//
//	go run ./examples/workspace
//
// It listens on 127.0.0.1:8080, keeps its data in an embedded SQLite file in the
// user's cache directory (scimkit-workspace/workspace.db; delete it to start fresh),
// and prints the admin password, the admin page and the SCIM base URL. On the admin page
// ("User provisioning") generate a Secret Token and paste it, with the Tenant URL,
// into Entra ID or Okta.
//
// Flags:
//
//	-addr 127.0.0.1:8080        where to listen
//	-db workspace.db            SQLite file, or a postgres:// URL (env WORKSPACE_DB)
//	-base-url URL               the URL clients use, when behind a proxy
//	-admin-password PASSWORD    fixed admin password (env WORKSPACE_ADMIN_PASSWORD);
//	                            default: a new random one at every start
//	-token-file PATH            create a SCIM token for the first workspace and write it there
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/scimkit/scimkit/examples/workspace/store"
	"github.com/scimkit/scimkit/examples/workspace/web"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "workspace:", err)
		os.Exit(1)
	}
}

// run runs the app with the command-line arguments args until ctx is done.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	flags := flag.NewFlagSet("workspace", flag.ContinueOnError)
	flags.SetOutput(stderr)
	addr := flags.String("addr", "127.0.0.1:8080", "address to listen on")
	dsn := flags.String("db", envOr("WORKSPACE_DB", defaultDB()), "SQLite file path, or a postgres:// URL (env WORKSPACE_DB)")
	baseURL := flags.String("base-url", "", "URL at which clients reach the app (default: http://<addr>)")
	adminPassword := flags.String("admin-password", os.Getenv("WORKSPACE_ADMIN_PASSWORD"), "admin password (env WORKSPACE_ADMIN_PASSWORD; default: random, printed)")
	tokenFile := flags.String("token-file", "", "create a SCIM token for the first workspace and write it to this file")
	if err := flags.Parse(args); err != nil {
		return err
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	fmt.Fprintf(stdout, "Starting the workspace app on %s…\n", *addr)

	db, err := store.Open(ctx, *dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	ws, err := db.FirstWorkspace(ctx, "Contoso")
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", *addr)
	if errors.Is(err, syscall.EADDRINUSE) {
		return fmt.Errorf("%s is already in use, perhaps by another copy of this app: stop it, or listen elsewhere with -addr 127.0.0.1:8081 (%w)", *addr, err)
	}
	if err != nil {
		return err
	}
	if *baseURL == "" {
		*baseURL = "http://" + ln.Addr().String()
	}
	printedPassword := *adminPassword == ""
	if printedPassword {
		*adminPassword = rand.Text()
	}
	srv, err := web.New(web.Config{DB: db, BaseURL: *baseURL, AdminPassword: *adminPassword, Logger: log})
	if err != nil {
		return err
	}
	if *tokenFile != "" {
		secret, _, err := db.CreateLabeledToken(ctx, ws.ID, "from -token-file")
		if err != nil {
			return err
		}
		if err := os.WriteFile(*tokenFile, []byte(secret), 0o600); err != nil {
			return err
		}
	}

	where := "SQLite file " + *dsn + "; delete it to start fresh"
	if db.Dialect == store.Postgres {
		where = "PostgreSQL"
	}
	fmt.Fprintf(stdout, "Workspace app running at %s (%s)\n", *baseURL, where)
	fmt.Fprintf(stdout, "  Admin page:      %s/admin\n", *baseURL)
	if printedPassword {
		fmt.Fprintf(stdout, "  Admin password:  %s   (new at every start; fix it with -admin-password)\n", *adminPassword)
	}
	fmt.Fprintf(stdout, "  SCIM base URL:   %s   (Entra ID: Tenant URL; Okta: SCIM connector base URL)\n", srv.SCIMBaseURL())
	fmt.Fprintf(stdout, "  Secret Token:    sign in to the admin page, open %q, press \"Generate new token\"\n", ws.Name)
	fmt.Fprintf(stdout, "  Members sign in: %s/w/%s\n", *baseURL, ws.ID)
	fmt.Fprintf(stdout, "Try it:\n  curl -H \"Authorization: Bearer $TOKEN\" '%s/Users?filter=userName%%20eq%%20%%22ada@example.com%%22'\n", srv.SCIMBaseURL())

	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := hs.Shutdown(shutdown); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// defaultDB is the SQLite file used without -db: in the user's cache directory, so
// that running from a clone leaves the clone clean and data survives restarts.
func defaultDB() string {
	dir, err := os.UserCacheDir()
	if err != nil {
		dir = os.TempDir()
	}
	dir = filepath.Join(dir, "scimkit-workspace")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "workspace.db"
	}
	return filepath.Join(dir, "workspace.db")
}

func envOr(name, def string) string {
	if v := strings.TrimSpace(os.Getenv(name)); v != "" {
		return v
	}
	return def
}
