package mirrors

import (
	"context"
	"hash/fnv"
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
//     not push the whole schedule back;
//   - each mirror's slots sit at its own Phase of the interval, so probes are
//     spread over the whole interval rather than bunched after a start;
//   - a failed probe is retried every Health.RetryInterval until the mirror
//     is confirmed down or answers, then the mirror returns to its slots;
//   - a mirror that closes the connection kept to it and then refuses a new
//     one (its process died) is probed at once, not at its next slot, and
//     retried the same way (see watch.go); like retries, only when
//     Health.RetryInterval is set and the mirror is not flapping.
type Scheduler struct {
	probe func(context.Context, config.Mirror) Observation
	reach func(context.Context, *config.Mirror) bool // nil: no early probes
	clock clockwork.Clock
	sink  func(Observation)
	lost  sync.Map // mirror name → chan struct{} (1 slot): its kept connection closed

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
	s := &Scheduler{
		probe:  p.Probe,
		reach:  p.Reachable,
		clock:  clock,
		sink:   sink,
		Jitter: DefaultJitter,
	}
	p.lost = s.connectionLost
	return s
}

// connectionLost wakes the mirror's goroutine, if it is waiting for a slot.
func (s *Scheduler) connectionLost(mirror string) {
	if ch, ok := s.lost.Load(mirror); ok {
		select {
		case ch.(chan struct{}) <- struct{}{}:
		default: // already told
		}
	}
}

// Skipped counts probe slots skipped because the previous probes of the
// same mirror (retries included) overran them.
func (s *Scheduler) Skipped() int64 { return s.skipped.Load() }

// Run probes targets until ctx is done, then waits for every probe
// goroutine to return. Observations of probes cut short by ctx are dropped.
// targets is read, not copied, while Run runs: the caller leaves it alone.
func (s *Scheduler) Run(ctx context.Context, targets []config.Mirror) {
	now := s.clock.Now()
	seed := rand.Uint64()
	var wg sync.WaitGroup
	lost := make([]chan struct{}, len(targets))
	for i := range targets {
		m := &targets[i] // not a copy: 10,000 parked goroutines keep small stacks
		rng := rand.New(rand.NewPCG(seed, uint64(i)))
		interval := m.Health.Interval
		if interval <= 0 {
			interval = DefaultInterval
		}
		lost[i] = make(chan struct{}, 1)
		s.lost.Store(m.Name, lost[i])
		wg.Add(1)
		go func() {
			defer wg.Done()
			s.loop(ctx, m, interval, FirstSlot(now, m.Name, interval), rng, lost[i])
		}()
	}
	wg.Wait()
	for i, m := range targets {
		s.lost.CompareAndDelete(m.Name, lost[i])
	}
}

// Phase is where in every interval a mirror's probes fall, from a hash of
// its name: a restart and every node of a cluster keep it, and a fleet's
// phases spread evenly over the interval.
func Phase(name string, interval time.Duration) time.Duration {
	if interval <= 0 {
		return 0
	}
	h := fnv.New64a()
	_, _ = h.Write([]byte(name))
	return time.Duration(mix64(h.Sum64()) % uint64(interval))
}

// mix64 scrambles every input bit into every output bit (a splitmix64
// finaliser): names that differ in one digit hash far apart.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	return x ^ x>>31
}

// FirstSlot is the first time at or after now on the mirror's grid: Unix
// time ≡ Phase (mod interval). The grid hangs on the wall clock, not on the
// start, so it is the same after a restart and on every node.
func FirstSlot(now time.Time, name string, interval time.Duration) time.Time {
	if interval <= 0 {
		return now
	}
	into := time.Duration(now.UnixNano() % int64(interval))
	if into < 0 {
		into += interval
	}
	wait := Phase(name, interval) - into
	if wait < 0 {
		wait += interval
	}
	return now.Add(wait)
}

func (s *Scheduler) loop(ctx context.Context, m *config.Mirror, interval time.Duration, first time.Time, rng *rand.Rand, lost chan struct{}) {
	maxJitter := min(s.Jitter, interval/10)
	jitter := func() time.Duration {
		if maxJitter <= 0 {
			return 0
		}
		return time.Duration(rng.Int64N(int64(maxJitter)))
	}
	c := newConfirmer(m.Health, interval)
	due := first.Add(jitter())
	retrying := false  // due is a retry's
	slotTaken := false // slot k was probed (a retry chain may follow)
	for k := int64(0); ; {
		var heard <-chan struct{}
		if !retrying && c.hurried() {
			heard = lost // (a retry is coming anyway)
		}
		woke := s.wait(ctx, due, heard)
		if woke == wokeDone {
			return
		}
		early := woke == wokeLost
		if early && (s.reach == nil || s.reach(ctx, m)) {
			continue // it only closed an idle connection; the slot stands
		}
		if !early && !retrying {
			slotTaken = true
		}
		if s.OnStart != nil && !early {
			s.OnStart(m.Name, due)
		}
		ok, alive := s.probeOnce(ctx, m)
		if !alive {
			return
		}
		select {
		case <-lost: // a connection this probe ended, or news it already has
		default:
		}
		if retrying = c.retry(ok); retrying {
			if early {
				due = s.clock.Now()
			}
			due = due.Add(c.every) // a late retry runs at once
			continue
		}
		// Next slot; skip slots already more than half an interval late.
		if slotTaken {
			k++
			slotTaken = false
		}
		elapsed := s.clock.Since(first)
		for time.Duration(k)*interval+interval/2 < elapsed {
			k++
			s.skipped.Add(1)
		}
		due = first.Add(time.Duration(k)*interval + jitter())
	}
}

// probeOnce probes m and hands the observation on; ok is its outcome,
// alive false once ctx ended. Out of loop, so the frame of 10,000 parked
// goroutines holds no Observation or Mirror: their stacks stay at 4 kB.
func (s *Scheduler) probeOnce(ctx context.Context, m *config.Mirror) (ok, alive bool) {
	o := s.probe(ctx, *m)
	if ctx.Err() != nil {
		return false, false
	}
	s.sink(o)
	return o.OK(), true
}

// What ended a wait.
const (
	wokeDue  = iota
	wokeLost // the mirror closed its kept connection
	wokeDone // ctx ended
)

// wait sleeps until due, news on lost or the end of ctx.
func (s *Scheduler) wait(ctx context.Context, due time.Time, lost <-chan struct{}) int {
	if ctx.Err() != nil {
		return wokeDone
	}
	d := s.clock.Until(due)
	if d <= 0 {
		return wokeDue
	}
	t := s.clock.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return wokeDone
	case <-t.Chan():
		return wokeDue
	case <-lost:
		return wokeLost
	}
}
