package sshroom

import (
	"context"
	"fmt"
	"runtime/debug"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish/bubbletea"
	gossh "golang.org/x/crypto/ssh"
)

// sessionMiddleware is the outermost handler: identity, limits, the
// register of open sessions, keepalives, terminal sizes clamped, the
// terminal query. It unregisters after next returns (the program or
// command has ended), not when the session's context ends.
func (s *Server) sessionMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		sess = bound(sess)
		addr := sess.RemoteAddr().String()
		u, fp, err := s.identify(sess)
		if err != nil {
			s.opts.Logf("ssh: session %s: refused: %v", addr, err)
			refuse(sess, "your key is not (or no longer) in the roster")
			return
		}
		ws, err := s.register(sess, u, fp)
		if err != nil {
			s.opts.Logf("ssh: session %s %s: refused: %v", addr, u.Name, err)
			refuse(sess, err.Error())
			return
		}
		s.opts.Logf("ssh: session %d %s: %s (%s) key %s, pty %v %dx%d, command %q", ws.ID, addr, u.Name, u.Role, fp, ws.PTY, ws.Width, ws.Height, ws.Command)
		defer s.unregister(ws)
		defer ws.closeScreen()
		defer func() {
			if r := recover(); r != nil {
				s.opts.Logf("ssh: session %d %s: panic: %v\n%s", ws.ID, u.Name, r, debug.Stack())
				refuse(sess, "internal error; the server logged it")
			}
		}()
		if conn, ok := sess.Context().Value(ssh.ContextKeyConn).(gossh.Conn); ok {
			ws.conn = conn
			go s.keepAlive(ws, conn)
		}
		if ws.PTY {
			s.startInput(sess, ws)
		}
		next(sess)
		ws.closeScreen() // the last frame and the terminal restored before any farewell
		s.farewell(sess, ws)
		// The exit status goes before the session counts as ended: Shutdown
		// closes the connections once every session has ended. (A status
		// already sent makes this a no-op.)
		_ = sess.Exit(0)
	}
}

// farewell tells a session's client, once, why the server ended it: its
// access was withdrawn or the server is stopping. A withdrawn session
// exits 1.
func (s *Server) farewell(sess ssh.Session, ws *Session) {
	ws.farewell.Do(func() {
		switch why := ws.revokedWhy(); {
		case why != "":
			_, _ = fmt.Fprintf(sess.Stderr(), "warroom: %s\r\n", why)
			_ = sess.Exit(1)
		case s.closing.Load():
			_, _ = fmt.Fprint(sess.Stderr(), "warroom: the server is shutting down; reconnect in a moment\r\n")
		}
	})
}

func refuse(sess ssh.Session, why string) {
	_, _ = fmt.Fprintf(sess.Stderr(), "warroom: %s\r\n", why)
	_ = sess.Exit(1)
}

func (s *Server) register(sess ssh.Session, u User, fp string) (*Session, error) {
	pty, _, isPty := sess.Pty()
	ctx, cancel := context.WithCancelCause(sess.Context())
	ws := &Session{
		User:        User{Name: u.Name, Role: u.Role},
		Remote:      sess.RemoteAddr().String(),
		Fingerprint: fp,
		PTY:         isPty,
		Term:        pty.Term,
		Width:       pty.Window.Width,
		Height:      pty.Window.Height,
		Command:     sess.Command(),
		Since:       s.opts.Now(),
		stdin:       sess,
		ctx:         ctx,
		cancel:      cancel,
		ended:       make(chan struct{}),
		ready:       make(chan struct{}),
		key:         sess.PublicKey(),
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closing.Load() {
		cancel(nil)
		return nil, fmt.Errorf("the server is shutting down")
	}
	if len(s.sessions) >= s.opts.MaxSessions {
		cancel(nil)
		return nil, fmt.Errorf("the server is full (%d sessions); try again later", s.opts.MaxSessions)
	}
	s.nextID++
	ws.ID = s.nextID
	s.sessions[sess] = ws
	return ws, nil
}

func (s *Server) unregister(ws *Session) {
	s.mu.Lock()
	for k, v := range s.sessions {
		if v == ws {
			delete(s.sessions, k)
		}
	}
	s.mu.Unlock()
	close(ws.ended)
	ws.cancel(nil)
	s.opts.Logf("ssh: session %d %s: %s ended after %s", ws.ID, ws.Remote, ws.User.Name, s.opts.Now().Sub(ws.Since).Round(time.Millisecond))
}

func (s *Server) lookup(sess ssh.Session) *Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessions[sess]
}

// programHandler builds the session's program; nil passes the session on to
// commandMiddleware (no PTY, a command given, or no Program configured).
func (s *Server) programHandler(sess ssh.Session) *tea.Program {
	ws := s.lookup(sess)
	if ws == nil || s.opts.Program == nil || !ws.PTY || len(ws.Command) > 0 {
		return nil
	}
	m, opts := s.opts.Program(ws)
	if m == nil {
		return nil
	}
	// The session's screen draws, not Bubble Tea's renderer (screen.go).
	ws.scr = newScreen(sess, s.diffs, s.opts.FPS)
	opts = append(append([]tea.ProgramOption(nil), opts...),
		tea.WithInput(ws.in), tea.WithOutput(sess),
		tea.WithoutSignalHandler(), tea.WithoutRenderer())
	p := tea.NewProgram(screenModel{Model: m, scr: ws.scr}, opts...)
	ws.attach(p)
	return p
}

// commandMiddleware runs sessions that have no program.
func (s *Server) commandMiddleware(next ssh.Handler) ssh.Handler {
	return func(sess ssh.Session) {
		ws := s.lookup(sess)
		if ws == nil || ws.program() != nil {
			next(sess)
			return
		}
		if s.opts.Command == nil {
			refuse(sess, "this server runs no commands; connect with a terminal (ssh -t)")
			return
		}
		if ws.Renderer == nil {
			ws.Renderer = bubbletea.MakeRenderer(sess)
		}
		code := s.opts.Command(ws, ws.Command, sess, sess.Stderr())
		s.opts.Logf("ssh: session %d %s: command %q by %s exited %d", ws.ID, ws.Remote, ws.Command, ws.User.Name, code)
		s.farewell(sess, ws) // before the exit status closes the channel
		_ = sess.Exit(code)
		next(sess)
	}
}

// keepAlive asks the client for a reply every third of the idle timeout and
// closes the connection if none comes within the idle timeout. Our own writes
// push the idle deadline on, so without this a dead peer of a busy room would
// never time out, and a live but quiet one would.
func (s *Server) keepAlive(ws *Session, conn gossh.Conn) {
	t := time.NewTicker(max(s.opts.IdleTimeout/3, time.Millisecond))
	defer t.Stop()
	for {
		select {
		case <-ws.ctx.Done():
			return
		case <-t.C:
		}
		reply := make(chan error, 1)
		go func() {
			_, _, err := conn.SendRequest("keepalive@openssh.com", true, nil)
			reply <- err
		}()
		timeout := time.NewTimer(s.opts.IdleTimeout)
		select {
		case err := <-reply:
			timeout.Stop()
			if err != nil {
				return
			}
		case <-timeout.C:
			s.opts.Logf("ssh: session %d %s: %s: no keepalive reply within %s, closing", ws.ID, ws.Remote, ws.User.Name, s.opts.IdleTimeout)
			_ = conn.Close()
			return
		case <-ws.ctx.Done():
			timeout.Stop()
			return
		}
	}
}
