package scim

import (
	"net/http"
	"strings"
)

// Mount returns an http.Handler that serves the requests whose path is prefix or lies
// below it with h, as http.StripPrefix(prefix, h) would, and every other request with
// app, typically the application's [http.ServeMux]:
//
//	mux := http.NewServeMux() // the app's own routes
//	http.ListenAndServe(":8080", scim.Mount(mux, "/scim/v2", h))
//
// Routing the SCIM prefix ahead of the ServeMux matters: a ServeMux answers a path
// holding "//" with a redirect before any handler sees it, and Entra ID sends such
// paths ("/scim/v2//Users") when its Tenant URL ends in a slash; a client that follows
// the redirect drops the Authorization header. The Handler itself accepts doubled and
// trailing slashes. prefix is a path such as "/scim/v2"; a trailing slash is ignored.
func Mount(app http.Handler, prefix string, h http.Handler) http.Handler {
	prefix = strings.TrimRight(prefix, "/")
	scim := http.StripPrefix(prefix, h)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		p := r.URL.Path
		if strings.HasPrefix(p, prefix) && (len(p) == len(prefix) || p[len(prefix)] == '/') {
			scim.ServeHTTP(w, r)
			return
		}
		app.ServeHTTP(w, r)
	})
}
