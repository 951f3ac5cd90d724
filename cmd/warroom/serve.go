package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"runtime/debug"
	"syscall"
	"time"

	"warroom/backends/config"
	"warroom/backends/room"
	"warroom/tui/sshroom"
)

// shutdownBudget bounds a SIGTERM: sessions are told, given a moment, then
// closed, and the room stops with its journal synced, all within 2 s.
const shutdownBudget = 1500 * time.Millisecond

// cmdServe runs one room and serves it over SSH until SIGTERM or SIGINT.
// SIGHUP re-reads the config's people (users, authorized_keys file,
// trusted CAs): whoever it removes or gives another role is told and
// disconnected, everyone else stays.
func cmdServe(ctx context.Context, args []string, stderr io.Writer) error {
	var f roomFlags
	fs := newFlags("serve", stderr)
	f.register(fs)
	listen := fs.String("listen", "", "address to listen on (default serve.listen, else :2222)")
	if err := parse(fs, args); err != nil {
		return err
	}
	s, err := load(f)
	if err != nil {
		return err
	}
	if *listen != "" {
		s.cfg.Serve.Listen = *listen
	}
	return serveRoom(ctx, s, configPath(f.config), liveOptions{readOnly: s.readOnly}, stderr)
}

// serveRoom is serve's work once its config is loaded: o says what the
// room runs besides (the cluster demo's nodes add their own); path is
// re-read on SIGHUP.
func serveRoom(ctx context.Context, s *setup, path string, o liveOptions, stderr io.Writer) error {
	if os.Getenv("GOGC") == "" {
		// Sessions' renders are short-lived garbage: collecting half as
		// often saved 13 % of the server's CPU with 100 viewers for 0.1 MB
		// more per session (docs/measurements.md). A big fleet's probe
		// state is live heap that GOGC multiplies (200 held 750 MB at
		// 10,000 mirrors), while its garbage is a few MB a second: from
		// bigGCFleet mirrors collecting at +50 % costs about 1 % of a core
		// and keeps RSS near the live heap. GOGC still overrides.
		gc := 200
		if len(s.cfg.Mirrors) >= bigGCFleet {
			gc = 50
		}
		debug.SetGCPercent(gc)
	}
	o.debug = startDebug(stderr)
	logger := log.New(stderr, "", log.LstdFlags|log.Lmicroseconds)
	src := rosterSource(s.cfg)
	roster, problems, err := sshroom.LoadRoster(src)
	if err != nil {
		return fmt.Errorf("serve: roster: %v", err)
	}
	for _, p := range problems {
		logger.Printf("roster: %v", p)
	}
	// The room outlives the signal: sessions leave it, and it journals
	// their departures, while the server shuts down; Close stops it.
	o.control, o.cluster, o.signal = true, true, ctx
	l, err := startLive(context.WithoutCancel(ctx), s.cfg, o, stderr)
	if err != nil {
		return err
	}
	defer l.Close() // last: the room stops and the journal is synced and closed
	// Local commands (control socket) take their roles from this roster,
	// and so follow its reloads.
	l.roster.Store(roster)
	srv, err := newSSHServer(&sshRoom{setup: s, live: l, roster: roster, addr: s.cfg.Serve.Listen,
		hostKey: s.cfg.HostKeyPath(), limits: s.cfg.Serve, logf: logger.Printf})
	if err != nil {
		return err
	}
	if err := srv.Listen(); err != nil {
		return err
	}
	logger.Printf("serve: %s on %s, host key %s (%s); %d people in the roster", s.cfg.Site, srv.Addr(), srv.HostKeyFingerprint(), s.cfg.HostKeyPath(), len(roster.Users()))
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	served, handedOver := make(chan struct{}), make(chan struct{})
	go func() { // on SIGTERM a leader steps down while its sessions are told
		defer close(handedOver)
		select {
		case <-ctx.Done():
			l.handOver(logger.Printf)
		case <-served:
		}
	}()
	defer func() { close(served); <-handedOver }()
	err = serveUntil(ctx, srv, logger.Printf, func() { reloadRoster(srv, roster, path, logger.Printf) }, hup)
	settleLeaves(l.room, leaveBudget)
	return err
}

// reloadRoster re-reads the config at path and hands its people to the
// server. A config that no longer loads changes nothing: the log says why
// and that the previous roster stays in force.
func reloadRoster(srv *sshroom.Server, roster *sshroom.Roster, path string, logf func(string, ...any)) {
	cfg, err := config.Load(path)
	if err != nil {
		logf("roster: reload: %v; the previous roster stays in force", err)
		return
	}
	for _, p := range srv.Reload(rosterSource(cfg)) {
		logf("roster: %v", p)
	}
	logf("roster reloaded from %s: %d people", path, len(roster.Users()))
}

// bigGCFleet: from this many mirrors serve collects at GOGC 50.
const bigGCFleet = 1000

// leaveBudget is how long a stopping server waits for the ended sessions'
// departures to reach the journal.
const leaveBudget = 300 * time.Millisecond

// settleLeaves waits (up to d) until no SSH session is present any more,
// then until the room has journaled everything queued: the sessions a
// shutdown ended leave the journal saying they left.
func settleLeaves(r *room.Room, d time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	sub := r.Subscribe()
	defer sub.Close()
	for gone := false; !gone; {
		select {
		case snap := <-sub.C():
			gone = true
			for _, p := range snap.Presence {
				gone = gone && p.Via != "ssh"
			}
		case <-ctx.Done():
			return
		}
	}
	_ = r.Settle(ctx)
}

// serveUntil serves until ctx ends, reloading on each hup, then tells every
// session and shuts the server down within shutdownBudget.
func serveUntil(ctx context.Context, srv *sshroom.Server, logf func(string, ...any), reload func(), hup <-chan os.Signal) error {
	served := make(chan error, 1)
	go func() { served <- srv.Serve() }()
	for {
		select {
		case err := <-served:
			return err
		case <-hup:
			reload()
			continue
		case <-ctx.Done():
		}
		break
	}
	start := time.Now()
	n := len(srv.Sessions())
	sctx, cancel := shutdownContext()
	defer cancel()
	err := srv.Shutdown(sctx)
	<-served
	logf("serve: stopped; %d sessions told and closed in %s", n, time.Since(start).Round(time.Millisecond))
	return err
}

// shutdownContext bounds a server's shutdown by shutdownBudget.
func shutdownContext() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), shutdownBudget)
}
