package room

import (
	"fmt"
	"time"
)

// autoTick records step n as done by the event cause, at doneAt.
func (st *state) autoTick(o *incidentState, n int, cause Event, now time.Time) {
	f := IncidentFacts{Step: n, Note: cause.Text, Auto: true, ByEvent: cause.Kind}
	if !cause.At.Equal(now) {
		f.DoneAt = cause.At
	}
	st.record(Event{At: now, Kind: EvIncidentStep, Subject: o.view.ID, Level: "info",
		Text:   fmt.Sprintf("%s: step %d (%s) done: %s", o.view.ID, n, StepNames()[n-1], cause.Text),
		Fields: f.Fields()})
}

// tickEarlier ticks, on declaring, the steps people already did since the
// incident began (an ack, a failover, a post made before pressing I). The
// journal stays in time order: the tick is recorded now, with done_at
// saying when the step was really done.
func (st *state) tickEarlier(o *incidentState, declared Event) {
	start := o.view.Detected
	if start.IsZero() {
		return // nothing was open: the incident begins now
	}
	for _, e := range st.timeline {
		if e.Seq >= declared.Seq || e.At.Before(start) {
			continue
		}
		if n := autoStep(e); n > 0 && !o.view.Steps[n-1].Done {
			st.autoTick(o, n, e, declared.At)
		}
	}
}

// StepDoneAt is when an incident.step event's step was done: its done_at
// for a tick recorded on declaring, else the event's time.
func StepDoneAt(ev Event) time.Time {
	if t := ev.IncidentFacts().DoneAt; !t.IsZero() {
		return t
	}
	return ev.At
}
