package main

import (
	"context"
	"fmt"
	"io"
	"math/rand"
	"runtime"
	"slices"
	"sort"
	"strings"
	"time"

	"warroom/backends/notify/notifytest"
	"warroom/backends/room"
	"warroom/backends/sim"
	"warroom/cmd/internal/procstat"
)

// Probes of the storm: 200 mirrors every 2 s is 100 probes a second.
const stormProbes = "interval: 2s, timeout: 1s, fail_after: 2, recover_after: 1"

// stormReceivers are the storm's channels: PagerDuty and Slack stand-ins.
var stormReceivers = []string{"pd", "chat"}

type stormResult struct {
	raised      int // mirror-down alerts raised in the storm
	perReceiver map[string]*receiverStats
	lost        int // raised alerts some receiver's messages never listed
	lostIDs     []string
	short       int // raised and cleared within group_wait of a quiet group: never paged, by design
	unsent      int
	baseCPU     time.Duration
	baseWall    time.Duration
	stormCPU    time.Duration
	stormWall   time.Duration
	outage      time.Duration
}

type receiverStats struct {
	messages int            // accepted at the stand-in
	actions  map[string]int // by pager action or post phase
	largest  int            // bytes of the largest body
	lost     int
	queued   int
}

// outage is one mirror down from at for the storm's outage length.
type outage struct {
	at     time.Duration
	mirror int
}

// stormPlan spreads n outages evenly over the window with seeded jitter,
// each on the next mirror of a shuffled order, so no mirror fails more
// than ceil(n/mirrors) times (fewer changes than flapping needs).
func stormPlan(n, mirrors int, window time.Duration, seed int64) []outage {
	rng := rand.New(rand.NewSource(seed))
	order := rng.Perm(mirrors)
	step := window / time.Duration(n)
	out := make([]outage, n)
	for k := range out {
		out[k] = outage{at: time.Duration(k)*step + time.Duration(rng.Int63n(int64(step))), mirror: order[k%mirrors]}
	}
	return out
}

// A storm's outage lasts at least minOutage (two failed 2 s probes, with
// room to spare), and a mirror that fails again is up for at least
// minUptime before it does (a probe to see it back, or its two outages
// would be one alert).
const (
	minOutage = 7 * time.Second
	minUptime = 4 * time.Second
)

// outageLength is how long each mirror stays down: half its turn, from
// minOutage to 20 s, but never so long that a mirror failing twice is up
// for less than minUptime in between. Outages on one mirror are mirrors
// places apart in stormPlan, so at least mirrors-1 steps.
func outageLength(o options) time.Duration {
	turn := o.window * time.Duration(o.mirrors) / time.Duration(o.alerts)
	d := min(20*time.Second, max(turn/2, minOutage))
	if o.alerts > o.mirrors {
		d = min(d, turn-o.window/time.Duration(o.alerts)-minUptime)
	}
	return d
}

func measureStorm(ctx context.Context, o options, dir string) (*stormResult, error) {
	f, err := sim.Start(sim.Options{Mirrors: o.mirrors, Seed: 7, SyncEvery: time.Hour})
	if err != nil {
		return nil, err
	}
	defer f.Close()
	recv := map[string]*notifytest.Receiver{}
	for name, kind := range map[string]string{"pd": notifytest.KindPager, "chat": notifytest.KindSlack} {
		r, err := notifytest.New(kind, notifytest.Options{Enforce: true})
		if err != nil {
			return nil, err
		}
		defer r.Close()
		recv[name] = r
	}
	channels := pagerChannel(recv["pd"].URL(), recv["pd"].RoutingKey()) +
		fmt.Sprintf("    - {name: chat, kind: slack, url: %q}\n", recv["chat"].URL())
	route := fmt.Sprintf("receivers: [pd, chat], group_wait: %s, group_interval: %s", o.stormWait, o.interval)
	srv, err := startServer(ctx, o.bin, dir, roomConfig(f, dir, stormProbes, channels, route))
	if err != nil {
		return nil, err
	}
	defer srv.stop()
	res := &stormResult{perReceiver: map[string]*receiverStats{}, outage: outageLength(o)}
	if res.baseCPU, res.baseWall, err = cpuOver(ctx, srv, func() error { return sleepCtx(ctx, o.baseline) }); err != nil {
		return nil, err
	}
	start := time.Now()
	res.stormCPU, res.stormWall, err = cpuOver(ctx, srv, func() error { return runOutages(ctx, f.Mirrors(), o, res.outage) })
	if err != nil {
		return nil, err
	}
	if err := drain(ctx, srv, o); err != nil {
		return nil, err
	}
	evs, err := srv.events()
	if err != nil {
		return nil, err
	}
	res.count(evs, start, recv, o.stormWait)
	return res, nil
}

