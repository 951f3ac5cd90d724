package cluster

import (
	"context"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// watchQuorum tells the room whether this node's member is in a quorum: a
// linearizable read succeeds only there. A member that knows no leader
// fails the read at once (WithRequireLeader); one cut off while a leader
// is still remembered fails when the check's time runs out.
func (n *Node) watchQuorum(ctx context.Context) {
	tick := time.NewTicker(n.cfg.QuorumEvery)
	defer tick.Stop()
	had := true // the room starts with quorum; say so only when it changes
	for {
		err := n.checkQuorum(ctx)
		if ctx.Err() != nil {
			return
		}
		if ok := err == nil; ok != had {
			why := ""
			if !ok {
				why = "cannot reach a majority of the cluster: " + err.Error()
				n.cfg.Logf("cluster node %s: no quorum: %v", n.cfg.Node, err)
			} else {
				n.cfg.Logf("cluster node %s: quorum is back", n.cfg.Node)
			}
			n.room.SetQuorum(ok, why)
			had = ok
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// checkQuorum is one linearizable read, bounded by the check interval.
func (n *Node) checkQuorum(ctx context.Context) error {
	qctx, cancel := context.WithTimeout(clientv3.WithRequireLeader(ctx), n.cfg.QuorumEvery)
	defer cancel()
	_, err := n.cfg.Client.Get(qctx, prefix(n.cfg.Site)+"head")
	return err
}
