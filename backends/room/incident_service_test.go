package room

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"warroom/backends/actions"
	"warroom/backends/mirrors"
)

// declareTokyoDown waits, then ana declares the outage; it returns the incident.
func (h *harness) declareTokyoDown(wait time.Duration) *IncidentView {
	h.settle()
	h.clock.Advance(wait)
	h.declare(2, "tokyo down", commander("ana"))
	return h.settle().Incident
}

// Issue 12 item 14a: a status is not a restoration.
func TestRTOIsMetOnlyWhenTheActiveMirrorServesAgain(t *testing.T) {
	j := &memJournal{}
	exec := &fakeExec{}
	h := actionRoom(t, actionConfig(), exec, j, nil)
	ctx := context.Background()
	h.r.ObserveProbe(ok("osaka", t0, mirrors.SyncInfo{}))
	h.downTokyo(t0.Add(10 * time.Second))
	h.declareTokyoDown(time.Minute)
	h.clock.Advance(time.Minute)
	if err := h.r.Advance(ctx, StatusMitigated, commander("ana")); err != nil {
		t.Fatal(err)
	}
	if s := h.settle(); !s.Incident.Restored.IsZero() {
		t.Fatalf("restored at %v by the status alone, while tokyo (active) is down", s.Incident.Restored)
	}
	h.clock.Advance(time.Minute)
	act, err := h.r.Act(ctx, Request{Kind: Failover, From: "tokyo", To: "osaka"}, commander("ana"))
	if err != nil {
		t.Fatal(err)
	}
	h.waitAction(act, ActionSucceeded)
	s := h.settle()
	if want := t0.Add(3 * time.Minute); !s.Incident.Restored.Equal(want) {
		t.Fatalf("restored %v, want the failover to osaka at %v", s.Incident.Restored, want)
	}
	// The new active mirror failing takes the restoration back.
	h.clock.Advance(time.Minute)
	h.r.ObserveProbe(fail("osaka", h.clock.Now()))
	h.r.ObserveProbe(fail("osaka", h.clock.Now()))
	if s := h.settle(); !s.Incident.Restored.IsZero() {
		t.Fatalf("restored %v while osaka, now active, is down", s.Incident.Restored)
	}
	// Replay derives the same.
	h2 := actionRoom(t, actionConfig(), exec, &memJournal{}, j.records())
	if s2 := h2.settle(); s2.Incident == nil || !s2.Incident.Restored.IsZero() {
		t.Fatalf("replayed: %+v", s2.Incident)
	}
}

// Issue 12 item 14b: what people did before pressing I is on the checklist.
func TestDeclaringTicksWhatWasAlreadyDone(t *testing.T) {
	j := &memJournal{}
	exec := &fakeExec{}
	opts := Options{Config: actionConfig(), Journal: j, HungGrace: 20 * time.Millisecond,
		Executors: map[string]actions.Executor{"edge": exec, "deploy": exec}}
	h := startRoom(t, opts)
	ctx := context.Background()
	h.r.ObserveProbe(ok("osaka", t0, mirrors.SyncInfo{}))
	downAt := t0.Add(10 * time.Second)
	h.downTokyo(downAt)
	h.settle()
	h.clock.Advance(time.Minute)
	if err := h.r.Ack(ctx, "mirror-down/tokyo", operator("bo")); err != nil {
		t.Fatal(err)
	}
	h.clock.Advance(time.Minute)
	act, err := h.r.Act(ctx, Request{Kind: Failover, From: "tokyo", To: "osaka"}, commander("ana"))
	if err != nil {
		t.Fatal(err)
	}
	h.waitAction(act, ActionSucceeded)
	inc := h.declareTokyoDown(3 * time.Minute)
	if !inc.Detected.Equal(downAt) {
		t.Fatalf("detected %v, want the first alert's raising %v, not the declaration", inc.Detected, downAt)
	}
	for n, at := range map[int]time.Time{1: t0.Add(time.Minute), 2: t0.Add(2 * time.Minute)} {
		if st := inc.Steps[n-1]; !st.Done || !st.Auto || !st.At.Equal(at) {
			t.Errorf("step %d = %+v, want ticked as done at %v", n, st, at)
		}
	}
	if inc.Steps[2].Done {
		t.Errorf("step 3 ticked with nothing posted: %+v", inc.Steps[2])
	}
	// Every event stays in time order in the journal; replay ticks nothing again.
	evs := j.events(t)
	for i := 1; i < len(evs); i++ {
		if evs[i].At.Before(evs[i-1].At) {
			t.Fatalf("journal goes back in time at %d: %v after %v", i, evs[i].At, evs[i-1].At)
		}
	}
	before := count(evs, EvIncidentStep, "", "")
	opts.Journal, opts.Replay = &memJournal{}, j.records()
	h2 := startRoom(t, opts)
	s2 := h2.settle()
	if !reflect.DeepEqual(s2.Incident.Steps, inc.Steps) {
		t.Fatalf("replayed steps differ:\n got %+v\nwant %+v", s2.Incident.Steps, inc.Steps)
	}
	if n := count(j.events(t), EvIncidentStep, "", ""); n != before {
		t.Fatalf("%d ticks after replay, want %d", n, before)
	}
}

// Issue 12 item 14c: an older alert about something else does not start
// the RTO clock.
func TestRTOClockStartsAtTheServicesOutageNotAnOlderAlert(t *testing.T) {
	h := newHarness(t, &memJournal{}, nil)
	expired := ok("osaka", t0, mirrors.SyncInfo{})
	expired.TLSExpiry = t0.Add(-time.Hour) // critical, on a backup
	h.r.ObserveProbe(expired)
	h.clock.Advance(10 * time.Minute)
	downAt := h.clock.Now()
	h.downTokyo(downAt)
	inc := h.declareTokyoDown(2 * time.Minute)
	if !inc.Detected.Equal(downAt) || !inc.RTODue.Equal(downAt.Add(15*time.Minute)) {
		t.Fatalf("detected %v, RTO due %v: want tokyo's outage at %v, not osaka's certificate", inc.Detected, inc.RTODue, downAt)
	}
}

// Issue 12 item 14f: a read-only room refuses incident bookkeeping, as
// it refuses actions (the report, a read of the journal, stays).
func TestReadOnlyRoomRefusesIncidentCommands(t *testing.T) {
	j := &memJournal{}
	h := newHarness(t, j, nil)
	h.declareTokyoDown(0)
	ro := startRoom(t, Options{Config: testConfig(), Journal: &memJournal{}, Replay: j.records(), ReadOnly: true})
	ro.settle()
	ctx, ana := context.Background(), commander("ana")
	_, declErr := ro.r.Declare(ctx, IncidentSpec{Level: 1, Title: "x"}, ana)
	_, noteErr := ro.r.Note(ctx, "looking", false, ana)
	for what, err := range map[string]error{
		"declare": declErr, "note": noteErr,
		"advance": ro.r.Advance(ctx, StatusIdentified, ana),
		"tick":    ro.r.Tick(ctx, 1, "", ana),
		"level":   ro.r.SetLevel(ctx, 3, ana),
		"hand":    ro.r.HandOver(ctx, "bo", ana),
	} {
		if err == nil || !strings.Contains(err.Error(), "read-only") || !strings.Contains(err.Error(), "W still writes the report") {
			t.Errorf("%s in a read-only room: %v", what, err)
		}
	}
	if s := ro.settle(); s.Incident.Status != StatusInvestigating || s.Incident.Level != 2 {
		t.Fatalf("the read-only room changed the incident: %+v", s.Incident)
	}
}
