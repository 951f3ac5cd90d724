package tui

import (
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/lipgloss"

	"warroom/backends/room"
	"warroom/panes"
	"warroom/themes"
)

// headerCut is one way of writing the header, each shorter than the one
// before: narrow screens drop the site name, then the words, shorten the
// clock, the drill and the incident, drop the product's name, close up
// the fleet's counts and only then the clock. The DRILL banner, the RTO
// clock, the fleet's state, the open alerts, the next update and the
// clock stay to the last.
type headerCut struct {
	site, words, long, name, loose bool
	clock                          int
}

// Clock forms, longest first.
const (
	clockFull  = iota // 15:04:05 MST
	clockShort        // 15:04
	clockNone
)

func headerCuts() []headerCut {
	return []headerCut{
		{site: true, words: true, long: true, name: true, loose: true},
		{words: true, long: true, name: true, loose: true},
		{long: true, name: true, loose: true},
		{long: true, name: true, loose: true, clock: clockShort},
		{name: true, loose: true, clock: clockShort},
		{loose: true, clock: clockShort},
		{clock: clockShort},
		{clock: clockNone},
	}
}

// header is the top line: site, demo badge, drill and incident, fleet
// counts, open alerts under the symbol of the worst unacknowledged one,
// the next update and the room's clock. A failed journal takes the whole
// line: it is the one thing nobody may miss.
func (m *Model) header(w int) string {
	th, s := m.th, m.snap
	if s == nil {
		return fit(th.Bold.Render("warroom")+th.Muted.Render(" · waiting for the room…"), w)
	}
	if s.JournalErr != "" {
		return fit(th.Crit.Render(themes.Symbol("critical")+" JOURNAL FAILED — not recording: "+s.JournalErr), w)
	}
	// The escalation of an unacknowledged alert is worth more than the
	// site's name and the words: every cut is tried with it naming at
	// least one receiver whole, then with the receivers cut short, and
	// only then without it.
	for _, esc := range []int{escNamed, escCut} {
		if line, ok := m.headerLine(w, esc); ok {
			return line
		}
	}
	line, _ := m.headerLine(w, escNone)
	return line
}

// How the header shows the worst escalation.
const (
	escNone  = iota
	escNamed // as many receivers as fit, at least one ("pd-managers +1")
	escCut   // the receivers cut to fit
)

// headerLine writes the header with the first cut that fits w, and with
// the worst escalation as esc says; ok is false when no cut fits (the
// line is then the shortest cut, cut to w).
func (m *Model) headerLine(w int, esc int) (line string, ok bool) {
	th, s := m.th, m.snap
	sep := th.Muted.Render(" · ")
	due := m.updateDue()
	escalated := worstEscalated(s)
	if escalated == nil {
		esc = escNone
	}
	var left string
	for _, c := range headerCuts() {
		var parts []string
		if c.name {
			parts = append(parts, th.Bold.Render("warroom"))
		}
		parts = append(parts, m.clusterBadges(c.long)...)
		parts = append(parts, m.drillBadge(c.long)...)
		if c.site {
			parts = append(parts, th.Text.Render(s.Site))
		}
		parts = append(parts, m.incidentBadge(c.long)...)
		fleet := m.fleetCounts(c.words)
		if !c.loose {
			parts = append(parts, strings.Join(fleet, " "))
		} else {
			parts = append(parts, fleet...)
		}
		parts = append(parts, m.alertsBadge(c.words))
		left = strings.Join(parts, sep)
		right := due
		if clock := m.clock(c.clock); clock != "" {
			if right != "" {
				right += sep
			}
			right += clock
		}
		gap := w - lipgloss.Width(left) - lipgloss.Width(right)
		if esc != escNone && c.clock == clockNone || esc == escNamed && !c.long {
			break // the clock, the drill's name and the incident's status outrank naming receivers
		}
		if esc != escNone {
			badge := m.escalationBadge(escalated, gap-lipgloss.Width(sep)-1, esc == escNamed)
			if badge == "" {
				continue
			}
			left += sep + badge
			gap -= lipgloss.Width(sep) + lipgloss.Width(badge)
		}
		if gap >= 1 {
			return left + strings.Repeat(" ", gap) + right, true
		}
	}
	return fit(left, w), false
}

