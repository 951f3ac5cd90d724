package tui

import (
	"context"
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"warroom/backends/room"
	"warroom/panes"
)

// The forms that are one line of text: the incident's title, a
// checklist step's note, a note for the timeline.

// typed passes a key to input unless it is confirm; true for confirm.
func typed(m *Model, input *panes.Input, msg tea.Msg) bool {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return false
	}
	if key.Matches(k, m.km.Confirm) {
		return true
	}
	input.Key(k)
	return false
}

// declareForm types the title of the incident being declared.
type declareForm struct {
	level int
	input panes.Input
}

func (f *declareForm) title(*incidentDialog) string {
	return "Declare an incident at " + panes.LevelName(f.level)
}

func (f *declareForm) draw(m *Model, _ *incidentDialog, c *canvas) {
	c.muted("Title (one line: what is broken, for whom):")
	c.add(f.input.View(m.th, c.w))
	c.muted(fmt.Sprintf("%s declares · you become the commander · the RTO clock starts", m.km.Confirm.Help().Key))
}

func (f *declareForm) update(m *Model, d *incidentDialog, msg tea.Msg) (incForm, tea.Cmd) {
	if !typed(m, &f.input, msg) {
		return f, nil
	}
	spec := room.IncidentSpec{Level: f.level, Title: strings.TrimSpace(f.input.String())}
	if spec.Title == "" {
		m.say("type a title: one line saying what is broken", true)
		return f, nil
	}
	return f, d.send(m, fmt.Sprintf("declared level %d: %s", spec.Level, spec.Title),
		func(ctx context.Context, r Room, a room.Actor) (string, error) {
			id, err := r.Declare(ctx, spec, a)
			return fmt.Sprintf("declared %s at level %d: %s", id, spec.Level, spec.Title), err
		})
}

func (f *declareForm) keys(m *Model) []key.Binding {
	return []key.Binding{relabel(m.km.Confirm, "declare"), cancelKey(m)}
}

func (f *declareForm) perm() room.Perm { return room.PermIncident }

func (f *declareForm) refresh(s *room.Snapshot, _ *incidentDialog) (string, string) {
	return declaredMeanwhile(s), ""
}

// tickForm ticks a checklist step, with an optional note.
type tickForm struct {
	step  int // 1–6
	input panes.Input
}

func (f *tickForm) title(*incidentDialog) string {
	return fmt.Sprintf("Tick step %d: %s", f.step, room.StepNames()[f.step-1])
}

func (f *tickForm) draw(m *Model, d *incidentDialog, c *canvas) {
	if inc := d.incident(m); inc != nil && inc.Steps[f.step-1].Done {
		st := inc.Steps[f.step-1]
		c.warn(fmt.Sprintf("already ticked by %s at %s: the room will refuse", st.By, st.At.Format("15:04")))
	}
	c.muted("Note (optional: what was done, what was found):")
	c.add(f.input.View(m.th, c.w))
}

func (f *tickForm) update(m *Model, d *incidentDialog, msg tea.Msg) (incForm, tea.Cmd) {
	if !typed(m, &f.input, msg) {
		return f, nil
	}
	step, note := f.step, strings.TrimSpace(f.input.String())
	return f, d.sendErr(m, fmt.Sprintf("ticked step %d (%s)", step, room.StepNames()[step-1]),
		func(ctx context.Context, r Room, a room.Actor) error { return r.Tick(ctx, step, note, a) })
}

func (f *tickForm) keys(m *Model) []key.Binding {
	return []key.Binding{relabel(m.km.Confirm, "tick"), cancelKey(m)}
}

func (f *tickForm) perm() room.Perm { return room.PermIncident }

func (f *tickForm) refresh(s *room.Snapshot, d *incidentDialog) (string, string) {
	return "", aboutIncident(s, d, "checklist")
}

// noteForm adds a note to the timeline, pinned or not.
type noteForm struct {
	input panes.Input
	pin   bool
}

func (f *noteForm) title(*incidentDialog) string { return "Add a note to the timeline" }

func (f *noteForm) draw(m *Model, _ *incidentDialog, c *canvas) {
	c.add(f.input.View(m.th, c.w))
	box := "[ ]"
	if f.pin {
		box = "[x]"
	}
	c.text(box + " pin it as a key moment of the incident (tab toggles)")
	if f.pin && m.snap.Incident == nil {
		c.warn("no incident is open: a note can only be pinned to an open incident")
	}
}

func (f *noteForm) update(m *Model, d *incidentDialog, msg tea.Msg) (incForm, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); ok && key.Matches(k, m.km.TogglePin) {
		f.pin = !f.pin
		return f, nil
	}
	if !typed(m, &f.input, msg) {
		return f, nil
	}
	text, pin := strings.TrimSpace(f.input.String()), f.pin
	if text == "" {
		m.say("the note is empty: type a line", true)
		return f, nil
	}
	what := "note added to the timeline"
	if pin {
		what = "note added and pinned"
	}
	return f, d.sendErr(m, what, func(ctx context.Context, r Room, a room.Actor) error {
		_, err := r.Note(ctx, text, pin, a)
		return err
	})
}

func (f *noteForm) keys(m *Model) []key.Binding {
	return []key.Binding{relabel(m.km.Confirm, "add"), m.km.TogglePin, cancelKey(m)}
}

func (f *noteForm) perm() room.Perm { return room.PermNote }

func (f *noteForm) refresh(*room.Snapshot, *incidentDialog) (string, string) { return "", "" }
