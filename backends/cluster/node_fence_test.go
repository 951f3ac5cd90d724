package cluster

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"warroom/backends/actions"
	"warroom/backends/room"
)

// A leader whose lease (2s) is shorter than the failover step's timeout
// (15s) starts no step: the failover fails saying both figures and the
// executor never runs. Its action.started names the term it was committed
// under.
func TestLeaderStartsNoStepItsLeaseMightNotOutlast(t *testing.T) {
	c := startCluster(t, 1)
	exec := &holdExec{}
	n, err := StartNode(testCtx(t, 30*time.Second), NodeConfig{
		Client: c.cli("m1"), Site: testSite, Node: "m1", JournalPath: filepath.Join(t.TempDir(), "journal.jsonl"),
		Room:     room.Options{Config: nodeConfig(t), Executors: map[string]actions.Executor{"edge": exec}},
		LeaseTTL: 2 * time.Second, QuorumEvery: 200 * time.Millisecond, Logf: t.Logf,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = n.Close() })
	eventually(t, 15*time.Second, "m1 leads", n.Leading)
	ctx := testCtx(t, 30*time.Second)
	id, err := n.Room().Act(ctx, room.Request{Kind: room.Failover, From: "tokyo", To: "osaka"}, room.Actor{Name: "ana", Role: room.RoleCommander})
	if err != nil {
		t.Fatal(err)
	}
	var a *room.ActionView
	eventually(t, 10*time.Second, "the failover ends", func() bool {
		a = actionByID(n.Local().Snapshot(), id)
		return a != nil && a.State.Ended()
	})
	if want := "lease too short to start the step safely (2s left, step may take 15s)"; a.State != room.ActionFailed || !strings.Contains(a.Err, want) {
		t.Fatalf("failover %s: %q; want failed with %q", a.State, a.Err, want)
	}
	if runs := exec.runs.Load(); runs != 0 {
		t.Fatalf("the executor ran %d times on a lease shorter than its step", runs)
	}

	recs, _, err := n.journal.ReadFrom(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	term := strconv.FormatInt(n.term.Load().Rev, 10)
	for _, rec := range recs {
		var ev room.Event
		if err := json.Unmarshal(rec.Data, &ev); err != nil {
			t.Fatal(err)
		}
		if ev.Kind == room.EvActionStarted {
			if f := ev.ActionFacts(); f.ID != id || f.Term != term {
				t.Fatalf("action.started %+v: want %s under term %s", f, id, term)
			}
			return
		}
	}
	t.Fatal("no action.started in the replicated journal")
}

// LeaseRemaining renews the lease, so it answers the whole TTL less the
// round trip; once the lease is gone it is an error, never a duration.
func TestLeaseRemainingRenewsAndFailsOnceGone(t *testing.T) {
	c := startCluster(t, 1)
	ctx := testCtx(t, 30*time.Second)
	l, _ := campaign(t, c, "m1", "n1")
	left, err := l.LeaseRemaining(ctx)
	if err != nil || left <= 1500*time.Millisecond || left > 2*time.Second {
		t.Fatalf("lease remaining %v, %v; want just under the 2s TTL", left, err)
	}
	l.mu.Lock()
	id := l.sess.Lease()
	l.mu.Unlock()
	if _, err := c.cli("m1").Revoke(ctx, id); err != nil {
		t.Fatal(err)
	}
	if left, err := l.LeaseRemaining(ctx); err == nil {
		t.Fatalf("a revoked lease has %v left", left)
	}
}
