package room

import (
	"testing"

	"warroom/backends/mirrors"
)

// TestSnapshotRebuildsOnlyChangedMirrorViews: a probe result rebuilds its
// mirror's view; the others are the previous snapshot's, and every
// snapshot still shows every mirror's latest.
func TestSnapshotRebuildsOnlyChangedMirrorViews(t *testing.T) {
	h := newHarness(t, &memJournal{}, nil)
	h.r.ObserveProbe(ok("osaka", t0, mirrors.SyncInfo{}))
	s1 := h.settle()
	h.r.ObserveProbe(ok("tokyo", t0, mirrors.SyncInfo{}))
	s2 := h.settle()
	if mirrorView(s2, "osaka") != mirrorView(s1, "osaka") {
		t.Error("osaka did not change but its view was built again")
	}
	if v := mirrorView(s2, "tokyo"); v == mirrorView(s1, "tokyo") || !v.LastProbe.Equal(t0) {
		t.Errorf("tokyo's probe is not in the next snapshot: %+v", v)
	}
	h.r.ObserveProbe(ok("osaka", t0.Add(1e9), mirrors.SyncInfo{}))
	h.r.ObserveProbe(ok("tokyo", t0.Add(1e9), mirrors.SyncInfo{}))
	s3 := h.settle()
	for _, name := range []string{"osaka", "tokyo"} {
		if !mirrorView(s3, name).LastProbe.Equal(t0.Add(1e9)) {
			t.Errorf("%s: the snapshot lost its latest probe", name)
		}
	}
	if got := len(s3.Mirrors); got != 2 {
		t.Errorf("%d mirrors in the snapshot, want 2", got)
	}
}
