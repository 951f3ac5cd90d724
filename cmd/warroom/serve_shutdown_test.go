package main

import (
	"context"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"warroom/backends/room"
)

// TestServeShutdownTellsEverySession stops `serve` as SIGTERM does (main's
// context ends): every session shows the notice, the command returns within
// 2 s, and the journal records the sessions leaving before it closes.
func TestServeShutdownTellsEverySession(t *testing.T) {
	f := startFleet(t, 2)
	ana := newPerson(t, "ana", "commander")
	cfg := fleetConfig(t, f)
	appendFile(t, cfg, serveSection(ana))
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	done := make(chan error, 1)
	var errOut syncLog
	go func() {
		done <- cmdServe(ctx, []string{"--config", cfg}, writerFunc(func(p []byte) { errOut.logf("%s", p) }))
	}()
	var addr string
	if !pollUntil(10*time.Second, func() bool {
		text := errOut.String()
		i := strings.Index(text, " on 127.0.0.1:")
		if i < 0 {
			return false
		}
		addr = strings.TrimSuffix(strings.Fields(text[i+4:])[0], ",")
		return true
	}) {
		t.Fatalf("serve did not say where it listens:\n%s", errOut.String())
	}
	const n = 6
	screens := make([]*screen, n)
	for i := range screens {
		c, err := gossh.Dial("tcp", addr, &gossh.ClientConfig{User: "ana", Auth: []gossh.AuthMethod{gossh.PublicKeys(ana.signer)},
			HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second})
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		screens[i] = openScreen(t, c, 100, 30)
		screens[i].waitFor(t, "a first frame", 10*time.Second, "Mirrors")
	}
	start := time.Now()
	stop() // what SIGTERM does to main's context
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("serve still running 5 s after it was asked to stop")
	}
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("serve took %s to stop with %d sessions open, want under 2 s", took, n)
	}
	for i, sc := range screens {
		sc.waitEnd(t, 2*time.Second)
		if !strings.Contains(sc.text(), "shutting down") {
			t.Errorf("session %d was not told: %s", i, tail(sc.text(), 400))
		}
	}
	kinds := readJournalKinds(t, cfg)
	left := 0
	for _, k := range kinds {
		if k == room.EvPresenceLeft {
			left++
		}
	}
	if left != n {
		t.Errorf("the journal records %d sessions leaving, want %d (journal: %v)", left, n, kinds)
	}
}

// writerFunc adapts a function to io.Writer.
type writerFunc func(p []byte)

func (f writerFunc) Write(p []byte) (int, error) { f(append([]byte(nil), p...)); return len(p), nil }
