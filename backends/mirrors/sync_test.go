package mirrors

import (
	"fmt"
	"testing"
	"time"
)

func TestCompare(t *testing.T) {
	t0 := time.Date(2026, 8, 22, 12, 0, 0, 0, time.UTC)
	hist := NewOriginHistory(3)
	hist.Add(SyncInfo{Beacon: t0, Serial: 2026082201, Manifest: "m1"})
	hist.Add(SyncInfo{Beacon: t0.Add(time.Hour), Serial: 2026082202, Manifest: "m2"})
	hist.Add(SyncInfo{Beacon: t0.Add(2 * time.Hour), Serial: 2026082203, Manifest: "m3"})
	origin := hist.Latest()

	tests := []struct {
		name   string
		origin SyncInfo
		hist   *OriginHistory
		m      SyncInfo
		want   Position
	}{
		{"in sync", origin, hist, SyncInfo{Beacon: origin.Beacon, Serial: 2026082203, Manifest: "m3"},
			Position{LagKnown: true, SerialKnown: true}},
		{"behind, same content as origin had", origin, hist, SyncInfo{Beacon: t0, Serial: 2026082201, Manifest: "m1"},
			Position{Lag: 2 * time.Hour, LagKnown: true, SerialsBehind: 2, SerialKnown: true}},
		{"drift at an old serial", origin, hist, SyncInfo{Beacon: t0, Serial: 2026082201, Manifest: "m3"},
			Position{Lag: 2 * time.Hour, LagKnown: true, SerialsBehind: 2, SerialKnown: true, Drift: true}},
		{"drift at the current serial", origin, hist, SyncInfo{Beacon: origin.Beacon, Serial: 2026082203, Manifest: "zz"},
			Position{LagKnown: true, SerialKnown: true, Drift: true}},
		{"syncing mirror is not drift", origin, hist, SyncInfo{Beacon: t0, Serial: 2026082201, Manifest: "m3", Syncing: true},
			Position{Lag: 2 * time.Hour, LagKnown: true, SerialsBehind: 2, SerialKnown: true}},
		// Without a serial (beacon, last-modified) the sync time names the cycle.
		{"no serial: drift at the origin's sync time", origin, hist, SyncInfo{Beacon: t0, Manifest: "zz"},
			Position{Lag: 2 * time.Hour, LagKnown: true, Drift: true}},
		{"no serial: same content as the origin had", origin, hist, SyncInfo{Beacon: t0, Manifest: "m1"},
			Position{Lag: 2 * time.Hour, LagKnown: true}},
		{"no serial: a later cycle's manifest is a sync in progress", origin, hist, SyncInfo{Beacon: t0, Manifest: "m3"},
			Position{Lag: 2 * time.Hour, LagKnown: true}},
		{"no serial: a sync time the origin was not seen at: no claim", origin, hist, SyncInfo{Beacon: t0.Add(30 * time.Minute), Manifest: "zz"},
			Position{Lag: 90 * time.Minute, LagKnown: true}},
		{"no serial, no history: the origin's own manifest at its sync time", origin, nil, SyncInfo{Beacon: origin.Beacon, Manifest: "zz"},
			Position{LagKnown: true, Drift: true}},
		{"no serial, no sync time: no claim", origin, hist, SyncInfo{Manifest: "zz"}, Position{}},
		{"serial older than history: no drift claim", origin, hist, SyncInfo{Serial: 2026082100, Manifest: "zz"},
			Position{SerialsBehind: 2026082203 - 2026082100, SerialKnown: true}},
		{"mirror ahead clamps to zero", origin, hist, SyncInfo{Beacon: origin.Beacon.Add(time.Minute), Serial: 2026082204},
			Position{LagKnown: true, SerialKnown: true}},
		{"no beacon on mirror", origin, hist, SyncInfo{Serial: 2026082203},
			Position{SerialKnown: true}},
		{"mirror read error", origin, hist, SyncInfo{Err: "boom", Beacon: t0},
			Position{}},
		{"origin unknown falls back to history", SyncInfo{}, hist, SyncInfo{Beacon: t0, Serial: 2026082202, Manifest: "m2"},
			Position{Lag: 2 * time.Hour, LagKnown: true, SerialsBehind: 1, SerialKnown: true}},
		{"no history: origin's own manifest at its serial", origin, nil, SyncInfo{Beacon: origin.Beacon, Serial: 2026082203, Manifest: "zz"},
			Position{LagKnown: true, SerialKnown: true, Drift: true}},
		{"no history, other serial: no claim", origin, nil, SyncInfo{Beacon: t0, Serial: 2026082201, Manifest: "zz"},
			Position{Lag: 2 * time.Hour, LagKnown: true, SerialsBehind: 2, SerialKnown: true}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := Compare(tc.origin, tc.hist, tc.m); got != tc.want {
				t.Errorf("Compare = %+v, want %+v", got, tc.want)
			}
		})
	}
}

