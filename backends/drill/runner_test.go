package drill

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"
)

const timedScenario = `name: timed
duration: 1m
goals: {detect: 50s}
faults:
  - at: 0s
    for: 30s
    kind: mirror-down
    mirror: tokyo
  - at: 10s
    kind: host-cpu
    percent: 95
  - at: 20s
    for: 5s
    kind: slow
    mirror: osaka
    delay: 2s
  - at: 30s
    for: 10s
    kind: region-down
    region: eu-west
`

// start runs a scenario on a fake clock at t0 and waits until it is idle.
func start(t *testing.T, ctx context.Context, src string, opts ...Option) (*Runner, *fakeInjector, *clockwork.FakeClock) {
	t.Helper()
	clock := clockwork.NewFakeClockAt(t0)
	fi := &fakeInjector{clock: clock}
	r, err := Start(ctx, mustParse(t, src), fi, clock, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { r.Stop("test over") })
	settle(t, clock, r)
	return r, fi, clock
}

// TestRunnerAppliesAndRemovesOnTime steps a fake clock a second at a time
// and checks each fault went in and out at its second, and that the time
// limit removed the one meant to last.
func TestRunnerAppliesAndRemovesOnTime(t *testing.T) {
	r, fi, clock := start(t, context.Background(), timedScenario, WithFleet(testFleet))
	if n := len(fi.snapshot()); n != 1 {
		t.Fatalf("%d faults applied at the start, want 1 (at: 0s)", n)
	}
	for i := 0; i < 60; i++ {
		if i == 25 && fi.applied() != 2 {
			t.Errorf("at 25s %d faults applied, want 2 (mirror-down, host-cpu)", fi.applied())
		}
		clock.Advance(time.Second)
		settle(t, clock, r)
	}
	waitDone(t, r)
	at := func(d time.Duration) time.Time { return t0.Add(d) }
	want := []struct {
		kind             string
		applied, removed time.Time
	}{
		{KindMirrorDown, at(0), at(30 * time.Second)},
		{KindHostCPU, at(10 * time.Second), at(time.Minute)},
		{KindSlow, at(20 * time.Second), at(25 * time.Second)},
		{KindRegionDown, at(30 * time.Second), at(40 * time.Second)},
	}
	log := fi.snapshot()
	if len(log) != len(want) {
		t.Fatalf("%d faults applied, want %d", len(log), len(want))
	}
	for i, w := range want {
		if l := log[i]; l.fault.Kind != w.kind || !l.appliedAt.Equal(w.applied) || !l.removedAt.Equal(w.removed) {
			t.Errorf("fault %d: %s applied %v removed %v; want %s %v→%v", i, l.fault.Kind,
				l.appliedAt.Sub(t0), l.removedAt.Sub(t0), w.kind, w.applied.Sub(t0), w.removed.Sub(t0))
		}
	}
	if got := strings.Join(log[3].fault.Mirrors, ","); got != "madrid,paris" {
		t.Errorf("region-down expanded to %q, want madrid,paris", got)
	}
	assertAllRemovedOnce(t, fi)
	c := r.Scorecard()
	if c.EndReason != EndTimeLimit || !c.Ended.Equal(at(time.Minute)) || !c.Started.Equal(t0) {
		t.Errorf("scorecard %+v, want time limit at 1m", c)
	}
	if g := c.Goals[0]; g.Reached || g.Met || g.Achieved != 0 {
		t.Errorf("detect with no events = %+v, want never reached", g)
	}
}

// TestRunnerRemovalBeforeApplyAtOneInstant: a fault replacing another on
// the same mirror at the same second lands after the old one is gone.
func TestRunnerRemovalBeforeApplyAtOneInstant(t *testing.T) {
	plan := makePlan([]Fault{
		{At: 10 * time.Second, For: time.Minute},
		{At: 0, For: 10 * time.Second},
	}, 5*time.Minute)
	want := []step{{at: 0, fault: 1}, {at: 10 * time.Second, remove: true, fault: 1}, {at: 10 * time.Second, fault: 0}, {at: 70 * time.Second, remove: true, fault: 0}}
	for i := range want {
		if plan[i] != want[i] {
			t.Fatalf("plan = %+v, want %+v", plan, want)
		}
	}
}

