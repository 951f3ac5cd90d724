package room

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"warroom/backends/actions"
	"warroom/backends/config"
	"warroom/backends/journal"
	"warroom/backends/mirrors"
)

// fakeExec is an executor whose Run the test scripts.
type fakeExec struct {
	runs atomic.Int32
	run  func(ctx context.Context, op actions.Op, out func(string)) (string, error)
}

func (f *fakeExec) Name() string { return "edge" }
func (f *fakeExec) Kind() string { return "haproxy" }
func (f *fakeExec) Plan(op actions.Op) ([]string, error) {
	if len(op.Instances) > 0 {
		return []string{fmt.Sprintf("deploy %s to %s", op.Version, strings.Join(op.Instances, ","))}, nil
	}
	return []string{fmt.Sprintf("set server mirrors/%s state ready", op.To), fmt.Sprintf("set server mirrors/%s state maint", op.From)}, nil
}
func (f *fakeExec) Run(ctx context.Context, op actions.Op, out func(string)) (string, error) {
	f.runs.Add(1)
	if f.run == nil {
		out("switched")
		return fmt.Sprintf("%s READY, %s MAINT", op.To, op.From), nil
	}
	return f.run(ctx, op, out)
}
func (f *fakeExec) Check(context.Context) error { return nil }

func actionConfig() *config.Config {
	cfg := testConfig()
	cfg.Actions.Failover = "edge"
	cfg.Actions.Executors = []config.Executor{{Name: "edge", Timeout: time.Second, HAProxy: &config.HAProxyExecutor{}},
		{Name: "deploy", Timeout: time.Second, Exec: &config.ExecExecutor{}}}
	cfg.Actions.Rollback = []config.RollbackTarget{{Name: "web", Executor: "deploy",
		Instances: []string{"w1", "w2", "w3", "w4"}, Batches: []int{25, 50, 100}, Mirrors: []string{"tokyo"}}}
	return cfg
}

func actionRoom(t *testing.T, cfg *config.Config, exec *fakeExec, j Journal, replay []journal.Record) *harness {
	t.Helper()
	return startRoom(t, Options{Config: cfg, Journal: j, Replay: replay, HungGrace: 20 * time.Millisecond,
		Executors: map[string]actions.Executor{"edge": exec, "deploy": exec}})
}

// waitAction waits until action id reaches one of the states.
func (h *harness) waitAction(id string, states ...ActionState) ActionView {
	h.t.Helper()
	sub := h.r.Subscribe()
	defer sub.Close()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case s := <-sub.C():
			for _, a := range s.Actions {
				if a.ID != id {
					continue
				}
				for _, st := range states {
					if a.State == st {
						return a
					}
				}
			}
		case <-timeout:
			h.t.Fatalf("action %s never reached %v; actions: %+v", id, states, h.r.Snapshot().Actions)
		}
	}
}

func (h *harness) act(req Request) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return h.r.Act(ctx, req, commander("li.wei"))
}

