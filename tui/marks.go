package tui

import (
	"fmt"
	"slices"

	"warroom/backends/room"
	"warroom/themes"
)

// Panes never move to show what changed in them (layout.go). A pane
// hidden behind its mate in a shared slot says it instead, as a mark
// after its key in the slot's title: "5 Timeline · 7 Announcements ✖ 1
// failed". A mark names the one most urgent thing, so it stays short.

// mark is what pane i has that wants a look while it is hidden, or "".
func (m *Model) mark(i int) string {
	s := m.snap
	if s == nil {
		return ""
	}
	switch i {
	case panePosts:
		return postsMark(s.Posts)
	case paneIncident:
		return incidentMark(s)
	case paneActions:
		return actionsMark(s.Actions)
	case paneAlerts:
		return alertsMark(s.Alerts)
	}
	return ""
}

// kind is one thing a mark may count: its symbol's kind, its word and
// the states that are it.
type kind[S comparable] struct {
	symbol, word string
	states       []S
}

// mostUrgent counts the items in the first of kinds that has any, as
// "symbol count word", or "".
func mostUrgent[T any, S comparable](items []T, state func(T) S, kinds ...kind[S]) string {
	for _, k := range kinds {
		n := 0
		for _, it := range items {
			if slices.Contains(k.states, state(it)) {
				n++
			}
		}
		if n > 0 {
			return fmt.Sprintf("%s %d %s", themes.Symbol(k.symbol), n, k.word)
		}
	}
	return ""
}

// postsMark: failed posts, then those of unknown outcome (both wait for a
// person), then those still on their way.
func postsMark(posts []room.PostView) string {
	return mostUrgent(posts, func(p room.PostView) room.PostState { return p.State },
		kind[room.PostState]{"critical", "failed", []room.PostState{room.PostFailed}},
		kind[room.PostState]{"unknown", "unknown", []room.PostState{room.PostUnknown}},
		kind[room.PostState]{"syncing", "sending", []room.PostState{room.PostQueued, room.PostSending, room.PostRetrying}})
}

// actionsMark: decided actions not started in time, actions paused on a
// failed batch or after a soak (they wait for a decision), then requests
// awaiting approval, then those running.
func actionsMark(acts []room.ActionView) string {
	const late room.ActionState = "late" // Urgent: no state of its own
	state := func(a room.ActionView) room.ActionState {
		if a.Urgent {
			return late
		}
		return a.State
	}
	return mostUrgent(acts, state,
		kind[room.ActionState]{"critical", "not started", []room.ActionState{late}},
		kind[room.ActionState]{"critical", "paused", []room.ActionState{room.ActionPaused}},
		kind[room.ActionState]{"warning", "to approve", []room.ActionState{room.ActionAwaiting}},
		kind[room.ActionState]{"syncing", "running", []room.ActionState{room.ActionRequested, room.ActionRunning}})
}

// alertsMark: unacknowledged critical alerts, then warnings.
func alertsMark(alerts []room.Alert) string {
	unacked := func(a room.Alert) room.Severity {
		if a.Acked {
			return ""
		}
		return a.Severity
	}
	return mostUrgent(alerts, unacked,
		kind[room.Severity]{"critical", "critical", []room.Severity{room.Critical}},
		kind[room.Severity]{"warning", "warning", []room.Severity{room.Warning}})
}

// incidentMark: the open incident's level and status, or the level the
// room proposes.
func incidentMark(s *room.Snapshot) string {
	if inc := s.Incident; inc != nil {
		return fmt.Sprintf("%s L%d %s", themes.Symbol(incidentSeverity(inc.Level)), inc.Level, inc.Status)
	}
	if p := s.IncidentProposal; p != nil {
		return fmt.Sprintf("%s L%d proposed", themes.Symbol(incidentSeverity(p.Level)), p.Level)
	}
	return ""
}
