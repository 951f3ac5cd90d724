package mirrors

import (
	"fmt"
	"math"
	"slices"
	"time"

	"warroom/backends/config"
)

// Tracker windows.
const (
	ErrorWindow     = 20 // probes the error rate is taken over
	BaselineWindow  = 20 // healthy latencies the baseline is the median of
	BaselineMin     = 5  // samples before latency can make a mirror degraded
	HistoryLen      = 60 // probes kept for the latency sparkline
	minErrsDegraded = 2  // one lost probe never degrades a mirror
	// A mirror that went down FlapDowns times within the last FlapWindow
	// probes (10 minutes at the default 15 s) is flapping.
	FlapDowns  = 2
	FlapWindow = 2 * ErrorWindow
)

// Tracker turns one mirror's observations into a health state. It is pure
// (no clock, no goroutines, no locks): the room owns one per mirror and
// feeds it observations in order.
//
// Rules: unknown → up on the first success, → down after FailAfter
// consecutive failures. up/degraded → down after FailAfter consecutive
// failures; down → up after RecoverAfter consecutive successes. An answering
// mirror is degraded when its latency stays above LatencyFactor × baseline
// and above LatencyFloor for FailAfter probes in a row (once the baseline
// has BaselineMin samples),
// or when a success arrives while the error rate over the last ErrorWindow
// probes is above ErrorRate with at least two failures, or while it is
// flapping (down FlapDowns times within the last FlapWindow probes). A
// mirror recovering from down is judged the same way: the failures of its
// outage count, so a mirror that answers again after failing half its
// recent probes is degraded, not up, and the rate shown is the rate judged.
type Tracker struct {
	failAfter, recoverAfter int
	factor, errorRate       float64
	floor                   time.Duration // no latency at or below it is slow

	state  State
	since  time.Time
	onset  time.Time // the first sign of what led to state; see Onset
	reason string
	last   Observation

	fails, oks int // consecutive failures / successes
	slow, fast int // consecutive slow / not-slow successes
	// When the present failing streak, slow streak and spell over the
	// error rate began (their first probe's start); zero when none.
	failFrom, slowFrom, overFrom time.Time

	hist ring[probeRec] // recent probes, for error rate, flapping and sparkline

	base      ring[time.Duration] // recent healthy latencies
	baseline  time.Duration       // median of base, cached
	baseReady bool
}

type probeRec struct {
	ok      bool
	latency time.Duration
	down    bool // this probe put the mirror down
}

// NewTracker builds a tracker with the mirror's health rules and the room's
// thresholds. Non-positive counts mean 1; a non-positive LatencyFactor or
// ErrorRate turns that kind of degradation off.
func NewTracker(h config.Health, th config.Thresholds) *Tracker {
	return &Tracker{
		failAfter:    max(h.FailAfter, 1),
		recoverAfter: max(h.RecoverAfter, 1),
		factor:       th.LatencyFactor,
		floor:        th.LatencyFloor,
		errorRate:    th.ErrorRate,
		state:        StateUnknown,
		hist:         newRing[probeRec](HistoryLen),
		base:         newRing[time.Duration](BaselineWindow),
	}
}

// Observe feeds one observation and reports whether the state changed.
func (t *Tracker) Observe(o Observation) (changed bool) {
	t.last = o
	t.hist.push(probeRec{ok: o.OK(), latency: o.Latency})
	t.overFrom = startedAt(t.overFrom, o.Start, t.overErrorRate())
	if !o.OK() {
		return t.failure(o)
	}
	return t.success(o)
}

func (t *Tracker) failure(o Observation) bool {
	t.fails++
	t.failFrom = startedAt(t.failFrom, o.Start, true)
	t.oks, t.slow, t.fast = 0, 0, 0
	t.slowFrom = time.Time{}
	if t.state == StateDown {
		t.reason = o.Err // show the newest cause while down
		return false
	}
	if t.fails >= t.failAfter {
		t.hist.newest().down = true
		return t.set(StateDown, o.Err, o.Start, t.failFrom)
	}
	return false
}

