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

// The forms that change the open incident's command and course: hand
// over command, advance the status, pin a note.

// handOverForm hands command to someone present (chosen with the arrows)
// or to a typed name.
type handOverForm struct {
	names  []string // the people present who could command
	cursor int
	input  panes.Input
}

func (f *handOverForm) title(d *incidentDialog) string { return "Hand over command of " + d.inc }

func (f *handOverForm) draw(m *Model, d *incidentDialog, c *canvas) {
	if inc := d.incident(m); inc != nil {
		c.text("Commander now: " + inc.Commander)
	}
	if len(f.names) > 0 {
		c.muted("Hand over to someone present (↑/↓):")
		c.list(f.names, f.cursor)
	} else {
		c.muted("Nobody else who may command is present.")
	}
	c.muted("…or type a name:")
	c.add(f.input.View(m.th, c.w))
	if to := f.to(); to != "" {
		c.text(fmt.Sprintf("%s hands command to %s", m.km.Confirm.Help().Key, to))
	}
}

// to is who the hand-over would go to now.
func (f *handOverForm) to() string {
	if to := strings.TrimSpace(f.input.String()); to != "" {
		return to
	}
	if len(f.names) > 0 {
		return f.names[f.cursor]
	}
	return ""
}

func (f *handOverForm) update(m *Model, d *incidentDialog, msg tea.Msg) (incForm, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok {
		return f, nil
	}
	// Letters type the name: only keys that do not type move in the list.
	switch {
	case key.Matches(k, untyped(m.km.Up)):
		f.cursor = max(f.cursor-1, 0)
		return f, nil
	case key.Matches(k, untyped(m.km.Down)):
		f.cursor = max(min(f.cursor+1, len(f.names)-1), 0)
		return f, nil
	}
	if !typed(m, &f.input, msg) {
		return f, nil
	}
	to := f.to()
	if to == "" {
		m.say("type the new commander's name", true)
		return f, nil
	}
	return f, d.sendErr(m, "command handed over to "+to,
		func(ctx context.Context, r Room, a room.Actor) error { return r.HandOver(ctx, to, a) })
}

func (f *handOverForm) keys(m *Model) []key.Binding {
	return []key.Binding{untypedChoose(m.km), relabel(m.km.Confirm, "hand over"), cancelKey(m)}
}

func (f *handOverForm) perm() room.Perm { return room.PermCommand }

func (f *handOverForm) refresh(s *room.Snapshot, d *incidentDialog) (string, string) {
	return "", aboutIncident(s, d, "hand-over")
}

// advanceForm moves the status one step forward, after a confirmation.
type advanceForm struct{ from, to string }

func (f *advanceForm) title(d *incidentDialog) string { return "Advance " + d.inc }

func (f *advanceForm) draw(_ *Model, d *incidentDialog, c *canvas) {
	c.text(fmt.Sprintf("%s is %s. Move it to %s?", d.inc, f.from, f.to))
	var order []string
	for _, st := range room.Statuses() {
		switch st {
		case f.from:
			st = "[" + st + "]"
		case f.to:
			st = "→ " + strings.ToUpper(st)
		}
		order = append(order, st)
	}
	c.muted(strings.Join(order, " · "))
	c.muted("Statuses only move forward: this cannot be undone.")
}

func (f *advanceForm) update(m *Model, d *incidentDialog, msg tea.Msg) (incForm, tea.Cmd) {
	if k, ok := msg.(tea.KeyMsg); !ok || !key.Matches(k, m.km.Confirm) {
		return f, nil
	}
	to := f.to
	return f, d.sendErr(m, fmt.Sprintf("status: %s → %s", f.from, to),
		func(ctx context.Context, r Room, a room.Actor) error { return r.Advance(ctx, to, a) })
}

func (f *advanceForm) keys(m *Model) []key.Binding {
	return []key.Binding{relabel(m.km.Confirm, "move to "+f.to), cancelKey(m)}
}

// perm: closing the incident is the commander's.
func (f *advanceForm) perm() room.Perm {
	if f.to == room.StatusClosed {
		return room.PermCommand
	}
	return room.PermIncident
}

func (f *advanceForm) refresh(s *room.Snapshot, d *incidentDialog) (string, string) {
	if closed := aboutIncident(s, d, "status"); closed != "" {
		return "", closed
	}
	if s.Incident.Status != f.from {
		return fmt.Sprintf("the status changed meanwhile to %s: close this and look again", s.Incident.Status), ""
	}
	return "", ""
}

// pinForm pins one of the timeline's notes to the incident.
type pinForm struct {
	notes  []room.Event // the notes not pinned yet, newest first
	cursor int
}

func (f *pinForm) title(d *incidentDialog) string { return "Pin a note to " + d.inc }

func (f *pinForm) draw(_ *Model, _ *incidentDialog, c *canvas) {
	rows := make([]string, len(f.notes))
	for i, e := range f.notes {
		rows[i] = fmt.Sprintf("%s %-10s %s", e.At.Format("15:04"), e.Actor, e.Text)
	}
	c.list(rows, f.cursor)
}

func (f *pinForm) update(m *Model, d *incidentDialog, msg tea.Msg) (incForm, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	if !ok || moveCursor(k, m, &f.cursor, len(f.notes)) || !key.Matches(k, m.km.Confirm) || len(f.notes) == 0 {
		return f, nil
	}
	e := f.notes[f.cursor]
	return f, d.sendErr(m, "pinned: "+e.Text,
		func(ctx context.Context, r Room, a room.Actor) error { return r.Pin(ctx, e.Seq, a) })
}

func (f *pinForm) keys(m *Model) []key.Binding {
	return []key.Binding{chooseKey(m.km), relabel(m.km.Confirm, "pin"), cancelKey(m)}
}

func (f *pinForm) perm() room.Perm { return room.PermNote }

func (f *pinForm) refresh(s *room.Snapshot, d *incidentDialog) (string, string) {
	return "", aboutIncident(s, d, "pin")
}
