package room

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// pauseSoakOver is action.paused's reason when a batch's soak ended, as
// opposed to a batch failing (which carries the error instead).
const pauseSoakOver = "soak over"

// soak waits out j.soak after batch n of total went well, then pauses for
// a person's continue or abort. A decision made during the soak ends it
// early. It reports false when the job ends here: aborted, or the room
// stopping (a restart then shows the action as outcome unknown, like any
// action that was running).
func (r *Room) soak(ctx context.Context, j *job, n, total int) bool {
	r.send(ctx, func() { r.st.soakStarted(j.id, n, total, j.soak, r.clock.Now()) })
	timer := r.clock.NewTimer(j.soak) // the room's clock: tests move it
	defer timer.Stop()
	var decision string
	select {
	case decision = <-j.decide:
	case <-timer.Chan():
		r.send(ctx, func() { r.st.soakOver(j.id, r.clock.Now()) })
		select {
		case decision = <-j.decide:
		case <-ctx.Done():
			return false
		}
	case <-ctx.Done():
		return false
	}
	if decision != decisionAbort {
		return true
	}
	r.send(ctx, func() {
		r.st.actionEnded(j.id, "", fmt.Errorf("aborted after batch %d/%d soaked; later batches not run", n, total), r.clock.Now())
	})
	return false
}

// soakStarted journals the soak as an output line that carries its length,
// so replay knows until when the action soaks.
func (st *state) soakStarted(id string, n, total int, d time.Duration, now time.Time) {
	a, ok := st.actByID[id]
	if !ok {
		return
	}
	line := fmt.Sprintf("soaking %s before batch %d/%d", soakText(d), n+1, total)
	st.record(Event{At: now, Kind: EvActionOutput, Subject: subjectOf(a.view.Request), Level: "info",
		Text: fmt.Sprintf("%s: %s", id, line), Fields: ActionFacts{ID: id, Line: line, Soak: d, Batch: n}.Fields()})
}

// soakOver pauses a soaking action for a decision, unless someone already
// decided during the soak (their action.resumed ended it).
func (st *state) soakOver(id string, now time.Time) {
	a, ok := st.actByID[id]
	if !ok || a.view.SoakUntil.IsZero() || a.view.State != ActionRunning {
		return
	}
	v := &a.view
	st.record(Event{At: now, Kind: EvActionPaused, Subject: subjectOf(v.Request), Level: "warning",
		Text:   fmt.Sprintf("%s paused: batch %d/%d soaked %s — continue or abort?", id, v.Batch, v.Batches, soakText(a.soak)),
		Fields: ActionFacts{ID: id, Batch: v.Batch, Reason: pauseSoakOver}.Fields()})
}

// checkDecision says whether decision fits where action a stands: a failed
// batch takes retry, continue or abort; a soak (running or over) takes
// continue or abort.
func checkDecision(a *actionState, decision string) error {
	v := a.view
	soaking := v.State == ActionRunning && !v.SoakUntil.IsZero()
	switch {
	case v.State != ActionPaused && !soaking:
		return fmt.Errorf("%s is %s, not waiting for a decision", v.ID, v.State)
	case (soaking || v.Soaked) && decision != decisionContinue && decision != decisionAbort:
		return fmt.Errorf("decision %q: %s is soaking after batch %d/%d; want continue or abort", decision, v.ID, v.Batch, v.Batches)
	case decision != decisionRetry && decision != decisionContinue && decision != decisionAbort:
		return fmt.Errorf("decision %q: want retry, continue or abort", decision)
	}
	return nil
}

// decisionText says who decided what, and after what.
func decisionText(actor, decision string, v ActionView) string {
	switch {
	case v.State == ActionRunning:
		return fmt.Sprintf("%s chose to %s %s during the soak after batch %d/%d", actor, decision, v.ID, v.Batch, v.Batches)
	case v.Soaked:
		return fmt.Sprintf("%s chose to %s %s after batch %d/%d soaked", actor, decision, v.ID, v.Batch, v.Batches)
	}
	return fmt.Sprintf("%s chose to %s %s after batch %d failed", actor, decision, v.ID, v.Batch)
}

// soakText is a soak's length as a config writes it: 30m, 1h30m, 45s.
func soakText(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// applySoak makes the soak's part of an action event's effect: an output
// line that starts a soak, a pause after one, a decision that ends it.
func applySoak(ev Event, f ActionFacts, a *actionState) {
	v := &a.view
	switch ev.Kind {
	case EvActionOutput:
		if f.Soak > 0 {
			a.soak, v.SoakUntil, v.Batch = f.Soak, ev.At.Add(f.Soak), f.Batch
		}
	case EvActionPaused:
		v.Soaked, v.SoakUntil = f.Reason == pauseSoakOver, time.Time{}
	case EvActionResumed:
		v.SoakUntil = time.Time{}
		if f.Decision != decisionAbort { // an abort stays paused as it was until it ends
			v.Soaked = false
		}
	case EvActionSucceeded, EvActionFailed, EvActionUnknown:
		v.Soaked, v.SoakUntil = false, time.Time{}
	}
}
