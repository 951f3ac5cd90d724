package notify

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"sort"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
)

// Report states.
const (
	StateSending  = "sending"
	StateSent     = "sent"
	StateRetrying = "retrying"
	StateFailed   = "failed"
)

// Report is one step of one post on one channel, for the room's outbox.
type Report struct {
	PostID  string   // the room's id; for a merged post, its own id
	IDs     []string // a merged post's ids (all of them), else nil
	Channel string
	State   string // sending | sent | retrying | failed
	Attempt int
	RetryAt time.Time // when retrying
	Err     string    // the platform's own text, for retrying and failed
}

// DispatchOptions tune a Dispatcher; zero values take the defaults.
type DispatchOptions struct {
	Clock       clockwork.Clock    // nil = real clock
	Report      func(Report) error // called from the channel's worker before and after each attempt; an error for "sending" stops the send (the room could not record it)
	MaxAttempts int                // default 5
	Backoff     time.Duration      // first retry delay, default 2s, doubling, capped at MaxBackoff
	Limits      map[string]Limit   // by channel name; default DefaultLimit(kind)
	Seed        uint64             // for the ±20% jitter; 0 = 1
}

// MaxBackoff caps the delay between retries.
const MaxBackoff = 2 * time.Minute

// Dispatcher delivers posts: one worker per channel, each keeping to its
// channel's rate limit, so a slow or failing channel delays only itself.
type Dispatcher struct {
	clock   clockwork.Clock
	report  func(Report) error
	max     int
	backoff time.Duration
	workers map[string]*worker

	rngMu sync.Mutex
	rng   *rand.Rand

	runMu   sync.Mutex
	running bool
	stopped bool
}

// NewDispatcher makes a dispatcher for chs; Run starts it.
func NewDispatcher(chs []Channel, o DispatchOptions) *Dispatcher {
	d := &Dispatcher{
		clock:   o.Clock,
		report:  o.Report,
		max:     o.MaxAttempts,
		backoff: o.Backoff,
		workers: map[string]*worker{},
	}
	if d.clock == nil {
		d.clock = clockwork.NewRealClock()
	}
	if d.report == nil {
		d.report = func(Report) error { return nil }
	}
	if d.max <= 0 {
		d.max = 5
	}
	if d.backoff <= 0 {
		d.backoff = 2 * time.Second
	}
	seed := o.Seed
	if seed == 0 {
		seed = 1
	}
	d.rng = rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	for _, ch := range chs {
		l, ok := o.Limits[ch.Name()]
		if !ok {
			l = DefaultLimit(ch.Kind())
		}
		d.workers[ch.Name()] = &worker{d: d, ch: ch, win: newWindow(l), wake: make(chan struct{}, 1)}
	}
	return d
}

// Enqueue queues p for channel; it never waits for the channel.
func (d *Dispatcher) Enqueue(channel string, p Post) error {
	w, ok := d.workers[channel]
	if !ok {
		names := make([]string, 0, len(d.workers))
		for n := range d.workers {
			names = append(names, n)
		}
		sort.Strings(names)
		return fmt.Errorf("enqueue post %q: no channel %q; channels are %v", p.ID, channel, names)
	}
	if p.ID == "" {
		return fmt.Errorf("enqueue to channel %q: the post has no id; the room assigns one before queueing", channel)
	}
	d.runMu.Lock()
	stopped := d.stopped
	d.runMu.Unlock()
	if stopped {
		return fmt.Errorf("enqueue post %q to channel %q: the dispatcher has stopped; the post stays in the outbox", p.ID, channel)
	}
	w.mu.Lock()
	w.queue = append(w.queue, p)
	w.mu.Unlock()
	select {
	case w.wake <- struct{}{}:
	default:
	}
	return nil
}

// Run works until ctx ends, then waits for the workers to stop. Posts still
// queued or in flight then are the room's to resume from its outbox.
func (d *Dispatcher) Run(ctx context.Context) error {
	d.runMu.Lock()
	if d.running || d.stopped {
		d.runMu.Unlock()
		return errors.New("notify: dispatcher already ran; make a new one")
	}
	d.running = true
	d.runMu.Unlock()
	var wg sync.WaitGroup
	for _, w := range d.workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.run(ctx)
		}()
	}
	wg.Wait()
	d.runMu.Lock()
	d.running, d.stopped = false, true
	d.runMu.Unlock()
	return nil
}

// delay is the wait before retry number attempt (1 = the first retry):
// Backoff doubled each time, ±20% jitter, at most MaxBackoff.
func (d *Dispatcher) delay(attempt int) time.Duration {
	base := d.backoff
	for i := 1; i < attempt && base < MaxBackoff; i++ {
		base *= 2
	}
	d.rngMu.Lock()
	f := 0.8 + 0.4*d.rng.Float64()
	d.rngMu.Unlock()
	return min(time.Duration(float64(base)*f), MaxBackoff)
}
