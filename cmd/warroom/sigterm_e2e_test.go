package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"warroom/backends/journal"
	"warroom/backends/room"
)

// stopBudget is how long any room may take to end after SIGTERM or ctrl+c.
const stopBudget = 2 * time.Second

// TestSIGTERMEndsEveryRoomPromptly starts each kind of local room in a
// real terminal again and again, and ends it with SIGTERM (the last run of
// each with ctrl+c): every run ends within stopBudget with exit code 0,
// and the configured room's journal ends whole with the local person's
// departure. The local program once kept its own signal handler beside
// main's, and the two raced: the demo hung on 6 of 10 SIGTERMs.
func TestSIGTERMEndsEveryRoomPromptly(t *testing.T) {
	bin := buildBinary(t)
	f := startFleet(t, 3)
	cfg := fleetConfig(t, f)
	keys := writeDemoKeys(t, newPerson(t, "ana", "commander").keyLine()+"\n")
	runs := 10
	if testing.Short() {
		runs = 2
	}
	for _, kind := range []struct {
		name string
		args func() string
		runs int
	}{
		{"demo", func() string { return "demo" }, runs},
		{"config", func() string { return "--config " + shellQuote(cfg) }, runs},
		{"demo-serve", func() string {
			return fmt.Sprintf("demo --serve 127.0.0.1:%d --authorized-keys %s", freePort(t), shellQuote(keys))
		}, max(runs/2, 2)},
	} {
		for i := range kind.runs {
			byKey := i == kind.runs-1
			how := "SIGTERM"
			if byKey {
				how = "ctrl+c"
			}
			t.Run(fmt.Sprintf("%s/%d-%s", kind.name, i+1, how), func(t *testing.T) {
				stopRoom(t, bin, kind.args(), byKey)
				if kind.name == "config" {
					journalEndsWhole(t, cfg)
				}
			})
		}
	}
}

// stopRoom runs `bin args` in a terminal, waits for the room, ends it with
// SIGTERM (or ctrl+c when byKey) and checks it is gone within stopBudget.
func stopRoom(t *testing.T, bin, args string, byKey bool) {
	t.Helper()
	home := t.TempDir()
	pidFile := filepath.Join(home, "pid")
	inner := fmt.Sprintf("echo $$ > %s; exec %s %s 2>%s", shellQuote(pidFile), shellQuote(bin), args, shellQuote(filepath.Join(home, "stderr")))
	env := []string{"TERM=xterm-256color", "HOME=" + home, "TMPDIR=" + home, "WARROOM_USER=ana"}
	term := newTerminal(t, 120, 40, env, "sh -c "+shellQuote(inner))
	term.waitFor("the room", 20*time.Second, containsAll("Mirrors", "Timeline"))
	data, err := os.ReadFile(pidFile)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatalf("pid file: %v", err)
	}
	start := time.Now()
	if byKey {
		term.keys("C-c")
	} else if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	gone := func() bool { return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH) }
	if !pollUntil(stopBudget, gone) {
		_ = syscall.Kill(pid, syscall.SIGKILL)
		stderr, _ := os.ReadFile(filepath.Join(home, "stderr"))
		t.Fatalf("still running %s after the signal; stderr:\n%s\nthe screen shows:\n%s", stopBudget, stderr, term.screen())
	}
	took := time.Since(start)
	term.waitFor("exit code 0", 5*time.Second, containsAll("EXITED:0"))
	t.Logf("ended in %s", took.Round(time.Millisecond))
}

// journalEndsWhole checks that the configured room's journal reads back
// whole (no torn record) and ends with the local person leaving: the room
// closed in order and synced before the process ended.
func journalEndsWhole(t *testing.T, cfgPath string) {
	t.Helper()
	s, err := load(roomFlags{config: cfgPath})
	if err != nil {
		t.Fatal(err)
	}
	path := journalPath(s.cfg)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasSuffix(string(data), "\n") {
		t.Fatalf("journal %s ends mid-record: %q", path, tail(string(data), 200))
	}
	recs, err := journal.Read(path)
	if err != nil || len(recs) == 0 {
		t.Fatalf("journal %s after SIGTERM: %d records, %v", path, len(recs), err)
	}
	var last struct {
		Kind string `json:"kind"`
	}
	if err := json.Unmarshal(recs[len(recs)-1].Data, &last); err != nil {
		t.Fatal(err)
	}
	if last.Kind != room.EvPresenceLeft {
		t.Fatalf("journal ends with %q, want %q (the local person leaving)", last.Kind, room.EvPresenceLeft)
	}
}
