package tui

import (
	"context"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"warroom/backends/drill"
	"warroom/backends/room"
	"warroom/panes"
)

// incKind is which incident dialog is open, and at which step.
type incKind int

const (
	incDeclareLevel incKind = iota // declare: choose the level
	incDeclareTitle                // declare: type the title
	incLevel                       // change the level
	incHandOver                    // hand over command: choose or type a name
	incAdvance                     // advance the status: confirm
	incTick                        // tick a step: an optional note
	incNote                        // add a note, pinned or not
	incPin                         // pin a note of the timeline
	incDrillPick                   // start a drill: choose the scenario
	incDrillConfirm                // start a drill: its goals and faults, confirm
	incDrillStop                   // stop the running drill: confirm
)

// incidentDialog is the modal of one incident command. Esc closes it at
// every step and sends nothing; only enter on its last step sends.
type incidentDialog struct {
	seq     int
	kind    incKind
	cursor  int
	level   int
	input   lineInput
	pin     bool
	names   []string     // hand over: the people present who could command
	notes   []room.Event // pin: the notes not pinned yet, newest first
	step    int          // tick: 1–6
	from    string       // advance: the status now
	to      string       // advance: the next status
	drills  []string     // drill: the scenarios offered
	drill   string       // drill: the chosen one
	sc      *drill.Scenario
	file    string
	loading bool
	loadErr string
	gone    string // why the dialog no longer applies; sending is off
	sending bool
	inc     string // the incident open when it opened, "" for none
}

// maxNote bounds a note or a title, in runes.
const maxNote = 300

// newIncidentDialog opens a dialog of kind, closing any other.
func (m *Model) newIncidentDialog(kind incKind) *incidentDialog {
	m.ir.seq++
	d := &incidentDialog{seq: m.ir.seq, kind: kind}
	d.input.limit = maxNote
	if m.snap != nil && m.snap.Incident != nil {
		d.inc = m.snap.Incident.ID
	}
	m.ir.dlg = d
	return d
}

// openDeclare opens the declaration at the proposal's level and reason,
// or at level 1 with an empty title.
func (m *Model) openDeclare() tea.Cmd {
	if m.noRoom() {
		return nil
	}
	if inc := m.snap.Incident; inc != nil {
		m.say(fmt.Sprintf("%s is open (level %d, %s): one incident at a time", inc.ID, inc.Level, inc.Status), true)
		return nil
	}
	d := m.newIncidentDialog(incDeclareLevel)
	d.level = 1
	if p := m.snap.IncidentProposal; p != nil {
		d.level = min(max(p.Level, 1), 3)
		d.input.set(p.Reason)
	}
	d.cursor = d.level - 1
	return nil
}

// needIncident says there is no incident open and returns true.
func (m *Model) needIncident(what string) bool {
	if m.noRoom() {
		return true
	}
	if m.snap.Incident == nil {
		hint := ""
		if m.can(room.PermIncident) {
			hint = fmt.Sprintf(": %s declares one", m.km.Declare.Help().Key)
		}
		m.say("no incident open to "+what+hint, true)
		return true
	}
	return false
}

func (m *Model) openLevel() tea.Cmd {
	if m.needIncident("change the level of") {
		return nil
	}
	d := m.newIncidentDialog(incLevel)
	d.level = m.snap.Incident.Level
	d.cursor = min(max(d.level, 1), 3) - 1
	return nil
}

// openHandOver offers the people present (each name once, the commander
// left out) and a field to type anyone else.
func (m *Model) openHandOver() tea.Cmd {
	if m.needIncident("hand over") {
		return nil
	}
	d := m.newIncidentDialog(incHandOver)
	d.input.limit = 64
	seen := map[string]bool{m.snap.Incident.Commander: true}
	for _, p := range m.snap.Presence {
		if !seen[p.Name] && p.Role != room.RoleObserver {
			seen[p.Name] = true
			d.names = append(d.names, p.Name)
		}
	}
	return nil
}

