package main

import (
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// sessionStacks counts the goroutines serving SSH sessions: the SSH
// library's, the session layer's, Bubble Tea's and the forwarders. The
// probes' HTTP goroutines come and go on their own and are left out.
func sessionStacks() (int, string) {
	buf := make([]byte, 4<<20)
	buf = buf[:runtime.Stack(buf, true)]
	n := 0
	var their []string
	for _, g := range strings.Split(string(buf), "\n\n") {
		for _, mark := range []string{"charmbracelet/bubbletea", "tui/sshroom.", "main.(*sshRoom)", "warroom/tui.(*Session)", "charmbracelet/ssh.", "golang.org/x/crypto/ssh.", "charmbracelet/wish"} {
			if strings.Contains(g, mark) {
				n++
				their = append(their, g)
				break
			}
		}
	}
	return n, strings.Join(their, "\n\n")
}

func TestServeSessionsLeaveNoGoroutines(t *testing.T) {
	f := startFleet(t, 2)
	ana := newPerson(t, "ana", "commander")
	cfg := fleetConfig(t, f)
	appendFile(t, cfg, serveSection(ana))
	sr := startServed(t, cfg)
	settled := func() bool { return len(sr.srv.Sessions()) == 0 && sr.live.room.Subscribers() == 0 }
	// A first session that ends: the server's accept loop is running and
	// counted in the baseline.
	warm := openScreen(t, sr.mustDial(t, ana), 100, 30)
	warm.waitFor(t, "a first frame", 10*time.Second, "Mirrors")
	warm.key(t, "q")
	warm.waitEnd(t, 5*time.Second)
	if !pollUntil(5*time.Second, settled) {
		t.Fatal("the warm-up session did not end")
	}
	baseline, _ := sessionStacks()

	const n = 8
	var wg sync.WaitGroup
	for i := range n {
		c, err := sr.dial(ana)
		if err != nil {
			t.Fatal(err)
		}
		sc := openScreen(t, c, 100, 30)
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer c.Close()
			deadline := time.NewTimer(10 * time.Second)
			defer deadline.Stop()
			for !strings.Contains(sc.text(), "Mirrors") {
				select {
				case <-sc.changed:
				case <-deadline.C:
					return
				}
			}
			if i%2 == 0 { // half quit, half hang up
				_, _ = sc.stdin.Write([]byte("q"))
				select {
				case <-sc.done:
				case <-deadline.C:
				}
			}
		}()
	}
	wg.Wait()
	var left int
	var stacks string
	ok := pollUntil(10*time.Second, func() bool {
		left, stacks = sessionStacks()
		return settled() && len(sr.live.room.Snapshot().Presence) == 0 && left <= baseline
	})
	if !ok {
		t.Fatalf("after %d sessions: %d sessions, %d subscriptions, %d present, %d session goroutines (baseline %d):\n%s", n,
			len(sr.srv.Sessions()), sr.live.room.Subscribers(), len(sr.live.room.Snapshot().Presence), left, baseline, stacks)
	}
}
