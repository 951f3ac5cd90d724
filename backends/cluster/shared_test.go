package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

func newLease(t *testing.T, c *testCluster, member string) *Lease {
	l := NewLease(c.cli(member), 2*time.Second)
	t.Cleanup(func() { l.Close() })
	return l
}

// Each node's verdicts reach every watcher; a node's lease ending withdraws them.
func TestVerdictsAreSharedAndGoWithTheLease(t *testing.T) {
	c := startCluster(t, 3)
	ctx := testCtx(t, 60*time.Second)
	la, lb := newLease(t, c, "m1"), newLease(t, c, "m2")
	va, vb := NewVerdicts(c.cli("m1"), testSite, la), NewVerdicts(c.cli("m2"), testSite, lb)
	if err := va.Publish(ctx, Verdict{Node: "n1", Region: "eu", Mirror: "tokyo", State: "down"}); err != nil {
		t.Fatal(err)
	}
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ch := NewVerdicts(c.cli("m3"), testSite, newLease(t, c, "m3")).Watch(wctx)
	next := func() VerdictChange {
		select {
		case vc := <-ch:
			return vc
		case <-ctx.Done():
			t.Fatal("no verdict change")
			return VerdictChange{}
		}
	}
	if vc := next(); vc.Node != "n1" || vc.Mirror != "tokyo" || vc.State != "down" || vc.Gone {
		t.Fatalf("first: %+v", vc)
	}
	if err := vb.Publish(ctx, Verdict{Node: "n2", Region: "us", Mirror: "tokyo", State: "up"}); err != nil {
		t.Fatal(err)
	}
	if vc := next(); vc.Node != "n2" || vc.Region != "us" || vc.State != "up" {
		t.Fatalf("second: %+v", vc)
	}
	if err := la.Close(); err != nil {
		t.Fatal(err)
	}
	if vc := next(); vc.Node != "n1" || vc.Mirror != "tokyo" || !vc.Gone {
		t.Fatalf("after n1's lease ended: %+v", vc)
	}
	if err := va.Publish(ctx, Verdict{Node: "n1/x", Mirror: "m"}); err == nil {
		t.Fatal("a node name with '/' was accepted")
	}
}

// A node's status is listed while its lease lives, and is put again under a
// new lease when the old one was lost.
func TestNodeStatusFollowsTheLease(t *testing.T) {
	c := startCluster(t, 3)
	ctx := testCtx(t, 60*time.Second)
	lease := newLease(t, c, "m1")
	st := NewStatus(c.cli("m1"), testSite, lease)
	if err := st.Publish(ctx, NodeStatus{Node: "n1", Region: "eu", AppliedSeq: 7}); err != nil {
		t.Fatal(err)
	}
	nodes, err := ListNodes(ctx, c.cli("m2"), testSite)
	if err != nil || len(nodes) != 1 || nodes[0].AppliedSeq != 7 {
		t.Fatalf("nodes: %+v %v", nodes, err)
	}
	id, _ := lease.ID(ctx)
	if _, err := c.cli("m2").Revoke(ctx, id); err != nil { // as if it expired
		t.Fatal(err)
	}
	eventually(t, 10*time.Second, "the status was never put back under a new lease", func() bool {
		if _, err := lease.ID(ctx); err != nil {
			return false
		}
		nodes, err := st.Nodes(ctx)
		return err == nil && len(nodes) == 1 && nodes[0].AppliedSeq == 7
	})
	members, err := Members(ctx, c.cli("m3"), 2*time.Second)
	if err != nil || len(members) != 3 {
		t.Fatalf("members: %+v %v", members, err)
	}
	leaders := 0
	for _, m := range members {
		if m.Err != nil {
			t.Fatalf("member %s: %v", m.Name, m.Err)
		}
		if m.IsLeader {
			leaders++
		}
	}
	if leaders != 1 {
		t.Fatalf("%d raft leaders in %+v", leaders, members)
	}
}

// A forwarded command runs once even with two servers, and its result or
// error comes back to the caller.
func TestRequestsRunOnceAndReply(t *testing.T) {
	c := startCluster(t, 3)
	ctx := testCtx(t, 60*time.Second)
	var runs atomic.Int32
	handle := func(_ context.Context, r Request) Reply {
		runs.Add(1)
		if r.Method == "fail" {
			return Reply{Err: "not allowed", Code: "forbidden"}
		}
		var args struct{ N int }
		json.Unmarshal(r.Args, &args)
		res, _ := json.Marshal(args.N * 2)
		return Reply{Result: res}
	}
	sctx, stop := context.WithCancel(ctx)
	served := make(chan struct{}, 2)
	for _, m := range []string{"m1", "m2"} {
		go func() {
			NewRequests(c.cli(m), testSite, m, newLease(t, c, m), 0).Serve(sctx, handle)
			served <- struct{}{}
		}()
	}
	caller := NewRequests(c.cli("m3"), testSite, "n3", newLease(t, c, "m3"), 0)
	var got int
	if err := caller.Call(ctx, "double", map[string]string{"name": "ana"}, map[string]int{"N": 21}, &got); err != nil || got != 42 {
		t.Fatalf("double: %d %v", got, err)
	}
	var re *RemoteError
	if err := caller.Call(ctx, "fail", nil, nil, nil); !errors.As(err, &re) || re.Code != "forbidden" {
		t.Fatalf("fail: %v", err)
	}
	if n := runs.Load(); n != 2 {
		t.Fatalf("handlers ran %d times for 2 calls", n)
	}
	stop()
	<-served
	<-served
	short, cancel := context.WithTimeout(ctx, 500*time.Millisecond)
	defer cancel()
	if err := caller.Call(short, "double", nil, nil, nil); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("nobody serving: %v", err)
	}
}