// cpuOver is the server's CPU time while do runs, and how long it ran.
func cpuOver(ctx context.Context, srv *server, do func() error) (time.Duration, time.Duration, error) {
	c0, err := srv.cpu()
	if err != nil {
		return 0, 0, err
	}
	t0 := time.Now()
	if err := do(); err != nil {
		return 0, 0, err
	}
	c1, err := srv.cpu()
	return c1 - c0, time.Since(t0), err
}

// runOutages takes each planned mirror down and brings it back after d.
func runOutages(ctx context.Context, ms []*sim.Node, o options, d time.Duration) error {
	type change struct {
		at   time.Duration
		node *sim.Node
		down bool
	}
	var plan []change
	for _, x := range stormPlan(o.alerts, len(ms), o.window, o.seed) {
		plan = append(plan, change{x.at, ms[x.mirror], true}, change{x.at + d, ms[x.mirror], false})
	}
	sort.SliceStable(plan, func(i, j int) bool { return plan[i].at < plan[j].at })
	start := time.Now()
	for _, c := range plan {
		if err := sleepCtx(ctx, time.Until(start.Add(c.at))); err != nil {
			return err
		}
		c.node.SetDown(c.down)
	}
	return nil
}

// drain waits until every alert cleared, the route resolved and every
// alert post left the outbox.
func drain(ctx context.Context, srv *server, o options) error {
	return poll(ctx, o.stormWait+o.interval+3*time.Minute, 500*time.Millisecond, func() (bool, error) {
		evs, err := srv.events()
		if err != nil {
			return false, err
		}
		open, pending := map[string]bool{}, map[string]bool{}
		resolvedLast := false
		for _, ev := range evs {
			switch ev.Kind {
			case room.EvAlertRaised:
				if id := ev.AlertFacts().Alert; strings.HasPrefix(id, "mirror-down/") {
					open[id] = true
				}
			case room.EvAlertCleared:
				delete(open, ev.AlertFacts().Alert)
			case room.EvPostQueued:
				pending[ev.PostFacts().ID] = true
				resolvedLast = ev.PostFacts().Page.Action == "resolve"
			case room.EvPostSent, room.EvPostFailed:
				delete(pending, ev.PostFacts().ID)
			}
		}
		return len(open) == 0 && len(pending) == 0 && resolvedLast, nil
	})
}

