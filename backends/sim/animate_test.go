package sim

import (
	"bytes"
	"context"
	"net/http"
	"testing"
	"time"
)

func TestApplyDemoRoles(t *testing.T) {
	f, clock := startFake(t, Options{Mirrors: 8, Seed: 42})
	undo := f.ApplyDemo()
	ms := f.Mirrors()
	at := func(d time.Duration) time.Time { return t0.Add(d) }

	// Mirror 0 flaps: up until 15 s, reset 15–35 s, up 35–75 s, 503 75–95 s.
	flap := ms[0].faults().flap
	for _, c := range []struct {
		at      time.Duration
		failing bool
		cycle   int64
	}{{14 * time.Second, false, 0}, {15 * time.Second, true, 0}, {34 * time.Second, true, 0},
		{35 * time.Second, false, 1}, {75 * time.Second, true, 1}, {95 * time.Second, false, 2}} {
		failing, n := flap.phase(at(c.at))
		if failing != c.failing || (failing && n%2 != c.cycle%2) {
			t.Errorf("mirror 0 at %v: failing=%v cycle %d, want failing=%v cycle parity %d", c.at, failing, n, c.failing, c.cycle%2)
		}
	}

	// Mirror 4 is slow 30–60 s and 120–150 s.
	slow := ms[4].faults().slow
	for _, c := range []struct {
		at   time.Duration
		slow bool
	}{{29 * time.Second, false}, {30 * time.Second, true}, {59 * time.Second, true},
		{60 * time.Second, false}, {119 * time.Second, false}, {120 * time.Second, true}} {
		if got, _ := slow.phase(at(c.at)); got != c.slow {
			t.Errorf("mirror 4 at %v: slow=%v, want %v", c.at, got, c.slow)
		}
	}

	// Mirror 3 shows the marker for 10 s before each of its updates.
	synced, prev := 0, ms[3].State()
	for range 120 {
		clock.Advance(time.Second)
		st := ms[3].State()
		if st.Syncing {
			synced++
		}
		if st.Step != prev.Step && !prev.Syncing {
			t.Errorf("mirror 3 updated to step %d at %v without showing the marker first", st.Step, clock.Since(t0))
		}
		prev = st
	}
	// Its lag-behind is 12 s: windows at 32–42, 62–72 and 92–102 s.
	if synced != 30 {
		t.Errorf("mirror 3 showed the marker %d of 120 s, want 30", synced)
	}

	// At 130 s: mirror 1 froze at t0, so its lag is 120 s; mirror 2 drifts.
	clock.Advance(10 * time.Second)
	o := f.Origin().State()
	if lag := o.Beacon.Sub(ms[1].State().Beacon); lag != 120*time.Second {
		t.Errorf("mirror 1 lag at 130 s: %v, want 120s", lag)
	}
	m2 := ms[2].State()
	if m2.Serial != o.Serial || bytes.Equal(m2.Manifest, o.Manifest) {
		t.Errorf("mirror 2: serial %d (origin %d), manifest equal=%v; want same serial, different manifest",
			m2.Serial, o.Serial, bytes.Equal(m2.Manifest, o.Manifest))
	}
	for i, m := range ms {
		fl := m.faults()
		if fl.delay < 2*time.Millisecond || fl.delay > 12*time.Millisecond || fl.jitter < 5*time.Millisecond || fl.jitter > 25*time.Millisecond {
			t.Errorf("mirror %d: delay %v jitter %v, want 2–12 ms and 5–25 ms", i, fl.delay, fl.jitter)
		}
		if i >= 5 && (fl.flap != cycle{} || fl.frozen || fl.drift || fl.syncWindow != 0 || fl.slowBy != 0) {
			t.Errorf("mirror %d has a demo role, want healthy: %+v", i, fl)
		}
	}

	undo()
	for i, m := range ms {
		fl := m.faults()
		if fl.delay != 0 || fl.jitter != 0 || fl.flap != (cycle{}) || fl.slow != (cycle{}) || fl.frozen || fl.drift || fl.syncWindow != 0 || fl.lag != m.defaultLag {
			t.Errorf("mirror %d after undo: %+v, want normal", i, fl)
		}
	}
}

func TestDemoIsDeterministic(t *testing.T) {
	fa, _ := startFake(t, Options{Mirrors: 8, Seed: 11})
	fb, _ := startFake(t, Options{Mirrors: 8, Seed: 11})
	fa.ApplyDemo()
	fb.ApplyDemo()
	for i := range fa.Mirrors() {
		a, b := fa.Mirrors()[i], fb.Mirrors()[i]
		if a.Name != b.Name || a.Region != b.Region || a.faults().delay != b.faults().delay || a.faults().jitter != b.faults().jitter {
			t.Errorf("mirror %d differs between fleets of the same seed: %s/%s", i, a.Name, b.Name)
		}
	}
}

func TestDemoSlowMirrorOverHTTP(t *testing.T) {
	f, clock := startFake(t, Options{Mirrors: 5})
	f.ApplyDemo()
	m := f.Mirrors()[4]
	c := client(t, 10*time.Second)
	clock.Advance(31 * time.Second)
	done := make(chan response, 1)
	go func() {
		r, _ := fetch(c, http.MethodGet, m.URL+"health")
		done <- r
	}()
	blockUntilTimers(t, clock, 1)
	clock.Advance(400 * time.Millisecond) // less than 400 ms + its 2 ms minimum base delay
	select {
	case r := <-done:
		t.Fatalf("slow mirror answered %d within 400 ms", r.status)
	default:
	}
	clock.Advance(time.Second)
	select {
	case r := <-done:
		if r.status != 200 {
			t.Errorf("slow mirror: %d, want 200", r.status)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("slow mirror never answered")
	}
}

func TestAnimateRealClock(t *testing.T) {
	f, err := Start(Options{Mirrors: 6, Seed: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	ctx, cancel := context.WithCancel(context.Background())
	ended := make(chan struct{})
	go func() { f.Animate(ctx); close(ended) }()
	drifted := func() bool {
		return !bytes.Equal(f.Mirrors()[2].State().Manifest, f.Origin().State().Manifest)
	}
	waitFor(t, "the demo scenario to apply", 5*time.Second, drifted)
	c := client(t, 5*time.Second)
	for i, m := range f.Mirrors() {
		if r := get(t, c, m, "/health"); r.status != 200 {
			t.Errorf("mirror %d in the first seconds of the demo: %d, want 200", i, r.status)
		}
	}
	cancel()
	select {
	case <-ended:
	case <-time.After(5 * time.Second):
		t.Fatal("Animate did not return after its context ended")
	}
	if drifted() {
		t.Errorf("the scenario stayed after Animate returned")
	}

	ended = make(chan struct{})
	go func() { f.Animate(context.Background()); close(ended) }()
	waitFor(t, "the demo scenario to apply again", 5*time.Second, drifted)
	_ = f.Close()
	select {
	case <-ended:
	case <-time.After(5 * time.Second):
		t.Fatal("Animate did not return after Close")
	}
}
