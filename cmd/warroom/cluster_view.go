package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"sync"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"warroom/backends/config"
)

// clusterView is what `warroom cluster status` shows: each etcd member as
// its own endpoint answers, and the room's leader, term and journal
// position as the replicated keys say.
type clusterView struct {
	Site    string        `json:"site"`
	Quorum  bool          `json:"quorum"`
	Why     string        `json:"why,omitempty"` // without quorum: what failed
	Leader  string        `json:"leader"`        // the room's leader node ("" = none)
	Term    int64         `json:"term"`          // its fencing revision
	Head    uint64        `json:"head"`          // last seq of the replicated journal
	Members []memberView  `json:"members"`
	Nodes   []nodeVersion `json:"nodes"`
}

// memberView is one etcd member.
type memberView struct {
	Name      string `json:"name"`
	ClientURL string `json:"client_url"`
	Up        bool   `json:"up"`
	EtcdLead  bool   `json:"etcd_leader"` // raft leader (not necessarily the room's)
	RaftTerm  uint64 `json:"raft_term"`
	Error     string `json:"error,omitempty"`
}

// nodeVersion is one running warroom node as it publishes itself (the
// design's NodeStatus) with its lag behind the head.
type nodeVersion struct {
	Node    string    `json:"node"`
	Region  string    `json:"region"`
	Applied uint64    `json:"applied_seq"`
	Leader  bool      `json:"leader"`
	Term    int64     `json:"term"`
	Started time.Time `json:"started"`
	Lag     uint64    `json:"lag"`
}

// The keys below the site's prefix, as backends/cluster writes them.
func clusterPrefix(site string) string { return "/warroom/" + site + "/" }

// readClusterView asks every member's endpoint for its status, then, with
// a quorum, reads the room's keys. Each call is bounded by timeout.
func readClusterView(ctx context.Context, cli *clientv3.Client, x *config.Cluster, site string, timeout time.Duration) clusterView {
	v := clusterView{Site: site, Members: memberTargets(ctx, cli, x, timeout)}
	var wg sync.WaitGroup
	for i := range v.Members {
		wg.Add(1)
		go func(m *memberView) {
			defer wg.Done()
			c, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			st, err := cli.Status(c, m.ClientURL)
			if err != nil {
				m.Error = shortErr(err)
				return
			}
			m.Up, m.RaftTerm = true, st.RaftTerm
			m.EtcdLead = st.Header != nil && st.Leader == st.Header.MemberId
		}(&v.Members[i])
	}
	wg.Wait()
	p := clusterPrefix(site)
	c, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	// A linearizable read needs a majority: that is the quorum's test.
	head, err := cli.Get(c, p+"head")
	if err != nil {
		v.Why = "no quorum: " + shortErr(err)
		return v
	}
	v.Quorum = true
	if len(head.Kvs) > 0 {
		v.Head, _ = strconv.ParseUint(string(head.Kvs[0].Value), 10, 64)
	}
	if lead, err := cli.Get(c, p+"leader/", clientv3.WithFirstCreate()...); err == nil && len(lead.Kvs) > 0 {
		v.Leader, v.Term = string(lead.Kvs[0].Value), lead.Kvs[0].CreateRevision
	}
	nodes, err := cli.Get(c, p+"nodes/", clientv3.WithPrefix())
	if err != nil {
		v.Why = "nodes: " + shortErr(err)
		return v
	}
	for _, kv := range nodes.Kvs {
		var n nodeVersion
		if json.Unmarshal(kv.Value, &n) != nil {
			continue // a newer node's record: shown once it is readable
		}
		if n.Applied < v.Head {
			n.Lag = v.Head - n.Applied
		}
		v.Nodes = append(v.Nodes, n)
	}
	sort.Slice(v.Nodes, func(i, j int) bool { return v.Nodes[i].Node < v.Nodes[j].Node })
	return v
}

// memberTargets are the members to ask: the configured peers, or an
// external etcd's own member list (as the first member that answers has it).
func memberTargets(ctx context.Context, cli *clientv3.Client, x *config.Cluster, timeout time.Duration) []memberView {
	var out []memberView
	if len(x.Endpoints) == 0 {
		for _, p := range x.Peers {
			out = append(out, memberView{Name: p.Name, ClientURL: p.ClientURL})
		}
		return out
	}
	c, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	list, err := cli.MemberList(c, clientv3.WithSerializable())
	if err != nil {
		for _, e := range x.Endpoints {
			out = append(out, memberView{Name: e, ClientURL: e})
		}
		return out
	}
	for _, m := range list.Members {
		if len(m.ClientURLs) > 0 {
			out = append(out, memberView{Name: m.Name, ClientURL: m.ClientURLs[0]})
		}
	}
	return out
}

// shortErr names a timeout as one, not as gRPC's long text.
func shortErr(err error) string {
	if errors.Is(err, context.DeadlineExceeded) {
		return "no answer in time"
	}
	return fmt.Sprint(err)
}
