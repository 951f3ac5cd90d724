package room

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jonboulle/clockwork"

	"warroom/backends/drill"
)

// DrillOptions let the room run drills. The command wires the injector:
// the simulated fleet in the demo, a filter between the probes and the
// room on a real fleet.
type DrillOptions struct {
	Injector drill.Injector    // nil: drills are refused
	Fleet    map[string]string // mirror → region; nil: from the config
	Clock    clockwork.Clock   // the drill's clock; nil: the room's
}

// drillShown is how long an ended drill's scorecard stays in snapshots.
const drillShown = 30 * time.Minute

// earlyKept bounds the events kept for a runner not yet attached.
const earlyKept = 1000

// drillState is the drill of the journal: running, or the last one ended.
type drillState struct {
	view    DrillView
	running bool
	endedAt time.Time
	faults  []string // applied now, as drill.fault events said

	// Live only: the runner scoring the room's events, the events seen
	// before it was attached, and a channel closed once drill.ended is
	// journaled.
	runner *drill.Runner
	early  []drill.Event
	ended  chan struct{}
}

func (st *state) drillRunning() bool { return st.drill != nil && st.drill.running }

// drillDryRun is true while a drill that is not live runs: actions then go
// to dry-run executors and leave the active marker where it is.
func (st *state) drillDryRun() bool { return st.drillRunning() && !st.drill.view.Live }

// applyDrill makes a drill event's effect; replay uses it too.
func (st *state) applyDrill(ev Event) {
	f := ev.DrillFacts()
	switch ev.Kind {
	case EvDrillStarted:
		st.drill = &drillState{running: true, view: DrillView{Name: ev.Subject, File: f.File, Incident: f.Incident,
			Started: ev.At, Ends: ev.At.Add(f.Duration), Live: f.Live}}
	case EvDrillFault:
		if !st.drillRunning() {
			return
		}
		d := st.drill
		line := strings.TrimSpace(f.FaultKind + " " + ev.Subject)
		if f.FaultState == FaultApplied {
			d.faults = append(d.faults, line)
			return
		}
		for i, l := range d.faults {
			if l == line {
				d.faults = append(d.faults[:i:i], d.faults[i+1:]...)
				break
			}
		}
	case EvDrillEnded:
		if st.drill == nil || st.drill.view.Name != ev.Subject {
			return
		}
		d := st.drill
		d.running, d.endedAt, d.faults, d.runner, d.early = false, ev.At, nil, nil, nil
		d.view.Ended, d.view.Reason = true, f.Reason
		if card := f.Scorecard; card != nil {
			d.view.Scorecard = card
			d.view.Goals = card.Goals
		}
	}
}

// followDrill hands a live event to the drill's runner for scoring.
func (st *state) followDrill(ev Event) {
	if !st.replayed || !st.drillRunning() {
		return
	}
	de := drill.Event{At: ev.At, Kind: ev.Kind, Subject: ev.Subject}
	switch ev.Kind {
	case EvActionSucceeded:
		de.Action = ev.ActionFacts().Request.Kind
	case EvMirrorState:
		de.To = string(ev.MirrorFacts().To)
	}
	d := st.drill
	if d.runner != nil {
		d.runner.Observe(de)
		return
	}
	if len(d.early) < earlyKept {
		d.early = append(d.early, de)
	}
}

// attachRunner gives the running drill its runner and the events it missed.
func (st *state) attachRunner(r *drill.Runner) {
	d := st.drill
	d.runner = r
	for _, e := range d.early {
		r.Observe(e)
	}
	d.early = nil
}

// drillEndEvents are the facts of a drill's end: drill.ended with its
// scorecard, and the drill incident closed, since a finished rehearsal must
// never block declaring a real incident.
func (st *state) drillEndEvents(card drill.Scorecard, reason string, now time.Time) []Event {
	if !st.drillRunning() {
		return nil
	}
	d := st.drill
	evs := []Event{{At: now, Kind: EvDrillEnded, Subject: d.view.Name, Level: "info",
		Text:   fmt.Sprintf("drill %s ended: %s (%d of %d goals met)", d.view.Name, reason, card.Met(), len(card.Goals)),
		Fields: DrillFacts{Reason: reason, Scorecard: &card, Incident: d.view.Incident}.Fields()}}
	if o := st.inc.open; o != nil && o.view.Drill && o.view.ID == d.view.Incident {
		closing, _ := statusEvents(&o.view, StatusClosed, "", EvDrillEnded, now)
		evs = append(evs, closing...)
	}
	return evs
}

// interruptedDrill ends a drill the journal shows running: the process
// died during it, and its faults, applied in that process, went with it.
func (st *state) interruptedDrill(now time.Time) {
	if !st.drillRunning() {
		return
	}
	card := drill.Scorecard{Scenario: st.drill.view.Name, Started: st.drill.view.Started, Ended: now, EndReason: "interrupted"}
	for _, ev := range st.drillEndEvents(card, "interrupted", now) {
		st.record(ev)
	}
}

// drillView is the drill for a snapshot: the running one with its score so
// far, or the last one's scorecard for a while after it ended.
func (st *state) drillView(now time.Time) *DrillView {
	d := st.drill
	if d == nil {
		return nil
	}
	if !d.running {
		if now.Sub(d.endedAt) > drillShown || (st.inc.open != nil && !st.inc.open.view.Drill) {
			return nil
		}
		v := d.view
		return &v
	}
	v := d.view
	v.Faults = append([]string(nil), d.faults...)
	if d.runner != nil {
		v.Goals = d.runner.Scorecard().Goals
	}
	return &v
}

// drillAnnouncement marks an announcement made during a drill and keeps it
// off live channels: with drill channels configured it goes only to them
// (those chosen, or all of them if none was), and it always carries the
// drill mark, which every payload shows as "[DRILL] ".
func (st *state) drillAnnouncement(a Announcement) Announcement {
	if !st.drillRunning() {
		return a
	}
	a.Drill = true
	var drillChans, chosen []string
	for _, c := range st.cfg.Notify.Channels {
		if c.Drill {
			drillChans = append(drillChans, c.Name)
		}
	}
	if len(drillChans) == 0 {
		return a
	}
	for _, name := range a.Channels {
		if slices.Contains(drillChans, name) {
			chosen = append(chosen, name)
		}
	}
	if len(chosen) == 0 {
		chosen = drillChans
	}
	a.Channels = chosen
	return a
}

// faultWhere names what a fault breaks, for drill.fault's subject.
func faultWhere(f drill.Fault) string {
	switch {
	case f.Mirror != "":
		return f.Mirror
	case f.Region != "":
		return f.Region
	case f.Channel != "":
		return f.Channel
	case f.Kind == drill.KindWebhookFail:
		return "every channel"
	default:
		return "host"
	}
}
