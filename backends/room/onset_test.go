package room

import (
	"testing"
	"time"

	"warroom/backends/mirrors"
)

// Issue 12 item 14: a mirror.state event says when the trouble began (the
// first failed probe of the streak that took the mirror down), so the
// report can count detection from it rather than from the verdict.
func TestMirrorStateEventCarriesTheStreaksFirstFailure(t *testing.T) {
	cfg := testConfig()
	cfg.Mirrors[0].Health.FailAfter = 3
	h := startRoom(t, Options{Config: cfg, Journal: &memJournal{}})
	probe := func(o mirrors.Observation) {
		h.clock.Advance(o.Start.Sub(h.clock.Now()))
		h.r.ObserveProbe(o)
	}
	every := 15 * time.Second
	probe(ok("tokyo", t0, mirrors.SyncInfo{}))
	probe(fail("tokyo", t0.Add(every)))
	probe(ok("tokyo", t0.Add(2*every), mirrors.SyncInfo{})) // breaks the first streak
	for i := 3; i <= 5; i++ {
		probe(fail("tokyo", t0.Add(time.Duration(i)*every)))
	}
	for i := 6; i <= 7; i++ {
		probe(ok("tokyo", t0.Add(time.Duration(i)*every), mirrors.SyncInfo{}))
	}
	h.settle()

	var states []Event
	for _, ev := range h.j.events(t) {
		if ev.Kind == EvMirrorState {
			states = append(states, ev)
		}
	}
	if len(states) != 2 {
		t.Fatalf("mirror.state events: %+v, want down then answering again", states)
	}
	down, back := states[0], states[1]
	first := t0.Add(3 * every)
	if down.Fields["to"] != string(StateDown) || !down.At.Equal(t0.Add(5*every)) {
		t.Fatalf("down event %+v, want down at %v", down, t0.Add(5*every))
	}
	if got := down.Fields["since"]; got != first.Format(time.RFC3339Nano) {
		t.Errorf("down since = %q, want the streak's first failed probe %s", got, first.Format(time.RFC3339Nano))
	}
	if got := MirrorOnset(down); !got.Equal(first) {
		t.Errorf("MirrorOnset(down) = %v, want %v", got, first)
	}
	// Answering again after failing 4 of 8: degraded by the error rate,
	// which went over at the outage's first failure (with the lone earlier one).
	if back.Fields["to"] != string(StateDegraded) || back.Fields["since"] != first.Format(time.RFC3339Nano) {
		t.Errorf("answering again: %+v, want degraded since the error rate went over at %v", back, first)
	}
}

// Journals written before the since field (or with a bad one) keep the
// event's own time as the first sign.
func TestMirrorOnsetOfOlderOrBadEvents(t *testing.T) {
	at := t0.Add(time.Minute)
	for _, since := range []string{"", "yesterday", at.Add(time.Second).Format(time.RFC3339Nano)} {
		ev := Event{At: at, Kind: EvMirrorState, Fields: map[string]string{"to": "down", "since": since}}
		if got := MirrorOnset(ev); !got.Equal(at) {
			t.Errorf("since %q: MirrorOnset = %v, want the event's time %v", since, got, at)
		}
	}
}
