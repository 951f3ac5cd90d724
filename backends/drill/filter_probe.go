package drill

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"time"

	"warroom/backends/mirrors"
)

// Reasons a filtered probe reports, so nobody mistakes a drill for the
// real thing when reading the room.
const (
	ReasonDown     = "drill: mirror down"
	ReasonFlapping = "drill: mirror flapping (down phase)"
)

// Probes wraps the probes' sink (the room's ObserveProbe): observations of
// mirrors a fault breaks are rewritten, the rest pass untouched. Safe for
// the scheduler's concurrent calls.
func (f *Filter) Probes(next func(mirrors.Observation)) func(mirrors.Observation) {
	return func(o mirrors.Observation) { next(f.Probe(o)) }
}

// Probe returns o as the room should see it with the faults applied now:
//
//	mirror-down, region-down  a failed probe, reason ReasonDown
//	flapping                  up for Period from injection, then failed for Period, repeating
//	slow                      Latency + Delay; a timeout when that reaches the mirror's timeout
//	lag                       the sync beacon Behind older (the position, not the serial)
//	drift                     a manifest hash other than the mirror's, so it differs from the origin's
//
// Drift shows only for mirrors whose manifest the probes read (mirror
// manifest: in the config); lag only for mirrors with a lag source.
func (f *Filter) Probe(o mirrors.Observation) mirrors.Observation {
	on := f.applying(func(a *filtered) bool { return a.mirrors[o.Mirror] })
	if len(on) == 0 {
		return o
	}
	now := f.clock.Now()
	var slow, behind time.Duration
	drift := false
	for _, a := range on {
		switch a.fault.Kind {
		case KindMirrorDown:
			return failed(o, ReasonDown)
		case KindRegionDown:
			return failed(o, fmt.Sprintf("%s (region %s)", ReasonDown, a.fault.Region))
		case KindFlapping:
			if flapDown(a, now) {
				return failed(o, ReasonFlapping)
			}
		case KindSlow:
			slow += a.fault.Delay
		case KindLag:
			behind = max(behind, a.fault.Behind)
		case KindDrift:
			drift = true
		}
	}
	if !o.OK() {
		return o // the mirror failed on its own: that stays visible
	}
	if slow > 0 {
		o.Latency += slow
		if t := f.timeouts[o.Mirror]; t > 0 && o.Latency >= t {
			return failed(o, fmt.Sprintf("drill: timeout after %s (answers slowed by %s)", t, slow))
		}
	}
	if behind > 0 && o.Sync.Err == "" && !o.Sync.Beacon.IsZero() {
		o.Sync.Beacon = o.Sync.Beacon.Add(-behind)
	}
	if drift && o.Sync.Manifest != "" {
		sum := sha256.Sum256([]byte("drill drift " + o.Sync.Manifest))
		o.Sync.Manifest = hex.EncodeToString(sum[:])
	}
	return o
}

// flapDown: a flapping fault is up for its period from injection, then
// down for its period, and so on.
func flapDown(a *filtered, now time.Time) bool {
	p := a.fault.Period
	if p <= 0 {
		p = DefaultFlapPeriod
	}
	t := now.Sub(a.since)
	return t >= 0 && (t/p)%2 == 1
}

// failed is o as a probe that got no answer for reason.
func failed(o mirrors.Observation, reason string) mirrors.Observation {
	return mirrors.Observation{Mirror: o.Mirror, Start: o.Start, Latency: o.Latency, Err: reason,
		Sync: mirrors.SyncInfo{Err: reason}}
}
