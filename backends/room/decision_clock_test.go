package room

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"warroom/backends/journal"
)

// clocks is the part of an incident the decision clocks are.
func clocks(v *IncidentView) [5]string {
	if v == nil {
		return [5]string{"no incident"}
	}
	ts := func(t time.Time) string {
		if t.IsZero() {
			return "-"
		}
		return t.Sub(t0).String()
	}
	return [5]string{ts(v.FirstCritical), ts(v.DecidedAt), v.DecidedBy, v.DecidedAction, ts(v.ActionStartedAt)}
}

func TestDecisionClocksFromAlertToAction(t *testing.T) {
	j := &memJournal{}
	cfg := actionConfig()
	cfg.Actions.Approvals = map[string][]int{Failover: {2}}
	h := actionRoom(t, cfg, &fakeExec{}, j, nil)
	ctx := context.Background()
	h.downTokyo(t0)
	s := h.settle()
	down := alertByID(s, "mirror-down/tokyo")
	if down == nil || down.Severity != Critical {
		t.Fatalf("no critical down alert: %+v", s.Alerts)
	}
	h.clock.Advance(time.Minute)
	h.declare(2, "tokyo down", commander("ana"))
	if got := clocks(h.settle().Incident); got != [5]string{down.Raised.Sub(t0).String(), "-", "", "", "-"} {
		t.Fatalf("declared: %q", got)
	}
	// An operator's request that waits for approval is no decision yet.
	h.clock.Advance(4 * time.Minute)
	id, err := h.r.Act(ctx, Request{Kind: Failover, From: "tokyo", To: "osaka"}, operator("bo"))
	if err != nil {
		t.Fatal(err)
	}
	if got := clocks(h.settle().Incident); got[1] != "-" {
		t.Fatalf("an awaiting request counted as the decision: %q", got)
	}
	h.clock.Advance(2 * time.Minute)
	if err := h.r.Approve(ctx, id, commander("chen")); err != nil {
		t.Fatal(err)
	}
	h.waitAction(id, ActionSucceeded)
	want := [5]string{down.Raised.Sub(t0).String(), "7m0s", "chen", id, "7m0s"}
	if got := clocks(h.settle().Incident); got != want {
		t.Fatalf("after the approval: %q, want %q", got, want)
	}
	// A later decision changes nothing: the clocks time the first.
	h.clock.Advance(time.Minute)
	if _, err := h.act(Request{Kind: Failback, From: "osaka", To: "tokyo"}); err != nil {
		t.Fatal(err)
	}
	h.settle()
	// Replay rebuilds the same clocks from the journal alone.
	h2 := actionRoom(t, cfg, &fakeExec{}, &memJournal{}, j.records())
	if got := clocks(h2.settle().Incident); got != want {
		t.Fatalf("after replay: %q, want %q", got, want)
	}
}

// A commander who fails over before anyone declares has decided: the
// declaration finds the decision in the events since the first critical
// alert.
func TestDecisionBeforeDeclaringCounts(t *testing.T) {
	j := &memJournal{}
	h := actionRoom(t, actionConfig(), &fakeExec{}, j, nil)
	h.downTokyo(t0)
	h.settle()
	h.clock.Advance(2 * time.Minute)
	id, err := h.act(Request{Kind: Failover, From: "tokyo", To: "osaka"})
	if err != nil {
		t.Fatal(err)
	}
	h.waitAction(id, ActionSucceeded)
	h.clock.Advance(time.Minute)
	h.declare(1, "tokyo was down", commander("ana"))
	want := [5]string{"0s", "2m0s", "li.wei", id, "2m0s"}
	if got := clocks(h.settle().Incident); got != want {
		t.Fatalf("declared after the failover: %q, want %q", got, want)
	}
	h2 := actionRoom(t, actionConfig(), &fakeExec{}, &memJournal{}, j.records())
	if got := clocks(h2.settle().Incident); got != want {
		t.Fatalf("after replay: %q, want %q", got, want)
	}
}

// A decided action that has not started StartWithin later is urgent: here
// a follower that has the leader's request but, three minutes on, no
// action.started.
func TestDecidedActionNotStartedTurnsUrgent(t *testing.T) {
	j := &memJournal{}
	lead, repl := startNode(t, "eu-1", &fakeExec{}), startNode(t, "us-1", &fakeExec{})
	if err := lead.r.Promote(j, "7"); err != nil {
		t.Fatal(err)
	}
	id, err := lead.r.Act(context.Background(), Request{Kind: Failover, From: "tokyo", To: "osaka"}, commander("ana"))
	if err != nil {
		t.Fatal(err)
	}
	lead.waitAction(id, ActionSucceeded)
	recs := j.records()
	var upTo []journal.Record
	for _, rec := range recs {
		var ev Event
		if err := json.Unmarshal(rec.Data, &ev); err != nil {
			t.Fatal(err)
		}
		if ev.Kind == EvActionStarted {
			break
		}
		upTo = append(upTo, rec)
	}
	if err := repl.r.Apply(upTo); err != nil {
		t.Fatal(err)
	}
	urgentAt := func(at time.Time) bool {
		var u bool
		err := repl.r.query(context.Background(), func() error {
			repl.r.st.markUrgent(at)
			u = repl.r.st.actByID[id].view.Urgent
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	if urgentAt(t0.Add(StartWithin - time.Second)) {
		t.Fatal("urgent before three minutes")
	}
	// The room's own tick marks it once the clock gets there.
	repl.clock.Advance(StartWithin)
	repl.waitFor("the action urgent", func(s *Snapshot) bool { return len(s.Actions) == 1 && s.Actions[0].Urgent })
	// It starts at last: no longer urgent.
	if err := repl.r.Apply(recs); err != nil {
		t.Fatal(err)
	}
	if a := repl.settle().Actions[0]; a.Urgent || a.State != ActionSucceeded {
		t.Fatalf("after it started and ended: %+v", a)
	}
}
