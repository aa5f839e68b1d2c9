package scim_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/scimkit/scimkit/scim"
	"github.com/scimkit/scimkit/scim/memstore"
)

func TestNewHandlerValidatesConfig(t *testing.T) {
	st := memstore.New(memstore.Options{})
	for _, cfg := range []scim.Config{
		{Auth: scim.NoAuth()},
		{Users: st},
		{Users: st, Auth: scim.NoAuth(), BaseURL: "not a url"},
		{Users: st, Auth: scim.NoAuth(), BaseURL: "ftp://x/scim"},
	} {
		if _, err := scim.NewHandler(cfg); err == nil {
			t.Errorf("NewHandler(%+v) accepted", cfg)
		}
	}
}

// ENTRA-GROUP-10: the default body limit is 8 MiB; a larger body is 413.
func TestBodyLimitDefaultsTo8MiB(t *testing.T) {
	h, _ := newHandler(t)
	big := `{"schemas":["` + sUser + `"],"userName":"big@x.example","title":"` + strings.Repeat("x", 8<<20) + `"}`
	call(t, h, "POST", "/Users", big).want(t, 413)
}

func TestBaseURLForwardedHeaders(t *testing.T) {
	for _, trust := range []bool{false, true} {
		h, _ := newHandler(t, func(c *scim.Config) { c.TrustForwardedHeaders = trust })
		r := call(t, h, "POST", "http://internal:8080/Users", user(fmt.Sprint(trust)+"@x.example"),
			"X-Forwarded-Proto", "https", "X-Forwarded-Host", "public.example")
		r.want(t, 201)
		loc := r.Header.Get("Location")
		if trust != strings.HasPrefix(loc, "https://public.example/Users/") || !trust && !strings.HasPrefix(loc, "http://internal:8080/Users/") {
			t.Errorf("trust=%v: Location %q", trust, loc)
		}
	}
}
