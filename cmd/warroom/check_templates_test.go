package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A template that would exhaust memory when rendered passes no longer:
// check renders each one under the same bounds, exits 2 and names it.
func TestCheckRendersTemplatesUnderBounds(t *testing.T) {
	base := "site: s\nstate_dir: " + t.TempDir() + "\norigin:\n  url: http://127.0.0.1:1/\nmirrors:\n  - name: a\n    url: http://127.0.0.1:1/\n"
	boom := "{{range 100000000}}xxxxxxxx{{end}}"
	cases := []struct {
		name, yaml string
		want       []string
	}{
		{"announcement", "notify:\n  templates:\n    - name: boom\n      title: t\n      text: \"" + boom + "\"\n",
			[]string{"notify.templates: line 10: template \"boom\" text: output is over 64 KiB"}},
		{"webhook body", "notify:\n  channels:\n    - name: hook\n      kind: webhook\n      url: http://127.0.0.1:1/h\n      body: '{\"t\":\"" + boom + "\"}'\n",
			[]string{"notify.channels[0]: channel \"hook\" (line 10)", "output is over 64 KiB"}},
		{"exec argument", "actions:\n  executors:\n    - name: deploy\n      exec: {command: [sh, -c, \"true\", \"" + boom + "\"]}\n",
			[]string{"actions.executors[0] (deploy)", "command[3]: output is over 64 KiB"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "warroom.yaml")
			if err := os.WriteFile(path, []byte(base+c.yaml), 0o600); err != nil {
				t.Fatal(err)
			}
			start := time.Now()
			code, out, errOut := runCmd(t, "", "check", "--config", path)
			if code != 2 || strings.Contains(out, ": ok") {
				t.Errorf("exit %d, want 2\n%s%s", code, out, errOut)
			}
			for _, w := range c.want {
				if !strings.Contains(errOut, w) {
					t.Errorf("stderr lacks %q:\n%s", w, errOut)
				}
			}
			if took := time.Since(start); took > 10*time.Second {
				t.Errorf("check took %s", took)
			}
		})
	}
}
