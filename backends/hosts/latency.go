package hosts

// ioLatency turns successive disk counters into the average time per
// completed I/O over the interval: Δ(read+write time) / Δ(reads+writes),
// as iostat's await does. Deltas are per device, as in pairRates.
type ioLatency struct {
	device    string // "" = every device the source lists
	prev, cur map[string]ioTotals
	primed    bool
}

type ioTotals struct {
	seconds float64
	ops     uint64
}

func newIOLatency(device string) *ioLatency {
	return &ioLatency{device: device, prev: map[string]ioTotals{}, cur: map[string]ioTotals{}}
}

// next takes one reading and returns the latency in seconds: -1 on the
// first reading, when a device vanished, went backwards or the named one
// is missing; 0 when no I/O completed in the interval.
func (l *ioLatency) next(ds []DiskCounters) float64 {
	clear(l.cur)
	for _, d := range ds {
		if l.device != "" && d.Name != l.device {
			continue
		}
		c := l.cur[d.Name]
		l.cur[d.Name] = ioTotals{seconds: c.seconds + d.ReadSeconds + d.WriteSeconds, ops: c.ops + d.Reads + d.Writes}
	}
	out := -1.0
	if l.primed && len(l.cur) > 0 && len(l.prev) > 0 {
		out = l.delta()
	}
	l.prev, l.cur = l.cur, l.prev
	l.primed = true
	return out
}

func (l *ioLatency) delta() float64 {
	var secs float64
	var ops uint64
	for name, p := range l.prev {
		c, ok := l.cur[name]
		if !ok || c.ops < p.ops || c.seconds < p.seconds {
			return -1
		}
		secs += c.seconds - p.seconds
		ops += c.ops - p.ops
	}
	if ops == 0 {
		return 0
	}
	return secs / float64(ops)
}
