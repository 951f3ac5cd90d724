package room

import (
	"context"
	"fmt"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"warroom/backends/actions"
	"warroom/backends/config"
	"warroom/backends/drill"
	"warroom/backends/hosts"
	"warroom/backends/mirrors"
	"warroom/backends/notify"
	"warroom/backends/sim"
	"warroom/examples/drills"
)

// step is how far both clocks move between the world's observations.
const step = 5 * time.Second

// demoConfig is the demo's fleet (8 mirrors, seed 1, asked of the
// simulator so a change of its naming breaks this test, not the demo) with
// madrid serving, a rollback target and a drill channel.
func demoConfig(t *testing.T) (*config.Config, map[string]string) {
	t.Helper()
	f, err := sim.Start(sim.Options{Mirrors: 8, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	fleet := map[string]string{}
	for _, m := range f.Mirrors() {
		fleet[m.Name] = m.Region
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(fleet))
	for n := range fleet {
		names = append(names, n)
	}
	sort.Strings(names)
	cfg := config.Default()
	cfg.Site = "demo"
	mk := func(name, region, role string) config.Mirror {
		u, _ := url.Parse("http://" + name + ".invalid/")
		return config.Mirror{Name: name, URL: u, Region: region, Role: role,
			Health: config.Health{Interval: step, Timeout: time.Second, FailAfter: 2, RecoverAfter: 2}}
	}
	cfg.Origin = mk("origin", "", "origin")
	for _, n := range names {
		role := "backup"
		if n == "madrid" {
			role = "active"
		}
		cfg.Mirrors = append(cfg.Mirrors, mk(n, fleet[n], role))
	}
	cfg.Actions.Failover = "edge"
	cfg.Actions.Executors = []config.Executor{{Name: "edge", Timeout: time.Second, HAProxy: &config.HAProxyExecutor{}},
		{Name: "deploy", Timeout: time.Second, Exec: &config.ExecExecutor{}}}
	cfg.Actions.Rollback = []config.RollbackTarget{{Name: "release", Executor: "deploy", Instances: []string{"w1"}}}
	cfg.Notify.Channels = []config.Channel{{Name: "status", Kind: "slack", Public: true}, {Name: "rehearsal", Kind: "webhook", Drill: true}}
	cfg.ApplyDefaults()
	return &cfg, fleet
}

// appliedFault is one fault the world shows now.
type appliedFault struct {
	fault drill.Fault
	at    time.Time
}

// worldInjector applies faults to the scripted world below.
type worldInjector struct {
	clock clockwork.Clock
	inj   *fakeInjector
	mu    sync.Mutex
	now   []appliedFault
}

func (w *worldInjector) Inject(f drill.Fault) (func(), error) {
	remove, err := w.inj.Inject(f)
	if err != nil {
		return nil, err
	}
	w.mu.Lock()
	a := appliedFault{fault: f, at: w.clock.Now()}
	w.now = append(w.now, a)
	w.mu.Unlock()
	return func() {
		w.mu.Lock()
		for i := range w.now {
			if w.now[i].fault.Line == f.Line {
				w.now = append(w.now[:i], w.now[i+1:]...)
				break
			}
		}
		w.mu.Unlock()
		remove()
	}, nil
}

func (w *worldInjector) faults() []appliedFault {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]appliedFault(nil), w.now...)
}

