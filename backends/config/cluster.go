package config

import (
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// Cluster configures a node of a warroom cluster: the embedded etcd member
// (or an existing etcd) the room's journal is replicated through. A file
// without cluster: runs one room on one machine.
type Cluster struct {
	Node         string   // this node's name: one of Peers, or any name with Endpoints; "" = no cluster
	Region       string   // where this node probes from; default: its peer's region
	Peers        []Peer   // the embedded etcd's members, this node included
	ListenPeer   string   // URL the member listens on for peers; default: this node's peer_url
	ListenClient string   // URL the member listens on for clients; default: this node's client_url
	Endpoints    []string // an existing etcd's client URLs instead of embedded members
	// Heartbeat and Election are etcd's: near the peers' round trip, and
	// at least 10× that (etcd refuses less than 5×).
	Heartbeat time.Duration // default 100ms
	Election  time.Duration // default 1s
	Lease     time.Duration // the room leader's lease, whole seconds; default 5s
	Quota     int64         // etcd's backend size limit in bytes; default 512 MiB
	Line      int           // of cluster: in the file
}

// Peer is one member of cluster.peers.
type Peer struct {
	Name      string
	PeerURL   string // what the other members dial, e.g. http://10.0.1.5:2380
	ClientURL string // what nodes and `warroom cluster status` dial, e.g. http://10.0.1.5:2379
	Region    string // default: the peer's name
	Line      int
}

// Defaults of the cluster: section, etcd's for a LAN; see the README's
// Cluster section for peers further apart.
const (
	DefaultHeartbeat = 100 * time.Millisecond
	DefaultElection  = time.Second
	DefaultLease     = 5 * time.Second
	DefaultQuota     = 512 << 20
	maxQuota         = 8 << 30 // etcd's suggested maximum
	minQuota         = 16 << 20
	maxElection      = 50 * time.Second // etcd refuses more
)

// Enabled reports whether this process is a node of a cluster.
func (x *Cluster) Enabled() bool { return x.Node != "" }

// Self is this node's entry in Peers; nil with Endpoints or when absent.
func (x *Cluster) Self() *Peer {
	for i := range x.Peers {
		if x.Peers[i].Name == x.Node {
			return &x.Peers[i]
		}
	}
	return nil
}

var (
	clusterKeys = []string{"node", "region", "peers", "listen_peer", "listen_client", "endpoints", "heartbeat", "election", "lease", "quota"}
	peerKeys    = []string{"name", "peer_url", "client_url", "region"}
)

// cluster decodes the cluster: section.
func (d *decoder) cluster(n *yaml.Node, path string, x *Cluster) {
	x.Line = n.Line
	pairs, _ := d.mapping(n, path, "a map with node:, region:, peers:, heartbeat:, election:, …", clusterKeys)
	for _, p := range pairs {
		if isNull(p.Val) {
			continue
		}
		switch p.Key.Value {
		case "node":
			d.str(p.Val, p.Path, &x.Node)
		case "region":
			d.str(p.Val, p.Path, &x.Region)
		case "peers":
			d.each(p.Val, p.Path, "peers", func(it *yaml.Node, at string) {
				x.Peers = append(x.Peers, d.peer(it, at))
			})
		case "listen_peer":
			d.str(p.Val, p.Path, &x.ListenPeer)
		case "listen_client":
			d.str(p.Val, p.Path, &x.ListenClient)
		case "endpoints":
			d.strings(p.Val, p.Path, &x.Endpoints)
		case "heartbeat":
			d.duration(p.Val, p.Path, &x.Heartbeat)
		case "election":
			d.duration(p.Val, p.Path, &x.Election)
		case "lease":
			d.duration(p.Val, p.Path, &x.Lease)
		case "quota":
			d.size(p.Val, p.Path, &x.Quota)
		}
	}
}

func (d *decoder) peer(n *yaml.Node, path string) Peer {
	x := Peer{Line: n.Line}
	for _, p := range d.item(n, path, "a map with name:, peer_url:, client_url:, region:", peerKeys) {
		switch p.Key.Value {
		case "name":
			d.str(p.Val, p.Path, &x.Name)
		case "peer_url":
			d.str(p.Val, p.Path, &x.PeerURL)
		case "client_url":
			d.str(p.Val, p.Path, &x.ClientURL)
		case "region":
			d.str(p.Val, p.Path, &x.Region)
		}
	}
	return x
}

// applyDefaults fills an enabled section; a file without one stays zero.
func (x *Cluster) applyDefaults() {
	if !x.Enabled() {
		return
	}
	orDur(&x.Heartbeat, DefaultHeartbeat)
	orDur(&x.Election, DefaultElection)
	orDur(&x.Lease, DefaultLease)
	if x.Quota == 0 {
		x.Quota = DefaultQuota
	}
	self := x.Self()
	if self != nil && self.Region == "" {
		self.Region = x.Region // region: names this node's
	}
	for i := range x.Peers {
		x.Peers[i].Region = or(x.Peers[i].Region, x.Peers[i].Name)
	}
	if self != nil {
		x.Region = or(x.Region, self.Region)
		x.ListenPeer = or(x.ListenPeer, self.PeerURL)
		x.ListenClient = or(x.ListenClient, self.ClientURL)
	}
	x.Region = or(x.Region, x.Node)
}

// ClientURLs are the addresses a client of the cluster dials: the external
// endpoints, or every peer's client URL.
func (x *Cluster) ClientURLs() []string {
	if len(x.Endpoints) > 0 {
		return x.Endpoints
	}
	out := make([]string, len(x.Peers))
	for i, p := range x.Peers {
		out[i] = p.ClientURL
	}
	return out
}

// nameLike accepts what can be an etcd member name and part of a key.
func nameLike(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	return strings.IndexFunc(s, func(r rune) bool {
		return !(r == '-' || r == '_' || r == '.' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) < 0
}