func (m *Model) openAdvance() tea.Cmd {
	if m.needIncident("advance") {
		return nil
	}
	inc := m.snap.Incident
	next := panes.NextStatus(inc.Status)
	if next == "" {
		m.say(fmt.Sprintf("%s is %s: there is no status after it", inc.ID, inc.Status), true)
		return nil
	}
	d := m.newIncidentDialog(incAdvance)
	d.from, d.to = inc.Status, next
	return nil
}

func (m *Model) openTick(step int) tea.Cmd {
	if m.needIncident("tick a step of") {
		return nil
	}
	d := m.newIncidentDialog(incTick)
	d.step = min(max(step, 1), 6)
	return nil
}

func (m *Model) openNote() tea.Cmd {
	if m.noRoom() {
		return nil
	}
	m.newIncidentDialog(incNote)
	return nil
}

// openPin offers the timeline's notes not pinned yet, newest first.
func (m *Model) openPin() tea.Cmd {
	if m.needIncident("pin a note to") {
		return nil
	}
	pinned := map[uint64]bool{}
	for _, e := range m.snap.Incident.Pinned {
		pinned[e.Seq] = true
	}
	var notes []room.Event
	tl := m.snap.Timeline
	for i := len(tl) - 1; i >= 0; i-- {
		if e := tl[i]; e.Kind == room.EvNoteAdded && !pinned[e.Seq] && !e.Pinned() {
			notes = append(notes, e)
		}
	}
	if len(notes) == 0 {
		hint := ""
		if m.can(room.PermNote) {
			hint = fmt.Sprintf(": %s adds one", m.km.Note.Help().Key)
		}
		m.say("no unpinned notes in the timeline"+hint, true)
		return nil
	}
	d := m.newIncidentDialog(incPin)
	d.notes = notes
	return nil
}

// openDrill offers the scenarios when no drill runs, or stopping the
// running one.
func (m *Model) openDrill() tea.Cmd {
	if m.noRoom() {
		return nil
	}
	if dv := m.snap.Drill; dv != nil && !dv.Ended {
		m.newIncidentDialog(incDrillStop).drill = dv.Name
		return nil
	}
	if len(m.opts.Drills) == 0 || m.opts.LoadDrill == nil {
		m.say("no drill scenarios in this session: run warroom drill SCENARIO", true)
		return nil
	}
	d := m.newIncidentDialog(incDrillPick)
	d.drills = m.opts.Drills
	return nil
}

// incidentDialogKey handles a key while an incident dialog is open.
func (m *Model) incidentDialogKey(msg tea.KeyMsg) tea.Cmd {
	d, km := m.ir.dlg, m.km
	if key.Matches(msg, km.Back) {
		m.ir.dlg = nil
		m.say("cancelled · nothing sent", false)
		return nil
	}
	if d.sending {
		return nil // one answer at a time
	}
	switch d.kind {
	case incDeclareLevel, incLevel:
		if moveCursor(msg, m, &d.cursor, 3) {
			return nil
		}
		if r := runeKey(msg); r >= '1' && r <= '3' {
			d.cursor = int(r - '1')
			return nil
		}
		if !key.Matches(msg, km.Confirm) {
			return nil
		}
		if d.kind == incDeclareLevel {
			d.level, d.kind = d.cursor+1, incDeclareTitle
			return nil
		}
		return d.submit(m)
	case incHandOver:
		// Letters type the name: only the arrows move in the list.
		switch msg.Type {
		case tea.KeyUp:
			d.cursor = max(d.cursor-1, 0)
			return nil
		case tea.KeyDown:
			d.cursor = max(min(d.cursor+1, len(d.names)-1), 0)
			return nil
		}
		if key.Matches(msg, km.Confirm) {
			return d.submit(m)
		}
		d.input.key(msg)
		return nil
	case incDeclareTitle, incTick, incNote:
		if d.kind == incNote && key.Matches(msg, km.TogglePin) {
			d.pin = !d.pin
			return nil
		}
		if key.Matches(msg, km.Confirm) {
			return d.submit(m)
		}
		d.input.key(msg)
		return nil
	case incPin:
		if moveCursor(msg, m, &d.cursor, len(d.notes)) {
			return nil
		}
	case incDrillPick:
		if moveCursor(msg, m, &d.cursor, len(d.drills)) {
			return nil
		}
		if key.Matches(msg, km.Confirm) && len(d.drills) > 0 {
			return d.load(m, d.drills[d.cursor])
		}
		return nil
	}
	if key.Matches(msg, km.Confirm) {
		return d.submit(m)
	}
	return nil
}

