package main

import (
	"fmt"
	"io"
	"sort"
	"time"

	"warroom/backends/drill"
	"warroom/backends/room"
)

// drillProgress prints a headless drill as it goes: each fault applied or
// removed, each goal met or missed, and the end, one line each, stamped
// with the drill clock's time since the drill started.
type drillProgress struct {
	w io.Writer
	// settle is how long after a moment its events may still arrive: a
	// probe's result carries the time it started, up to its timeout ago.
	settle time.Duration
	seq    uint64            // the newest timeline event read
	origin time.Time         // the first fault's: goals count from it
	said   map[string]string // per goal: what was said (met, missed, late)
	ended  bool
}

// progressLine is one line of progress, at its offset from the drill's start.
type progressLine struct {
	at   time.Duration
	text string
}

func newDrillProgress(w io.Writer, settle time.Duration) *drillProgress {
	return &drillProgress{w: w, settle: settle, said: map[string]string{}}
}

// see prints what changed in d, the headless drill, by snap.
func (p *drillProgress) see(snap *room.Snapshot, d *room.DrillView) {
	var lines []progressLine
	add := func(at time.Time, format string, args ...any) {
		lines = append(lines, progressLine{at: max(at.Sub(d.Started), 0), text: fmt.Sprintf(format, args...)})
	}
	for _, ev := range snap.Timeline {
		if ev.Seq <= p.seq {
			continue
		}
		p.seq = ev.Seq
		if ev.Kind != room.EvDrillFault || ev.At.Before(d.Started) {
			continue
		}
		if p.origin.IsZero() {
			p.origin = ev.At // a drill's first fault event is an application
		}
		add(ev.At, "%s", ev.Text)
	}
	goals, met, end := d.Goals, 0, snap.At
	if c := d.Scorecard; d.Ended && c != nil {
		goals, met, end = c.Goals, c.Met(), c.Ended
	}
	for _, g := range goals {
		p.goal(g, snap.At, d, end, add)
	}
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].at < lines[j].at })
	// The end comes last whatever the clocks say: a goal is timed from the
	// first fault, a few ms after the drill's start the end is timed from.
	if d.Ended && !p.ended {
		p.ended = true
		add(end, "drill ended: %s; %d of %d goals met", d.Reason, met, len(goals))
	}
	for _, l := range lines {
		fmt.Fprintf(p.w, "%8s  %s\n", "+"+drill.Short(l.at), l.text)
	}
}

// goal says once that g was met, missed (its target passed, and long
// enough ago that no earlier event can still arrive) or reached late.
func (p *drillProgress) goal(g drill.GoalScore, now time.Time, d *room.DrillView, end time.Time, add func(time.Time, string, ...any)) {
	said := p.said[g.Name]
	origin := p.origin
	if origin.IsZero() { // its fault event scrolled out unseen
		origin = d.Started
	}
	reachedAt := origin.Add(g.Achieved)
	switch {
	case g.Met && said == "":
		p.said[g.Name] = "met"
		add(reachedAt, "goal met: %s after %s (target %s)", g.Name, drill.Short(g.Achieved), drill.Short(g.Target))
	case g.Met && said == "missed": // an event older than settle: rare, but say it
		p.said[g.Name] = "met"
		add(reachedAt, "goal met after all: %s after %s (target %s)", g.Name, drill.Short(g.Achieved), drill.Short(g.Target))
	case g.Reached && !g.Met && said != "late":
		p.said[g.Name] = "late"
		add(reachedAt, "goal reached late: %s after %s (target %s)", g.Name, drill.Short(g.Achieved), drill.Short(g.Target))
	case g.Reached || said != "":
	case !p.origin.IsZero() && !now.Before(p.origin.Add(g.Target+p.settle)):
		p.said[g.Name] = "missed"
		add(p.origin.Add(g.Target), "goal missed: %s not reached within %s", g.Name, drill.Short(g.Target))
	case d.Ended:
		p.said[g.Name] = "missed"
		add(end, "goal missed: %s never reached (target %s)", g.Name, drill.Short(g.Target))
	}
}
