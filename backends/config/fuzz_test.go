package config

import (
	"os"
	"strings"
	"testing"
)

// FuzzParse: any input gives a config or errors, never a panic; a value
// from the environment never shows in an error or in Marshal's output; a
// parsed config survives Marshal and Parse unchanged (but for lines, and
// empty lists read as missing ones), its secrets still marked.
// Run: go test -run '^$' -fuzz FuzzParse ./backends/config
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
	// Every section; typed fields get literals, as every variable holds secret below.
	f.Add([]byte(strings.NewReplacer(`"${OK_STATUS}"`, "203", `"${IDLE}"`, "3m", `"${PEN}"`, "true", `"${MAX_SESSIONS}"`, "12").Replace(everySection)))
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
		if !strings.Contains(string(data), secret) && strings.Contains(string(out), secret) {
			t.Fatalf("secret in Marshal output:\n%s", out)
		}
		again, err := Parse("f.yaml", out, getenv)
		if err != nil {
			t.Fatalf("Marshal output does not parse: %v\n%s", err, out)
		}
		// defaults: is folded into the mirrors, so its own fields are gone.
		for field := range c.secrets {
			if !strings.HasPrefix(field, "defaults.") && !again.Secret(field) {
				t.Errorf("%s came from ${ENV} but its mark was lost:\n%s", field, out)
			}
		}
		for field := range again.secrets {
			if !c.Secret(field) {
				t.Errorf("%s is marked secret only after the round trip:\n%s", field, out)
			}
		}
		sameConfig(t, again, c, true)
	})
}
