package main

import (
	"runtime/debug"
	"strings"
	"testing"
)

// Each command's --help shows that command's synopsis and flags on stdout
// and exits 0; it is not the program's whole usage.
func TestCommandHelpShowsItsOwnFlags(t *testing.T) {
	for _, c := range []struct {
		cmd  string
		flag string // one of its own flags
	}{
		{"status", "-json"},
		{"rollback", "-list"},
		{"failover", "-from"},
		{"announce", "-template"},
		{"report", "-format"},
		{"drill", "-headless"},
		{"check", "-config"},
		{"silence", "-reason"},
	} {
		code, out, errOut := runCmd(t, "", c.cmd, "--help")
		if code != 0 || errOut != "" {
			t.Errorf("%s --help: exit %d, stderr %q", c.cmd, code, errOut)
		}
		if !strings.Contains(out, "warroom "+c.cmd) || !strings.Contains(out, c.flag) {
			t.Errorf("%s --help does not show its synopsis and %s:\n%s", c.cmd, c.flag, out)
		}
		if strings.Contains(out, "warroom drill [--demo]") && c.cmd != "drill" {
			t.Errorf("%s --help prints the global usage:\n%s", c.cmd, out)
		}
	}
}

// A bad flag says what is wrong once and shows the command's flags once.
func TestBadFlagIsReportedOnce(t *testing.T) {
	code, out, errOut := runCmd(t, "", "status", "--frob")
	if code != 2 || out != "" {
		t.Fatalf("exit %d, stdout %q", code, out)
	}
	for _, s := range []string{"flag provided but not defined: -frob", "Usage:", "print JSON instead of a table"} {
		if n := strings.Count(errOut, s); n != 1 {
			t.Errorf("%q appears %d times, want once:\n%s", s, n, errOut)
		}
	}
	if strings.Contains(errOut, "warroom drill") {
		t.Errorf("a bad flag of status prints the global usage:\n%s", errOut)
	}
}

func TestVersionCommandAndFlag(t *testing.T) {
	old := version
	version = "v9.9.9-test" // as -ldflags "-X main.version=v9.9.9-test" sets it
	t.Cleanup(func() { version = old })
	for _, args := range [][]string{{"--version"}, {"version"}, {"-version"}} {
		code, out, errOut := runCmd(t, "", args...)
		if code != 0 || !strings.HasPrefix(out, "warroom v9.9.9-test") || errOut != "" {
			t.Errorf("%q: exit %d, out %q, err %q", args, code, out, errOut)
		}
	}
	if code, _, _ := runCmd(t, "", "version", "extra"); code != 2 {
		t.Errorf("version with an argument: exit %d, want 2", code)
	}
}

func TestVersionLineFromBuildInfo(t *testing.T) {
	bi := &debug.BuildInfo{GoVersion: "go1.26.8", Main: debug.Module{Version: "v1.2.0"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "0123456789abcdef0123"}, {Key: "vcs.time", Value: "2026-08-22T14:04:20Z"}, {Key: "vcs.modified", Value: "true"},
	}}
	if got, want := versionLine("", bi), "warroom v1.2.0 (commit 0123456789ab+dirty, 2026-08-22T14:04:20Z, go1.26.8)"; got != want {
		t.Errorf("versionLine = %q, want %q", got, want)
	}
	if got := versionLine("v2", bi); !strings.HasPrefix(got, "warroom v2 (") {
		t.Errorf("the -ldflags version does not win: %q", got)
	}
	if got := versionLine("", nil); got != "warroom (devel)" {
		t.Errorf("no build info: %q", got)
	}
}

// rollback TARGET --list lists the versions and exits 0; without --to or
// --list it lists them too but exits 2, asking for a version.
func TestRollbackListExitsZero(t *testing.T) {
	f := startFleet(t, 2)
	cfg := fleetConfig(t, f)
	appendFile(t, cfg, "actions:\n  executors:\n    - name: deploy\n      exec: {command: [\"true\"], list: [printf, \"v2 second\\nv1 first\\n\"]}\n"+
		"  rollback:\n    - {name: web, executor: deploy}\n")
	code, out, errOut := runCmd(t, "", "rollback", "web", "--list", "--config", cfg)
	if code != 0 || !strings.Contains(out, "versions of web") || !strings.Contains(out, "v2") {
		t.Fatalf("rollback web --list: exit %d\n%s%s", code, out, errOut)
	}
	code, out, errOut = runCmd(t, "", "rollback", "web", "--config", cfg)
	if code != 2 || !strings.Contains(out, "v1") || !strings.Contains(errOut, "--to v2") {
		t.Fatalf("rollback web without --to: exit %d\n%s%s", code, out, errOut)
	}
}
