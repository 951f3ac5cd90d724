package drill

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"warroom/backends/config"
	"warroom/backends/hosts"
	"warroom/backends/mirrors"
	"warroom/backends/notify"
	"warroom/backends/notify/notifytest"
)

// filterFleet: two regions, three mirrors.
func filterFleet() map[string]string {
	return map[string]string{"madrid": "eu-west", "lisbon": "eu-west", "tokyo": "ap-east"}
}

// healthy is a probe that read everything: the origin's state at serial 7.
func healthy(mirror string) mirrors.Observation {
	return mirrors.Observation{Mirror: mirror, Start: t0, Latency: 20 * time.Millisecond, Status: 200,
		Sync: mirrors.SyncInfo{Beacon: t0.Add(-time.Minute), Serial: 7, Manifest: "abc123"}}
}

// position is where the room would place the mirror against the origin,
// which is a minute ahead at the same serial.
func position(o mirrors.Observation) mirrors.Position {
	origin := mirrors.SyncInfo{Beacon: t0, Serial: 7, Manifest: "abc123"}
	return mirrors.Compare(origin, nil, o.Sync)
}

func mustInject(t *testing.T, inj Injector, f Fault) func() {
	t.Helper()
	remove, err := inj.Inject(f)
	if err != nil {
		t.Fatalf("Inject %s: %v", f.Kind, err)
	}
	return remove
}

func TestFilterMirrorDownAndRegionDown(t *testing.T) {
	f := NewFilter(FilterOptions{Fleet: filterFleet()})
	remove := mustInject(t, f, Fault{Kind: KindMirrorDown, Mirror: "madrid"})
	o := f.Probe(healthy("madrid"))
	if o.OK() || o.Err != ReasonDown || o.Status != 0 || o.Sync.Err == "" || !o.Start.Equal(t0) {
		t.Errorf("madrid while down: %+v, want a failed probe with reason %q at the same start", o, ReasonDown)
	}
	if got := f.Probe(healthy("lisbon")); got != healthy("lisbon") {
		t.Errorf("lisbon was rewritten: %+v", got)
	}
	remove()
	if got := f.Probe(healthy("madrid")); got != healthy("madrid") {
		t.Errorf("madrid after removal: %+v", got)
	}

	// A region without Fault.Mirrors: the filter expands it from its fleet.
	remove = mustInject(t, f, Fault{Kind: KindRegionDown, Region: "eu-west"})
	for _, m := range []string{"madrid", "lisbon"} {
		if o := f.Probe(healthy(m)); o.OK() || !strings.Contains(o.Err, "eu-west") || !strings.HasPrefix(o.Err, ReasonDown) {
			t.Errorf("%s in the downed region: %q, want %q naming the region", m, o.Err, ReasonDown)
		}
	}
	if o := f.Probe(healthy("tokyo")); !o.OK() {
		t.Errorf("tokyo, in another region, failed: %q", o.Err)
	}
	remove()
	remove() // twice: nothing more
	if f.Applied() != 0 {
		t.Errorf("Applied() = %d after removal", f.Applied())
	}
}

func TestFilterFlappingFollowsItsClock(t *testing.T) {
	clock := clockwork.NewFakeClockAt(t0)
	f := NewFilter(FilterOptions{Clock: clock})
	defer mustInject(t, f, Fault{Kind: KindFlapping, Mirrors: []string{"madrid"}, Period: 10 * time.Second})()
	for _, step := range []struct {
		at   time.Duration
		down bool
	}{{0, false}, {9 * time.Second, false}, {10 * time.Second, true}, {19 * time.Second, true}, {20 * time.Second, false}, {35 * time.Second, true}} {
		clock.Advance(step.at - clock.Since(t0))
		if o := f.Probe(healthy("madrid")); o.OK() == step.down || (step.down && o.Err != ReasonFlapping) {
			t.Errorf("at %v: ok=%v err=%q, want down=%v", step.at, o.OK(), o.Err, step.down)
		}
	}
}

