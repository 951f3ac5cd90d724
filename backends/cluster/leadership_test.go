package cluster

import (
	"errors"
	"testing"
	"time"
)

// When the leader's member dies, its node notices the lost lease and another
// node leads within the lease TTL plus an election, with a newer term.
func TestLeaderLossLetsAnotherLead(t *testing.T) {
	c := startCluster(t, 3)
	ctx := testCtx(t, 60*time.Second)
	l1, t1 := campaign(t, c, "m1", "n1")
	if node, term, err := l1.Leader(ctx); err != nil || node != "n1" || term != t1.Rev {
		t.Fatalf("leader: %s %d %v", node, term, err)
	}
	if left, err := l1.LeaseRemaining(ctx); err != nil || left <= 0 || left > 2*time.Second {
		t.Fatalf("lease remaining: %v %v", left, err)
	}
	l2, err := NewLeadership(c.cli("m2"), testSite, "n2", 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer l2.Close()
	won := make(chan Term, 1)
	go func() {
		if term, err := campaignAgain(t, ctx, l2); err == nil {
			won <- term
		}
	}()
	killed := time.Now()
	c.stop("m1")
	select {
	case <-l1.Lost():
	case <-time.After(10 * time.Second):
		t.Fatal("n1 never noticed its member died")
	}
	var t2 Term
	select {
	case t2 = <-won:
	case <-time.After(15 * time.Second):
		t.Fatal("n2 never took over")
	}
	took := time.Since(killed)
	t.Logf("n2 led %v after m1 died (lease 2s, election 500ms)", took)
	// The lease and an election, or a read timed out in the election (6 s) and a second campaign.
	if t2.Rev <= t1.Rev || took > 10*time.Second {
		t.Fatalf("term %d after %d, took %v", t2.Rev, t1.Rev, took)
	}
	if node, _, err := CurrentLeader(ctx, c.cli("m3"), testSite); err != nil || node != "n2" {
		t.Fatalf("leader after: %s %v", node, err)
	}
	if err := l2.Resign(ctx); err != nil {
		t.Fatal(err)
	}
	if _, _, err := CurrentLeader(ctx, c.cli("m3"), testSite); !errors.Is(err, ErrNoLeader) {
		t.Fatalf("after resign: %v", err)
	}
}
