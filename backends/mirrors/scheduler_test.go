package mirrors

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"warroom/backends/config"
	"warroom/backends/sim"
)

// running is a scheduler under test: its observations arrive on obs.
type running struct {
	s    *Scheduler
	obs  chan Observation
	stop func()
}

// runScheduler starts s.Run in a goroutine; stop cancels it and fails the
// test if Run does not return promptly.
func runScheduler(t *testing.T, s *Scheduler, obs chan Observation, targets []config.Mirror) *running {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Run(ctx, targets)
	}()
	stopped := false
	stop := func() {
		if stopped {
			return
		}
		stopped = true
		cancel()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Fatal("Run did not return after cancel")
		}
	}
	t.Cleanup(stop)
	return &running{s: s, obs: obs, stop: stop}
}

// next waits for n observations (test deadline 10 s).
func (r *running) next(t *testing.T, n int) []Observation {
	t.Helper()
	out := make([]Observation, 0, n)
	deadline := time.After(10 * time.Second)
	for len(out) < n {
		select {
		case o := <-r.obs:
			out = append(out, o)
		case <-deadline:
			t.Fatalf("got %d of %d observations in 10s", len(out), n)
		}
	}
	return out
}

func newTestScheduler(p *Prober, clk clockwork.Clock) (*Scheduler, chan Observation) {
	obs := make(chan Observation, 1024)
	return NewScheduler(p, clk, func(o Observation) { obs <- o }), obs
}

// round advances the fake clock one interval once every probe goroutine
// waits on it, and collects one observation per target.
func round(t *testing.T, clk *clockwork.FakeClock, r *running, n int, d time.Duration) map[string]Observation {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := clk.BlockUntilContext(ctx, n); err != nil {
		t.Fatalf("probe goroutines did not wait on the clock: %v", err)
	}
	clk.Advance(d)
	got := map[string]Observation{}
	for _, o := range r.next(t, n) {
		if _, dup := got[o.Mirror]; dup {
			t.Fatalf("mirror %s probed twice in one interval", o.Mirror)
		}
		got[o.Mirror] = o
	}
	return got
}

func TestSchedulerDownRecoverLagDrift(t *testing.T) {
	f, clk := startFleet(t, 3)
	clk.Advance(time.Hour) // give the origin an hour of published serials
	ms := f.Mirrors()
	targets := []config.Mirror{simMirror(t, f.Origin())}
	for _, n := range ms {
		targets = append(targets, simMirror(t, n))
	}
	h := targets[0].Health
	trackers := map[string]*Tracker{}
	for _, m := range targets {
		trackers[m.Name] = NewTracker(h, testThresholds)
	}
	p := NewProber(ProberOptions{Clock: clk})
	defer p.Close()
	s, obs := newTestScheduler(p, clk)
	// Rounds of one interval must hold one slot per mirror; jitter would
	// push some slots across a round's end.
	s.Jitter = 0
	r := runScheduler(t, s, obs, targets)
	hist := NewOriginHistory(0)

	observe := func(got map[string]Observation) map[string]Position {
		pos := map[string]Position{}
		origin := got[f.Origin().Name]
		hist.Add(origin.Sync)
		for name, o := range got {
			trackers[name].Observe(o)
			pos[name] = Compare(origin.Sync, hist, o.Sync)
		}
		return pos
	}

	// First round: every first slot lies within one interval of the start
	// (it used to be a 2 s spread; slots now cover the whole interval).
	observe(round(t, clk, r, len(targets), h.Interval-time.Nanosecond))
	for name, tr := range trackers {
		if tr.State() != StateUp {
			t.Fatalf("%s: %s after the first probe, want up", name, tr.State())
		}
	}

	down, lagging, drifting := ms[0], ms[1], ms[2]
	lagging.SetLagBehind(10 * time.Minute)
	drifting.SetLagBehind(0)
	drifting.SetDrift(true)
	down.SetDown(true)
	downAt := clk.Now()
	var wentDown time.Time
	for i := 1; i <= h.FailAfter; i++ {
		pos := observe(round(t, clk, r, len(targets), h.Interval))
		if p := pos[lagging.Name]; !p.LagKnown || p.Lag != 10*time.Minute || p.SerialsBehind != 20 || p.Drift {
			t.Errorf("lagging mirror: %+v, want 10m and 20 serials behind", p)
		}
		if p := pos[drifting.Name]; !p.Drift || p.Lag != 0 {
			t.Errorf("drifting mirror: %+v, want drift at lag 0", p)
		}
		tr := trackers[down.Name]
		if i < h.FailAfter && tr.State() != StateUp {
			t.Fatalf("round %d: %s after %d failures, want still up", i, tr.State(), i)
		}
		if tr.State() == StateDown {
			wentDown = tr.Since()
		}
	}
	tr := trackers[down.Name]
	if tr.State() != StateDown || tr.Reason() != "unreachable: connection refused" {
		t.Fatalf("after %d failed rounds: %s %q", h.FailAfter, tr.State(), tr.Reason())
	}
	if d, limit := wentDown.Sub(downAt), time.Duration(h.FailAfter)*h.Interval+h.Timeout; d > limit {
		t.Errorf("detected after %v, want within FailAfter×Interval+Timeout = %v", d, limit)
	}

	down.SetDown(false)
	for i := 1; i <= h.RecoverAfter; i++ {
		observe(round(t, clk, r, len(targets), h.Interval))
		if want := StateDown; i < h.RecoverAfter && tr.State() != want {
			t.Fatalf("recovery round %d: %s, want %s", i, tr.State(), want)
		}
	}
	// Answering again, but its outage's failures are most of its probes.
	if tr.State() != StateDegraded || !strings.HasPrefix(tr.Reason(), "error rate") {
		t.Fatalf("after %d good rounds: %s %q, want degraded by its error rate", h.RecoverAfter, tr.State(), tr.Reason())
	}
	for name, other := range trackers {
		if name != down.Name && other.State() != StateUp {
			t.Errorf("%s is %s (%s); only %s was broken", name, other.State(), other.Reason(), down.Name)
		}
	}
	if s.Skipped() != 0 {
		t.Errorf("skipped %d slots with every probe on time", s.Skipped())
	}
}

