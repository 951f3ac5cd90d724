package sshroom

import (
	"context"
	"io"
	"sync"
	"sync/atomic"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	gossh "golang.org/x/crypto/ssh"

	"warroom/backends/room"
)

// ShutdownMsg is sent to every session program when the server shuts down,
// so the model can show a notice. Answering with tea.Quit ends the session
// at once; otherwise the server ends it after Options.ShutdownGrace.
type ShutdownMsg struct{}

// Session is one SSH session of a person from the roster.
type Session struct {
	ID          uint64
	User        User   // name and role (Keys is empty)
	Remote      string // client address
	Fingerprint string // SHA256 of the key that authenticated (the certified key for certificates)
	PTY         bool
	Term        string
	Width       int // initial size; the program gets tea.WindowSizeMsg on every resize
	Height      int
	Command     []string // what the client asked to run; empty for a shell
	Since       time.Time

	// Renderer is this session's own lipgloss renderer (its terminal's
	// colours and background). Never use the global one.
	Renderer *lipgloss.Renderer

	stdin    io.Reader
	in       *input // a PTY session's keyboard
	ctx      context.Context
	cancel   context.CancelCauseFunc
	ended    chan struct{} // closed once the program or command has returned
	ready    chan struct{} // closed once prog is set
	prog     *tea.Program
	scr      *screen         // draws the program's frames; nil for a command
	key      gossh.PublicKey // the verified key, checked again on a roster reload
	conn     io.Closer       // the connection, closed when access is withdrawn
	revoked  atomic.Pointer[string]
	farewell sync.Once
}

// SessionInfo is a session as the presence list shows it.
type SessionInfo struct {
	ID          uint64
	Name        string
	Role        room.Role
	Since       time.Time
	Remote      string
	Fingerprint string
	PTY         bool
}

// Context ends when the session ends (its program has returned or its
// command has finished), when the client closes the session or its
// connection, or when the person loses access in a roster reload. A
// command must stop with it: its slot is taken until it returns.
// Goroutines serving the session (a forwarder from a room subscription)
// should end with it.
func (s *Session) Context() context.Context { return s.ctx }

// Send hands msg to the session's program. It blocks until the program takes
// it, and returns at once once the session has ended; so call it from the
// session's own forwarder goroutine, never from a broadcaster.
func (s *Session) Send(msg tea.Msg) {
	select {
	case <-s.ready:
		s.prog.Send(msg)
	case <-s.ended:
	}
}

// closeScreen sends the program's last frame and restores the terminal.
func (s *Session) closeScreen() {
	if s.scr != nil {
		s.scr.close(screenCloseWait)
	}
}

// screenCloseWait bounds the wait for a session's last frame: a client
// that stopped reading holds it until its connection closes.
const screenCloseWait = time.Second

// isEnded reports whether the program or command has returned.
func (s *Session) isEnded() bool {
	select {
	case <-s.ended:
		return true
	default:
		return false
	}
}

// Stdin is the client's input of a command session (a PTY session's input
// belongs to its program).
func (s *Session) Stdin() io.Reader { return s.stdin }

func (s *Session) info() SessionInfo {
	return SessionInfo{ID: s.ID, Name: s.User.Name, Role: s.User.Role, Since: s.Since,
		Remote: s.Remote, Fingerprint: s.Fingerprint, PTY: s.PTY}
}

// attach records the program; Send waits for it.
func (s *Session) attach(p *tea.Program) {
	s.prog = p
	close(s.ready)
}

// program is the attached program, or nil for a command session.
func (s *Session) program() *tea.Program {
	select {
	case <-s.ready:
		return s.prog
	default:
		return nil
	}
}

// revokedWhy is why the person lost access, "" while they have it.
func (s *Session) revokedWhy() string {
	if why := s.revoked.Load(); why != nil {
		return *why
	}
	return ""
}