func TestOriginHistoryBoundedAndAmbiguous(t *testing.T) {
	h := NewOriginHistory(2)
	h.Add(SyncInfo{Serial: 1, Manifest: "a"})
	h.Add(SyncInfo{Serial: 2, Manifest: "b"})
	h.Add(SyncInfo{Serial: 3, Manifest: "c"})
	if h.Len() != 2 {
		t.Fatalf("Len = %d, want 2", h.Len())
	}
	if _, known, _ := h.ManifestAt(1); known {
		t.Error("serial 1 should have been evicted")
	}
	h.Add(SyncInfo{Serial: 3, Manifest: "c2"}) // origin read mid-update
	if _, known, ok := h.ManifestAt(3); !known || ok {
		t.Errorf("serial 3 with two manifests: known=%v ok=%v, want known and not usable", known, ok)
	}
	if p := Compare(h.Latest(), h, SyncInfo{Serial: 3, Manifest: "zz"}); p.Drift {
		t.Error("drift claimed against an ambiguous serial")
	}
	h.Add(SyncInfo{Serial: 4, Manifest: "d", Syncing: true})
	if _, known, ok := h.ManifestAt(4); !known || ok {
		t.Errorf("manifest read while the origin syncs must not be a reference: known=%v ok=%v", known, ok)
	}
	h.Add(SyncInfo{Serial: 9, Err: "boom"})
	if h.Latest().Serial != 4 {
		t.Errorf("a failed reading replaced Latest: %+v", h.Latest())
	}
}

// TestOriginHistoryWithoutSerials: an origin read through a beacon keys its
// cycles by sync time, bounded like serials.
func TestOriginHistoryWithoutSerials(t *testing.T) {
	t0 := time.Date(2026, 8, 22, 12, 0, 0, 0, time.UTC)
	h := NewOriginHistory(2)
	for i := range 3 {
		h.Add(SyncInfo{Beacon: t0.Add(time.Duration(i) * time.Hour), Manifest: fmt.Sprint("m", i)})
	}
	h.Add(SyncInfo{Beacon: t0.Add(2 * time.Hour), Manifest: "m2"}) // read again: same cycle
	if h.Len() != 2 {
		t.Fatalf("Len = %d, want 2", h.Len())
	}
	if p := Compare(h.Latest(), h, SyncInfo{Beacon: t0, Manifest: "zz"}); p.Drift {
		t.Error("drift claimed against a forgotten cycle")
	}
	if p := Compare(h.Latest(), h, SyncInfo{Beacon: t0.Add(time.Hour), Manifest: "zz"}); !p.Drift {
		t.Error("no drift against a remembered cycle")
	}
	h.Add(SyncInfo{Beacon: t0.Add(2 * time.Hour), Manifest: "m2b"}) // changed under the same beacon
	if p := Compare(h.Latest(), h, SyncInfo{Beacon: t0.Add(2 * time.Hour), Manifest: "zz"}); p.Drift {
		t.Error("drift claimed against an ambiguous cycle")
	}
}
