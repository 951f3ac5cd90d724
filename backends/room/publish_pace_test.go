package room

import (
	"context"
	"runtime"
	"testing"
	"time"

	"warroom/backends/mirrors"
)

// TestObservationStreamPublishesAtMostOncePerGap: a stream of probe
// results costs a snapshot per publishGap, not one per batch.
func TestObservationStreamPublishesAtMostOncePerGap(t *testing.T) {
	h := newHarness(t, &memJournal{}, nil)
	first := h.settle().Seq
	began := time.Now()
	const n = 300
	for i := range n {
		at := t0.Add(time.Duration(i) * time.Millisecond)
		h.r.ObserveProbe(ok("tokyo", at, mirrors.SyncInfo{}))
		for h.r.InboxQueued() > 0 { // one result a batch, as probes trickle in at 10,000 mirrors
			runtime.Gosched()
		}
	}
	last := h.settle()
	took := time.Since(began)
	published := last.Seq - first
	// One per gap over the run, plus the first at once and Settle's.
	if most := uint64(took/publishGap) + 2; published > most {
		t.Errorf("%d observations over %v: %d snapshots, want at most %d (one per %v)", n, took, published, most, publishGap)
	}
	if mirrorView(last, "tokyo").LastProbe != t0.Add((n-1)*time.Millisecond) {
		t.Error("the last snapshot does not show the last probe")
	}
}

// TestHeldBackSnapshotIsPublished: an observation right after a publish
// shows without anyone settling the room.
func TestHeldBackSnapshotIsPublished(t *testing.T) {
	h := newHarness(t, &memJournal{}, nil)
	h.settle()
	h.r.ObserveProbe(ok("tokyo", t0, mirrors.SyncInfo{})) // within the gap of Settle's publish
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		if v := mirrorView(h.r.Snapshot(), "tokyo"); v != nil && v.LastProbe.Equal(t0) {
			return
		}
		select {
		case <-ctx.Done():
			t.Fatal("the held-back snapshot was never published")
		case <-time.After(time.Millisecond): // polling for a state, with a deadline
		}
	}
}
