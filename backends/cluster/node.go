package cluster

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"warroom/backends/journal"
	"warroom/backends/room"
)

// NodeConfig configures one node of a warroom cluster.
type NodeConfig struct {
	// Client reaches the cluster: the embedded member's (StartMember) or an
	// external etcd (Connect). The node uses it and does not close it.
	Client             *clientv3.Client
	Site, Node, Region string
	// JournalPath is the local journal.jsonl, kept a copy of the replicated one.
	JournalPath string
	// Room is the room's configuration (config, clock, executors, outbox,
	// drills); the node sets its journal, replay, mode, node, region and lease.
	Room room.Options
	// LeaseTTL is the leader lease and the node's own (default 5s): how long
	// a silent node keeps leading, and how soon its status and verdicts expire.
	LeaseTTL time.Duration
	// AppendTimeout bounds each replicated append (default 5s).
	AppendTimeout time.Duration
	// Election is etcd's election timeout (default 1s, etcd's): a forwarded
	// command's etcd calls are tried again after that long, so a lost raft
	// leader costs an election rather than etcd's request timeout.
	Election time.Duration
	// QuorumEvery is how often the node checks that its member is in a
	// quorum (default 500ms); a check fails after as long again, or at once
	// when the member knows no leader.
	QuorumEvery time.Duration
	Logf        func(string, ...any)
}

func (c *NodeConfig) defaults() error {
	if c.Client == nil {
		return fmt.Errorf("cluster node %s: no etcd client", c.Node)
	}
	if err := checkName("site", c.Site); err != nil {
		return err
	}
	if err := checkName("node", c.Node); err != nil {
		return err
	}
	if c.JournalPath == "" {
		return fmt.Errorf("cluster node %s: no local journal path", c.Node)
	}
	if c.LeaseTTL <= 0 {
		c.LeaseTTL = 5 * time.Second
	}
	if c.AppendTimeout <= 0 {
		c.AppendTimeout = 5 * time.Second
	}
	if c.QuorumEvery <= 0 {
		c.QuorumEvery = 500 * time.Millisecond
	}
	if c.Logf == nil {
		c.Logf = func(string, ...any) {}
	}
	return nil
}

// Node is one process of a warroom cluster: a replica of the room that
// follows the replicated journal, campaigns to lead it, and leads it
// (records, decides, runs side effects) while it holds the lease.
type Node struct {
	cfg     NodeConfig
	journal *Journal
	local   *journal.Journal
	room    *room.Room
	lead    *Leadership
	// lease carries what vanishes with the node: its status, verdicts and
	// forwarded requests.
	lease    *Lease
	requests *Requests
	verdicts *Verdicts
	status   *Status
	presence *Presence // the sessions this node hosts: see node_presence.go
	sessions atomic.Int64
	methods  map[string]handler
	started  time.Time

	leading atomic.Bool
	closing atomic.Bool // Close demoted the room: not a fault to report
	term    atomic.Pointer[Term]

	// applied is the last replicated seq the room applied; moved signals
	// each advance to whoever waits for a seq (a new leader catching up).
	mu      sync.Mutex
	applied uint64
	moved   chan struct{}

	cancel context.CancelFunc
	wg     sync.WaitGroup
	once   sync.Once
}

// StartNode reads the replicated journal, makes the local journal its copy,
// builds the room from it as a replica and starts following, campaigning
// and watching the quorum. ctx bounds the start only; Close stops the node.
func StartNode(ctx context.Context, cfg NodeConfig) (*Node, error) {
	if err := cfg.defaults(); err != nil {
		return nil, err
	}
	n := &Node{cfg: cfg, journal: NewJournal(cfg.Client, cfg.Site), moved: make(chan struct{}),
		lease: NewLease(cfg.Client, cfg.LeaseTTL), methods: handlers(), started: time.Now()}
	n.requests = NewRequests(cfg.Client, cfg.Site, cfg.Node, n.lease, cfg.Election)
	n.verdicts = NewVerdicts(cfg.Client, cfg.Site, n.lease)
	n.status = NewStatus(cfg.Client, cfg.Site, n.lease)
	n.presence = NewPresence(cfg.Client, cfg.Site, cfg.Node, n.lease)
	recs, _, err := n.journal.ReadFrom(ctx, 0)
	if err != nil {
		return nil, fmt.Errorf("cluster node %s: %w", cfg.Node, err)
	}
	n.local, err = OpenMaterialized(cfg.JournalPath, recs, journal.Options{Logf: cfg.Logf})
	if err != nil {
		return nil, fmt.Errorf("cluster node %s: %w", cfg.Node, err)
	}
	opts := cfg.Room
	opts.Journal, opts.Replay, opts.Replica = nil, recs, true
	opts.Node, opts.Region = cfg.Node, cfg.Region
	opts.Lease = nodeLease{n} // a step starts only while the leader lease outlasts it
	if n.room, err = room.New(opts); err != nil {
		n.local.Close()
		return nil, fmt.Errorf("cluster node %s: %w", cfg.Node, err)
	}
	if len(recs) > 0 {
		n.applied = recs[len(recs)-1].Seq
	}
	if n.lead, err = NewLeadership(cfg.Client, cfg.Site, cfg.Node, cfg.LeaseTTL); err != nil {
		n.local.Close()
		return nil, err
	}
	runCtx, cancel := context.WithCancel(context.Background())
	n.cancel = cancel
	n.goRun(func() { _ = n.room.Run(runCtx) })
	n.goRun(func() { n.follow(runCtx) })
	n.goRun(func() { n.campaign(runCtx) })
	n.goRun(func() { n.watchQuorum(runCtx) })
	n.goRun(func() { n.lease.Keep(runCtx) })
	n.goRun(func() { n.publishVerdicts(runCtx) })
	n.goRun(func() { n.observeVerdicts(runCtx) })
	n.goRun(func() { n.publishStatus(runCtx) })
	n.goRun(func() { n.sharePresence(runCtx) })
	n.goRun(func() { n.shareHost(runCtx) })
	n.goRun(func() { n.watchHosts(runCtx) })
	return n, nil
}

func (n *Node) goRun(fn func()) {
	n.wg.Add(1)
	go func() { defer n.wg.Done(); fn() }()
}

// Local is this node's own room: a replica, or the leader's room while
// this node leads. Sessions read its snapshots; commands go through Room.
func (n *Node) Local() *room.Room { return n.room }

// Leading reports whether this node leads the room now.
func (n *Node) Leading() bool { return n.leading.Load() }

// Applied is the last replicated seq this node's room applied.
func (n *Node) Applied() uint64 {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.applied
}

// Close hands the leadership over at once (revoking the lease rather than
// letting it expire), stops the node and closes the local journal. A lease
// that cannot be revoked (no quorum) is logged: it expires by itself.
func (n *Node) Close() error {
	var err error
	n.once.Do(func() {
		n.closing.Store(true)
		if n.leading.Load() {
			n.room.Demote("this node is shutting down")
		}
		n.cancel()
		n.wg.Wait()
		for what, l := range map[string]interface{ Close() error }{"leader lease": n.lead, "node lease": n.lease} {
			if cerr := l.Close(); cerr != nil {
				n.cfg.Logf("cluster node %s: give up the %s: %v (it expires within %v)", n.cfg.Node, what, cerr, n.cfg.LeaseTTL)
			}
		}
		err = n.local.Close()
	})
	return err
}