func (t *Tracker) success(o Observation) bool {
	t.fails = 0
	t.failFrom = time.Time{}
	t.oks++
	slow, ratio := t.isSlow(o.Latency)
	t.slowFrom = startedAt(t.slowFrom, o.Start, slow)
	if slow {
		t.slow++
		t.fast = 0
	} else {
		t.slow = 0
		t.fast++
		t.addBaseline(o.Latency)
	}
	if t.state == StateDown && t.oks < t.recoverAfter {
		return false
	}
	state, why, from := t.judge(o.Latency, ratio)
	if from.IsZero() {
		from = o.Start
	}
	return t.set(state, why, o.Start, from)
}

// judge is the state of a mirror that answered: degraded while flapping,
// slow or erring, and up once none of that holds and, coming from
// degraded, RecoverAfter fast probes in a row have answered. from is the
// first probe that showed the cause (zero: this one).
func (t *Tracker) judge(lat time.Duration, ratio float64) (s State, why string, from time.Time) {
	if flapping, why := t.Flapping(); flapping {
		return StateDegraded, why, time.Time{}
	}
	degraded := t.state == StateDegraded
	if t.slow >= t.failAfter || (degraded && t.slow > 0) {
		return StateDegraded, t.latencyReason(lat, ratio), t.slowFrom
	}
	if high, why := t.OverErrorRate(); high {
		return StateDegraded, why, t.overFrom
	}
	if degraded && t.fast < t.recoverAfter {
		return StateDegraded, t.reason, time.Time{}
	}
	return StateUp, "", time.Time{}
}

// set enters state s at the probe started at at; from is the first sign of it.
func (t *Tracker) set(s State, reason string, at, from time.Time) bool {
	t.reason = reason
	if s == t.state {
		return false
	}
	t.state, t.since, t.onset = s, at, minTime(from, at)
	return true
}

// startedAt keeps the start of a spell while on holds: it is the start of
// the spell's first probe (at, when the spell begins now), zero when off.
func startedAt(from, at time.Time, on bool) time.Time {
	switch {
	case !on:
		return time.Time{}
	case from.IsZero():
		return at
	}
	return from
}

func minTime(a, b time.Time) time.Time {
	if a.IsZero() || b.Before(a) {
		return b
	}
	return a
}

func (t *Tracker) isSlow(lat time.Duration) (bool, float64) {
	if t.factor <= 0 || !t.baseReady || t.baseline <= 0 {
		return false, 0
	}
	ratio := float64(lat) / float64(t.baseline)
	return ratio > t.factor && lat > t.floor, ratio
}

func (t *Tracker) latencyReason(lat time.Duration, ratio float64) string {
	return fmt.Sprintf("latency %.1f× baseline (%s vs %s)", ratio, roundDur(lat), roundDur(t.baseline))
}

// OverErrorRate reports whether the share of failed probes among the last
// ErrorWindow is above the threshold (with at least two failures), and
// says so in words.
func (t *Tracker) OverErrorRate() (bool, string) {
	if !t.overErrorRate() {
		return false, ""
	}
	n, errs := t.errCount()
	return true, fmt.Sprintf("error rate %d%% (%d of last %d probes failed)", errs*100/n, errs, n)
}

func (t *Tracker) overErrorRate() bool {
	if t.errorRate <= 0 {
		return false
	}
	n, errs := t.errCount()
	return errs >= minErrsDegraded && float64(errs)/float64(n) > t.errorRate
}

// Flapping reports whether the mirror went down FlapDowns times or more
// within the last FlapWindow probes, and says so in words.
func (t *Tracker) Flapping() (bool, string) {
	downs := 0
	t.hist.eachNewest(FlapWindow, func(r probeRec) {
		if r.down {
			downs++
		}
	})
	if downs < FlapDowns {
		return false, ""
	}
	return true, fmt.Sprintf("flapping: down %d times in the last %d probes", downs, min(t.hist.len(), FlapWindow))
}

// Streak says where the mirror stands on its way to a new state: failing
// n of FailAfter failures while not down, recovering n of RecoverAfter
// successes while down; n is 0 when neither is under way.
func (t *Tracker) Streak() (n, of int, failing bool) {
	switch {
	case t.state != StateDown && t.fails > 0:
		return t.fails, t.failAfter, true
	case t.state == StateDown && t.oks > 0:
		return t.oks, t.recoverAfter, false
	}
	return 0, 0, false
}

