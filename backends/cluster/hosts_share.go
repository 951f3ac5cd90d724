package cluster

import (
	"context"
	"encoding/json"
	"strings"
	"sync/atomic"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"warroom/backends/hosts"
)

// hostsEvery is the least time between two shares of this node's host
// sample: the Hosts pane's rows of other nodes need no finer grain.
const hostsEvery = 3 * time.Second

// shareHost puts this node's latest host sample at P+"hosts/"+node under
// its lease, at most every hostsEvery; a new lease gets the next sample.
func (n *Node) shareHost(ctx context.Context) {
	key := prefix(n.cfg.Site) + "hosts/" + n.cfg.Node
	var renewed atomic.Bool
	n.lease.OnRenew(func(context.Context, clientv3.LeaseID) error { renewed.Store(true); return nil })
	sub := n.room.Subscribe()
	defer sub.Close()
	var sentAt, sampled time.Time
	for {
		select {
		case <-ctx.Done():
			return
		case s := <-sub.C():
			if s.Host == nil || s.Host.Latest.At.Equal(sampled) || (time.Since(sentAt) < hostsEvery && !renewed.Load()) {
				continue
			}
			renewed.Store(false)
			pctx, cancel := context.WithTimeout(ctx, shareTimeout)
			id, err := n.lease.ID(pctx)
			if err == nil {
				err = putJSON(pctx, n.cfg.Client, key, s.Host.Latest, id)
			}
			cancel()
			if err != nil {
				if ctx.Err() == nil {
					n.cfg.Logf("cluster node %s: share the host sample: %v", n.cfg.Node, err)
				}
				continue // the next sample tries again
			}
			sentAt, sampled = time.Now(), s.Host.Latest.At
		}
	}
}

// watchHosts gives the room the other nodes' host samples; a node whose
// lease ended is forgotten (its row goes stale, then away).
func (n *Node) watchHosts(ctx context.Context) {
	pfx := prefix(n.cfg.Site) + "hosts/"
	for batch := range watchPrefix(ctx, n.cfg.Client, pfx) {
		for _, kc := range batch {
			node := strings.TrimPrefix(string(kc.Key), pfx)
			if node == n.cfg.Node || checkName("node", node) != nil {
				continue
			}
			if kc.Deleted {
				n.room.ForgetNodeHost(node)
				continue
			}
			var s hosts.Sample
			if err := json.Unmarshal(kc.Value, &s); err != nil {
				n.cfg.Logf("cluster node %s: %s's host sample: %v", n.cfg.Node, node, err)
				continue
			}
			n.room.ObserveNodeHost(node, s)
		}
	}
}
