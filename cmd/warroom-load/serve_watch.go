package main

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"time"
)

// point is the server's cumulative figures at one moment.
type point struct {
	at       time.Time
	cpu      time.Duration
	rss, hwm int64
	late     []bucket // cumulative, by bound
	// worst readings since the point before
	queued  float64
	hostAge float64
}

// bucket is one histogram bucket: count of observations ≤ le.
type bucket struct {
	le float64
	n  float64
}

// window is what happened between two points.
type window struct {
	dur      time.Duration
	cpu      time.Duration
	rss, hwm int64
	checks   float64
	late     []bucket
	queued   float64
	hostAge  float64
}

// watch reads the server once a second, keeping the worst inbox and host
// sample age between points.
type watch struct {
	srv             *server
	queued, hostAge float64
}

func newWatch(srv *server) *watch { return &watch{srv: srv} }

// until reads every second until t, then takes a point.
func (w *watch) until(ctx context.Context, t time.Time) (point, error) {
	for {
		select {
		case <-w.srv.exited:
			return point{}, fmt.Errorf("warroom serve exited during the run (log in %s)", w.srv.dir)
		default:
		}
		now := time.Now()
		if !now.Before(t) {
			return w.take(ctx, now), nil
		}
		if text, err := engine(ctx, w.srv.debug); err == nil {
			w.queued = worst(w.queued, gauge(text, "inbox_queued"))
			w.hostAge = worst(w.hostAge, gauge(text, "host_sample_age_seconds"))
		}
		time.Sleep(min(samplePeriod, time.Until(t))) // a sampling period, not synchronisation
	}
}

func (w *watch) take(ctx context.Context, now time.Time) point {
	p := point{at: now, queued: w.queued, hostAge: w.hostAge}
	w.queued, w.hostAge = 0, 0
	p.cpu, _ = procCPU(w.srv.pid())
	p.rss, p.hwm = procMem(w.srv.pid())
	if text, err := engine(ctx, w.srv.debug); err == nil {
		p.late = histogram(text, "start_lateness")
	}
	return p
}

func (p point) since(q point) window {
	win := window{dur: p.at.Sub(q.at), cpu: p.cpu - q.cpu, rss: p.rss, hwm: p.hwm, queued: p.queued, hostAge: p.hostAge}
	for i, b := range p.late {
		n := b.n
		if i < len(q.late) {
			n -= q.late[i].n
		}
		win.late = append(win.late, bucket{b.le, n})
	}
	if len(win.late) > 0 {
		win.checks = win.late[len(win.late)-1].n // +Inf
	}
	return win
}

// add joins two consecutive windows.
func (a window) add(b window) window {
	out := window{dur: a.dur + b.dur, cpu: a.cpu + b.cpu, rss: b.rss, hwm: b.hwm, checks: a.checks + b.checks,
		queued: max(a.queued, b.queued), hostAge: max(a.hostAge, b.hostAge)}
	for i, x := range b.late {
		if i < len(a.late) {
			x.n += a.late[i].n
		}
		out.late = append(out.late, x)
	}
	return out
}

func (win window) line(targets int, interval time.Duration) string {
	expect := float64(targets) * win.dur.Seconds() / interval.Seconds()
	return fmt.Sprintf("RSS %.1f MiB (peak %.1f), CPU %.1f%% of a core over %v, %.0f checks started (%.0f expected), lateness p50 %s p99 %s, inbox ≤ %.0f queued, host sample ≤ %.1fs old",
		mib(win.rss), mib(win.hwm), 100*win.cpu.Seconds()/win.dur.Seconds(), win.dur.Round(time.Second),
		win.checks, expect, quantile(win.late, 0.50), quantile(win.late, 0.99), win.queued, win.hostAge)
}

// quantile names the bucket bound the q-th observation falls under.
func quantile(bs []bucket, q float64) string {
	if len(bs) == 0 || bs[len(bs)-1].n == 0 {
		return "n/a"
	}
	want := q * bs[len(bs)-1].n
	for _, b := range bs {
		if b.n >= want {
			if math.IsInf(b.le, 1) {
				return "> " + fmtSec(bs[len(bs)-2].le)
			}
			return "≤ " + fmtSec(b.le)
		}
	}
	return "n/a"
}

// worst keeps the larger reading; an absent one (NaN) changes nothing.
func worst(a, b float64) float64 {
	if math.IsNaN(b) {
		return a
	}
	return max(a, b)
}

func fmtSec(s float64) string { return time.Duration(s * float64(time.Second)).String() }

func mib(b int64) float64 { return float64(b) / (1 << 20) }

// gauge reads a "name value" line; NaN if absent.
func gauge(text, name string) float64 {
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err == nil {
				return f
			}
		}
	}
	return math.NaN()
}

// histogram reads an unlabelled histogram's cumulative buckets.
func histogram(text, name string) []bucket {
	var out []bucket
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), name+`_bucket{le="`)
		if !ok {
			continue
		}
		le, v, ok := strings.Cut(rest, `"} `)
		if !ok {
			continue
		}
		l, err1 := strconv.ParseFloat(le, 64)
		n, err2 := strconv.ParseFloat(v, 64)
		if err1 == nil && err2 == nil {
			out = append(out, bucket{l, n})
		}
	}
	return out
}

// procMem is a process's resident set and its peak (VmRSS, VmHWM), in bytes.
func procMem(pid int) (rss, hwm int64) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0
	}
	for _, l := range strings.Split(string(b), "\n") {
		k, v, ok := strings.Cut(l, ":")
		if !ok || (k != "VmRSS" && k != "VmHWM") {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		if err != nil {
			continue
		}
		if k == "VmRSS" {
			rss = kb << 10
		} else {
			hwm = kb << 10
		}
	}
	return rss, hwm
}

// samplePeriod is off the host sampler's second, so the age read walks
// through its phases instead of always landing just after a sample.
const samplePeriod = 700 * time.Millisecond
