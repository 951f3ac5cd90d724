package room

import (
	"context"
	"fmt"
	"strings"
	"time"

	"warroom/backends/config"
)

// Declare opens an incident and returns its id. The commander defaults to
// the declaring person; an empty title takes the room's proposal (accepting
// a proposal is declaring at its level). Only one incident is open at a
// time.
func (r *Room) Declare(ctx context.Context, spec IncidentSpec, actor Actor) (string, error) {
	if err := allow(actor, PermIncident); err != nil {
		return "", err
	}
	var id string
	err := r.do(ctx, func() (Event, error) {
		ev, err := r.st.declareEvent(spec, false, actor.Name, r.clock.Now())
		id = ev.Subject
		return ev, err
	})
	if err != nil {
		return "", err
	}
	return id, nil
}

// SetLevel changes the open incident's level (1–3).
func (r *Room) SetLevel(ctx context.Context, level int, actor Actor) error {
	if err := allow(actor, PermCommand); err != nil {
		return err
	}
	return r.do(ctx, func() (Event, error) {
		v, err := r.st.openToChange("setting the level")
		if err != nil {
			return Event{}, err
		}
		if err := checkLevel(level); err != nil {
			return Event{}, err
		}
		if level == v.Level {
			return Event{}, fmt.Errorf("%s is already level %d", v.ID, level)
		}
		return Event{At: r.clock.Now(), Kind: EvIncidentLevel, Subject: v.ID, Actor: actor.Name, Level: "warning",
			Text:   fmt.Sprintf("%s set %s to level %d (was %d)", actor.Name, v.ID, level, v.Level),
			Fields: levelChange(v.Level, level).Fields()}, nil
	})
}

// HandOver makes another person the open incident's commander.
func (r *Room) HandOver(ctx context.Context, to string, actor Actor) error {
	if err := allow(actor, PermCommand); err != nil {
		return err
	}
	to = strings.TrimSpace(to)
	return r.do(ctx, func() (Event, error) {
		v, err := r.st.openToChange("handing over command")
		if err != nil {
			return Event{}, err
		}
		switch {
		case to == "":
			return Event{}, fmt.Errorf("hand %s over to whom? name the new commander", v.ID)
		case to == v.Commander:
			return Event{}, fmt.Errorf("%s already commands %s", to, v.ID)
		}
		return Event{At: r.clock.Now(), Kind: EvIncidentCommander, Subject: v.ID, Actor: actor.Name, Level: "info",
			Text:   fmt.Sprintf("%s handed command of %s to %s (was %s)", actor.Name, v.ID, to, v.Commander),
			Fields: IncidentFacts{From: v.Commander, To: to}.Fields()}, nil
	})
}

// Advance moves the open incident forward to status. A jump over statuses
// records each one passed, so the timeline never skips a state; going back
// is refused. Closing takes a commander; the other steps an operator.
func (r *Room) Advance(ctx context.Context, status string, actor Actor) error {
	status = strings.ToLower(strings.TrimSpace(status))
	perm := PermIncident
	if status == StatusClosed {
		perm = PermCommand
	}
	if err := allow(actor, perm); err != nil {
		return err
	}
	return r.doMany(ctx, func() ([]Event, error) {
		v, err := r.st.openToChange("changing the status")
		if err != nil {
			return nil, err
		}
		return statusEvents(v, status, actor.Name, "", r.clock.Now())
	}, nil)
}

// statusEvents are the incident.status events from v's status to status,
// one per status passed. by is the person, or "" with the event kind that
// moved it in byEvent.
func statusEvents(v *IncidentView, status, by, byEvent string, now time.Time) ([]Event, error) {
	order := Statuses()
	from, to := indexOf(order, v.Status), indexOf(order, status)
	switch {
	case to < 0:
		return nil, fmt.Errorf("status %q: want one of %s", status, strings.Join(order, ", "))
	case to == from:
		return nil, fmt.Errorf("%s is already %s", v.ID, status)
	case to < from:
		return nil, fmt.Errorf("%s is %s: it cannot go back to %s (the order is %s)", v.ID, v.Status, status,
			strings.Join(order, " → "))
	}
	who := by
	if who == "" {
		who = byEvent
	}
	var evs []Event
	for i := from + 1; i <= to; i++ {
		f := IncidentFacts{From: order[i-1], To: order[i], ByEvent: byEvent}
		if i < to {
			f.Jump = status
		}
		evs = append(evs, Event{At: now, Kind: EvIncidentStatus, Subject: v.ID, Actor: by, Level: "info",
			Text: fmt.Sprintf("%s: %s → %s (%s)", v.ID, order[i-1], order[i], who), Fields: f.Fields()})
	}
	return evs, nil
}

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}

// Tick marks a checklist step (1–6) of the open incident done, with a note.
func (r *Room) Tick(ctx context.Context, step int, note string, actor Actor) error {
	if err := allow(actor, PermIncident); err != nil {
		return err
	}
	return r.do(ctx, func() (Event, error) {
		v, err := r.st.openToChange("ticking the checklist")
		if err != nil {
			return Event{}, err
		}
		names := StepNames()
		if step < 1 || step > len(names) {
			return Event{}, fmt.Errorf("step %d: the checklist has steps 1 to %d", step, len(names))
		}
		if s := v.Steps[step-1]; s.Done {
			return Event{}, fmt.Errorf("step %d (%s) was already ticked by %s at %s", step, s.Name, s.By, s.At.Format("15:04:05"))
		}
		note = strings.TrimSpace(note)
		text := fmt.Sprintf("%s ticked step %d (%s) of %s", actor.Name, step, names[step-1], v.ID)
		if note != "" {
			text += ": " + note
		}
		return Event{At: r.clock.Now(), Kind: EvIncidentStep, Subject: v.ID, Actor: actor.Name, Level: "info", Text: text,
			Fields: IncidentFacts{Step: step, Note: note}.Fields()}, nil
	})
}

