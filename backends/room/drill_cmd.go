package room

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"warroom/backends/drill"
)

// StartDrill runs a rehearsed outage in the room: it journals drill.started
// and a drill incident (DRILL-…), then applies the scenario's faults through
// the configured injector and scores the room's events until the drill ends
// (goals reached, time limit, StopDrill, or the room stopping). Unless the
// scenario is live, actions run dry meanwhile, and announcements are
// marked and kept to drill channels.
func (r *Room) StartDrill(ctx context.Context, sc *drill.Scenario, file string, actor Actor) error {
	if err := allow(actor, PermDrill); err != nil {
		return err
	}
	switch {
	case sc == nil:
		return errors.New("no drill scenario: load one first (examples/drills has some)")
	case r.opts.Drills.Injector == nil:
		return fmt.Errorf("drill %q: drills are not available here: no fault injector is wired to this room", sc.Name)
	}
	fleet := r.drillFleet()
	if err := sc.Check(fleet); err != nil {
		return fmt.Errorf("drill %q does not fit this fleet:\n%w", sc.Name, err)
	}
	// Once drill.started is journaled the drill starts whether or not the
	// caller still waits: a recorded drill never stays without a runner.
	started := make(chan error, 1)
	err := r.doMany(ctx, func() ([]Event, error) {
		return r.st.drillStartEvents(sc, file, actor.Name, r.clock.Now())
	}, func([]Event) {
		ended := make(chan struct{})
		r.st.drill.ended = ended
		go func() { started <- r.runDrill(sc, fleet, ended) }()
	})
	if err != nil {
		return err
	}
	select {
	case err := <-started:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// runDrill starts a journaled drill's runner, gives it to the room and
// watches for its end. A runner that cannot start is recorded as the
// drill's end.
func (r *Room) runDrill(sc *drill.Scenario, fleet map[string]string, ended chan struct{}) error {
	runCtx := r.workCtx() // set by Run before it took the drill's start; ends with the term
	clock := r.opts.Drills.Clock
	if clock == nil {
		clock = r.clock
	}
	inj := faultRecorder{r: r, inj: r.opts.Drills.Injector}
	runner, err := drill.Start(runCtx, sc, inj, clock, drill.WithFleet(fleet))
	if err != nil {
		now := r.clock.Now()
		card := drill.Scorecard{Scenario: sc.Name, Started: now, Ended: now, EndReason: "not started"}
		_ = r.recordDrillEnd(card, "not started: "+err.Error(), ended)
		return err
	}
	attached := make(chan struct{})
	r.send(runCtx, func() { r.st.attachRunner(runner); close(attached) })
	go r.watchDrill(runner, ended)
	select {
	case <-attached:
		return nil
	case <-runCtx.Done():
		return fmt.Errorf("drill %q: the room stopped while it started", sc.Name)
	}
}

// StopDrill ends the running drill: every fault is removed and the
// scorecard journaled before it returns. The end reason reads "stopped by
// NAME: reason".
func (r *Room) StopDrill(ctx context.Context, reason string, actor Actor) error {
	if err := allow(actor, PermDrill); err != nil {
		return err
	}
	var runner *drill.Runner
	var ended chan struct{}
	err := r.doMany(ctx, func() ([]Event, error) {
		d := r.st.drill
		switch {
		case !r.st.drillRunning():
			return nil, errors.New("no drill is running")
		case d.runner == nil:
			return nil, fmt.Errorf("drill %q is still starting: try again in a moment", d.view.Name)
		}
		runner, ended = d.runner, d.ended
		return nil, nil
	}, nil)
	if err != nil {
		return err
	}
	why := "stopped by " + actor.Name
	switch reason = strings.TrimSpace(reason); {
	case strings.HasPrefix(reason, "stopped by "):
		why = reason // the caller named the person already
	case reason != "":
		why += ": " + reason
	}
	runner.Stop(why) // returns once every fault is removed
	select {
	case <-ended:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// drillStartEvents validates a drill's start and returns drill.started and
// the drill incident's declaration.
func (st *state) drillStartEvents(sc *drill.Scenario, file, actor string, now time.Time) ([]Event, error) {
	if st.drillRunning() {
		d := st.drill.view
		return nil, fmt.Errorf("drill %q is already running (since %s): stop it first", d.Name, d.Started.Format("15:04:05"))
	}
	if o := st.inc.open; o != nil {
		return nil, fmt.Errorf("incident %s (%q, %s) is open: no drills while it is", o.view.ID, o.view.Title, o.view.Status)
	}
	title := "drill: " + sc.Name
	if sc.Description != "" {
		title += " — " + sc.Description
	}
	declared, err := st.declareEvent(IncidentSpec{Level: 1, Title: title}, true, actor, now)
	if err != nil {
		return nil, err
	}
	mode := "dry run"
	if sc.Live {
		mode = "LIVE: actions run for real"
	}
	started := Event{At: now, Kind: EvDrillStarted, Subject: sc.Name, Actor: actor, Level: "warning",
		Text: fmt.Sprintf("%s started drill %s (%s, %s, %d faults)", actor, sc.Name, mode, sc.Duration, len(sc.Faults)),
		Fields: DrillFacts{File: file, Live: sc.Live, Incident: declared.Subject, Duration: sc.Duration,
			Description: sc.Description}.Fields()}
	return []Event{started, declared}, nil
}

// drillFleet is the fleet drills check scenarios against.
func (r *Room) drillFleet() map[string]string {
	if r.opts.Drills.Fleet != nil {
		return r.opts.Drills.Fleet
	}
	fleet := make(map[string]string, len(r.opts.Config.Mirrors))
	for _, m := range r.opts.Config.Mirrors {
		fleet[m.Name] = m.Region
	}
	return fleet
}

// watchDrill journals the drill's end once its runner is done. If the room
// stops first the end is not recorded, and the next start marks the drill
// interrupted.
func (r *Room) watchDrill(runner *drill.Runner, ended chan struct{}) {
	<-runner.Done()
	card := runner.Scorecard()
	reason := card.EndReason
	if err := runner.Err(); err != nil && !strings.Contains(reason, err.Error()) {
		reason += ": " + err.Error()
	}
	_ = r.recordDrillEnd(card, reason, ended)
}

// recordDrillEnd journals the drill's end and then closes ended.
func (r *Room) recordDrillEnd(card drill.Scorecard, reason string, ended chan struct{}) error {
	return r.doMany(r.ctx(), func() ([]Event, error) {
		return r.st.drillEndEvents(card, reason, r.clock.Now()), nil
	}, func([]Event) { close(ended) })
}

// faultRecorder records each fault the drill applies and removes as a
// drill.fault event, for the timeline and the report.
type faultRecorder struct {
	r   *Room
	inj drill.Injector
}

func (f faultRecorder) Inject(fault drill.Fault) (func(), error) {
	remove, err := f.inj.Inject(fault)
	if err != nil {
		return remove, err
	}
	f.note(fault, FaultApplied)
	return func() {
		if remove != nil {
			remove()
		}
		f.note(fault, FaultRemoved)
	}, nil
}

// note queues a drill.fault event; it never waits on the room beyond the
// inbox, and is dropped once the room stops.
func (f faultRecorder) note(fault drill.Fault, state string) {
	r := f.r
	where := faultWhere(fault)
	fields := DrillFacts{FaultKind: fault.Kind, FaultState: state, Mirrors: fault.Mirrors}.Fields()
	r.send(r.ctx(), func() {
		if !r.st.drillRunning() {
			return
		}
		r.st.record(Event{At: r.clock.Now(), Kind: EvDrillFault, Subject: where, Level: "warning",
			Text: fmt.Sprintf("drill fault %s: %s %s", state, fault.Kind, where), Fields: fields})
	})
}
