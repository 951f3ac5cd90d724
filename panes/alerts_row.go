package panes

import (
	"strings"

	"warroom/backends/room"
	"warroom/themes"
)

// alertRow draws one alert: severity, age, subject, who acknowledged it
// (or the mark of an escalated or silenced one) and its text followed by
// what paging did with it.
func alertRow(rb *rowBuilder, ik *inks, cols []column, s *room.Snapshot, a room.Alert, sel bool, w int) string {
	rb.reset(cols, sel)
	sev := string(a.Severity)
	if sev != "critical" {
		sev = "warning"
	}
	sk, tk := ik.level(sev), ik.text
	if handled(a) {
		sk, tk = ik.muted, ik.muted
	}
	if ok, cw := rb.shown(); ok {
		rb.add(stateCell(sev, cw), sk)
	} else {
		rb.add("", sk)
	}
	rb.add(age(s.At, a.Raised), tk)
	rb.add(clean(a.Subject), tk)
	_, cw := rb.shown()
	mark, mk := ackCell(s, a, cw, ik)
	rb.add(mark, mk)
	rb.add(alertText(s, a), tk)
	line := marker(sel) + rb.String()
	if sel {
		return ik.selected.paint(cell(line, w))
	}
	return line
}

// handled is an alert someone took care of: acknowledged or silenced. It
// is muted and sorts below the ones that still need a person.
func handled(a room.Alert) bool { return a.Acked || a.Silence != nil }

// escalated is an unacknowledged alert that was paged past its deadline.
func escalated(a room.Alert) bool { return !a.Acked && len(a.EscalatedTo) > 0 }

// ackCell is the ACK column, w cells: who acknowledged and when, else
// the escalation or silence mark; one cell wide, only the symbol.
func ackCell(s *room.Snapshot, a room.Alert, w int, ik *inks) (string, ink) {
	var sym, word string
	k := ik.ok
	switch {
	case a.Acked:
		sym, word = themes.Symbol("acked"), clean(a.AckedBy)
		if word == "" {
			word = "acked"
		}
		if !a.AckedAt.IsZero() {
			word += " " + age(s.At, a.AckedAt)
		}
	case escalated(a):
		sym, word, k = themes.Symbol("escalated"), "escalated", ik.crit
	case a.Silence != nil:
		sym, word, k = themes.Symbol("silenced"), "silenced", ik.muted
	default:
		return "", k
	}
	if w > 1 {
		return sym + " " + word, k
	}
	return sym, k
}

// alertText is the alert's text and, after it, what paging did: the
// escalation ("unacked 6m — escalated to pd-managers"), the silence
// ("silenced by ana · 1h12m left") and who was paged ("→ ops-slack"),
// each cut off first when the column is narrow.
func alertText(s *room.Snapshot, a room.Alert) string {
	parts := []string{clean(a.Text)}
	if a.External != nil { // Alertmanager's: its labels say where
		if l := a.External.LabelText(); l != "" {
			parts[0] += " {" + clean(l) + "}"
		}
	}
	if escalated(a) {
		parts = append(parts, EscalationText(s, a, strings.Join(cleanAll(a.EscalatedTo), ", ")))
	}
	if a.Silence != nil {
		parts = append(parts, silencedText(s, a.Silence))
	}
	if len(a.Paged) > 0 {
		parts = append(parts, "→ "+strings.Join(cleanAll(a.Paged), ", "))
	}
	return strings.Join(parts, " · ")
}

// EscalationText is "unacked 6m — escalated to " and to: how long the
// alert has waited for a person, and who was paged for it. The header
// says it the same way.
func EscalationText(s *room.Snapshot, a room.Alert, to string) string {
	return "unacked " + age(s.At, a.Raised) + " — escalated to " + to
}

// silencedText says who silenced an alert and for how long still.
func silencedText(s *room.Snapshot, sv *room.SilenceView) string {
	who := "silenced by " + clean(sv.By)
	if sv.By == "config" {
		who = "maintenance window " + clean(sv.ID)
	}
	return who + " · " + timeLeft(s, sv)
}

// timeLeft is a silence's countdown: "1h12m left", "starts in 3h" for a
// scheduled one, "ending" once its end has passed (the room expires it
// on its next tick).
func timeLeft(s *room.Snapshot, sv *room.SilenceView) string {
	switch {
	case sv.Start.After(s.At):
		return "starts in " + coarse(sv.Start.Sub(s.At))
	case !sv.End.After(s.At):
		return "ending"
	}
	return coarse(sv.End.Sub(s.At)) + " left"
}

// cleanAll cleans each of a list of outside names.
func cleanAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = clean(n)
	}
	return out
}
