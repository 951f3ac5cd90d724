package tui

import (
	"context"
	"fmt"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"warroom/backends/room"
	"warroom/panes"
	"warroom/themes"
)

// incidentUI is the session's share of the incident: its two panes, the
// place they share with the hosts on small screens, and the drill
// scorecards this session has opened (its dialogs are modals).
type incidentUI struct {
	pane     *panes.Incident
	presence *panes.Presence
	ctx      int             // paneHosts, paneIncident or panePresence: which shows in the hosts' place (pane keys only)
	seen     map[string]bool // drill scorecards opened (by drillKey): they wait no more
}

// role is this session's role.
func (m *Model) role() room.Role { return m.opts.Actor.Role }

// drillKey names one run of a drill (its scorecard is seen once).
func drillKey(d *room.DrillView) string {
	return d.Name + "@" + d.Started.Format("2006-01-02T15:04:05.000")
}

// incidentKey handles the incident keys from anywhere in the room; ok is
// false for other keys. A key is acted on whatever the role: the room
// refuses what the role may not do, and the refusal is shown.
func (m *Model) incidentKey(msg tea.KeyMsg) (tea.Cmd, bool) {
	km, s := m.km, m.snap
	switch {
	case key.Matches(msg, km.Declare):
		return m.openDeclare(), true
	case key.Matches(msg, km.Level):
		return m.openLevel(), true
	case key.Matches(msg, km.HandOver):
		return m.openHandOver(), true
	case key.Matches(msg, km.Advance):
		return m.openAdvance(), true
	case key.Matches(msg, km.Tick):
		step := m.ir.pane.Step()
		if m.focus != paneIncident && s != nil && s.Incident != nil {
			step = firstOpenStep(s.Incident)
		}
		return m.openTick(step), true
	case key.Matches(msg, km.Note):
		return m.openNote(), true
	case key.Matches(msg, km.Pin):
		return m.openPin(), true
	case key.Matches(msg, km.Report):
		return m.writeReport(), true
	case key.Matches(msg, km.Drill):
		return m.openDrill(), true
	}
	return nil, false
}

// firstOpenStep is the first step not yet ticked (6 when all are).
func firstOpenStep(inc *room.IncidentView) int {
	for i, st := range inc.Steps {
		if !st.Done {
			return i + 1
		}
	}
	return 6
}

// noRoom refuses an incident key in a session without a room.
func (m *Model) noRoom() bool {
	if m.opts.Room == nil || m.snap == nil {
		m.say("this room is read-only", true)
		return true
	}
	return false
}

// writeReport asks the report writer cmd wired in for the review of the
// open (or last) incident, and shows where it went.
func (m *Model) writeReport() tea.Cmd {
	if m.noRoom() {
		return nil
	}
	if m.opts.Report == nil {
		m.say("reports are not available in this session: run warroom report", true)
		return nil
	}
	// Not m.can: a read-only room still writes it, as it only reads the journal.
	if !m.role().Can(room.PermIncident) {
		m.say(fmt.Sprintf("%s is %s: only commanders and operators may write the report", m.opts.Actor.Name, m.role()), true)
		return nil
	}
	write := m.opts.Report
	m.say("writing the report…", false)
	return m.call(0, func(ctx context.Context, _ Room, _ room.Actor) (any, error) { return write(ctx) },
		func(m *Model, path any, err error) {
			if err != nil {
				m.say(themes.Symbol("critical")+" report not written: "+err.Error(), true)
			} else {
				m.say(fmt.Sprintf("report written to %s", path), false)
			}
		})
}

// unseenScorecard is the ended drill whose scorecard this session has
// not opened yet, or nil.
func (m *Model) unseenScorecard() *room.DrillView {
	if m.snap == nil {
		return nil
	}
	d := m.snap.Drill
	if d == nil || !d.Ended || d.Scorecard == nil || m.ir.seen[drillKey(d)] {
		return nil
	}
	return d
}

// openScorecard shows the ended drill's scorecard; once opened it waits
// no more, so closing it leaves it closed.
func (m *Model) openScorecard() tea.Cmd {
	if d := m.unseenScorecard(); d != nil {
		m.ir.seen[drillKey(d)] = true
		m.modals.push(&scorecard{modalID: m.modals.newID(), drill: d})
	}
	return nil
}
