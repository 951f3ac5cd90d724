package config

import (
	"net"
	"net/url"
	"strings"
	"time"

	"warroom/backends/problems"
)

// checkCluster checks the cluster: section by the rules etcd itself would
// apply at start, so a bad file fails at load with its line, not later with
// etcd's wording.
func checkCluster(k *checker, x *Cluster) {
	const p = "cluster"
	if !x.Enabled() {
		if x.Line != 0 || len(x.Peers) > 0 || len(x.Endpoints) > 0 {
			k.fail(join(p, "node"), "missing; name this node, e.g. node: eu-1 (one of peers:), or leave cluster: out to run one room on one machine")
		}
		return
	}
	if !nameLike(x.Node) {
		k.fail(join(p, "node"), "%s is not a usable node name; use up to 64 letters, digits, '-', '_' or '.'", k.show(join(p, "node"), x.Node))
	}
	if !nameLike(x.Region) {
		k.fail(join(p, "region"), "%s is not a usable region; use up to 64 letters, digits, '-', '_' or '.', e.g. eu-west", k.show(join(p, "region"), x.Region))
	}
	if len(x.Endpoints) > 0 {
		checkExternal(k, x)
	} else {
		checkPeers(k, x)
	}
	checkTimers(k, x)
	if x.Quota < minQuota || x.Quota > maxQuota {
		k.fail(join(p, "quota"), "%s must be between 16MiB and 8GiB (etcd's suggested maximum)", k.show(join(p, "quota"), formatSize(x.Quota)))
	}
}

// checkExternal checks a node that uses an existing etcd.
func checkExternal(k *checker, x *Cluster) {
	const p = "cluster"
	if len(x.Peers) > 0 {
		k.fail(join(p, "peers"), "peers: are the members of an embedded etcd; with endpoints: (an existing etcd) leave peers: out")
	}
	if x.ListenPeer != "" || x.ListenClient != "" {
		k.fail(join(p, "endpoints"), "listen_peer: and listen_client: are an embedded member's; with endpoints: leave them out")
	}
	for i, e := range x.Endpoints {
		at := index(join(p, "endpoints"), i)
		if !strings.Contains(e, "://") {
			e = "http://" + e // etcd's client takes host:port too
		}
		etcdURL(k, at, e, false)
	}
}

// checkPeers checks the embedded members and this node's place among them.
func checkPeers(k *checker, x *Cluster) {
	const p = "cluster"
	if len(x.Peers) == 0 {
		k.fail(join(p, "peers"), "missing; list every member (this node included) with name:, peer_url:, client_url:, or give endpoints: of an existing etcd")
		return
	}
	if len(x.Peers) == 2 {
		k.fail(join(p, "peers"), "two members stop when either is lost (etcd needs a majority); list 3 (or 5), or 1 to try it out")
	}
	names, urls := map[string]int{}, map[string]string{}
	for i, m := range x.Peers {
		at := index(join(p, "peers"), i)
		switch {
		case m.Name == "":
			k.fail(join(at, "name"), "missing; every peer needs a name, e.g. name: eu-1")
		case !nameLike(m.Name):
			k.fail(join(at, "name"), "%s is not a usable node name; use up to 64 letters, digits, '-', '_' or '.'", k.show(join(at, "name"), m.Name))
		default:
			if j, dup := names[m.Name]; dup {
				k.fail(join(at, "name"), "%s is already cluster.peers[%d]%s; list each node once", k.show(join(at, "name"), m.Name), j, onLine(x.Peers[j].Line))
			}
			names[m.Name] = i
		}
		if !nameLike(m.Region) {
			k.fail(join(at, "region"), "%s is not a usable region; use up to 64 letters, digits, '-', '_' or '.'", k.show(join(at, "region"), m.Region))
		}
		for _, f := range []struct{ key, v, eg string }{{"peer_url", m.PeerURL, ":2380"}, {"client_url", m.ClientURL, ":2379"}} {
			fp := join(at, f.key)
			if f.v == "" {
				k.fail(fp, "missing; give the address the other nodes reach this one at, e.g. %s: http://10.0.1.5%s", f.key, f.eg)
				continue
			}
			if !etcdURL(k, fp, f.v, false) {
				continue
			}
			if other, dup := urls[f.v]; dup {
				k.fail(fp, "%s is already %s; every member needs its own addresses", k.show(fp, f.v), other)
			}
			urls[f.v] = fp
		}
	}
	self := x.Self()
	if self == nil {
		k.fail(join(p, "node"), "%s is not one of peers: (%s); name this node as it is listed there", k.show(join(p, "node"), x.Node), strings.Join(peerNames(x.Peers), ", "))
		return
	}
	if x.Region != self.Region {
		k.fail(join(p, "region"), "%s differs from this node's region in peers: (%s); give it in one place", k.show(join(p, "region"), x.Region), problems.Quote(self.Region))
	}
	etcdURL(k, join(p, "listen_peer"), x.ListenPeer, true)
	etcdURL(k, join(p, "listen_client"), x.ListenClient, true)
}

