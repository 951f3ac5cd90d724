package sshroom

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	"github.com/charmbracelet/wish/bubbletea"
	"github.com/muesli/termenv"
	gossh "golang.org/x/crypto/ssh"
)

// Server is the SSH front door of the room: public keys from the roster
// only, one Bubble Tea program or command per session.
type Server struct {
	opts    Options
	ssh     *ssh.Server
	limiter *failLimiter
	diffs   *lineDiffs // frame-to-frame bytes shared by the sessions
	hostFP  string
	closing atomic.Bool

	mu       sync.Mutex
	ln       net.Listener
	nextID   uint64
	sessions map[ssh.Session]*Session
	conns    map[*trackedConn]struct{}
}

// New builds the server; production and tests use the same constructor.
func New(opts Options) (*Server, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(opts.HostKeyPath), 0o700); err != nil {
		return nil, fmt.Errorf("sshroom: host key directory: %w", err)
	}
	s := &Server{
		opts:     opts,
		limiter:  newFailLimiter(opts.AuthRatePerMinute, opts.Now),
		diffs:    newLineDiffs(),
		sessions: map[ssh.Session]*Session{},
		conns:    map[*trackedConn]struct{}{},
	}
	srv, err := wish.NewServer(
		wish.WithAddress(opts.Addr),
		wish.WithVersion("warroom"),
		wish.WithHostKeyPath(opts.HostKeyPath),
		wish.WithIdleTimeout(opts.IdleTimeout),
		wish.WithPublicKeyAuth(s.publicKeyAuth),
		// Listed first runs last: sessionMiddleware wraps everything.
		wish.WithMiddleware(
			s.commandMiddleware,
			bubbletea.MiddlewareWithProgramHandler(s.programHandler, termenv.ANSI256),
			s.sessionMiddleware,
		),
		ssh.WrapConn(s.wrapConn),
		func(srv *ssh.Server) error {
			srv.ServerConfigCallback = s.serverConfig
			srv.ConnectionFailedCallback = s.connFailed
			srv.ChannelHandlers = map[string]ssh.ChannelHandler{"session": sessionChannel}
			return nil
		},
	)
	if err != nil {
		return nil, fmt.Errorf("sshroom: host key %s: %w (delete it to have a new one made, and tell the users the fingerprint changed)", opts.HostKeyPath, err)
	}
	if len(srv.HostSigners) == 0 {
		return nil, fmt.Errorf("sshroom: host key %s: no key loaded", opts.HostKeyPath)
	}
	s.hostFP = gossh.FingerprintSHA256(srv.HostSigners[0].PublicKey())
	s.ssh = srv
	return s, nil
}

// HostKeyFingerprint is the SHA256 fingerprint users can check on first connect.
func (s *Server) HostKeyFingerprint() string { return s.hostFP }

// Listen binds Options.Addr; Addr then tells the actual address.
func (s *Server) Listen() error {
	addr := s.opts.Addr
	if addr == "" {
		addr = ":22"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("sshroom: listen on %s: %w", addr, err)
	}
	s.mu.Lock()
	s.ln = ln
	s.mu.Unlock()
	return nil
}

// Addr is the bound address ("" before Listen).
func (s *Server) Addr() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ln == nil {
		return ""
	}
	return s.ln.Addr().String()
}

// Serve accepts connections until Shutdown or Close, then returns nil.
func (s *Server) Serve() error {
	s.mu.Lock()
	ln := s.ln
	s.mu.Unlock()
	if ln == nil {
		return errors.New("sshroom: Serve before Listen")
	}
	s.opts.Logf("ssh: listening on %s, host key %s", ln.Addr(), s.hostFP)
	err := s.ssh.Serve(ln)
	if s.closing.Load() || errors.Is(err, ssh.ErrServerClosed) {
		return nil
	}
	return err
}

// ListenAndServe is Listen then Serve.
func (s *Server) ListenAndServe() error {
	if err := s.Listen(); err != nil {
		return err
	}
	return s.Serve()
}

// Sessions lists the open sessions, oldest first, for presence.
func (s *Server) Sessions() []SessionInfo {
	s.mu.Lock()
	out := make([]SessionInfo, 0, len(s.sessions))
	for _, ws := range s.sessions {
		out = append(out, ws.info())
	}
	s.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// shutdownStep bounds each of the steps after the grace period: asking the
// remaining programs to quit, then killing the ones that did not.
const shutdownStep = 250 * time.Millisecond

// Shutdown tells every session program (ShutdownMsg), gives the sessions
// Options.ShutdownGrace (or until ctx ends) to finish, asks the rest to quit,
// kills the stuck ones, and closes every connection. A TUI never ends by
// itself, so waiting for sessions without telling them would never return.
func (s *Server) Shutdown(ctx context.Context) error {
	s.closing.Store(true)
	s.closeListener()
	open := s.openSessions()
	for _, ws := range open {
		if ws.PTY {
			go ws.Send(ShutdownMsg{})
		}
	}
	s.endTold(ctx, open)
	return s.Close()
}

// endTold ends sessions that were told to end: it gives them
// Options.ShutdownGrace, asks the programs still running to quit, and
// kills the ones that did not, each step bounded and cut short by ctx.
func (s *Server) endTold(ctx context.Context, sessions []*Session) {
	waitSessions(ctx, sessions, s.opts.ShutdownGrace)
	for _, ws := range sessions {
		if p := ws.program(); p != nil && !ws.isEnded() {
			go p.Quit() // returns when the program ends, at the latest
		}
	}
	waitSessions(ctx, sessions, shutdownStep)
	for _, ws := range sessions {
		if p := ws.program(); p != nil && !ws.isEnded() {
			p.Kill()
		}
	}
	waitSessions(ctx, sessions, shutdownStep)
}

// waitSessions waits until the sessions have ended, d has passed or ctx ends.
func waitSessions(ctx context.Context, sessions []*Session, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	for _, ws := range sessions {
		select {
		case <-ws.ended:
		case <-t.C:
			return
		case <-ctx.Done():
			return
		}
	}
}

// Close ends everything at once, without notice.
func (s *Server) Close() error {
	s.closing.Store(true)
	s.closeListener()
	err := s.ssh.Close()
	s.mu.Lock()
	conns := make([]*trackedConn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns { // connections still in their handshake
		_ = c.Close()
	}
	if errors.Is(err, net.ErrClosed) {
		err = nil
	}
	return err
}

func (s *Server) closeListener() {
	s.mu.Lock()
	ln := s.ln
	s.mu.Unlock()
	if ln != nil {
		_ = ln.Close()
	}
}

func (s *Server) openSessions() []*Session {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*Session, 0, len(s.sessions))
	for _, ws := range s.sessions {
		out = append(out, ws)
	}
	return out
}
