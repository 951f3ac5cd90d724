package report

import (
	"fmt"
	"time"

	"warroom/backends/room"
)

// base is the moment the durations count from: the first alert, or the
// declaration when no alert was raised.
func (b *builder) base() (time.Time, string) {
	if !b.r.FirstAlert.IsZero() {
		return b.r.FirstAlert, "first alert"
	}
	return b.r.DeclaredAt, "declaration"
}

func (b *builder) measure() {
	r := b.r
	start, since := b.base()
	m := func(name, since, until string, from, to time.Time) Measure {
		x := Measure{Name: name, Since: since, Until: until}
		if !from.IsZero() && !to.IsZero() {
			x.Known, x.Took = true, max(to.Sub(from), 0)
		}
		return x
	}
	if !r.FirstAlert.IsZero() {
		onset, what := b.onset()
		r.Durations = append(r.Durations, m("time to detect", what, "first alert", onset, r.FirstAlert))
	}
	if r.Declared && !r.FirstAlert.IsZero() {
		r.Durations = append(r.Durations, m("time to declare", since, "declaration", start, r.DeclaredAt))
	}
	mitigation := b.mitigatedBy
	if mitigation == "" {
		mitigation = "failover or rollback confirmed, or status mitigated"
	}
	r.Durations = append(r.Durations,
		m("time to acknowledge", since, "first acknowledgement", start, b.firstAck),
		m("time to mitigate", since, mitigation, start, b.mitigated),
		m("time to first announcement", since, "first announcement sent", start, b.firstSent),
		m("time to recover", since, "every alert cleared", start, b.recovered))
	if r.Declared {
		r.Durations = append(r.Durations, m("time to resolve", since, "status resolved", start, b.resolved))
	}
}

// onset is the first sign of trouble before the first alert: the drill's
// first fault, else the earliest first sign of a mirror that was not up at
// the first alert (the first bad probe its mirror.state event names, or in
// journals without one, the moment it left "up"). With neither, detection
// counts as immediate.
func (b *builder) onset() (time.Time, string) {
	if b.r.Scenario != nil {
		if !b.firstFault.IsZero() {
			return b.firstFault, "first drill fault"
		}
		return b.r.Scenario.Started, "drill start"
	}
	leftUp := map[string]room.Event{}
	for _, ev := range b.evs[:b.firstAlertIdx] {
		if ev.Kind != room.EvMirrorState {
			continue
		}
		if ev.MirrorFacts().To == room.StateUp {
			delete(leftUp, ev.Subject)
		} else if _, ok := leftUp[ev.Subject]; !ok {
			leftUp[ev.Subject] = ev
		}
	}
	var best *room.Event
	var at time.Time
	for _, ev := range leftUp {
		t := room.MirrorOnset(ev)
		if best == nil || t.Before(at) || (t.Equal(at) && ev.Subject < best.Subject) {
			best, at = &ev, t
		}
	}
	if best == nil {
		return b.r.FirstAlert, "first alert (no earlier sign in the journal)"
	}
	what, since := "first sign: "+best.Text, best.Subject+" left up"
	if at.Before(best.At) {
		what = fmt.Sprintf("first sign: %s %s (%s at %s)", best.Subject, trouble(*best), best.Text, clockSec(best.At))
		since = best.Subject + "'s first bad probe"
	}
	if at.Before(b.r.FirstAlert) {
		// The first sign belongs in the timeline and the span.
		b.r.Timeline = append([]Moment{{At: at, Kind: "first-sign", What: what}}, b.r.Timeline...)
		b.r.Start = minTime(b.r.Start, at)
	}
	return at, since
}

// mirrorMoment is a mirror.state event's line, saying since when the
// mirror was failing when the verdict came later than the first sign.
func mirrorMoment(ev room.Event) string {
	if on := room.MirrorOnset(ev); on.Before(ev.At) {
		return fmt.Sprintf("%s (%s since %s)", ev.Text, trouble(ev), clockSec(on))
	}
	return ev.Text
}

// trouble names what a mirror.state event's first sign was.
func trouble(ev room.Event) string {
	if ev.MirrorFacts().To == room.StateDegraded {
		return "slow or erring"
	}
	return "failing"
}

// clockSec is a time to the second in UTC, for signs seconds apart.
func clockSec(t time.Time) string { return t.UTC().Format("15:04:05") }

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func (b *builder) objectives() {
	r := b.r
	start, since := b.base()
	restored, how := b.mitigated, b.mitigatedBy
	for _, c := range []struct {
		t   time.Time
		how string
	}{{b.recovered, "every alert cleared"}, {b.resolved, "status resolved"}} {
		if !c.t.IsZero() && (restored.IsZero() || c.t.Before(restored)) {
			restored, how = c.t, c.how
		}
	}
	// When the service itself went down, only its return restores it: a
	// status or an unrelated alert clearing does not.
	if at, h, outage, ok := b.restoration(); ok && outage {
		restored, how = at, h
	}
	rto := &r.RTO
	switch {
	case !restored.IsZero():
		rto.Achieved, rto.Known = max(restored.Sub(start), 0), true
		rto.Detail = fmt.Sprintf("service restored %s after the %s (%s at %s)", Human(rto.Achieved), since, how, Clock(restored))
		rto.Verdict = verdict(rto.Set, rto.Achieved <= rto.Target)
	case rto.Set && (r.Closed || r.End.Sub(start) > rto.Target):
		rto.Verdict = Missed
		rto.Detail = fmt.Sprintf("service not restored in the %s the journal covers after the %s", Human(r.End.Sub(start)), since)
	case rto.Set:
		rto.Verdict = Pending
		rto.Detail = fmt.Sprintf("not restored yet, %s after the %s", Human(r.End.Sub(start)), since)
	default:
		rto.Verdict, rto.Detail = NoTarget, "service not restored in the span the journal covers"
	}
	if !rto.Set {
		rto.Verdict = NoTarget
	}

	rpo := &r.RPO
	var worst *Action
	for i := range r.Actions {
		a := &r.Actions[i]
		if a.Kind == room.Failover && a.Outcome == string(room.ActionSucceeded) && a.RPOKnown && (worst == nil || a.RPO > worst.RPO) {
			worst = a
		}
	}
	if worst == nil {
		rpo.Verdict, rpo.Detail = Unknown, "no confirmed failover recorded its target's sync lag: nothing to measure"
		if !rpo.Set {
			rpo.Verdict = NoTarget
		}
		return
	}
	rpo.Achieved, rpo.Known = worst.RPO, true
	rpo.Detail = fmt.Sprintf("%s (%s) served data %s behind the origin when confirmed", worst.What, worst.ID, Human(worst.RPO))
	rpo.Verdict = verdict(rpo.Set, rpo.Achieved <= rpo.Target)
}

func verdict(set, ok bool) string {
	switch {
	case !set:
		return NoTarget
	case ok:
		return Met
	default:
		return Missed
	}
}
