package panes

import (
	"fmt"
	"strings"
	"time"

	"warroom/backends/room"
	"warroom/themes"
)

// fullIncidentHeight is the body height from which the checklist gets a
// row per step; below it the steps fold into one line.
const fullIncidentHeight = 10

// View draws the open incident, or the proposal, or how to declare one.
func (p *Incident) View(s *room.Snapshot, th *themes.Theme, w, h int, focused bool) string {
	if w <= 0 || h <= 0 {
		return ""
	}
	w, h = Bound(w, h)
	ik := p.inks.get(th)
	if body, done := preamble(ik, s, nil, "", w, h); done {
		return body
	}
	inc := s.Incident
	if inc == nil {
		return block(p.idleLines(ik, s, w), w, h)
	}
	var lines []string
	if h >= fullIncidentHeight {
		lines = p.fullLines(ik, s, inc, w, h, focused)
	} else {
		lines = p.compactLines(ik, s, inc, w, focused)
	}
	return block(lines, w, h)
}

// idleLines are the pane with no incident open: the room's proposal or
// how to declare one, and the last drill's result.
func (p *Incident) idleLines(ik *inks, s *room.Snapshot, w int) []string {
	var out []string
	if pr := s.IncidentProposal; pr != nil {
		out = append(out, levelInk(ik, pr.Level).paint(cell(fmt.Sprintf("%s Level %d proposed: %s", themes.Symbol("warning"), pr.Level, clean(pr.Reason)), w)))
		line := fmt.Sprintf("since %s (%s ago)", pr.Since.Format("15:04"), age(s.At, pr.Since))
		if p.DeclareKey != "" {
			line = fmt.Sprintf("press %s to declare · ", p.DeclareKey) + line
		}
		out = append(out, ik.muted.paint(cell(line, w)))
	} else {
		line := "no incident open"
		if p.DeclareKey != "" {
			line += fmt.Sprintf(" · %s declares one", p.DeclareKey)
		}
		out = append(out, ik.muted.paint(cell(line, w)))
	}
	if d := s.Drill; d != nil {
		if d.Ended && d.Scorecard != nil {
			sc := d.Scorecard
			k := ik.ok
			if sc.Met() < len(sc.Goals) {
				k = ik.warn
			}
			out = append(out, k.paint(cell(fmt.Sprintf("last drill: %s · %d of %d goals met (%s)", clean(d.Name), sc.Met(), len(sc.Goals), clean(sc.EndReason)), w)))
		} else if !d.Ended {
			out = append(out, ik.accent.paint(cell("DRILL running: "+DrillBanner(d, s.At), w)))
		}
	}
	return out
}

// titleLine is the level, the title, the id and a DRILL mark.
func titleLine(ik *inks, inc *room.IncidentView, w int) string {
	var b strings.Builder
	used := 0
	if inc.Drill {
		b.WriteString(ik.accent.paint("[DRILL] "))
		used += 8
	}
	lv := fmt.Sprintf("L%d ", inc.Level)
	b.WriteString(levelInk(ik, inc.Level).paint(lv))
	used += len(lv)
	// The title first; the id only when both fit.
	title, id := clean(inc.Title), " · "+clean(inc.ID)
	if used+cells(title)+cells(id) > w {
		id = ""
	}
	b.WriteString(ik.bold.paint(title))
	b.WriteString(ik.muted.paint(id))
	return fitLine(b.String(), w)
}

// statusLine is the status, the commander and the incident's age.
func statusLine(ik *inks, s *room.Snapshot, inc *room.IncidentView, w int, short bool) string {
	st := ik.warn
	switch inc.Status {
	case room.StatusMitigated:
		st = ik.info
	case room.StatusResolved, room.StatusClosed:
		st = ik.ok
	}
	rest := fmt.Sprintf(" · commander %s · declared %s (%s ago)", clean(inc.Commander), inc.Declared.Format("15:04"), age(s.At, inc.Declared))
	if short {
		rest = fmt.Sprintf(" · %s · %s", clean(inc.Commander), age(s.At, inc.Declared))
	}
	return fitLine(st.paint(inc.Status)+ik.muted.paint(rest), w)
}

// clockLine is the RTO clock and the RPO exposure, each in its urgency.
func clockLine(ik *inks, s *room.Snapshot, inc *room.IncidentView, w int, short bool) string {
	rto, rl := RTOClock(s, inc, short)
	line := ik.level(rl).paint(rto)
	if rpo, pl := RPOText(inc, short); rpo != "" {
		line += ik.muted.paint(" · ") + ik.level(pl).paint(rpo)
	}
	return fitLine(line, w)
}

