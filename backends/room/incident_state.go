package room

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// incidentState is the open incident, rebuilt from its events.
type incidentState struct {
	view IncidentView
	// outage: the service was down (an active mirror not up) at some
	// moment since the incident began, so only its return restores it.
	outage bool
}

// incidents is the room's record of incidents and notes: the open one,
// the day counters ids are made from, the notes people may pin, and the
// proposal to declare one.
type incidents struct {
	open     *incidentState
	daySeq   map[string]int   // "INC-20261121" → last number used
	notes    map[uint64]Event // note.added events by journal sequence
	proposed int              // level of the last incident.proposed since the condition last eased
	since    time.Time        // when the current proposal was first made
	svc      service
}

func newIncidents() incidents {
	return incidents{daySeq: map[string]int{}, notes: map[uint64]Event{}, svc: service{impact: map[string]time.Time{}}}
}

// incidentID is the open incident's id; "" when none is open.
func (st *state) incidentID() string {
	if st.inc.open == nil {
		return ""
	}
	return st.inc.open.view.ID
}

// incidentLevel is the open incident's level; 0 when none is open.
func (st *state) incidentLevel() int {
	if st.inc.open == nil {
		return 0
	}
	return st.inc.open.view.Level
}

// nextIncidentID makes the id of the next incident (or drill) declared now:
// the day from the room clock (UTC) and a number counting from 1 each day.
func (st *state) nextIncidentID(drill bool, now time.Time) string {
	prefix := "INC-"
	if drill {
		prefix = "DRILL-"
	}
	day := prefix + now.UTC().Format("20060102")
	return fmt.Sprintf("%s-%d", day, st.inc.daySeq[day]+1)
}

// applyIncident makes an incident or note event's effect; replay uses it too.
func (st *state) applyIncident(ev Event) {
	f := ev.IncidentFacts()
	inc := &st.inc
	switch ev.Kind {
	case EvIncidentProposed:
		if inc.proposed == 0 {
			inc.since = ev.At
		}
		inc.proposed = f.Level
		return
	case EvIncidentDeclared:
		st.declared(ev)
		return
	case EvNoteAdded:
		inc.notes[ev.Seq] = ev
		if f.Pinned && inc.open != nil {
			inc.open.view.Pinned = append(inc.open.view.Pinned, ev)
		}
		return
	}
	if inc.open == nil || ev.Subject != inc.open.view.ID {
		return // about an incident no longer open
	}
	v := &inc.open.view
	switch ev.Kind {
	case EvIncidentLevel:
		v.Level = f.LevelTo()
	case EvIncidentCommander:
		v.Commander = f.To
	case EvIncidentStatus:
		v.Status = f.To
		if v.Status == StatusClosed {
			inc.open = nil
		}
	case EvIncidentStep:
		n := f.Step
		if n < 1 || n > len(v.Steps) {
			return
		}
		by := ev.Actor
		if f.Auto {
			by = f.ByEvent
		}
		s := &v.Steps[n-1]
		s.Done, s.At, s.By, s.Note, s.Auto = true, StepDoneAt(ev), by, f.Note, f.Auto
	case EvNotePinned:
		if note, ok := inc.notes[f.NoteSeq]; ok {
			v.Pinned = append(v.Pinned, note)
		}
	}
}

// declared opens an incident from its incident.declared event.
func (st *state) declared(ev Event) {
	f := ev.IncidentFacts()
	inc := &st.inc
	v := IncidentView{ID: ev.Subject, Title: f.Title, Commander: f.Commander, Status: StatusInvestigating,
		Declared: ev.At, Drill: f.Drill, Level: f.Level, RTO: f.RTO, RPO: f.RPO, Detected: f.Detected}
	start := v.Declared
	if !v.Detected.IsZero() && v.Detected.Before(start) {
		start = v.Detected
	}
	v.RTODue = start.Add(v.RTO)
	for i, name := range StepNames() {
		v.Steps[i].Name = name
	}
	o := &incidentState{view: v}
	// An outage since the start belongs to the incident, even when a
	// failover made before declaring already ended it.
	if svc := inc.svc; svc.down {
		o.outage = true
	} else if svc.upSince.After(start) {
		o.outage, o.view.Restored = true, svc.upSince
	}
	inc.open = o
	inc.proposed, inc.since = 0, time.Time{}
	if day, n, ok := splitIncidentID(ev.Subject); ok && n > inc.daySeq[day] {
		inc.daySeq[day] = n
	}
}

// splitIncidentID cuts "INC-20261121-3" into "INC-20261121" and 3.
func splitIncidentID(id string) (string, int, bool) {
	i := strings.LastIndexByte(id, '-')
	if i < 0 {
		return "", 0, false
	}
	n, err := strconv.Atoi(id[i+1:])
	return id[:i], n, err == nil
}

// detected is when the incident's trouble began: the first raising of an
// open down or degraded alert on the serving path (an active mirror or the
// origin), else of the first open critical alert, else of the first open
// warning; zero when no alert is open. An older, unrelated alert never
// starts the RTO clock while the service's own outage is known.
func (st *state) detected() time.Time {
	var impact, crit, first time.Time
	for id, a := range st.alerts {
		if first.IsZero() || a.Raised.Before(first) {
			first = a.Raised
		}
		if a.Severity == Critical && (crit.IsZero() || a.Raised.Before(crit)) {
			crit = a.Raised
		}
		if at, ok := st.inc.svc.impact[id]; ok && (impact.IsZero() || at.Before(impact)) {
			impact = at
		}
	}
	for _, t := range []time.Time{impact, crit} {
		if !t.IsZero() {
			return t
		}
	}
	return first
}

