package main

import (
	"context"
	"fmt"
	"io"
	"net/url"
	"os"
	"time"

	"warroom/backends/config"
	"warroom/backends/sim"
)

// cmdDemo starts a simulated fleet on loopback and opens the room on it, with
// nothing to configure. The fleet misbehaves on a schedule (see package sim)
// so the first minute already shows transitions, alerts and trends.
func cmdDemo(ctx context.Context, args []string, stderr io.Writer) error {
	var f roomFlags
	fs := newFlags("demo", stderr)
	fs.StringVar(&f.theme, "theme", "", "dark, light or high-contrast")
	fs.StringVar(&f.keymap, "keymap", "", "default or vim")
	n := fs.Int("mirrors", 8, "how many simulated mirrors")
	seed := fs.Int64("seed", 1, "seed for the simulation (same seed, same fleet)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *n < 1 || *n > 5000 {
		return usageError(fmt.Sprintf("demo: --mirrors %d: want 1 to 5000", *n))
	}
	fleet, err := sim.Start(sim.Options{Mirrors: *n, Seed: *seed, SyncEvery: 10 * time.Second})
	if err != nil {
		return fmt.Errorf("demo: start simulated fleet: %v", err)
	}
	defer fleet.Close()
	ctx, cancel := context.WithCancel(ctx)
	animated := make(chan struct{})
	go func() { fleet.Animate(ctx); close(animated) }()
	defer func() { cancel(); <-animated }() // before the fleet closes

	stateDir, err := os.MkdirTemp("", "warroom-demo-")
	if err != nil {
		return fmt.Errorf("demo: state folder: %v", err)
	}
	defer os.RemoveAll(stateDir)
	s, err := finish(demoConfig(fleet, stateDir), f)
	if err != nil {
		return err
	}
	return openRoom(ctx, s, true, stderr)
}

// demoLag gives the demo's mirrors each of the lag conventions in turn, so
// the demo shows all four working side by side.
var demoLag = []config.Lag{
	{Kind: config.LagTrace, Path: "/project/trace/master"},
	{Kind: config.LagJSON, Path: "/version.json"},
	{Kind: config.LagTrace, Path: "/project/trace/master"},
	{Kind: config.LagBeacon, Path: "/lastsync"},
	{Kind: config.LagLastModified, Path: "/lastsync"},
	{Kind: config.LagJSON, Path: "/version.json"},
}

// demoConfig describes the simulated fleet as a config, with short
// intervals and thresholds so the demo moves at a watchable pace. The
// timeout leaves room for the slow mirror's four sequential reads.
func demoConfig(fleet *sim.Fleet, stateDir string) *config.Config {
	health := config.Health{Path: "/health", Interval: 3 * time.Second, Timeout: 2500 * time.Millisecond, FailAfter: 2, RecoverAfter: 2}
	node := func(n *sim.Node, role string, lag config.Lag) config.Mirror {
		return config.Mirror{
			Name: n.Name, URL: mustURL(n.URL), Region: n.Region, Role: role,
			Health: health, Lag: lag, Manifest: "/manifest", Syncing: "/Archive-Update-in-Progress",
		}
	}
	cfg := config.Default()
	cfg.Site = "demo.mirrors (simulated)"
	cfg.StateDir = stateDir
	cfg.Origin = node(fleet.Origin(), "origin", config.Lag{Kind: config.LagJSON, Path: "/version.json"})
	ms := fleet.Mirrors()
	active := min(5, len(ms)-1) // a mirror the demo script leaves healthy
	for i, n := range ms {
		role := "backup"
		if i == active {
			role = "active"
		}
		m := node(n, role, demoLag[i%len(demoLag)])
		m.Priority = i + 1
		cfg.Mirrors = append(cfg.Mirrors, m)
	}
	cfg.Thresholds.LagWarning = time.Minute
	cfg.Thresholds.LagCritical = 3 * time.Minute
	cfg.Thresholds.Sustain = 10 * time.Second
	cfg.ApplyDefaults()
	return &cfg
}

// mustURL parses a URL the simulated fleet made itself.
func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(fmt.Sprintf("demo: simulated fleet gave a bad URL %q: %v", s, err))
	}
	return u
}
