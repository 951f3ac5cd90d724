package room

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"warroom/backends/actions"
	"warroom/backends/config"
	"warroom/backends/drill"
	"warroom/backends/mirrors"
	"warroom/backends/notify"
)

// fakeInjector records what a drill applies and removes.
type fakeInjector struct {
	mu      sync.Mutex
	applied []string // faults applied now: "kind where"
	log     []string // "inject …" and "remove …", in order
	fail    string   // a fault kind whose injection fails
	removed chan string
}

func newInjector() *fakeInjector { return &fakeInjector{removed: make(chan string, 64)} }

func (f *fakeInjector) Inject(fault drill.Fault) (func(), error) {
	name := fault.Kind + " " + faultWhere(fault)
	if fault.Kind == f.fail {
		return nil, errors.New("injector refused")
	}
	f.mu.Lock()
	f.applied = append(f.applied, name)
	f.log = append(f.log, "inject "+name)
	f.mu.Unlock()
	return func() {
		f.mu.Lock()
		for i, a := range f.applied {
			if a == name {
				f.applied = append(f.applied[:i], f.applied[i+1:]...)
				break
			}
		}
		f.log = append(f.log, "remove "+name)
		f.mu.Unlock()
		f.removed <- name
	}, nil
}

func (f *fakeInjector) now() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.applied...)
}

// waitRemoved waits for n removals.
func (f *fakeInjector) waitRemoved(t *testing.T, n int) {
	t.Helper()
	timeout := time.After(5 * time.Second)
	for i := 0; i < n; i++ {
		select {
		case <-f.removed:
		case <-timeout:
			t.Fatalf("only %d of %d faults removed; applied now: %v", i, n, f.now())
		}
	}
}

const tokyoDrill = `name: tokyo-dies
description: the active mirror stops answering
duration: 10m
goals:
  detect: 1m
  failover: 5m
faults:
  - kind: mirror-down
    mirror: tokyo
    for: 4m
  - at: 8m
    kind: slow
    mirror: osaka
    delay: 1s
`

func scenario(t *testing.T, text string) *drill.Scenario {
	t.Helper()
	sc, err := drill.Parse("drills/test.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

func drillRoom(t *testing.T, cfg *config.Config, inj drill.Injector, j *memJournal, out Outbox, exec *fakeExec) *harness {
	t.Helper()
	if exec == nil {
		exec = &fakeExec{}
	}
	return startRoom(t, Options{Config: cfg, Journal: j, Outbox: out, HungGrace: 20 * time.Millisecond,
		Executors: map[string]actions.Executor{"edge": exec, "deploy": exec},
		Drills:    DrillOptions{Injector: inj}})
}

// waitFor waits for a snapshot that satisfies ok.
func (h *harness) waitFor(what string, ok func(*Snapshot) bool) *Snapshot {
	h.t.Helper()
	sub := h.r.Subscribe()
	defer sub.Close()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case s := <-sub.C():
			if ok(s) {
				return s
			}
		case <-timeout:
			h.t.Fatalf("never saw %s; last snapshot drill %+v incident %+v", what, h.r.Snapshot().Drill, h.r.Snapshot().Incident)
		}
	}
}

func endedEvent(t *testing.T, j *memJournal) (Event, drill.Scorecard) {
	t.Helper()
	for _, e := range j.events(t) {
		if e.Kind == EvDrillEnded {
			var card drill.Scorecard
			if err := json.Unmarshal([]byte(e.Fields["scorecard"]), &card); err != nil {
				t.Fatalf("drill.ended scorecard %q: %v", e.Fields["scorecard"], err)
			}
			return e, card
		}
	}
	t.Fatalf("no drill.ended in the journal: %v", j.kinds(t))
	return Event{}, drill.Scorecard{}
}

