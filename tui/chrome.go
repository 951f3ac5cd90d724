package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/bubbles/key"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"time"

	"warroom/backends/room"
	"warroom/panes"
	"warroom/themes"
)

// header is the top line: site, demo badge, fleet counts, open alerts and
// the room's clock. A failed journal takes the whole line: it is the one
// thing nobody may miss.
func (m *Model) header(w int) string {
	th, s := m.th, m.snap
	if s == nil {
		return fit(th.Bold.Render("warroom")+th.Muted.Render(" · waiting for the room…"), w)
	}
	if s.JournalErr != "" {
		return fit(th.Crit.Render(themes.Symbol("critical")+" JOURNAL FAILED — not recording: "+s.JournalErr), w)
	}
	counts := map[room.State]int{}
	for _, mv := range s.Mirrors {
		counts[mv.State]++
	}
	unacked := 0
	for _, a := range s.Alerts {
		if !a.Acked {
			unacked++
		}
	}
	// status is the fleet's state and the open alerts, in words or compact.
	status := func(words bool) []string {
		var out []string
		if s.Demo {
			out = append(out, th.Banner.Render(" DEMO "))
		}
		for _, st := range []room.State{room.StateUp, room.StateDegraded, room.StateDown, room.StateUnknown} {
			n := counts[st]
			if n == 0 && st != room.StateUp {
				continue
			}
			label := fmt.Sprintf("%s %d", themes.Symbol(string(st)), n)
			if words {
				label += " " + string(st)
			}
			out = append(out, th.ForLevel(string(st)).Render(label))
		}
		alerts := th.Muted.Render(plural(len(s.Alerts), "alert"))
		if unacked > 0 {
			alerts = th.Warn.Render(fmt.Sprintf("%s %s (%d unacked)", themes.Symbol("warning"), plural(len(s.Alerts), "alert"), unacked))
		}
		return append(out, alerts)
	}
	sep := th.Muted.Render(" · ")
	clock := th.Muted.Render(s.At.Format("15:04:05 MST"))
	due := m.updateDue()
	right := clock
	if due != "" {
		right = due + sep + clock
	}
	// Narrow screens drop the site name, then the words, then the clock,
	// then shorten the drill and the incident: the DRILL banner, the RTO
	// clock, the fleet's state, the open alerts and the next update stay
	// visible.
	var left string
	for _, v := range []struct{ site, words, clock, long bool }{{true, true, true, true}, {false, true, true, true},
		{false, false, true, true}, {false, false, false, true}, {false, false, false, false}} {
		parts := append([]string{th.Bold.Render("warroom")}, m.drillBadge(v.long)...)
		if v.site {
			parts = append(parts, th.Text.Render(s.Site))
		}
		parts = append(parts, m.incidentBadge(v.long)...)
		left = strings.Join(append(parts, status(v.words)...), sep)
		r := right
		if !v.clock {
			r = due
		}
		if gap := w - lipgloss.Width(left) - lipgloss.Width(r); gap >= 1 {
			return left + strings.Repeat(" ", gap) + r
		}
	}
	return fit(left, w)
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

// footer is the help bar of the focused pane, or the last command's outcome.
func (m *Model) footer(w int) string {
	if m.flash != "" {
		st := m.th.Info
		if m.flashBad {
			st = m.th.Crit
		}
		return fit(st.Render(cleanText(m.flash)), w)
	}
	if m.notice != "" && m.modals.top() == nil && m.ir.dlg == nil && m.ir.card == nil {
		return fit(m.th.Accent.Render("▸ "+cleanText(m.notice)), w)
	}
	km := m.km
	var bindings []key.Binding
	switch {
	case m.modals.top() != nil:
		bindings = m.modals.keys(m)
	case m.ir.dlg != nil:
		bindings = m.incidentDialogKeys()
	case m.ir.card != nil:
		bindings = m.scorecardKeys()
	case m.help:
		bindings = []key.Binding{km.Back, km.Quit}
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
	add(km.Announce, m.focus == panePosts && m.opts.Templates != nil && len(s.Channels) > 0)
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
