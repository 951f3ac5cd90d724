package mirrors

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"warroom/backends/config"
)

func fleetNames(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("mirror-%04d", i)
	}
	return out
}

func TestPhaseIsStablePerNameAndOnTheWallClockGrid(t *testing.T) {
	const iv = 15 * time.Second
	t0 := time.Date(2026, 8, 22, 12, 0, 0, 0, time.UTC)
	for _, name := range []string{"tokyo", "mirror-0001", "mirror-0002", ""} {
		ph := Phase(name, iv)
		if ph < 0 || ph >= iv || ph != Phase(name, iv) {
			t.Fatalf("%q: phase %v, want one stable value in [0, %v)", name, ph, iv)
		}
		// A restart at any moment (and another node) lands on the same grid.
		for _, start := range []time.Time{t0, t0.Add(7 * time.Second), t0.Add(time.Hour + 123*time.Millisecond)} {
			first := FirstSlot(start, name, iv)
			if first.Before(start) || first.Sub(start) >= iv {
				t.Errorf("%q from %v: first slot %v is not within one interval", name, start, first)
			}
			if off := time.Duration(first.UnixNano() % int64(iv)); off != ph {
				t.Errorf("%q from %v: slot at %v into the interval, want its phase %v", name, start, off, ph)
			}
		}
	}
	if Phase("mirror-0001", iv) == Phase("mirror-0002", iv) {
		t.Error("names one digit apart share a phase")
	}
}

// 1,000 mirrors at 15 s: every second of the interval gets about its
// share (1/15 ≈ 6.7 %) of the first probes; none gets a burst.
func TestPhasesSpreadOverTheWholeInterval(t *testing.T) {
	const iv, n = 15 * time.Second, 1000
	per := make([]int, iv/time.Second)
	for _, name := range fleetNames(n) {
		per[Phase(name, iv)/time.Second]++
	}
	for sec, c := range per {
		if c < n/15/2 || c > n/15*3/2 {
			t.Errorf("second %d of the interval holds %d of %d first probes, want about %d", sec, c, n, n/15)
		}
	}
}

// stubbed is a scheduler whose probes answer at once from answer, with
// each probe's due time recorded.
type stubbed struct {
	s    *Scheduler
	clk  *clockwork.FakeClock
	mu   sync.Mutex
	dues map[string][]time.Time
	obs  chan Observation
}

func newStubbed(t *testing.T, answer func(name string, at time.Time) string) *stubbed {
	clk := clockwork.NewFakeClockAt(time.Date(2026, 8, 22, 12, 0, 0, 0, time.UTC))
	st := &stubbed{clk: clk, dues: map[string][]time.Time{}, obs: make(chan Observation, 1<<16)}
	st.s = &Scheduler{clock: clk, sink: func(o Observation) { st.obs <- o }}
	st.s.probe = func(_ context.Context, m config.Mirror) Observation {
		now := clk.Now()
		o := Observation{Mirror: m.Name, Start: now, Status: 200, Latency: time.Millisecond}
		if why := answer(m.Name, now); why != "" {
			o.Status, o.Err = 0, why
		}
		return o
	}
	st.s.OnStart = func(name string, due time.Time) {
		st.mu.Lock()
		st.dues[name] = append(st.dues[name], due)
		st.mu.Unlock()
	}
	return st
}

// drive runs the scheduler over targets for span of fake time from the
// first slot of the first target, in steps, each step once every probe
// goroutine waits on the clock.
func (st *stubbed) drive(t *testing.T, targets []config.Mirror, span, step time.Duration) {
	t.Helper()
	r := runScheduler(t, st.s, st.obs, targets)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	span += FirstSlot(st.clk.Now(), targets[0].Name, targets[0].Health.Interval).Sub(st.clk.Now())
	for el := time.Duration(0); el < span; el += step {
		if err := st.clk.BlockUntilContext(ctx, len(targets)); err != nil {
			t.Fatalf("at %v: probe goroutines did not wait on the clock: %v", el, err)
		}
		st.clk.Advance(step)
	}
	if err := st.clk.BlockUntilContext(ctx, len(targets)); err != nil {
		t.Fatal(err)
	}
	r.stop()
}

func stubMirror(name string, h config.Health) config.Mirror {
	return config.Mirror{Name: name, Health: h}
}