func TestDrillStartsAndStopsLeavingNothingBroken(t *testing.T) {
	j := &memJournal{}
	inj := newInjector()
	h := drillRoom(t, actionConfig(), inj, j, nil, nil)
	ctx := context.Background()
	boss := commander("ana")
	if err := h.r.StartDrill(ctx, scenario(t, tokyoDrill), "drills/test.yaml", boss); err != nil {
		t.Fatal(err)
	}
	s := h.settle()
	if d := s.Drill; d == nil || d.Name != "tokyo-dies" || d.Ended || d.Live || !d.Ends.Equal(t0.Add(10*time.Minute)) ||
		strings.Join(d.Faults, ",") != "mirror-down tokyo" {
		t.Fatalf("drill view: %+v", s.Drill)
	}
	if inc := s.Incident; inc == nil || !inc.Drill || inc.ID != "DRILL-20261121-1" || inc.ID != s.Drill.Incident || inc.Commander != "ana" {
		t.Fatalf("drill incident: %+v", s.Incident)
	}
	if got := inj.now(); strings.Join(got, ",") != "mirror-down tokyo" {
		t.Fatalf("applied = %v", got)
	}
	if err := h.r.StartDrill(ctx, scenario(t, tokyoDrill), "", boss); err == nil || !strings.Contains(err.Error(), "already running") {
		t.Fatalf("second drill: %v", err)
	}
	if _, err := h.r.Declare(ctx, IncidentSpec{Level: 2, Title: "real"}, boss); err == nil || !strings.Contains(err.Error(), "DRILL-20261121-1") {
		t.Fatalf("real incident during a drill: %v", err)
	}
	if err := h.r.StopDrill(ctx, "enough", operator("bo")); err == nil {
		t.Fatal("an operator stopped the drill")
	}
	if err := h.r.StopDrill(ctx, "enough", boss); err != nil {
		t.Fatal(err)
	}
	if got := inj.now(); len(got) != 0 {
		t.Fatalf("faults left applied after StopDrill: %v", got)
	}
	ev, card := endedEvent(t, j)
	if ev.Fields["reason"] != "stopped by ana: enough" || card.Scenario != "tokyo-dies" || card.EndReason != "stopped by ana: enough" {
		t.Fatalf("drill.ended %+v, scorecard %+v", ev, card)
	}
	s = h.settle()
	if s.Incident != nil {
		t.Fatalf("drill incident still open after the drill: %+v", s.Incident)
	}
	if d := s.Drill; d == nil || !d.Ended || d.Scorecard == nil || len(d.Faults) != 0 {
		t.Fatalf("ended drill view: %+v", s.Drill)
	}
	if n := count(j.events(t), EvDrillFault, "state", "removed"); n != 1 {
		t.Errorf("%d drill.fault removed events, want 1", n)
	}
	if err := h.r.StopDrill(ctx, "", boss); err == nil {
		t.Error("stopping with no drill running was accepted")
	}
	// A real incident may now be declared; and no drill starts during one.
	h.declare(2, "real outage", boss)
	if err := h.r.StartDrill(ctx, scenario(t, tokyoDrill), "", boss); err == nil || !strings.Contains(err.Error(), "no drills while") {
		t.Fatalf("drill during a real incident: %v", err)
	}
}

// A drill that is not live runs actions dry: the executor is not run, the
// active marker stays, and the success ends the drill when its goals are
// all reached.
func TestDrillActionsRunDryAndGoalsEndIt(t *testing.T) {
	j := &memJournal{}
	inj := newInjector()
	exec := &fakeExec{}
	h := drillRoom(t, actionConfig(), inj, j, nil, exec)
	ctx := context.Background()
	if err := h.r.StartDrill(ctx, scenario(t, tokyoDrill), "drills/test.yaml", commander("ana")); err != nil {
		t.Fatal(err)
	}
	h.r.ObserveProbe(fail("tokyo", t0))
	h.r.ObserveProbe(fail("tokyo", t0.Add(time.Second)))
	h.settle()
	p, err := h.r.Preview(ctx, Request{Kind: Failover, From: "tokyo", To: "osaka"}, commander("mei"))
	if err != nil || !strings.Contains(p.Kind, "dry run") {
		t.Fatalf("preview during a drill: kind %q, %v", p.Kind, err)
	}
	id, err := h.r.Act(ctx, Request{Kind: Failover, From: "tokyo", To: "osaka"}, commander("ana"))
	if err != nil {
		t.Fatal(err)
	}
	a := h.waitAction(id, ActionSucceeded)
	if exec.runs.Load() != 0 {
		t.Fatalf("the executor ran %d times during a dry drill", exec.runs.Load())
	}
	if len(a.Output) == 0 || !strings.HasPrefix(a.Output[0], "dry run: ") {
		t.Errorf("output %q, want the plan marked dry run", a.Output)
	}
	s := h.waitFor("the drill ended by its goals", func(s *Snapshot) bool { return s.Drill != nil && s.Drill.Ended })
	if mirrorView(s, "tokyo").Role != "active" || mirrorView(s, "osaka").Role != "backup" {
		t.Fatalf("a dry run moved the active marker: tokyo %s, osaka %s", mirrorView(s, "tokyo").Role, mirrorView(s, "osaka").Role)
	}
	if s.Drill.Reason != drill.EndGoalsMet || s.Drill.Scorecard.Met() != 2 {
		t.Fatalf("drill ended %q with %+v", s.Drill.Reason, s.Drill.Scorecard)
	}
	inj.waitRemoved(t, 1)
	evs := j.events(t)
	if count(evs, EvActionRequested, "dry_run", "true") != 1 || count(evs, EvActionSucceeded, "dry_run", "true") != 1 {
		t.Fatalf("dry run not recorded on the action: %v", j.kinds(t))
	}
	if count(evs, EvIncidentStep, "step", "2") != 1 {
		t.Errorf("the drill incident's step 2 was not ticked by the dry failover")
	}
	// After the drill, actions are real again.
	h.r.ObserveProbe(ok("tokyo", t0.Add(time.Minute), mirrors.SyncInfo{}))
	id, err = h.r.Act(ctx, Request{Kind: Failover, From: "tokyo", To: "osaka"}, commander("ana"))
	if err != nil {
		t.Fatal(err)
	}
	h.waitAction(id, ActionSucceeded)
	if exec.runs.Load() != 1 || mirrorView(h.settle(), "osaka").Role != "active" {
		t.Fatalf("after the drill: %d runs, osaka %s", exec.runs.Load(), mirrorView(h.settle(), "osaka").Role)
	}
}