// fullLines draws the incident with a row per checklist step.
func (p *Incident) fullLines(ik *inks, s *room.Snapshot, inc *room.IncidentView, w, h int, focused bool) []string {
	out := []string{
		titleLine(ik, inc, w),
		statusLine(ik, s, inc, w, false),
		clockLine(ik, s, inc, w, false),
	}
	out = append(out, clocksLines(ik, s, inc, w, false)...)
	if g := goalsLine(ik, s, inc, w); g != "" && h >= fullIncidentHeight+1 {
		out = append(out, g)
	}
	done := 0
	for _, st := range inc.Steps {
		if st.Done {
			done++
		}
	}
	out = append(out, ik.header.paint(cell(fmt.Sprintf("CHECKLIST  %d of 6 done", done), w)))
	nameW := min(25, max(w-12, 8))
	for i, st := range inc.Steps {
		out = append(out, stepRow(ik, i, st, nameW, w, focused && i == p.cursor))
	}
	if spare := h - len(out); spare >= 2 && len(inc.Pinned) > 0 {
		out = append(out, ik.header.paint(cell(fmt.Sprintf("PINNED  %d", len(inc.Pinned)), w)))
		pins := inc.Pinned
		if n := spare - 1; len(pins) > n {
			pins = pins[len(pins)-n:] // the newest that fit
		}
		for _, e := range pins {
			out = append(out, pinRow(ik, e, w))
		}
	}
	return out
}

// stepRow is one checklist step: done or not, and who or what ticked it.
func stepRow(ik *inks, i int, st room.StepView, nameW, w int, sel bool) string {
	name := st.Name
	if name == "" {
		name = room.StepNames()[i]
	}
	sym, symInk := "·", ik.muted
	if st.Done {
		sym, symInk = themes.Symbol("acked"), ik.ok
	}
	lead := marker(sel) + sym + " " + fmt.Sprint(i+1) + " "
	detail := stepDetail(st)
	if sel {
		if !st.Done {
			detail = "to do"
		}
		return ik.selected.paint(cell(lead+cell(name, nameW)+" "+detail, w))
	}
	line := "  " + symInk.paint(sym) + " " + fmt.Sprint(i+1) + " " + ik.text.paint(cell(name, nameW))
	if detail != "" {
		k := ik.muted
		if st.Auto {
			k = ik.info
		}
		line += " " + k.paint(detail)
	}
	return fitLine(line, w)
}

// stepDetail says when a step was ticked and by whom or by what.
func stepDetail(st room.StepView) string {
	if !st.Done {
		return ""
	}
	t := st.At.Format("15:04")
	if st.Auto {
		return fmt.Sprintf("%s auto · %s", t, autoLabel(st.By))
	}
	d := fmt.Sprintf("%s %s", t, clean(st.By))
	if st.Note != "" {
		d += ": " + clean(st.Note)
	}
	return d
}

// pinRow is one pinned note: when, who, what.
func pinRow(ik *inks, e room.Event, w int) string {
	return fitLine(ik.accent.paint("★ ")+ik.muted.paint(e.At.Format("15:04")+" "+clean(e.Actor)+" ")+ik.text.paint(clean(e.Text)), w)
}

// compactLines fold the checklist into one line of ticks and the step
// under the cursor, for a short pane.
func (p *Incident) compactLines(ik *inks, s *room.Snapshot, inc *room.IncidentView, w int, focused bool) []string {
	out := []string{
		titleLine(ik, inc, w),
		clockLine(ik, s, inc, w, true),
	}
	out = append(out, clocksLines(ik, s, inc, w, true)...)
	out = append(out, statusLine(ik, s, inc, w, true))
	var b strings.Builder
	done := 0
	for i, st := range inc.Steps {
		if i > 0 {
			b.WriteByte(' ')
		}
		sym, k := "·", ik.muted
		if st.Done {
			sym, k = themes.Symbol("acked"), ik.ok
			done++
		}
		t := sym + fmt.Sprint(i+1)
		if focused && i == p.cursor {
			b.WriteString(ik.selected.paint("[" + t + "]"))
			continue
		}
		b.WriteString(k.paint(t))
	}
	b.WriteString(ik.muted.paint(fmt.Sprintf("  %d/6 done", done)))
	out = append(out, fitLine(b.String(), w))
	st := inc.Steps[p.cursor]
	name := st.Name
	if name == "" {
		name = room.StepNames()[p.cursor]
	}
	detail := "to do"
	if st.Done {
		detail = stepDetail(st)
	}
	out = append(out, ik.text.paint(cell(fmt.Sprintf("%d %s: %s", p.cursor+1, name, detail), w)))
	if n := len(inc.Pinned); n > 0 {
		out = append(out, pinRow(ik, inc.Pinned[n-1], w))
	}
	return out
}

