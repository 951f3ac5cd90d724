package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"warroom/backends/config"
	"warroom/backends/room"
	"warroom/themes"
	"warroom/tui"
	"warroom/tui/sshroom"
)

// sshRoom is what an SSH server of the room needs: the running room and the
// choices of its config. `warroom serve`, `warroom demo --serve` and the
// tests build their server with newSSHServer from it, so they run the same code.
type sshRoom struct {
	setup   *setup
	live    *live
	roster  *sshroom.Roster
	addr    string
	hostKey string
	limits  config.Serve // idle timeout, max sessions, auth failures
	logf    func(format string, args ...any)
	// grace is how long sessions get to show the shutdown notice; 0 = sshroom's default.
	grace time.Duration
	// renders is shared by every session of the server.
	renders *tui.RenderCache
}

// newSSHServer builds the SSH server of a running room: one tui program per
// PTY session, the binary's commands for the others.
func newSSHServer(sr *sshRoom) (*sshroom.Server, error) {
	if sr.renders == nil {
		sr.renders = tui.NewRenderCache()
	}
	return sshroom.New(sshroom.Options{
		Addr:              sr.addr,
		HostKeyPath:       sr.hostKey,
		Roster:            sr.roster,
		Program:           sr.program,
		Command:           sr.command,
		IdleTimeout:       sr.limits.IdleTimeout,
		MaxSessions:       sr.limits.MaxSessions,
		AuthRatePerMinute: sr.limits.AuthFailuresPerIP,
		ShutdownGrace:     sr.grace,
		FPS:               tui.FPS,
		Logf:              sr.logf,
	})
}

// program builds one session's app: its own theme from its own renderer,
// its own focus and scroll, the room shared. The session's forwarder ends
// with the program (not with the connection, which may carry other
// sessions), and the person leaves the room after it.
func (sr *sshRoom) program(s *sshroom.Session) (tea.Model, []tea.ProgramOption) {
	th, err := themes.New(sr.setup.themeName, s.Renderer)
	if err != nil { // checked at load; a failure here is a bug, shown to the log
		sr.logf("ssh: session %d: theme: %v", s.ID, err)
		return nil, nil
	}
	actor := room.Actor{Name: s.User.Name, Role: s.User.Role}
	r := sr.live.door
	ctx, cancel := context.WithTimeout(s.Context(), 5*time.Second)
	presence, err := r.Join(ctx, actor, room.Presence{Via: "ssh", Remote: s.Remote})
	cancel()
	if err != nil {
		sr.logf("ssh: session %d: %s could not join the room: %v", s.ID, actor.Name, err)
	}
	opts := sessionOptions(sr.setup, sr.live, th, actor, presence)
	opts.Shared = sr.renders.For(th, s.Renderer, string(actor.Role))
	opts.Context = s.Context() // room calls end with the session
	sess := tui.NewSession(r.Subscribe(), opts)
	go func() {
		sess.Feed(s.Context().Done(), s.Send) // Send waits for this session only
		if presence != "" {
			r.Leave(presence)
		}
	}()
	return &sessionModel{Model: sess.Model, th: th}, tui.ProgramOptions()
}

// command runs a non-interactive session (`ssh warroom status`) against the
// server's own room, as the SSH user, and returns the exit status. It stops
// when the session's context ends: the client hung up (a waiting approval
// must not hold a session slot for its ten minutes) or lost access.
func (sr *sshRoom) command(s *sshroom.Session, args []string, stdout, stderr io.Writer) int {
	actor := room.Actor{Name: s.User.Name, Role: s.User.Role}
	ctx := s.Context()
	err := remoteCommand(ctx, sr, args, s.Stdin(), stdout, stderr, actor)
	if ctx.Err() != nil && errors.Is(err, context.Canceled) {
		return 1 // nobody to tell, or the server tells why
	}
	return remoteExit(err, stderr)
}

// shutdownNotice is the line a session shows when the server stops.
const shutdownNotice = " the server is shutting down: reconnect in a moment "

// sessionModel is the room app of one SSH session, which also understands
// the server's notices (shutting down, access withdrawn): it shows the
// notice and quits.
type sessionModel struct {
	*tui.Model
	th     *themes.Theme
	notice string // the last frame's first line, once the server ends the session
}

func (m *sessionModel) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case sshroom.ShutdownMsg:
		m.notice = shutdownNotice
		return m, tea.Quit
	case sshroom.RevokedMsg:
		m.notice = " " + msg.Why + " "
		return m, tea.Quit
	}
	next, cmd := m.Model.Update(msg)
	if tm, ok := next.(*tui.Model); ok {
		m.Model = tm
	}
	return m, cmd
}

// View puts the notice over the first line, so the last frame the
// session sends says why it ends.
func (m *sessionModel) View() string {
	v := m.Model.View()
	if m.notice == "" {
		return v
	}
	notice := m.th.Banner.Render(m.notice)
	if i := strings.IndexByte(v, '\n'); i >= 0 {
		return notice + v[i:]
	}
	return notice
}

// rosterSource is the serve: section's users, authorized_keys file and
// trusted CAs as the SSH layer reads them.
func rosterSource(cfg *config.Config) sshroom.RosterSource {
	src := sshroom.RosterSource{AuthorizedKeysFile: cfg.Serve.AuthorizedKeys, CAKeys: cfg.Serve.UserCAs}
	where := cfg.Path
	if where == "" {
		where = "config"
	}
	for _, u := range cfg.Serve.Users {
		src.Users = append(src.Users, sshroom.User{Name: u.Name, Role: room.Role(u.Role), Keys: u.Keys,
			Origin: fmt.Sprintf("%s:%d", where, u.Line)})
	}
	return src
}
