package hosts

import "time"

// pairRates remembers the previous reading of a set of named counter pairs
// (read/write, rx/tx) and turns each new reading into two summed rates.
// Deltas are taken per device, so a device that appears is only baselined,
// while one that vanished or went backwards makes that rate unknown (-1):
// its traffic in the interval cannot be known.
type pairRates struct {
	prev, cur map[string][2]uint64
	at        time.Time
	primed    bool
}

func newPairRates() *pairRates {
	return &pairRates{prev: map[string][2]uint64{}, cur: map[string][2]uint64{}}
}

// begin starts a new reading.
func (r *pairRates) begin() { clear(r.cur) }

// add records one device's counters in the reading under way. A name seen
// twice in one reading is summed.
func (r *pairRates) add(name string, a, b uint64) {
	c := r.cur[name]
	r.cur[name] = [2]uint64{c[0] + a, c[1] + b}
}

// finish closes the reading taken at now and returns the rates per second
// since the previous one, or -1 where they cannot be computed (first
// reading, no time elapsed, reset or vanished device).
func (r *pairRates) finish(now time.Time) (rateA, rateB float64) {
	rateA, rateB = -1, -1
	if elapsed := now.Sub(r.at).Seconds(); r.primed && elapsed > 0 {
		rateA, rateB = r.deltas(elapsed)
	}
	r.prev, r.cur = r.cur, r.prev
	r.at, r.primed = now, true
	return rateA, rateB
}

func (r *pairRates) deltas(elapsed float64) (float64, float64) {
	var da, db uint64
	okA, okB := true, true
	for name, p := range r.prev {
		c, ok := r.cur[name]
		if !ok {
			return -1, -1
		}
		if c[0] < p[0] {
			okA = false
		}
		if c[1] < p[1] {
			okB = false
		}
		da += c[0] - p[0]
		db += c[1] - p[1]
	}
	a, b := float64(da)/elapsed, float64(db)/elapsed
	if !okA {
		a = -1
	}
	if !okB {
		b = -1
	}
	return a, b
}

// cpuPercent turns successive CPU times into the busy share of the
// interval, 0–100, or -1 on the first reading or when the counters did not
// move (readings closer together than the kernel's tick).
type cpuPercent struct {
	prev   CPUTimes
	primed bool
}

func (c *cpuPercent) next(t CPUTimes) float64 {
	prev, primed := c.prev, c.primed
	c.prev, c.primed = t, true
	total := t.Total - prev.Total
	if !primed || total <= 0 {
		return -1
	}
	// Idle and iowait can step back a little on tickless kernels, so the
	// busy delta is clamped rather than rejected.
	busy := t.Busy - prev.Busy
	return min(100, max(0, busy/total*100))
}
