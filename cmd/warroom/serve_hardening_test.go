package main

import (
	"fmt"
	"math"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// serveFleet serves a room of two mirrors to people.
func serveFleet(t *testing.T, people ...person) *servedRoom {
	t.Helper()
	cfg := fleetConfig(t, startFleet(t, 2))
	appendFile(t, cfg, serveSection(people...))
	return startServed(t, cfg)
}

// A logged-in user's terminal size is untrusted: a pty-req and window
// changes of 4294967295×4294967295 and 65535×65535 reach the real room
// clamped, and the server keeps serving that session and another.
func TestServeHugeWindowSizesKeepServing(t *testing.T) {
	ana, li := newPerson(t, "ana", "commander"), newPerson(t, "li.wei", "operator")
	sr := serveFleet(t, ana, li)

	huge := openScreen(t, sr.mustDial(t, ana), math.MaxUint32, math.MaxUint32)
	huge.waitFor(t, "ana's room at 4294967295×4294967295", 10*time.Second, "Mirrors")
	for _, n := range []int{math.MaxUint16, math.MaxUint32} {
		if err := huge.sess.WindowChange(n, n); err != nil {
			t.Fatal(err)
		}
	}
	other := openScreen(t, sr.mustDial(t, li), 100, 30)
	other.waitFor(t, "li.wei's room after the huge sizes", 10*time.Second, "Mirrors", "ana")
	if err := huge.sess.WindowChange(30, 100); err != nil {
		t.Fatal(err)
	}
	huge.key(t, "?")
	huge.waitFor(t, "ana's help after the huge sizes", 10*time.Second, "Keys · ")
}

// A terminal that answers neither the colour nor the attribute query gets
// the room's first frame within a bound.
func TestServeSilentTerminalGetsAFirstFrame(t *testing.T) {
	ana := newPerson(t, "ana", "commander")
	sr := serveFleet(t, ana)
	start := time.Now()
	sc := openTerm(t, sr.mustDial(t, ana), 120, 40, false)
	sc.waitFor(t, "a first frame without answers", 5*time.Second, "Mirrors")
	t.Logf("first frame after %s", time.Since(start).Round(time.Millisecond))
}

// An operator's failover waiting for approval holds a session; when the
// client hangs up, the slot is free at once, so max_sessions: 1 takes the
// next person instead of refusing them for the approval's ten minutes.
func TestServeHungUpFailoverGivesBackItsSlot(t *testing.T) {
	f := startFleet(t, 3)
	ana, li := newPerson(t, "ana", "commander"), newPerson(t, "li.wei", "operator")
	cfg, _ := routedConfig(t, f)
	appendFile(t, cfg, "  approvals: {failover: [1, 2, 3]}\n") // continues routedConfig's actions:
	appendFile(t, cfg, serveSection(ana, li)+"  max_sessions: 1\n")
	sr := startServed(t, cfg)

	c := sr.mustDial(t, li)
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	if err := sess.Start("failover --yes " + f.Mirrors()[1].Name); err != nil {
		t.Fatal(err)
	}
	awaitingID(t, sr.live.room)
	_ = c.Close()
	if !pollUntil(10*time.Second, func() bool { return len(sr.srv.Sessions()) == 0 }) {
		t.Fatalf("li.wei's failover still holds a session 10 s after the client hung up: %+v", sr.srv.Sessions())
	}
	code, out, errOut := sr.command(t, ana, "status")
	if code > 1 || !strings.Contains(out, "MIRROR") {
		t.Fatalf("status after the hang-up: exit %d\n%s%s", code, out, errOut)
	}
}

// servedBinary is `warroom serve` running as a child process.
type servedBinary struct {
	cmd    *exec.Cmd
	addr   string
	stderr *lockedWriter
}

func startServeBinary(t *testing.T, cfg string) *servedBinary {
	t.Helper()
	bin := buildBinary(t)
	sb := &servedBinary{addr: fmt.Sprintf("127.0.0.1:%d", freePort(t)), stderr: &lockedWriter{w: &strings.Builder{}}}
	sb.cmd = exec.Command(bin, "serve", "--config", cfg, "--listen", sb.addr)
	sb.cmd.Stderr = sb.stderr
	sb.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL} // gone with the test binary
	if err := sb.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = sb.cmd.Wait(); close(done) }()
	t.Cleanup(func() {
		_ = sb.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = sb.cmd.Process.Kill()
			<-done
		}
		if t.Failed() {
			t.Logf("serve stderr:\n%s", sb.log())
		}
	})
	if !pollUntil(20*time.Second, func() bool { return strings.Contains(sb.log(), "serve: ") && strings.Contains(sb.log(), sb.addr) }) {
		t.Fatalf("warroom serve did not start listening on %s", sb.addr)
	}
	return sb
}

func (sb *servedBinary) log() string {
	sb.stderr.mu.Lock()
	defer sb.stderr.mu.Unlock()
	return sb.stderr.w.String()
}

// kill -HUP re-reads serve.users: a removed person's open session is told
// and ended and they cannot come back, a person whose role changed is
// told to reconnect, an added person gets in, everyone else stays.
func TestServeReloadOnHUPReReadsUsers(t *testing.T) {
	f := startFleet(t, 2)
	ana, bo := newPerson(t, "ana", "commander"), newPerson(t, "bo", "observer")
	cy, dee := newPerson(t, "cy", "operator"), newPerson(t, "dee", "comms")
	cfg := fleetConfig(t, f)
	base, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	appendFile(t, cfg, serveSection(ana, bo, cy))
	sb := startServeBinary(t, cfg)
	screens := map[string]*screen{}
	for _, p := range []person{ana, bo, cy} {
		c, err := dialAddr(sb.addr, p)
		if err != nil {
			t.Fatalf("%s: %v", p.name, err)
		}
		t.Cleanup(func() { _ = c.Close() })
		screens[p.name] = openScreen(t, c, 120, 40)
		screens[p.name].waitFor(t, p.name+"'s room", 10*time.Second, "Mirrors")
	}

	promoted := bo
	promoted.role = "commander"
	if err := os.WriteFile(cfg, append(base, serveSection(promoted, cy, dee)...), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := sb.cmd.Process.Signal(syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	screens["ana"].waitEnd(t, 5*time.Second)
	if !strings.Contains(screens["ana"].text(), "your access was withdrawn") {
		t.Errorf("ana was not told why her session ended:\n%s", tail(screens["ana"].text(), 500))
	}
	screens["bo"].waitEnd(t, 5*time.Second)
	if !strings.Contains(screens["bo"].text(), "your access changed (now bo, commander)") {
		t.Errorf("bo was not told to reconnect:\n%s", tail(screens["bo"].text(), 500))
	}
	if c, err := dialAddr(sb.addr, ana); err == nil {
		c.Close()
		t.Error("ana, removed from serve.users, can still connect")
	}
	select {
	case <-screens["cy"].done:
		t.Error("cy's session ended though the reload kept cy as is")
	default:
	}
	c, err := dialAddr(sb.addr, dee)
	if err != nil {
		t.Fatalf("dee, added to serve.users: %v", err)
	}
	t.Cleanup(func() { _ = c.Close() })
	openScreen(t, c, 120, 40).waitFor(t, "dee's room", 10*time.Second, "Mirrors")
	if !strings.Contains(sb.log(), "roster reloaded from "+cfg) {
		t.Errorf("the log does not say the roster was reloaded")
	}
}
