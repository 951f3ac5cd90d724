package tui

import (
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"warroom/backends/room"
	"warroom/themes"
)

// What waits for this person (an operator's request to approve, a rule's
// proposal to confirm, an ended drill's scorecard) never opens by itself:
// a dialog that pops up in every session takes whatever key the person
// was about to press. It shows as a banner naming the review key, and
// opens on that key.

// waiting is what waits for this person's review, oldest request first,
// then the proposals they have not dismissed, then an ended drill's
// scorecard they have not opened (last: it reports on the past and never
// expires, while a request does): each as a line and the opener of its
// dialog.
func (m *Model) waiting() (lines []string, open []func() tea.Cmd) {
	s := m.snap
	if s == nil {
		return nil, nil
	}
	if ok, _ := m.may(room.PermApprove); ok {
		if a := m.awaitingFor(); a != nil {
			lines = append(lines, fmt.Sprintf("approval: %s asks to run %s", a.RequestedBy, a.Request.String()))
			open = append(open, m.openApproval)
		}
	}
	if ok, _ := m.may(room.PermAct); ok {
		for _, p := range s.Proposals {
			if m.dismissed[p.Rule+"|"+p.Request.String()] {
				continue
			}
			lines = append(lines, fmt.Sprintf("proposal: rule %s proposes %s", p.Rule, p.Request.String()))
			open = append(open, func() tea.Cmd { return m.openProposal(p) })
		}
	}
	// Everyone sees a drill's result, whatever their role: it was shown to
	// all when it ended.
	if d := m.unseenScorecard(); d != nil {
		lines = append(lines, drillEndedLine(d))
		open = append(open, m.openScorecard)
	}
	return lines, open
}

// drillEndedLine names the drill by its incident's id (what the report
// and the timeline call it), then its result and its scenario.
func drillEndedLine(d *room.DrillView) string {
	sc := d.Scorecard
	result := fmt.Sprintf("%d of %d goals met", sc.Met(), len(sc.Goals))
	if d.Incident == "" {
		return fmt.Sprintf("drill %s ended: %s", d.Name, result)
	}
	return fmt.Sprintf("drill %s ended: %s (%s)", d.Incident, result, d.Name)
}

// banner is the line that says what waits, or "".
func (m *Model) banner(w int) string {
	lines, _ := m.waiting()
	if len(lines) == 0 {
		return ""
	}
	// The key comes first: on a narrow screen the line is cut at its end.
	count := ""
	if n := len(lines); n > 1 {
		count = fmt.Sprintf(" (%d waiting)", n)
	}
	text := fmt.Sprintf("%s press %s to review%s · %s", themes.Symbol("warning"), m.km.Review.Help().Key, count, lines[0])
	return fit(m.th.Warn.Render(cleanText(text)), w)
}

// reviewLine is the line under the header: the banner, or that nothing
// waits (the line stays, so the panes below never move).
func (m *Model) reviewLine(w int) string {
	if b := m.banner(w); b != "" {
		return b
	}
	return fit(m.th.Muted.Render("· nothing waits for your review"), w)
}

// openReview opens the first thing waiting for this person (the review key).
func (m *Model) openReview() tea.Cmd {
	_, open := m.waiting()
	if len(open) == 0 {
		m.say("nothing waits for your review", false)
		return nil
	}
	return open[0]()
}
