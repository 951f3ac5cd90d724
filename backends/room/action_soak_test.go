package room

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"warroom/backends/actions"
)

const testSoak = 30 * time.Minute

// soakRoom runs a room whose web rollback soaks 30m between its three
// batches; batches lists what each run deployed.
func soakRoom(t *testing.T, j *memJournal) (*harness, func() string) {
	t.Helper()
	cfg := actionConfig()
	cfg.Actions.Rollback[0].Soak = testSoak
	var mu sync.Mutex
	var ran []string
	exec := &fakeExec{run: func(ctx context.Context, op actions.Op, out func(string)) (string, error) {
		mu.Lock()
		defer mu.Unlock()
		ran = append(ran, strings.Join(op.Instances, ","))
		return "deployed", nil
	}}
	h := actionRoom(t, cfg, exec, j, nil)
	return h, func() string { mu.Lock(); defer mu.Unlock(); return strings.Join(ran, " | ") }
}

// waitSoak waits until action id soaks after batch n, then until the
// soak's timer waits on the fake clock (beside the room's ticker).
func (h *harness) waitSoak(id string, n int) ActionView {
	h.t.Helper()
	s := h.waitFor(fmt.Sprintf("a soak after batch %d", n), func(s *Snapshot) bool {
		for _, a := range s.Actions {
			if a.ID == id && !a.SoakUntil.IsZero() && a.Batch == n {
				return true
			}
		}
		return false
	})
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := h.clock.BlockUntilContext(ctx, 2); err != nil {
		h.t.Fatalf("the soak's timer never started: %v", err)
	}
	for _, a := range s.Actions {
		if a.ID == id {
			return a
		}
	}
	return ActionView{}
}

func TestRollbackSoaksThenWaitsForContinue(t *testing.T) {
	j := &memJournal{}
	h, ran := soakRoom(t, j)
	ctx := context.Background()
	p, err := h.r.Preview(ctx, Request{Kind: Rollback, Target: "web", Version: "v9"}, commander("li.wei"))
	if err != nil || p.Soak != testSoak || !strings.Contains(strings.Join(p.Plan, "\n"), "batch 1/3: soak 30m, then wait for continue or abort") {
		t.Fatalf("preview: soak %s, plan %q, err %v", p.Soak, p.Plan, err)
	}
	id, err := h.act(Request{Kind: Rollback, Target: "web", Version: "v9"})
	if err != nil {
		t.Fatal(err)
	}
	a := h.waitSoak(id, 1)
	if !a.SoakUntil.Equal(t0.Add(testSoak)) || a.State != ActionRunning || ran() != "w1" {
		t.Fatalf("soaking after batch 1: until %s, state %s, ran %q", a.SoakUntil, a.State, ran())
	}
	if last := a.Output[len(a.Output)-1]; last != "soaking 30m before batch 2/3" {
		t.Fatalf("soak line %q", last)
	}
	h.clock.Advance(testSoak - time.Second)
	if h.settle(); ran() != "w1" {
		t.Fatalf("the next batch ran before the soak ended: %q", ran())
	}
	h.clock.Advance(time.Second)
	a = h.waitAction(id, ActionPaused)
	if !a.Soaked || a.Err != "" || a.Batch != 1 || !a.SoakUntil.IsZero() || ran() != "w1" {
		t.Fatalf("after the soak: %+v, ran %q", a, ran())
	}
	if err := h.r.Decide(ctx, id, "retry", commander("chen.jing")); err == nil || !strings.Contains(err.Error(), "want continue or abort") {
		t.Fatalf("retry after a soak: %v", err)
	}
	if err := h.r.Decide(ctx, id, "continue", commander("chen.jing")); err != nil {
		t.Fatal(err)
	}
	a = h.waitSoak(id, 2)
	if !a.SoakUntil.Equal(t0.Add(2*testSoak)) || ran() != "w1 | w2" {
		t.Fatalf("soaking after batch 2: until %s, ran %q", a.SoakUntil, ran())
	}
	// Deciding during the soak ends it early; no pause follows.
	if err := h.r.Decide(ctx, id, "continue", commander("chen.jing")); err != nil {
		t.Fatal(err)
	}
	if a = h.waitAction(id, ActionSucceeded, ActionFailed); a.State != ActionSucceeded || ran() != "w1 | w2 | w3,w4" {
		t.Fatalf("after continuing: %+v, ran %q", a, ran())
	}
	evs := j.events(t)
	if n := count(evs, EvActionPaused, keyReason, pauseSoakOver); n != 1 {
		t.Errorf("%d soak pauses journaled, want 1", n)
	}
	var decided []string
	for _, e := range evs {
		if e.Kind == EvActionResumed {
			decided = append(decided, e.Text)
		}
	}
	want := []string{"chen.jing chose to continue act-1 after batch 1/3 soaked", "chen.jing chose to continue act-1 during the soak after batch 2/3"}
	if strings.Join(decided, "\n") != strings.Join(want, "\n") {
		t.Errorf("decisions journaled:\n%s\nwant:\n%s", strings.Join(decided, "\n"), strings.Join(want, "\n"))
	}
}

func TestRollbackSoakAbortStopsTheRest(t *testing.T) {
	h, ran := soakRoom(t, &memJournal{})
	id, err := h.act(Request{Kind: Rollback, Target: "web", Version: "v9"})
	if err != nil {
		t.Fatal(err)
	}
	h.waitSoak(id, 1)
	h.clock.Advance(testSoak)
	h.waitAction(id, ActionPaused)
	if err := h.r.Decide(context.Background(), id, "abort", commander("chen.jing")); err != nil {
		t.Fatal(err)
	}
	a := h.waitAction(id, ActionFailed, ActionSucceeded)
	if a.State != ActionFailed || !strings.Contains(a.Err, "aborted after batch 1/3 soaked") || ran() != "w1" || a.Soaked {
		t.Fatalf("abort after the soak: %+v, ran %q", a, ran())
	}
}

// A room that stops while an action soaks cannot know what happened
// since: after a restart the action's outcome is unknown, as for any
// action that was running.
func TestRestartWhileSoakingIsOutcomeUnknown(t *testing.T) {
	j := &memJournal{}
	h, _ := soakRoom(t, j)
	id, err := h.act(Request{Kind: Rollback, Target: "web", Version: "v9"})
	if err != nil {
		t.Fatal(err)
	}
	h.waitSoak(id, 1)
	h.settle()
	cfg := actionConfig()
	cfg.Actions.Rollback[0].Soak = testSoak
	h2 := actionRoom(t, cfg, &fakeExec{}, &memJournal{}, j.records())
	s := h2.settle()
	if len(s.Actions) != 1 || s.Actions[0].State != ActionUnknown || !s.Actions[0].SoakUntil.IsZero() {
		t.Fatalf("after a restart mid-soak: %+v", s.Actions)
	}
}

func TestSoakLineIsHowAConfigWritesIt(t *testing.T) {
	for d, want := range map[time.Duration]string{30 * time.Minute: "30m", 90 * time.Minute: "1h30m", 2 * time.Hour: "2h", 45 * time.Second: "45s"} {
		if got := soakText(d); got != want {
			t.Errorf("soakText(%s) = %q, want %q", d, got, want)
		}
	}
}
