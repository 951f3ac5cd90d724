package room

import (
	"context"
	"math/rand/v2"
	"net/url"
	"os"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"warroom/backends/config"
	"warroom/backends/mirrors"
	"warroom/backends/sim"
)

// instantClock is the fleet's view of the test's fake clock: its waits
// (the simulated latency) end at once, so a probe never waits for the
// test to move the clock. Faults still follow the clock.
type instantClock struct{ *clockwork.FakeClock }

func (c instantClock) NewTimer(time.Duration) clockwork.Timer { return c.FakeClock.NewTimer(0) }

// demoLatency is what a probe of the demo's mirror i would measure at
// since after the start, had the fleet's waits not been skipped (sim's
// package doc): a base of 2–12 ms plus 5–25 ms of jitter, and for the
// slow mirror (i = 4) +400 ms (plus 0–200 ms) for 30 s of every 90 s,
// first from 30 s on. Real loopback timing on a loaded test machine is
// not the demo's, so it is left out.
func demoLatency(i int, since time.Duration, rng *rand.Rand) time.Duration {
	ms := time.Millisecond
	d := time.Duration(2+2*i)*ms + time.Duration(rng.IntN(5+4*i))*ms
	if i == 4 && since >= 30*time.Second && (since-30*time.Second)%(90*time.Second) < 30*time.Second {
		d += 400*ms + time.Duration(rng.IntN(200))*ms
	}
	return d
}

// demoFleetConfig is cmd/warroom's demo config for fleet: 3 s probes, down
// after 2 failures, lag warning at 1m and critical at 3m, the sixth mirror
// active, each lag convention in turn.
func demoFleetConfig(t *testing.T, fleet *sim.Fleet) *config.Config {
	t.Helper()
	lags := []config.Lag{{Kind: config.LagTrace, Path: "/project/trace/master"}, {Kind: config.LagJSON, Path: "/version.json"},
		{Kind: config.LagBeacon, Path: "/lastsync"}, {Kind: config.LagLastModified, Path: "/lastsync"}}
	health := config.Health{Path: "/health", Interval: 3 * time.Second, Timeout: 2500 * time.Millisecond, FailAfter: 2, RecoverAfter: 2}
	node := func(n *sim.Node, role string, lag config.Lag) config.Mirror {
		u, err := url.Parse(n.URL)
		if err != nil {
			t.Fatal(err)
		}
		return config.Mirror{Name: n.Name, URL: u, Region: n.Region, Role: role, Health: health, Lag: lag,
			Manifest: "/manifest", Syncing: "/Archive-Update-in-Progress"}
	}
	cfg := config.Default()
	cfg.Site = "demo"
	cfg.Origin = node(fleet.Origin(), "origin", config.Lag{Kind: config.LagJSON, Path: "/version.json"})
	for i, n := range fleet.Mirrors() {
		role := "backup"
		if i == 5 {
			role = "active"
		}
		cfg.Mirrors = append(cfg.Mirrors, node(n, role, lags[i%len(lags)]))
	}
	cfg.Thresholds.LagWarning, cfg.Thresholds.LagCritical, cfg.Thresholds.Sustain = time.Minute, 3*time.Minute, 10*time.Second
	return &cfg
}

// demoTimeline runs the demo's fleet (real HTTP servers on loopback,
// probed by the real prober) through a room for an hour simulated on a
// fake clock, and returns each mirror's timeline entries (the journaled
// events about it that the timeline shows) in each half hour.
func demoTimeline(t *testing.T, hysteresis bool) [2]map[string]int {
	clock := clockwork.NewFakeClockAt(t0)
	fleet, err := sim.Start(sim.Options{Mirrors: 6, Seed: 1, SyncEvery: 10 * time.Second, Clock: instantClock{clock}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { fleet.Close() })
	defer fleet.ApplyDemo()()
	cfg := demoFleetConfig(t, fleet)
	if !hysteresis {
		cfg.Alerting.Kinds = noHolds()
		cfg.Alerting.Flapping.Changes = 1 << 30
	}
	cfg.ApplyDefaults()
	j := &memJournal{}
	r, err := New(Options{Config: cfg, Journal: j, Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = r.Run(ctx); close(done) }()
	defer func() { cancel(); <-done }()
	h := &harness{t: t, r: r, clock: clock, j: j}
	prober := mirrors.NewProber(mirrors.ProberOptions{Clock: clock})
	defer prober.Close()
	rng := rand.New(rand.NewPCG(1, 2))
	for step := time.Duration(0); step < time.Hour; step += cfg.Mirrors[0].Health.Interval {
		r.ObserveProbe(prober.Probe(ctx, cfg.Origin)) // lag is measured against it
		obs := make([]mirrors.Observation, len(cfg.Mirrors))
		var wg sync.WaitGroup
		for i, m := range cfg.Mirrors {
			wg.Add(1)
			go func() { defer wg.Done(); obs[i] = prober.Probe(ctx, m) }()
		}
		wg.Wait()
		for i, o := range obs {
			if o.Status != 0 {
				o.Latency = demoLatency(i, step, rng)
			}
			r.ObserveProbe(o)
		}
		h.settle()
		clock.Advance(cfg.Mirrors[0].Health.Interval)
	}
	h.settle()
	var entries [2]map[string]int
	for i := range entries {
		entries[i] = map[string]int{}
		for _, m := range cfg.Mirrors {
			entries[i][m.Name] = 0
		}
	}
	for _, e := range j.events(t) {
		if _, ok := entries[0][e.Subject]; ok && !e.Quiet() {
			entries[min(int(e.At.Sub(t0)/(30*time.Minute)), 1)][e.Subject]++
		}
	}
	return entries
}

func worst(entries map[string]int) (string, int) {
	names := make([]string, 0, len(entries))
	for n := range entries {
		names = append(names, n)
	}
	sort.Strings(names)
	name, most := "", -1
	for _, n := range names {
		if entries[n] > most {
			name, most = n, entries[n]
		}
	}
	return name, most
}

// The demo's own fleet — a flapping mirror, a frozen (ever more lagging)
// one, a drifted one, one syncing late, one slow a third of the time —
// keeps the timeline readable with the default hysteresis: at most 25
// entries per mirror in a simulated hour, most of them while the flapping
// ones are being found out, and at most 2 in its second half.
// WARROOM_FIGURES=1 also runs the hour without hysteresis, for the
// before/after figure.
func TestDemoTimelineIsBoundedPerMirrorPerHour(t *testing.T) {
	report := func(what string, halves [2]map[string]int) (hour map[string]int) {
		hour = map[string]int{}
		for _, h := range halves {
			for m, n := range h {
				hour[m] += n
			}
		}
		name, most := worst(hour)
		t.Logf("%s: timeline entries per mirror in the hour %v (most: %s, %d); in its second half %v", what, hour, name, most, halves[1])
		return hour
	}
	halves := demoTimeline(t, true)
	if name, most := worst(report("with hysteresis", halves)); most > 25 {
		t.Errorf("%s has %d timeline entries in the hour, want at most 25", name, most)
	}
	if name, most := worst(halves[1]); most > 2 {
		t.Errorf("%s has %d timeline entries in the second half hour, want at most 2", name, most)
	}
	if os.Getenv("WARROOM_FIGURES") == "1" {
		report("without", demoTimeline(t, false))
	}
}
