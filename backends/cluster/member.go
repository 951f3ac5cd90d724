package cluster

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/server/v3/embed"
	"go.uber.org/zap"
)

// MemberConfig describes one embedded etcd member.
type MemberConfig struct {
	Name    string
	DataDir string // <state_dir>/etcd; etcd's log goes to DataDir/etcd.log
	// PeerURL is what the other members dial (advertised); ListenPeerURL is
	// where this member listens, PeerURL when empty. They differ when a proxy
	// stands in front of the member.
	PeerURL, ListenPeerURL string
	// ClientURL is what clients dial (advertised); ListenClientURL is where
	// the member listens for them, ClientURL when empty (e.g. 0.0.0.0:2379).
	ClientURL, ListenClientURL string
	Peers                      map[string]string // name → advertised peer URL, this member included
	Token                      string            // initial cluster token; "warroom" when empty
	// TickMs and ElectionMs default to 100 and 1000 (a LAN). Across regions
	// set the tick near the peers' round trip and the election at ≥ 10 ticks.
	TickMs, ElectionMs uint
	QuotaBytes         int64 // backend quota; 512 MiB when 0
	Logf               func(string, ...any)
}

// Request limits: a room batch is one txn, so allow more than etcd's 128 ops.
const (
	maxTxnOps       = 1024
	maxRequestBytes = 8 << 20
)

// Member is a running embedded etcd member and a client to it.
type Member struct {
	etcd *embed.Etcd
	cli  *clientv3.Client
}

// StartMember starts the member and returns once it has joined a quorum
// (start the peers concurrently) or ctx ends, which stops it again.
func StartMember(ctx context.Context, c MemberConfig) (*Member, error) {
	cfg, err := embedConfig(c)
	if err != nil {
		return nil, err
	}
	e, err := embed.StartEtcd(cfg)
	if err != nil {
		return nil, fmt.Errorf("cluster member %s: start etcd (log: %s): %w", c.Name, cfg.LogOutputs[0], err)
	}
	select {
	case <-e.Server.ReadyNotify():
	case err := <-e.Err():
		e.Close()
		return nil, fmt.Errorf("cluster member %s: etcd failed (log: %s): %w", c.Name, cfg.LogOutputs[0], err)
	case <-ctx.Done():
		e.Close()
		return nil, fmt.Errorf("cluster member %s: no quorum with peers %s before %w", c.Name, initialCluster(c.Peers), ctx.Err())
	}
	cli, err := clientv3.New(clientv3.Config{
		Endpoints:   []string{c.ClientURL},
		DialTimeout: 5 * time.Second,
		Logger:      e.GetLogger(),
	})
	if err != nil {
		e.Close()
		return nil, fmt.Errorf("cluster member %s: client: %w", c.Name, err)
	}
	return &Member{etcd: e, cli: cli}, nil
}

// embedConfig checks c and turns it into etcd's configuration.
func embedConfig(c MemberConfig) (*embed.Config, error) {
	if err := checkName("member name", c.Name); err != nil {
		return nil, err
	}
	if c.DataDir == "" {
		return nil, fmt.Errorf("cluster member %s: no data dir", c.Name)
	}
	if got, ok := c.Peers[c.Name]; !ok || got != c.PeerURL {
		return nil, fmt.Errorf("cluster member %s: peers must name this member with its peer URL %q (got %q)", c.Name, c.PeerURL, got)
	}
	listenPeer := c.ListenPeerURL
	if listenPeer == "" {
		listenPeer = c.PeerURL
	}
	listenClient := c.ListenClientURL
	if listenClient == "" {
		listenClient = c.ClientURL
	}
	urls := map[string]string{"peer URL": c.PeerURL, "listen peer URL": listenPeer, "client URL": c.ClientURL, "listen client URL": listenClient}
	parsed := map[string]url.URL{}
	for what, s := range urls {
		u, err := url.Parse(s)
		if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
			return nil, fmt.Errorf("cluster member %s: %s %q: want http://host:port", c.Name, what, s)
		}
		parsed[what] = *u
	}
	cfg := embed.NewConfig()
	cfg.Name = c.Name
	cfg.Dir = c.DataDir
	cfg.ListenPeerUrls = []url.URL{parsed["listen peer URL"]}
	cfg.AdvertisePeerUrls = []url.URL{parsed["peer URL"]}
	cfg.ListenClientUrls = []url.URL{parsed["listen client URL"]}
	cfg.AdvertiseClientUrls = []url.URL{parsed["client URL"]}
	cfg.InitialCluster = initialCluster(c.Peers)
	cfg.InitialClusterToken = c.Token
	if cfg.InitialClusterToken == "" {
		cfg.InitialClusterToken = "warroom"
	}
	cfg.TickMs, cfg.ElectionMs = 100, 1000
	if c.TickMs != 0 {
		cfg.TickMs = c.TickMs
	}
	if c.ElectionMs != 0 {
		cfg.ElectionMs = c.ElectionMs
	}
	cfg.QuotaBackendBytes = 512 << 20
	if c.QuotaBytes != 0 {
		cfg.QuotaBackendBytes = c.QuotaBytes
	}
	// Journal keys are never deleted, so compaction only drops old values of
	// head and of leased keys; keep enough for a lagging watch to resume.
	cfg.AutoCompactionMode = embed.CompactorModeRevision
	cfg.AutoCompactionRetention = "10000"
	cfg.MaxTxnOps = maxTxnOps
	cfg.MaxRequestBytes = maxRequestBytes
	cfg.LogLevel = "warn"
	cfg.LogOutputs = []string{filepath.Join(c.DataDir, "etcd.log")}
	// etcd opens its log while validating.
	if err := os.MkdirAll(c.DataDir, 0o700); err != nil {
		return nil, fmt.Errorf("cluster member %s: data dir: %w", c.Name, err)
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("cluster member %s: %w", c.Name, err)
	}
	return cfg, nil
}

// initialCluster renders peers as etcd's "name=url,..." in name order.
func initialCluster(peers map[string]string) string {
	var parts []string
	for name, u := range peers {
		parts = append(parts, name+"="+u)
	}
	sort.Strings(parts)
	return strings.Join(parts, ",")
}

// Client is a client to this member (its own endpoint only, so a member cut
// off from the majority answers with errors instead of another's data).
func (m *Member) Client() *clientv3.Client { return m.cli }

// Close stops the client and the member.
func (m *Member) Close() error {
	err := m.cli.Close()
	m.etcd.Close()
	if errors.Is(err, context.Canceled) {
		err = nil
	}
	return err
}

// Connect returns a client to an external etcd.
func Connect(endpoints []string, dialTimeout time.Duration) (*clientv3.Client, error) {
	if len(endpoints) == 0 {
		return nil, errors.New("cluster: no etcd endpoints")
	}
	cli, err := clientv3.New(clientv3.Config{
		Endpoints:   endpoints,
		DialTimeout: dialTimeout,
		Logger:      zap.NewNop(),
	})
	if err != nil {
		return nil, fmt.Errorf("cluster: connect to etcd %s: %w", strings.Join(endpoints, ","), err)
	}
	return cli, nil
}
