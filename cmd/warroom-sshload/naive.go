package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/ssh"
	"github.com/charmbracelet/wish"
	"github.com/charmbracelet/wish/bubbletea"
	"github.com/jonboulle/clockwork"
	"github.com/muesli/termenv"

	"warroom/backends/config"
	"warroom/backends/hosts"
	"warroom/backends/mirrors"
	"warroom/backends/room"
	"warroom/keymaps"
	"warroom/themes"
	"warroom/tui"
)

// naiveCommand is the hidden first argument that runs this binary as the
// naive server (a child process, so its CPU is its own).
const naiveCommand = "naive-serve"

// naiveServe is the design warroom's sessions are measured against: a
// minimal wish server with one Bubble Tea program per session, each
// rendering the whole room itself (the same app, without the shared
// frames) through Bubble Tea's own renderer at the same frame rate (30,
// not its default 60: the comparison is of the rendering, not of the
// tick). It runs the room the config describes, with its probes and host
// samples, and no journal. It serves until SIGTERM.
func naiveServe(ctx context.Context, args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("%s CONFIG: want the config's path", naiveCommand)
	}
	cfg, err := config.Load(args[0])
	if err != nil {
		return err
	}
	clock := clockwork.NewRealClock()
	r, err := room.New(room.Options{Config: cfg, Clock: clock})
	if err != nil {
		return err
	}
	go func() { _ = r.Run(ctx) }()
	sched := mirrors.NewScheduler(mirrors.NewProber(mirrors.ProberOptions{Clock: clock, Speed: 1}), clock, r.ObserveProbe)
	go sched.Run(ctx, append([]config.Mirror{cfg.Origin}, cfg.Mirrors...))
	sampler := hosts.NewSampler(hosts.Options{DiskPath: cfg.Hosts.DiskPath})
	go sampler.Run(ctx, clock, cfg.Hosts.Interval, r.ObserveHost)

	srv, err := wish.NewServer(
		wish.WithHostKeyPath(filepath.Join(cfg.StateDir, "naive_host_ed25519")),
		wish.WithPublicKeyAuth(func(ssh.Context, ssh.PublicKey) bool { return true }), // loopback, this run's keys
		wish.WithMiddleware(bubbletea.MiddlewareWithProgramHandler(func(sess ssh.Session) *tea.Program {
			return naiveProgram(r, cfg, sess)
		}, termenv.ANSI256)),
	)
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "naive: listening on %s, host key made for this run\n", ln.Addr())
	go func() { _ = srv.Serve(ln) }()
	<-ctx.Done()
	sctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return srv.Close()
}

// naiveProgram is one session: its own renderer, theme and app, fed
// every snapshot, as the real server does, with nothing shared.
func naiveProgram(r *room.Room, cfg *config.Config, sess ssh.Session) *tea.Program {
	th, err := themes.New(cfg.Theme, bubbletea.MakeRenderer(sess))
	if err != nil {
		fmt.Fprintf(os.Stderr, "naive: theme: %v\n", err)
		return nil
	}
	actor := room.Actor{Name: sess.User(), Role: room.RoleObserver}
	presence, _ := r.Join(sess.Context(), actor, room.Presence{Via: "ssh", Remote: sess.RemoteAddr().String()})
	s := tui.NewSession(r.Subscribe(), tui.Options{Room: r, Theme: th, Keymap: keymaps.Default(), Actor: actor,
		PresenceID: presence, LagWarn: cfg.Thresholds.LagWarning, LagCrit: cfg.Thresholds.LagCritical,
		Snapshot: r.Snapshot(), Context: sess.Context()})
	p := tea.NewProgram(s.Model, append(bubbletea.MakeOptions(sess), tea.WithAltScreen(), tea.WithFPS(tui.FPS))...)
	go func() {
		s.Feed(sess.Context().Done(), p.Send)
		r.Leave(presence)
	}()
	return p
}
