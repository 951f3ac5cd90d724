package tui

import (
	"fmt"
	"strings"

	"github.com/charmbracelet/lipgloss"

	"warroom/backends/room"
	"warroom/panes"
	"warroom/themes"
)

// worstEscalated is the escalated alert nobody has acknowledged yet that
// the header names: a critical one before a warning, then the one
// waiting longest; nil when there is none.
func worstEscalated(s *room.Snapshot) *room.Alert {
	var worst *room.Alert
	for i := range s.Alerts {
		a := &s.Alerts[i]
		if a.Acked || len(a.EscalatedTo) == 0 {
			continue
		}
		if worst == nil || a.Severity == room.Critical && worst.Severity != room.Critical ||
			a.Severity == worst.Severity && a.Raised.Before(worst.Raised) {
			worst = a
		}
	}
	return worst
}

// escalationBadge is "⇑ unacked 6m — escalated to pd-managers, oncall-mail"
// in at most space cells: named, as many receivers as fit and how many
// more ("pd-managers +1"), else cut short; "" when it does not fit.
func (m *Model) escalationBadge(a *room.Alert, space int, named bool) string {
	to := make([]string, len(a.EscalatedTo))
	for i, r := range a.EscalatedTo {
		to[i] = cleanText(r)
	}
	style := m.th.ForLevel(alertLevel(a.Severity))
	text := func(to string) string {
		return themes.Symbol("escalated") + " " + panes.EscalationText(m.snap, *a, to)
	}
	if !named {
		if space < lipgloss.Width(text(""))+4 {
			return ""
		}
		return style.Render(truncate(text(strings.Join(to, ", ")), space))
	}
	for n := len(to); n > 0; n-- {
		names := strings.Join(to[:n], ", ")
		if n < len(to) {
			names += fmt.Sprintf(" +%d", len(to)-n)
		}
		if t := text(names); lipgloss.Width(t) <= space {
			return style.Render(t)
		}
	}
	return ""
}
