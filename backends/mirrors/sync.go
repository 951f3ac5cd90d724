package mirrors

import "time"

// Position is where a mirror stands against the origin.
type Position struct {
	Lag           time.Duration // origin beacon − mirror beacon, never negative; valid when LagKnown
	LagKnown      bool
	SerialsBehind int64 // origin serial − mirror serial, never negative; valid when SerialKnown
	SerialKnown   bool
	// Drift: the mirror's manifest differs from the origin's manifest at the
	// same serial — the mirror claims a version it does not hold.
	Drift bool
}

// DefaultHistory is how many origin cycles OriginHistory keeps by default:
// at four Debian pushes a day, a month of serials.
const DefaultHistory = 128

// OriginHistory is a bounded record of what the origin looked like at each
// recent cycle, so a lagging mirror's manifest is checked against the
// origin's manifest of the mirror's cycle, not the origin's current one. A
// cycle is known by its serial, or, for lag sources without one (beacon,
// last-modified, json with only a time), by its origin-written sync time.
// It is not safe for concurrent use: the room owns it.
type OriginHistory struct {
	max      int
	order    []*originEntry // oldest first
	bySerial map[int64]*originEntry
	byBeacon map[int64]*originEntry // Unix seconds of the cycle's sync time
	latest   SyncInfo
}

type originEntry struct {
	serial   int64
	beacon   int64 // Unix seconds; 0 when unknown
	manifest string
	// ambiguous: the origin showed two manifests in this cycle (read while
	// it was updating); no drift is claimed against it.
	ambiguous bool
}

// NewOriginHistory keeps the last max cycles (DefaultHistory when max ≤ 0).
func NewOriginHistory(max int) *OriginHistory {
	if max <= 0 {
		max = DefaultHistory
	}
	return &OriginHistory{max: max, bySerial: make(map[int64]*originEntry), byBeacon: make(map[int64]*originEntry)}
}

// Add records one reading of the origin. Readings with an error, or with
// neither serial nor sync time, only update Latest.
func (h *OriginHistory) Add(s SyncInfo) {
	if s.Err != "" {
		return
	}
	h.latest = s
	e := h.find(s)
	if e == nil {
		if s.Serial <= 0 && s.Beacon.IsZero() {
			return
		}
		e = &originEntry{serial: max(s.Serial, 0), beacon: unixOrZero(s.Beacon)}
		h.order = append(h.order, e)
		if e.serial > 0 {
			h.bySerial[e.serial] = e
		}
		if _, taken := h.byBeacon[e.beacon]; e.beacon != 0 && !taken {
			h.byBeacon[e.beacon] = e
		}
		for len(h.order) > h.max {
			h.forget(h.order[0])
			h.order = h.order[1:]
		}
	}
	if s.Syncing || s.Manifest == "" {
		return // the origin's own files are moving: not a reference
	}
	switch {
	case e.manifest == "":
		e.manifest = s.Manifest
	case e.manifest != s.Manifest:
		e.ambiguous = true
	}
}

func (h *OriginHistory) forget(e *originEntry) {
	if h.bySerial[e.serial] == e {
		delete(h.bySerial, e.serial)
	}
	if h.byBeacon[e.beacon] == e {
		delete(h.byBeacon, e.beacon)
	}
}

// find is the cycle of reading s: by serial when it has one, else by its
// sync time.
func (h *OriginHistory) find(s SyncInfo) *originEntry {
	if s.Serial > 0 {
		return h.bySerial[s.Serial]
	}
	if s.Beacon.IsZero() {
		return nil
	}
	return h.byBeacon[s.Beacon.Unix()]
}

func unixOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.Unix()
}

// Latest is the newest reading added; zero before the first.
func (h *OriginHistory) Latest() SyncInfo { return h.latest }

// Len is the number of cycles remembered.
func (h *OriginHistory) Len() int { return len(h.order) }

// ManifestAt returns the origin's manifest hash at serial. known is false
// when the serial is not remembered; ok is false when it is remembered but
// has no usable manifest (none read, or two different ones).
func (h *OriginHistory) ManifestAt(serial int64) (manifest string, known, ok bool) {
	e, known := h.bySerial[serial]
	if !known {
		return "", false, false
	}
	return e.usable()
}

func (e *originEntry) usable() (manifest string, known, ok bool) {
	if e.ambiguous || e.manifest == "" {
		return "", true, false
	}
	return e.manifest, true, true
}

// later reports whether the origin showed manifest in a cycle after e's.
func (h *OriginHistory) later(e *originEntry, manifest string) bool {
	after := false
	for _, x := range h.order {
		if after && x.manifest == manifest {
			return true
		}
		after = after || x == e
	}
	return false
}

// Compare places mirror reading m against the origin's current reading
// (falling back to the history's latest when origin has no beacon, e.g. the
// origin probe just failed). hist may be nil.
//
// Drift is claimed when the mirror's manifest differs from the origin's of
// the mirror's cycle: the same serial, or, without a serial, the same
// origin-written sync time (so beacon and last-modified sources detect drift
// too, once the mirror holds a cycle the origin was seen in). Never while
// the mirror says it is syncing (new files under an old trace, by design);
// and, without a serial, not when the mirror already holds the manifest of
// a later origin cycle: its beacon is written last, so that is a sync in
// progress, not drift.
func Compare(origin SyncInfo, hist *OriginHistory, m SyncInfo) Position {
	var p Position
	if m.Err != "" {
		return p
	}
	if hist != nil && origin.Beacon.IsZero() && origin.Serial == 0 {
		origin = hist.Latest()
	}
	if !origin.Beacon.IsZero() && !m.Beacon.IsZero() {
		p.LagKnown = true
		if d := origin.Beacon.Sub(m.Beacon); d > 0 {
			p.Lag = d
		}
	}
	if origin.Serial > 0 && m.Serial > 0 {
		p.SerialKnown = true
		if d := origin.Serial - m.Serial; d > 0 {
			p.SerialsBehind = d
		}
	}
	if m.Manifest == "" || m.Syncing || (m.Serial <= 0 && m.Beacon.IsZero()) {
		return p
	}
	want, known, ok := "", false, false
	var e *originEntry
	if hist != nil {
		if e = hist.find(m); e != nil {
			want, known, ok = e.usable()
		}
	}
	if !known && sameCycle(origin, m) && origin.Manifest != "" && !origin.Syncing {
		want, ok = origin.Manifest, true
	}
	if m.Serial <= 0 && e != nil && hist.later(e, m.Manifest) {
		return p
	}
	p.Drift = ok && want != m.Manifest
	return p
}

// sameCycle: the two readings name the same origin cycle.
func sameCycle(a, b SyncInfo) bool {
	if b.Serial > 0 {
		return a.Serial == b.Serial
	}
	return !a.Beacon.IsZero() && a.Beacon.Unix() == b.Beacon.Unix()
}
