package config

import "gopkg.in/yaml.v3"

// cluster writes the cluster: section with its defaults spelled out; a
// file without one gets none (see Marshal).
func (w writer) cluster(x *Cluster) *yaml.Node {
	const p = "cluster"
	n := w.m("node", w.s(join(p, "node"), x.Node), "region", w.s(join(p, "region"), x.Region))
	peer := func(m *Peer, at string) *yaml.Node {
		return w.m("name", w.s(join(at, "name"), m.Name), "peer_url", w.s(join(at, "peer_url"), m.PeerURL),
			"client_url", w.s(join(at, "client_url"), m.ClientURL), "region", w.s(join(at, "region"), m.Region))
	}
	w.add(n, p, "peers", len(x.Peers) > 0, items(join(p, "peers"), x.Peers, peer))
	w.add(n, p, "listen_peer", x.ListenPeer != "", w.s(join(p, "listen_peer"), x.ListenPeer))
	w.add(n, p, "listen_client", x.ListenClient != "", w.s(join(p, "listen_client"), x.ListenClient))
	w.add(n, p, "endpoints", len(x.Endpoints) > 0, w.strs(join(p, "endpoints"), x.Endpoints, false))
	n.Content = append(n.Content,
		w.key("heartbeat"), w.d(join(p, "heartbeat"), x.Heartbeat),
		w.key("election"), w.d(join(p, "election"), x.Election),
		w.key("lease"), w.d(join(p, "lease"), x.Lease),
		w.key("quota"), w.s(join(p, "quota"), formatSize(x.Quota)))
	return n
}
