package tui

import (
	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"warroom/backends/room"
	"warroom/panes"
)

// helpOverlay lists the keys this person may use, in place of the panes.
type helpOverlay struct{ modalID }

func (o *helpOverlay) update(m *Model, msg tea.Msg) (modal, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	switch {
	case !ok:
	case key.Matches(k, m.km.Quit):
		return o, m.quit()
	case key.Matches(k, m.km.Help, m.km.Back):
		return nil, nil
	}
	return o, nil
}

func (o *helpOverlay) view(m *Model, _ string, w, h int) string {
	return panes.HelpOverlay(m.th, m.sessionKeymap(), w, h)
}

func (o *helpOverlay) keys(m *Model) []key.Binding { return []key.Binding{m.km.Back, m.km.Quit} }

func (o *helpOverlay) onSnapshot(*Model, *room.Snapshot) modal { return o }
