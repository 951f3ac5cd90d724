package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"

	"github.com/jonboulle/clockwork"

	"warroom/backends/config"
	"warroom/backends/hosts"
	"warroom/backends/journal"
	"warroom/backends/mirrors"
	"warroom/backends/room"
	"warroom/themes"
	"warroom/tui"
)

// cmdRoom opens the room on the configured fleet.
func cmdRoom(ctx context.Context, args []string, stderr io.Writer) error {
	s, err := loadFromArgs("warroom", args, stderr)
	if err != nil {
		return err
	}
	return openRoom(ctx, s, false, stderr)
}

// journalPath is where a config's journal lives.
func journalPath(cfg *config.Config) string {
	return filepath.Join(cfg.StateDir, "journal.jsonl")
}

// openRoom runs the whole live room: journal, room, probes, host sampler and
// the terminal app, until the user quits or ctx ends. Everything it starts
// has stopped when it returns.
func openRoom(ctx context.Context, s *setup, demo bool, stderr io.Writer) error {
	clock := clockwork.NewRealClock()
	j, records, err := journal.Open(journalPath(s.cfg), journal.Options{
		Logf: func(format string, args ...any) { fmt.Fprintf(stderr, "journal: "+format+"\n", args...) },
	})
	if err != nil {
		return err
	}
	defer j.Close()
	r, err := room.New(room.Options{Config: s.cfg, Journal: j, Replay: records, Clock: clock, Demo: demo})
	if err != nil {
		return err
	}
	th, err := themes.New(s.themeName, renderer(os.Stdout))
	if err != nil {
		return err
	}

	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()
	start := func(fn func()) {
		wg.Add(1)
		go func() { defer wg.Done(); fn() }()
	}
	start(func() { _ = r.Run(ctx) })
	prober := mirrors.NewProber(mirrors.ProberOptions{Clock: clock})
	sched := mirrors.NewScheduler(prober, clock, r.ObserveProbe)
	start(func() { sched.Run(ctx, append([]config.Mirror{s.cfg.Origin}, s.cfg.Mirrors...)) })
	sampler := hosts.NewSampler(hosts.Options{DiskPath: s.cfg.Hosts.DiskPath})
	start(func() { sampler.Run(ctx, clock, s.cfg.Hosts.Interval, r.ObserveHost) })

	return tui.Run(ctx, r.Subscribe(), tui.Options{
		Room: r, Theme: th, Keymap: s.keymap, Actor: actor(),
		LagWarn: s.cfg.Thresholds.LagWarning, LagCrit: s.cfg.Thresholds.LagCritical,
	})
}
