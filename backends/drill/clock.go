package drill

import (
	"fmt"
	"sync"
	"time"

	"github.com/jonboulle/clockwork"
)

// FastClock is a clock running Speed times faster than real time, from
// the real time when it was made: a drill at --speed, with the room, its
// probes and the simulated fleet all on it, so every interval, timeout,
// delay and goal keeps its proportions.
type FastClock struct {
	speed int64
	base  time.Time // the clock's time at start (wall only)
	real  time.Time // the real time at start, with its monotonic reading
}

// NewFastClock makes a clock speed times faster than real time.
func NewFastClock(speed int) (*FastClock, error) {
	if speed < 1 {
		return nil, fmt.Errorf("drill: clock speed %d: want 1 or more", speed)
	}
	now := time.Now()
	return &FastClock{speed: int64(speed), base: now.Round(0), real: now}, nil
}

// Speed is how many times faster than real time the clock runs.
func (c *FastClock) Speed() int { return int(c.speed) }

// Real is how long d on this clock lasts in real time.
func (c *FastClock) Real(d time.Duration) time.Duration { return d / time.Duration(c.speed) }

// Now is the clock's time: its start plus Speed times the real time since.
func (c *FastClock) Now() time.Time { return c.base.Add(time.Since(c.real) * time.Duration(c.speed)) }

// Since is how long ago t was on this clock.
func (c *FastClock) Since(t time.Time) time.Duration { return c.Now().Sub(t) }

// Until is how long until t on this clock.
func (c *FastClock) Until(t time.Time) time.Duration { return t.Sub(c.Now()) }

// Sleep waits d of this clock.
func (c *FastClock) Sleep(d time.Duration) { time.Sleep(c.Real(d)) }

// After delivers this clock's time once d of it has passed.
func (c *FastClock) After(d time.Duration) <-chan time.Time { return c.NewTimer(d).Chan() }

// NewTimer delivers this clock's time (not the real time) once d of it
// has passed.
func (c *FastClock) NewTimer(d time.Duration) clockwork.Timer {
	ft := &fastTimer{ch: make(chan time.Time, 1), real: c.Real}
	ft.t = time.AfterFunc(c.Real(d), func() {
		select {
		case ft.ch <- c.Now():
		default:
		}
	})
	return ft
}

// AfterFunc calls f once d of this clock has passed.
func (c *FastClock) AfterFunc(d time.Duration, f func()) clockwork.Timer {
	return &fastTimer{t: time.AfterFunc(c.Real(d), f), real: c.Real}
}

// NewTicker delivers this clock's time every d of it; like time.Ticker it
// drops ticks a slow reader misses.
func (c *FastClock) NewTicker(d time.Duration) clockwork.Ticker {
	if d <= 0 {
		panic("drill: FastClock.NewTicker: non-positive interval")
	}
	ft := &fastTicker{c: c, ch: make(chan time.Time, 1), every: max(c.Real(d), 1)}
	ft.mu.Lock() // fire may run before ft.t is set
	defer ft.mu.Unlock()
	ft.next = time.Now().Add(ft.every)
	ft.t = time.AfterFunc(ft.every, ft.fire)
	return ft
}

type fastTimer struct {
	t    *time.Timer
	ch   chan time.Time // nil for AfterFunc
	real func(time.Duration) time.Duration
}

func (ft *fastTimer) Chan() <-chan time.Time { return ft.ch }

func (ft *fastTimer) Stop() bool {
	active := ft.t.Stop()
	ft.drain()
	return active
}

func (ft *fastTimer) Reset(d time.Duration) bool {
	active := ft.Stop()
	ft.t.Reset(ft.real(d))
	return active
}

// drain drops a tick that fired before Stop or Reset, as time.Timer does
// since Go 1.23.
func (ft *fastTimer) drain() {
	select {
	case <-ft.ch:
	default:
	}
}

// fastTicker re-arms one real timer on its own schedule (no goroutine of
// its own), keeping to its deadlines rather than drifting by each delay.
type fastTicker struct {
	c  *FastClock
	ch chan time.Time

	mu      sync.Mutex
	t       *time.Timer
	every   time.Duration // real
	next    time.Time     // real
	stopped bool
}

func (ft *fastTicker) fire() {
	ft.mu.Lock()
	defer ft.mu.Unlock()
	if ft.stopped {
		return
	}
	select {
	case ft.ch <- ft.c.Now():
	default:
	}
	now := time.Now()
	ft.next = ft.next.Add(ft.every)
	if !ft.next.After(now) { // fell behind: skip the missed ticks
		ft.next = now.Add(ft.every)
	}
	ft.t.Reset(ft.next.Sub(now))
}

func (ft *fastTicker) Chan() <-chan time.Time { return ft.ch }

func (ft *fastTicker) Reset(d time.Duration) {
	if d <= 0 {
		panic("drill: FastClock ticker Reset: non-positive interval")
	}
	ft.mu.Lock()
	defer ft.mu.Unlock()
	ft.stopped = false
	ft.every = max(ft.c.Real(d), 1)
	ft.next = time.Now().Add(ft.every)
	ft.t.Reset(ft.every)
}

func (ft *fastTicker) Stop() {
	ft.mu.Lock()
	defer ft.mu.Unlock()
	ft.stopped = true
	ft.t.Stop()
}
