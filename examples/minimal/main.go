// Command minimal serves a SCIM 2.0 endpoint over an in-memory store: the smallest
// complete use of package scim.
//
//	go run ./examples/minimal -addr 127.0.0.1:8080 -token T
//
// Without -token it generates one and prints it.
package main

import (
	"context"
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

	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/scim/memstore"
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

	handler, err := newServer(*token)
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

// newServer returns the HTTP handler of the app: the SCIM endpoints under scimPrefix,
// over an in-memory store, for one bearer token.
//
// The SCIM paths are routed before any http.ServeMux: a ServeMux cleans paths and
// answers "/scim/v2//Users" with a redirect. Entra ID sends such paths when its
// Tenant URL ends in a slash, and an HTTP client that follows a redirect drops the
// Authorization header, so the request would fail. scim.Handler itself routes
// doubled and trailing slashes normally.
func newServer(token string) (http.Handler, error) {
	store := memstore.New(memstore.Options{})
	h, err := scim.NewHandler(scim.Config{Users: store, Groups: store, Auth: scim.StaticToken(token)})
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
