package notify

import (
	"context"
	"sync"
	"time"
)

// worker delivers one channel's posts, one at a time, in order.
type worker struct {
	d    *Dispatcher
	ch   Channel
	win  *window // only the worker goroutine touches it
	wake chan struct{}

	mu    sync.Mutex
	queue []Post
}

func (w *worker) run(ctx context.Context) {
	for {
		if !w.waitWork(ctx) {
			return
		}
		if !w.waitUntil(ctx, time.Time{}) {
			return
		}
		w.deliver(ctx, w.take())
	}
}

// waitWork returns when the queue has a post (false when ctx ended).
func (w *worker) waitWork(ctx context.Context) bool {
	for {
		w.mu.Lock()
		n := len(w.queue)
		w.mu.Unlock()
		if n > 0 {
			return true
		}
		select {
		case <-ctx.Done():
			return false
		case <-w.wake:
		}
	}
}

// waitUntil waits until at and until the rate window has room, on one
// timer of the injected clock.
func (w *worker) waitUntil(ctx context.Context, at time.Time) bool {
	for {
		now := w.d.clock.Now()
		if next := w.win.next(now); next.After(at) {
			at = next
		}
		wait := at.Sub(now)
		if wait <= 0 {
			return ctx.Err() == nil
		}
		t := w.d.clock.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return false
		case <-t.Chan():
		}
	}
}

// take removes the next post from the queue. When more posts wait than the
// window has room for right now, they are merged into one rather than
// held back a whole window or dropped.
func (w *worker) take() Post {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 1
	if len(w.queue) > w.win.room(w.d.clock.Now()) {
		n = takeMerged(w.ch, w.queue)
	}
	p := merge(w.queue[:n])
	w.queue = append(w.queue[:0], w.queue[n:]...)
	return p
}

// deliver sends p until it is accepted, refused for good, or out of
// attempts. Every attempt counts against the rate window.
func (w *worker) deliver(ctx context.Context, p Post) {
	r := Report{PostID: p.ID, IDs: p.IDs, Channel: w.ch.Name()}
	for attempt := 1; ; attempt++ {
		r.Attempt, r.State, r.Err, r.RetryAt = attempt, StateSending, "", time.Time{}
		if err := w.d.report(r); err != nil {
			// Nothing goes out that the outbox could not record first.
			r.State, r.Err = StateFailed, "not sent: could not record the attempt: "+err.Error()
			w.d.report(r)
			return
		}
		err := w.ch.Send(ctx, p)
		now := w.d.clock.Now()
		w.win.record(now)
		if err == nil {
			r.State = StateSent
			w.d.report(r)
			return
		}
		if ctx.Err() != nil {
			return // the room resumes it from the outbox
		}
		e := asError(w.ch.Name(), w.ch.Kind(), err)
		r.Err = e.Error()
		if !e.Retryable || attempt >= w.d.max {
			r.State = StateFailed
			w.d.report(r)
			return
		}
		delay := e.RetryAfter
		if delay <= 0 {
			delay = w.d.delay(attempt)
		}
		r.State, r.RetryAt = StateRetrying, now.Add(delay)
		if next := w.win.next(now); next.After(r.RetryAt) {
			r.RetryAt = next
		}
		w.d.report(r)
		if !w.waitUntil(ctx, r.RetryAt) {
			return
		}
	}
}
