package tui

import (
	"fmt"

	"github.com/charmbracelet/bubbles/key"

	"warroom/backends/room"
	"warroom/panes"
)

// newIncidentUI sets up the session's incident panes: the Incident pane
// names the declare key only to roles that may declare, the Presence
// pane marks this session's row. Both then differ from session to
// session, so their versions start above zero (shared renders are for
// untouched panes only).
func newIncidentUI(opts Options, inc *panes.Incident, who *panes.Presence) incidentUI {
	if opts.Room != nil && opts.Actor.Role.Can(room.PermIncident) {
		inc.DeclareKey = opts.Keymap.Declare.Help().Key
	}
	inc.Personal()
	who.Self = opts.PresenceID
	who.Personal()
	return incidentUI{pane: inc, presence: who, ctx: paneHosts, seen: map[string]bool{}}
}

// drillBadge is the header's DRILL banner while a drill runs: its name
// and time left, or only the time left when space is short.
func (m *Model) drillBadge(long bool) []string {
	d := m.snap.Drill
	if d == nil || d.Ended {
		return nil
	}
	text := panes.DrillBanner(d, m.snap.At)
	if !long {
		text = "DRILL"
		if left := d.Ends.Sub(m.snap.At); !d.Ends.IsZero() && left > 0 {
			text += " " + dueText(left, true) + " left"
		}
		return []string{m.th.Banner.Render(" " + text + " ")}
	}
	return []string{m.th.Banner.Render(" DRILL " + text + " ")}
}

// incidentBadge is the header's incident: level and status, and the RTO
// clock in its urgency.
func (m *Model) incidentBadge(long bool) []string {
	inc := m.snap.Incident
	if inc == nil {
		return nil
	}
	lv := incidentSeverity(inc.Level)
	level := fmt.Sprintf("L%d %s", inc.Level, inc.Status)
	if !long {
		level = fmt.Sprintf("L%d", inc.Level)
	}
	style := m.th.ForLevel(lv)
	if lv == "info" {
		style = m.th.Info
	}
	rto, rl := panes.RTOClock(m.snap, inc, true)
	rs := m.th.ForLevel(rl)
	if rl == "info" {
		rs = m.th.Info
	}
	return []string{style.Render(level), rs.Render(rto)}
}

// incidentSeverity is the level kind an incident level is shown in.
func incidentSeverity(level int) string {
	switch {
	case level >= 3:
		return "critical"
	case level == 2:
		return "warning"
	}
	return "info"
}

// incidentKeys are the incident keys worth showing now, for this role
// (the session's keymap has the others off): all of them on the Incident
// pane, notes on the timeline, and the declare key anywhere while the
// room proposes an incident.
func (m *Model) incidentKeys() []key.Binding {
	s, km := m.snap, m.sessionKeymap()
	if s == nil || m.opts.Room == nil || m.panes[m.focus].Capturing() {
		return nil
	}
	inc := s.Incident
	var out []key.Binding
	add := func(b key.Binding, desc string, when bool) {
		if when && b.Enabled() {
			if desc != "" {
				b = relabel(b, desc)
			}
			out = append(out, b)
		}
	}
	switch m.focus {
	case paneIncident:
		if inc == nil {
			add(km.Declare, "", true)
		} else {
			add(km.Tick, "", !inc.Steps[m.ir.pane.Step()-1].Done)
			next := panes.NextStatus(inc.Status)
			add(km.Advance, "→ "+next, next != "" && (next != room.StatusClosed || m.can(room.PermCommand)))
		}
		add(km.Note, "", true)
		add(km.Pin, "", inc != nil && unpinnedNotes(s) > 0)
		add(km.Level, "", inc != nil)
		add(km.HandOver, "", inc != nil)
		add(km.Report, "", true)
		running := s.Drill != nil && !s.Drill.Ended
		add(km.Drill, map[bool]string{true: "stop drill", false: "start drill"}[running], true)
	case paneTimeline:
		add(km.Note, "", true)
		add(km.Pin, "", inc != nil && unpinnedNotes(s) > 0)
	default:
		add(km.Declare, "declare proposed incident", inc == nil && s.IncidentProposal != nil)
	}
	return out
}

// unpinnedNotes counts the timeline's notes not pinned yet.
func unpinnedNotes(s *room.Snapshot) int {
	pinned := map[uint64]bool{}
	if s.Incident != nil {
		for _, e := range s.Incident.Pinned {
			pinned[e.Seq] = true
		}
	}
	n := 0
	for _, e := range s.Timeline {
		if e.Kind == room.EvNoteAdded && !pinned[e.Seq] && !e.Pinned() {
			n++
		}
	}
	return n
}
