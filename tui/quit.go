package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"warroom/backends/room"
)

// quit ends this session. When it hosts others (demo --serve), ending it
// ends their sessions too, so it asks first; asked again while asking (a
// second ctrl+c), it quits.
func (m *Model) quit() tea.Cmd {
	if !m.opts.Hosting || len(m.others()) == 0 {
		return tea.Quit
	}
	if _, asking := m.modals.top().(*quitConfirm); asking {
		return tea.Quit
	}
	m.modals.push(&quitConfirm{modalID: m.modals.newID()})
	return nil
}

// others are the names of the people in the room in sessions other than
// this one, each once.
func (m *Model) others() []string {
	if m.snap == nil {
		return nil
	}
	seen := map[string]bool{}
	var out []string
	for _, p := range m.snap.Presence {
		if p.ID != m.opts.PresenceID && !seen[p.Name] {
			seen[p.Name] = true
			out = append(out, p.Name)
		}
	}
	return out
}

// quitConfirm asks the host whether to end everyone's sessions: only yes
// (y) quits, not a reflex q or enter; no (n) or esc keeps the room open.
type quitConfirm struct{ modalID }

func (q *quitConfirm) update(m *Model, msg tea.Msg) (modal, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	switch {
	case !ok:
	case key.Matches(k, m.km.Yes):
		return nil, tea.Quit
	case key.Matches(k, m.km.No, m.km.Back):
		m.say("still serving the room", false)
		return nil, nil
	}
	return q, nil
}

func (q *quitConfirm) view(m *Model, under string, w, h int) string {
	bw := min(w-2, 64)
	if bw < 24 || h < 5 {
		return under
	}
	return overlay(under, drawBox(m.th, "Quit warroom?", wrapped(m.th.Warn, q.question(m), bw-4), bw), w, h)
}

// question names who would be cut off; the count follows the room.
func (q *quitConfirm) question(m *Model) string {
	names, yn := m.others(), m.km.Yes.Help().Key+"/"+m.km.No.Help().Key
	switch len(names) {
	case 0:
		return "nobody else is in the room now: quit? " + yn
	case 1:
		return fmt.Sprintf("%s is in the room: quit and end their session? %s", names[0], yn)
	}
	return fmt.Sprintf("%d people are in the room (%s): quit and end their sessions? %s", len(names), strings.Join(names, ", "), yn)
}

func (q *quitConfirm) keys(m *Model) []key.Binding {
	return []key.Binding{relabel(m.km.Yes, "quit, ending every session"), relabel(m.km.No, "keep serving")}
}

func (q *quitConfirm) onSnapshot(*Model, *room.Snapshot) modal { return q }
