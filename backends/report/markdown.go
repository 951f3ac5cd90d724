package report

import (
	"fmt"
	"strings"
	"time"
)

// Markdown renders the review: summary, level and roles, timeline,
// durations, RTO and RPO, checklist, actions, announcements, silences, notes, the
// drill's scorecard, and the sections the team writes. Times are UTC.
func (r *Report) Markdown() string {
	w := &mdWriter{oneDay: Stamp(r.Start)[:10] == Stamp(r.End)[:10]}
	kind := "Post-incident review"
	if r.Drill {
		kind = "Drill review"
	}
	w.f("# %s: %s — %s\n\n", kind, r.ID, r.Title)
	r.mdSummary(w)
	r.mdRoles(w)
	r.mdTimeline(w)
	r.mdDurations(w)
	r.mdObjectives(w)
	r.mdSteps(w)
	r.mdActions(w)
	r.mdAnnouncements(w)
	r.mdSilences(w)
	r.mdNotes(w)
	if r.Scorecard != nil {
		w.f("%s\n", strings.TrimRight(r.Scorecard.Markdown(), "\n"))
		w.f("\n")
	}
	for _, h := range []string{"Root cause", "Contributing factors", "Action items"} {
		w.f("## %s\n\n_For the team to write._\n\n", h)
	}
	return strings.TrimRight(w.b.String(), "\n") + "\n"
}

type mdWriter struct {
	b      strings.Builder
	oneDay bool // every time falls on one UTC day: show hours and minutes only
}

func (w *mdWriter) f(format string, args ...any) { fmt.Fprintf(&w.b, format, args...) }

// at formats a time for a table: "03:12", or with the date when the
// review spans several days; "—" when zero.
func (w *mdWriter) at(t time.Time) string {
	switch {
	case t.IsZero():
		return "—"
	case w.oneDay:
		return Clock(t)
	default:
		return Stamp(t)
	}
}

// until formats the end of a span: the time alone when it is on the
// span's first day.
func (w *mdWriter) until(t time.Time) string {
	if w.oneDay {
		return Clock(t)
	}
	return Stamp(t)
}

func (w *mdWriter) row(cells ...string) {
	for i, c := range cells {
		cells[i] = cell(c)
	}
	w.f("| %s |\n", strings.Join(cells, " | "))
}

func (w *mdWriter) header(cells ...string) {
	w.row(cells...)
	dashes := make([]string, len(cells))
	for i := range dashes {
		dashes[i] = "---"
	}
	w.f("|%s|\n", strings.Join(dashes, "|"))
}

// cell makes text safe inside a table cell: one line, pipes escaped.
func cell(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if s == "" {
		return "—"
	}
	return strings.ReplaceAll(s, "|", `\|`)
}

func or(s, dflt string) string {
	if s == "" {
		return dflt
	}
	return s
}

func (r *Report) mdSummary(w *mdWriter) {
	w.f("## Summary\n\n")
	switch {
	case !r.Declared:
		w.f("No incident was declared: this review covers the span from the first alert (%s UTC) to the last recovery (%s UTC).",
			Stamp(r.FirstAlert), w.until(r.End))
	default:
		what := "incident"
		if r.Drill {
			what = "drill incident"
		}
		w.f("Level %d %s, declared %s UTC by %s; commander %s. Status: %s.",
			r.Level, what, Stamp(r.DeclaredAt), or(r.DeclaredBy, "someone"), r.Commanders[len(r.Commanders)-1].Name, r.Status)
		if !r.Closed {
			w.f(" The incident was still open at the journal's last event (%s UTC).", Stamp(r.End))
		}
	}
	if !r.FirstAlert.IsZero() {
		w.f(" The first alert came at %s UTC", Stamp(r.FirstAlert))
	} else {
		w.f(" No alert was raised")
	}
	if r.RTO.Known {
		w.f("; %s", r.RTO.Detail)
	}
	w.f(".")
	if r.RTO.Set {
		w.f(" RTO %s: %s.", Human(r.RTO.Target), r.RTO.Verdict)
	}
	if r.RPO.Set {
		w.f(" RPO %s: %s.", Human(r.RPO.Target), r.RPO.Verdict)
	}
	if s := r.Scenario; s != nil {
		mode := "actions ran dry"
		if s.Live {
			mode = "actions ran live"
		}
		w.f(" This was a drill of the scenario %s", s.Name)
		if s.File != "" {
			w.f(" (%s)", s.File)
		}
		w.f("; %s.", mode)
	}
	r.mdEscalations(w)
	w.f("\n\nCovered: %s to %s UTC (%s). Times below are UTC.\n\n", Stamp(r.Start), w.until(r.End), Human(r.End.Sub(r.Start)))
}