func TestFilterSlowAddsLatencyAndTimesOut(t *testing.T) {
	f := NewFilter(FilterOptions{Timeouts: map[string]time.Duration{"tokyo": time.Second}})
	remove := mustInject(t, f, Fault{Kind: KindSlow, Mirrors: []string{"madrid", "tokyo"}, Delay: 1500 * time.Millisecond})
	if o := f.Probe(healthy("madrid")); !o.OK() || o.Latency != 1520*time.Millisecond {
		t.Errorf("madrid slowed: ok=%v latency %v, want 1.52s and still answering", o.OK(), o.Latency)
	}
	if o := f.Probe(healthy("tokyo")); o.OK() || !strings.Contains(o.Err, "timeout after 1s") || !strings.HasPrefix(o.Err, "drill:") {
		t.Errorf("tokyo slowed past its 1s timeout: %q, want a drill timeout", o.Err)
	}
	// A mirror failing on its own keeps its own reason.
	own := healthy("madrid")
	own.Err, own.Status = "got status 503", 503
	if o := f.Probe(own); o.Err != "got status 503" {
		t.Errorf("a real failure under a slow fault reads %q", o.Err)
	}
	remove()
}

func TestFilterLagAndDriftAsTheRoomComparesThem(t *testing.T) {
	f := NewFilter(FilterOptions{})
	before := position(healthy("madrid"))
	if before.Drift || before.Lag != time.Minute {
		t.Fatalf("test setup: %+v", before)
	}
	removeLag := mustInject(t, f, Fault{Kind: KindLag, Mirror: "madrid", Behind: 30 * time.Minute})
	removeDrift := mustInject(t, f, Fault{Kind: KindDrift, Mirror: "madrid"})
	p := position(f.Probe(healthy("madrid")))
	if p.Lag != 31*time.Minute || !p.Drift {
		t.Errorf("lag+drift: %+v, want lag 31m and drift", p)
	}
	removeLag()
	if p := position(f.Probe(healthy("madrid"))); p.Lag != time.Minute || !p.Drift {
		t.Errorf("drift only: %+v", p)
	}
	removeDrift()
	if p := position(f.Probe(healthy("madrid"))); p != before {
		t.Errorf("after removal: %+v, want %+v", p, before)
	}
}

func TestFilterHostPressure(t *testing.T) {
	f := NewFilter(FilterOptions{})
	var got []hosts.Sample
	sink := f.Hosts(func(s hosts.Sample) { got = append(got, s) })
	s := hosts.Sample{Host: "local", CPUPercent: 12, MemPercent: 40, MemUsed: 4 << 30, MemTotal: 10 << 30}
	removeMem := mustInject(t, f, Fault{Kind: KindHostMemory, Percent: 96})
	removeCPU := mustInject(t, f, Fault{Kind: KindHostCPU, Percent: 80})
	removeCPU2 := mustInject(t, f, Fault{Kind: KindHostCPU, Percent: 95})
	sink(s)
	removeCPU2()
	removeMem()
	sink(s)
	removeCPU()
	sink(s)
	if g := got[0]; g.CPUPercent != 95 || g.MemPercent != 96 || g.MemUsed != uint64(float64(s.MemTotal)*0.96) {
		t.Errorf("under pressure: cpu %v mem %v used %d, want 95, 96 and used to match", g.CPUPercent, g.MemPercent, g.MemUsed)
	}
	if g := got[1]; g.CPUPercent != 80 || g.MemPercent != 40 {
		t.Errorf("cpu only: cpu %v mem %v, want 80 and the real 40", g.CPUPercent, g.MemPercent)
	}
	if got[2] != s {
		t.Errorf("after removal: %+v, want the sample untouched", got[2])
	}
}