// Note adds a line to the timeline, about the open incident if there is
// one; pinned notes are the incident's key moments. It returns the note's
// journal sequence, which Pin takes.
func (r *Room) Note(ctx context.Context, text string, pinned bool, actor Actor) (uint64, error) {
	if err := allow(actor, PermNote); err != nil {
		return 0, err
	}
	text = strings.TrimSpace(text)
	if text == "" {
		return 0, fmt.Errorf("the note is empty: write a line")
	}
	var seq uint64
	err := r.doMany(ctx, func() ([]Event, error) {
		if err := r.st.writable("adding a note"); err != nil {
			return nil, err
		}
		if pinned {
			if _, err := r.st.openIncident(); err != nil {
				return nil, fmt.Errorf("cannot pin: %v", err)
			}
		}
		return []Event{{At: r.clock.Now(), Kind: EvNoteAdded, Subject: r.st.incidentID(), Actor: actor.Name, Level: "info",
			Text: text, Fields: IncidentFacts{Pinned: pinned}.Fields()}}, nil
	}, func([]Event) { seq = r.st.lastSeq })
	return seq, err
}

// Pin marks an earlier note as a key moment of the open incident.
func (r *Room) Pin(ctx context.Context, noteSeq uint64, actor Actor) error {
	if err := allow(actor, PermNote); err != nil {
		return err
	}
	return r.do(ctx, func() (Event, error) {
		v, err := r.st.openToChange("pinning a note")
		if err != nil {
			return Event{}, err
		}
		note, ok := r.st.inc.notes[noteSeq]
		if !ok {
			return Event{}, fmt.Errorf("no note with sequence %d (pin a note.added event)", noteSeq)
		}
		for _, p := range v.Pinned {
			if p.Seq == noteSeq {
				return Event{}, fmt.Errorf("note %d is already pinned to %s", noteSeq, v.ID)
			}
		}
		return Event{At: r.clock.Now(), Kind: EvNotePinned, Subject: v.ID, Actor: actor.Name, Level: "info",
			Text:   fmt.Sprintf("%s pinned a note by %s: %s", actor.Name, note.Actor, note.Text),
			Fields: IncidentFacts{NoteSeq: noteSeq}.Fields()}, nil
	})
}

// openIncident is the open incident, or an error saying there is none.
func (st *state) openIncident() (*IncidentView, error) {
	if st.inc.open == nil {
		return nil, fmt.Errorf("no incident is open: declare one first")
	}
	return &st.inc.open.view, nil
}

// openToChange is the open incident, unless the room is read-only.
func (st *state) openToChange(what string) (*IncidentView, error) {
	if err := st.writable(what); err != nil {
		return nil, err
	}
	return st.openIncident()
}

// writable refuses incident bookkeeping in a read-only room: it changes
// nothing, while the report (a read of the journal) can still be written.
// A drill is a rehearsal: its incident is worked as usual.
func (st *state) writable(what string) error {
	if st.readOnly() && !st.drillRunning() {
		return fmt.Errorf("this room is read-only (--readonly or actions.readonly): %s is refused; W still writes the report", what)
	}
	return nil
}

func checkLevel(level int) error {
	if level < 1 || level > 3 {
		return fmt.Errorf("level %d: incident levels are 1 (minor), 2 and 3 (major)", level)
	}
	return nil
}

// declareEvent validates a declaration and returns its event.
func (st *state) declareEvent(spec IncidentSpec, drill bool, actor string, now time.Time) (Event, error) {
	if err := st.writable("declaring an incident"); err != nil && !drill {
		return Event{}, err
	}
	if o := st.inc.open; o != nil {
		kind := "incident"
		if o.view.Drill {
			kind = "drill incident"
		}
		return Event{}, fmt.Errorf("%s %s (%q, %s, commander %s) is still open: close it before declaring another",
			kind, o.view.ID, o.view.Title, o.view.Status, o.view.Commander)
	}
	if !drill && st.drillRunning() {
		return Event{}, fmt.Errorf("drill %q is running: stop it before declaring a real incident", st.drill.view.Name)
	}
	if err := checkLevel(spec.Level); err != nil {
		return Event{}, err
	}
	title := strings.TrimSpace(spec.Title)
	if title == "" {
		p := st.incidentProposal()
		if p == nil {
			return Event{}, fmt.Errorf("give the incident a title: one line saying what is wrong")
		}
		title = p.Reason
	}
	commander := strings.TrimSpace(spec.Commander)
	if commander == "" {
		commander = actor
	}
	id := st.nextIncidentID(drill, now)
	rto, rpo := st.cfg.Incident.RTO, st.cfg.Incident.RPO
	if rto <= 0 {
		rto = config.DefaultRTO
	}
	if rpo <= 0 {
		rpo = config.DefaultRPO
	}
	// The report follows service from Serving: who served when declared.
	f := IncidentFacts{Level: spec.Level, Title: title, Commander: commander, Drill: drill, RTO: rto, RPO: rpo,
		Detected: st.detected(), Serving: st.activeNames()}
	what := "incident"
	if drill {
		what = "drill incident"
	}
	return Event{At: now, Kind: EvIncidentDeclared, Subject: id, Actor: actor, Level: "critical",
		Text:   fmt.Sprintf("%s declared level %d %s %s: %s (commander %s)", actor, spec.Level, what, id, title, commander),
		Fields: f.Fields()}, nil
}
