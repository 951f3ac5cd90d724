package panes

import (
	"fmt"
	"strings"

	"warroom/backends/room"
	"warroom/themes"
)

// silenceRow draws one silence in the alerts' columns: the silence mark,
// how long it has held under AGE, who made it under SUBJECT, and its
// countdown, matcher and reason under ALERT.
func silenceRow(rb *rowBuilder, ik *inks, cols []column, s *room.Snapshot, sv *room.SilenceView, sel bool, w int) string {
	rb.reset(cols, sel)
	sym := themes.Symbol("silenced")
	if ok, cw := rb.shown(); ok && cw >= 9 {
		sym += " silence"
	}
	rb.add(sym, ik.muted)
	held := ""
	if !sv.Start.After(s.At) {
		held = age(s.At, sv.Start)
	}
	rb.add(held, ik.muted)
	rb.add(clean(sv.By), ik.muted)
	rb.add("", ik.muted)
	rb.add(silenceText(s, sv), ik.muted)
	line := marker(sel) + rb.String()
	if sel {
		return ik.selected.paint(cell(line, w))
	}
	return line
}

// silenceText is a silence's countdown (first: it is what changes),
// matcher and reason.
func silenceText(s *room.Snapshot, sv *room.SilenceView) string {
	parts := []string{timeLeft(s, sv), clean(sv.Matcher)}
	if sv.By == "config" {
		parts[0] = "maintenance " + parts[0]
	}
	if r := clean(sv.Reason); r != "" {
		parts = append(parts, r)
	}
	return strings.Join(parts, " · ")
}

// hiddenLine says what the window left out: "+2 more" alerts and the
// silences, "+1 silence", so a silence never hides without a trace.
func hiddenLine(ik *inks, rows alertRows, sh shown, w int) string {
	if sh.hidden == 0 {
		return ""
	}
	silences := len(rows.s.Silences)
	for _, i := range sh.rows {
		if rows.silence(i) != nil {
			silences--
		}
	}
	var parts []string
	if alerts := sh.hidden - silences; alerts > 0 {
		parts = append(parts, fmt.Sprintf("+%d more", alerts))
	}
	if silences > 0 {
		parts = append(parts, "+"+plural(silences, "silence", "silences"))
	}
	return ik.muted.paint(cell("  "+strings.Join(parts, " · "), w))
}