// clock is the room's time in the given form.
func (m *Model) clock(form int) string {
	switch form {
	case clockFull:
		return m.th.Muted.Render(m.snap.At.Format("15:04:05 MST"))
	case clockShort:
		return m.th.Muted.Render(m.snap.At.Format("15:04"))
	}
	return ""
}

// fleetCounts are the mirrors in each state, in words or compact, the
// demo badge first.
func (m *Model) fleetCounts(words bool) []string {
	th, s := m.th, m.snap
	counts := panes.StateCounts(s)
	var out []string
	if s.Demo {
		out = append(out, th.Banner.Render(" DEMO "))
	}
	for _, st := range []room.State{room.StateUp, room.StateDegraded, room.StatePartial, room.StateDown, room.StateUnknown} {
		n := counts[st]
		if n == 0 && st != room.StateUp {
			continue
		}
		label := fmt.Sprint(n)
		if words {
			label += " " + string(st)
		}
		out = append(out, th.Badge(string(st), label))
	}
	return out
}

// alertsBadge is the open alerts under the symbol and colour of the worst
// unacknowledged one (✖ critical, ▲ warning), or ✖ while a decided action
// is late to start; with neither they are muted. Compact, it counts only
// the unacknowledged.
func (m *Model) alertsBadge(words bool) string {
	th, s := m.th, m.snap
	var levels []string
	for _, a := range s.Alerts {
		if !a.Acked {
			levels = append(levels, alertLevel(a.Severity))
		}
	}
	unacked := len(levels)
	// A decided action not started in time is as urgent as any alert.
	for _, a := range s.Actions {
		if a.Urgent {
			levels = append(levels, "critical")
		}
	}
	if len(levels) == 0 {
		return th.Muted.Render(plural(len(s.Alerts), "alert"))
	}
	text := fmt.Sprintf("%d unacked", unacked)
	switch {
	case unacked == 0:
		text = plural(len(s.Alerts), "alert")
	case words:
		text = fmt.Sprintf("%s (%d unacked)", plural(len(s.Alerts), "alert"), unacked)
	}
	return th.Badge(themes.Worst(levels...), text)
}

// alertLevel is a severity as a level word: anything not critical warns.
func alertLevel(s room.Severity) string {
	if s == room.Critical {
		return "critical"
	}
	return "warning"
}

// updateDue is the countdown to the next public update, once one was
// posted: muted while there is time, warning in the last five minutes,
// critical when overdue.
func (m *Model) updateDue() string {
	th, s := m.th, m.snap
	if s.NextUpdateDue.IsZero() {
		return ""
	}
	if late := s.UpdateOverdue(); late > 0 {
		return th.Crit.Render(themes.Symbol("critical") + " update overdue " + dueText(late, false))
	}
	left := s.NextUpdateDue.Sub(s.At)
	switch {
	case left <= 0:
		return th.Crit.Render(themes.Symbol("warning") + " next update due now")
	case left < 5*time.Minute:
		return th.Warn.Render(themes.Symbol("warning") + " next update in " + dueText(left, true))
	}
	return th.Info.Render("next update in " + dueText(left, true))
}

// dueText is a countdown's figure: seconds under a minute, else minutes
// (rounded up when counting down, so "in 1m" never means "late"), or
// hours and minutes.
func dueText(d time.Duration, up bool) string {
	if d < time.Minute {
		return fmt.Sprintf("%ds", int((d+time.Second-1)/time.Second))
	}
	mins := int(d / time.Minute)
	if up && d%time.Minute != 0 {
		mins++
	}
	if mins < 60 {
		return fmt.Sprintf("%dm", mins)
	}
	return fmt.Sprintf("%dh%02dm", mins/60, mins%60)
}