// goalsLine is the running drill's goals, when the incident is its drill.
func goalsLine(ik *inks, s *room.Snapshot, inc *room.IncidentView, w int) string {
	d := s.Drill
	if d == nil || d.Ended || len(d.Goals) == 0 || (d.Incident != "" && d.Incident != inc.ID) {
		return ""
	}
	var b strings.Builder
	b.WriteString(ik.accent.paint("goals"))
	for _, g := range d.Goals {
		b.WriteString(ik.muted.paint(" · "))
		switch {
		case g.Met:
			b.WriteString(ik.ok.paint(fmt.Sprintf("%s %s %s", themes.Symbol("acked"), clean(g.Name), HumanDuration(g.Achieved))))
		case g.Reached:
			b.WriteString(ik.warn.paint(fmt.Sprintf("%s %s %s (late)", themes.Symbol("warning"), clean(g.Name), HumanDuration(g.Achieved))))
		default:
			b.WriteString(ik.muted.paint(fmt.Sprintf("%s ≤%s", clean(g.Name), coarse(g.Target))))
		}
	}
	return fitLine(b.String(), w)
}

// RTOClock is the incident's recovery clock in words and its urgency
// ("ok", "info", "warning" or "critical"): time left, passed, or met or
// missed once service is restored. short drops the objective itself.
func RTOClock(s *room.Snapshot, inc *room.IncidentView, short bool) (string, string) {
	if inc.RTO <= 0 || inc.RTODue.IsZero() {
		return "no RTO set", "info"
	}
	obj := "RTO " + coarse(inc.RTO)
	if short {
		obj = "RTO"
	}
	// Met or missed only once service is back, whatever the status says.
	if at := inc.Restored; !at.IsZero() {
		start := inc.RTODue.Add(-inc.RTO)
		switch {
		case !at.After(inc.RTODue):
			return fmt.Sprintf("%s %s met (recovered in %s)", obj, themes.Symbol("acked"), coarse(at.Sub(start))), "ok"
		}
		return fmt.Sprintf("%s %s missed by %s", obj, themes.Symbol("critical"), coarse(at.Sub(inc.RTODue))), "critical"
	}
	left := inc.RTODue.Sub(s.At)
	switch {
	case left <= 0:
		return fmt.Sprintf("%s %s PASSED %s ago", obj, themes.Symbol("critical"), coarse(-left)), "critical"
	case left <= 5*time.Minute:
		return fmt.Sprintf("%s %s %s left", obj, themes.Symbol("warning"), countdown(left)), "warning"
	}
	return fmt.Sprintf("%s: %s left", obj, countdown(left)), "info"
}

// RPOText is the data at risk: the serving mirror's lag against the RPO.
func RPOText(inc *room.IncidentView, short bool) (string, string) {
	on := ""
	if inc.Serving != "" && !short {
		on = " on " + clean(inc.Serving)
	}
	switch {
	case inc.RPO <= 0 && !inc.ExposureKnown:
		return "", ""
	case inc.RPO <= 0:
		return "exposure " + HumanDuration(inc.Exposure) + on, "info"
	case !inc.ExposureKnown:
		return "RPO " + coarse(inc.RPO) + ": exposure unknown", "warning"
	case inc.Exposure > inc.RPO:
		return fmt.Sprintf("RPO %s %s exceeded: %s behind%s", coarse(inc.RPO), themes.Symbol("critical"), HumanDuration(inc.Exposure), on), "critical"
	}
	if short {
		return fmt.Sprintf("RPO %s/%s", HumanDuration(inc.Exposure), coarse(inc.RPO)), "ok"
	}
	return fmt.Sprintf("RPO %s: %s behind%s", coarse(inc.RPO), HumanDuration(inc.Exposure), on), "ok"
}

// countdown is time left: seconds under a minute, else minutes rounded
// up (so "1m left" never means late), or hours and minutes.
func countdown(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%ds", int((d+time.Second-1)/time.Second))
	}
	mins := int((d + time.Minute - 1) / time.Minute)
	if mins < 60 {
		return fmt.Sprintf("%dm", mins)
	}
	return fmt.Sprintf("%dh%02dm", mins/60, mins%60)
}
