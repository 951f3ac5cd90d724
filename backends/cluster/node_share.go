package cluster

import (
	"context"
	"time"

	"warroom/backends/room"
)

// shareTimeout bounds one write of the node's verdicts or status.
const shareTimeout = 5 * time.Second

// publishVerdicts publishes this node's own verdicts (its room's trackers)
// when they change; raw probes stay on the node.
func (n *Node) publishVerdicts(ctx context.Context) {
	sub := n.room.Subscribe()
	defer sub.Close()
	sent := map[string]room.Verdict{}
	for {
		select {
		case <-ctx.Done():
			return
		case s := <-sub.C():
			for _, v := range s.Own {
				if old, ok := sent[v.Mirror]; ok && old.State == v.State && old.Reason == v.Reason {
					continue
				}
				pctx, cancel := context.WithTimeout(ctx, shareTimeout)
				err := n.verdicts.Publish(pctx, Verdict{Node: n.cfg.Node, Region: n.cfg.Region, Mirror: v.Mirror, State: v.State, Reason: v.Reason, At: v.At})
				cancel()
				if err != nil {
					if ctx.Err() == nil {
						n.cfg.Logf("cluster node %s: %v", n.cfg.Node, err)
					}
					break // the next snapshot tries again
				}
				sent[v.Mirror] = v
			}
		}
	}
}

// observeVerdicts gives the room the other vantages' verdicts; a node whose
// lease expired is forgotten as a vantage.
func (n *Node) observeVerdicts(ctx context.Context) {
	for vc := range n.verdicts.Watch(ctx) {
		switch {
		case vc.Node == n.cfg.Node:
		case vc.Gone:
			n.room.ForgetVantage(vc.Node)
		default:
			v := vc.Verdict
			if err := n.room.ObserveVerdict(room.Verdict{Node: v.Node, Region: v.Region, Mirror: v.Mirror, State: v.State, Reason: v.Reason, At: v.At}); err != nil {
				n.cfg.Logf("cluster node %s: %v", n.cfg.Node, err)
			}
		}
	}
}

// Status intervals: a change is published within statusEvery; an
// unchanged status is refreshed every statusRefresh, so Updated says the
// node is alive and looking.
const (
	statusEvery   = 500 * time.Millisecond
	statusRefresh = 10 * time.Second
)

// Status is what this node says of itself now.
func (n *Node) Status() NodeStatus {
	st := NodeStatus{Node: n.cfg.Node, Region: n.cfg.Region, AppliedSeq: n.Applied(), Leader: n.Leading(), Started: n.started}
	if t := n.term.Load(); t != nil && st.Leader {
		st.Term = t.Rev
	}
	return st
}

// publishStatus publishes the node's status when it changes.
func (n *Node) publishStatus(ctx context.Context) {
	tick := time.NewTicker(statusEvery)
	defer tick.Stop()
	var last NodeStatus
	var at time.Time
	for {
		st := n.Status()
		if st != last || time.Since(at) >= statusRefresh {
			st.Updated = time.Now()
			pctx, cancel := context.WithTimeout(ctx, shareTimeout)
			err := n.status.Publish(pctx, st)
			cancel()
			if err == nil {
				st.Updated = time.Time{}
				last, at = st, time.Now()
			} else if ctx.Err() == nil {
				n.cfg.Logf("cluster node %s: %v", n.cfg.Node, err)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
