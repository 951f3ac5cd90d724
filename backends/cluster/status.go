package cluster

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"
	"strconv"
	"sync"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// NodeStatus is what a node says of itself, under its lease (a dead node's
// entry vanishes).
type NodeStatus struct {
	Node       string    `json:"node"`
	Region     string    `json:"region,omitempty"`
	AppliedSeq uint64    `json:"applied_seq"`
	Leader     bool      `json:"leader"`
	Term       int64     `json:"term,omitempty"`
	Started    time.Time `json:"started"`
	Updated    time.Time `json:"updated"`
}

// Status publishes this node's status and lists everyone's.
type Status struct {
	cli   *clientv3.Client
	pfx   string
	lease *Lease

	mu   sync.Mutex
	last *NodeStatus // re-put under a new lease
}

// NewStatus returns the site's node statuses; this node's go under lease.
func NewStatus(cli *clientv3.Client, site string, lease *Lease) *Status {
	s := &Status{cli: cli, pfx: prefix(site) + "nodes/", lease: lease}
	lease.OnRenew(s.republish)
	return s
}

// Publish puts st under the node's lease.
func (s *Status) Publish(ctx context.Context, st NodeStatus) error {
	if err := checkName("node", st.Node); err != nil {
		return err
	}
	id, err := s.lease.ID(ctx)
	if err != nil {
		return err
	}
	s.mu.Lock()
	s.last = &st
	s.mu.Unlock()
	return s.put(ctx, id, st)
}

func (s *Status) put(ctx context.Context, id clientv3.LeaseID, st NodeStatus) error {
	if err := putJSON(ctx, s.cli, s.pfx+st.Node, st, id); err != nil {
		return fmt.Errorf("cluster: publish %s's status: %w", st.Node, err)
	}
	return nil
}

func (s *Status) republish(ctx context.Context, id clientv3.LeaseID) error {
	s.mu.Lock()
	last := s.last
	s.mu.Unlock()
	if last == nil {
		return nil
	}
	return s.put(ctx, id, *last)
}

// Nodes lists the live nodes' statuses by name (a linearizable read).
func (s *Status) Nodes(ctx context.Context) ([]NodeStatus, error) {
	return listNodes(ctx, s.cli, s.pfx)
}

// ListNodes lists the live nodes' statuses of site by name, for a reader
// that publishes nothing (warroom cluster status).
func ListNodes(ctx context.Context, cli *clientv3.Client, site string) ([]NodeStatus, error) {
	return listNodes(ctx, cli, prefix(site)+"nodes/")
}

func listNodes(ctx context.Context, cli *clientv3.Client, pfx string) ([]NodeStatus, error) {
	resp, err := cli.Get(ctx, pfx, clientv3.WithPrefix(), clientv3.WithSort(clientv3.SortByKey, clientv3.SortAscend))
	if err != nil {
		return nil, fmt.Errorf("cluster: list nodes: %w", err)
	}
	nodes := make([]NodeStatus, 0, len(resp.Kvs))
	for _, kv := range resp.Kvs {
		var st NodeStatus
		if err := json.Unmarshal(kv.Value, &st); err != nil {
			return nil, fmt.Errorf("cluster: node status %s: %w", kv.Key, err)
		}
		nodes = append(nodes, st)
	}
	return nodes, nil
}

// MemberInfo is one etcd member as its own endpoint reports it.
type MemberInfo struct {
	Name       string
	ID         string
	PeerURLs   []string
	ClientURLs []string
	Learner    bool
	// From the member's own status (Err set when it did not answer).
	IsLeader bool // the raft leader (not the room's leader)
	RaftTerm uint64
	Revision int64
	DBSize   int64
	Err      error
}

// Members lists the etcd members and asks each for its status, each bounded by per.
func Members(ctx context.Context, cli *clientv3.Client, per time.Duration) ([]MemberInfo, error) {
	resp, err := cli.MemberList(ctx)
	if err != nil {
		return nil, fmt.Errorf("cluster: list members: %w", err)
	}
	infos := make([]MemberInfo, len(resp.Members))
	var wg sync.WaitGroup
	for i, m := range resp.Members {
		infos[i] = MemberInfo{Name: m.Name, ID: strconv.FormatUint(m.ID, 16), PeerURLs: m.PeerURLs, ClientURLs: m.ClientURLs, Learner: m.IsLearner}
		if len(m.ClientURLs) == 0 {
			infos[i].Err = fmt.Errorf("member %s has not published a client URL yet", infos[i].ID)
			continue
		}
		wg.Go(func() {
			sctx, cancel := context.WithTimeout(ctx, per)
			defer cancel()
			st, err := cli.Status(sctx, m.ClientURLs[0])
			if err != nil {
				infos[i].Err = err
				return
			}
			infos[i].IsLeader = st.Leader == st.Header.MemberId
			infos[i].RaftTerm, infos[i].Revision, infos[i].DBSize = st.RaftTerm, st.Header.Revision, st.DbSize
		})
	}
	wg.Wait()
	sort.Slice(infos, func(a, b int) bool { return infos[a].Name < infos[b].Name })
	return infos, nil
}
