package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"

	"warroom/backends/room"
	"warroom/panes"
)

// footer is the help bar of the focused pane, or the last command's outcome.
func (m *Model) footer(w int) string {
	if m.flash != "" {
		st := m.th.Info
		if m.flashBad {
			st = m.th.Crit
		}
		line := st.Render(cleanText(m.flash))
		if n := m.noticeLine(); n != "" {
			line += "  " + n // theirs after yours, not hidden by it
		}
		return fit(line, w)
	}
	if n := m.noticeLine(); n != "" && m.modals.top() == nil {
		return fit(n, w)
	}
	km := m.km
	var bindings []key.Binding
	switch {
	case m.modals.top() != nil:
		bindings = m.modals.keys(m)
	default:
		bindings = append(bindings, m.paneKeys()...)
		bindings = append(bindings, m.actionKeys()...)
		bindings = append(bindings, m.incidentKeys()...)
		bindings = append(bindings, km.NextPane, km.Zoom, km.Help, km.Quit)
	}
	return panes.HelpBar(m.th, bindings, w)
}

// paneKeys are the focused pane's keys less those this role may not use:
// the pane names its keys from the session's keymap. On the Actions pane
// every key but moving decides for the selected row, which needs act
// (retry there retries a batch, not a post).
func (m *Model) paneKeys() []key.Binding {
	if m.focus != paneActions {
		return m.panes[m.focus].Keys(m.sessionKeymap())
	}
	keys := m.panes[m.focus].Keys(m.km)
	if !m.can(room.PermAct) && len(keys) > 1 {
		keys = keys[:1] // moving, always first
	}
	return keys
}

// actionKeys are the action keys worth showing now, for this role (the
// session's keymap has the others off): review while something waits;
// failover on the Mirrors pane, failback while it is offered, rollback
// where targets exist, announce on the Announcements pane.
func (m *Model) actionKeys() []key.Binding {
	s, km := m.snap, m.sessionKeymap()
	if m.panes[m.focus].Capturing() {
		return nil
	}
	var out []key.Binding
	add := func(b key.Binding, when bool) {
		if when && b.Enabled() {
			out = append(out, b)
		}
	}
	lines, _ := m.waiting()
	add(m.km.Review, len(lines) > 0) // a drill's result waits even in a read-only room
	if s == nil {
		return out
	}
	add(km.Failback, s.Failback != nil)
	add(km.Failover, s.CanFailover && m.focus == paneMirrors)
	add(km.Rollback, len(s.RollbackTargets) > 0 && (m.focus == paneMirrors || m.focus == paneActions))
	add(km.Announce, m.focus == panePosts && len(m.templates()) > 0 && len(s.Channels) > 0)
	return out
}

// fit cuts or pads s to exactly w cells.
func fit(s string, w int) string {
	s = ansi.Truncate(s, w, "…")
	if n := lipgloss.Width(s); n < w {
		s += strings.Repeat(" ", w-n)
	}
	return s
}

func truncate(s string, w int) string { return ansi.Truncate(s, w, "…") }

func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
