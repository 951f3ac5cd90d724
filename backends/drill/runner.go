package drill

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
)

// Injector applies faults to the world: the simulated fleet in the demo, a
// filter between the probes and the room on a real fleet. The command wires
// it. Inject must either apply the fault and return a func that undoes it,
// or fail leaving nothing applied (a non-nil remove returned with an error
// is called to undo a partial change). remove is called exactly once. An
// Injector must not call the Runner's Stop (the runner waits for it).
type Injector interface {
	Inject(f Fault) (remove func(), err error)
}

// Option adjusts Start.
type Option func(*options)

type options struct {
	fleet map[string]string
}

// WithFleet gives the runner the fleet (mirror name → region): Start checks
// the scenario against it, expands region-down faults into Fault.Mirrors,
// and the score then knows which mirrors must recover and which alerts
// concern the drill. Without it, any alert counts as detection and a region
// stands for no mirror in particular.
func WithFleet(mirrors map[string]string) Option {
	return func(o *options) { o.fleet = mirrors }
}

// Runner runs one drill: it applies each fault at its time and removes it
// after For, and ends when every goal is reached, the time limit passes,
// Stop is called, ctx ends or a fault cannot be applied. However it ends,
// every fault still applied is removed before Done closes.
type Runner struct {
	name     string
	duration time.Duration
	faults   []Fault
	plan     []step
	inj      Injector
	clock    clockwork.Clock
	start    time.Time

	// Owned by the goroutine running the plan (Start's, then loop's).
	next    int
	applied []applied

	wake chan struct{} // one slot: "look at stopReason and the goals"
	done chan struct{}

	mu         sync.Mutex
	score      *scorer
	stopReason string
	ended      bool
	card       Scorecard
	err        error
}

// step is one change of the plan: apply or remove fault i at the offset.
type step struct {
	at     time.Duration
	remove bool
	fault  int
}

type applied struct {
	fault  int
	remove func()
}

// Start begins the drill now on clock. Faults due at once are applied
// before Start returns; if one fails, those applied are removed and the
// error returned. Later failures end the drill (see Err).
func Start(ctx context.Context, s *Scenario, inj Injector, clock clockwork.Clock, opts ...Option) (*Runner, error) {
	switch {
	case s == nil:
		return nil, errors.New("drill: Start: no scenario: Load or Parse one first")
	case inj == nil:
		return nil, fmt.Errorf("drill %q: Start: no injector: the command must wire one to the fleet", s.Name)
	case clock == nil:
		return nil, fmt.Errorf("drill %q: Start: no clock: pass clockwork.NewRealClock()", s.Name)
	case s.Duration <= 0:
		return nil, fmt.Errorf("drill %q: Start: duration %v: want more than 0", s.Name, s.Duration)
	}
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("drill %q: not started: %w", s.Name, err)
	}
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if o.fleet != nil {
		if err := s.Check(o.fleet); err != nil {
			return nil, fmt.Errorf("drill %q does not fit this fleet:\n%w", s.Name, err)
		}
	}
	faults := make([]Fault, len(s.Faults))
	for i, f := range s.Faults {
		f.Mirrors = touched(f, o.fleet)
		faults[i] = f
	}
	r := &Runner{
		name:     s.Name,
		duration: s.Duration,
		faults:   faults,
		plan:     makePlan(faults, s.Duration),
		inj:      inj,
		clock:    clock,
		start:    clock.Now(),
		wake:     make(chan struct{}, 1),
		done:     make(chan struct{}),
	}
	r.score = newScorer(s, faults, r.start.Add(s.firstAt()), o.fleet)
	if err := r.advance(r.start); err != nil {
		r.removeAll()
		return nil, err
	}
	go r.loop(ctx)
	return r, nil
}

// makePlan orders the applications and removals; at the same instant a
// removal goes first, so a fault replacing another on one mirror lands on
// a clean mirror. Faults lasting to the end are removed by the ending.
func makePlan(faults []Fault, d time.Duration) []step {
	var plan []step
	for i, f := range faults {
		plan = append(plan, step{at: f.At, fault: i})
		if until := f.Until(d); until < d {
			plan = append(plan, step{at: until, remove: true, fault: i})
		}
	}
	sort.SliceStable(plan, func(i, j int) bool {
		if plan[i].at != plan[j].at {
			return plan[i].at < plan[j].at
		}
		return plan[i].remove && !plan[j].remove
	})
	return plan
}

// loop waits for the next step, the time limit, a wake-up or ctx, one timer
// at a time (so a test's FakeClock.BlockUntilContext(ctx, 1) means "idle").
func (r *Runner) loop(ctx context.Context) {
	for {
		now := r.clock.Now()
		if r.finishIfOver(now) {
			return
		}
		if err := r.advance(now); err != nil {
			r.finish(now, "fault failed: "+err.Error(), err)
			return
		}
		if r.finishIfOver(now) { // a removal may have completed recovery
			return
		}
		t := r.clock.NewTimer(r.nextDeadline().Sub(now))
		select {
		case <-t.Chan():
		case <-r.wake:
		case <-ctx.Done():
			t.Stop()
			r.finish(r.clock.Now(), EndCancelled, nil)
			return
		}
		t.Stop()
	}
}