func TestFailoverMovesActiveMarkerOnlyAfterReadBack(t *testing.T) {
	j := &memJournal{}
	release := make(chan struct{})
	var kindsAtRun []string
	exec := &fakeExec{}
	exec.run = func(ctx context.Context, op actions.Op, out func(string)) (string, error) {
		for _, e := range j.events(t) {
			kindsAtRun = append(kindsAtRun, e.Kind)
		}
		out("set server mirrors/osaka state ready")
		<-release
		return "osaka READY, tokyo MAINT", nil
	}
	h := actionRoom(t, actionConfig(), exec, j, nil)
	id, err := h.act(Request{Kind: Failover, From: "tokyo", To: "osaka"})
	if err != nil {
		t.Fatal(err)
	}
	running := h.waitAction(id, ActionRunning)
	if s := h.settle(); mirrorView(s, "tokyo").Role != "active" || mirrorView(s, "osaka").Role != "backup" {
		t.Fatalf("active marker moved before the executor confirmed: tokyo %s, osaka %s", mirrorView(s, "tokyo").Role, mirrorView(s, "osaka").Role)
	}
	if running.RequestedBy != "li.wei" || len(running.Plan) != 2 {
		t.Fatalf("running action: %+v", running)
	}
	close(release)
	done := h.waitAction(id, ActionSucceeded)
	if done.Confirmed != "osaka READY, tokyo MAINT" {
		t.Fatalf("confirmed = %q", done.Confirmed)
	}
	s := h.settle()
	if mirrorView(s, "tokyo").Role != "backup" || mirrorView(s, "osaka").Role != "active" {
		t.Fatalf("after success: tokyo %s, osaka %s", mirrorView(s, "tokyo").Role, mirrorView(s, "osaka").Role)
	}
	if want := []string{EvRoomOpened, EvActionRequested, EvActionStarted}; fmt.Sprint(kindsAtRun) != fmt.Sprint(want) {
		t.Fatalf("journal when the executor started = %v, want %v", kindsAtRun, want)
	}
	var kinds []string
	for _, e := range j.events(t) {
		kinds = append(kinds, e.Kind)
	}
	want := []string{EvRoomOpened, EvActionRequested, EvActionStarted, EvActionOutput, EvActionSucceeded}
	if fmt.Sprint(kinds) != fmt.Sprint(want) {
		t.Fatalf("journal = %v, want %v", kinds, want)
	}
	last := s.Timeline[len(s.Timeline)-1]
	if !strings.Contains(last.Text, "failover tokyo → osaka succeeded") {
		t.Fatalf("timeline ends with %q", last.Text)
	}
}

func TestOneActionAtATimePerTarget(t *testing.T) {
	release := make(chan struct{})
	exec := &fakeExec{run: func(ctx context.Context, op actions.Op, out func(string)) (string, error) {
		<-release
		return "ok", nil
	}}
	h := actionRoom(t, actionConfig(), exec, &memJournal{}, nil)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var ids []string
	var refusals []error
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			id, err := h.act(Request{Kind: Failover, From: "tokyo", To: "osaka"})
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				refusals = append(refusals, err)
			} else {
				ids = append(ids, id)
			}
		}()
	}
	wg.Wait()
	if len(ids) != 1 || len(refusals) != 7 {
		t.Fatalf("%d started, %d refused; want exactly one to run", len(ids), len(refusals))
	}
	if msg := refusals[0].Error(); !strings.Contains(msg, "already running: started by li.wei at 03:00:00") {
		t.Fatalf("refusal does not say who and when: %q", msg)
	}
	close(release)
	h.waitAction(ids[0], ActionSucceeded)
	if n := exec.runs.Load(); n != 1 {
		t.Fatalf("executor ran %d times", n)
	}
}

func TestExecutorTimeoutAndHungExecutor(t *testing.T) {
	cfg := actionConfig()
	cfg.Actions.Executors[0].Timeout = 30 * time.Millisecond
	hung := make(chan struct{})
	defer close(hung)
	exec := &fakeExec{}
	h := actionRoom(t, cfg, exec, &memJournal{}, nil)

	exec.run = func(ctx context.Context, op actions.Op, out func(string)) (string, error) {
		<-ctx.Done()
		return "", fmt.Errorf("haproxy: %w", ctx.Err())
	}
	id, err := h.act(Request{Kind: Failover, From: "tokyo", To: "osaka"})
	if err != nil {
		t.Fatal(err)
	}
	if a := h.waitAction(id, ActionTimedOut, ActionFailed, ActionSucceeded); a.State != ActionTimedOut {
		t.Fatalf("state %s, want timed out (%s)", a.State, a.Err)
	}

	// An executor that ignores its context is abandoned, and the room goes on.
	exec.run = func(ctx context.Context, op actions.Op, out func(string)) (string, error) {
		<-hung
		return "", nil
	}
	id, err = h.act(Request{Kind: Failover, From: "tokyo", To: "osaka"})
	if err != nil {
		t.Fatal(err)
	}
	a := h.waitAction(id, ActionTimedOut, ActionFailed, ActionSucceeded)
	if a.State != ActionTimedOut || !strings.Contains(a.Err, "did not stop") {
		t.Fatalf("hung executor: state %s, err %q", a.State, a.Err)
	}
	if s := h.settle(); mirrorView(s, "tokyo").Role != "active" {
		t.Fatal("a timed-out failover moved the active marker")
	}
}