// runeKey is the single character typed, or 0.
func runeKey(msg tea.KeyMsg) rune {
	if msg.Type == tea.KeyRunes && !msg.Alt && len(msg.Runes) == 1 {
		return msg.Runes[0]
	}
	return 0
}

// load reads the chosen scenario off the UI loop.
func (d *incidentDialog) load(m *Model, name string) tea.Cmd {
	d.kind, d.drill, d.loading, d.loadErr, d.sc = incDrillConfirm, name, true, "", nil
	loadDrill, seq := m.opts.LoadDrill, d.seq
	return func() tea.Msg {
		sc, file, err := loadDrill(name)
		return drillLoadedMsg{seq: seq, name: name, sc: sc, file: file, err: err}
	}
}

func (d *incidentDialog) loaded(msg drillLoadedMsg) {
	if d.kind != incDrillConfirm || msg.name != d.drill {
		return
	}
	d.loading = false
	if msg.err != nil {
		d.loadErr = msg.err.Error()
		return
	}
	d.sc, d.file = msg.sc, msg.file
}

// refresh checks the dialog against a new snapshot. A dialog about the
// open incident closes when that incident is gone (closed, or replaced by
// another), and refresh says why; the others stay open with what changed
// in gone, and sending off.
func (d *incidentDialog) refresh(s *room.Snapshot) (closed string) {
	d.gone = ""
	switch d.kind {
	case incDeclareLevel, incDeclareTitle:
		if s.Incident != nil {
			d.gone = fmt.Sprintf("%s was declared meanwhile (by the room or someone else)", s.Incident.ID)
		}
	case incLevel, incHandOver, incTick, incPin, incAdvance:
		switch {
		case s.Incident == nil:
			return fmt.Sprintf("%s was closed meanwhile: its %s dialog closed, nothing was sent", d.inc, d.kind.name())
		case s.Incident.ID != d.inc:
			return fmt.Sprintf("%s is over and %s is open now: the %s dialog closed, nothing was sent", d.inc, s.Incident.ID, d.kind.name())
		case d.kind == incAdvance && s.Incident.Status != d.from:
			d.gone = fmt.Sprintf("the status changed meanwhile to %s: close this and look again", s.Incident.Status)
		}
	case incDrillStop:
		if s.Drill == nil || s.Drill.Ended {
			d.gone = "the drill has ended"
		}
	case incDrillPick, incDrillConfirm:
		if s.Drill != nil && !s.Drill.Ended {
			d.gone = fmt.Sprintf("drill %s started meanwhile", s.Drill.Name)
		}
	}
	return ""
}

// name is what a dialog of kind k is about, for notices.
func (k incKind) name() string {
	switch k {
	case incLevel:
		return "level"
	case incHandOver:
		return "hand-over"
	case incTick:
		return "checklist"
	case incPin:
		return "pin"
	case incAdvance:
		return "status"
	}
	return "incident"
}

