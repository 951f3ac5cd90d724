package main

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"sync"
	"time"

	"warroom/backends/mirrors"
)

// recorder collects probe starts and results from many goroutines.
type recorder struct {
	start time.Time
	index map[string]int
	bh    []bool

	mu      sync.Mutex
	starts  [][]time.Time   // per target, actual probe start times
	late    []time.Duration // start − due, healthy targets
	lateBH  []time.Duration // start − due, black-holed targets
	probes  int
	ok      int
	reasons map[string]int
}

func newRecorder(ts []target, start time.Time) *recorder {
	r := &recorder{start: start, index: map[string]int{}, reasons: map[string]int{}}
	for i, t := range ts {
		r.index[t.name] = i
		r.bh = append(r.bh, t.blackholed)
	}
	r.starts = make([][]time.Time, len(ts))
	return r
}

// onStart is the scheduler's OnStart hook.
func (r *recorder) onStart(name string, due time.Time) {
	now := time.Now()
	i := r.index[name]
	r.mu.Lock()
	r.starts[i] = append(r.starts[i], now)
	if r.bh[i] {
		r.lateBH = append(r.lateBH, now.Sub(due))
	} else {
		r.late = append(r.late, now.Sub(due))
	}
	r.mu.Unlock()
}

// sink is the scheduler's sink: cheap, as the scheduler asks.
func (r *recorder) sink(o mirrors.Observation) {
	r.mu.Lock()
	r.probes++
	if o.OK() && o.Sync.Err == "" {
		r.ok++
	} else {
		why := o.Err
		if why == "" {
			why = "sync: " + o.Sync.Err
		}
		r.reasons[why]++
	}
	r.mu.Unlock()
}

// fidelity summarises how well the schedule was kept.
type fidelity struct {
	allProbedAfter time.Duration // until every target had started one probe
	expected       int           // interval slots in the run
	missing        int           // slots with no probe started
	holes          int           // gaps between consecutive starts over 1.5 intervals
}

// fidelity counts, per target, the slots from its first start to end (less
// slack, the most a deadline is jittered) against the probes started.
func (r *recorder) fidelity(end time.Time, interval, slack time.Duration) fidelity {
	r.mu.Lock()
	defer r.mu.Unlock()
	var f fidelity
	for _, ss := range r.starts {
		if len(ss) == 0 {
			n := int(end.Sub(r.start) / interval)
			f.allProbedAfter = end.Sub(r.start)
			f.missing += n
			f.expected += n
			continue
		}
		ss = slices.Clone(ss)
		slices.SortFunc(ss, func(a, b time.Time) int { return a.Compare(b) })
		f.allProbedAfter = max(f.allProbedAfter, ss[0].Sub(r.start))
		want := int(end.Sub(ss[0])-slack)/int(interval) + 1
		f.expected += want
		f.missing += max(0, want-len(ss))
		for i := 1; i < len(ss); i++ {
			if ss[i].Sub(ss[i-1]) > interval+interval/2 {
				f.holes++
			}
		}
	}
	return f
}

func percentiles(ds []time.Duration) (p50, p99, mx time.Duration) {
	if len(ds) == 0 {
		return 0, 0, 0
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	at := func(q float64) time.Duration { return s[min(len(s)-1, int(q*float64(len(s))))] }
	return at(0.50), at(0.99), s[len(s)-1]
}

func (r *recorder) printReasons(w io.Writer) {
	r.mu.Lock()
	defer r.mu.Unlock()
	type kv struct {
		k string
		v int
	}
	var all []kv
	for k, v := range r.reasons {
		all = append(all, kv{k, v})
	}
	sort.Slice(all, func(i, j int) bool { return all[i].v > all[j].v })
	for i, e := range all {
		if i == 5 {
			fmt.Fprintf(w, "    … %d more reasons\n", len(all)-5)
			break
		}
		fmt.Fprintf(w, "    %6d  %s\n", e.v, e.k)
	}
}

// spread says how the probe starts fall within the interval: the largest
// share of them in any one second of it, and the shortest stretch of it
// (wrapping round) that holds 95 % of them. Even spread over 15 s: about
// 6.7 % and 14.25 s; all at once: 100 % and 0.
func (r *recorder) spread(interval time.Duration) (maxSecond float64, window95 time.Duration) {
	r.mu.Lock()
	var offs []time.Duration
	for _, ss := range r.starts {
		for _, s := range ss {
			offs = append(offs, s.Sub(r.start)%interval)
		}
	}
	r.mu.Unlock()
	return spreadOf(offs, interval)
}

func spreadOf(offs []time.Duration, interval time.Duration) (maxSecond float64, window95 time.Duration) {
	n := len(offs)
	if n == 0 || interval < time.Second {
		return 0, 0
	}
	per := make([]int, (interval+time.Second-1)/time.Second)
	for _, o := range offs {
		per[o/time.Second]++
	}
	maxSecond = float64(slices.Max(per)) / float64(n)
	slices.Sort(offs)
	k := max(1, (n*95+99)/100) // points the window must hold
	window95 = interval
	for i := range offs {
		j := i + k - 1
		end := offs[j%n]
		if j >= n {
			end += interval
		}
		window95 = min(window95, end-offs[i])
	}
	return maxSecond, window95
}