// The fake-clock schedule: every mirror's first probe at its own phase,
// then every interval on it; no second of the interval gets a burst.
func TestSchedulerProbesOnEachMirrorsPhase(t *testing.T) {
	const iv, n = 15 * time.Second, 300
	st := newStubbed(t, func(string, time.Time) string { return "" })
	st.s.Jitter = 0
	start := st.clk.Now()
	var targets []config.Mirror
	for _, name := range fleetNames(n) {
		targets = append(targets, stubMirror(name, config.Health{Interval: iv, FailAfter: 3, RecoverAfter: 2, RetryInterval: 2 * time.Second}))
	}
	st.drive(t, targets, 3*iv, 250*time.Millisecond)
	per := make([]int, iv/time.Second)
	for _, m := range targets {
		dues := st.dues[m.Name]
		first := FirstSlot(start, m.Name, iv)
		if len(dues) < 3 || !dues[0].Equal(first) {
			t.Fatalf("%s: probes due %v, want the first at its phase %v", m.Name, dues, first)
		}
		for i := 1; i < len(dues); i++ {
			if d := dues[i].Sub(dues[i-1]); d != iv {
				t.Fatalf("%s: probes %d and %d %v apart, want the interval", m.Name, i-1, i, d)
			}
		}
		per[dues[0].Sub(start)/time.Second]++
	}
	for sec, c := range per {
		if c > n/15*2 {
			t.Errorf("%d of %d first probes in second %d of the interval: a burst", c, n, sec)
		}
	}
}

// offsets are a mirror's probe due times as offsets from its first.
func (st *stubbed) offsets(name string) []time.Duration {
	st.mu.Lock()
	defer st.mu.Unlock()
	var out []time.Duration
	for _, d := range st.dues[name] {
		out = append(out, d.Sub(st.dues[name][0]))
	}
	return out
}

func sameDurations(a, b []time.Duration) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

var retryHealth = config.Health{Interval: 15 * time.Second, RetryInterval: 2 * time.Second, FailAfter: 3, RecoverAfter: 2}

// failingFrom answers refused from the probe at offset from (relative to
// the mirror's first slot) until until (zero: for good).
func failingFrom(first time.Time, from, until time.Duration) func(string, time.Time) string {
	return func(_ string, at time.Time) string {
		d := at.Sub(first)
		if d >= from && (until == 0 || d < until) {
			return "unreachable: connection refused"
		}
		return ""
	}
}

func TestSchedulerRetriesAFailureUntilDown(t *testing.T) {
	const s = time.Second
	first := FirstSlot(time.Date(2026, 8, 22, 12, 0, 0, 0, time.UTC), "m", retryHealth.Interval)
	st := newStubbed(t, failingFrom(first, 15*s, 0))
	st.s.Jitter = 0
	st.drive(t, []config.Mirror{stubMirror("m", retryHealth)}, 80*s, 250*time.Millisecond)
	// ok at 0; fails at 15, retried at 17 and 19 (down: 3 failures);
	// then back on its slots while down: 30, 45, 60, 75.
	want := []time.Duration{0, 15 * s, 17 * s, 19 * s, 30 * s, 45 * s, 60 * s, 75 * s}
	if got := st.offsets("m"); !sameDurations(got, want) {
		t.Errorf("probes at %v, want %v", got, want)
	}
	// The tracker calls it down at the second retry: 4 s after the first
	// failure instead of two intervals (30 s).
	tr := NewTracker(retryHealth, testThresholds)
	for i := 0; len(st.obs) > 0; i++ {
		if tr.Observe(<-st.obs) && tr.State() == StateDown && i != 3 {
			t.Errorf("down at probe %d, want at the fourth (the second retry)", i)
		}
	}
	if tr.State() != StateDown {
		t.Errorf("tracker %s, want down", tr.State())
	}
}

func TestSchedulerRetryThatAnswersReturnsToTheSlots(t *testing.T) {
	const s = time.Second
	first := FirstSlot(time.Date(2026, 8, 22, 12, 0, 0, 0, time.UTC), "m", retryHealth.Interval)
	st := newStubbed(t, failingFrom(first, 15*s, 16*s)) // one lost probe
	st.s.Jitter = 0
	st.drive(t, []config.Mirror{stubMirror("m", retryHealth)}, 50*s, 250*time.Millisecond)
	want := []time.Duration{0, 15 * s, 17 * s, 30 * s, 45 * s}
	if got := st.offsets("m"); !sameDurations(got, want) {
		t.Errorf("probes at %v, want %v", got, want)
	}
}

// Recovery keeps the interval: a down mirror that answers again is not
// hurried back up (see confirmer).
func TestSchedulerRecoveryKeepsTheInterval(t *testing.T) {
	const s = time.Second
	first := FirstSlot(time.Date(2026, 8, 22, 12, 0, 0, 0, time.UTC), "m", retryHealth.Interval)
	st := newStubbed(t, failingFrom(first, 15*s, 25*s))
	st.s.Jitter = 0
	st.drive(t, []config.Mirror{stubMirror("m", retryHealth)}, 80*s, 250*time.Millisecond)
	want := []time.Duration{0, 15 * s, 17 * s, 19 * s, 30 * s, 45 * s, 60 * s, 75 * s}
	if got := st.offsets("m"); !sameDurations(got, want) {
		t.Errorf("probes at %v, want %v", got, want)
	}
}
