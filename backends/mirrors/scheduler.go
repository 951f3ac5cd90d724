package mirrors

import (
	"context"
	"math/rand/v2"
	"sync"
	"sync/atomic"
	"time"

	"github.com/jonboulle/clockwork"

	"warroom/backends/config"
)

// Scheduler defaults.
const (
	DefaultInterval = 15 * time.Second
	DefaultSpread   = 2 * time.Second        // all mirrors get their first probe within this
	DefaultJitter   = 100 * time.Millisecond // upper bound of the per-probe random delay
)

// Scheduler probes every target on its own interval. Each mirror has its own
// goroutine that sleeps until the mirror's next deadline and probes it
// synchronously, so:
//   - two probes of one mirror never overlap (an overrunning probe makes the
//     next slot late or, if it is more than half an interval late, skipped);
//   - a slow or black-holed mirror holds only its own goroutine: there is no
//     lock, queue or worker pool shared between mirrors;
//   - deadlines are absolute (first + k·interval + jitter), so late probes do
//     not push the whole schedule back.
type Scheduler struct {
	probe func(context.Context, config.Mirror) Observation
	clock clockwork.Clock
	sink  func(Observation)

	// Spread: first probes are spread at random over min(Spread, interval)
	// after Run starts, so a thousand mirrors do not fire at once. Set
	// before Run. Default DefaultSpread.
	Spread time.Duration
	// Jitter: each deadline is delayed by a random amount up to
	// min(Jitter, interval/10). Set before Run. Default DefaultJitter.
	Jitter time.Duration
	// OnStart, when set, is called in the probe goroutine just before each
	// scheduled probe with the deadline it was due at. It is for measuring
	// schedule fidelity (cmd/warroom-load) and must be cheap.
	OnStart func(name string, due time.Time)

	skipped atomic.Int64
}

// NewScheduler builds a scheduler that hands every observation to sink.
// sink is called from the probe goroutines, concurrently: it must be cheap
// and must not block for long (a channel send to the room's inbox), or it
// delays that mirror's next probe — never other mirrors'.
func NewScheduler(p *Prober, clock clockwork.Clock, sink func(Observation)) *Scheduler {
	return &Scheduler{
		probe:  p.Probe,
		clock:  clock,
		sink:   sink,
		Spread: DefaultSpread,
		Jitter: DefaultJitter,
	}
}

// Skipped counts probe slots skipped because the previous probe of the same
// mirror overran them.
func (s *Scheduler) Skipped() int64 { return s.skipped.Load() }

// Run probes targets until ctx is done, then waits for every probe
// goroutine to return. Observations of probes cut short by ctx are dropped.
func (s *Scheduler) Run(ctx context.Context, targets []config.Mirror) {
	base := s.clock.Now()
	seed := rand.Uint64()
	var wg sync.WaitGroup
	for i, m := range targets {
		rng := rand.New(rand.NewPCG(seed, uint64(i)))
		interval := m.Health.Interval
		if interval <= 0 {
			interval = DefaultInterval
		}
		spread := min(s.Spread, interval)
		var offset time.Duration
		if spread > 0 {
			offset = time.Duration(rng.Int64N(int64(spread)))
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.loop(ctx, m, interval, base.Add(offset), rng)
		}()
	}
	wg.Wait()
}

func (s *Scheduler) loop(ctx context.Context, m config.Mirror, interval time.Duration, first time.Time, rng *rand.Rand) {
	maxJitter := min(s.Jitter, interval/10)
	for k := int64(0); ; {
		due := first.Add(time.Duration(k) * interval)
		if maxJitter > 0 {
			due = due.Add(time.Duration(rng.Int64N(int64(maxJitter))))
		}
		if !s.wait(ctx, due) {
			return
		}
		if s.OnStart != nil {
			s.OnStart(m.Name, due)
		}
		o := s.probe(ctx, m)
		if ctx.Err() != nil {
			return
		}
		s.sink(o)
		// Next slot; skip slots already more than half an interval late.
		k++
		elapsed := s.clock.Since(first)
		for time.Duration(k)*interval+interval/2 < elapsed {
			k++
			s.skipped.Add(1)
		}
	}
}

// wait sleeps until due or the end of ctx, and reports false when ctx ended.
func (s *Scheduler) wait(ctx context.Context, due time.Time) bool {
	d := s.clock.Until(due)
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := s.clock.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.Chan():
		return true
	}
}