func TestRestartAfterCrashShowsOutcomeUnknown(t *testing.T) {
	j := &memJournal{}
	block := make(chan struct{})
	defer close(block)
	exec := &fakeExec{run: func(ctx context.Context, op actions.Op, out func(string)) (string, error) {
		out("half done")
		<-block
		return "", nil
	}}
	h := actionRoom(t, actionConfig(), exec, j, nil)
	id, err := h.act(Request{Kind: Failover, From: "tokyo", To: "osaka"})
	if err != nil {
		t.Fatal(err)
	}
	h.waitAction(id, ActionRunning)
	h.settle()

	// A new room from the same records: the process died mid-action.
	recs := j.records()
	j2 := &memJournal{}
	h2 := actionRoom(t, actionConfig(), &fakeExec{}, j2, recs)
	s := h2.settle()
	if len(s.Actions) != 1 || s.Actions[0].State != ActionUnknown {
		t.Fatalf("after restart: %+v", s.Actions)
	}
	if mirrorView(s, "tokyo").Role != "active" {
		t.Fatal("an action of unknown outcome moved the active marker")
	}
	evs := j2.events(t)
	if len(evs) == 0 || evs[0].Kind != EvActionUnknown || !strings.Contains(evs[0].Text, "outcome unknown — verify") {
		t.Fatalf("restart journal: %+v", evs)
	}
	// The lock is released: the team can act again.
	if _, err := h2.act(Request{Kind: Failover, From: "tokyo", To: "osaka"}); err != nil {
		t.Fatalf("after an unknown outcome, a new failover is refused: %v", err)
	}
}

func TestReadOnlyRefusesEverything(t *testing.T) {
	cfg := actionConfig()
	cfg.Actions.ReadOnly = true
	exec := &fakeExec{}
	h := actionRoom(t, cfg, exec, &memJournal{}, nil)
	for _, req := range []Request{{Kind: Failover, From: "tokyo", To: "osaka"}, {Kind: Rollback, Target: "web", Version: "v1"}} {
		if _, err := h.act(req); err == nil || !strings.Contains(err.Error(), "read-only") {
			t.Fatalf("%s in a read-only room: %v", req.Kind, err)
		}
	}
	if s := h.settle(); !s.ReadOnly || s.CanFailover || exec.runs.Load() != 0 {
		t.Fatalf("read-only snapshot %v, can failover %v, runs %d", s.ReadOnly, s.CanFailover, exec.runs.Load())
	}
}

func TestRollbackBatchesPauseOnFailure(t *testing.T) {
	exec := &fakeExec{}
	var batches []string
	exec.run = func(ctx context.Context, op actions.Op, out func(string)) (string, error) {
		b := strings.Join(op.Instances, ",")
		batches = append(batches, b)
		if b == "w2" && len(batches) == 2 {
			return "", errors.New("w2: health check failed")
		}
		return "deployed " + b, nil
	}
	h := actionRoom(t, actionConfig(), exec, &memJournal{}, nil)
	id, err := h.act(Request{Kind: Rollback, Target: "web", Version: "2026.11.20"})
	if err != nil {
		t.Fatal(err)
	}
	a := h.waitAction(id, ActionPaused, ActionSucceeded, ActionFailed)
	if a.State != ActionPaused || a.Batch != 2 || a.Batches != 3 || !strings.Contains(a.Err, "health check failed") {
		t.Fatalf("after the failing batch: %+v", a)
	}
	ctx := context.Background()
	if err := h.r.Decide(ctx, id, "retry", commander("chen.jing")); err != nil {
		t.Fatal(err)
	}
	a = h.waitAction(id, ActionSucceeded, ActionFailed)
	if a.State != ActionSucceeded {
		t.Fatalf("after retry: %+v", a)
	}
	if got := strings.Join(batches, " | "); got != "w1 | w2 | w2 | w3,w4" {
		t.Fatalf("batches run: %s", got)
	}
	// tokyo does not report the version yet: the room keeps watching.
	if len(a.Watching) != 1 || a.Watching[0] != "tokyo" || a.Verified {
		t.Fatalf("watch after rollback: %+v", a)
	}
	h.r.ObserveProbe(ok("tokyo", t0.Add(time.Second), mirrors.SyncInfo{Version: "2026.11.20"}))
	if a = h.waitAction(id, ActionSucceeded); !a.Verified {
		h.settle()
		a = h.r.Snapshot().Actions[0]
	}
	if !a.Verified {
		t.Fatalf("tokyo reports the version, but the rollback is not verified: %+v", a)
	}
}

