package main

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"time"

	"warroom/backends/notify/notifytest"
	"warroom/backends/room"
	"warroom/backends/sim"
	"warroom/cmd/internal/procstat"
)

// Probes of the kill measurement: down after two failed probes half a
// second apart (detection about 0.5–1.4 s).
const killProbes = "interval: 500ms, timeout: 400ms, fail_after: 2, recover_after: 1"

type killResult struct {
	detect []time.Duration // kill → alert.raised
	page   []time.Duration // alert.raised → trigger accepted at the stand-in
	wall   time.Duration
}

func measureKills(ctx context.Context, o options, dir string) (*killResult, error) {
	f, err := sim.Start(sim.Options{Mirrors: 3, Seed: 7, SyncEvery: time.Hour})
	if err != nil {
		return nil, err
	}
	defer f.Close()
	pd, err := notifytest.New(notifytest.KindPager, notifytest.Options{})
	if err != nil {
		return nil, err
	}
	defer pd.Close()
	route := fmt.Sprintf("receivers: [pd], group_wait: %s, group_interval: 1s", o.groupWait)
	cfg := roomConfig(f, dir, killProbes, pagerChannel(pd.URL(), pd.RoutingKey()), route)
	// A mirror killed every few seconds flaps by design; the active
	// mirror's down is paged regardless, keep its changes on the timeline.
	cfg += "  flapping: {changes: 100000, window: 1m}\n"
	srv, err := startServer(ctx, o.bin, dir, cfg)
	if err != nil {
		return nil, err
	}
	defer srv.stop()
	active := f.Mirrors()[0]
	id := "mirror-down/" + active.Name
	// The room has judged the mirror up after its first probes.
	if err := poll(ctx, 30*time.Second, 50*time.Millisecond, func() (bool, error) { return active.Requests() >= 3, nil }); err != nil {
		return nil, fmt.Errorf("the room never probed %s: %v", active.Name, err)
	}
	res := &killResult{}
	start := time.Now()
	for i := 1; i <= o.kills; i++ {
		killed := time.Now()
		active.SetDown(true)
		trig, err := waitAction(ctx, pd, "trigger", i)
		if err != nil {
			return nil, fmt.Errorf("kill %d: %v\n%s", i, err, srv.log())
		}
		raised, err := raisedAfter(srv, id, killed)
		if err != nil {
			return nil, fmt.Errorf("kill %d: %v", i, err)
		}
		res.detect = append(res.detect, raised.Sub(killed))
		res.page = append(res.page, trig.Time.Sub(raised))
		active.SetDown(false)
		if _, err := waitAction(ctx, pd, "resolve", i); err != nil {
			return nil, fmt.Errorf("kill %d: resolve: %v", i, err)
		}
	}
	res.wall = time.Since(start)
	return res, nil
}

// waitAction waits for the nth accepted event of action; it returns it.
func waitAction(ctx context.Context, pd *notifytest.Receiver, action string, n int) (notifytest.Received, error) {
	var got notifytest.Received
	err := poll(ctx, time.Minute, 10*time.Millisecond, func() (bool, error) {
		seen := 0
		for _, p := range pd.Posts() {
			if p.JSON["event_action"] == action {
				if seen++; seen == n {
					got = p
					return true, nil
				}
			}
		}
		return false, nil
	})
	if err != nil {
		return got, fmt.Errorf("pagerduty %s #%d: %v (%d requests)", action, n, err, pd.Requests())
	}
	return got, nil
}

// raisedAfter is when the journal says alert id was raised after t.
func raisedAfter(srv *server, id string, t time.Time) (time.Time, error) {
	evs, err := srv.events()
	if err != nil {
		return time.Time{}, err
	}
	for _, ev := range evs {
		if ev.Kind == room.EvAlertRaised && ev.AlertFacts().Alert == id && ev.At.After(t) {
			return ev.At, nil
		}
	}
	return time.Time{}, fmt.Errorf("no alert.raised of %s after %s in the journal", id, t.Format(time.RFC3339Nano))
}

func (r *killResult) print(w io.Writer, o options) {
	fmt.Fprintf(w, "kills: %d kills of the active mirror, real warroom serve, PagerDuty stand-in on loopback (%s/%s, %d CPUs, load %s)\n",
		len(r.detect), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), procstat.LoadAvg())
	fmt.Fprintf(w, "probes: %s; route group_wait %s; took %s\n", killProbes, o.groupWait, r.wall.Round(time.Second))
	line := func(name string, ds []time.Duration) {
		fmt.Fprintf(w, "  %-32s p50 %8v  p99 %8v  max %8v  min %8v\n", name, quantile(ds, 0.5).Round(time.Millisecond),
			quantile(ds, 0.99).Round(time.Millisecond), quantile(ds, 1).Round(time.Millisecond), quantile(ds, 0).Round(time.Millisecond))
	}
	line("kill → detection (alert.raised)", r.detect)
	line("detection → page received", r.page)
	over := make([]time.Duration, len(r.page))
	for i, d := range r.page {
		over[i] = d - o.groupWait
	}
	line("  of which beyond group_wait", over)
}
