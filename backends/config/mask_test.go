package config

import (
	"net/url"
	"strings"
	"testing"
)

// An answer that echoes a secret alone, or escaped in a URL, is masked as
// well as the whole field the secret was written into.
func TestMaskHidesTheVariableItsEscapedFormsAndTheField(t *testing.T) {
	secret := "tok/en+" + token
	c, err := Parse("warroom.yaml", []byte(strings.Replace(base, "https://a.example.net/", "https://a.example.net/?t=${TOKEN}", 1)),
		env(map[string]string{"TOKEN": secret}))
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range []string{
		"GET https://a.example.net/?t=" + secret + " failed",
		"bad token " + secret,
		"GET /?t=" + url.QueryEscape(secret) + ": 403",
		"GET /hook/" + url.PathEscape(secret) + ": 403",
	} {
		got := c.Mask(in)
		if strings.Contains(got, token) || !strings.Contains(got, Redacted) {
			t.Errorf("Mask(%q) = %q", in, got)
		}
	}
}
