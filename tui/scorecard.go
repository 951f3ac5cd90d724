package tui

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"warroom/backends/room"
	"warroom/panes"
)

// scorecard shows an ended drill's scorecard over the room, until back or
// confirm closes it.
type scorecard struct {
	modalID
	drill *room.DrillView
}

func (c *scorecard) update(m *Model, msg tea.Msg) (modal, tea.Cmd) {
	k, ok := msg.(tea.KeyMsg)
	switch {
	case !ok:
	case key.Matches(k, m.km.Back, m.km.Confirm):
		return nil, nil
	case key.Matches(k, m.km.Quit):
		return c, m.quit()
	}
	return c, nil
}

func (c *scorecard) view(m *Model, under string, w, h int) string {
	bw := min(w-2, 84)
	iw := bw - 4
	if iw < 10 || h < 5 {
		return under
	}
	lines := panes.ScorecardLines(m.th, c.drill.Scorecard, iw)
	foot := fmt.Sprintf("%s or %s closes", firstHelpKey(m.km.Confirm), firstHelpKey(m.km.Back))
	if m.opts.Report != nil && m.can(room.PermIncident) {
		foot += fmt.Sprintf(" · %s writes the drill report", m.km.Report.Help().Key)
	}
	lines = append(lines, "", m.th.Muted.Render(fit(foot, iw)))
	if len(lines) > h-2 {
		lines = lines[:h-2]
	}
	return overlay(under, drawBox(m.th, "Drill scorecard: "+c.drill.Name, lines, bw), w, h)
}

func (c *scorecard) keys(m *Model) []key.Binding {
	return []key.Binding{relabel(m.km.Confirm, "close"), relabel(m.km.Back, "close")}
}

// onSnapshot keeps the scorecard: an ended drill's result does not change.
func (c *scorecard) onSnapshot(*Model, *room.Snapshot) modal { return c }
