package sshroom

import (
	"bytes"
	"errors"
	"io"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	gossh "golang.org/x/crypto/ssh"

	"warroom/backends/room"
	"warroom/panes"
)

// sizeModel records the sizes its program is told, and every key.
type sizeModel struct {
	testModel
	rec *recorder
}

type recorder struct {
	mu    sync.Mutex
	sizes [][2]int
	keys  []string
}

func (r *recorder) snapshot() ([][2]int, []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([][2]int(nil), r.sizes...), append([]string(nil), r.keys...)
}

func (m sizeModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	m.rec.mu.Lock()
	switch msg := msg.(type) {
	case tea.WindowSizeMsg:
		m.rec.sizes = append(m.rec.sizes, [2]int{msg.Width, msg.Height})
	case tea.KeyMsg:
		m.rec.keys = append(m.rec.keys, msg.String())
	}
	m.rec.mu.Unlock()
	next, cmd := m.testModel.Update(msg)
	m.testModel = next.(testModel)
	return m, cmd
}

// rawTerminal is a PTY session of any size whose client never answers
// the terminal queries.
func rawTerminal(t *testing.T, c *gossh.Client, w, h int) *terminal {
	t.Helper()
	tm, err := startPTY(c, w, h, false)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// recordingServer serves alice with programs that record into rec.
func recordingServer(t *testing.T, alice string, rec *recorder) *Server {
	srv, _ := startServer(t, rosterOf(t, User{Name: "alice", Keys: []string{alice}}), func(o *Options) {
		o.Program = func(s *Session) (tea.Model, []tea.ProgramOption) {
			return sizeModel{testModel: testModel{s: s}, rec: rec}, nil
		}
	})
	return srv
}

// A client's terminal size is untrusted: a pty-req or window-change of
// 4294967295×4294967295 reaches the program clamped, and the server
// keeps serving.
func TestHugeTerminalSizesAreClamped(t *testing.T) {
	alice, aliceLine := newKey(t)
	rec := &recorder{}
	srv := recordingServer(t, aliceLine, rec)
	tm := rawTerminal(t, mustDial(t, srv.Addr(), alice), math.MaxUint32, math.MaxUint32)
	if err := tm.waitFor("hello alice", 5*time.Second); err != nil {
		t.Fatal(err)
	}
	for _, ws := range srv.openSessions() {
		if ws.Width > panes.MaxWidth || ws.Height > panes.MaxHeight {
			t.Errorf("session size %d×%d, want at most %d×%d", ws.Width, ws.Height, panes.MaxWidth, panes.MaxHeight)
		}
	}
	for _, n := range []int{math.MaxUint16, math.MaxUint32, 100} {
		if err := tm.sess.WindowChange(n, n); err != nil {
			t.Fatal(err)
		}
	}
	if !pollUntil(5*time.Second, func() bool {
		sizes, _ := rec.snapshot()
		return len(sizes) > 0 && sizes[len(sizes)-1] == [2]int{100, 100}
	}) {
		sizes, _ := rec.snapshot()
		t.Fatalf("the last window change never arrived; sizes %v", sizes)
	}
	sizes, _ := rec.snapshot()
	for _, sz := range sizes {
		if sz[0] > panes.MaxWidth || sz[1] > panes.MaxHeight {
			t.Fatalf("the program was told %d×%d, want at most %d×%d (all: %v)", sz[0], sz[1], panes.MaxWidth, panes.MaxHeight, sizes)
		}
	}
	other := openTerminal(t, mustDial(t, srv.Addr(), alice))
	if err := other.waitFor("hello alice", 5*time.Second); err != nil {
		t.Fatalf("a second session after the huge sizes: %v", err)
	}
}

// A terminal that never answers the colour query still gets its first
// frame, within the query's bound, and its first key is not lost.
func TestUnansweredColourQueryStillDraws(t *testing.T) {
	alice, aliceLine := newKey(t)
	rec := &recorder{}
	srv := recordingServer(t, aliceLine, rec)
	start := time.Now()
	tm := rawTerminal(t, mustDial(t, srv.Addr(), alice), 80, 24)
	if err := tm.waitFor("hello alice", terminalWait+3*time.Second); err != nil {
		t.Fatal(err)
	}
	t.Logf("first frame after %s without an answer", time.Since(start).Round(time.Millisecond))
	// The answers arrive late (a slow link): they are no keys.
	if _, err := tm.stdin.Write([]byte("\x1b]11;rgb:ffff/ffff/ffff\x1b\\\x1b[?62;22c")); err != nil {
		t.Fatal(err)
	}
	if _, err := tm.stdin.Write([]byte("q")); err != nil {
		t.Fatal(err)
	}
	if err := tm.wait(5 * time.Second); err != nil {
		t.Fatalf("q after the late answers did not quit: %v", err)
	}
	if _, keys := rec.snapshot(); len(keys) != 1 || keys[0] != "q" {
		t.Fatalf("the program got keys %q, want just q", keys)
	}
}

// The filter takes the answers out wherever reads cut them, and leaves
// the keys typed around them.
func TestReplyFilterAcrossReads(t *testing.T) {
	stream := "a\x1b]11;rgb:0000/0000/0000\x07b\x1b[A\x1b[?62;c\x1bc"
	for cut := 0; cut <= len(stream); cut++ {
		for cut2 := cut; cut2 <= len(stream); cut2++ {
			f := replyFilter{until: time.Now().Add(time.Hour), holdEsc: true}
			now := time.Now()
			var got []byte
			for _, part := range []string{stream[:cut], stream[cut:cut2], stream[cut2:]} {
				got = append(got, f.strip([]byte(part), now)...)
			}
			got = append(got, f.strip(nil, now)...)
			if want := "ab\x1b[A\x1bc"; string(got) != want {
				t.Fatalf("cut at %d and %d: got %q, want %q", cut, cut2, got, want)
			}
			if !f.done || !f.dark() {
				t.Fatalf("cut at %d and %d: done %v dark %v bg %q", cut, cut2, f.done, f.dark(), f.bg)
			}
		}
	}
	// Once the program runs, a lone ESC at the end of a read is the Esc
	// key and passes at once.
	f := replyFilter{until: time.Now().Add(time.Hour)}
	if got := f.strip([]byte("x\x1b"), time.Now()); string(got) != "x\x1b" {
		t.Errorf("a lone ESC was held: got %q", got)
	}
	light := replyFilter{bg: "rgb:ffff/ffff/ffff"}
	if light.dark() {
		t.Error("a white background was taken for dark")
	}
}

// blockingCommand waits for its session's context: like a failover
// waiting for approval, it ends only when the session does.
func blockingCommand(started chan<- struct{}) func(*Session, []string, io.Writer, io.Writer) int {
	return func(s *Session, _ []string, stdout, _ io.Writer) int {
		_, _ = io.WriteString(stdout, "waiting\n")
		started <- struct{}{}
		<-s.Context().Done()
		return 1
	}
}

// A command whose client hung up (the session or the whole connection)
// gives its slot back at once, so a small MaxSessions never fills up.
func TestHungUpCommandGivesBackItsSlot(t *testing.T) {
	alice, aliceLine := newKey(t)
	started := make(chan struct{}, 1)
	srv, _ := startServer(t, rosterOf(t, User{Name: "alice", Keys: []string{aliceLine}}), func(o *Options) {
		o.MaxSessions = 1
		o.Command = blockingCommand(started)
	})
	for _, hangUp := range []string{"session", "connection"} {
		c, err := dial(srv.Addr(), "alice", gossh.PublicKeys(alice))
		if err != nil {
			t.Fatal(err)
		}
		sess, err := c.NewSession()
		if err != nil {
			t.Fatal(err)
		}
		if err := sess.Start("failover --yes"); err != nil {
			t.Fatal(err)
		}
		<-started
		if hangUp == "session" {
			_ = sess.Close() // the connection stays, as under ControlMaster
		} else {
			_ = c.Close()
		}
		if !pollUntil(10*time.Second, func() bool { return len(srv.Sessions()) == 0 }) {
			t.Fatalf("the slot is still taken 10 s after the client closed its %s", hangUp)
		}
		_ = c.Close()
	}
	out, err := mustDial(t, srv.Addr(), alice).NewSession()
	if err != nil {
		t.Fatal(err)
	}
	out.Stdout = &bytes.Buffer{}
	if err := out.Start("status"); err != nil {
		t.Fatal(err)
	}
	select {
	case <-started:
	case <-time.After(5 * time.Second):
		t.Fatal("a new command was not accepted")
	}
}

// A roster reload ends the sessions of a person it removes or whose role
// it changes, with a notice, and admits a person it adds; everyone else
// stays.
func TestReloadEndsWithdrawnSessions(t *testing.T) {
	ana, anaLine := newKey(t)
	bo, boLine := newKey(t)
	cy, cyLine := newKey(t)
	dee, deeLine := newKey(t)
	before := RosterSource{Users: []User{
		{Name: "ana", Role: room.RoleCommander, Keys: []string{anaLine}},
		{Name: "bo", Role: room.RoleObserver, Keys: []string{boLine}},
		{Name: "cy", Role: room.RoleOperator, Keys: []string{cyLine}},
	}}
	roster, _, err := LoadRoster(before)
	if err != nil {
		t.Fatal(err)
	}
	started := make(chan struct{}, 1)
	srv, logs := startServer(t, roster, func(o *Options) {
		o.ShutdownGrace = 200 * time.Millisecond
		o.Program = func(s *Session) (tea.Model, []tea.ProgramOption) {
			return testModel{s: s, stay: true}, nil // it ignores the notice: the server must end it
		}
		o.Command = blockingCommand(started)
	})
	anaTerm := openTerminal(t, mustDial(t, srv.Addr(), ana))
	boTerm := openTerminal(t, mustDial(t, srv.Addr(), bo))
	cyTerm := openTerminal(t, mustDial(t, srv.Addr(), cy))
	for _, tm := range []*terminal{anaTerm, boTerm, cyTerm} {
		if err := tm.waitFor("hello", 5*time.Second); err != nil {
			t.Fatal(err)
		}
	}
	anaCmd, err := mustDial(t, srv.Addr(), ana).NewSession()
	if err != nil {
		t.Fatal(err)
	}
	var anaErr bytes.Buffer
	anaCmd.Stderr = &anaErr
	if err := anaCmd.Start("failover --yes"); err != nil {
		t.Fatal(err)
	}
	<-started
	anaDone := make(chan error, 1)
	go func() { anaDone <- anaCmd.Wait() }()

	after := RosterSource{Users: []User{ // ana removed, bo promoted, dee added
		{Name: "bo", Role: room.RoleCommander, Keys: []string{boLine}},
		{Name: "cy", Role: room.RoleOperator, Keys: []string{cyLine}},
		{Name: "dee", Role: room.RoleComms, Keys: []string{deeLine}},
	}}
	if problems := srv.Reload(after); len(problems) > 0 {
		t.Fatalf("reload: %s", problemsText(problems))
	}
	for name, tm := range map[string]*terminal{"ana": anaTerm, "bo": boTerm} {
		if err := tm.wait(3 * time.Second); err != nil && strings.Contains(err.Error(), "still open") {
			t.Fatalf("%s's session is still open after the reload", name)
		}
	}
	if !strings.Contains(anaTerm.output(), "your access was withdrawn") {
		t.Errorf("ana was not told why: %q", tail(anaTerm.output()))
	}
	if !strings.Contains(boTerm.output(), "your access changed (now bo, commander)") {
		t.Errorf("bo was not told why: %q", tail(boTerm.output()))
	}
	select {
	case err := <-anaDone:
		var exit *gossh.ExitError
		if !errors.As(err, &exit) || exit.ExitStatus() == 0 || !strings.Contains(anaErr.String(), "your access was withdrawn") {
			t.Errorf("ana's waiting command: %v, stderr %q", err, anaErr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("ana's waiting command still runs 10 s after the reload")
	}
	if c, err := dial(srv.Addr(), "ana", gossh.PublicKeys(ana)); err == nil {
		c.Close()
		t.Error("ana can still connect after the reload removed her")
	}
	if err := cyTerm.wait(300 * time.Millisecond); err == nil || !strings.Contains(err.Error(), "still open") {
		t.Errorf("cy's session ended though the reload kept cy as is: %v", err)
	}
	deeTerm := openTerminal(t, mustDial(t, srv.Addr(), dee))
	if err := deeTerm.waitFor("hello dee (comms)", 5*time.Second); err != nil {
		t.Fatalf("dee, added by the reload: %v", err)
	}
	if !logs.has("ana: your access was withdrawn") {
		t.Errorf("the log does not say whose access ended")
	}
}

func tail(s string) string {
	if len(s) > 300 {
		return s[len(s)-300:]
	}
	return s
}
