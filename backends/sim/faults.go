package sim

import "time"

// faults is one node's switchable behaviour. Handlers copy it under the
// node's lock once per request, so a request sees one consistent setting.
type faults struct {
	blackhole bool
	delay     time.Duration
	jitter    time.Duration
	status    int // health status; 0 = 200
	lag       time.Duration
	frozen    bool
	frozenAt  time.Time
	drift     bool
	syncing   bool
	beacon    []byte // /lastsync override; nil = normal; never mutated

	flap cycle // failing phases: flapping
	// outage is one failing window [from, until): connections reset.
	outageFrom, outageUntil time.Time
	slow                    cycle // failing phases: extra latency slowBy
	// slowBy is the extra latency during slow phases.
	slowBy time.Duration
	// syncWindow > 0 shows the syncing marker for this long before each of
	// the node's updates.
	syncWindow time.Duration
	// cutFrom: requests from this region (RegionHeader) are reset, as if
	// the network between that region and the node were down.
	cutFrom string
}

// cycle is a repeating healthy/failing pattern anchored on the clock:
// healthy for up, then failing for down, starting at from.
type cycle struct {
	up, down time.Duration
	from     time.Time
}

// phase reports whether the pattern is failing at now and which cycle that
// is (0 for the first).
func (c cycle) phase(now time.Time) (failing bool, n int64) {
	if c.up <= 0 || c.down <= 0 || now.Before(c.from) {
		return false, 0
	}
	t := now.Sub(c.from)
	period := c.up + c.down
	return t%period >= c.up, int64(t / period)
}

// view is the state a node with these faults holds at now.
func (fl faults) view(m model, now time.Time) State {
	ref := now
	if fl.frozen {
		ref = fl.frozenAt
	}
	ref = ref.Add(-fl.lag)
	st := m.state(m.step(ref), fl.drift)
	st.Syncing = fl.syncing || fl.inSyncWindow(m, now)
	return st
}

// inSyncWindow: the node's next update lands when (now − lag − start) next
// crosses a multiple of SyncEvery; the marker shows for syncWindow before.
func (fl faults) inSyncWindow(m model, now time.Time) bool {
	if fl.syncWindow <= 0 || fl.frozen {
		return false
	}
	t := now.Add(-fl.lag).Sub(m.start)
	if t < 0 {
		return false
	}
	return t%m.every >= m.every-fl.syncWindow
}
