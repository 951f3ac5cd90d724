package main

import (
	"time"

	"github.com/jonboulle/clockwork"
)

// scaledClock runs speed times faster than the wall clock, so the burst's
// ten minutes of platform rate limits pass in seconds. Receivers and the
// dispatcher share one, so their windows agree.
type scaledClock struct {
	origin time.Time // wall time at start (with its monotonic reading)
	base   time.Time // what Now says at origin
	speed  float64
}

func newScaledClock(base time.Time, speed float64) *scaledClock {
	return &scaledClock{origin: time.Now(), base: base, speed: speed}
}

var _ clockwork.Clock = (*scaledClock)(nil)

func (c *scaledClock) wall(d time.Duration) time.Duration { return time.Duration(float64(d) / c.speed) }

func (c *scaledClock) Now() time.Time {
	return c.base.Add(time.Duration(float64(time.Since(c.origin)) * c.speed))
}
func (c *scaledClock) Since(t time.Time) time.Duration { return c.Now().Sub(t) }
func (c *scaledClock) Until(t time.Time) time.Duration { return t.Sub(c.Now()) }
func (c *scaledClock) Sleep(d time.Duration)           { time.Sleep(c.wall(d)) }
func (c *scaledClock) After(d time.Duration) <-chan time.Time {
	return c.NewTimer(d).Chan()
}

func (c *scaledClock) NewTimer(d time.Duration) clockwork.Timer {
	t := &scaledTimer{ch: make(chan time.Time, 1)}
	t.t = time.AfterFunc(c.wall(d), func() {
		select {
		case t.ch <- c.Now():
		default:
		}
	})
	t.c = c
	return t
}

func (c *scaledClock) AfterFunc(d time.Duration, f func()) clockwork.Timer {
	return &scaledTimer{c: c, t: time.AfterFunc(c.wall(d), f)}
}

func (c *scaledClock) NewTicker(d time.Duration) clockwork.Ticker {
	tk := &scaledTicker{c: c, t: time.NewTicker(c.wall(d)), ch: make(chan time.Time, 1), done: make(chan struct{})}
	go tk.forward()
	return tk
}

type scaledTimer struct {
	c  *scaledClock
	t  *time.Timer
	ch chan time.Time
}

func (t *scaledTimer) Chan() <-chan time.Time     { return t.ch }
func (t *scaledTimer) Reset(d time.Duration) bool { return t.t.Reset(t.c.wall(d)) }
func (t *scaledTimer) Stop() bool                 { return t.t.Stop() }

type scaledTicker struct {
	c    *scaledClock
	t    *time.Ticker
	ch   chan time.Time
	done chan struct{}
}

func (t *scaledTicker) forward() {
	for {
		select {
		case <-t.done:
			return
		case <-t.t.C:
			select {
			case t.ch <- t.c.Now():
			default:
			}
		}
	}
}

func (t *scaledTicker) Chan() <-chan time.Time { return t.ch }
func (t *scaledTicker) Reset(d time.Duration)  { t.t.Reset(t.c.wall(d)) }
func (t *scaledTicker) Stop() {
	t.t.Stop()
	select {
	case <-t.done:
	default:
		close(t.done)
	}
}
