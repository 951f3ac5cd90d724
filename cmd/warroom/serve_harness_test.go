package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/x/ansi"
	gossh "golang.org/x/crypto/ssh"

	"warroom/tui/sshroom"
)

// person is a user of the test roster with a key of their own.
type person struct {
	name, role string
	signer     gossh.Signer
	key        ed25519.PrivateKey
}

func newPerson(t *testing.T, name, role string) person {
	t.Helper()
	_, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	s, err := gossh.NewSignerFromKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	return person{name: name, role: role, signer: s, key: priv}
}

func (p person) keyLine() string {
	return strings.TrimSpace(string(gossh.MarshalAuthorizedKey(p.signer.PublicKey())))
}

// serveSection is the serve: section listing people.
func serveSection(people ...person) string {
	var b strings.Builder
	b.WriteString("serve:\n  listen: 127.0.0.1:0\n  users:\n")
	for _, p := range people {
		fmt.Fprintf(&b, "    - {name: %s, role: %s, keys: [%q]}\n", p.name, p.role, p.keyLine())
	}
	return b.String()
}

// syncLog is a server log the test can read while the server writes.
type syncLog struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (l *syncLog) logf(format string, args ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(&l.buf, format+"\n", args...)
}

func (l *syncLog) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.buf.String()
}

// servedRoom is a live room served over SSH by newSSHServer, the
// constructor `warroom serve` uses, on 127.0.0.1:0.
type servedRoom struct {
	srv  *sshroom.Server
	live *live
	log  *syncLog
}

func startServed(t *testing.T, cfgPath string) *servedRoom {
	t.Helper()
	s, err := load(roomFlags{config: cfgPath})
	if err != nil {
		t.Fatal(err)
	}
	roster, problems, err := sshroom.LoadRoster(rosterSource(s.cfg))
	if err != nil || len(problems) > 0 {
		t.Fatalf("roster: %v %v", err, problems)
	}
	ctx, cancel := context.WithCancel(context.Background())
	l, err := startLive(ctx, s.cfg, liveOptions{}, io.Discard)
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	sr := &servedRoom{live: l, log: &syncLog{}}
	sr.srv, err = newSSHServer(&sshRoom{setup: s, live: l, roster: roster, addr: s.cfg.Serve.Listen,
		hostKey: s.cfg.HostKeyPath(), limits: s.cfg.Serve, logf: sr.log.logf, grace: 500 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := sr.srv.Listen(); err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- sr.srv.Serve() }()
	t.Cleanup(func() {
		sctx, scancel := shutdownContext()
		defer scancel()
		if err := sr.srv.Shutdown(sctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
		<-served
		cancel()
		l.Close()
		if t.Failed() {
			t.Logf("server log:\n%s", sr.log)
		}
	})
	return sr
}

func (sr *servedRoom) dial(p person) (*gossh.Client, error) { return dialAddr(sr.srv.Addr(), p) }

// dialAddr connects to an SSH server of the room as p.
func dialAddr(addr string, p person) (*gossh.Client, error) {
	return gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User: p.name, Auth: []gossh.AuthMethod{gossh.PublicKeys(p.signer)},
		HostKeyCallback: gossh.InsecureIgnoreHostKey(), Timeout: 5 * time.Second,
	})
}

