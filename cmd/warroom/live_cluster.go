package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"warroom/backends/cluster"
	"warroom/backends/config"
	"warroom/backends/room"
)

// peersWait bounds how long a starting node waits for a quorum of its
// peers: a whole cluster starting at once needs most of them up.
const peersWait = 2 * time.Minute

// errNodeNotRunning: a one-shot command on a cluster node acts through
// that node's running room; it must never write journal.jsonl itself (the
// node keeps it a copy of the cluster's journal).
var errNodeNotRunning = errors.New("this config is a cluster node's and its room is not running here: start it with `warroom serve`, or act through a node that runs (ssh NODE ack …)")

// openNode makes the live room a node of the cluster: its embedded etcd
// member (or the external etcd), then the node's room, a replica that
// follows the replicated journal and leads it when elected.
func (l *live) openNode(ctx context.Context, opts room.Options, stderr io.Writer) error {
	x := &l.cfg.Cluster
	logf := func(format string, args ...any) { fmt.Fprintf(stderr, "warroom: "+format+"\n", args...) }
	cli, closeCli, err := clusterClient(ctx, l.cfg, logf)
	if err != nil {
		return err
	}
	n, err := cluster.StartNode(ctx, cluster.NodeConfig{Client: cli, Site: l.cfg.Site, Node: x.Node, Region: x.Region,
		JournalPath: journalPath(l.cfg), Room: opts, LeaseTTL: x.Lease, Election: x.Election, Logf: logf})
	if err != nil {
		closeCli()
		return err
	}
	l.node = n
	l.room, l.door = n.Local(), n.Room() // commands go to the leader
	l.closeJ = func() error { return errors.Join(n.Close(), closeCli()) }
	return nil
}

// clusterClient starts this node's embedded etcd member and returns its
// client, or connects to the external etcd; the func closes what it opened.
func clusterClient(ctx context.Context, cfg *config.Config, logf func(string, ...any)) (*clientv3.Client, func() error, error) {
	x := &cfg.Cluster
	if len(x.Endpoints) > 0 {
		cli, err := cluster.Connect(x.Endpoints, 5*time.Second)
		if err != nil {
			return nil, nil, err
		}
		return cli, cli.Close, nil
	}
	self := x.Self()
	if self == nil { // config validation names the node among the peers
		return nil, nil, fmt.Errorf("%s: cluster.node %q is not one of cluster.peers", cfg.Path, x.Node)
	}
	peers := map[string]string{}
	for _, p := range x.Peers {
		peers[p.Name] = p.PeerURL
	}
	logf("cluster node %s: starting its etcd member (%s); waiting up to %s for a quorum of %d peers", x.Node, self.PeerURL, peersWait, len(peers))
	sctx, cancel := context.WithTimeout(ctx, peersWait)
	defer cancel()
	m, err := cluster.StartMember(sctx, cluster.MemberConfig{Name: x.Node, DataDir: filepath.Join(cfg.StateDir, "etcd"),
		PeerURL: self.PeerURL, ListenPeerURL: x.ListenPeer, ClientURL: self.ClientURL, ListenClientURL: x.ListenClient,
		Peers: peers, TickMs: uint(x.Heartbeat / time.Millisecond), ElectionMs: uint(x.Election / time.Millisecond),
		QuotaBytes: x.Quota, Logf: logf})
	if err != nil {
		return nil, nil, err
	}
	return m.Client(), m.Close, nil
}

// handOver stops a leading node before its sessions are told of a
// shutdown: its lease is revoked, so another node leads at once instead of
// when the lease runs out. A replica stops last, as a single room does.
func (l *live) handOver(logf func(string, ...any)) {
	if l.node == nil || !l.node.Leading() {
		return
	}
	start := time.Now()
	if err := l.node.Close(); err != nil {
		logf("cluster: hand over: %v", err)
	}
	logf("cluster: stopped leading and handed the room over in %s", time.Since(start).Round(time.Millisecond))
}