// autoStep is the checklist step an event ticks by itself, or 0: an
// acknowledged alert (1), a confirmed failover (2), a sent announcement
// (3), a confirmed failback or verified rollback (5).
func autoStep(ev Event) int {
	switch ev.Kind {
	case EvAlertAcked:
		return 1
	case EvActionSucceeded:
		switch ev.ActionFacts().Request.Kind {
		case Failover:
			return 2
		case Failback:
			return 5
		}
	case EvPostSent:
		return 3
	case EvRollbackSeen:
		return 5
	}
	return 0
}

// followIncident records what an applied event implies for the incident:
// whether service is restored (replay too, as it is derived), and, live
// only, automatic checklist ticks and a new proposal to declare: replay
// finds those in the journal.
func (st *state) followIncident(ev Event) {
	st.followService(ev)
	st.followDecision(ev)
	if !st.replayed {
		return
	}
	if o := st.inc.open; o != nil {
		if ev.Kind == EvIncidentDeclared {
			st.tickEarlier(o, ev)
		} else if n := autoStep(ev); n > 0 && !o.view.Steps[n-1].Done {
			st.autoTick(o, n, ev, ev.At)
		}
	}
	switch ev.Kind {
	case EvAlertRaised, EvAlertCleared, EvMirrorState:
		st.evalIncidentProposal(ev.At)
	case EvIncidentStatus:
		// A drill's own breakage, still fading as it ends, is no reason to
		// propose a real incident; the next alert or state change decides.
		if ev.IncidentFacts().ByEvent != EvDrillEnded {
			st.evalIncidentProposal(ev.At)
		}
	}
}

// evalIncidentProposal records incident.proposed when the alerts cross a
// higher level than was last proposed, and forgets the proposal when they
// ease (so the next crossing is proposed again).
func (st *state) evalIncidentProposal(now time.Time) {
	inc := &st.inc
	if inc.open != nil {
		return
	}
	level, reason := st.proposalLevel()
	switch {
	case level == 0:
		if inc.proposed != 0 {
			inc.proposed, inc.since, st.dirty = 0, time.Time{}, true
		}
	case level < inc.proposed:
		inc.proposed, st.dirty = level, true
	case level > inc.proposed:
		st.record(Event{At: now, Kind: EvIncidentProposed, Level: "warning",
			Text:   fmt.Sprintf("declare a level %d incident? %s", level, reason),
			Fields: IncidentFacts{Level: level, Reason: reason}.Fields()})
	}
}

// proposalLevel is the highest level whose configured condition holds, and
// why, from the journaled mirror states and the open alerts.
func (st *state) proposalLevel() (int, string) {
	p := st.cfg.Incident.Propose
	if p.Off || len(st.mirrors) == 0 {
		return 0, ""
	}
	// Every snapshot asks: walk the states, not 10,000 mirrors by name.
	var downs []*mirrorState
	for name, state := range st.lastState {
		if ms := st.byName[name]; state == StateDown && ms != nil && ms.idx >= 0 {
			downs = append(downs, ms)
		}
	}
	slices.SortFunc(downs, func(a, b *mirrorState) int { return a.idx - b.idx }) // config order
	down := make([]string, len(downs))
	regions := map[string]bool{}
	for i, ms := range downs {
		down[i] = ms.cfg.Name
		if ms.cfg.Region != "" {
			regions[ms.cfg.Region] = true
		}
	}
	if p.AllDown && len(down) == len(st.mirrors) {
		return 3, fmt.Sprintf("every mirror is down (%s): nothing left to serve", strings.Join(down, ", "))
	}
	if p.MirrorsDown > 0 && len(down) >= p.MirrorsDown {
		return 2, fmt.Sprintf("%d mirrors down: %s", len(down), strings.Join(down, ", "))
	}
	if p.RegionsDown > 0 && len(regions) >= p.RegionsDown {
		names := make([]string, 0, len(regions))
		for r := range regions {
			names = append(names, r)
		}
		sort.Strings(names)
		return 2, fmt.Sprintf("mirrors down in %d regions: %s", len(regions), strings.Join(names, ", "))
	}
	var crit []string
	for _, a := range st.sortedAlerts() {
		if a.Severity == Critical {
			crit = append(crit, a.Text)
		}
	}
	if p.CriticalAlerts > 0 && len(crit) >= p.CriticalAlerts {
		if len(crit) == 1 {
			return 1, "critical alert: " + crit[0]
		}
		return 1, fmt.Sprintf("%d critical alerts, newest: %s", len(crit), crit[0])
	}
	return 0, ""
}

// incidentProposal is the proposal for a snapshot: the level and reason as
// of now (they may have eased since it was proposed).
func (st *state) incidentProposal() *IncidentProposal {
	if st.inc.open != nil || st.inc.proposed == 0 {
		return nil
	}
	level, reason := st.proposalLevel()
	if level == 0 {
		return nil
	}
	return &IncidentProposal{Level: level, Reason: reason, Since: st.inc.since}
}

// incidentView is the open incident for a snapshot, with the exposure of
// the mirror serving now.
func (st *state) incidentView() *IncidentView {
	o := st.inc.open
	if o == nil {
		return nil
	}
	v := o.view
	v.Pinned = v.Pinned[:len(v.Pinned):len(v.Pinned)]
	for _, ms := range st.mirrors {
		if ms.role == "active" {
			v.Serving = ms.cfg.Name
			v.Exposure, v.ExposureKnown = ms.pos.Lag, ms.pos.LagKnown
			break
		}
	}
	return &v
}
