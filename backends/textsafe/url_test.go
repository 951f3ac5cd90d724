package textsafe

import (
	"strings"
	"testing"
)

func TestURLMasksWhatMayBeSecret(t *testing.T) {
	for in, want := range map[string]string{
		"https://tokyo.example.org/debian/":                      "https://tokyo.example.org/debian/",
		"https://ana:s3cret@tokyo.example.org/":                  "https://REDACTED@tokyo.example.org/",
		"https://tokyo.example.org/?token=s3cret&x=1":            "https://tokyo.example.org/?token=REDACTED&x=REDACTED",
		"https://tokyo.example.org/?s3cret":                      "https://tokyo.example.org/?REDACTED",
		"https://tokyo.example.org/#access_token=s3cret":         "https://tokyo.example.org/#REDACTED",
		"https://tokyo.example.org/\x1b[2J?token=s3cret":         "https://tokyo.example.org/?token=REDACTED",
		"http://bad host/?token=s3cret":                          "http://bad host/?REDACTED",
		"https://tokyo.example.org/?token=REDACTED&key=REDACTED": "https://tokyo.example.org/?token=REDACTED&key=REDACTED",
	} {
		got := URL(in)
		if got != want || strings.Contains(got, "s3cret") {
			t.Errorf("URL(%q) = %q, want %q", in, got, want)
		}
	}
}