func (sr *servedRoom) mustDial(t *testing.T, p person) *gossh.Client {
	t.Helper()
	c, err := sr.dial(p)
	if err != nil {
		t.Fatalf("%s: dial: %v", p.name, err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// command runs a non-PTY command and returns its exit status and output.
func (sr *servedRoom) command(t *testing.T, p person, cmd string) (int, string, string) {
	t.Helper()
	c := sr.mustDial(t, p)
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	sess.Stdout, sess.Stderr = &out, &errOut
	err = sess.Run(cmd)
	var exit *gossh.ExitError
	switch {
	case err == nil:
		return 0, out.String(), errOut.String()
	case errors.As(err, &exit):
		return exit.ExitStatus(), out.String(), errOut.String()
	}
	t.Fatalf("%s: %s: %v", p.name, cmd, err)
	return 0, "", ""
}

// screen is a PTY session seen from its client, answering the terminal
// queries a real terminal answers; its text is the output without escapes.
type screen struct {
	sess    *gossh.Session
	stdin   io.WriteCloser
	changed chan struct{}
	done    chan struct{}

	mu       sync.Mutex
	raw      bytes.Buffer
	answered bool
	gate     chan struct{} // while set, Write waits: the terminal stopped reading
}

// stall makes the terminal stop reading its output; unstall resumes.
func (sc *screen) stall() {
	sc.mu.Lock()
	sc.gate = make(chan struct{})
	sc.mu.Unlock()
}

func (sc *screen) unstall() {
	sc.mu.Lock()
	if sc.gate != nil {
		close(sc.gate)
		sc.gate = nil
	}
	sc.mu.Unlock()
}

func openScreen(t *testing.T, c *gossh.Client, w, h int) *screen {
	t.Helper()
	return openTerm(t, c, w, h, true)
}

// openTerm opens a w×h PTY session; a terminal that does not answer never
// replies to the colour query.
func openTerm(t *testing.T, c *gossh.Client, w, h int, answer bool) *screen {
	t.Helper()
	sess, err := c.NewSession()
	if err != nil {
		t.Fatal(err)
	}
	sc := &screen{sess: sess, changed: make(chan struct{}, 1), done: make(chan struct{}), answered: !answer}
	if sc.stdin, err = sess.StdinPipe(); err != nil {
		t.Fatal(err)
	}
	sess.Stdout, sess.Stderr = sc, sc
	if err := sess.RequestPty("xterm-256color", h, w, gossh.TerminalModes{}); err != nil {
		t.Fatal(err)
	}
	if err := sess.Shell(); err != nil {
		t.Fatal(err)
	}
	go func() { _ = sess.Wait(); close(sc.done) }()
	return sc
}

func (sc *screen) Write(p []byte) (int, error) {
	sc.mu.Lock()
	if gate := sc.gate; gate != nil {
		sc.mu.Unlock()
		<-gate
		sc.mu.Lock()
	}
	sc.raw.Write(p)
	reply := !sc.answered && bytes.Contains(sc.raw.Bytes(), []byte("\x1b]11;?"))
	sc.answered = sc.answered || reply
	sc.mu.Unlock()
	if reply {
		go func() { _, _ = sc.stdin.Write([]byte("\x1b]11;rgb:0000/0000/0000\x07\x1b[?62;c")) }()
	}
	select {
	case sc.changed <- struct{}{}:
	default:
	}
	return len(p), nil
}

func (sc *screen) text() string {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	return ansi.Strip(sc.raw.String())
}

func (sc *screen) bytes() int {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	return sc.raw.Len()
}

// waitFor waits until the text contains every part.
func (sc *screen) waitFor(t *testing.T, what string, d time.Duration, parts ...string) {
	t.Helper()
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	for {
		text := sc.text()
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(text, p)
		}
		if ok {
			return
		}
		select {
		case <-sc.changed:
		case <-sc.done:
			t.Fatalf("session ended before %s; output:\n%s", what, tail(sc.text(), 3000))
		case <-deadline.C:
			t.Fatalf("no %s within %s; output:\n%s", what, d, tail(sc.text(), 3000))
		}
	}
}

func (sc *screen) key(t *testing.T, k string) {
	t.Helper()
	if _, err := sc.stdin.Write([]byte(k)); err != nil {
		t.Fatal(err)
	}
}

func (sc *screen) waitEnd(t *testing.T, d time.Duration) {
	t.Helper()
	select {
	case <-sc.done:
	case <-time.After(d):
		t.Fatalf("session still open after %s", d)
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// pollUntil checks cond every few milliseconds, up to d: the condition is
// what the test waits for; the period only bounds how often it looks.
func pollUntil(d time.Duration, cond func() bool) bool { return pollEvery(d, 5*time.Millisecond, cond) }

// pollEvery is pollUntil looking every period (for conditions that cost a
// request to a running process).
func pollEvery(d, period time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	tick := time.NewTicker(period)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		<-tick.C
	}
	return true
}

// readJournalKinds lists the kinds of the events in a config's journal.
func readJournalKinds(t *testing.T, cfgPath string) []string {
	t.Helper()
	s, err := load(roomFlags{config: cfgPath})
	if err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(journalPath(s.cfg))
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		var ev struct {
			Kind string `json:"kind"`
		}
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("journal line %q: %v", line, err)
		}
		kinds = append(kinds, ev.Kind)
	}
	return kinds
}

// lockedWriter serialises writes of a child process's output with reads.
type lockedWriter struct {
	mu sync.Mutex
	w  *strings.Builder
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
