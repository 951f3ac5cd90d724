package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// buildBinary compiles the real warroom binary once per test.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "warroom")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// terminal is a real terminal: a tmux server of the test's own.
type terminal struct {
	t      *testing.T
	socket string
}

// newTerminal starts cmd in a detached tmux session of w×h cells. After the
// command ends the pane prints EXITED:<code> and stays, so tests can read it.
// needTool returns the path of a program the test runs: it skips when the
// program is missing on a developer's machine and fails in CI, where
// .ci/run installs it (from the Debian package pkg).
func needTool(t *testing.T, name, pkg string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("%s is required in CI (.ci/run installs %s)", name, pkg)
		}
		t.Skipf("%s not installed", name)
	}
	return path
}

func newTerminal(t *testing.T, w, h int, env []string, cmd string) *terminal {
	t.Helper()
	needTool(t, "tmux", "tmux")
	term := &terminal{t: t, socket: fmt.Sprintf("warroom-test-%d-%d", os.Getpid(), time.Now().UnixNano())}
	// The guard ends this tmux server once the test binary is gone, even
	// when it was killed and its cleanup never ran: no room outlives a run.
	guard := fmt.Sprintf("(while kill -0 %d 2>/dev/null; do sleep 1; done; tmux -L %s kill-server) </dev/null >/dev/null 2>&1 &",
		os.Getpid(), term.socket)
	shell := fmt.Sprintf("%s %s; echo EXITED:$?; sleep 60", guard, cmd)
	args := []string{"-L", term.socket, "-f", "/dev/null", "new-session", "-d", "-s", "t",
		"-x", fmt.Sprint(w), "-y", fmt.Sprint(h)}
	for _, e := range env {
		args = append(args, "-e", e)
	}
	args = append(args, shell)
	if out, err := exec.Command("tmux", args...).CombinedOutput(); err != nil {
		t.Fatalf("tmux new-session: %v\n%s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("tmux", "-L", term.socket, "kill-server").Run() })
	return term
}

func (term *terminal) tmux(args ...string) string {
	out, err := exec.Command("tmux", append([]string{"-L", term.socket}, args...)...).CombinedOutput()
	if err != nil {
		term.t.Fatalf("tmux %v: %v\n%s", args, err, out)
	}
	return string(out)
}

// screen is what the terminal shows now, as text.
func (term *terminal) screen() string { return term.tmux("capture-pane", "-p", "-t", "t") }

func (term *terminal) keys(keys ...string) {
	term.tmux(append([]string{"send-keys", "-t", "t"}, keys...)...)
}

func (term *terminal) resize(w, h int) {
	term.tmux("resize-window", "-t", "t", "-x", fmt.Sprint(w), "-y", fmt.Sprint(h))
}

// waitFor polls the screen until ok accepts it or the deadline passes. The
// screen is the only observable of a terminal program, so polling it with
// a deadline is the synchronisation here, not a guess at timing.
func (term *terminal) waitFor(what string, within time.Duration, ok func(string) bool) string {
	term.t.Helper()
	deadline := time.Now().Add(within)
	var last string
	for time.Now().Before(deadline) {
		last = term.screen()
		if ok(last) {
			return last
		}
		time.Sleep(100 * time.Millisecond)
	}
	term.t.Fatalf("waited %s for %s; the screen shows:\n%s", within, what, last)
	return ""
}

func containsAll(parts ...string) func(string) bool {
	return func(s string) bool {
		for _, p := range parts {
			if !strings.Contains(s, p) {
				return false
			}
		}
		return true
	}
}