// observe feeds the room what the probes and the host sampler would see
// with the applied faults, and delivers the posts no webhook fault holds.
func (w *worldInjector) observe(r *Room, cfg *config.Config, now time.Time) (webhooksDown bool) {
	down, slow, drift := map[string]bool{}, map[string]time.Duration{}, map[string]bool{}
	cpu, mem := 20.0, 40.0
	for _, a := range w.faults() {
		f := a.fault
		for _, m := range f.Mirrors {
			switch f.Kind {
			case drill.KindMirrorDown, drill.KindRegionDown:
				down[m] = true
			case drill.KindFlapping:
				if int(now.Sub(a.at)/f.Period)%2 == 1 {
					down[m] = true
				}
			case drill.KindSlow:
				slow[m] = f.Delay
			case drill.KindDrift:
				drift[m] = true
			}
		}
		switch f.Kind {
		case drill.KindHostCPU:
			cpu = f.Percent
		case drill.KindHostMemory:
			mem = f.Percent
		case drill.KindWebhookFail:
			webhooksDown = true
		}
	}
	serial := int64(2026112100)
	r.ObserveProbe(ok("origin", now, mirrors.SyncInfo{Beacon: now, Serial: serial, Manifest: "good"}))
	for _, m := range cfg.Mirrors {
		if down[m.Name] {
			r.ObserveProbe(fail(m.Name, now))
			continue
		}
		o := ok(m.Name, now, mirrors.SyncInfo{Beacon: now.Add(-30 * time.Second), Serial: serial, Manifest: "good"})
		o.Latency += slow[m.Name]
		if drift[m.Name] {
			o.Sync.Manifest = "drifted"
		}
		r.ObserveProbe(o)
	}
	r.ObserveHost(hosts.Sample{Host: "local", At: now, CPUPercent: cpu, MemPercent: mem, DiskPercent: 50, DiskPath: "/"})
	return webhooksDown
}

// team is a drilled response: acknowledge what alerts after 20 s, fail over
// or roll back once an alert is a minute old, announce at the same time,
// each once.
type team struct {
	sc         *drill.Scenario
	acted      bool
	announced  []string
	delivered  bool
	firstAlert time.Time
}

func (tm *team) respond(t *testing.T, h *harness, w *worldInjector, webhooksDown bool, now time.Time) {
	t.Helper()
	ctx := context.Background()
	s := h.settle()
	for _, a := range s.Alerts {
		if tm.firstAlert.IsZero() || a.Raised.Before(tm.firstAlert) {
			tm.firstAlert = a.Raised
		}
		if !a.Acked && now.Sub(a.Raised) >= 20*time.Second {
			if err := h.r.Ack(ctx, a.ID, operator("bo")); err != nil {
				t.Fatalf("ack %s: %v", a.ID, err)
			}
		}
	}
	if tm.firstAlert.IsZero() || now.Sub(tm.firstAlert) < time.Minute {
		return
	}
	if !tm.acted {
		tm.acted = true
		for _, g := range tm.sc.Goals {
			switch g.Name {
			case drill.GoalFailover:
				tm.act(t, h, Request{Kind: Failover, From: "madrid", To: tm.healthy(s, w)})
			case drill.GoalRollback:
				tm.act(t, h, Request{Kind: Rollback, Target: "release", Version: "2026.11.1"})
			}
		}
	}
	if tm.announced == nil {
		ids, err := h.r.Announce(ctx, Announcement{Template: "investigating", Phase: "investigating", Title: "Mirrors degraded",
			Text: "We are investigating.", Channels: []string{"status"}}, comms("cy"))
		if err != nil {
			t.Fatalf("announce: %v", err)
		}
		tm.announced = ids
	}
	if !tm.delivered && !webhooksDown {
		tm.delivered = true
		for _, id := range tm.announced {
			h.r.PostReport(notify.Report{PostID: id, Channel: "rehearsal", State: notify.StateSent, Attempt: 1})
		}
	}
}

func (tm *team) act(t *testing.T, h *harness, req Request) {
	t.Helper()
	id, err := h.r.Act(context.Background(), req, commander("ana"))
	if err != nil {
		t.Fatalf("%s: %v", req.String(), err)
	}
	h.waitAction(id, ActionSucceeded)
}

// healthy is a backup that is up and untouched by the drill.
func (tm *team) healthy(s *Snapshot, w *worldInjector) string {
	touched := map[string]bool{}
	for _, a := range w.faults() {
		for _, m := range a.fault.Mirrors {
			touched[m] = true
		}
	}
	for _, m := range s.Mirrors {
		if m.Role == "backup" && m.State == StateUp && !touched[m.Name] {
			return m.Name
		}
	}
	return ""
}

