package cluster

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

// A call forwarded while etcd's raft leader is gone completes soon after a
// new one is elected, not after etcd's request timeout, and runs once.
func TestRequestsOutliveTheRaftLeader(t *testing.T) {
	const election = time.Second
	c := startClusterTimed(t, 3, 100, uint(election/time.Millisecond))
	ctx := testCtx(t, 60*time.Second)
	members, err := Members(ctx, c.cli("m1"), 2*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	var raft string
	for _, m := range members {
		if m.IsLeader {
			raft = m.Name
		}
	}
	var others []string
	for _, name := range c.names {
		if name != raft {
			others = append(others, name)
		}
	}
	if raft == "" || len(others) != 2 {
		t.Fatalf("no raft leader among %+v", members)
	}
	server, caller := others[0], others[1]
	var runs atomic.Int32
	sctx, stop := context.WithCancel(ctx)
	defer stop()
	go NewRequests(c.cli(server), testSite, server, newLease(t, c, server), election).Serve(sctx, func(context.Context, Request) Reply {
		runs.Add(1)
		return Reply{}
	})
	req := NewRequests(c.cli(caller), testSite, caller, newLease(t, c, caller), election)
	if err := req.Call(ctx, "warm", nil, nil, nil); err != nil { // the lease is granted and the server watches
		t.Fatal(err)
	}
	c.net.Isolate(raft) // as a crash would: no hand-over of raft's leadership
	start := time.Now()
	err = req.Call(ctx, "ack", nil, nil, nil)
	took := time.Since(start)
	if err != nil {
		t.Fatalf("call after losing the raft leader: %v", err)
	}
	// etcd's request timeout is 5 s + 2 × election: 7 s here.
	if took > 5*time.Second {
		t.Fatalf("the call took %v: it waited out etcd's request timeout", took)
	}
	if n := runs.Load(); n != 2 {
		t.Fatalf("handlers ran %d times for 2 calls", n)
	}
	t.Logf("call across the raft leader's loss: %v", took)
}