func (t *Tracker) errCount() (n, errs int) {
	t.hist.eachNewest(ErrorWindow, func(r probeRec) {
		n++
		if !r.ok {
			errs++
		}
	})
	return n, errs
}

func (t *Tracker) addBaseline(lat time.Duration) {
	t.base.push(lat)
	if t.base.len() < BaselineMin {
		return
	}
	var buf [BaselineWindow]time.Duration
	s := buf[:0]
	t.base.eachNewest(BaselineWindow, func(d time.Duration) { s = append(s, d) })
	slices.Sort(s)
	t.baseline = s[len(s)/2]
	if len(s)%2 == 0 {
		t.baseline = (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	t.baseReady = true
}

// State is the current health state.
func (t *Tracker) State() State { return t.state }

// Since is when the current state was entered (the observation's start);
// zero while unknown.
func (t *Tracker) Since() time.Time { return t.since }

// Onset is the first sign of what led to the current state, never after
// Since: for down, the first failed probe of the streak that took the
// mirror down (FailAfter probes before the verdict); for degraded, the first
// slow probe of a latency degradation or the probe that took the error
// rate over its threshold; otherwise Since itself.
func (t *Tracker) Onset() time.Time { return t.onset }

// Reason says why the mirror is degraded or down; empty when up.
func (t *Tracker) Reason() string { return t.reason }

// Last is the most recent observation.
func (t *Tracker) Last() Observation { return t.last }

// Baseline is the median latency of recent healthy probes; zero until
// BaselineMin samples exist.
func (t *Tracker) Baseline() time.Duration {
	if !t.baseReady {
		return 0
	}
	return t.baseline
}

// ErrorRate is the share of failed probes among the last ErrorWindow, 0–1.
func (t *Tracker) ErrorRate() float64 {
	n, errs := t.errCount()
	if n == 0 {
		return 0
	}
	return float64(errs) / float64(n)
}

// LatencyHistory returns up to HistoryLen latencies in milliseconds, oldest
// first, NaN for failed probes. The slice is new on every call.
func (t *Tracker) LatencyHistory() []float64 {
	out := make([]float64, 0, t.hist.len())
	t.hist.eachOldest(func(r probeRec) {
		if !r.ok {
			out = append(out, math.NaN())
			return
		}
		out = append(out, float64(r.latency)/float64(time.Millisecond))
	})
	return out
}

func roundDur(d time.Duration) time.Duration {
	switch {
	case d >= time.Second:
		return d.Round(10 * time.Millisecond)
	case d >= time.Millisecond:
		return d.Round(100 * time.Microsecond)
	default:
		return d.Round(time.Microsecond)
	}
}

// ring is a fixed-size buffer that overwrites its oldest entry.
type ring[T any] struct {
	buf  []T
	next int
	full bool
}

func newRing[T any](n int) ring[T] { return ring[T]{buf: make([]T, n)} }

func (r *ring[T]) push(v T) {
	r.buf[r.next] = v
	r.next++
	if r.next == len(r.buf) {
		r.next, r.full = 0, true
	}
}

func (r *ring[T]) len() int {
	if r.full {
		return len(r.buf)
	}
	return r.next
}

// newest is the entry pushed last; the ring must not be empty.
func (r *ring[T]) newest() *T { return &r.buf[(r.next-1+len(r.buf))%len(r.buf)] }

// eachNewest calls f on up to n entries, newest first.
func (r *ring[T]) eachNewest(n int, f func(T)) {
	n = min(n, r.len())
	for i := 1; i <= n; i++ {
		f(r.buf[(r.next-i+len(r.buf))%len(r.buf)])
	}
}

// eachOldest calls f on every entry, oldest first.
func (r *ring[T]) eachOldest(f func(T)) {
	n := r.len()
	start := 0
	if r.full {
		start = r.next
	}
	for i := 0; i < n; i++ {
		f(r.buf[(start+i)%len(r.buf)])
	}
}
