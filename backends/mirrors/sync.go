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

// DefaultHistory is how many origin serials OriginHistory keeps by default:
// at four Debian pushes a day, a month of serials.
const DefaultHistory = 128

// OriginHistory is a bounded record of what the origin looked like at each
// recent serial, so a lagging mirror's manifest is checked against the
// origin's manifest at the mirror's serial, not the origin's current one.
// It is not safe for concurrent use: the room owns it.
type OriginHistory struct {
	max     int
	order   []int64 // serials, oldest first
	entries map[int64]*originEntry
	latest  SyncInfo
}

type originEntry struct {
	manifest string
	beacon   time.Time
	// ambiguous: the origin showed two manifests at this serial (read while
	// it was updating); no drift is claimed against it.
	ambiguous bool
}

// NewOriginHistory keeps the last max serials (DefaultHistory when max ≤ 0).
func NewOriginHistory(max int) *OriginHistory {
	if max <= 0 {
		max = DefaultHistory
	}
	return &OriginHistory{max: max, entries: make(map[int64]*originEntry)}
}

// Add records one reading of the origin. Readings with an error or no serial
// only update Latest.
func (h *OriginHistory) Add(s SyncInfo) {
	if s.Err != "" {
		return
	}
	h.latest = s
	if s.Serial <= 0 {
		return
	}
	manifest := s.Manifest
	if s.Syncing {
		manifest = "" // the origin's own files are moving: not a reference
	}
	e, ok := h.entries[s.Serial]
	if !ok {
		e = &originEntry{manifest: manifest, beacon: s.Beacon}
		h.entries[s.Serial] = e
		h.order = append(h.order, s.Serial)
		for len(h.order) > h.max {
			delete(h.entries, h.order[0])
			h.order = h.order[1:]
		}
		return
	}
	if manifest != "" {
		if e.manifest == "" {
			e.manifest = manifest
		} else if e.manifest != manifest {
			e.ambiguous = true
		}
	}
}

// Latest is the newest reading added; zero before the first.
func (h *OriginHistory) Latest() SyncInfo { return h.latest }

// Len is the number of serials remembered.
func (h *OriginHistory) Len() int { return len(h.order) }

// ManifestAt returns the origin's manifest hash at serial. known is false
// when the serial is not remembered; ok is false when it is remembered but
// has no usable manifest (none read, or two different ones).
func (h *OriginHistory) ManifestAt(serial int64) (manifest string, known, ok bool) {
	e, known := h.entries[serial]
	if !known {
		return "", false, false
	}
	if e.ambiguous || e.manifest == "" {
		return "", true, false
	}
	return e.manifest, true, true
}

// Compare places mirror reading m against the origin's current reading
// (falling back to the history's latest when origin has no beacon, e.g. the
// origin probe just failed). hist may be nil.
//
// Drift is claimed only when the mirror's serial is known, the origin's
// manifest at that serial is known, and the mirror is not syncing (a syncing
// mirror has new files under an old trace for a few minutes, by design).
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
	if m.Manifest == "" || m.Serial <= 0 || m.Syncing {
		return p
	}
	want, known, ok := "", false, false
	if hist != nil {
		want, known, ok = hist.ManifestAt(m.Serial)
	}
	if !known && origin.Serial == m.Serial && origin.Manifest != "" && !origin.Syncing {
		want, ok = origin.Manifest, true
	}
	p.Drift = ok && want != m.Manifest
	return p
}
