package config

import (
	"os"
	"strings"
	"testing"
)

// FuzzParse: any input gives a config or errors, never a panic; a value
// from the environment never shows in an error; a parsed config survives
// Marshal and Parse. Run: go test -run '^$' -fuzz FuzzParse ./backends/config
func FuzzParse(f *testing.F) {
	for _, tc := range badConfigs {
		f.Add([]byte(tc.text))
	}
	f.Add([]byte(base))
	f.Add([]byte(base + "keys: {quit: [q, ctrl+c]}\ndefaults: {health: {timeout: 2s}, lag: {kind: json, path: /s}}\n"))
	f.Add([]byte("a: &a {<<: *a}\n"))
	f.Add([]byte("site: &s [*s]\nmirrors: &m [*m, *m]\n"))
	if data, err := os.ReadFile("../../examples/warroom.yaml"); err == nil {
		f.Add(data)
	}
	const secret = "Zq9-secret-Ω"
	getenv := func(string) (string, bool) { return secret, true }
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Parse("f.yaml", data, getenv)
		if err != nil {
			if !strings.Contains(string(data), secret) && strings.Contains(err.Error(), secret) {
				t.Fatalf("secret in error:\n%v", err)
			}
			return
		}
		out, err := c.Marshal()
		if err != nil {
			t.Fatalf("Marshal: %v", err)
		}
		if _, err := Parse("f.yaml", out, getenv); err != nil {
			t.Fatalf("Marshal output does not parse: %v\n%s", err, out)
		}
	})
}
