package metrics

import (
	"slices"

	"warroom/backends/room"
)

// Action kinds and outcomes as labels; every pair is exported from the
// start (at 0), so a rate over them never starts from a missing series.
var (
	actionKinds    = []string{room.Failover, room.Failback, room.Rollback}
	actionOutcomes = []string{"succeeded", "failed", "timed_out", "unknown"}
	postOutcomes   = []string{"sent", "failed", "unknown"}
)

func (m *Metrics) zeroCounters() {
	for _, k := range actionKinds {
		for _, o := range actionOutcomes {
			m.actions.WithLabelValues(k, o)
		}
	}
	for _, kind := range m.channels {
		for _, o := range postOutcomes {
			m.posts.WithLabelValues(kind, o)
		}
	}
}

// Recorded is the room's OnRecorded hook: it counts the events that end
// an action or a post. It runs on the room goroutine and only adds.
func (m *Metrics) Recorded(ev room.Event) {
	switch ev.Kind {
	case room.EvActionSucceeded:
		if f := ev.ActionFacts(); !f.DryRun {
			m.action(f.Request.Kind, f.ID, "succeeded")
		}
	case room.EvActionFailed:
		f := ev.ActionFacts()
		outcome := "failed"
		if f.State == room.ActionTimedOut {
			outcome = "timed_out"
		}
		m.action(f.Request.Kind, f.ID, outcome)
	case room.EvActionUnknown:
		f := ev.ActionFacts()
		m.action(f.Request.Kind, f.ID, "unknown")
	case room.EvPostSent:
		m.post(ev.Subject, "sent")
	case room.EvPostFailed:
		m.post(ev.Subject, "failed")
	case room.EvPostUnknown:
		m.post(ev.Subject, "unknown")
	}
}

// action counts one ended action. An event without its kind (unknown
// outcomes name only the id) takes it from the latest snapshot.
func (m *Metrics) action(kind, id, outcome string) {
	if kind == "" {
		kind = m.actionKind(id)
	}
	if !slices.Contains(actionKinds, kind) {
		kind = "other" // bounded labels whatever the journal holds
	}
	m.actions.WithLabelValues(kind, outcome).Inc()
}

func (m *Metrics) actionKind(id string) string {
	s := m.snapshot()
	if s == nil {
		return ""
	}
	for i := range s.Actions {
		if s.Actions[i].ID == id {
			return s.Actions[i].Request.Kind
		}
	}
	return ""
}

// post counts one ended post by its channel's kind; a channel not in the
// config (a journal from another config) is "other".
func (m *Metrics) post(channel, outcome string) {
	kind, ok := m.channels[channel]
	if !ok {
		kind = "other"
	}
	m.posts.WithLabelValues(kind, outcome).Inc()
}