// countingProbe wraps the scheduler's probe to record how many probes of
// each mirror run at once.
type countingProbe struct {
	mu      sync.Mutex
	active  map[string]int
	maxSeen map[string]int
}

func (c *countingProbe) wrap(probe func(context.Context, config.Mirror) Observation) func(context.Context, config.Mirror) Observation {
	return func(ctx context.Context, m config.Mirror) Observation {
		c.mu.Lock()
		c.active[m.Name]++
		c.maxSeen[m.Name] = max(c.maxSeen[m.Name], c.active[m.Name])
		c.mu.Unlock()
		defer func() {
			c.mu.Lock()
			c.active[m.Name]--
			c.mu.Unlock()
		}()
		return probe(ctx, m)
	}
}

// TestSchedulerIsolation uses the real clock: black-holed mirrors whose
// timeout is longer than their interval must neither overlap their own
// probes nor hold up the healthy mirror.
func TestSchedulerIsolation(t *testing.T) {
	f, err := sim.Start(sim.Options{Mirrors: 4, Seed: 2, SyncEvery: 30 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ms := f.Mirrors()
	var targets []config.Mirror
	for _, n := range ms {
		m := simMirror(t, n)
		m.Health.Interval = 100 * time.Millisecond
		m.Health.Timeout = 350 * time.Millisecond
		targets = append(targets, m)
	}
	healthy := ms[0].Name
	for _, n := range ms[1:] {
		n.SetBlackhole(true)
	}
	defer func() {
		for _, n := range ms[1:] {
			n.SetBlackhole(false)
		}
	}()

	p := NewProber(ProberOptions{})
	defer p.Close()
	s, obs := newTestScheduler(p, clockwork.NewRealClock())
	cp := &countingProbe{active: map[string]int{}, maxSeen: map[string]int{}}
	s.probe = cp.wrap(s.probe)
	var late atomic.Int64 // worst start delay of the healthy mirror, ns
	s.OnStart = func(name string, due time.Time) {
		if name == healthy {
			if d := int64(time.Since(due)); d > late.Load() {
				late.Store(d)
			}
		}
	}
	r := runScheduler(t, s, obs, targets)

	// Until the first black-holed probe times out (≥ 350 ms), the healthy
	// mirror must keep its 100 ms rhythm.
	healthyBefore := 0
	blackholed := 0
	for blackholed < 2*len(ms[1:]) {
		o := r.next(t, 1)[0]
		switch {
		case o.Mirror == healthy:
			if !o.OK() {
				t.Fatalf("healthy mirror failed: %+v", o)
			}
			if blackholed == 0 {
				healthyBefore++
			}
		default:
			blackholed++
			if o.Err != "timeout after 350ms" {
				t.Errorf("black-holed %s: %q", o.Mirror, o.Err)
			}
		}
	}
	r.stop()
	if healthyBefore < 2 {
		t.Errorf("healthy mirror probed %d times while black-holed probes hung, want ≥ 2", healthyBefore)
	}
	for name, n := range cp.maxSeen {
		if n != 1 {
			t.Errorf("%s: %d probes at once, want 1", name, n)
		}
	}
	if s.Skipped() == 0 {
		t.Error("overrunning probes should skip slots, none skipped")
	}
	if d := time.Duration(late.Load()); d > 250*time.Millisecond {
		t.Errorf("healthy mirror started up to %v late", d)
	}
}