func TestRunnerStopRemovesEverything(t *testing.T) {
	r, fi, clock := start(t, context.Background(), timedScenario)
	clock.Advance(21 * time.Second)
	settle(t, clock, r)
	if fi.applied() != 3 {
		t.Fatalf("%d faults applied at 21s, want 3", fi.applied())
	}
	r.Stop("stopped by alice")
	// Stop returns only once everything is removed.
	if fi.applied() != 0 {
		t.Errorf("%d faults still applied after Stop", fi.applied())
	}
	assertAllRemovedOnce(t, fi)
	if c := r.Scorecard(); c.EndReason != "stopped by alice" || c.Ended.Sub(c.Started) != 21*time.Second {
		t.Errorf("scorecard after Stop: %q after %v", c.EndReason, c.Ended.Sub(c.Started))
	}
	r.Stop("again") // a second Stop is harmless and changes nothing
	if c := r.Scorecard(); c.EndReason != "stopped by alice" {
		t.Errorf("second Stop changed the reason to %q", c.EndReason)
	}
}

func TestRunnerCancelRemovesEverything(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	r, fi, clock := start(t, ctx, timedScenario)
	clock.Advance(12 * time.Second)
	settle(t, clock, r)
	cancel()
	waitDone(t, r)
	if fi.applied() != 0 || len(fi.snapshot()) != 2 {
		t.Errorf("after cancel: %d of %d faults still applied", fi.applied(), len(fi.snapshot()))
	}
	assertAllRemovedOnce(t, fi)
	if c := r.Scorecard(); c.EndReason != EndCancelled {
		t.Errorf("end reason %q, want %q", c.EndReason, EndCancelled)
	}
}

// TestRunnerInjectFailingMidwayEndsCleanly: the third fault cannot be
// applied; the drill ends at once, with the two before it removed.
func TestRunnerInjectFailingMidwayEndsCleanly(t *testing.T) {
	clock := clockwork.NewFakeClockAt(t0)
	var partial bool
	fi := &fakeInjector{clock: clock, fail: func(f Fault) error {
		if f.Kind == KindSlow {
			return errors.New("sim: mirror \"osaka\": no such node")
		}
		return nil
	}}
	r, err := Start(context.Background(), mustParse(t, timedScenario), injectorFunc(func(f Fault) (func(), error) {
		remove, err := fi.Inject(f)
		if err != nil {
			// A half-applied fault hands back its undo with the error.
			return func() { partial = true }, err
		}
		return remove, nil
	}), clock)
	if err != nil {
		t.Fatal(err)
	}
	settle(t, clock, r)
	clock.Advance(20 * time.Second)
	waitDone(t, r)
	if fi.applied() != 0 || len(fi.snapshot()) != 2 {
		t.Errorf("%d of %d faults left applied after a failed inject", fi.applied(), len(fi.snapshot()))
	}
	assertAllRemovedOnce(t, fi)
	if !partial {
		t.Error("the failed fault's partial undo was not called")
	}
	want := `drill "timed": slow fault at line 12 (at 20s): sim: mirror "osaka": no such node`
	if err := r.Err(); err == nil || err.Error() != want {
		t.Errorf("Err() = %v, want %s", err, want)
	}
	if c := r.Scorecard(); c.EndReason != "fault failed: "+want {
		t.Errorf("end reason %q", c.EndReason)
	}
}

type injectorFunc func(Fault) (func(), error)

func (f injectorFunc) Inject(x Fault) (func(), error) { return f(x) }

