package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"warroom/backends/config"
	"warroom/backends/room"
)

// TestKillDuringFailoverShowsOutcomeUnknown kills the real binary with
// SIGKILL while its executor runs; the next room shows the action as
// "outcome unknown", never as done or failed, and lets the team act again.
func TestKillDuringFailoverShowsOutcomeUnknown(t *testing.T) {
	bin := buildBinary(t)
	f := startFleet(t, 2)
	cfgPath := fleetConfig(t, f)
	marker := filepath.Join(t.TempDir(), "started")
	appendFile(t, cfgPath, fmt.Sprintf(`actions:
  executors:
    - name: slow-switch
      exec: {command: [/bin/sh, -c, "touch %s; exec sleep 60"]}
  failover: slow-switch
`, marker))
	to := f.Mirrors()[1].Name
	cmd := exec.Command(bin, "failover", "--config", cfgPath, "--yes", to)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
	// Poll for the marker: the executor runs, so action.started is on disk.
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(30 * time.Second)
	for {
		if _, err := os.Stat(marker); err == nil {
			break
		}
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatal("the executor never started")
		}
	}
	if err := syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()

	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	l, err := startLive(context.Background(), cfg, liveOptions{noHosts: true}, &stderr)
	if err != nil {
		t.Fatalf("reopen after kill -9: %v (%s)", err, stderr.String())
	}
	defer l.Close()
	s := l.room.Snapshot()
	if len(s.Actions) != 1 || s.Actions[0].State != room.ActionUnknown {
		t.Fatalf("after kill -9 the action is %+v, want outcome unknown", s.Actions)
	}
	// The reopened room says so on its timeline (its "room opened" line
	// may come before or after, as its loop starts).
	if !slices.ContainsFunc(s.Timeline, func(ev room.Event) bool {
		return ev.Kind == room.EvActionUnknown && strings.Contains(ev.Text, "outcome unknown — verify")
	}) {
		t.Fatalf("the timeline does not say the outcome is unknown: %+v", s.Timeline)
	}
	for _, m := range s.Mirrors {
		if m.Name == to && m.Role == "active" {
			t.Fatal("an action of unknown outcome moved the active marker")
		}
	}
}

// TestCheckReportsBrokenExecutor: a socket nobody listens on is reported
// by check, naming the executor and its line.
func TestCheckReportsBrokenExecutor(t *testing.T) {
	f := startFleet(t, 2)
	cfg := fleetConfig(t, f)
	appendFile(t, cfg, "actions:\n  executors:\n    - name: edge\n      haproxy: {address: /nonexistent/haproxy.sock, backend: mirrors}\n  failover: edge\n")
	code, _, errOut := runCmd(t, "", "check", "--config", cfg)
	if code != 2 || !strings.Contains(errOut, "actions.executors[0] (edge)") || !strings.Contains(errOut, "/nonexistent/haproxy.sock") {
		t.Fatalf("check with a dead socket: code %d\n%s", code, errOut)
	}
}
