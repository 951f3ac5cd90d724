package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"warroom/backends/notify"
)

// chanStats is one channel's outcome of the burst.
type chanStats struct {
	enqueued     int
	delivered    int // posts the platform accepted
	idsDelivered int // ids those posts carried
	merged       int // delivered posts carrying more than one id
	idsMerged    int
	failedIDs    int
	reasons      map[string]int
	retries      int
	rateRefused  int // refusals for rate counted by the receiver
	delays       []time.Duration
}

// burstResult is the whole burst's outcome.
type burstResult struct {
	stats   map[string]*chanStats
	lost    map[string]int // ids neither delivered nor failed, per channel
	virtual time.Duration  // simulated time the burst took
	wall    time.Duration
}

// tracker follows every id on every channel to its end.
type tracker struct {
	mu       sync.Mutex
	enqueued map[string]map[string]time.Time // channel → id → when
	final    map[string]map[string]bool
	stats    map[string]*chanStats
	open     int
	clock    interface{ Now() time.Time }
	allDone  chan struct{}
	feedDone bool
}

func newTracker(clock interface{ Now() time.Time }) *tracker {
	t := &tracker{enqueued: map[string]map[string]time.Time{}, final: map[string]map[string]bool{},
		stats: map[string]*chanStats{}, clock: clock, allDone: make(chan struct{})}
	for _, n := range names {
		t.enqueued[n], t.final[n] = map[string]time.Time{}, map[string]bool{}
		t.stats[n] = &chanStats{reasons: map[string]int{}}
	}
	return t
}

func (t *tracker) enqueue(ch, id string) {
	t.mu.Lock()
	t.enqueued[ch][id] = t.clock.Now()
	t.stats[ch].enqueued++
	t.open++
	t.mu.Unlock()
}

// fed marks the end of the feed, so an empty backlog means done.
func (t *tracker) fed() {
	t.mu.Lock()
	t.feedDone = true
	t.checkDone()
	t.mu.Unlock()
}

func (t *tracker) checkDone() {
	if t.feedDone && t.open == 0 {
		select {
		case <-t.allDone:
		default:
			close(t.allDone)
		}
	}
}

// report is the dispatcher's Report callback: quick, never blocking.
func (t *tracker) report(r notify.Report) error {
	ids := r.IDs
	if ids == nil {
		ids = []string{r.PostID}
	}
	now := t.clock.Now()
	t.mu.Lock()
	defer t.mu.Unlock()
	s := t.stats[r.Channel]
	switch r.State {
	case notify.StateRetrying:
		s.retries++
		return nil
	case notify.StateSent:
		s.delivered++
		s.idsDelivered += len(ids)
		if len(ids) > 1 {
			s.merged++
			s.idsMerged += len(ids)
		}
		for _, id := range ids {
			s.delays = append(s.delays, now.Sub(t.enqueued[r.Channel][id]))
		}
	case notify.StateFailed:
		s.failedIDs += len(ids)
		s.reasons[r.Err] += len(ids)
	default:
		return nil
	}
	for _, id := range ids {
		if !t.final[r.Channel][id] {
			t.final[r.Channel][id] = true
			t.open--
		}
	}
	t.checkDone()
	return nil
}

// runBurst feeds n posts to all four channels at random moments over
// period (simulated), against receivers enforcing the real limits, and
// waits until every id is delivered or failed, or grace after the feed.
func runBurst(n int, period, grace time.Duration, speed float64, seed uint64) (*burstResult, error) {
	clock := newScaledClock(time.Date(2026, 8, 22, 14, 0, 0, 0, time.UTC), speed)
	f, err := startFleet(clock, true)
	if err != nil {
		return nil, err
	}
	defer f.close()
	tr := newTracker(clock)
	d := notify.NewDispatcher(f.chans, notify.DispatchOptions{Clock: clock, Report: tr.report, Seed: seed})
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); _ = d.Run(ctx) }()
	defer func() { cancel(); wg.Wait() }()

	rng := rand.New(rand.NewPCG(seed, 42))
	at := make([]time.Duration, n)
	for i := range at {
		at[i] = time.Duration(rng.Int64N(int64(period)))
	}
	slices.Sort(at)
	start := clock.Now()
	wallStart := time.Now()
	for i, off := range at {
		if wait := start.Add(off).Sub(clock.Now()); wait > 0 {
			<-clock.After(wait)
		}
		p := eventPost(i, rng)
		for _, ch := range names {
			tr.enqueue(ch, p.ID)
			if err := d.Enqueue(ch, p); err != nil {
				return nil, err
			}
		}
	}
	tr.fed()
	select {
	case <-tr.allDone:
	case <-clock.After(start.Add(period + grace).Sub(clock.Now())):
	}
	res := &burstResult{stats: tr.stats, lost: map[string]int{}, virtual: clock.Now().Sub(start), wall: time.Since(wallStart)}
	tr.mu.Lock()
	for _, ch := range names {
		res.lost[ch] = len(tr.enqueued[ch]) - len(tr.final[ch])
		res.stats[ch].rateRefused = f.recv[ch].RateRejected()
	}
	tr.mu.Unlock()
	return res, nil
}

// eventPost is one room event worth announcing.
func eventPost(i int, rng *rand.Rand) notify.Post {
	mirrors := []string{"tokyo-1", "sg-2", "fra-3", "iad-1", "gru-2", "syd-1"}
	m := mirrors[rng.IntN(len(mirrors))]
	what := []string{"went down (HTTP 503)", "is back", "lags 3h behind the origin", "failed over to fra-3"}[rng.IntN(4)]
	return notify.Post{
		ID:    fmt.Sprintf("ev%04d", i),
		Title: fmt.Sprintf("%s mirror %s %s", keyword, m, what),
		Text:  fmt.Sprintf("Mirror **%s** %s.\n\n- event %d of the burst\n- next update within 30 minutes", m, what, i),
	}
}
