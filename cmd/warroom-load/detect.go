package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"

	"warroom/backends/config"
	"warroom/backends/mirrors"
)

// detection is one pass of the -detect mode: kill → "down" per killed
// mirror, and downs of mirrors never killed (false downs).
type detection struct {
	took       []time.Duration
	falseDowns int
	missed     int
}

// runDetect measures how long a dead mirror takes to be called down: in an
// in-process loopback fleet probed by the real scheduler, kills mirrors
// (listener and connections closed, as a dying process's are: connection
// refused) or, with o.dark, silences them (requests read, never answered:
// a host gone dark) at random moments after every first probe, and feeds
// each mirror's Tracker as the room does. Once with retries every retry,
// then without, on fresh fleets.
func runDetect(o options, kills int, retry time.Duration, w io.Writer) error {
	if kills < 1 || kills > o.mirrors {
		return fmt.Errorf("-detect %d: want 1 to -mirrors (%d)", kills, o.mirrors)
	}
	how := "killed"
	if o.dark {
		how = "gone dark"
	}
	fmt.Fprintf(w, "mode detect: %d mirrors, %d %s at random, interval %v, timeout %v, fail_after 3\n", o.mirrors, kills, how, o.interval, o.timeout)
	for _, r := range []time.Duration{retry, 0} {
		d, err := detectOnce(o, kills, r)
		if err != nil {
			return err
		}
		p50, _, mx := percentiles(d.took)
		label := fmt.Sprintf("retry_interval %v", r)
		if r == 0 {
			label = "no retries (before)"
		}
		fmt.Fprintf(w, "  %-22s kill → down p50 %v p90 %v max %v (n=%d, %d not down in time); false downs %d\n",
			label, p50.Round(10*time.Millisecond), nth(d.took, 0.9).Round(10*time.Millisecond), mx.Round(10*time.Millisecond),
			len(d.took), d.missed, d.falseDowns)
	}
	return nil
}

func nth(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[min(len(s)-1, int(q*float64(len(s))))]
}

func detectOnce(o options, kills int, retry time.Duration) (detection, error) {
	f, ts, err := startSim(o, 0)
	if err != nil {
		return detection{}, err
	}
	defer f.Close()
	targets, err := mirrorConfigs(o, ts)
	if err != nil {
		return detection{}, err
	}
	th := config.DefaultThresholds()
	var (
		mu       sync.Mutex
		trackers = map[string]*mirrors.Tracker{}
		killedAt = map[string]time.Time{}
		d        detection
	)
	for i := range targets {
		targets[i].Health.RetryInterval = retry
		trackers[targets[i].Name] = mirrors.NewTracker(targets[i].Health, th)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sink := func(ob mirrors.Observation) {
		mu.Lock()
		defer mu.Unlock()
		tr := trackers[ob.Mirror]
		if !tr.Observe(ob) || tr.State() != mirrors.StateDown {
			return
		}
		at, killed := killedAt[ob.Mirror]
		if !killed {
			d.falseDowns++
			return
		}
		d.took = append(d.took, time.Since(at))
		if len(d.took) == kills {
			cancel()
		}
	}
	p := mirrors.NewProber(mirrors.ProberOptions{FreshEvery: o.freshEvery})
	defer p.Close()
	s := mirrors.NewScheduler(p, clockwork.NewRealClock(), sink)
	done := make(chan struct{})
	go func() { defer close(done); s.Run(ctx, targets) }()

	// Kill after every first probe, at random within the next interval.
	ms := f.Mirrors()
	var kg sync.WaitGroup
	for _, i := range rand.Perm(len(ms))[:kills] {
		n := ms[i]
		after := o.interval + rand.N(o.interval)
		kg.Add(1)
		time.AfterFunc(after, func() {
			defer kg.Done()
			if ctx.Err() != nil {
				return
			}
			mu.Lock()
			killedAt[n.Name] = time.Now()
			mu.Unlock()
			if o.dark {
				n.SetBlackhole(true)
			} else {
				n.SetDown(true)
			}
		})
	}
	if o.dark {
		defer func() { // let held requests go, so the fleet closes
			for _, n := range ms {
				n.SetBlackhole(false)
			}
		}()
	}
	// fail_after intervals plus their timeouts after the last kill, and slack.
	limit := 2*o.interval + 3*o.interval + 3*o.timeout + 5*time.Second
	select {
	case <-ctx.Done():
	case <-time.After(limit):
		cancel()
	}
	<-done
	kg.Wait()
	mu.Lock()
	defer mu.Unlock()
	d.missed = kills - len(d.took)
	return d, nil
}
