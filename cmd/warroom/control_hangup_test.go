package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"warroom/backends/journal"
	"warroom/backends/notify/notifytest"
	"warroom/backends/room"
)

// clientProcess is a local command (the real binary) still running
// against a room, its standard input held open like a terminal's.
type clientProcess struct {
	cmd    *exec.Cmd
	out    *syncLog
	stdin  io.WriteCloser
	exited chan struct{}
}

func startClient(t *testing.T, bin, user string, args ...string) *clientProcess {
	t.Helper()
	c := &clientProcess{cmd: exec.Command(bin, args...), out: &syncLog{}, exited: make(chan struct{})}
	c.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	c.cmd.Env = append(os.Environ(), "WARROOM_USER="+user)
	c.cmd.Stdout, c.cmd.Stderr = c.out, c.out
	var err error
	if c.stdin, err = c.cmd.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = c.cmd.Wait(); close(c.exited) }()
	t.Cleanup(func() {
		_ = c.cmd.Process.Kill()
		<-c.exited
		c.stdin.Close()
	})
	return c
}

// hangUp kills the client as a dropped terminal or a kill -9 would, and
// checks it was still waiting: otherwise the room had nothing to end.
func (c *clientProcess) hangUp(t *testing.T) {
	t.Helper()
	_ = c.cmd.Process.Signal(syscall.SIGKILL)
	<-c.exited
	ws, ok := c.cmd.ProcessState.Sys().(syscall.WaitStatus)
	if !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("the command ended by itself before the hang-up (%s):\n%s", c.cmd.ProcessState, c.out.String())
	}
}

// roomConnections counts the connections the room holds open on its
// control socket, as the kernel lists them (/proc/net/unix names an
// accepted socket by its listener's path; 03 is "connected").
func roomConnections(t *testing.T, sock string) int {
	t.Helper()
	b, err := os.ReadFile("/proc/net/unix")
	if err != nil {
		t.Fatalf("the kernel's list of unix sockets: %v", err)
	}
	n := 0
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) == 8 && f[7] == sock && f[5] == "03" {
			n++
		}
	}
	return n
}

// TestRoomEndsTheCommandOfAClientThatHungUp: a local command waiting in a
// running room (for a commander's approval, for its typed confirmation,
// for a post parked on a platform's Retry-After) ends in the room as soon
// as its client is killed: the room lets go of the connection within
// seconds, runs nothing the client had not confirmed, and carries on —
// the request it had made still awaits a commander.
func TestRoomEndsTheCommandOfAClientThatHungUp(t *testing.T) {
	bin := buildBinary(t)
	f := startFleet(t, 3)
	cfg, router := routedConfig(t, f)
	appendFile(t, cfg, "  approvals: {failover: [1, 2, 3]}\n") // continues routedConfig's actions:
	slack := notifytest.StartSlack(t)
	slack.Script(notifytest.RateLimited("90")) // under the 2 minutes announce waits through
	appendFile(t, cfg, fmt.Sprintf("notify:\n  channels:\n    - {name: ops, kind: slack, url: %q, public: true}\n", slack.URL()))
	appendFile(t, cfg, serveSection(newPerson(t, "olga", "operator")))
	jpath := stateDirOf(t, cfg) + "/journal.jsonl"
	first, second := f.Mirrors()[0].Name, f.Mirrors()[1].Name
	rp := startRoomProcess(t, bin, cfg)
	sock := controlPathOf(t, cfg)

	cases := []struct {
		name, user string
		args       []string
		waiting    func(c *clientProcess) bool
	}{
		{"an operator's failover awaiting approval", "olga", []string{"failover", "--config", cfg, "--yes", second},
			func(c *clientProcess) bool { return strings.Contains(c.out.String(), "awaits a commander's approval") }},
		{"a failover awaiting its typed confirmation", "li", []string{"failover", "--config", cfg, second},
			func(c *clientProcess) bool { return strings.Contains(c.out.String(), "to confirm: ") }},
		{"an announcement parked on Retry-After", "li", []string{"announce", "--config", cfg, "--template", "investigating", "--yes"},
			func(*clientProcess) bool { return slack.Requests() > 0 }},
	}
	for _, tc := range cases {
		c := startClient(t, bin, tc.user, tc.args...)
		if !pollUntil(30*time.Second, func() bool { return tc.waiting(c) && roomConnections(t, sock) == 1 }) {
			t.Fatalf("%s: never waited in the room (%d connections):\n%s\nroom:\n%s", tc.name, roomConnections(t, sock), c.out.String(), rp.out.String())
		}
		c.hangUp(t)
		start := time.Now()
		if !pollUntil(5*time.Second, func() bool { return roomConnections(t, sock) == 0 }) {
			t.Fatalf("%s: the room still holds the command 5s after its client was killed:\n%s\nroom:\n%s", tc.name, c.out.String(), rp.out.String())
		}
		t.Logf("%s: ended %v after the hang-up", tc.name, time.Since(start).Round(time.Millisecond))
	}

	if got := router.Active(); len(got) != 1 || got[0] != first {
		t.Fatalf("the router serves %v: a hung-up command ran an action", got)
	}
	// The room carries on: olga's request still waits for a commander.
	asked := waitForRecord(t, jpath, "olga's request", func(ev room.Event) bool {
		return ev.Kind == room.EvActionAwaiting && ev.Actor == "olga"
	})
	records, err := journal.Read(jpath)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range decodeEvents(t, records) {
		if ev.Fields["id"] == asked.Fields["id"] && ev.Kind != room.EvActionAwaiting {
			t.Fatalf("the hang-up decided olga's request: %s %s", ev.Kind, ev.Text)
		}
	}
	code, out, errOut := runBinaryAs(t, bin, "li", "", "failover", "--config", cfg, "--dry-run", second)
	if code != 0 || !strings.Contains(out, "dry run: nothing was run") {
		t.Fatalf("the room after three hang-ups: exit %d\n%s%s\nroom:\n%s", code, out, errOut, rp.out.String())
	}
}

