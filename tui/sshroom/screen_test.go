package sshroom

import (
	"bytes"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"warroom/backends/room"
)

// screenLog is a terminal's side of a screen: every write, in order.
type screenLog struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (r *screenLog) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.b.Write(p)
}

// take returns and forgets what was written, once it ends with suffix.
func (r *screenLog) take(t *testing.T, suffix string) string {
	t.Helper()
	var got string
	if !pollUntil(5*time.Second, func() bool {
		r.mu.Lock()
		defer r.mu.Unlock()
		got = r.b.String()
		return strings.HasSuffix(got, suffix)
	}) {
		t.Fatalf("the screen wrote %q, want it to end with %q", got, suffix)
	}
	r.mu.Lock()
	r.b.Reset()
	r.mu.Unlock()
	return got
}

func TestScreenSendsOnlyWhatChanged(t *testing.T) {
	rec := &screenLog{}
	scr := newScreen(rec, newLineDiffs(), 1000)
	scr.size(10, 4)
	scr.show("aaa\nbbb\nccc")
	first := rec.take(t, "\x1b[4;1H\x1b[J")
	if !strings.HasPrefix(first, enterScreen) || !strings.Contains(first, "\x1b[2;1Hbbb\x1b[K") {
		t.Fatalf("first frame %q: want the full screen set up and every line", first)
	}
	// The same frame again and again (new strings, equal text) is no
	// change: the next bytes are the changed line alone.
	for range 50 {
		scr.show(strings.Join([]string{"aaa", "bbb", "ccc"}, "\n"))
	}
	scr.show("aaa\nBBB\nccc")
	if got, want := rec.take(t, "BBB\x1b[K"), "\x1b[2;1HBBB\x1b[K"; got != want {
		t.Fatalf("after 50 unchanged frames and one change the screen wrote %q, want only %q", got, want)
	}
	// A line of the full width is not erased after (the cursor waits on its last cell).
	scr.show("aaa\nBBB\n0123456789")
	if got, want := rec.take(t, "0123456789"), "\x1b[3;1H0123456789"; got != want {
		t.Fatalf("full-width line: wrote %q, want %q", got, want)
	}
	scr.close(5 * time.Second)
	if got := rec.take(t, leaveScreen); got != leaveScreen {
		t.Fatalf("closing wrote %q, want the terminal restored (%q)", got, leaveScreen)
	}
}

func TestSessionsMovingBetweenTheSameFramesShareTheBytes(t *testing.T) {
	diffs := newLineDiffs()
	f1, f2 := "head 10:00:01\nbody", "head 10:00:02\nbody" // two frames every session shows (the app shares them)
	for range 5 {
		rec := &screenLog{}
		scr := newScreen(rec, diffs, 1000)
		scr.size(20, 2)
		scr.show(f1)
		rec.take(t, "body\x1b[K")
		scr.show(f2)
		if got, want := rec.take(t, "02\x1b[K"), "\x1b[1;1Hhead 10:00:02\x1b[K"; got != want {
			t.Fatalf("the clock's change wrote %q, want %q", got, want)
		}
		scr.close(5 * time.Second)
	}
	if made, shared := diffs.stats(); made != 2 || shared != 8 {
		t.Fatalf("diffs made %d, shared %d: want 2 made (blank → f1, f1 → f2) and the other 4 sessions served each", made, shared)
	}
}

// quietModel shows a count that only bump moves; nop changes nothing.
type quietModel struct{ n int }

type (
	bumpMsg struct{}
	nopMsg  struct{}
)

func (m quietModel) Init() tea.Cmd { return nil }

func (m quietModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if _, ok := msg.(bumpMsg); ok {
		m.n++
	}
	return m, nil
}

func (m quietModel) View() string { return fmt.Sprintf("count %d\nstill here", m.n) }

// Over real SSH: messages that leave the view as it was send nothing; the
// next change sends its line alone.
func TestQuietSessionGetsNoBytes(t *testing.T) {
	alice, aliceLine := newKey(t)
	srv, _ := startServer(t, rosterOf(t, User{Name: "alice", Role: room.RoleObserver, Keys: []string{aliceLine}}), func(o *Options) {
		o.Program = func(*Session) (tea.Model, []tea.ProgramOption) { return quietModel{}, nil }
	})
	tm := openTerminal(t, mustDial(t, srv.Addr(), alice))
	if err := tm.waitFor("still here", 5*time.Second); err != nil {
		t.Fatal(err)
	}
	sessions := srv.openSessions()
	if len(sessions) != 1 {
		t.Fatalf("%d sessions open, want 1", len(sessions))
	}
	ws := sessions[0]
	before := len(tm.output())
	for range 100 {
		ws.Send(nopMsg{})
	}
	ws.Send(bumpMsg{})
	if err := tm.waitFor("count 1", 5*time.Second); err != nil {
		t.Fatal(err)
	}
	if got, want := tm.output()[before:], "\x1b[1;1Hcount 1\x1b[K"; got != want {
		t.Fatalf("after 100 messages changing nothing and one change the client got %q, want only %q", got, want)
	}
}