func TestLiveDrillRunsActionsForReal(t *testing.T) {
	exec := &fakeExec{}
	h := drillRoom(t, actionConfig(), newInjector(), &memJournal{}, nil, exec)
	ctx := context.Background()
	live := strings.Replace(tokyoDrill, "duration: 10m", "duration: 10m\nlive: true", 1)
	if err := h.r.StartDrill(ctx, scenario(t, live), "", commander("ana")); err != nil {
		t.Fatal(err)
	}
	id, err := h.r.Act(ctx, Request{Kind: Failover, From: "tokyo", To: "osaka"}, commander("ana"))
	if err != nil {
		t.Fatal(err)
	}
	h.waitAction(id, ActionSucceeded)
	if exec.runs.Load() != 1 || mirrorView(h.settle(), "osaka").Role != "active" {
		t.Fatalf("live drill: %d runs, osaka %s", exec.runs.Load(), mirrorView(h.settle(), "osaka").Role)
	}
}

// Announcements during a drill are always marked, and go only to drill
// channels when there are any.
func TestDrillPostsNeverReachALiveChannelUnmarked(t *testing.T) {
	for _, tc := range []struct {
		name     string
		channels []config.Channel
		want     string // channels posted to during the drill
	}{
		{"drill channel configured", []config.Channel{{Name: "slack", Kind: "slack", Public: true}, {Name: "ding", Kind: "dingtalk"},
			{Name: "rehearsal", Kind: "webhook", Drill: true}}, "rehearsal"},
		{"no drill channel", []config.Channel{{Name: "slack", Kind: "slack", Public: true}, {Name: "ding", Kind: "dingtalk"}}, "slack,ding"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := postConfig()
			cfg.Notify.Channels = tc.channels
			out := &memOutbox{}
			j := &memJournal{}
			h := drillRoom(t, cfg, newInjector(), j, out, nil)
			ctx := context.Background()
			if err := h.r.StartDrill(ctx, scenario(t, tokyoDrill), "", commander("ana")); err != nil {
				t.Fatal(err)
			}
			if _, err := h.r.Announce(ctx, hello, comms("cy")); err != nil {
				t.Fatal(err)
			}
			out.mu.Lock()
			posts := append([]notify.Post(nil), out.posts...)
			out.mu.Unlock()
			var got []string
			for _, e := range j.events(t) {
				if e.Kind == EvPostQueued {
					got = append(got, e.Subject)
					if e.Fields["drill"] != "true" {
						t.Errorf("drill post to %s journaled unmarked", e.Subject)
					}
				}
			}
			if strings.Join(got, ",") != tc.want {
				t.Fatalf("posted to %v, want %s", got, tc.want)
			}
			for _, p := range posts {
				if !p.Drill {
					t.Fatalf("post %s handed to the outbox unmarked: %+v", p.ID, p)
				}
			}
			if err := h.r.StopDrill(ctx, "", commander("ana")); err != nil {
				t.Fatal(err)
			}
			after := hello
			after.Title = "real update"
			if _, err := h.r.Announce(ctx, after, comms("cy")); err != nil {
				t.Fatal(err)
			}
			out.mu.Lock()
			last := out.posts[len(out.posts)-1]
			out.mu.Unlock()
			if last.Drill {
				t.Fatal("a post after the drill is still marked as a drill")
			}
		})
	}
}

