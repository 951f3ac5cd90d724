package sshroom

import (
	"io"
	"sync"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// screen draws one session's frames on its terminal in place of Bubble
// Tea's renderer, which wakes 30 times a second per session to compare
// frames and diffs each changed frame again in every session. Here a frame
// is sent when the program's view changed, at most once per frame gap,
// and only its changed lines; sessions that move between the same two
// frames (shared by the app) share the bytes too (lineDiffs). A session
// whose view did not change costs no wakeup and gets no byte.
type screen struct {
	out   io.Writer
	diffs *lineDiffs
	gap   time.Duration // the frame cap: at most one write per gap

	mu     sync.Mutex
	frame  string // the newest frame from the program
	w, h   int
	resize bool // the size changed: redraw every line

	wake     chan struct{} // one slot: a new frame waits
	stop     chan struct{} // closed by close: send the last frame and restore the terminal
	finished chan struct{}

	// The writer goroutine's own.
	sent    string // what the terminal shows
	started bool
	last    time.Time
}

func newScreen(out io.Writer, diffs *lineDiffs, fps int) *screen {
	s := &screen{out: out, diffs: diffs, gap: time.Second / time.Duration(max(fps, 1)),
		wake: make(chan struct{}, 1), stop: make(chan struct{}), finished: make(chan struct{})}
	go s.run()
	return s
}

// show takes the program's newest frame; it never blocks.
func (s *screen) show(frame string) {
	s.mu.Lock()
	changed := frame != s.frame
	s.frame = frame
	s.mu.Unlock()
	if changed {
		s.poke()
	}
}

// size takes the terminal's new size: the next frame redraws everything.
func (s *screen) size(w, h int) {
	s.mu.Lock()
	s.w, s.h, s.resize = w, h, true
	s.mu.Unlock()
	s.poke()
}

func (s *screen) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// close sends the last frame, restores the terminal and waits, at most
// within, for the writes (a client that stopped reading holds them until
// its connection closes).
func (s *screen) close(within time.Duration) {
	select {
	case <-s.stop:
	default:
		close(s.stop)
	}
	t := time.NewTimer(within)
	defer t.Stop()
	select {
	case <-s.finished:
	case <-t.C:
	}
}

func (s *screen) run() {
	defer close(s.finished)
	t := time.NewTimer(0)
	<-t.C
	for {
		select {
		case <-s.wake:
		case <-s.stop:
			s.flush()
			s.restore()
			return
		}
		// A burst of frames (keys held down) goes out at the frame cap; a
		// lone change goes at once.
		if wait := s.gap - time.Since(s.last); wait > 0 {
			t.Reset(wait)
			select {
			case <-t.C:
			case <-s.stop:
				t.Stop()
				s.flush()
				s.restore()
				return
			}
		}
		s.flush()
	}
}

// Terminal modes, as Bubble Tea's renderer sets them for a full-screen
// program: alternate screen (cleared, cursor home), cursor hidden,
// bracketed paste; and undone at the end, mouse modes included.
const (
	enterScreen = "\x1b[?1049h\x1b[2J\x1b[H\x1b[?25l\x1b[?2004h"
	leaveScreen = "\x1b[2K\r\x1b[?2004l\x1b[?25h\x1b[?1002l\x1b[?1003l\x1b[?1006l\x1b[?1049l"
)

// flush writes what changed since the last frame sent.
func (s *screen) flush() {
	s.mu.Lock()
	frame, w, h, full := s.frame, s.w, s.h, s.resize
	s.resize = false
	s.mu.Unlock()
	if w <= 0 || h <= 0 || frame == "" || (frame == s.sent && !full) {
		return
	}
	prev := s.sent
	if full || !s.started {
		prev = ""
	}
	out := s.diffs.get(prev, frame, w, h)
	if !s.started {
		out = append([]byte(enterScreen), out...)
		s.started = true
	}
	s.sent, s.last = frame, time.Now()
	_, _ = s.out.Write(out)
}

func (s *screen) restore() {
	if s.started {
		_, _ = io.WriteString(s.out, leaveScreen)
	}
}

// screenModel hands the program's frames and sizes to its screen; Bubble
// Tea runs without a renderer of its own.
type screenModel struct {
	tea.Model
	scr *screen
}

func (m screenModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	if ws, ok := msg.(tea.WindowSizeMsg); ok {
		m.scr.size(ws.Width, ws.Height)
	}
	next, cmd := m.Model.Update(msg)
	m.Model = next
	return m, cmd
}

// View gives the frame to the screen; Bubble Tea's renderer is off, so
// what it returns is not drawn.
func (m screenModel) View() string {
	m.scr.show(m.Model.View())
	return ""
}
