package tui

import (
	"context"
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"warroom/backends/room"
	"warroom/panes"
)

// composeStep is where the announcement composer is.
type composeStep int

const (
	composePick composeStep = iota // choose a template
	composeEdit                    // edit fields, choose channels, read the preview, send
)

// composeField is one editable field of a room.Draft.
type composeField struct{ name, label string }

// fieldLabels are the fields' names as people read them, where they differ.
func fieldLabels() map[string]string {
	return map[string]string{"DownMirrors": "Down mirrors", "ExpectedRecovery": "Expected recovery", "NextUpdate": "Next update"}
}

// composeChannel is one channel of the checklist.
type composeChannel struct {
	view room.ChannelView
	on   bool
	prev room.ChannelPreview // what the current text sends it, or why nothing
}

// composer is the announcement modal: template, fields, channels, a live
// preview per channel, and a deliberate send. It holds what the person
// typed; the room's snapshot only pre-fills it when it opens.
type composer struct {
	modalID
	step composeStep

	tmpls       []room.Template // in incident order
	pick, first int             // template cursor and first row shown

	tmpl  room.Template
	draft room.Draft
	shown []composeField // the fields the template uses
	chans []composeChannel
	row   int // cursor over shown fields, then channels
	top   int // first display line of the rows

	editing bool
	input   panes.Input
	changed bool // a field was edited or a channel toggled: esc asks first
	discard bool // asking "discard? y/n"

	showing   int // preview: 0 = the message, i = chans[i-1]'s payload
	scroll    int
	title     string
	text      string
	renderErr string
	sending   bool
}

// openComposer opens the composer on its template list.
func (m *Model) openComposer() tea.Cmd {
	if ok, why := m.may(room.PermAnnounce); !ok {
		m.say(why, true)
		return nil
	}
	ts := m.templates()
	if len(ts) == 0 || len(m.snap.Channels) == 0 {
		m.say("announcing is not available: no channels are configured (notify.channels)", true)
		return nil
	}
	c := &composer{modalID: m.modals.newID(), tmpls: ts}
	for _, cv := range m.snap.Channels {
		c.chans = append(c.chans, composeChannel{view: cv, on: !cv.Drill})
	}
	c.input.Limit = maxFieldRunes
	c.pick = c.firstFor(m)
	m.modals.push(c)
	return nil
}

// templates are the room's announcement templates; none without a room.
func (m *Model) templates() []room.Template {
	if m.opts.Room == nil {
		return nil
	}
	return m.opts.Room.Templates()
}

// firstFor is the template to offer first: the first one for the open
// incident's status (identified → identified), else the first.
func (c *composer) firstFor(m *Model) int {
	if m.snap.Incident == nil {
		return 0
	}
	phase := room.PhaseFor(m.snap.Incident.Status)
	for i, tm := range c.tmpls {
		if tm.Phase == phase {
			return i
		}
	}
	return 0
}

// maxFieldRunes bounds one field: an announcement is read at a glance.
const maxFieldRunes = 500

// choose takes template tm and pre-fills its fields from the room.
func (c *composer) choose(m *Model, tm room.Template) {
	c.step, c.tmpl = composeEdit, tm
	c.draft = m.opts.Room.Draft(m.snap, tm.Name)
	c.shown = shownFields(tm)
	c.row, c.top, c.showing, c.scroll = 0, 0, 0, 0
	c.render(m)
}

// shownFields are the editable fields template tm uses, labelled.
func shownFields(tm room.Template) []composeField {
	labels := fieldLabels()
	out := make([]composeField, len(tm.Editable))
	for i, name := range tm.Editable {
		label, ok := labels[name]
		if !ok {
			label = name
		}
		out[i] = composeField{name, label}
	}
	return out
}

// current are the fields with the edit in progress applied, so the
// preview follows every keystroke.
func (c *composer) current() room.Draft {
	d := c.draft
	if c.editing && c.row < len(c.shown) {
		d.SetField(c.shown[c.row].name, c.input.String())
	}
	return d
}

// render fills the preview from the current fields: the title and text,
// and per channel the exact payload and the platform's warnings. The room
// renders without I/O or waiting, so this runs on every change.
func (c *composer) render(m *Model) {
	names := make([]string, len(c.chans))
	for i, ch := range c.chans {
		names[i] = ch.view.Name
	}
	p := m.opts.Room.ComposePreview(c.current(), names)
	c.title, c.text, c.renderErr = p.Title, p.Text, p.Err
	for i := range c.chans {
		c.chans[i].prev = p.Channels[i]
	}
}

// chosen are the names of the checked channels.
func (c *composer) chosen() []string {
	var out []string
	for _, ch := range c.chans {
		if ch.on {
			out = append(out, ch.view.Name)
		}
	}
	return out
}

// send asks the room to queue the announcement, once: keys pressed while
// the request is in flight do nothing.
func (c *composer) send(m *Model) tea.Cmd {
	names := c.chosen()
	switch {
	case c.sending:
		m.say("already sending: waiting for the room's answer", false)
		return nil
	case c.editing:
		m.say(fmt.Sprintf("finish the edit first: %s keeps it, %s cancels it", m.km.Confirm.Help().Key, m.km.Back.Help().Key), true)
		return nil
	case c.renderErr != "":
		m.say("cannot send: the template does not render (the error is in the preview); fix the field or the template", true)
		return nil
	case len(names) == 0:
		m.say("cannot send: no channel chosen; space checks one", true)
		return nil
	}
	if ok, why := m.canAct(); !ok {
		m.say(why, true)
		return nil
	}
	c.sending = true
	a := room.Announcement{Template: c.tmpl.Name, Phase: c.tmpl.Phase, Title: c.title, Text: c.text, Channels: names}
	m.say(fmt.Sprintf("queuing to %s…", plural(len(names), "channel")), false)
	return m.call(c.id(), func(ctx context.Context, r Room, actor room.Actor) (any, error) { return r.Announce(ctx, a, actor) },
		func(m *Model, ids any, err error) { m.announced(len(names), ids, err) })
}
