package report

import (
	"fmt"
	"sort"
	"time"

	"warroom/backends/room"
)

// builder reads events[from..to] (inclusive) into a Report.
type builder struct {
	evs      []room.Event
	from, to int
	r        *Report
	id       string // the incident's id; "" for an undeclared span
	declIdx  int    // the incident.declared event; -1 for a span

	requests map[string]room.Event // every action request in the journal, by id
	queued   map[string]room.Event // every post.queued in the journal, by post id
	actions  map[string]int        // action id → index in r.Actions
	posts    map[string][2]int     // post id → (announcement, delivery) indexes
	annByKey map[string]int        // announcement key → index in r.Announcements
	notes    map[uint64]int        // note seq → index in r.Notes
	roles    map[string]string
	people   *responders

	firstAck, mitigated, firstSent, resolved time.Time
	mitigatedBy, firstSentWhat               string
	recovered                                time.Time
	firstFault                               time.Time
	firstAlertIdx                            int
}

func newBuilder(evs []room.Event, from, to int) *builder {
	b := &builder{evs: evs, from: from, to: to, declIdx: -1,
		r:        &Report{Start: evs[from].At, End: evs[to].At},
		requests: map[string]room.Event{}, queued: map[string]room.Event{},
		actions: map[string]int{}, posts: map[string][2]int{}, annByKey: map[string]int{},
		notes: map[uint64]int{}, roles: map[string]string{}, people: newResponders()}
	for i, ev := range evs {
		switch ev.Kind {
		case room.EvActionRequested, room.EvActionAwaiting:
			id := ev.ActionFacts().ID
			if _, ok := b.requests[id]; !ok {
				b.requests[id] = ev
			}
		case room.EvPostQueued:
			b.queued[ev.PostFacts().ID] = ev
		case room.EvPresenceJoined:
			if role := ev.PresenceFacts().Role; i <= to && role != "" {
				b.roles[ev.Actor] = string(role)
			}
		}
	}
	return b
}

// declare sets what the incident.declared event at d says.
func (b *builder) declare(d int) {
	ev := b.evs[d]
	b.declIdx, b.id = d, ev.Subject
	r := b.r
	f := ev.IncidentFacts()
	r.ID, r.Title, r.Drill, r.Declared, r.Level = ev.Subject, f.Title, f.Drill, true, f.Level
	r.Status = room.StatusInvestigating
	r.DeclaredBy, r.DeclaredAt = ev.Actor, ev.At
	commander := f.Commander
	if commander == "" {
		commander = ev.Actor
	}
	r.Commanders = []Tenure{{Name: commander, From: ev.At}}
	r.Levels = []LevelChange{{Level: r.Level, At: ev.At, By: ev.Actor}}
	r.RTO.Target, r.RTO.Set = f.RTO, f.RTO > 0
	r.RPO.Target, r.RPO.Set = f.RPO, f.RPO > 0
	names := room.StepNames()
	for i, n := range names {
		r.Steps = append(r.Steps, Step{N: i + 1, Name: n})
	}
	_, r.Closed = incidentEnd(b.evs, d)
}