// TestFilterWebhookFailureIsRetriedThenSent drives a real dispatcher and a
// real Slack stand-in: while the fault is on, the post fails with the
// drill's retryable error and nothing reaches Slack; once it is removed,
// the retry goes through.
func TestFilterWebhookFailureIsRetriedThenSent(t *testing.T) {
	clock := clockwork.NewFakeClockAt(t0)
	slack := notifytest.StartSlack(t)
	hook := notifytest.StartWebhook(t)
	mk := func(name, kind, url string) notify.Channel {
		ch, err := notify.New(config.Channel{Name: name, Kind: kind, URL: url}, notify.Options{Clock: clock})
		if err != nil {
			t.Fatal(err)
		}
		return ch
	}
	f := NewFilter(FilterOptions{Clock: clock})
	chs := f.Channels([]notify.Channel{mk("ops-slack", config.ChannelSlack, slack.URL()), mk("ops-hook", config.ChannelWebhook, hook.URL())})
	remove := mustInject(t, f, Fault{Kind: KindWebhookFail, Channel: "ops-slack"})
	if w := strings.Join(chs[0].Warnings(notify.Post{Title: "t", Text: "x"}), "; "); !strings.Contains(w, WebhookFailure) {
		t.Errorf("the preview of a failing channel does not warn: %q", w)
	}

	reports := make(chan notify.Report, 16)
	d := notify.NewDispatcher(chs, notify.DispatchOptions{Clock: clock, Backoff: time.Second,
		Report: func(r notify.Report) error { reports <- r; return nil }})
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan struct{})
	go func() { _ = d.Run(ctx); close(ran) }()
	defer func() { cancel(); <-ran }()

	next := func(want string) notify.Report {
		t.Helper()
		for {
			select {
			case r := <-reports:
				if r.State == want {
					return r
				}
				if r.State != notify.StateSending {
					t.Fatalf("post %s on %s: %s (%s), want %s", r.PostID, r.Channel, r.State, r.Err, want)
				}
			case <-time.After(10 * time.Second):
				t.Fatalf("no %q report", want)
			}
		}
	}
	if err := d.Enqueue("ops-hook", notify.Post{ID: "p-0", Title: "other", Text: "x"}); err != nil {
		t.Fatal(err)
	}
	if r := next(notify.StateSent); r.Channel != "ops-hook" {
		t.Fatalf("sent on %s, want ops-hook (the fault names only ops-slack)", r.Channel)
	}
	if err := d.Enqueue("ops-slack", notify.Post{ID: "p-1", Title: "Mirrors down", Text: "We are on it."}); err != nil {
		t.Fatal(err)
	}
	r := next(notify.StateRetrying)
	if !strings.Contains(r.Err, WebhookFailure) || len(slack.Posts()) != 0 {
		t.Fatalf("while failing: %q with %d posts at Slack, want the drill's error and none", r.Err, len(slack.Posts()))
	}
	remove()
	waitCtx, stopWait := context.WithTimeout(context.Background(), 10*time.Second)
	defer stopWait()
	if err := clock.BlockUntilContext(waitCtx, 1); err != nil { // the worker's retry timer
		t.Fatal(err)
	}
	clock.Advance(2 * time.Second) // past the jittered 1 s backoff
	next(notify.StateSent)
	if n := len(slack.Posts()); n != 1 {
		t.Errorf("%d posts at Slack after the fault, want 1", n)
	}
}

func TestFilterRefusesWhatItCannotShow(t *testing.T) {
	f := NewFilter(FilterOptions{Fleet: filterFleet()})
	for _, c := range []struct {
		fault Fault
		want  string
	}{
		{Fault{Kind: KindMirrorDown, Mirror: "atlantis", Line: 9}, `no mirror "atlantis"`},
		{Fault{Kind: KindRegionDown, Region: "mars", Line: 9}, `region "mars"`},
		{Fault{Kind: KindHostCPU, Percent: 130, Line: 9}, "percent 130"},
		{Fault{Kind: KindWebhookFail, Line: 9}, "no announcement channel"},
		{Fault{Kind: "meteor", Line: 9}, `"meteor"`},
	} {
		remove, err := f.Inject(c.fault)
		if err == nil || remove != nil || !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), "line 9") {
			t.Errorf("%s: %v, want an error with %q and the line", c.fault.Kind, err, c.want)
		}
	}
	f.Channel(fakeChannel{"ops"})
	if _, err := f.Inject(Fault{Kind: KindWebhookFail, Channel: "pager"}); err == nil || !strings.Contains(err.Error(), "ops") {
		t.Errorf("unknown channel: %v, want an error listing ops", err)
	}
	if f.Applied() != 0 {
		t.Errorf("refused faults were applied: %d", f.Applied())
	}
}

