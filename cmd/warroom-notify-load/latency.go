package main

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"

	"warroom/backends/notify"
)

// latencies measures, on the real clock, the time from enqueueing one post
// to all four channels until each platform has accepted it. Rate limits
// are off here (on, 100 runs would take DingTalk five minutes by design):
// this is the cost of the pipeline itself.
func latencies(runs int) (all []time.Duration, per map[string][]time.Duration, err error) {
	clock := clockwork.NewRealClock()
	f, err := startFleet(clock, false)
	if err != nil {
		return nil, nil, err
	}
	defer f.close()
	unlimited := map[string]notify.Limit{}
	for _, n := range names {
		unlimited[n] = notify.Limit{}
	}
	type done struct {
		ch  string
		at  time.Time
		err string
	}
	sent := make(chan done, 16)
	d := notify.NewDispatcher(f.chans, notify.DispatchOptions{Limits: unlimited, Report: func(r notify.Report) error {
		if r.State == notify.StateSent || r.State == notify.StateFailed {
			sent <- done{r.Channel, time.Now(), r.Err}
		}
		return nil
	}})
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); _ = d.Run(ctx) }()
	defer func() { cancel(); wg.Wait() }()

	per = map[string][]time.Duration{}
	timeout := time.NewTimer(time.Minute)
	defer timeout.Stop()
	for i := range runs {
		p := notify.Post{ID: fmt.Sprintf("lat%03d", i), Title: keyword + " mirror tokyo-1 went down", Text: "Mirror **tokyo-1** went down.\n\n- next update within 30 minutes"}
		t0 := time.Now()
		for _, ch := range names {
			if err := d.Enqueue(ch, p); err != nil {
				return nil, nil, err
			}
		}
		var last time.Duration
		for range names {
			select {
			case r := <-sent:
				if r.err != "" {
					return nil, nil, fmt.Errorf("latency run %d: %s failed: %s", i, r.ch, r.err)
				}
				lat := r.at.Sub(t0)
				per[r.ch] = append(per[r.ch], lat)
				last = max(last, lat)
			case <-timeout.C:
				return nil, nil, fmt.Errorf("latency run %d: no answer within a minute", i)
			}
		}
		all = append(all, last)
	}
	return all, per, nil
}

// quantile is the q-th quantile (nearest rank) of ds.
func quantile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	i := int(q*float64(len(s))+0.999999) - 1
	return s[min(max(i, 0), len(s)-1)]
}