func (b *builder) build() *Report {
	open := openAlerts(b.evs, 0, b.from)
	seen := map[string]bool{}
	for i := b.from; i <= b.to; i++ {
		ev := b.evs[i]
		switch ev.Kind {
		case room.EvAlertRaised:
			id := ev.AlertFacts().Alert
			if _, ok := open[id]; !ok {
				open[id] = ev.At
			}
			b.recovered = time.Time{}
			switch {
			case b.r.FirstAlert.IsZero():
				b.r.FirstAlert, b.firstAlertIdx = ev.At, i
				b.moment(ev, "first-alert", "first alert: "+alertText(ev), "")
			case !seen[ev.Subject]:
				b.moment(ev, "alert", "alert: "+alertText(ev), "")
			}
			seen[ev.Subject] = true
		case room.EvAlertCleared:
			id := ev.AlertFacts().Alert
			if _, ok := open[id]; ok {
				delete(open, id)
				if len(open) == 0 {
					b.recovered = ev.At
				}
			}
		case room.EvAlertAcked:
			if b.firstAck.IsZero() {
				b.firstAck = ev.At
			}
			b.moment(ev, "acknowledged", ev.Text, ev.Actor)
			b.people.count(ev.Actor, "acknowledged %d alert%s")
		case room.EvAlertEscalated:
			b.escalation(ev)
		case room.EvSilenceAdded, room.EvSilenceExpired:
			b.silenceEvent(ev)
		case room.EvMirrorState:
			if !ev.Quiet() { // a flapping mirror's: its flapping alert tells
				b.moment(ev, "mirror", mirrorMoment(ev), "")
			}
		default:
			b.incidentEvent(ev)
			b.actionEvent(ev)
			b.postEvent(ev)
			b.drillEvent(ev)
		}
	}
	if len(open) == 0 && !b.recovered.IsZero() {
		b.r.Timeline = append(b.r.Timeline, Moment{At: b.recovered, Kind: "recovery", What: "recovery: every alert cleared"})
	} else {
		b.recovered = time.Time{}
	}
	b.endDrill()
	b.silences()
	b.r.Responders = b.people.list(b.roles)
	b.measure()
	sort.SliceStable(b.r.Timeline, func(i, j int) bool { return b.r.Timeline[i].At.Before(b.r.Timeline[j].At) })
	b.objectives()
	b.ensureSlices()
	return b.r
}

func (b *builder) moment(ev room.Event, kind, what, who string) {
	b.r.Timeline = append(b.r.Timeline, Moment{At: ev.At, Kind: kind, What: what, Who: who})
}

func alertText(ev room.Event) string {
	if t := ev.AlertFacts().Text; t != "" {
		return ev.Level + ": " + t
	}
	return ev.Text
}

// incidentEvent reads the incident's own events and notes.
func (b *builder) incidentEvent(ev room.Event) {
	r, f := b.r, ev.IncidentFacts()
	mine := b.id != "" && ev.Subject == b.id
	switch {
	case ev.Kind == room.EvIncidentDeclared && mine:
		what := fmt.Sprintf("declared level %d incident %s: %s", r.Level, r.ID, r.Title)
		if r.Drill {
			what = fmt.Sprintf("declared drill incident %s (level %d): %s", r.ID, r.Level, r.Title)
		}
		b.moment(ev, "declared", what, ev.Actor)
		b.people.did(ev.Actor, "declared the incident")
	case ev.Kind == room.EvIncidentLevel && mine:
		r.Level = f.LevelTo()
		r.Levels = append(r.Levels, LevelChange{Level: r.Level, At: ev.At, By: ev.Actor})
		b.moment(ev, "level", fmt.Sprintf("level %s → %s", f.From, f.To), ev.Actor)
		b.people.did(ev.Actor, "set level "+f.To)
	case ev.Kind == room.EvIncidentCommander && mine:
		r.Commanders = append(r.Commanders, Tenure{Name: f.To, From: ev.At, By: ev.Actor})
		b.moment(ev, "commander", fmt.Sprintf("command handed from %s to %s", f.From, f.To), ev.Actor)
		b.people.did(ev.Actor, "handed command to "+f.To)
	case ev.Kind == room.EvIncidentStatus && mine:
		to := f.To
		r.Status = to
		if f.Jump != "" {
			// A step of a jump (investigating → closed at a drill's end):
			// the last step speaks for it, and it restored nothing.
			return
		}
		kind, what := "status", "status: "+to
		if from := f.From; from != "" {
			what = fmt.Sprintf("status: %s → %s", from, to)
		}
		switch to {
		case room.StatusResolved:
			kind = "resolved"
			if b.resolved.IsZero() {
				b.resolved = ev.At
			}
		case room.StatusMitigated:
			if b.mitigated.IsZero() {
				b.mitigated, b.mitigatedBy = ev.At, "status set to mitigated"
			}
		}
		who := ev.Actor
		if who == "" && f.ByEvent != "" {
			who = "(" + f.ByEvent + ")"
		}
		b.moment(ev, kind, what, who)
		b.people.did(ev.Actor, "moved the status to "+to)
	case ev.Kind == room.EvIncidentStep && mine:
		n := f.Step
		if n < 1 || n > len(r.Steps) {
			return
		}
		s := &r.Steps[n-1]
		s.Done, s.At, s.Note, s.Auto = true, room.StepDoneAt(ev), f.Note, f.Auto
		s.By = ev.Actor
		if s.Auto {
			s.By = f.ByEvent
		} else {
			b.people.did(ev.Actor, fmt.Sprintf("ticked step %d (%s)", n, s.Name))
		}
	case ev.Kind == room.EvNoteAdded:
		pinned := f.Pinned
		b.notes[ev.Seq] = len(r.Notes)
		r.Notes = append(r.Notes, Note{Seq: ev.Seq, At: ev.At, By: ev.Actor, Text: ev.Text, Pinned: pinned})
		if pinned {
			b.moment(ev, "note", "pinned note: "+ev.Text, ev.Actor)
		}
		b.people.count(ev.Actor, "added %d note%s")
	case ev.Kind == room.EvNotePinned:
		if i, ok := b.notes[f.NoteSeq]; ok && !r.Notes[i].Pinned {
			r.Notes[i].Pinned = true
			n := r.Notes[i]
			r.Timeline = append(r.Timeline, Moment{At: n.At, Kind: "note", What: "pinned note: " + n.Text, Who: n.By})
		}
	}
}