// count reads the journal for what was raised and what each receiver's
// messages listed, and the stand-ins for what they accepted.
func (r *stormResult) count(evs []room.Event, from time.Time, recv map[string]*notifytest.Receiver, groupWait time.Duration) {
	type raise struct {
		id       string
		at, gone time.Time
	}
	var raises []raise
	listed := map[string][]time.Time{} // channel + alert id → when a message listed it
	sent := map[string]bool{}
	var queued []room.PostFacts
	for _, ev := range evs {
		switch ev.Kind {
		case room.EvAlertRaised:
			if ev.At.After(from) && strings.HasPrefix(ev.AlertFacts().Alert, "mirror-down/") {
				raises = append(raises, raise{id: ev.AlertFacts().Alert, at: ev.At})
			}
		case room.EvAlertCleared:
			for i := len(raises) - 1; i >= 0; i-- {
				if raises[i].id == ev.AlertFacts().Alert {
					if raises[i].gone.IsZero() {
						raises[i].gone = ev.At
					}
					break
				}
			}
		case room.EvPostQueued:
			f := ev.PostFacts()
			queued = append(queued, f)
			for _, id := range append(slices.Clone(f.Page.Alerts), f.Page.Resolved...) {
				listed[f.Channel+"\x00"+id] = append(listed[f.Channel+"\x00"+id], ev.At)
			}
		case room.EvPostSent:
			sent[ev.PostFacts().ID] = true
		}
	}
	r.raised = len(raises)
	lostAny, shortAny := map[int]bool{}, map[int]bool{}
	for _, name := range stormReceivers {
		s := &receiverStats{actions: map[string]int{}}
		r.perReceiver[name] = s
		for _, p := range recv[name].Posts() {
			s.messages++
			s.largest = max(s.largest, len(p.Body))
			if a, ok := p.JSON["event_action"].(string); ok {
				s.actions[a]++
			}
		}
		for _, f := range queued {
			if f.Channel == name {
				s.queued++
				if !sent[f.ID] {
					r.unsent++
				}
			}
		}
		for i, x := range raises {
			if !slices.ContainsFunc(listed[name+"\x00"+x.id], func(t time.Time) bool { return !t.Before(x.at) }) {
				if !x.gone.IsZero() && x.gone.Sub(x.at) < groupWait {
					shortAny[i] = true // a blip shorter than group_wait, unless its group was already paging
					continue
				}
				s.lost++
				if !lostAny[i] {
					r.lostIDs = append(r.lostIDs, x.id+" raised "+x.at.Format("15:04:05.000"))
				}
				lostAny[i] = true
			}
		}
	}
	r.lost, r.short = len(lostAny), len(shortAny)
}

func (r *stormResult) print(w io.Writer, o options) {
	fmt.Fprintf(w, "storm: %d outages across %d mirrors within %s, each %s down (%s/%s, %d CPUs, load %s)\n",
		o.alerts, o.mirrors, o.window, r.outage, runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), procstat.LoadAvg())
	fmt.Fprintf(w, "probes: %s; route group_wait %s, group_interval %s; %d mirror-down alerts raised\n", stormProbes, o.stormWait, o.interval, r.raised)
	fmt.Fprintf(w, "%-6s %9s %7s %-30s %14s %11s\n", "recv", "messages", "queued", "kinds", "largest body", "alerts lost")
	for _, name := range stormReceivers {
		s := r.perReceiver[name]
		kinds := ""
		for _, a := range []string{"trigger", "acknowledge", "resolve"} {
			if s.actions[a] > 0 {
				kinds += fmt.Sprintf("%s %d ", a, s.actions[a])
			}
		}
		fmt.Fprintf(w, "%-6s %9d %7d %-30s %12d B %11d\n", name, s.messages, s.queued, kinds, s.largest, s.lost)
	}
	pct := func(cpu, wall time.Duration) float64 {
		if wall <= 0 {
			return 0
		}
		return 100 * cpu.Seconds() / wall.Seconds()
	}
	base := "no quiet baseline"
	if o.baseline > 0 {
		base = fmt.Sprintf("quiet baseline %.1f%% of a core over %s", pct(r.baseCPU, r.baseWall), r.baseWall.Round(time.Second))
	}
	fmt.Fprintf(w, "server CPU (warroom serve only, user+system): %s; storm %.1f%% over %s (%s CPU)\n",
		base, pct(r.stormCPU, r.stormWall), r.stormWall.Round(time.Second), r.stormCPU.Round(10*time.Millisecond))
	fmt.Fprintf(w, "lost %d, messages not sent %d; %d alerts came and went within group_wait in a quiet group (never paged, by design)\n",
		r.lost, r.unsent, r.short)
	for _, id := range r.lostIDs {
		fmt.Fprintln(w, "  never listed:", id)
	}
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