// advance runs every step due at now.
func (r *Runner) advance(now time.Time) error {
	for r.next < len(r.plan) && !r.start.Add(r.plan[r.next].at).After(now) {
		st := r.plan[r.next]
		r.next++
		if st.remove {
			r.removeFault(st.fault)
			r.mu.Lock()
			r.score.removed(now)
			r.mu.Unlock()
			continue
		}
		f := r.faults[st.fault]
		remove, err := r.inj.Inject(f)
		if err != nil {
			if remove != nil {
				remove()
			}
			return fmt.Errorf("drill %q: %s fault at %s: %w", r.name, f.Kind, r.where(f), err)
		}
		if remove == nil {
			remove = func() {}
		}
		r.applied = append(r.applied, applied{fault: st.fault, remove: remove})
	}
	return nil
}

// where names a fault's place in the file.
func (r *Runner) where(f Fault) string {
	return fmt.Sprintf("line %d (at %v)", f.Line, f.At)
}

func (r *Runner) removeFault(i int) {
	for k, a := range r.applied {
		if a.fault == i {
			r.applied = append(r.applied[:k], r.applied[k+1:]...)
			a.remove()
			return
		}
	}
}

// removeAll undoes every applied fault, newest first.
func (r *Runner) removeAll() {
	for k := len(r.applied) - 1; k >= 0; k-- {
		r.applied[k].remove()
	}
	r.applied = nil
}

func (r *Runner) nextDeadline() time.Time {
	end := r.start.Add(r.duration)
	if r.next < len(r.plan) {
		if at := r.start.Add(r.plan[r.next].at); at.Before(end) {
			return at
		}
	}
	return end
}

// finishIfOver ends the drill if it was stopped, its goals are all
// reached (it ends when the last was, not when the loop noticed) or its
// time is up.
func (r *Runner) finishIfOver(now time.Time) bool {
	r.mu.Lock()
	reason, at := "", now
	switch {
	case r.stopReason != "":
		reason = r.stopReason
	case r.score.allReached():
		reason, at = EndGoalsReached, r.score.lastReached()
		if r.score.allMet() {
			reason = EndGoalsMet
		}
	case !now.Before(r.start.Add(r.duration)):
		reason, at = EndTimeLimit, r.start.Add(r.duration)
	}
	r.mu.Unlock()
	if reason == "" {
		return false
	}
	r.finish(at, reason, nil)
	return true
}

// finish removes every fault, freezes the scorecard and closes Done.
func (r *Runner) finish(now time.Time, reason string, err error) {
	r.mu.Lock()
	r.ended = true // no more scoring: the end time is now
	r.card = r.scorecard(now, reason)
	r.err = err
	r.mu.Unlock()
	r.removeAll()
	close(r.done)
}

func (r *Runner) scorecard(ended time.Time, reason string) Scorecard {
	return Scorecard{Scenario: r.name, Started: r.start, Ended: ended, EndReason: reason, Goals: r.score.scores()}
}

func (r *Runner) poke() {
	select {
	case r.wake <- struct{}{}:
	default:
	}
}

// Observe scores one of the room's events. It never blocks on the drill's
// work, so the room may call it from its event path; after the end it does
// nothing.
func (r *Runner) Observe(e Event) {
	r.mu.Lock()
	if r.ended {
		r.mu.Unlock()
		return
	}
	if e.At.IsZero() {
		e.At = r.clock.Now()
	}
	r.score.observe(e)
	all := r.score.allReached()
	r.mu.Unlock()
	if all {
		r.poke()
	}
}

// Stop ends the drill with reason (e.g. "stopped by alice"; "" reads
// "stopped") and returns once every fault is removed. Stopping an ended
// drill does nothing.
func (r *Runner) Stop(reason string) {
	if reason == "" {
		reason = "stopped"
	}
	r.mu.Lock()
	if r.stopReason == "" {
		r.stopReason = reason
	}
	r.mu.Unlock()
	r.poke()
	<-r.done
}

// Done is closed when the drill has ended and every fault is removed.
func (r *Runner) Done() <-chan struct{} { return r.done }

// Err is the injection failure that ended the drill, or nil.
func (r *Runner) Err() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}

// Scorecard is the result once Done is closed; before that, the score so
// far (Ended zero, EndReason "").
func (r *Runner) Scorecard() Scorecard {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.ended {
		return r.card
	}
	return r.scorecard(time.Time{}, "")
}

// Faults are the scenario's faults as the runner applies them, with
// Mirrors filled from the fleet.
func (r *Runner) Faults() []Fault { return append([]Fault(nil), r.faults...) }
