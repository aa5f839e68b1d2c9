package scim

import (
	"errors"
	"net/url"
	"strings"
)

// checkBaseURL validates Config.BaseURL and returns it without a trailing slash.
func checkBaseURL(s string) (string, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", errors.New("scim: Config.BaseURL must be an absolute http or https URL without query, like https://app.example.com/scim/v2")
	}
	return strings.TrimRight(s, "/"), nil
}

// baseURL returns the absolute URL of the mount point, without a trailing slash.
func (c *call) baseURL() string {
	if c.base != "" {
		return c.base
	}
	if c.h.baseURL != "" {
		c.base = c.h.baseURL
		return c.base
	}
	r := c.r
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	host := r.Host
	if c.h.trustFwd {
		if p := firstForwarded(r.Header.Get("X-Forwarded-Proto")); p == "http" || p == "https" {
			scheme = p
		}
		if fh := firstForwarded(r.Header.Get("X-Forwarded-Host")); fh != "" && validHost(fh) {
			host = fh
		}
	}
	if !validHost(host) {
		host = "localhost"
	}
	c.base = scheme + "://" + host + mountPrefix(r.RequestURI, c.path)
	return c.base
}

// firstForwarded returns the first element of a comma-separated forwarding header.
func firstForwarded(v string) string {
	v, _, _ = strings.Cut(v, ",")
	return strings.ToLower(strings.TrimSpace(v))
}

// validHost reports whether h can go into a URL as host[:port] unchanged.
func validHost(h string) bool {
	if h == "" || len(h) > 255 {
		return false
	}
	for i := 0; i < len(h); i++ {
		c := h[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '.' || c == '-' || c == ':' || c == '[' || c == ']' || c == '_') {
			return false
		}
	}
	return true
}

// mountPrefix recovers the path prefix that http.StripPrefix (or a router's Mount)
// removed: the original request path from RequestURI, minus the path the Handler
// sees. Doubled slashes are collapsed and the trailing slash dropped. It returns ""
// when the two do not line up.
func mountPrefix(requestURI, path string) string {
	orig := requestURI
	if i := strings.IndexAny(orig, "?#"); i >= 0 {
		orig = orig[:i]
	}
	if strings.HasPrefix(orig, "http://") || strings.HasPrefix(orig, "https://") {
		// absolute-form request target (proxies)
		if u, err := url.Parse(orig); err == nil {
			orig = u.EscapedPath()
		}
	}
	if dec, err := url.PathUnescape(orig); err == nil {
		orig = dec
	}
	if !strings.HasSuffix(orig, path) {
		return ""
	}
	prefix := collapseSlashes(orig[:len(orig)-len(path)])
	prefix = strings.TrimRight(prefix, "/")
	if prefix != "" && prefix[0] != '/' {
		prefix = "/" + prefix
	}
	return (&url.URL{Path: prefix}).EscapedPath()
}

func collapseSlashes(s string) string {
	if !strings.Contains(s, "//") {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '/' && i > 0 && s[i-1] == '/' {
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
