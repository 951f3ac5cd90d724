package tui

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"warroom/backends/room"
	"warroom/panes"
)

// update handles a key while the composer is open, or the room's answer
// to its send. Esc closes it from every step (asking first when
// something was edited); only the send key sends.
func (c *composer) update(m *Model, msg tea.Msg) (modal, tea.Cmd) {
	switch msg := msg.(type) {
	case tea.KeyMsg:
		return c.key(m, msg)
	case callDone:
		// Success closes it; a refusal keeps it open so the person can
		// change the channels or the text (announced says which).
		c.sending = false
		if msg.err == nil {
			return nil, nil
		}
	}
	return c, nil
}

func (c *composer) key(m *Model, msg tea.KeyMsg) (modal, tea.Cmd) {
	km := m.km
	switch {
	case c.discard:
		switch {
		case key.Matches(msg, km.Yes):
			m.say("announcement discarded · nothing was sent", false)
			return nil, nil
		case key.Matches(msg, km.No) || key.Matches(msg, km.Back):
			c.discard = false
		}
		return c, nil
	case c.editing:
		return c, c.editKey(m, msg)
	case key.Matches(msg, km.Back):
		switch {
		case c.sending:
			m.say("closed · the send had already gone to the room: its answer shows here", false)
			return nil, nil
		case c.step == composeEdit && c.changed:
			c.discard = true
		default:
			m.say("closed · nothing was sent", false)
			return nil, nil
		}
		return c, nil
	}
	if c.step == composePick {
		if moveCursor(msg, m, &c.pick, len(c.tmpls)) {
			return c, nil
		}
		if key.Matches(msg, km.Confirm) && len(c.tmpls) > 0 {
			c.choose(m, c.tmpls[c.pick])
		}
		return c, nil
	}
	return c, c.fieldKey(m, msg)
}

// onSnapshot keeps the draft: it is the person's text, not the room's.
func (c *composer) onSnapshot(*Model, *room.Snapshot) modal { return c }

// fieldKey handles the edit step outside a field edit.
func (c *composer) fieldKey(m *Model, msg tea.KeyMsg) tea.Cmd {
	km := m.km
	rows := len(c.shown) + len(c.chans)
	views := len(c.chans) + 1
	switch {
	case key.Matches(msg, m.km.Send):
		return c.send(m)
	case key.Matches(msg, km.PageUp):
		c.scroll = max(0, c.scroll-5)
	case key.Matches(msg, km.PageDown):
		c.scroll += 5 // clamped when drawn
	case key.Matches(msg, km.NextPane) || msg.Type == tea.KeyRight:
		c.showing, c.scroll = (c.showing+1)%views, 0
	case key.Matches(msg, km.PrevPane) || msg.Type == tea.KeyLeft:
		c.showing, c.scroll = (c.showing+views-1)%views, 0
	case moveCursor(msg, m, &c.row, rows):
	case c.row >= len(c.shown) && (key.Matches(msg, m.km.Toggle) || key.Matches(msg, km.Confirm)):
		ch := &c.chans[c.row-len(c.shown)]
		ch.on = !ch.on
		c.changed = true
		c.showing, c.scroll = c.row-len(c.shown)+1, 0 // show what this channel gets
	case c.row < len(c.shown) && key.Matches(msg, km.Confirm):
		c.editing = true
		c.input.Set(c.draft.Field(c.shown[c.row].name))
		c.render(m)
	}
	return nil
}

// editKey handles a key while a field is being edited: enter keeps the
// edit, esc restores the value, everything else types; the preview
// follows every keystroke.
func (c *composer) editKey(m *Model, msg tea.KeyMsg) tea.Cmd {
	km := m.km
	name := c.shown[c.row].name
	switch {
	case key.Matches(msg, km.Confirm):
		v := strings.TrimSpace(c.input.String())
		if v != c.draft.Field(name) {
			c.draft.SetField(name, v)
			c.changed = true
		}
		c.editing = false
	case key.Matches(msg, km.Back):
		c.editing = false
	case key.Matches(msg, m.km.Send):
		return c.send(m)
	case c.input.Key(msg):
	default:
		return nil // up, down, tab…: one field at a time, enter keeps it first
	}
	c.render(m)
	return nil
}

// moveCursor moves *cur over n rows for a navigation key (a row, a page
// of five, top, bottom) and reports whether it was one.
func moveCursor(msg tea.KeyMsg, m *Model, cur *int, n int) bool {
	c, ok := panes.Step(msg, m.km, *cur, 5, n-1)
	if ok {
		*cur = max(0, min(n-1, c))
	}
	return ok
}

// keys are the help bar's keys while the composer is open.
func (c *composer) keys(m *Model) []key.Binding {
	km := m.km
	nav := chooseKey(km)
	switch {
	case c.discard:
		return []key.Binding{relabel(km.Yes, "discard"), relabel(km.No, "keep editing")}
	case c.editing:
		return []key.Binding{relabel(km.Confirm, "keep"), relabel(km.Back, "cancel edit"), relabel(m.km.Send, "send (after keeping)")}
	case c.step == composePick:
		return []key.Binding{nav, relabel(km.Confirm, "use template"), relabel(km.Back, "close")}
	}
	send := relabel(m.km.Send, "send to "+plural(len(c.chosen()), "channel"))
	if c.renderErr != "" {
		send = relabel(m.km.Send, "send (blocked: template error)")
	}
	act := relabel(km.Confirm, "edit")
	if c.row >= len(c.shown) {
		act = m.km.Toggle
	}
	preview := key.NewBinding(key.WithKeys(km.NextPane.Keys()...), key.WithHelp(firstHelpKey(km.NextPane)+"/→", "next preview"))
	return []key.Binding{send, nav, act, preview, relabel(km.Back, "close")}
}