func peerNames(ps []Peer) []string {
	out := make([]string, len(ps))
	for i, m := range ps {
		out[i] = m.Name
	}
	return out
}

// checkTimers checks heartbeat, election and lease against etcd's limits.
func checkTimers(k *checker, x *Cluster) {
	const p = "cluster"
	hb, el := join(p, "heartbeat"), join(p, "election")
	switch {
	case x.Heartbeat < time.Millisecond || x.Heartbeat%time.Millisecond != 0:
		k.fail(hb, "%s must be a whole number of milliseconds, at least 1ms (near the peers' round trip)", k.dur(hb, x.Heartbeat))
	case x.Election < 5*x.Heartbeat:
		k.fail(el, "%s must be at least 5 × heartbeat (%s), etcd's minimum; 10 × is safer", k.dur(el, x.Election), formatDuration(x.Heartbeat))
	case x.Election > maxElection || x.Election%time.Millisecond != 0:
		k.fail(el, "%s must be a whole number of milliseconds, at most 50s (etcd's maximum)", k.dur(el, x.Election))
	}
	lp := join(p, "lease")
	switch {
	case x.Lease < time.Second || x.Lease%time.Second != 0:
		k.fail(lp, "%s must be a whole number of seconds, at least 1s (etcd leases count seconds)", k.dur(lp, x.Lease))
	case x.Lease < x.Election*3/2:
		k.fail(lp, "%s must be at least 1.5 × election (%s): etcd makes shorter leases that long anyway", k.dur(lp, x.Lease), formatDuration(x.Election))
	}
}

// etcdURL checks a member or client URL the way etcd reads it: http with a
// host and a port, no path. A listen URL must be an IP address (etcd binds
// no names), an advertised one must not be 0.0.0.0.
func etcdURL(k *checker, path, v string, listen bool) bool {
	u, err := url.Parse(strings.TrimSpace(v))
	var host, port string
	if err == nil {
		host, port = u.Hostname(), u.Port()
	}
	switch {
	case err != nil || u.Host == "":
		k.fail(path, "%s is not a URL; want e.g. http://10.0.1.5:2380", k.show(path, v))
	case u.Scheme == "https":
		k.fail(path, "%s: TLS between nodes is not supported yet; use http:// on a private network (a VPN such as WireGuard)", k.show(path, v))
	case u.Scheme != "http":
		k.fail(path, "%s: want an http:// URL, e.g. http://10.0.1.5:2380", k.show(path, v))
	case port == "":
		k.fail(path, "%s has no port; want e.g. http://10.0.1.5:2380", k.show(path, v))
	case (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil:
		k.fail(path, "%s: want only http://host:port, no path, query or user", k.show(path, v))
	case listen && host != "localhost" && net.ParseIP(host) == nil:
		k.fail(path, "%s: etcd listens on IP addresses only; set it to this node's IP or http://0.0.0.0:%s", k.show(path, v), port)
	case !listen && net.ParseIP(host) != nil && net.ParseIP(host).IsUnspecified():
		k.fail(path, "%s cannot be dialled by the other nodes; give this node's address here and listen on 0.0.0.0 with listen_peer:/listen_client:", k.show(path, v))
	default:
		return true
	}
	return false
}

// checkStepsFitTheLease: in a cluster the leader starts an executor step
// only while its lease outlasts the step's timeout (a frozen leader's step
// must end before another node can take over), so a timeout as long as
// the lease would refuse every action at 3 a.m. Say so at load instead.
func checkStepsFitTheLease(k *checker, c *Config) {
	if !c.Cluster.Enabled() {
		return
	}
	for i, e := range c.Actions.Executors {
		if e.Timeout < c.Cluster.Lease {
			continue
		}
		at := join(index("actions.executors", i), "timeout")
		k.fail(at, "%s must be shorter than cluster.lease (%s): in a cluster a step starts only while the leader's lease outlasts it; set a shorter timeout here (or actions.timeout, default 60s) or a longer lease",
			problems.Quote(e.Timeout.String()), c.Cluster.Lease)
	}
}