// TestShippedDrillsScoreInTheRoom runs every shipped scenario through the
// room at full speed on fake clocks: a scripted world turns the applied
// faults into probe results and host samples, and a drilled team
// acknowledges, fails over or rolls back (dry) and announces (to the drill
// channel). Each drill ends with every goal met, nothing left applied and
// its incident closed.
func TestShippedDrillsScoreInTheRoom(t *testing.T) {
	cfg, fleet := demoConfig(t)
	for _, name := range drills.Names() {
		t.Run(name, func(t *testing.T) {
			sc, err := drills.Load(name)
			if err != nil {
				t.Fatal(err)
			}
			drillClock := clockwork.NewFakeClockAt(t0)
			w := &worldInjector{clock: drillClock, inj: newInjector()}
			exec := &fakeExec{}
			j := &memJournal{}
			h := startRoom(t, Options{Config: cfg, Journal: j, Outbox: &memOutbox{}, HungGrace: 20 * time.Millisecond,
				Executors: map[string]actions.Executor{"edge": exec, "deploy": exec},
				Drills:    DrillOptions{Injector: w, Fleet: fleet, Clock: drillClock}})
			// A healthy fleet first: every mirror up, baselines known.
			for i := 0; i < 3; i++ {
				now := t0.Add(time.Duration(i-3) * step)
				w.observe(h.r, cfg, now)
			}
			h.settle()
			if err := h.r.StartDrill(context.Background(), sc, drills.File(name), commander("ana")); err != nil {
				t.Fatal(err)
			}
			ended := watchEnded(t, h)
			tm := &team{sc: sc}
			for i := 0; ; i++ {
				if i > int(sc.Duration/step)+2 {
					t.Fatalf("the drill did not end by its time limit: %+v", h.r.Snapshot().Drill)
				}
				select {
				case <-ended:
				default:
					now := drillClock.Now()
					webhooksDown := w.observe(h.r, cfg, now)
					tm.respond(t, h, w, webhooksDown, now)
					h.clock.Advance(step)
					drillClock.Advance(step)
					waitIdle(t, drillClock, ended)
					continue
				}
				break
			}
			s := h.settle()
			d := s.Drill
			if d == nil || !d.Ended || d.Scorecard == nil {
				t.Fatalf("no scorecard: %+v", d)
			}
			if d.Reason != drill.EndGoalsMet {
				t.Errorf("ended %q, want %q:\n%s", d.Reason, drill.EndGoalsMet, d.Scorecard.Markdown())
			}
			if got := w.inj.now(); len(got) != 0 {
				t.Errorf("faults left applied: %v", got)
			}
			if s.Incident != nil {
				t.Errorf("drill incident left open: %+v", s.Incident)
			}
			if exec.runs.Load() != 0 || mirrorView(s, "madrid").Role != "active" {
				t.Errorf("not live, yet the executor ran %d times (madrid %s)", exec.runs.Load(), mirrorView(s, "madrid").Role)
			}
			applied, removed := count(j.events(t), EvDrillFault, "state", "applied"), count(j.events(t), EvDrillFault, "state", "removed")
			if applied != len(sc.Faults) || removed != len(sc.Faults) {
				t.Errorf("drill.fault: %d applied, %d removed, want %d each", applied, removed, len(sc.Faults))
			}
			var lines []string
			for _, g := range d.Scorecard.Goals {
				lines = append(lines, fmt.Sprintf("%s %s/%s", g.Name, drill.Short(g.Achieved), drill.Short(g.Target)))
			}
			t.Logf("%s: %s", name, strings.Join(lines, ", "))
		})
	}
}

// watchEnded closes its channel once a snapshot shows the drill ended.
func watchEnded(t *testing.T, h *harness) <-chan struct{} {
	sub := h.r.Subscribe()
	ended := make(chan struct{})
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop); sub.Close() })
	go func() {
		for {
			select {
			case s := <-sub.C():
				if s.Drill != nil && s.Drill.Ended {
					close(ended)
					return
				}
			case <-stop:
				return
			}
		}
	}()
	return ended
}

// waitIdle waits until the drill's runner waits on its clock again (it has
// done what was due), or the drill ended.
func waitIdle(t *testing.T, clock *clockwork.FakeClock, ended <-chan struct{}) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	idle := make(chan error, 1)
	go func() { idle <- clock.BlockUntilContext(ctx, 1) }()
	select {
	case err := <-idle:
		if err != nil {
			t.Fatalf("drill runner never went idle: %v", err)
		}
	case <-ended:
	}
}
