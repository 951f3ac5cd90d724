package mirrors

import (
	"slices"
	"time"
)

// Cadence is how often the origin publishes a new cycle: the median gap
// between the sync times of the cycles remembered (0 with fewer than two).
// A mirror one cycle behind is as current as mirrors get.
func (h *OriginHistory) Cadence() time.Duration {
	var gaps []int64
	var prev int64
	for _, e := range h.order {
		if e.beacon == 0 {
			continue
		}
		if prev != 0 && e.beacon > prev {
			gaps = append(gaps, e.beacon-prev)
		}
		prev = e.beacon
	}
	if len(gaps) == 0 {
		return 0
	}
	slices.Sort(gaps)
	return time.Duration(gaps[len(gaps)/2]) * time.Second
}

// Reference is the origin's manifest hash for the cycle mirror reading m
// holds, the one Compare checks it against; "" when not known (never
// read, or two manifests seen in that cycle). hist may be nil.
func Reference(origin SyncInfo, hist *OriginHistory, m SyncInfo) string {
	if hist != nil {
		if e := hist.find(m); e != nil {
			want, _, _ := e.usable()
			return want
		}
	}
	if sameCycle(origin, m) && !origin.Syncing {
		return origin.Manifest
	}
	return ""
}
