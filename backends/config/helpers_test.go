package config

import (
	"errors"
	"strings"
	"testing"
)

// base is a minimal valid config; cases append lines from line 7 on, so
// "    key: v" lands in mirror a and "key: v" at the top level.
const base = `site: s
origin:
  url: https://o.example.org/
mirrors:
  - name: a
    url: https://a.example.net/
`

// env is a fixed environment for tests: TOKEN holds a value that must
// never appear in a message.
func env(vars map[string]string) func(string) (string, bool) {
	return func(n string) (string, bool) {
		v, ok := vars[n]
		return v, ok
	}
}

// fieldErrors unpacks Parse's joined error into its parts.
func fieldErrors(t *testing.T, err error) []*FieldError {
	t.Helper()
	if err == nil {
		t.Fatal("want an error, got none")
	}
	var out []*FieldError
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		t.Fatalf("want errors.Join of *FieldError, got %T: %v", err, err)
	}
	for _, e := range joined.Unwrap() {
		var fe *FieldError
		if !errors.As(e, &fe) {
			t.Fatalf("want *FieldError, got %T: %v", e, e)
		}
		if strings.Contains(e.Error(), "\n") {
			t.Errorf("error spans lines: %q", e.Error())
		}
		out = append(out, fe)
	}
	return out
}

func mustParse(t *testing.T, text string, vars map[string]string) *Config {
	t.Helper()
	c, err := Parse("warroom.yaml", []byte(text), env(vars))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return c
}
