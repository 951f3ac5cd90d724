package room

import (
	"slices"
	"strings"
	"testing"
	"time"

	"warroom/backends/journal"
	"warroom/backends/mirrors"
)

// flap takes name down (two failures) and back (two answers) every 25 s,
// n times from start: two state changes per cycle. It returns the time of
// the next cycle.
func (h *harness) flap(name string, start time.Time, n int) time.Time {
	at := start
	for range n {
		h.r.ObserveProbe(fail(name, at))
		h.r.ObserveProbe(fail(name, at.Add(time.Second)))
		h.r.ObserveProbe(ok(name, at.Add(10*time.Second), mirrors.SyncInfo{}))
		h.r.ObserveProbe(ok(name, at.Add(11*time.Second), mirrors.SyncInfo{}))
		at = at.Add(25 * time.Second)
	}
	return at
}

// about is the timeline's entries about subject.
func about(s *Snapshot, subject string) []Event {
	var out []Event
	for _, e := range s.Timeline {
		if e.Subject == subject {
			out = append(out, e)
		}
	}
	return out
}

// A backup going down and back 24 times in 10 minutes is one flapping
// alert: no degraded alert, no down alert once it flaps, and a timeline
// that stops following it; the journal still has every change, and a
// restarted room reaches the same alerts and timeline and stays quiet.
func TestFlappingMirrorIsOneAlert(t *testing.T) {
	j := &memJournal{}
	h := startRoom(t, Options{Config: holdConfig(nil), Journal: j})
	next := h.flap("osaka", t0, 24)
	s := h.settle()
	changes := journaled(t, j, EvMirrorState, "osaka")
	quiet := 0
	for _, e := range changes {
		if e.Quiet() {
			quiet++
		}
	}
	if len(changes) != 48 || quiet != 48-6 {
		t.Fatalf("journal: %d state changes, %d quiet; want all 48, quiet after the 6th", len(changes), quiet)
	}
	flaps := journaled(t, j, EvAlertRaised, "mirror-flapping/osaka")
	if len(flaps) != 1 || !strings.Contains(flaps[0].Text, "osaka flapping: 7 changes in 10m") {
		t.Fatalf("want one flapping alert at the 7th change, got %+v", flaps)
	}
	if n := len(journaled(t, j, EvAlertRaised, "mirror-degraded/osaka")); n != 0 {
		t.Errorf("%d degraded alerts, want none", n)
	}
	if n := len(journaled(t, j, EvAlertRaised, "mirror-down/osaka")); n > 3 {
		t.Errorf("%d down alerts, want those before it flapped (3 at most)", n)
	}
	tl := about(s, "osaka")
	if len(tl) > 14 {
		t.Errorf("timeline follows osaka with %d entries, want at most 14", len(tl))
	}
	for i := 1; i < len(s.Timeline); i++ {
		if s.Timeline[i].Seq <= s.Timeline[i-1].Seq {
			t.Fatalf("timeline numbers out of order at %d: %d after %d", i, s.Timeline[i].Seq, s.Timeline[i-1].Seq)
		}
	}
	if last := s.Timeline[len(s.Timeline)-1]; s.LastEventSeq != last.Seq || j.events(t)[last.Seq-1].Kind != last.Kind {
		t.Fatalf("timeline's last entry %+v does not match the journal's record %d", last, last.Seq)
	}

	// A restart replays to the same alerts and timeline, and a further
	// change is as quiet as before.
	j2 := &memJournal{}
	h2 := startRoom(t, Options{Config: holdConfig(nil), Journal: j2, Replay: j.records()})
	s2 := h2.settle()
	// (The wording refreshed since the raise is not journaled; the next
	// probe refreshes it again.)
	if !slices.EqualFunc(s.Alerts, s2.Alerts, func(a, b Alert) bool {
		return a.ID == b.ID && a.Severity == b.Severity && a.Raised.Equal(b.Raised)
	}) {
		t.Fatalf("alerts after restart:\n got %+v\nwant %+v", s2.Alerts, s.Alerts)
	}
	seqs := func(s *Snapshot) (out []uint64) {
		for _, e := range s.Timeline {
			if e.Kind != EvRoomOpened {
				out = append(out, e.Seq)
			}
		}
		return out
	}
	if a, b := seqs(s), seqs(s2); !slices.Equal(a, b) {
		t.Fatalf("timeline after restart:\n got %v\nwant %v", b, a)
	}
	h2.flap("osaka", next, 1)
	h2.settle()
	for _, e := range j2.events(t) {
		if e.Kind != EvRoomOpened && !e.Quiet() {
			t.Errorf("the restarted room journaled %s %s: %s", e.Kind, e.Subject, e.Text)
		}
	}

	// Once it holds still, the flapping alert clears when the window holds
	// at most 3 changes.
	at := next.Add(25 * time.Second)
	for range 150 {
		h2.r.ObserveProbe(ok("osaka", at, mirrors.SyncInfo{}))
		at = at.Add(5 * time.Second)
	}
	s2 = h2.settle()
	if alertByID(s2, "mirror-flapping/osaka") != nil {
		t.Fatalf("still flapping after 12 quiet minutes: %+v", s2.Alerts)
	}
}

// The active mirror going down is never held back by flapping: each outage
// raises its critical alert and shows in the timeline.
func TestActiveMirrorDownIsNeverSuppressedByFlapping(t *testing.T) {
	j := &memJournal{}
	h := startRoom(t, Options{Config: holdConfig(nil), Journal: j})
	h.flap("tokyo", t0, 12)
	s := h.settle()
	if n := len(journaled(t, j, EvAlertRaised, "mirror-flapping/tokyo")); n != 1 {
		t.Fatalf("%d flapping alerts, want one", n)
	}
	if n := len(journaled(t, j, EvAlertRaised, "mirror-down/tokyo")); n != 12 {
		t.Errorf("%d critical down alerts, want one per outage (12)", n)
	}
	downs := 0
	for _, e := range about(s, "tokyo") {
		if e.Kind == EvMirrorState && e.MirrorFacts().To == StateDown {
			downs++
		}
	}
	if downs != 12 {
		t.Errorf("timeline shows %d of tokyo's 12 outages", downs)
	}
}

// Quiet changes are journaled for replay: a room replaying them knows the
// mirror's last state, so its first probe adds nothing.
func TestQuietChangesStillSetTheReplayedState(t *testing.T) {
	var recs []journal.Record
	j := &memJournal{}
	h := startRoom(t, Options{Config: holdConfig(nil), Journal: j})
	next := h.flap("osaka", t0, 8)
	h.r.ObserveProbe(fail("osaka", next))
	h.r.ObserveProbe(fail("osaka", next.Add(time.Second)))
	h.settle()
	last := journaled(t, j, EvMirrorState, "osaka")
	if l := last[len(last)-1]; !l.Quiet() || l.MirrorFacts().To != StateDown {
		t.Fatalf("want the last change quiet and down: %+v", l)
	}
	recs = j.records()
	j2 := &memJournal{}
	h2 := startRoom(t, Options{Config: holdConfig(nil), Journal: j2, Replay: recs})
	h2.r.ObserveProbe(fail("osaka", next.Add(5*time.Second)))
	h2.r.ObserveProbe(fail("osaka", next.Add(6*time.Second)))
	h2.settle()
	if got := j2.kinds(t); len(got) != 1 {
		t.Fatalf("a restart re-recorded osaka's state: %v", got)
	}
}
