package report

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"warroom/backends/room"
)

// UnknownIncidentError is Build's error for an id the journal does not hold;
// it lists the ids it does hold, real incidents and drills apart.
type UnknownIncidentError struct {
	ID        string
	Incidents []string
	Drills    []string
}

func (e *UnknownIncidentError) Error() string {
	list := func(ids []string) string {
		if len(ids) == 0 {
			return "none"
		}
		return strings.Join(ids, ", ")
	}
	return fmt.Sprintf("no incident %q in the journal; incidents: %s; drills: %s (warroom report --list shows them)",
		e.ID, list(e.Incidents), list(e.Drills))
}

// ErrNothing is returned by Build when the journal holds neither an
// incident nor an alert.
var ErrNothing = errors.New("the journal holds no incident and no alert: nothing to report")

// Build writes the review of incident id from a journal's events, in
// journal order. An empty id means the latest incident or drill declared.
// When nothing was ever declared, the review covers the span from the first
// alert to the last recovery, and its summary says so.
func Build(events []room.Event, incidentID string) (*Report, error) {
	decls := declarations(events)
	if len(decls) == 0 {
		first := firstAlert(events, 0)
		if first < 0 {
			return nil, ErrNothing
		}
		to := spanEnd(events, first)
		id := spanID(events[first].At)
		if incidentID != "" && incidentID != id {
			return nil, &UnknownIncidentError{ID: incidentID, Incidents: []string{id}}
		}
		b := newBuilder(events, first, to)
		b.r.ID = id
		b.r.Title = "alerts with no incident declared"
		return b.build(), nil
	}
	k := len(decls) - 1
	if incidentID != "" {
		k = -1
		for i, d := range decls {
			if events[d].Subject == incidentID {
				k = i
			}
		}
		if k < 0 {
			e := &UnknownIncidentError{ID: incidentID}
			for _, d := range decls {
				if events[d].IncidentFacts().Drill {
					e.Drills = append(e.Drills, events[d].Subject)
				} else {
					e.Incidents = append(e.Incidents, events[d].Subject)
				}
			}
			return nil, e
		}
	}
	prevEnd := -1
	if k > 0 {
		prevEnd, _ = incidentEnd(events, decls[k-1])
	}
	from, to := incidentWindow(events, decls[k], prevEnd)
	b := newBuilder(events, from, to)
	b.declare(decls[k])
	return b.build(), nil
}

// List names every incident and drill in the journal, oldest first; with
// none declared, the alerts' span is its one entry. Callers show the
// Drill ones apart.
func List(events []room.Event) []Summary {
	decls := declarations(events)
	var out []Summary
	for i, d := range decls {
		ev := events[d]
		f := ev.IncidentFacts()
		s := Summary{ID: ev.Subject, Title: f.Title, Drill: f.Drill, Declared: true,
			DeclaredAt: ev.At, Status: room.StatusInvestigating, Level: f.Level}
		end := len(events) - 1
		if i+1 < len(decls) {
			end = decls[i+1] - 1
		}
		for _, e := range events[d+1 : end+1] {
			if e.Subject != ev.Subject {
				continue
			}
			switch e.Kind {
			case room.EvIncidentStatus:
				s.Status = e.IncidentFacts().To
			case room.EvIncidentLevel:
				s.Level = e.IncidentFacts().LevelTo()
			}
		}
		if j := drillStart(events, d, ev.Subject, s.Drill); j >= 0 {
			s.Scenario = events[j].Subject
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		if first := firstAlert(events, 0); first >= 0 {
			out = append(out, Summary{ID: spanID(events[first].At), Title: "alerts with no incident declared",
				DeclaredAt: events[first].At})
		}
	}
	return out
}

// declarations are the indexes of the incident.declared events.
func declarations(events []room.Event) []int {
	var out []int
	for i, ev := range events {
		if ev.Kind == room.EvIncidentDeclared && ev.Subject != "" {
			out = append(out, i)
		}
	}
	return out
}

func spanID(first time.Time) string { return "alerts-" + first.UTC().Format("20060102-1504") }

func firstAlert(events []room.Event, from int) int {
	for i := from; i < len(events); i++ {
		if events[i].Kind == room.EvAlertRaised {
			return i
		}
	}
	return -1
}

// incidentEnd is the index of the event that closed the incident declared
// at d, else the last event before the next declaration, else the last one.
func incidentEnd(events []room.Event, d int) (end int, closed bool) {
	id := events[d].Subject
	for j := d + 1; j < len(events); j++ {
		ev := events[j]
		switch {
		case ev.Kind == room.EvIncidentStatus && ev.Subject == id && ev.IncidentFacts().To == room.StatusClosed:
			return j, true
		case ev.Kind == room.EvIncidentDeclared:
			return j - 1, false
		}
	}
	return len(events) - 1, false
}

// incidentWindow is the range of events an incident's review reads: from its
// first alert (the "detected" field, else the earliest alert still open when
// it was declared) or its drill's start, to its close. It never reaches back
// into the previous incident (which ended at prevEnd).
func incidentWindow(events []room.Event, d, prevEnd int) (from, to int) {
	to, _ = incidentEnd(events, d)
	dec := events[d]
	start := dec.IncidentFacts().Detected
	if start.IsZero() {
		for _, raised := range openAlerts(events, prevEnd+1, d) {
			if start.IsZero() || raised.Before(start) {
				start = raised
			}
		}
	}
	from = d
	for from-1 > prevEnd && !start.IsZero() && !events[from-1].At.Before(start) {
		from--
	}
	if j := drillStart(events, d, dec.Subject, dec.IncidentFacts().Drill); j >= 0 && j < from && j > prevEnd {
		from = j
	}
	return from, to
}

// drillStart finds the drill.started of the drill incident declared at d:
// the one naming it, else (for a drill) the last one before it.
func drillStart(events []room.Event, d int, id string, drill bool) int {
	last := -1
	for j, ev := range events {
		if ev.Kind != room.EvDrillStarted {
			continue
		}
		inc := ev.DrillFacts().Incident
		if inc == id {
			return j
		}
		if j < d && inc == "" {
			last = j
		}
	}
	if !drill {
		return -1
	}
	return last
}

// openAlerts replays alerts over events[from:to] and returns the ones
// open at to, with the time each was first raised.
func openAlerts(events []room.Event, from, to int) map[string]time.Time {
	open := map[string]time.Time{}
	for _, ev := range events[max(from, 0):to] {
		id := ev.AlertFacts().Alert
		switch ev.Kind {
		case room.EvAlertRaised:
			if _, ok := open[id]; !ok {
				open[id] = ev.At
			}
		case room.EvAlertCleared:
			delete(open, id)
		}
	}
	return open
}

// spanEnd is where an undeclared span ends: the last moment every alert was
// cleared (or the last event, if some are still open), then any failback
// that followed.
func spanEnd(events []room.Event, first int) int {
	open := map[string]bool{}
	end := len(events) - 1
	for j := first; j < len(events); j++ {
		ev := events[j]
		switch ev.Kind {
		case room.EvAlertRaised:
			open[ev.AlertFacts().Alert] = true
		case room.EvAlertCleared:
			delete(open, ev.AlertFacts().Alert)
			if len(open) == 0 {
				end = j
			}
		}
	}
	if len(open) > 0 {
		return len(events) - 1
	}
	for j := end + 1; j < len(events); j++ {
		if ev := events[j]; ev.Kind == room.EvActionSucceeded && ev.ActionFacts().Request.Kind == room.Failback {
			end = j
		}
	}
	return end
}