// drillEvent reads the drill's start and faults.
func (b *builder) drillEvent(ev room.Event) {
	f := ev.DrillFacts()
	switch ev.Kind {
	case room.EvDrillStarted:
		if b.r.Scenario != nil || (f.Incident != b.id && !(b.r.Drill && f.Incident == "")) {
			return
		}
		b.r.Drill = true
		b.r.Scenario = &Scenario{Name: ev.Subject, File: f.File, Live: f.Live, Started: ev.At}
		b.moment(ev, "drill-started", "drill started: "+ev.Subject, ev.Actor)
		b.people.did(ev.Actor, "started the drill "+ev.Subject)
	case room.EvDrillFault:
		if b.r.Scenario == nil {
			return
		}
		if f.FaultState == room.FaultApplied && b.firstFault.IsZero() {
			b.firstFault = ev.At
		}
		b.moment(ev, "drill-fault", fmt.Sprintf("drill fault %s %s on %s", f.FaultKind, f.FaultState, ev.Subject), "")
	}
}

// endDrill finds the drill's end, even after the incident closed, and
// its scorecard.
func (b *builder) endDrill() {
	sc := b.r.Scenario
	if sc == nil {
		return
	}
	for _, ev := range b.evs {
		if ev.Kind != room.EvDrillEnded || ev.At.Before(sc.Started) {
			continue
		}
		f := ev.DrillFacts()
		if inc := f.Incident; inc != b.id && (inc != "" || ev.Subject != sc.Name) {
			continue
		}
		sc.Ended, sc.Reason = ev.At, f.Reason
		b.moment(ev, "drill-ended", "drill ended: "+f.Reason, ev.Actor)
		if card := f.Scorecard; card != nil {
			card.Started, card.Ended = card.Started.UTC(), card.Ended.UTC()
			b.r.Scorecard = card
		}
		return
	}
}

// ensureSlices makes empty lists encode as [] rather than null.
func (b *builder) ensureSlices() {
	r := b.r
	if r.Commanders == nil {
		r.Commanders = []Tenure{}
	}
	if r.Levels == nil {
		r.Levels = []LevelChange{}
	}
	if r.Responders == nil {
		r.Responders = []Responder{}
	}
	if r.Steps == nil {
		r.Steps = []Step{}
	}
	if r.Actions == nil {
		r.Actions = []Action{}
	}
	if r.Announcements == nil {
		r.Announcements = []Announcement{}
	}
	if r.Notes == nil {
		r.Notes = []Note{}
	}
	if r.Silences == nil {
		r.Silences = []Silence{}
	}
	if r.Escalations == nil {
		r.Escalations = []Escalation{}
	}
}