// When the room stops mid-drill, the runner removes every fault.
func TestDrillFaultsGoWhenTheRoomStops(t *testing.T) {
	j := &memJournal{}
	inj := newInjector()
	clock := clockwork.NewFakeClockAt(t0)
	r, err := New(Options{Config: actionConfig(), Journal: j, Clock: clock, Drills: DrillOptions{Injector: inj}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = r.Run(ctx); close(done) }()
	if err := r.StartDrill(context.Background(), scenario(t, tokyoDrill), "drills/test.yaml", commander("ana")); err != nil {
		cancel()
		t.Fatal(err)
	}
	cancel()
	<-done
	inj.waitRemoved(t, 1)
	if got := inj.now(); len(got) != 0 {
		t.Fatalf("faults left after the room stopped: %v", got)
	}
}

// A drill the journal shows running when the process died is recorded
// as interrupted at the next start, and its incident closed, once.
func TestDrillRunningAtACrashReplaysInterrupted(t *testing.T) {
	j := &memJournal{}
	h := drillRoom(t, actionConfig(), newInjector(), j, nil, nil)
	if err := h.r.StartDrill(context.Background(), scenario(t, tokyoDrill), "drills/test.yaml", commander("ana")); err != nil {
		t.Fatal(err)
	}
	h.settle()
	// The process dies here: the journal ends with the drill running.
	crashed := &memJournal{}
	for _, rec := range j.records() {
		crashed.recs = append(crashed.recs, rec.Data)
	}
	h2 := startRoom(t, Options{Config: actionConfig(), Journal: crashed, Replay: crashed.records(), Drills: DrillOptions{Injector: newInjector()}})
	s := h2.settle()
	if s.Drill == nil || !s.Drill.Ended || s.Drill.Reason != "interrupted" || s.Incident != nil {
		t.Fatalf("after restart: drill %+v, incident %+v", s.Drill, s.Incident)
	}
	ev, card := endedEvent(t, crashed)
	if ev.Fields["reason"] != "interrupted" || card.Scenario != "tokyo-dies" || card.EndReason != "interrupted" {
		t.Fatalf("drill.ended %+v", ev)
	}
	if n := count(crashed.events(t), EvIncidentStatus, "to", StatusClosed); n != 1 {
		t.Fatalf("drill incident closed %d times, want once", n)
	}
	// Replaying again finds it ended and records nothing more.
	before := len(crashed.events(t))
	h3 := startRoom(t, Options{Config: actionConfig(), Journal: crashed, Replay: crashed.records()})
	h3.settle()
	if n := count(crashed.events(t)[before:], EvDrillEnded, "", ""); n != 0 {
		t.Fatalf("second replay recorded drill.ended %d more times", n)
	}
}

func TestDrillThatCannotStartIsRecordedAndRefused(t *testing.T) {
	ctx := context.Background()
	h := startRoom(t, Options{Config: actionConfig(), Journal: &memJournal{}})
	if err := h.r.StartDrill(ctx, scenario(t, tokyoDrill), "", commander("ana")); err == nil || !strings.Contains(err.Error(), "no fault injector") {
		t.Fatalf("without an injector: %v", err)
	}
	j := &memJournal{}
	inj := newInjector()
	inj.fail = drill.KindMirrorDown
	h = drillRoom(t, actionConfig(), inj, j, nil, nil)
	if err := h.r.StartDrill(ctx, scenario(t, tokyoDrill), "", commander("ana")); err == nil || !strings.Contains(err.Error(), "injector refused") {
		t.Fatalf("failing injector: %v", err)
	}
	ev, _ := endedEvent(t, j)
	if !strings.HasPrefix(ev.Fields["reason"], "not started") {
		t.Fatalf("drill.ended reason %q", ev.Fields["reason"])
	}
	if s := h.settle(); s.Incident != nil {
		t.Fatalf("incident of a drill that never started is open: %+v", s.Incident)
	}
	bad := strings.Replace(tokyoDrill, "mirror: tokyo", "mirror: kyoto", 1)
	if err := h.r.StartDrill(ctx, scenario(t, bad), "", commander("ana")); err == nil || !strings.Contains(err.Error(), "kyoto") {
		t.Fatalf("scenario naming an unknown mirror: %v", err)
	}
}