func (r *Report) mdRoles(w *mdWriter) {
	w.f("## Level and roles\n\n")
	if r.Declared {
		var lv []string
		for i, l := range r.Levels {
			switch {
			case i == 0:
				lv = append(lv, fmt.Sprintf("%d at declaration", l.Level))
			default:
				lv = append(lv, fmt.Sprintf("%d from %s (%s)", l.Level, w.at(l.At), or(l.By, "someone")))
			}
		}
		w.f("- Level: %s\n", strings.Join(lv, "; "))
		var cs []string
		for i, c := range r.Commanders {
			if i == 0 {
				cs = append(cs, fmt.Sprintf("%s from %s", c.Name, w.at(c.From)))
			} else {
				cs = append(cs, fmt.Sprintf("%s from %s (handed over by %s)", c.Name, w.at(c.From), or(c.By, "someone")))
			}
		}
		w.f("- Commander: %s\n", strings.Join(cs, "; "))
		w.f("- Declared by: %s\n\n", or(r.DeclaredBy, "someone"))
	}
	if len(r.Responders) == 0 {
		w.f("Nobody acted in the room during this span.\n\n")
		return
	}
	w.header("person", "role", "what they did")
	for _, p := range r.Responders {
		w.row(p.Name, p.Role, strings.Join(p.Did, "; "))
	}
	w.f("\n")
}

func (r *Report) mdTimeline(w *mdWriter) {
	w.f("## Timeline\n\n")
	w.header("time", "what", "who")
	for _, m := range r.Timeline {
		w.row(w.at(m.At), m.What, m.Who)
	}
	w.f("\n")
}

func (r *Report) mdDurations(w *mdWriter) {
	w.f("## Durations\n\n")
	w.header("measure", "from", "to", "took")
	for _, m := range r.Durations {
		took := "— (did not happen)"
		if m.Known {
			took = Human(m.Took)
		}
		w.row(m.Name, m.Since, m.Until, took)
	}
	w.f("\n")
}

func (r *Report) mdObjectives(w *mdWriter) {
	w.f("## RTO and RPO\n\n")
	for _, o := range []struct {
		name string
		o    Objective
	}{{"RTO", r.RTO}, {"RPO", r.RPO}} {
		if o.o.Set {
			w.f("- **%s %s: %s.** %s.\n", o.name, Human(o.o.Target), o.o.Verdict, capital(o.o.Detail))
		} else {
			w.f("- **%s: no target was declared.** %s.\n", o.name, capital(o.o.Detail))
		}
	}
	w.f("\n")
}

func capital(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func (r *Report) mdSteps(w *mdWriter) {
	if len(r.Steps) == 0 {
		return
	}
	w.f("## Checklist\n\n")
	w.header("step", "done", "at", "by", "note")
	for _, s := range r.Steps {
		done, by := "no", s.By
		if s.Done {
			done = "yes"
			if s.Auto {
				done, by = "yes (auto)", "event "+s.By
			}
		}
		w.row(fmt.Sprintf("%d. %s", s.N, s.Name), done, w.at(s.At), by, s.Note)
	}
	w.f("\n")
}

func (r *Report) mdActions(w *mdWriter) {
	w.f("## Actions\n\n")
	if len(r.Actions) == 0 {
		w.f("No failover, failback or rollback was run.\n\n")
		return
	}
	w.header("action", "requested", "by", "approved by", "started", "ended", "outcome")
	for _, a := range r.Actions {
		what := fmt.Sprintf("%s %s", a.ID, a.What)
		if a.Executor != "" {
			what += " (via " + a.Executor + ")"
		}
		outcome := a.Outcome
		if a.Detail != "" {
			outcome += ": " + a.Detail
		}
		if a.RPOKnown {
			outcome += fmt.Sprintf(" (target lag %s)", Human(a.RPO))
		}
		w.row(what, w.at(a.RequestedAt), a.RequestedBy, a.ApprovedBy, w.at(a.StartedAt), w.at(a.EndedAt), outcome)
	}
	w.f("\n")
}

func (r *Report) mdAnnouncements(w *mdWriter) {
	w.f("## Announcements\n\n")
	if len(r.Announcements) == 0 {
		w.f("No announcement was queued.\n\n")
		return
	}
	for _, a := range r.Announcements {
		w.f("### %q", a.Title)
		if a.Phase != "" {
			w.f(" (%s)", a.Phase)
		}
		w.f(", queued %s by %s", w.at(a.QueuedAt), or(a.QueuedBy, "someone"))
		if a.Drill {
			w.f(", marked [DRILL]")
		}
		w.f("\n\n")
		w.header("channel", "delivery", "at", "attempts", "error")
		for _, d := range a.Deliveries {
			w.row(d.Channel, d.State, w.at(d.At), fmt.Sprint(d.Attempts), d.Error)
		}
		w.f("\n")
	}
}

func (r *Report) mdNotes(w *mdWriter) {
	w.f("## Notes\n\n")
	if len(r.Notes) == 0 {
		w.f("No notes were added.\n\n")
		return
	}
	for _, n := range r.Notes {
		pin := ""
		if n.Pinned {
			pin = " (pinned)"
		}
		w.f("- %s %s%s: %s\n", w.at(n.At), or(n.By, "someone"), pin, strings.Join(strings.Fields(n.Text), " "))
	}
	w.f("\n")
}
