package textsafe

import (
	"net/url"
	"strings"
)

// Redacted stands where a secret was taken out of a URL.
const Redacted = "REDACTED"

// URL is a URL fit to show: controls stripped, then as RedactURL. Text
// that does not parse as a URL is shown up to its first '?' or '#', so
// what might follow never shows.
func URL(s string) string {
	s = Line(s)
	u, err := url.Parse(s)
	if err != nil || u.Opaque != "" {
		if i := strings.IndexAny(s, "?#"); i >= 0 {
			return s[:i+1] + Redacted
		}
		return s
	}
	return RedactURL(u)
}

// RedactURL prints u without what may be a credential: the user info is
// replaced whole, and so is every query value (keys are kept, in their
// order, so "?token=REDACTED" still says what was there) and the fragment.
// Secrets in the path itself (a webhook's /hook/<token>) are not found.
func RedactURL(u *url.URL) string {
	if u == nil {
		return ""
	}
	c := *u
	if c.User != nil {
		c.User = url.User(Redacted)
	}
	if c.RawQuery != "" {
		parts := strings.Split(c.RawQuery, "&")
		for i, p := range parts {
			if key, _, ok := strings.Cut(p, "="); ok {
				parts[i] = key + "=" + Redacted
			} else if p != "" {
				// A bare ?token is as secret as ?t=token.
				parts[i] = Redacted
			}
		}
		c.RawQuery = strings.Join(parts, "&")
	}
	c.ForceQuery = false
	if c.Fragment != "" || c.RawFragment != "" {
		c.Fragment, c.RawFragment = Redacted, "" // OAuth-style #access_token=
	}
	return c.String()
}
