package panes

import (
	"fmt"
	"time"

	"warroom/backends/room"
	"warroom/themes"
)

// clocksLines are the decision clocks' line, if they began, and a line for
// each urgent action.
func clocksLines(ik *inks, s *room.Snapshot, inc *room.IncidentView, w int, short bool) []string {
	var out []string
	if l := decisionLine(ik, s, inc, w, short); l != "" {
		out = append(out, l)
	}
	return append(out, urgentLines(ik, s, w)...)
}

// decisionLine is the playbook's two clocks: from the first critical alert
// to the decision, and from the decision to an action starting. A clock
// still waiting runs from the snapshot's time, in warning (critical once
// the action is StartWithin late); "" when neither has begun.
func decisionLine(ik *inks, s *room.Snapshot, inc *room.IncidentView, w int, short bool) string {
	if inc.FirstCritical.IsZero() && inc.DecidedAt.IsZero() {
		return ""
	}
	decide, dl := clockSpan(inc.FirstCritical, inc.DecidedAt, s.At, 0)
	act, al := clockSpan(inc.DecidedAt, inc.ActionStartedAt, s.At, room.StartWithin)
	toAction := "decision→action "
	if short {
		toAction = "→action " // a narrow pane: the pair still reads as two clocks
	}
	line := ik.level(dl).paint("alert→decision "+decide) + ik.muted.paint(" · ") + ik.level(al).paint(toAction+act)
	if by := clean(inc.DecidedBy); by != "" && !short {
		line += ik.muted.paint(" · decided by " + by)
	}
	return fitLine(line, w)
}

// clockSpan is one clock from start to end, running to now while end is zero,
// and its urgency: "—" before it starts; running is a warning, or
// critical past late (when late is set); a stopped clock is info.
func clockSpan(start, end, now time.Time, late time.Duration) (string, string) {
	switch {
	case start.IsZero():
		return "—", "info"
	case !end.IsZero():
		return HumanDuration(end.Sub(start)), "info"
	}
	d := now.Sub(start)
	if late > 0 && d >= late {
		return HumanDuration(d) + " " + themes.Symbol("critical"), "critical"
	}
	return HumanDuration(d) + "…", "warning"
}

// urgentLines name the actions decided but not started in time, in
// critical: the room can do nothing about them by itself.
func urgentLines(ik *inks, s *room.Snapshot, w int) []string {
	var out []string
	for i := range s.Actions {
		if a := &s.Actions[i]; a.Urgent {
			out = append(out, ik.crit.paint(cell(themes.Symbol("critical")+" "+UrgentText(a, s.At), w)))
		}
	}
	return out
}

// UrgentText says which decided action has not started, and since when.
func UrgentText(a *room.ActionView, now time.Time) string {
	return clean(fmt.Sprintf("%s %s: decided %s ago, still not started", a.ID, a.Request.String(), HumanDuration(now.Sub(a.DecidedAt()))))
}
