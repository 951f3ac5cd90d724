package report

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"warroom/backends/room"
)

// Silence is one silence in force during the review: who quieted which
// alerts' pages, why, and how it ended.
type Silence struct {
	ID      string    `json:"id"`
	Matcher string    `json:"matcher"`
	By      string    `json:"by"`
	Reason  string    `json:"reason"`
	From    time.Time `json:"from"`
	Until   time.Time `json:"until"` // as set
	EndedAt time.Time `json:"ended_at,omitzero"`
	Ended   string    `json:"ended"` // "expired", "ended early by ana", "in force"
}

// Escalation is a critical alert nobody acknowledged within ack_within.
type Escalation struct {
	At    time.Time `json:"at"`
	Alert string    `json:"alert"`
	Route string    `json:"route,omitempty"`
	To    []string  `json:"to"`
}

// silences finds every silence in force at some time within the review:
// added before its end and not ended before its start, even one set
// before the incident.
func (b *builder) silences() {
	ended := map[string]room.Event{}
	for _, ev := range b.evs {
		if ev.Kind == room.EvSilenceExpired {
			if _, seen := ended[ev.SilenceFacts().ID]; !seen {
				ended[ev.SilenceFacts().ID] = ev
			}
		}
	}
	r := b.r
	for i, ev := range b.evs[:b.to+1] {
		if ev.Kind != room.EvSilenceAdded {
			continue
		}
		f := ev.SilenceFacts()
		s := Silence{ID: f.ID, Matcher: f.Matcher, By: ev.Actor, Reason: f.Reason, From: f.Start, Until: f.End, Ended: "in force"}
		if e, ok := ended[f.ID]; ok {
			s.EndedAt, s.Ended = e.At, "expired"
			if e.Actor != "" {
				s.EndedAt, s.Ended = e.SilenceFacts().End, "ended early by "+e.Actor
			}
		}
		if i < b.from && !s.EndedAt.IsZero() && s.EndedAt.Before(r.Start) {
			continue
		}
		r.Silences = append(r.Silences, s)
	}
}

// silenceEvent puts a silence set or ended by a person in the review's
// span on the timeline and with its responder.
func (b *builder) silenceEvent(ev room.Event) {
	f := ev.SilenceFacts()
	switch {
	case ev.Kind == room.EvSilenceAdded:
		b.moment(ev, "silence", fmt.Sprintf("silenced %s until %s: %s", f.Matcher, Clock(f.End), f.Reason), ev.Actor)
		b.people.count(ev.Actor, "set %d silence%s")
	case ev.Actor != "":
		b.moment(ev, "silence-ended", fmt.Sprintf("ended silence %s (%s) early", f.ID, f.Matcher), ev.Actor)
		b.people.did(ev.Actor, "ended silence "+f.ID)
	}
}

// escalation reads one alert.escalated event.
func (b *builder) escalation(ev room.Event) {
	f := ev.EscalationFacts()
	b.r.Escalations = append(b.r.Escalations, Escalation{At: ev.At, Alert: f.Alert, Route: f.Route, To: f.Receivers})
	b.moment(ev, "escalated", ev.Text, "")
}

func (r *Report) mdSilences(w *mdWriter) {
	w.f("## Silences\n\n")
	if len(r.Silences) == 0 {
		w.f("No alert was silenced.\n\n")
		return
	}
	w.header("id", "matcher", "by", "why", "from", "until", "ended")
	for _, s := range r.Silences {
		ended := s.Ended
		if !s.EndedAt.IsZero() {
			ended += " at " + w.at(s.EndedAt)
		}
		w.row(s.ID, s.Matcher, or(s.By, "someone"), s.Reason, w.at(s.From), w.at(s.Until), ended)
	}
	w.f("\n")
}

// mdEscalations is a sentence of the summary.
func (r *Report) mdEscalations(w *mdWriter) {
	if len(r.Escalations) == 0 {
		return
	}
	var to []string
	for _, e := range r.Escalations {
		for _, n := range e.To {
			if !slices.Contains(to, n) {
				to = append(to, n)
			}
		}
	}
	w.f(" %d critical alert(s) went unacknowledged past ack_within and escalated (to %s), first at %s UTC.",
		len(r.Escalations), strings.Join(to, ", "), Stamp(r.Escalations[0].At))
}
