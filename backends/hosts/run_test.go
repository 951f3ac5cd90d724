package hosts

import (
	"context"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

// waitFor fails the test if ch does not deliver soon; the timeout only
// guards against a hang, it never orders events.
func waitFor[T any](t *testing.T, ch <-chan T, what string) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(10 * time.Second):
		t.Fatalf("timed out waiting for %s", what)
		panic("unreachable")
	}
}

// startRun runs s on a fake clock and returns the clock, the samples, a
// cancel func and a channel closed when Run has returned.
func startRun(t *testing.T, s *Sampler, sink func(Sample)) (*clockwork.FakeClock, context.CancelFunc, <-chan struct{}) {
	t.Helper()
	clock := clockwork.NewFakeClockAt(t0)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	done := make(chan struct{})
	go func() {
		defer close(done)
		s.Run(ctx, clock, time.Second, sink)
	}()
	// The ticker exists only after the silent first reading.
	bctx, bcancel := context.WithTimeout(ctx, 10*time.Second)
	defer bcancel()
	if err := clock.BlockUntilContext(bctx, 1); err != nil {
		t.Fatalf("Run never started its ticker: %v", err)
	}
	return clock, cancel, done
}

func TestRunOneSamplePerTickThenStops(t *testing.T) {
	f := newFake()
	s := NewSampler(Options{Host: "h", Source: f})
	got := make(chan Sample, 16)
	clock, cancel, done := startRun(t, s, func(x Sample) { got <- x })

	const n = 5
	for i := 1; i <= n; i++ {
		f.set(func(f *fakeSource) { f.nets[1].RxBytes += uint64(1000 * i) })
		clock.Advance(time.Second)
		x := waitFor(t, got, "a sample")
		if want := t0.Add(time.Duration(i) * time.Second); !x.At.Equal(want) {
			t.Errorf("sample %d at %v, want %v", i, x.At, want)
		}
		// Primed before the first tick, so even the first has a rate.
		if x.NetRxBps != float64(1000*i) {
			t.Errorf("sample %d NetRxBps = %v, want %d", i, x.NetRxBps, 1000*i)
		}
	}

	cancel()
	waitFor(t, done, "Run to return after cancel")
	clock.Advance(10 * time.Second)
	if len(got) != 0 {
		t.Errorf("%d samples beyond the %d ticks", len(got), n)
	}
}

func TestRunDropsTicksWhileSinkIsBusy(t *testing.T) {
	s := NewSampler(Options{Host: "h", Source: newFake()})
	entered := make(chan Sample, 16)
	release := make(chan struct{})
	clock, cancel, done := startRun(t, s, func(x Sample) {
		entered <- x
		<-release
	})

	clock.Advance(time.Second)
	waitFor(t, entered, "first sample")
	for range 5 { // all while the sink is stuck
		clock.Advance(time.Second)
	}
	close(release)
	second := waitFor(t, entered, "the one tick kept while busy")
	if !second.At.Equal(t0.Add(6 * time.Second)) {
		t.Errorf("late sample at %v, want the clock's time then, %v", second.At, t0.Add(6*time.Second))
	}
	cancel()
	waitFor(t, done, "Run to return after cancel")
	if len(entered) != 0 {
		t.Errorf("%d queued ticks were delivered; want them dropped", len(entered))
	}
}

func TestRunWithDoneContextReadsNothing(t *testing.T) {
	f := newFake()
	s := NewSampler(Options{Host: "h", Source: f})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	calls := 0
	s.Run(ctx, clockwork.NewFakeClockAt(t0), time.Second, func(Sample) { calls++ })
	if calls != 0 {
		t.Errorf("sink called %d times on a done context", calls)
	}
	if f.usedPath != "" {
		t.Error("Run read the source although ctx was already done")
	}
}
