package mirrors

import (
	"testing"
	"time"
)

func TestCadenceIsTheMedianGapBetweenCycles(t *testing.T) {
	h := NewOriginHistory(8)
	if c := h.Cadence(); c != 0 {
		t.Fatalf("no cycles: cadence %s, want 0", c)
	}
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	for _, m := range []int{0, 6, 12, 13, 18, 24} { // one early push among six-hourly ones
		h.Add(SyncInfo{Beacon: t0.Add(time.Duration(m) * time.Hour)})
		h.Add(SyncInfo{Beacon: t0.Add(time.Duration(m) * time.Hour)}) // read twice in its cycle
	}
	if c := h.Cadence(); c != 6*time.Hour {
		t.Errorf("cadence %s, want 6h", c)
	}
}

func TestReferenceIsTheOriginsManifestOfTheMirrorsCycle(t *testing.T) {
	t0 := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	h := NewOriginHistory(8)
	old := SyncInfo{Beacon: t0, Serial: 7, Manifest: "seven"}
	now := SyncInfo{Beacon: t0.Add(time.Hour), Serial: 8, Manifest: "eight"}
	h.Add(old)
	h.Add(now)
	for _, c := range []struct {
		m    SyncInfo
		want string
	}{
		{SyncInfo{Serial: 7, Manifest: "x"}, "seven"},
		{SyncInfo{Serial: 8, Manifest: "x"}, "eight"},
		{SyncInfo{Serial: 5, Manifest: "x"}, ""}, // before what is remembered
	} {
		if got := Reference(now, h, c.m); got != c.want {
			t.Errorf("serial %d: reference %q, want %q", c.m.Serial, got, c.want)
		}
	}
	if got := Reference(now, nil, SyncInfo{Serial: 8}); got != "eight" {
		t.Errorf("without a history, the origin's own cycle: %q", got)
	}
}
