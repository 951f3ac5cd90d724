package config

import (
	"net/url"
	"slices"
	"sort"
	"strings"

	"warroom/backends/textsafe"
)

// Secret reports whether the value of a field (a path as in error messages,
// e.g. "mirrors[2].url" or "origin.health.path") came from ${ENV}. Such
// values must not be printed; show SecretSource's text instead.
func (c *Config) Secret(field string) bool {
	_, ok := c.secrets[field]
	return ok
}

// SecretSource returns a secret field's text as written in the file, e.g.
// "https://m.example/?token=${TOKEN}", which is safe to print.
func (c *Config) SecretSource(field string) (string, bool) {
	s, ok := c.secrets[field]
	return s, ok
}

// SecretFields lists the fields whose values came from ${ENV}, sorted.
func (c *Config) SecretFields() []string {
	out := make([]string, 0, len(c.secrets))
	for f := range c.secrets {
		out = append(out, f)
	}
	sort.Strings(out)
	return out
}

// minSecretLen keeps Mask from blanking every "a" because A=a was set.
const minSecretLen = 4

// addSecret adds v to what Mask hides: as it is, and as it reads inside a
// URL (an answer that echoes its request shows the escaped form).
func (c *Config) addSecret(v string) {
	for _, s := range []string{v, url.QueryEscape(v), url.PathEscape(v)} {
		if len(s) >= minSecretLen && !slices.Contains(c.secretValues, s) {
			c.secretValues = append(c.secretValues, s)
		}
	}
}

// sortSecrets puts longer values first, so a whole URL is masked before
// the token inside it and the result says what was there.
func (c *Config) sortSecrets() {
	sort.SliceStable(c.secretValues, func(i, j int) bool { return len(c.secretValues[i]) > len(c.secretValues[j]) })
}

// Mask replaces every value that came from ${ENV} in s with REDACTED, for
// text that may quote a secret: a command line, an error, a request.
func (c *Config) Mask(s string) string {
	for _, v := range c.secretValues {
		s = strings.ReplaceAll(s, v, Redacted)
	}
	return s
}

// Redacted is what Redact puts in place of credentials.
const Redacted = textsafe.Redacted

// Redact prints a URL for logs and screens without its credentials: the
// user info, every query value and the fragment (textsafe.RedactURL).
// Secrets in the path itself (a webhook's /hook/<token>) are not found;
// check Config.Secret for fields that came from ${ENV}.
func Redact(u *url.URL) string { return textsafe.RedactURL(u) }
