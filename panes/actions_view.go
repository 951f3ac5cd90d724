package panes

import (
	"fmt"
	"strings"
	"time"

	"warroom/backends/room"
	"warroom/themes"
)

// ActionSymbol and actionLevel give an action state's glyph and colour level.
func ActionSymbol(st room.ActionState) string {
	switch st {
	case room.ActionRunning:
		return themes.Symbol("syncing")
	case room.ActionPaused:
		return themes.Symbol("warning")
	case room.ActionSucceeded:
		return themes.Symbol("acked")
	case room.ActionFailed, room.ActionTimedOut:
		return themes.Symbol("critical")
	case room.ActionUnknown:
		return themes.Symbol("unknown")
	}
	return themes.Symbol("")
}

func actionInk(ik *inks, st room.ActionState) ink {
	switch st {
	case room.ActionSucceeded:
		return ik.ok
	case room.ActionPaused, room.ActionUnknown:
		return ik.warn
	case room.ActionFailed, room.ActionTimedOut:
		return ik.crit
	}
	return ik.info
}

// took is how long an action ran (or has been running, at now).
func took(a *room.ActionView, now time.Time) string {
	from := a.StartedAt
	if from.IsZero() {
		if !a.State.Ended() || a.EndedAt.IsZero() {
			return "—"
		}
		from = a.RequestedAt
	}
	end := a.EndedAt
	if end.IsZero() {
		end = now
	}
	if d := end.Sub(from); d >= 0 && d < 10*time.Second {
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	return HumanDuration(end.Sub(from))
}

func actionListRow(rb *rowBuilder, ik *inks, cols []column, s *room.Snapshot, r actionRow, sel bool, w int) string {
	rb.reset(cols, sel)
	stateText := func(sym, word string) string {
		if ok, cw := rb.shown(); ok && cw >= 6 {
			return sym + " " + word
		}
		return sym
	}
	switch r.kind {
	case rowProposal:
		k := ik.warn
		rb.add(stateText(themes.Symbol("warning"), "proposed"), k)
		rb.add("—", k)
		rb.add(clean(r.prop.Request.String()), k)
		rb.add(clean("rule "+r.prop.Rule), k)
		rb.add(age(s.At, r.prop.At), k)
		rb.add("", k)
	case rowFailback:
		k := ik.accent
		rb.add(stateText(themes.Symbol("active"), "offered"), k)
		rb.add("—", k)
		rb.add(clean(r.offer.Request.String()), k)
		rb.add("room", k)
		rb.add("now", k)
		rb.add("", k)
	default:
		a := r.act
		if a.Urgent {
			rb.add(stateText(themes.Symbol("critical"), "late"), ik.crit)
		} else {
			rb.add(stateText(ActionSymbol(a.State), string(a.State)), actionInk(ik, a.State))
		}
		rb.add(clean(a.ID), ik.muted)
		rb.add(clean(a.Request.String()), ik.text)
		rb.add(clean(a.RequestedBy), ik.muted)
		rb.add(age(s.At, a.RequestedAt), ik.muted)
		rb.add(took(a, s.At), ik.muted)
	}
	line := marker(sel) + rb.String()
	if sel {
		return ik.selected.paint(cell(line, w))
	}
	return line
}

// styled is a detail line: plain text and its ink.
type styled struct {
	text string
	k    ink
}

// actionDetail is the selected row in full, at most h lines of w cells.
func actionDetail(ik *inks, s *room.Snapshot, r actionRow, w, h int) []string {
	var head, plan, out []styled
	switch r.kind {
	case rowProposal:
		p := r.prop
		head = []styled{
			{fmt.Sprintf("rule %s proposes %s", p.Rule, p.Request.String()), ik.bold},
			{"why: " + p.Reason, ik.text},
			{fmt.Sprintf("proposed %s ago · nothing runs until a person confirms", age(s.At, p.At)), ik.muted},
		}
	case rowFailback:
		head = []styled{
			{"failback offered: " + r.offer.Request.String(), ik.bold},
			{"why: " + r.offer.Reason, ik.text},
			{"the same preview and confirmation as a failover", ik.muted},
		}
	default:
		head, plan, out = actionLines(ik, s, r.act)
	}
	// Keep the head; give the output its last lines, trimming the plan
	// first when both do not fit.
	headH := 0
	for _, l := range head {
		headH += len(Wrap(l.text, w))
	}
	space := h - headH
	outWant := 0
	if len(out) > 0 {
		outWant = min(len(out), 3)
	}
	if len(plan) > 0 && len(plan) > space-outWant {
		keep := max(space-outWant-1, 1)
		if keep < len(plan) {
			more := len(plan) - keep
			plan = append(plan[:keep:keep], styled{fmt.Sprintf("  … %d more plan lines", more), ik.muted})
		}
	}
	lines := append(append([]styled{}, head...), plan...)
	if left := h - headH - len(plan); left >= 2 && len(out) > 0 {
		if len(out) > left {
			out = append([]styled{out[0]}, out[len(out)-left+1:]...)
		}
		lines = append(lines, out...)
	}
	res := make([]string, 0, h)
	for i, l := range lines {
		if len(res) >= h {
			break
		}
		if i >= len(head) {
			res = append(res, l.k.paint(cell(clean(l.text), w)))
			continue
		}
		// The head (status, error, read-back) wraps: it must be read whole.
		for _, part := range Wrap(l.text, w) {
			if len(res) < h {
				res = append(res, l.k.paint(cell(part, w)))
			}
		}
	}
	return res
}

// actionLines are an action's detail: who and what, where it is, its
// read-back or error; then its plan; then its last output lines.
func actionLines(ik *inks, s *room.Snapshot, a *room.ActionView) (head, plan, out []styled) {
	req := a.Request
	head = append(head, styled{fmt.Sprintf("%s · %s", a.ID, req.String()), ik.bold})
	who := fmt.Sprintf("requested by %s at %s", a.RequestedBy, a.RequestedAt.Format("15:04:05"))
	if a.Executor != "" {
		who = "via " + a.Executor + " · " + who
	}
	if req.Rule != "" {
		who += " · proposed by rule " + req.Rule
	}
	head = append(head, styled{who, ik.muted})

	batch := ""
	if a.Batches > 1 {
		batch = fmt.Sprintf(" · batch %d/%d", max(a.Batch, 1), a.Batches)
	}
	k := actionInk(ik, a.State)
	sym := ActionSymbol(a.State)
	var status string
	switch st := a.State; {
	case st == room.ActionRequested && a.Urgent:
		status, k = themes.Symbol("critical")+" "+UrgentText(a, s.At), ik.crit
	case st == room.ActionRequested:
		status = sym + " requested: waiting for the executor to start"
	case st == room.ActionRunning:
		status = fmt.Sprintf("%s running for %s%s", sym, took(a, s.At), batch)
		if !a.SoakUntil.IsZero() {
			status = fmt.Sprintf("%s soaking after batch %d/%d: %s left — continue or abort early", sym, a.Batch, a.Batches, countdown(a.SoakUntil.Sub(s.At)))
		}
	case st == room.ActionPaused && a.Soaked:
		status = fmt.Sprintf("%s paused: batch %d/%d soaked — continue or abort?", sym, a.Batch, a.Batches)
	case st == room.ActionPaused:
		status = fmt.Sprintf("%s paused: batch %d/%d failed: %s — retry, continue or abort?", sym, a.Batch, a.Batches, a.Err)
	case st == room.ActionSucceeded:
		status = fmt.Sprintf("%s succeeded in %s", sym, took(a, s.At))
		if a.Batches > 1 {
			status += fmt.Sprintf(" · %d batches", a.Batches)
		}
	case st == room.ActionFailed, st == room.ActionTimedOut:
		status = fmt.Sprintf("%s %s after %s: %s", sym, a.State, took(a, s.At), a.Err)
	case st == room.ActionUnknown:
		status = sym + " outcome unknown: warroom stopped while it ran — verify by hand"
	default:
		status = fmt.Sprintf("%s %s", sym, a.State)
	}
	head = append(head, styled{status, k})
	if a.Confirmed != "" {
		head = append(head, styled{"read back: " + a.Confirmed, ik.ok})
	}
	if req.Kind == room.Rollback && a.State == room.ActionSucceeded {
		switch {
		case a.Verified:
			head = append(head, styled{fmt.Sprintf("%s verified: every watched mirror reports %s", themes.Symbol("ok"), req.Version), ik.ok})
		case len(a.Watching) > 0:
			head = append(head, styled{fmt.Sprintf("%s waiting for %s to report %s", themes.Symbol("syncing"),
				strings.Join(a.Watching, ", "), req.Version), ik.warn})
		}
	}
	if req.Kind != room.Rollback && a.RPOKnown {
		head = append(head, styled{fmt.Sprintf("RPO when confirmed: up to %s of changes not yet on %s", HumanDuration(a.RPO), req.To), ik.muted})
	}
	if len(a.Plan) > 0 {
		plan = append(plan, styled{"plan:", ik.header})
		for _, l := range a.Plan {
			plan = append(plan, styled{"  " + l, ik.text})
		}
	}
	if len(a.Output) > 0 {
		out = append(out, styled{"output:", ik.header})
		for _, l := range a.Output {
			out = append(out, styled{"  " + l, ik.muted})
		}
	}
	return head, plan, out
}