// TestStartFailsCleanlyWhenAnImmediateFaultFails: faults due at once are
// applied by Start; if one fails, Start removes the others and says which.
func TestStartFailsCleanlyWhenAnImmediateFaultFails(t *testing.T) {
	clock := clockwork.NewFakeClockAt(t0)
	fi := &fakeInjector{clock: clock, fail: func(f Fault) error {
		if f.Kind == KindWebhookFail {
			return errors.New("no channel \"slack\"")
		}
		return nil
	}}
	s := mustParse(t, `name: x
duration: 1m
goals: {announce: 30s}
faults:
  - {at: 0s, kind: mirror-down, mirror: tokyo}
  - {at: 0s, kind: host-memory, percent: 95}
  - {at: 0s, kind: webhook-fail, channel: slack}
`)
	_, err := Start(context.Background(), s, fi, clock)
	if err == nil || !strings.Contains(err.Error(), `webhook-fail fault at line 7 (at 0s): no channel "slack"`) {
		t.Errorf("Start: %v", err)
	}
	if fi.applied() != 0 || len(fi.snapshot()) != 2 {
		t.Errorf("%d of %d faults left applied", fi.applied(), len(fi.snapshot()))
	}
	assertAllRemovedOnce(t, fi)
}

func TestStartRejectsBadInput(t *testing.T) {
	clock := clockwork.NewFakeClockAt(t0)
	fi := &fakeInjector{clock: clock}
	s := mustParse(t, timedScenario)
	if _, err := Start(context.Background(), s, fi, clock, WithFleet(map[string]string{"tokyo": "ap-northeast"})); err == nil ||
		!strings.Contains(err.Error(), `test.yaml:15: faults[2].mirror: no mirror "osaka"`) {
		t.Errorf("Start with a fleet missing a mirror: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Start(ctx, s, fi, clock); !errors.Is(err, context.Canceled) {
		t.Errorf("Start with a done context: %v", err)
	}
	if _, err := Start(context.Background(), nil, fi, clock); err == nil {
		t.Error("Start without a scenario succeeded")
	}
	if _, err := Start(context.Background(), s, nil, clock); err == nil {
		t.Error("Start without an injector succeeded")
	}
	if len(fi.snapshot()) != 0 {
		t.Error("a refused Start applied faults")
	}
}

// TestRunnerEndsWhenGoalsAreReached: the last goal reached ends the drill
// at once, faults still scheduled included.
func TestRunnerEndsWhenGoalsAreReached(t *testing.T) {
	r, fi, clock := start(t, context.Background(), `name: x
duration: 10m
goals: {detect: 1m, failover: 2m}
faults:
  - {at: 10s, kind: mirror-down, mirror: tokyo}
  - {at: 5m, kind: mirror-down, mirror: osaka}
`, WithFleet(testFleet))
	clock.Advance(30 * time.Second)
	settle(t, clock, r)
	r.Observe(Event{At: clock.Now(), Kind: EvAlertRaised, Subject: "tokyo"})
	clock.Advance(3 * time.Minute)
	settle(t, clock, r)
	r.Observe(Event{Kind: EvActionSucceeded, Subject: "paris", Action: "failover"}) // At from the clock
	waitDone(t, r)
	c := r.Scorecard()
	if c.EndReason != EndGoalsReached || c.Ended.Sub(t0) != 3*time.Minute+30*time.Second {
		t.Errorf("ended %q after %v, want goals reached after 3m30s", c.EndReason, c.Ended.Sub(t0))
	}
	if len(fi.snapshot()) != 1 || fi.applied() != 0 {
		t.Errorf("faults: %d applied in all, %d left", len(fi.snapshot()), fi.applied())
	}
	want := []GoalScore{
		{Name: GoalDetect, Target: time.Minute, Achieved: 20 * time.Second, Reached: true, Met: true},
		{Name: GoalFailover, Target: 2 * time.Minute, Achieved: 3*time.Minute + 20*time.Second, Reached: true, Met: false},
	}
	for i := range want {
		if c.Goals[i] != want[i] {
			t.Errorf("goal %d = %+v, want %+v", i, c.Goals[i], want[i])
		}
	}
	r.Observe(Event{Kind: EvPostSent}) // after the end: ignored, no panic
	if got := r.Scorecard(); len(got.Goals) != 2 || got.EndReason != c.EndReason {
		t.Error("an event after the end changed the scorecard")
	}
}