// submit sends the dialog's command to the room.
func (d *incidentDialog) submit(m *Model) tea.Cmd {
	if d.gone != "" {
		return nil
	}
	var what string
	var call func(ctx context.Context, r Room, a room.Actor) error
	switch d.kind {
	case incDeclareTitle:
		spec := room.IncidentSpec{Level: d.level, Title: strings.TrimSpace(d.input.String())}
		if spec.Title == "" {
			m.say("type a title: one line saying what is broken", true)
			return nil
		}
		what = fmt.Sprintf("declared level %d: %s", spec.Level, spec.Title)
		call = func(ctx context.Context, r Room, a room.Actor) error {
			id, err := r.Declare(ctx, spec, a)
			if err == nil {
				what = fmt.Sprintf("declared %s at level %d: %s", id, spec.Level, spec.Title)
			}
			return err
		}
	case incLevel:
		level := d.cursor + 1
		if level == d.level {
			m.say(fmt.Sprintf("already level %d: choose another or %s", level, m.km.Back.Help().Key), true)
			return nil
		}
		what = fmt.Sprintf("level set to %d", level)
		call = func(ctx context.Context, r Room, a room.Actor) error { return r.SetLevel(ctx, level, a) }
	case incHandOver:
		to := strings.TrimSpace(d.input.String())
		if to == "" && len(d.names) > 0 {
			to = d.names[d.cursor]
		}
		if to == "" {
			m.say("type the new commander's name", true)
			return nil
		}
		what = "command handed over to " + to
		call = func(ctx context.Context, r Room, a room.Actor) error { return r.HandOver(ctx, to, a) }
	case incAdvance:
		to := d.to
		what = fmt.Sprintf("status: %s → %s", d.from, to)
		call = func(ctx context.Context, r Room, a room.Actor) error { return r.Advance(ctx, to, a) }
	case incTick:
		step, note := d.step, strings.TrimSpace(d.input.String())
		what = fmt.Sprintf("ticked step %d (%s)", step, room.StepNames()[step-1])
		call = func(ctx context.Context, r Room, a room.Actor) error { return r.Tick(ctx, step, note, a) }
	case incNote:
		text, pin := strings.TrimSpace(d.input.String()), d.pin
		if text == "" {
			m.say("the note is empty: type a line", true)
			return nil
		}
		what = "note added to the timeline"
		if pin {
			what = "note added and pinned"
		}
		call = func(ctx context.Context, r Room, a room.Actor) error {
			_, err := r.Note(ctx, text, pin, a)
			return err
		}
	case incPin:
		if len(d.notes) == 0 {
			return nil
		}
		e := d.notes[d.cursor]
		what = "pinned: " + e.Text
		call = func(ctx context.Context, r Room, a room.Actor) error { return r.Pin(ctx, e.Seq, a) }
	case incDrillConfirm:
		if d.sc == nil {
			return nil // loading or failed: only esc works
		}
		sc, file := d.sc, d.file
		what = fmt.Sprintf("drill %s started · DRILL shows in every session", sc.Name)
		call = func(ctx context.Context, r Room, a room.Actor) error { return r.StartDrill(ctx, sc, file, a) }
	case incDrillStop:
		name := d.drill
		what = fmt.Sprintf("drill %s stopped · faults removed", name)
		call = func(ctx context.Context, r Room, a room.Actor) error {
			return r.StopDrill(ctx, "stopped by "+a.Name, a)
		}
	default:
		return nil
	}
	d.sending = true
	m.say("sending…", false)
	return m.sendWhat(d.seq, &what, call)
}

// sendWhat is send with a success message the call may still rewrite
// (the declared incident's id is known only from the room's answer).
func (m *Model) sendWhat(seq int, what *string, call func(ctx context.Context, r Room, a room.Actor) error) tea.Cmd {
	r, actor := m.opts.Room, m.opts.Actor
	return func() tea.Msg {
		ctx, cancel := context.WithTimeout(context.Background(), roomCallTimeout)
		defer cancel()
		err := call(ctx, r, actor)
		return incidentDoneMsg{seq: seq, what: *what, err: err}
	}
}