func TestRollbackAbortAfterFailedBatch(t *testing.T) {
	exec := &fakeExec{run: func(ctx context.Context, op actions.Op, out func(string)) (string, error) {
		return "", errors.New("deploy tool exited 3")
	}}
	h := actionRoom(t, actionConfig(), exec, &memJournal{}, nil)
	id, err := h.act(Request{Kind: Rollback, Target: "web", Version: "v7"})
	if err != nil {
		t.Fatal(err)
	}
	h.waitAction(id, ActionPaused)
	if err := h.r.Decide(context.Background(), id, "abort", commander("chen.jing")); err != nil {
		t.Fatal(err)
	}
	a := h.waitAction(id, ActionFailed, ActionSucceeded)
	if a.State != ActionFailed || !strings.Contains(a.Err, "aborted after batch 1") || exec.runs.Load() != 1 {
		t.Fatalf("abort: %+v, runs %d", a, exec.runs.Load())
	}
}

func TestRuleProposesButDoesNotRun(t *testing.T) {
	cfg := actionConfig()
	cfg.Actions.Rules = []config.Rule{{Name: "active-down", When: config.WhenActiveDown, For: 30 * time.Second, Propose: Failover}}
	exec := &fakeExec{}
	h := actionRoom(t, cfg, exec, &memJournal{}, nil)
	at := t0
	for i := 0; i < 3; i++ {
		h.r.ObserveProbe(ok("osaka", at, mirrors.SyncInfo{}))
		h.r.ObserveProbe(ok("tokyo", at, mirrors.SyncInfo{}))
		at = at.Add(time.Second)
	}
	for i := 0; i < 3; i++ { // down after two failures
		h.r.ObserveProbe(fail("tokyo", at))
		at = at.Add(time.Second)
	}
	if s := h.settle(); len(s.Proposals) != 0 {
		t.Fatalf("proposal before the condition held for 30s: %+v", s.Proposals)
	}
	h.r.ObserveProbe(fail("tokyo", at.Add(40*time.Second)))
	s := h.settle()
	if len(s.Proposals) != 1 || s.Proposals[0].Request != (Request{Kind: Failover, From: "tokyo", To: "osaka", Rule: "active-down"}) {
		t.Fatalf("proposals: %+v", s.Proposals)
	}
	if exec.runs.Load() != 0 || len(s.Actions) != 0 {
		t.Fatal("a proposal ran without confirmation")
	}
	if err := h.r.Dismiss(context.Background(), "active-down", commander("li.wei")); err != nil {
		t.Fatal(err)
	}
	h.r.ObserveProbe(fail("tokyo", at.Add(50*time.Second)))
	if s := h.settle(); len(s.Proposals) != 0 {
		t.Fatal("dismissed proposal came back while its condition still holds")
	}
}

