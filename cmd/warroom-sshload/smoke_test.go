package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// build compiles a command of this module into dir.
func build(t *testing.T, dir, pkg string) string {
	t.Helper()
	out := filepath.Join(dir, filepath.Base(pkg))
	if b, err := exec.Command("go", "build", "-o", out, pkg).CombinedOutput(); err != nil {
		t.Fatalf("go build %s: %v\n%s", pkg, err, b)
	}
	return out
}

// runLoad runs the load command with args and returns what it printed.
func runLoad(t *testing.T, load string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, load, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // its servers die with it
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %s: %v\n%s", load, strings.Join(args, " "), err, out)
	}
	return string(out)
}

// A short run of each mode, so the load command does not rot: the real
// server with the naive one after it, and the frozen fleet. No figure is
// judged here; the lines that carry them must be there.
func TestSmokeEveryMode(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the real binary")
	}
	if _, err := os.Stat("/proc/self/stat"); err != nil {
		t.Skip("the load command reads /proc")
	}
	dir := t.TempDir()
	bin, load := build(t, dir, "warroom/cmd/warroom"), build(t, dir, "warroom/cmd/warroom-sshload")

	out := runLoad(t, load, "--bin", bin, "--sessions", "2", "--duration", "4s", "--mark", "1s", "--probes", "1", "--naive")
	for _, want := range []string{" with 2 sessions: server CPU", "change to screen: ", "first frame with 2 sessions open: 1 probes",
		"2 of 2 sessions showed the shutdown notice", "naive server (one program per session", "ratio with 2 sessions: warroom "} {
		if !strings.Contains(out, want) {
			t.Errorf("the run with --naive lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "(0 not seen); p50 0s") {
		t.Errorf("no change reached a screen:\n%s", out)
	}

	out = runLoad(t, load, "--bin", bin, "--sessions", "1", "--duration", "3s", "--probes", "0", "--frozen")
	if !strings.Contains(out, "fleet frozen") || !strings.Contains(out, "by row (1 = the header): ") {
		t.Errorf("the frozen run does not say what it sent:\n%s", out)
	}
}
