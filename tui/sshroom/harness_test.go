package sshroom

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	gossh "golang.org/x/crypto/ssh"
)

// logSink keeps the server's log for assertions and for failed tests.
type logSink struct {
	mu    sync.Mutex
	lines []string
}

func (l *logSink) logf(format string, args ...any) {
	l.mu.Lock()
	l.lines = append(l.lines, fmt.Sprintf(format, args...))
	l.mu.Unlock()
}

func (l *logSink) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

func (l *logSink) has(sub string) bool { return strings.Contains(l.String(), sub) }

// testModel greets its user and quits on q or on the server's shutdown.
type testModel struct {
	s      *Session
	notice string
	stay   bool // ignore ShutdownMsg, to test the grace period
}

func (m testModel) Init() tea.Cmd { return nil }

func (m testModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		if msg.String() == "q" {
			return m, tea.Quit
		}
	case ShutdownMsg:
		m.notice = "SERVER SHUTTING DOWN"
		if !m.stay {
			return m, tea.Quit
		}
	}
	return m, nil
}

func (m testModel) View() string {
	hello := m.s.Renderer.NewStyle().Bold(true).Render(fmt.Sprintf("hello %s (%s)", m.s.User.Name, m.s.User.Role))
	return hello + "\n" + m.notice + "\n"
}

func testProgram(s *Session) (tea.Model, []tea.ProgramOption) {
	return testModel{s: s}, nil
}

func testCommand(s *Session, args []string, stdout, stderr io.Writer) int {
	fmt.Fprintf(stdout, "user=%s role=%s args=%q\n", s.User.Name, s.User.Role, args)
	if len(args) > 0 && args[0] == "fail" {
		fmt.Fprintln(stderr, "failing as asked")
		return 3
	}
	return 0
}

// startServer runs a server built by New on 127.0.0.1:0 and shuts it down
// when the test ends.
func startServer(t *testing.T, roster *Roster, tweak func(*Options)) (*Server, *logSink) {
	t.Helper()
	sink := &logSink{}
	opts := Options{
		Addr:        "127.0.0.1:0",
		HostKeyPath: filepath.Join(t.TempDir(), "host_ed25519"),
		Roster:      roster,
		Program:     testProgram,
		Command:     testCommand,
		Logf:        sink.logf,
	}
	if tweak != nil {
		tweak(&opts)
	}
	srv, err := New(opts)
	if err != nil {
		t.Fatal(err)
	}
	if err := srv.Listen(); err != nil {
		t.Fatal(err)
	}
	served := make(chan error, 1)
	go func() { served <- srv.Serve() }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
		select {
		case err := <-served:
			if err != nil {
				t.Errorf("Serve: %v", err)
			}
		case <-time.After(5 * time.Second):
			t.Error("Serve did not return after Shutdown")
		}
		if t.Failed() {
			t.Logf("server log:\n%s", sink)
		}
	})
	return srv, sink
}

func rosterOf(t *testing.T, users ...User) *Roster {
	t.Helper()
	r, problems, err := LoadRoster(RosterSource{Users: users})
	if err != nil || len(problems) > 0 {
		t.Fatalf("roster: %v %s", err, problemsText(problems))
	}
	return r
}

func dial(addr, user string, auth ...gossh.AuthMethod) (*gossh.Client, error) {
	return gossh.Dial("tcp", addr, &gossh.ClientConfig{
		User:            user,
		Auth:            auth,
		HostKeyCallback: gossh.InsecureIgnoreHostKey(),
		Timeout:         5 * time.Second,
	})
}

func mustDial(t *testing.T, addr string, signer gossh.Signer) *gossh.Client {
	t.Helper()
	c, err := dial(addr, "someone", gossh.PublicKeys(signer))
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// terminal is a PTY session seen from the client: it keeps the output and
// answers the background-colour query as a real terminal does.
type terminal struct {
	sess     *gossh.Session
	stdin    io.WriteCloser
	changed  chan struct{}
	mu       sync.Mutex
	out      bytes.Buffer
	answered bool
	started  time.Time
	done     chan struct{} // closed when the session has ended
	waitErr  error
}

func openTerminal(t *testing.T, c *gossh.Client) *terminal {
	t.Helper()
	tm, err := startTerminal(c)
	if err != nil {
		t.Fatal(err)
	}
	return tm
}

// startTerminal opens an 80×24 PTY session with a shell on c.
func startTerminal(c *gossh.Client) (*terminal, error) { return startPTY(c, 80, 24, true) }

// startPTY opens a w×h PTY session with a shell on c; a terminal that does
// not answer never replies to the colour query.
func startPTY(c *gossh.Client, w, h int, answer bool) (*terminal, error) {
	sess, err := c.NewSession()
	if err != nil {
		return nil, fmt.Errorf("new session: %w", err)
	}
	tm := &terminal{sess: sess, changed: make(chan struct{}, 1), done: make(chan struct{}), answered: !answer}
	if tm.stdin, err = sess.StdinPipe(); err != nil {
		return nil, err
	}
	sess.Stdout, sess.Stderr = tm, tm
	tm.started = time.Now()
	if err := sess.RequestPty("xterm-256color", h, w, gossh.TerminalModes{}); err != nil {
		return nil, fmt.Errorf("pty: %w", err)
	}
	if err := sess.Shell(); err != nil {
		return nil, fmt.Errorf("shell: %w", err)
	}
	go func() {
		tm.waitErr = sess.Wait()
		close(tm.done)
	}()
	return tm, nil
}

func (tm *terminal) Write(p []byte) (int, error) {
	tm.mu.Lock()
	tm.out.Write(p)
	reply := !tm.answered && strings.Contains(tm.out.String(), "\x1b]11;?")
	if reply {
		tm.answered = true
	}
	tm.mu.Unlock()
	if reply {
		_, _ = tm.stdin.Write([]byte("\x1b]11;rgb:0000/0000/0000\x07\x1b[?62;c"))
	}
	select {
	case tm.changed <- struct{}{}:
	default:
	}
	return len(p), nil
}

func (tm *terminal) output() string {
	tm.mu.Lock()
	defer tm.mu.Unlock()
	return tm.out.String()
}

// waitFor waits until the output contains sub.
func (tm *terminal) waitFor(sub string, d time.Duration) error {
	deadline := time.NewTimer(d)
	defer deadline.Stop()
	for !strings.Contains(tm.output(), sub) {
		select {
		case <-tm.changed:
		case <-deadline.C:
			return fmt.Errorf("%q not seen within %s; output %q", sub, d, tm.output())
		}
	}
	return nil
}

// wait waits for the session to end.
func (tm *terminal) wait(d time.Duration) error {
	select {
	case <-tm.done:
		return tm.waitErr
	case <-time.After(d):
		return fmt.Errorf("session still open after %s", d)
	}
}

// pollUntil checks cond every few milliseconds, up to d.
func pollUntil(d time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(d)
	tick := time.NewTicker(5 * time.Millisecond)
	defer tick.Stop()
	for !cond() {
		if time.Now().After(deadline) {
			return false
		}
		<-tick.C
	}
	return true
}
