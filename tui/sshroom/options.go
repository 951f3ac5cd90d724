package sshroom

import (
	"errors"
	"fmt"
	"io"
	"log"
	"time"

	tea "github.com/charmbracelet/bubbletea"
)

// Options configure a Server. Zero values take the defaults below.
type Options struct {
	Addr        string // listen address, e.g. ":2222" or "127.0.0.1:0"
	HostKeyPath string // ed25519 host key; created on first start and reused after
	Roster      *Roster

	// Program builds the model of one interactive (PTY) session. Styles must
	// come from s.Renderer. Returning a nil model hands the session to
	// Command. The server adds input, output and no signal handler, and
	// draws the frames itself, full screen (the alternate screen), sending
	// a frame's changed lines when its view changed.
	Program func(s *Session) (tea.Model, []tea.ProgramOption)
	// Command runs a non-interactive session (`ssh warroom status`, or a
	// PTY session with a command) and returns its exit status.
	Command func(s *Session, args []string, stdout, stderr io.Writer) int

	IdleTimeout       time.Duration // a silent peer is closed after it; default 10 min; keepalives keep live ones
	MaxSessions       int           // sessions open at once; default 256
	AuthRatePerMinute int           // failed authentications per remote IP per minute before it is refused; default 30
	HandshakeTimeout  time.Duration // from TCP accept to authenticated; default 10 s
	ShutdownGrace     time.Duration // how long sessions get to show the shutdown notice and end; default 1 s
	FPS               int           // frame rate cap of session screens (a lone change goes at once); default 30

	// Logf logs every connection, authentication attempt and session;
	// default log.Printf.
	Logf func(format string, args ...any)
	// Now is the clock for session times and the failure rate; default time.Now.
	Now func() time.Time
}

// Defaults of Options.
const (
	DefaultIdleTimeout       = 10 * time.Minute
	DefaultMaxSessions       = 256
	DefaultAuthRatePerMinute = 30
	DefaultHandshakeTimeout  = 10 * time.Second
	DefaultShutdownGrace     = time.Second
	DefaultFPS               = 30
)

func (o Options) withDefaults() (Options, error) {
	if o.Roster == nil {
		return o, errors.New("sshroom: Options.Roster is nil: load one with LoadRoster")
	}
	if o.HostKeyPath == "" {
		return o, errors.New("sshroom: Options.HostKeyPath is empty: give a fixed path so clients see the same host key after a restart")
	}
	for name, d := range map[string]time.Duration{"IdleTimeout": o.IdleTimeout, "HandshakeTimeout": o.HandshakeTimeout, "ShutdownGrace": o.ShutdownGrace} {
		if d < 0 {
			return o, fmt.Errorf("sshroom: Options.%s is negative (%s)", name, d)
		}
	}
	if o.MaxSessions < 0 || o.AuthRatePerMinute < 0 || o.FPS < 0 {
		return o, fmt.Errorf("sshroom: MaxSessions (%d), AuthRatePerMinute (%d) and FPS (%d) must not be negative", o.MaxSessions, o.AuthRatePerMinute, o.FPS)
	}
	if o.IdleTimeout == 0 {
		o.IdleTimeout = DefaultIdleTimeout
	}
	if o.MaxSessions == 0 {
		o.MaxSessions = DefaultMaxSessions
	}
	if o.AuthRatePerMinute == 0 {
		o.AuthRatePerMinute = DefaultAuthRatePerMinute
	}
	if o.HandshakeTimeout == 0 {
		o.HandshakeTimeout = DefaultHandshakeTimeout
	}
	if o.ShutdownGrace == 0 {
		o.ShutdownGrace = DefaultShutdownGrace
	}
	if o.FPS == 0 {
		o.FPS = DefaultFPS
	}
	if o.Logf == nil {
		o.Logf = log.Printf
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	return o, nil
}
