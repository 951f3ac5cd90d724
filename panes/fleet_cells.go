package panes

import (
	"slices"
	"sync"

	"warroom/backends/room"
)

// mirrorCells is what the fleet tables derive from one mirror's view:
// the widths of its cleaned texts (for the columns), whether it is pinned
// in view, and the flags the status lines count.
type mirrorCells struct {
	name, region, reason, syncErr int32 // display widths
	state                         room.State
	pin                           int8 // see pinMirror
	trending, traffic             bool
}

func cellsOf(m *room.MirrorView) mirrorCells {
	reason, _ := reasonCell(m, &inks{}, ink{})
	t := m.CatchUp.Trend
	return mirrorCells{
		name:     int32(cells(clean(m.Name))),
		region:   int32(cells(clean(m.Region))),
		reason:   int32(cells(reason)),
		syncErr:  int32(cells(clean(m.SyncErr))),
		state:    m.State,
		pin:      int8(pinMirror(m)),
		trending: t == room.TrendShrinking || t == room.TrendGrowing,
		traffic:  m.Traffic != nil,
	}
}

// fleetCells is mirrorCells for every mirror of one snapshot, with the
// totals the fleet tables and the header show. It is never changed once
// made, so sessions rendering at once may share it.
type fleetCells struct {
	snap     *room.Snapshot
	each     []mirrorCells // by index in snap.Mirrors
	counts   map[room.State]int
	pins     []int // indices of pinned mirrors, most important first
	trending bool  // some mirror's lag is shrinking or growing
	traffic  bool  // some mirror's users' traffic is counted
}

// fleetMemo holds the last snapshot's fleetCells for every pane and
// session. The room keeps an unchanged mirror's *MirrorView from one
// snapshot to the next and never changes a published one, so a new
// snapshot of 10,000 mirrors re-derives only the few views that are new:
// deriving them all again took a frame most of its 3 ms budget.
var fleetMemo struct {
	sync.Mutex
	last *fleetCells
}

// measureFleet returns s's fleetCells, derived from the last snapshot's
// where a mirror's view is the same.
func measureFleet(s *room.Snapshot) *fleetCells {
	fleetMemo.Lock()
	defer fleetMemo.Unlock()
	prev := fleetMemo.last
	if prev != nil && prev.snap == s {
		return prev
	}
	f := &fleetCells{snap: s, each: make([]mirrorCells, len(s.Mirrors))}
	var before []*room.MirrorView
	if prev != nil && len(prev.each) == len(s.Mirrors) {
		before = prev.snap.Mirrors
		f.counts = make(map[room.State]int, len(prev.counts))
		for st, n := range prev.counts {
			f.counts[st] = n
		}
	} else {
		f.counts = map[room.State]int{}
	}
	for i, m := range s.Mirrors {
		switch {
		case before == nil:
			f.each[i] = cellsOf(m)
			f.counts[m.State]++
		case before[i] == m:
			f.each[i] = prev.each[i]
		default:
			f.each[i] = cellsOf(m)
			f.counts[prev.each[i].state]--
			f.counts[m.State]++
		}
		c := &f.each[i]
		if c.pin > 0 {
			f.pins = append(f.pins, i)
		}
		f.trending = f.trending || c.trending
		f.traffic = f.traffic || c.traffic
	}
	for st, n := range f.counts {
		if n == 0 {
			delete(f.counts, st)
		}
	}
	slices.SortStableFunc(f.pins, func(a, b int) int { return int(f.each[a].pin) - int(f.each[b].pin) })
	fleetMemo.last = f
	return f
}

// StateCounts is how many mirrors of s are in each state, for the header.
func StateCounts(s *room.Snapshot) map[room.State]int {
	if s == nil {
		return nil
	}
	return measureFleet(s).counts
}
