package tui

import (
	"context"
	"errors"
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"warroom/backends/room"
	"warroom/themes"
)

// incidentDialog is the modal of one incident command: what every kind
// shares (esc cancels and sends nothing, one answer at a time, sending
// off while its subject changed) around the kind's own form
// (incident_form_*.go).
type incidentDialog struct {
	modalID
	form    incForm
	inc     string // the incident open when it opened, "" for none
	gone    string // why the dialog no longer applies; sending is off
	sending bool
}

// incForm is one kind of incident dialog.
type incForm interface {
	title(d *incidentDialog) string
	draw(m *Model, d *incidentDialog, c *canvas)
	// update takes a key or the answer to a call the form made, and
	// returns the form that follows (itself, its next step, nil to close).
	update(m *Model, d *incidentDialog, msg tea.Msg) (incForm, tea.Cmd)
	keys(m *Model) []key.Binding
	perm() room.Perm // what its command needs of the role
	// refresh checks the form against a new snapshot: gone keeps it open
	// with sending off; closed closes it, saying why.
	refresh(s *room.Snapshot, d *incidentDialog) (gone, closed string)
}

// maxNote bounds a note or a title, in runes.
const maxNote = 300

// sent is what a sent command's answer carries: what to say on success.
type sent string

// openIncident opens form as an incident dialog.
func (m *Model) openIncident(form incForm) {
	d := &incidentDialog{modalID: m.modals.newID(), form: form}
	if m.snap != nil && m.snap.Incident != nil {
		d.inc = m.snap.Incident.ID
	}
	m.modals.push(d)
}

func (d *incidentDialog) update(m *Model, msg tea.Msg) (modal, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		if key.Matches(msg, m.km.Back) {
			m.say("cancelled · nothing sent", false)
			return nil, nil
		}
		if d.sending {
			return d, nil // one answer at a time
		}
	case callDone:
		if _, ok := msg.val.(sent); ok {
			// A refusal for the role closes it (nothing typed can fix
			// it); other errors keep it open to be corrected.
			d.sending = false
			var forbidden *room.ForbiddenError
			if msg.err == nil || errors.As(msg.err, &forbidden) {
				return nil, nil
			}
			return d, nil
		}
	}
	form, cmd := d.form.update(m, d, msg)
	if form == nil {
		return nil, cmd
	}
	d.form = form
	return d, cmd
}

// send sends the form's command to the room; what is said on success,
// and call may rewrite it (a declared incident's id comes with the answer).
func (d *incidentDialog) send(m *Model, what string, call func(ctx context.Context, r Room, a room.Actor) (string, error)) tea.Cmd {
	if d.gone != "" {
		return nil
	}
	d.sending = true
	m.say("sending…", false)
	return m.call(d.id(), func(ctx context.Context, r Room, a room.Actor) (any, error) {
		said, err := call(ctx, r, a)
		if said == "" {
			said = what
		}
		return sent(said), err
	}, func(m *Model, said any, err error) {
		if err != nil {
			m.say(themes.Symbol("critical")+" "+err.Error(), true)
		} else {
			m.say(string(said.(sent)), false)
		}
	})
}

// sendErr is send for a call that only says whether it worked.
func (d *incidentDialog) sendErr(m *Model, what string, call func(ctx context.Context, r Room, a room.Actor) error) tea.Cmd {
	return d.send(m, what, func(ctx context.Context, r Room, a room.Actor) (string, error) { return "", call(ctx, r, a) })
}

func (d *incidentDialog) onSnapshot(m *Model, s *room.Snapshot) modal {
	gone, closed := d.form.refresh(s, d)
	if closed != "" {
		m.say(closed, true)
		return nil
	}
	d.gone = gone
	return d
}

// aboutIncident closes a dialog about the open incident once that is gone
// (closed, or replaced by another).
func aboutIncident(s *room.Snapshot, d *incidentDialog, what string) (closed string) {
	switch {
	case s.Incident == nil:
		return fmt.Sprintf("%s was closed meanwhile: its %s dialog closed, nothing was sent", d.inc, what)
	case s.Incident.ID != d.inc:
		return fmt.Sprintf("%s is over and %s is open now: the %s dialog closed, nothing was sent", d.inc, s.Incident.ID, what)
	}
	return ""
}

// incident is the incident the dialog opened on while it is still open,
// else nil: a dialog never reads what is gone.
func (d *incidentDialog) incident(m *Model) *room.IncidentView {
	if inc := m.snap.Incident; inc != nil && inc.ID == d.inc {
		return inc
	}
	return nil
}

func (d *incidentDialog) keys(m *Model) []key.Binding {
	if d.gone != "" || d.sending {
		return []key.Binding{relabel(m.km.Back, "close")}
	}
	return d.form.keys(m)
}

// cancelKey is esc as the dialogs' cancel.
func cancelKey(m *Model) key.Binding { return relabel(m.km.Back, "cancel") }

// runeKey is the single character typed, or 0.
func runeKey(msg tea.KeyMsg) rune {
	if msg.Type == tea.KeyRunes && !msg.Alt && len(msg.Runes) == 1 {
		return msg.Runes[0]
	}
	return 0
}
