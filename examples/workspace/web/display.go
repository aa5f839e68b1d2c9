package web

import (
	"fmt"
	"strings"
	"time"
)

// idpNames maps what an identity provider's User-Agent contains to its short name.
var idpNames = []struct{ contains, name string }{
	{"azure active directory", "Entra ID"},
	{"entra", "Entra ID"},
	{"okta", "Okta"},
	{"onelogin", "OneLogin"},
	{"jumpcloud", "JumpCloud"},
	{"google", "Google"},
	{"ping", "PingIdentity"},
}

// idpName is the short name of the client a User-Agent names ("Entra ID", "Okta"),
// or the User-Agent's first word, cut to 24 characters.
func idpName(ua string) string {
	if ua == "" {
		return "(none)"
	}
	low := strings.ToLower(ua)
	for _, n := range idpNames {
		if strings.Contains(low, n.contains) {
			return n.name
		}
	}
	first, _, _ := strings.Cut(ua, " ")
	first, _, _ = strings.Cut(first, "/")
	if r := []rune(first); len(r) > 24 {
		first = string(r[:24]) + "…"
	}
	return first
}

// since says how long ago t was, roughly: "3 minutes ago".
func since(t time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := time.Since(t)
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return plural(int(d/time.Minute), "minute") + " ago"
	case d < 48*time.Hour:
		return plural(int(d/time.Hour), "hour") + " ago"
	}
	return plural(int(d/(24*time.Hour)), "day") + " ago"
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return fmt.Sprintf("%d %ss", n, unit)
}
