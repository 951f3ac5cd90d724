package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"warroom/backends/config"
	"warroom/backends/journal"
	"warroom/backends/notify/notifytest"
	"warroom/backends/room"
)

// Write lets a child process write into the log.
func (l *syncLog) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.Write(p)
}

// roomProcess is `warroom serve` running as a child with its own state_dir.
type roomProcess struct {
	cmd *exec.Cmd
	out *syncLog
}

// startRoomProcess starts the room and waits until its control socket answers.
func startRoomProcess(t *testing.T, bin, cfgPath string) *roomProcess {
	t.Helper()
	p := &roomProcess{cmd: exec.Command(bin, "serve", "--config", cfgPath), out: &syncLog{}}
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	p.cmd.Stdout, p.cmd.Stderr = p.out, p.out
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan struct{})
	go func() { _ = p.cmd.Wait(); close(exited) }()
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill()
		<-exited
	})
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	sock := controlPath(cfg)
	deadline := time.Now().Add(30 * time.Second)
	for {
		if c, err := net.Dial("unix", sock); err == nil {
			c.Close()
			return p
		}
		select {
		case <-exited:
			t.Fatalf("the room exited:\n%s", p.out.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatalf("the room's control socket %s never answered:\n%s", sock, p.out.String())
		}
	}
}

// kill ends the room as a crash would: its socket file stays behind.
func (p *roomProcess) kill(t *testing.T) {
	t.Helper()
	_ = p.cmd.Process.Signal(syscall.SIGKILL)
	_, _ = p.cmd.Process.Wait()
}

// waitForRecord polls the journal (read without its lock) for a record.
func waitForRecord(t *testing.T, path string, what string, match func(room.Event) bool) room.Event {
	t.Helper()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(30 * time.Second)
	for {
		records, _ := journal.Read(path)
		for _, ev := range decodeEvents(t, records) {
			if match(ev) {
				return ev
			}
		}
		select {
		case <-tick.C:
		case <-deadline:
			t.Fatalf("the journal never recorded %s", what)
		}
	}
}

func decodeEvents(t *testing.T, records []journal.Record) []room.Event {
	t.Helper()
	out := make([]room.Event, 0, len(records))
	for _, r := range records {
		var ev room.Event
		if err := json.Unmarshal(r.Data, &ev); err != nil {
			t.Fatalf("journal record %d: %v", r.Seq, err)
		}
		out = append(out, ev)
	}
	return out
}

func readJournal(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestRunbookCommandsBesideARunningRoom: with the real binary serving a
// room, failover --dry-run, announce --dry-run, ack and a confirmed
// failover from other processes act through its control socket, as their
// user under the roster's roles; dry runs leave the journal byte-identical.
// After the room is killed they work by opening the journal, and a new
// room replaces the stale socket.
func TestRunbookCommandsBesideARunningRoom(t *testing.T) {
	bin := buildBinary(t)
	f := startFleet(t, 3)
	cfg, router := routedConfig(t, f)
	slack := notifytest.StartSlack(t)
	appendFile(t, cfg, fmt.Sprintf("notify:\n  channels:\n    - {name: ops, kind: slack, url: %q, public: true}\n", slack.URL()))
	appendFile(t, cfg, serveSection(newPerson(t, "olga", "operator"), newPerson(t, "oscar", "observer")))
	jpath := stateDirOf(t, cfg) + "/journal.jsonl"
	ms := f.Mirrors()
	first, second, third := ms[0].Name, ms[1].Name, ms[2].Name

	rp := startRoomProcess(t, bin, cfg)
	mustRun := func(user, stdin string, want string, args ...string) string {
		t.Helper()
		code, out, errOut := runBinaryAs(t, bin, user, stdin, args...)
		if code != 0 || !strings.Contains(out, want) {
			t.Fatalf("%s as %s: exit %d, want 0 and %q\n%s%s\nroom:\n%s", args[0], user, code, want, out, errOut, rp.out.String())
		}
		return out
	}
	mustRun("li", "", "dry run: nothing was run", "failover", "--config", cfg, "--dry-run", second)

	before := readJournal(t, jpath)
	mustRun("li", "", "failover "+first+" → "+second, "failover", "--config", cfg, "--dry-run", second)
	mustRun("li", "", "dry run: nothing was sent", "announce", "--config", cfg, "--template", "investigating", "--dry-run")
	if after := readJournal(t, jpath); !bytes.Equal(before, after) {
		t.Fatalf("dry runs through the room wrote the journal:\n%s", after[len(before):])
	}
	if n := len(slack.Posts()); n != 0 {
		t.Fatalf("a dry run sent %d posts", n)
	}

	ms[2].SetDown(true)
	raised := waitForRecord(t, jpath, "an alert on "+third, func(ev room.Event) bool {
		return ev.Kind == room.EvAlertRaised && ev.Subject == third
	})
	alert := raised.Fields["alert"]
	code, _, errOut := runBinaryAs(t, bin, "oscar", "", "ack", alert, "--config", cfg)
	if code != 2 || !strings.Contains(errOut, "oscar is observer") {
		t.Fatalf("an observer's ack: exit %d, stderr %q", code, errOut)
	}
	mustRun("olga", "", "acknowledged "+alert+" as olga", "ack", "--config", cfg, alert)
	waitForRecord(t, jpath, "olga's ack", func(ev room.Event) bool {
		return ev.Kind == room.EvAlertAcked && ev.Actor == "olga"
	})

	// Typed confirmation travels over the socket as standard input.
	mustRun("li", second+"\n", "succeeded", "failover", "--config", cfg, second)
	if got := router.Active(); len(got) != 1 || got[0] != second {
		t.Fatalf("router serves %v after the failover through the room", got)
	}

	rp.kill(t)
	if _, err := os.Stat(controlPathOf(t, cfg)); err != nil {
		t.Fatalf("a killed room leaves its socket file: %v", err)
	}
	before = readJournal(t, jpath)
	mustRun("li", "", "failover "+second+" → "+first, "failover", "--config", cfg, "--dry-run", first)
	mustRun("li", "", "dry run: nothing was sent", "announce", "--config", cfg, "--template", "investigating", "--dry-run")
	if after := readJournal(t, jpath); !bytes.Equal(before, after) {
		t.Fatalf("dry runs without a room wrote the journal:\n%s", after[len(before):])
	}

	startRoomProcess(t, bin, cfg) // replaces the killed room's socket
	mustRun("li", "", "dry run: nothing was run", "failover", "--config", cfg, "--dry-run", first)
}

func controlPathOf(t *testing.T, cfgPath string) string {
	t.Helper()
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	return controlPath(cfg)
}
