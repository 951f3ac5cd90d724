package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Problems under keys: name file, line and field like every other config
// error, one per line, in file order.
func TestCheckNamesTheLineOfEachBadKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys.yaml")
	cfg := "site: x\norigin: {name: origin, url: http://127.0.0.1:1/}\nmirrors:\n  - {name: a, url: http://127.0.0.1:2/}\n" +
		"keys:\n  jump: x\n  help: [\"?\", ctlr+h]\n"
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	code, out, errOut := runCmd(t, "", "check", "--config", path)
	if code != 2 {
		t.Fatalf("exit %d, want 2; out %q", code, out)
	}
	lines := strings.Split(strings.TrimSpace(errOut), "\n")
	want := []string{path + `:6: keys.jump: unknown action "jump"`, path + `:7: keys.help: action "help": unknown key "ctlr+h"`}
	if len(lines) != len(want) {
		t.Fatalf("want %d lines, got:\n%s", len(want), errOut)
	}
	for i, w := range want {
		if !strings.Contains(lines[i], w) {
			t.Errorf("line %d = %q, want it to contain %q", i+1, lines[i], w)
		}
	}

	// A key taken from another action is the overriding action's line.
	cfg = strings.Replace(cfg, "  jump: x\n  help: [\"?\", ctlr+h]\n", "  help: \"?\"\n  zoom: q\n", 1)
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut = runCmd(t, "", "check", "--config", path)
	if code != 2 || !strings.Contains(errOut, path+`:7: keys.zoom: keymap default: key "q" is bound to quit and zoom`) {
		t.Fatalf("clash: exit %d\n%s", code, errOut)
	}
}

// The keys that used to be fixed are actions a config rebinds like any
// other; a dialog key may repeat a key read outside dialogs, not one a
// dialog reads.
func TestCheckTakesTheDialogAndAbortKeys(t *testing.T) {
	path := filepath.Join(t.TempDir(), "keys.yaml")
	base := "site: x\norigin: {name: origin, url: http://127.0.0.1:1/}\nmirrors:\n  - {name: a, url: http://127.0.0.1:2/}\n"
	cfg := base + "keys:\n  abort: X\n  yes: o\n  no: u\n  send: ctrl+g\n  toggle: \"+\"\n  toggle_pin: ctrl+p\n  zoom: \"y\"\n"
	if err := os.WriteFile(path, []byte(cfg), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := runCmd(t, "", "check", "--config", path); code != 0 {
		t.Fatalf("exit %d\n%s%s", code, out, errOut)
	}
	if err := os.WriteFile(path, []byte(base+"keys:\n  send: esc\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	code, _, errOut := runCmd(t, "", "check", "--config", path)
	if code != 2 || !strings.Contains(errOut, path+`:6: keys.send: keymap default: key "esc" is bound to back and send`) {
		t.Fatalf("clash with a dialog key: exit %d\n%s", code, errOut)
	}
}
