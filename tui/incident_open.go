package tui

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"warroom/backends/room"
	"warroom/panes"
)

// The incident keys open their dialogs here, or say why not.

// openDeclare opens the declaration at the proposal's level and reason,
// or at level 1 with an empty title.
func (m *Model) openDeclare() tea.Cmd {
	if m.noRoom() {
		return nil
	}
	if inc := m.snap.Incident; inc != nil {
		m.say(fmt.Sprintf("%s is open (level %d, %s): one incident at a time", inc.ID, inc.Level, inc.Status), true)
		return nil
	}
	f := &levelForm{declaring: true, level: 1}
	if p := m.snap.IncidentProposal; p != nil {
		f.level, f.reason = min(max(p.Level, 1), 3), p.Reason
	}
	f.cursor = f.level - 1
	m.openIncident(f)
	return nil
}

// needIncident says there is no incident open and returns true.
func (m *Model) needIncident(what string) bool {
	if m.noRoom() {
		return true
	}
	if m.snap.Incident == nil {
		hint := ""
		if m.can(room.PermIncident) {
			hint = fmt.Sprintf(": %s declares one", m.km.Declare.Help().Key)
		}
		m.say("no incident open to "+what+hint, true)
		return true
	}
	return false
}

func (m *Model) openLevel() tea.Cmd {
	if m.needIncident("change the level of") {
		return nil
	}
	level := m.snap.Incident.Level
	m.openIncident(&levelForm{level: level, cursor: min(max(level, 1), 3) - 1})
	return nil
}

// openHandOver offers the people present (each name once, the commander
// left out) and a field to type anyone else.
func (m *Model) openHandOver() tea.Cmd {
	if m.needIncident("hand over") {
		return nil
	}
	f := &handOverForm{input: panes.Input{Limit: 64}}
	seen := map[string]bool{m.snap.Incident.Commander: true}
	for _, p := range m.snap.Presence {
		if !seen[p.Name] && p.Role != room.RoleObserver {
			seen[p.Name] = true
			f.names = append(f.names, p.Name)
		}
	}
	m.openIncident(f)
	return nil
}

func (m *Model) openAdvance() tea.Cmd {
	if m.needIncident("advance") {
		return nil
	}
	inc := m.snap.Incident
	next := panes.NextStatus(inc.Status)
	if next == "" {
		m.say(fmt.Sprintf("%s is %s: there is no status after it", inc.ID, inc.Status), true)
		return nil
	}
	m.openIncident(&advanceForm{from: inc.Status, to: next})
	return nil
}

func (m *Model) openTick(step int) tea.Cmd {
	if m.needIncident("tick a step of") {
		return nil
	}
	m.openIncident(&tickForm{step: min(max(step, 1), 6), input: panes.Input{Limit: maxNote}})
	return nil
}

func (m *Model) openNote() tea.Cmd {
	if m.noRoom() {
		return nil
	}
	m.openIncident(&noteForm{input: panes.Input{Limit: maxNote}})
	return nil
}

// openPin offers the timeline's notes not pinned yet, newest first.
func (m *Model) openPin() tea.Cmd {
	if m.needIncident("pin a note to") {
		return nil
	}
	pinned := map[uint64]bool{}
	for _, e := range m.snap.Incident.Pinned {
		pinned[e.Seq] = true
	}
	var notes []room.Event
	tl := m.snap.Timeline
	for i := len(tl) - 1; i >= 0; i-- {
		if e := tl[i]; e.Kind == room.EvNoteAdded && !pinned[e.Seq] && !e.Pinned() {
			notes = append(notes, e)
		}
	}
	if len(notes) == 0 {
		hint := ""
		if m.can(room.PermNote) {
			hint = fmt.Sprintf(": %s adds one", m.km.Note.Help().Key)
		}
		m.say("no unpinned notes in the timeline"+hint, true)
		return nil
	}
	m.openIncident(&pinForm{notes: notes})
	return nil
}

// openDrill offers the scenarios when no drill runs, or stopping the
// running one.
func (m *Model) openDrill() tea.Cmd {
	if m.noRoom() {
		return nil
	}
	if dv := m.snap.Drill; dv != nil && !dv.Ended {
		m.openIncident(&drillStopForm{name: dv.Name})
		return nil
	}
	if len(m.opts.Drills) == 0 || m.opts.LoadDrill == nil {
		m.say("no drill scenarios in this session: run warroom drill SCENARIO", true)
		return nil
	}
	m.openIncident(&drillPickForm{drills: m.opts.Drills})
	return nil
}
