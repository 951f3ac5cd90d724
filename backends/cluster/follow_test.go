package cluster

import (
	"context"
	"testing"
	"time"

	"warroom/backends/journal"
)

// collect reads batches from ch until it has records from..to, in order.
func collect(t *testing.T, ch <-chan []journal.Record, from, to int) {
	t.Helper()
	next := from
	timeout := time.After(30 * time.Second)
	for next <= to {
		select {
		case batch, ok := <-ch:
			if !ok {
				t.Fatalf("follow closed before record %d", next)
			}
			for _, r := range batch {
				if r.Seq != uint64(next) || string(r.Data) != string(obj(next)) {
					t.Fatalf("want record %d, got seq %d %s", next, r.Seq, r.Data)
				}
				next++
			}
		case <-timeout:
			t.Fatalf("follow never delivered record %d", next)
		}
	}
}

// When the revision Follow would watch from is compacted away, it reads the
// missing records again: nothing is skipped or repeated.
func TestFollowResyncsAfterCompaction(t *testing.T) {
	c := startCluster(t, 3)
	ctx := testCtx(t, 60*time.Second)
	_, term := campaign(t, c, "m1", "n1")
	w := NewJournal(c.cli("m1"), testSite)
	for i := 1; i <= 3; i++ {
		if _, err := w.Append(ctx, term, obj(i)); err != nil {
			t.Fatal(err)
		}
	}
	f := NewJournal(c.cli("m2"), testSite)
	compacted := false
	f.afterRead = func() {
		if compacted {
			return
		}
		compacted = true
		for i := 4; i <= 6; i++ {
			if _, err := w.Append(ctx, term, obj(i)); err != nil {
				t.Error(err)
			}
		}
		resp, err := c.cli("m1").Get(ctx, "x")
		if err != nil {
			t.Error(err)
			return
		}
		if _, err := c.cli("m1").Compact(ctx, resp.Header.Revision); err != nil {
			t.Error(err)
		}
	}
	fctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch := f.Follow(fctx, 0)
	collect(t, ch, 1, 6)
	if !compacted {
		t.Fatal("the compaction hook never ran")
	}
	if _, err := w.Append(ctx, term, obj(7)); err != nil {
		t.Fatal(err)
	}
	collect(t, ch, 7, 7)
	cancel()
	for range ch { // closes when ctx ends
	}
}

// A member cut off from the others cannot append under the old term; the
// majority elects another leader and goes on; once the link is back the cut
// member's Follow delivers everything, in order.
func TestPartitionedMemberIsFencedAndCatchesUp(t *testing.T) {
	c := startCluster(t, 3)
	ctx := testCtx(t, 90*time.Second)
	oldL, oldTerm := campaign(t, c, "m1", "n1")
	if _, err := NewJournal(c.cli("m1"), testSite).Append(ctx, oldTerm, obj(1)); err != nil {
		t.Fatal(err)
	}
	fctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch := NewJournal(c.cli("m1"), testSite).Follow(fctx, 0)
	collect(t, ch, 1, 1)

	c.net.Isolate("m1")
	if _, err := NewJournal(c.cli("m1"), testSite).Fenced(oldTerm, 2*time.Second).Append(obj(99)); err == nil {
		t.Fatal("an isolated member appended")
	}
	select {
	case <-oldL.Lost():
	case <-time.After(20 * time.Second):
		t.Fatal("the isolated leader never noticed it lost its lease")
	}
	start := time.Now()
	_, newTerm := campaign(t, c, "m2", "n2")
	t.Logf("n2 led %v after n1 noticed its loss", time.Since(start))
	nj := NewJournal(c.cli("m3"), testSite).Fenced(newTerm, 5*time.Second)
	for i := 2; i <= 4; i++ {
		if _, err := nj.Append(obj(i)); err != nil {
			t.Fatal(err)
		}
	}
	c.net.Heal("m1")
	collect(t, ch, 2, 4)
}
