package drill

import (
	"testing"
	"time"
)

const scoredScenario = `name: scored
duration: 20m
goals:
  detect: 1m
  acknowledge: 3m
  failover: 5m
  rollback: 6m
  announce: 5m
  recover: 15m
faults:
  - {at: 1m, for: 5m, kind: region-down, region: eu-west}
  - {at: 2m, for: 4m, kind: drift, mirror: tokyo}
`

// newTestScorer scores scoredScenario with its first fault at t0+1m.
func newTestScorer(t *testing.T, fleet map[string]string) *scorer {
	t.Helper()
	s := mustParse(t, scoredScenario)
	faults := append([]Fault(nil), s.Faults...)
	for i := range faults {
		faults[i].Mirrors = touched(faults[i], fleet)
	}
	return newScorer(s, faults, t0.Add(s.firstAt()), fleet)
}

// ev is an event; detail is action.succeeded's action or mirror.state's to.
func ev(after time.Duration, kind, subject string, detail ...string) Event {
	e := Event{At: t0.Add(after), Kind: kind, Subject: subject}
	if len(detail) > 0 {
		e.Action, e.To = detail[0], detail[0]
	}
	return e
}

// TestScoreMetMissedNever: goals count from the first fault (1m); alerts
// on mirrors the drill never touched, events before the first fault and
// other actions score nothing.
func TestScoreMetMissedNever(t *testing.T) {
	sc := newTestScorer(t, testFleet)
	for _, e := range []Event{
		ev(30*time.Second, EvAlertRaised, "madrid"),  // before the first fault
		ev(70*time.Second, EvAlertRaised, "osaka"),   // a mirror the drill never touched
		ev(80*time.Second, EvAlertAcked, "osaka"),    // likewise
		ev(90*time.Second, EvAlertRaised, "paris"),   // detect: 30s, met
		ev(100*time.Second, EvAlertRaised, "madrid"), // later ones change nothing
		ev(5*time.Minute, EvAlertAcked, "tokyo"),     // acknowledge: 4m, missed
		ev(5*time.Minute, EvActionSucceeded, "x", "exec"),
		ev(6*time.Minute, EvActionSucceeded, "paris", "failover"), // failover: 5m, met exactly
		ev(7*time.Minute, EvPostSent, "slack"),                    // announce: 6m, missed
	} {
		sc.observe(e)
	}
	want := []GoalScore{
		{Name: GoalDetect, Target: time.Minute, Achieved: 30 * time.Second, Reached: true, Met: true},
		{Name: GoalAcknowledge, Target: 3 * time.Minute, Achieved: 4 * time.Minute, Reached: true},
		{Name: GoalFailover, Target: 5 * time.Minute, Achieved: 5 * time.Minute, Reached: true, Met: true},
		{Name: GoalRollback, Target: 6 * time.Minute},
		{Name: GoalAnnounce, Target: 5 * time.Minute, Achieved: 6 * time.Minute, Reached: true},
		{Name: GoalRecover, Target: 15 * time.Minute},
	}
	got := sc.scores()
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("goal %s = %+v, want %+v", want[i].Name, got[i], want[i])
		}
	}
	if sc.allReached() || sc.allMet() {
		t.Error("allReached/allMet with rollback and recover never reached")
	}
}

// TestScoreRecover: recovered once every fault is removed and every mirror
// the drill broke is up again; a mirror whose state never changed counts
// as up.
func TestScoreRecover(t *testing.T) {
	sc := newTestScorer(t, testFleet)
	sc.observe(ev(2*time.Minute, EvMirrorState, "madrid", "down"))
	sc.observe(ev(2*time.Minute, EvMirrorState, "paris", "down"))
	sc.observe(ev(3*time.Minute, EvMirrorState, "paris", "up")) // up while a fault is still applied
	sc.removed(t0.Add(6 * time.Minute))
	sc.removed(t0.Add(6 * time.Minute))
	if _, ok := sc.reached[GoalRecover]; ok {
		t.Fatal("recovered while madrid is still down")
	}
	sc.observe(ev(6*time.Minute+10*time.Second, EvMirrorState, "madrid", "degraded"))
	if _, ok := sc.reached[GoalRecover]; ok {
		t.Fatal("recovered while madrid is degraded")
	}
	sc.observe(ev(6*time.Minute+20*time.Second, EvMirrorState, "osaka", "down")) // not the drill's
	sc.observe(ev(6*time.Minute+30*time.Second, EvMirrorState, "madrid", "up"))
	if got := sc.reached[GoalRecover]; got != 5*time.Minute+30*time.Second {
		t.Errorf("recovered after %v, want 5m30s (tokyo never changed state, osaka is not the drill's)", got)
	}
}

// TestScoreWithoutFleet: a region cannot be expanded, so any alert counts
// and recovery waits only for the faults to go.
func TestScoreWithoutFleet(t *testing.T) {
	sc := newTestScorer(t, nil)
	sc.observe(ev(90*time.Second, EvAlertRaised, "osaka"))
	if got := sc.reached[GoalDetect]; got != 30*time.Second {
		t.Errorf("detect = %v, want 30s from any alert", got)
	}
	sc.removed(t0.Add(5 * time.Minute))
	sc.removed(t0.Add(6 * time.Minute))
	if got := sc.reached[GoalRecover]; got != 5*time.Minute {
		t.Errorf("recover = %v, want 5m", got)
	}
}

// TestScoreHostFaults: with host pressure, an alert on a host (a subject
// that is no mirror) detects; one on an untouched mirror still does not.
func TestScoreHostFaults(t *testing.T) {
	s := mustParse(t, `name: h
duration: 10m
goals: {detect: 1m, acknowledge: 2m}
faults:
  - {at: 0s, kind: host-cpu, percent: 95}
  - {at: 0s, kind: mirror-down, mirror: tokyo}
`)
	faults := append([]Fault(nil), s.Faults...)
	for i := range faults {
		faults[i].Mirrors = touched(faults[i], testFleet)
	}
	sc := newScorer(s, faults, t0, testFleet)
	sc.observe(ev(10*time.Second, EvAlertRaised, "osaka"))
	sc.observe(ev(20*time.Second, EvAlertRaised, "bastion"))
	sc.observe(ev(30*time.Second, EvAlertAcked, "tokyo"))
	if d, a := sc.reached[GoalDetect], sc.reached[GoalAcknowledge]; d != 20*time.Second || a != 30*time.Second {
		t.Errorf("detect %v acknowledge %v, want 20s and 30s", d, a)
	}
	if !sc.allReached() || !sc.allMet() {
		t.Error("every goal reached in time, yet not all met")
	}
}
