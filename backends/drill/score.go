package drill

import (
	"time"
)

// scorer turns the room's events into goal times. It is not safe for
// concurrent use; the Runner guards it.
//
// Goals count from origin, the first fault's injection. Alerts only count
// when they concern what the drill broke: a mirror it faulted, or (when it
// applies host pressure) a subject that is not a mirror. An alert on a
// mirror the drill never touched — the demo fleet misbehaves on its own —
// detects nothing.
type scorer struct {
	goals      []Goal
	origin     time.Time
	reached    map[string]time.Duration
	fleet      map[string]string // nil = unknown
	affected   map[string]bool   // mirrors the drill's faults break
	hostFaults bool
	anySubject bool              // alerts on any subject count
	left       int               // faults not yet removed
	state      map[string]string // latest mirror.state "to" seen per mirror
}

func newScorer(s *Scenario, faults []Fault, origin time.Time, fleet map[string]string) *scorer {
	sc := &scorer{
		goals:    s.Goals,
		origin:   origin,
		reached:  map[string]time.Duration{},
		fleet:    fleet,
		affected: map[string]bool{},
		left:     len(faults),
		state:    map[string]string{},
	}
	unexpanded := false
	for _, f := range faults {
		for _, m := range f.Mirrors {
			sc.affected[m] = true
		}
		if f.TouchesMirrors() && len(f.Mirrors) == 0 {
			unexpanded = true // a region without a fleet to expand it
		}
		if f.Kind == KindHostCPU || f.Kind == KindHostMemory {
			sc.hostFaults = true
		}
	}
	sc.anySubject = len(sc.affected) == 0 || (fleet == nil && (unexpanded || sc.hostFaults))
	return sc
}

// observe scores one event.
func (sc *scorer) observe(e Event) {
	switch e.Kind {
	case EvAlertRaised:
		if sc.relevant(e.Subject) {
			sc.reach(GoalDetect, e.At)
		}
	case EvAlertAcked:
		if sc.relevant(e.Subject) {
			sc.reach(GoalAcknowledge, e.At)
		}
	case EvActionSucceeded:
		switch e.Action {
		case "failover":
			sc.reach(GoalFailover, e.At)
		case "rollback":
			sc.reach(GoalRollback, e.At)
		}
	case EvPostSent:
		sc.reach(GoalAnnounce, e.At)
	case EvMirrorState:
		sc.state[e.Subject] = e.To
		sc.checkRecover(e.At)
	}
}

// removed notes that a fault was removed at now.
func (sc *scorer) removed(now time.Time) {
	sc.left--
	sc.checkRecover(now)
}

// checkRecover: recovered when no fault is left and every affected mirror's
// latest state is up. A mirror with no state change seen during the drill
// never left the state it started in (drills assume a healthy start).
func (sc *scorer) checkRecover(at time.Time) {
	if sc.left > 0 {
		return
	}
	for m := range sc.affected {
		if st, seen := sc.state[m]; seen && st != "up" {
			return
		}
	}
	sc.reach(GoalRecover, at)
}

func (sc *scorer) relevant(subject string) bool {
	if sc.anySubject || sc.affected[subject] {
		return true
	}
	if sc.hostFaults {
		_, isMirror := sc.fleet[subject]
		return !isMirror
	}
	return false
}

// reach records a goal's first achievement; events before the first fault
// and goals the scenario does not set are ignored.
func (sc *scorer) reach(goal string, at time.Time) {
	if _, done := sc.reached[goal]; done || at.Before(sc.origin) {
		return
	}
	for _, g := range sc.goals {
		if g.Name == goal {
			sc.reached[goal] = at.Sub(sc.origin)
			return
		}
	}
}

// allReached: every goal happened (in time or not).
func (sc *scorer) allReached() bool {
	return len(sc.goals) > 0 && len(sc.reached) == len(sc.goals)
}

// lastReached is when the last goal reached was.
func (sc *scorer) lastReached() time.Time {
	var last time.Duration
	for _, d := range sc.reached {
		last = max(last, d)
	}
	return sc.origin.Add(last)
}

// allMet: every goal happened in time.
func (sc *scorer) allMet() bool {
	for _, g := range sc.scores() {
		if !g.Met {
			return false
		}
	}
	return true
}

func (sc *scorer) scores() []GoalScore {
	out := make([]GoalScore, 0, len(sc.goals))
	for _, g := range sc.goals {
		gs := GoalScore{Name: g.Name, Target: g.Within}
		if d, ok := sc.reached[g.Name]; ok {
			gs.Achieved, gs.Reached, gs.Met = d, true, d <= g.Within
		}
		out = append(out, gs)
	}
	return out
}