// TestFilterConcurrentProbes: the scheduler's goroutines filter while the
// runner applies and removes faults (run with -race).
func TestFilterConcurrentProbes(t *testing.T) {
	f := NewFilter(FilterOptions{})
	var wg sync.WaitGroup
	var seen sync.Map
	sink := f.Probes(func(o mirrors.Observation) { seen.Store(o.Err, true) })
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 200 {
				sink(healthy("madrid"))
			}
		}()
	}
	for range 50 {
		mustInject(t, f, Fault{Kind: KindMirrorDown, Mirror: "madrid"})()
	}
	remove := mustInject(t, f, Fault{Kind: KindMirrorDown, Mirror: "madrid"})
	sink(healthy("madrid"))
	remove()
	wg.Wait()
	if _, ok := seen.Load(ReasonDown); !ok {
		t.Error("no probe was seen down while the fault was applied")
	}
}

// TestFilterUnderARunnerLeavesNothing: a drill of every kind, on the
// runner's fake clock, applies each fault at its time and, stopped
// half-way, leaves the filter with nothing applied.
func TestFilterUnderARunnerLeavesNothing(t *testing.T) {
	s := mustParse(t, `name: all
duration: 10m
goals: {detect: 1m}
faults:
  - {kind: region-down, region: eu-west, for: 2m}
  - {kind: slow, mirror: tokyo, delay: 2s, at: 1m}
  - {kind: lag, mirror: tokyo, behind: 1h, at: 1m}
  - {kind: drift, mirror: tokyo, at: 1m}
  - {kind: flapping, mirror: lisbon, at: 3m}
  - {kind: host-cpu, percent: 99, at: 1m}
  - {kind: host-memory, percent: 97, at: 1m}
  - {kind: webhook-fail, at: 1m}
`)
	clock := clockwork.NewFakeClockAt(t0)
	f := NewFilter(FilterOptions{Clock: clock})
	f.Channel(fakeChannel{"ops"})
	r, err := Start(context.Background(), s, Compose(f), clock, WithFleet(filterFleet()))
	if err != nil {
		t.Fatal(err)
	}
	settle(t, clock, r)
	if f.Applied() != 1 || f.Probe(healthy("lisbon")).OK() {
		t.Fatalf("at 0: %d applied, lisbon ok=%v; want the region down", f.Applied(), f.Probe(healthy("lisbon")).OK())
	}
	clock.Advance(time.Minute)
	settle(t, clock, r)
	if f.Applied() != 7 || !f.failing("ops") || f.Host(hosts.Sample{}).CPUPercent != 99 {
		t.Fatalf("at 1m: %d applied, want 7 with the webhooks failing and the CPU at 99", f.Applied())
	}
	r.Stop("stopped by test")
	if f.Applied() != 0 || f.failing("ops") || !f.Probe(healthy("madrid")).OK() {
		t.Fatalf("after Stop: %d faults still applied", f.Applied())
	}
}

// fakeChannel is a channel that accepts every post.
type fakeChannel struct{ name string }

func (c fakeChannel) Name() string                            { return c.name }
func (c fakeChannel) Kind() string                            { return "webhook" }
func (c fakeChannel) Target() string                          { return "http://example.invalid/" }
func (c fakeChannel) Payload(notify.Post) ([]byte, error)     { return []byte("{}"), nil }
func (c fakeChannel) Warnings(notify.Post) []string           { return nil }
func (c fakeChannel) Send(context.Context, notify.Post) error { return nil }