// TestRoomLetsGoOfAClientThatStopsReading: a local failover whose client
// is stopped (^Z, a stuck terminal) while the executor keeps printing is
// ended in the room once a write has waited controlWriteTimeout; resumed,
// the client shows the output it had, whole, and says the room closed the
// connection, instead of holding the command or reading torn frames.
func TestRoomLetsGoOfAClientThatStopsReading(t *testing.T) {
	bin := buildBinary(t)
	f := startFleet(t, 2)
	cfg := fleetConfig(t, f)
	// 100 lines a second for up to a minute; the loop stops with the room.
	appendFile(t, cfg, `actions:
  executors:
    - name: chatty
      exec: {command: [/bin/sh, -c, "i=0; while [ $i -lt 6000 ] && kill -0 $PPID 2>/dev/null; do i=$((i+1)); echo line $i of the switch; sleep 0.01; done"]}
  failover: chatty
`)
	appendFile(t, cfg, serveSection(newPerson(t, "ana", "commander")))
	rp := startRoomProcess(t, bin, cfg)
	sock := controlPathOf(t, cfg)

	c := startClient(t, bin, "li", "failover", "--config", cfg, "--yes", f.Mirrors()[1].Name)
	if !pollUntil(30*time.Second, func() bool { return strings.Contains(c.out.String(), " of the switch\n") }) {
		t.Fatalf("the executor's output never reached the client:\n%s\nroom:\n%s", c.out.String(), rp.out.String())
	}
	if err := c.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	stopped := time.Now()
	if !pollUntil(controlWriteTimeout+20*time.Second, func() bool { return roomConnections(t, sock) == 0 }) {
		t.Fatalf("the room still holds the stopped client's command after %v\nroom:\n%s", time.Since(stopped).Round(time.Second), rp.out.String())
	}
	t.Logf("the room let go %v after the client stopped", time.Since(stopped).Round(100*time.Millisecond))
	if err := c.cmd.Process.Signal(syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.exited:
	case <-time.After(30 * time.Second):
		t.Fatalf("the resumed client never ended:\n%s", c.out.String())
	}
	out := c.out.String()
	if c.cmd.ProcessState.ExitCode() == 0 || !strings.Contains(out, "the room closed the connection before failover finished") ||
		strings.Contains(out, "frame") {
		t.Fatalf("the resumed client: %s, want a failure saying the room closed the connection:\n%s", c.cmd.ProcessState, out)
	}
	// Every output line it printed is whole: no torn frame.
	whole := regexp.MustCompile(`^  \| line [0-9]+ of the switch$`)
	for _, l := range strings.Split(out, "\n") {
		if strings.HasPrefix(l, "  |") && !whole.MatchString(l) {
			t.Fatalf("a torn output line %q:\n%s", l, out)
		}
	}
	if !strings.Contains(rp.out.String(), "stopped reading") {
		t.Fatalf("the room's log does not say why it ended li's command:\n%s", rp.out.String())
	}
}