func TestAutoRuleRunsAndFailbackIsOffered(t *testing.T) {
	cfg := actionConfig()
	cfg.Actions.Rules = []config.Rule{{Name: "active-down", When: config.WhenActiveDown, For: 10 * time.Second, Propose: Failover, Auto: true}}
	exec := &fakeExec{}
	h := actionRoom(t, cfg, exec, &memJournal{}, nil)
	beacon := t0.Add(-time.Minute)
	sync := mirrors.SyncInfo{Beacon: beacon, Serial: 7}
	at := t0
	for i := 0; i < 2; i++ {
		h.r.ObserveProbe(ok("origin", at, sync))
		h.r.ObserveProbe(ok("osaka", at, sync))
		h.r.ObserveProbe(ok("tokyo", at, sync))
		at = at.Add(time.Second)
	}
	for i := 0; i < 2; i++ {
		h.r.ObserveProbe(fail("tokyo", at))
		at = at.Add(time.Second)
	}
	h.r.ObserveProbe(fail("tokyo", at.Add(15*time.Second)))
	h.settle()
	s := h.r.Snapshot()
	if len(s.Actions) != 1 {
		t.Fatalf("auto rule did not act: %+v", s.Actions)
	}
	a := h.waitAction(s.Actions[0].ID, ActionSucceeded)
	if a.RequestedBy != "rule active-down" {
		t.Fatalf("requested by %q", a.RequestedBy)
	}
	if s := h.settle(); s.Failback != nil {
		t.Fatalf("failback offered while tokyo is down: %+v", s.Failback)
	}
	// Answering again with its outage's failures in the error window:
	// degraded, and failback waits.
	at = at.Add(20 * time.Second)
	for i := 0; i < 2; i++ {
		h.r.ObserveProbe(ok("tokyo", at, sync))
		at = at.Add(time.Second)
	}
	s = h.settle()
	if s.Failback != nil || !strings.Contains(s.FailbackWait, "failback to tokyo not offered yet: error rate") {
		t.Fatalf("failback offered to a mirror over its error threshold: %+v, wait %q", s.Failback, s.FailbackWait)
	}
	// Healthy from the probe that takes its last failure out of the
	// window; offered once that lasted the settle period, not a probe sooner.
	settle := cfg.Actions.FailbackSettle
	var readyAt time.Time
	for s.Failback == nil {
		h.r.ObserveProbe(ok("tokyo", at, sync))
		s = h.settle()
		if readyAt.IsZero() && mirrorView(s, "tokyo").State == StateUp {
			readyAt = at
		}
		if s.Failback == nil && !readyAt.IsZero() && at.Sub(readyAt) >= settle {
			t.Fatalf("no failback offer %s after tokyo was ready: %q", at.Sub(readyAt), s.FailbackWait)
		}
		if s.Failback != nil && (readyAt.IsZero() || at.Sub(readyAt) < settle) {
			t.Fatalf("failback offered %s after tokyo was ready, before the %s settle period", at.Sub(readyAt), settle)
		}
		at = at.Add(time.Second)
	}
	if s.Failback.Request != (Request{Kind: Failback, From: "osaka", To: "tokyo"}) || !strings.Contains(s.Failback.Reason, "healthy and caught up for over 2m0s") {
		t.Fatalf("failback offer: %+v", s.Failback)
	}
	id, err := h.act(s.Failback.Request)
	if err != nil {
		t.Fatal(err)
	}
	h.waitAction(id, ActionSucceeded)
	if s := h.settle(); mirrorView(s, "tokyo").Role != "active" || s.Failback != nil {
		t.Fatalf("after failback: tokyo %s, offer %+v", mirrorView(s, "tokyo").Role, s.Failback)
	}
}

func TestRankHealthyFirstThenLagWithWarnings(t *testing.T) {
	mv := func(name, region string, st State, lag time.Duration, lat time.Duration) *MirrorView {
		return &MirrorView{Name: name, Region: region, Role: "backup", State: st, Lag: lag, LagKnown: true, Latency: lat}
	}
	failing := mv("tokyo", "ap", StateDown, 2*time.Minute, 0)
	failing.Role = "active"
	s := &Snapshot{Mirrors: []*MirrorView{
		failing,
		mv("dead", "eu", StateDown, 0, 0),
		mv("stale", "us", StateUp, 10*time.Minute, 5*time.Millisecond),
		mv("osaka", "ap", StateUp, time.Minute, 30*time.Millisecond),
		mv("fresh", "eu", StateUp, time.Minute, 10*time.Millisecond),
		mv("slow", "eu", StateDegraded, 0, 0),
	}}
	var names []string
	for _, c := range Rank(s, "tokyo") {
		names = append(names, c.Mirror.Name)
	}
	if got := strings.Join(names, " "); got != "fresh osaka stale slow dead" {
		t.Fatalf("rank = %s", got)
	}
	c := Rank(s, "tokyo")
	if !strings.Contains(strings.Join(c[2].Warnings, ";"), "staler than tokyo: 10m0s behind vs 2m0s") {
		t.Fatalf("stale warning missing: %v", c[2].Warnings)
	}
	if !strings.Contains(strings.Join(c[1].Warnings, ";"), "same region as tokyo") {
		t.Fatalf("shared-region warning missing: %v", c[1].Warnings)
	}
	if c[0].RPO != time.Minute || !c[0].RPOKnown {
		t.Fatalf("RPO = %v", c[0].RPO)
	}
}
