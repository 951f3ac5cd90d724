package panes

import (
	"fmt"
	"time"

	"warroom/backends/room"
	"warroom/themes"
)

// DrillBanner is a drill in a few words for the header: its name and the
// time left while it runs, its result once it ended.
func DrillBanner(d *room.DrillView, now time.Time) string {
	name := clean(d.Name)
	if d.Ended {
		if sc := d.Scorecard; sc != nil {
			return fmt.Sprintf("%s ended · %d of %d goals met", name, sc.Met(), len(sc.Goals))
		}
		return name + " ended"
	}
	live := ""
	if d.Live {
		live = " · LIVE actions"
	}
	if d.Ends.IsZero() {
		return fmt.Sprintf("%s · running %s%s", name, coarse(now.Sub(d.Started)), live)
	}
	left := d.Ends.Sub(now)
	if left <= 0 {
		return name + " · time up" + live
	}
	return fmt.Sprintf("%s · %s left%s", name, countdown(left), live)
}

func scorecardColumns() []column {
	return []column{
		{title: "GOAL", min: 8, want: 12, max: 30, prio: 1, required: true},
		{title: "TARGET", min: 6, want: 7, prio: 2, required: true, right: true},
		{title: "ACHIEVED", short: "GOT", min: 6, want: 8, prio: 2, required: true, right: true},
		{title: "RESULT", min: 6, want: 22, prio: 1, required: true, flex: true},
	}
}

// ScorecardLines is a drill's scorecard as lines of exactly w cells: how
// and when it ended, then each goal's target, what was achieved and
// whether it was met, then the count of goals met.
func ScorecardLines(th *themes.Theme, sc *room.Scorecard, w int) []string {
	if w <= 0 || sc == nil {
		return nil
	}
	ik := (&inkCache{}).get(th)
	head := fmt.Sprintf("%s · started %s", clean(sc.Scenario), sc.Started.Format("15:04:05"))
	if !sc.Ended.IsZero() {
		head += fmt.Sprintf(" · ended after %s: %s", HumanDuration(sc.Ended.Sub(sc.Started)), clean(sc.EndReason))
	}
	out := []string{ik.bold.paint(cell(head, w)), ""}
	cols := scorecardColumns()
	goalW := 0
	for _, g := range sc.Goals {
		goalW = max(goalW, cells(clean(g.Name)))
	}
	fit(cols, "GOAL", goalW)
	layout(cols, w)
	out = append(out, ik.header.paint(cell(header(cols), w)))
	var rb rowBuilder
	for _, g := range sc.Goals {
		rb.reset(cols, false)
		rb.add(clean(g.Name), ik.text)
		rb.add(coarse(g.Target), ik.muted)
		achieved, result, k := "—", themes.Symbol("critical")+" missed (never reached)", ik.crit
		if sc.Ended.IsZero() {
			result, k = "pending", ik.muted
		}
		if g.Reached {
			achieved = HumanDuration(g.Achieved)
			result, k = themes.Symbol("acked")+" met", ik.ok
			if !g.Met {
				result, k = fmt.Sprintf("%s missed (%s late)", themes.Symbol("critical"), HumanDuration(g.Achieved-g.Target)), ik.crit
			}
		}
		rb.add(achieved, ik.text)
		if _, cw := rb.shown(); cw < cells(result) && g.Reached && !g.Met {
			result = fmt.Sprintf("%s %s late", themes.Symbol("critical"), HumanDuration(g.Achieved-g.Target))
		} else if cw < cells(result) && !g.Reached && !sc.Ended.IsZero() {
			result = themes.Symbol("critical") + " never reached"
		}
		rb.add(result, k)
		out = append(out, fitLine(rb.String(), w))
	}
	k := ik.ok
	if sc.Met() < len(sc.Goals) {
		k = ik.warn
	}
	out = append(out, "", k.paint(cell(fmt.Sprintf("%d of %d goals met · times count from the first fault", sc.Met(), len(sc.Goals)), w)))
	for i := range out {
		out[i] = fitLine(out[i], w)
	}
	return out
}
