package config

import (
	"bytes"
	"reflect"
	"strings"
	"testing"
	"time"
)

// threeNodes is a cluster: section as all three nodes would share it, read
// as node b.
const threeNodes = `cluster:
  node: b
  peers:
    - {name: a, peer_url: "http://10.0.0.1:2380", client_url: "http://10.0.0.1:2379", region: eu-west}
    - {name: b, peer_url: "http://10.0.0.2:2380", client_url: "http://10.0.0.2:2379", region: us-east}
    - {name: c, peer_url: "http://10.0.0.3:2380", client_url: "http://10.0.0.3:2379"}
`

func TestClusterDefaults(t *testing.T) {
	x := mustParse(t, base+threeNodes, nil).Cluster
	if !x.Enabled() || x.Node != "b" || x.Region != "us-east" || x.Line != 8 {
		t.Errorf("cluster = %+v, want node b in us-east (its peer's region), line 8", x)
	}
	if x.Heartbeat != 100*time.Millisecond || x.Election != time.Second || x.Lease != 5*time.Second || x.Quota != 512<<20 {
		t.Errorf("timers and quota = %v %v %v %d, want etcd's LAN defaults, a 5s lease, 512MiB", x.Heartbeat, x.Election, x.Lease, x.Quota)
	}
	if x.ListenPeer != "http://10.0.0.2:2380" || x.ListenClient != "http://10.0.0.2:2379" {
		t.Errorf("listen = %q %q, want this node's own URLs", x.ListenPeer, x.ListenClient)
	}
	if x.Peers[2].Region != "c" || x.Peers[1].Line != 11 {
		t.Errorf("peers[2] region %q (want its name), peers[1] line %d", x.Peers[2].Region, x.Peers[1].Line)
	}
	if got := strings.Join(x.ClientURLs(), " "); got != "http://10.0.0.1:2379 http://10.0.0.2:2379 http://10.0.0.3:2379" {
		t.Errorf("ClientURLs = %s", got)
	}
}

func TestNoClusterSectionIsOneMachine(t *testing.T) {
	c := mustParse(t, base, nil)
	if c.Cluster.Enabled() || !reflect.DeepEqual(c.Cluster, Cluster{}) {
		t.Errorf("cluster = %+v, want zero without the section", c.Cluster)
	}
	out, err := c.Marshal()
	if err != nil || strings.Contains(string(out), "cluster:") {
		t.Errorf("Marshal wrote a cluster section for a file without one (err %v):\n%s", err, out)
	}
}

// A node's region may be given at the top or in its peer entry.
func TestClusterRegionInEitherPlace(t *testing.T) {
	x := mustParse(t, base+`cluster:
  node: solo
  region: ap-south
  peers: [{name: solo, peer_url: "http://127.0.0.1:2380", client_url: "http://127.0.0.1:2379"}]
`, nil).Cluster
	if x.Region != "ap-south" || x.Peers[0].Region != "ap-south" {
		t.Errorf("region %q, peer's %q: want both ap-south", x.Region, x.Peers[0].Region)
	}
}

func TestClusterErrorsNameFileLineAndField(t *testing.T) {
	for _, tc := range []struct {
		name, text string
		want       map[string]string // field → text the error contains
	}{
		{"empty section", "cluster: {heartbeat: 1s}\n", map[string]string{
			"cluster.node": "warroom.yaml:7: cluster.node: missing; name this node",
		}},
		{"node not a peer, two peers, bad URLs", `cluster:
  node: z
  peers:
    - {name: a, peer_url: "https://10.0.0.1:2380", client_url: "http://10.0.0.1"}
    - {name: a, peer_url: "http://0.0.0.0:2380", client_url: "http://h:2379/etcd"}
`, map[string]string{
			"cluster.node":                `warroom.yaml:8: cluster.node: "z" is not one of peers: (a, a)`,
			"cluster.peers":               "warroom.yaml:9: cluster.peers: two members stop when either is lost",
			"cluster.peers[0].peer_url":   "warroom.yaml:10: cluster.peers[0].peer_url: \"https://10.0.0.1:2380\": TLS between nodes is not supported yet",
			"cluster.peers[0].client_url": `warroom.yaml:10: cluster.peers[0].client_url: "http://10.0.0.1" has no port`,
			"cluster.peers[1].name":       `warroom.yaml:11: cluster.peers[1].name: "a" is already cluster.peers[0] (line 10)`,
			"cluster.peers[1].peer_url":   `warroom.yaml:11: cluster.peers[1].peer_url: "http://0.0.0.0:2380" cannot be dialled by the other nodes`,
			"cluster.peers[1].client_url": `warroom.yaml:11: cluster.peers[1].client_url: "http://h:2379/etcd": want only http://host:port`,
		}},
		{"timers, quota, listen on a name, region twice", `cluster:
  node: a
  region: eu
  listen_peer: http://node-a.example:2380
  peers:
    - {name: a, peer_url: "http://10.0.0.1:2380", client_url: "http://10.0.0.1:2379", region: us}
  heartbeat: 300ms
  election: 1s
  lease: 2500ms
  quota: 4MB
`, map[string]string{
			"cluster.region":      `warroom.yaml:9: cluster.region: "eu" differs from this node's region in peers: ("us")`,
			"cluster.listen_peer": `warroom.yaml:10: cluster.listen_peer: "http://node-a.example:2380": etcd listens on IP addresses only`,
			"cluster.election":    `warroom.yaml:14: cluster.election: "1s" must be at least 5 × heartbeat (300ms)`,
			"cluster.lease":       `warroom.yaml:15: cluster.lease: "2.5s" must be a whole number of seconds`,
			"cluster.quota":       `warroom.yaml:16: cluster.quota: "4000000" must be between 16MiB and 8GiB`,
		}},
		{"lease shorter than etcd allows", `cluster:
  node: a
  peers: [{name: a, peer_url: "http://127.0.0.1:2380", client_url: "http://127.0.0.1:2379"}]
  election: 2s
  lease: 2s
  quota: lots
`, map[string]string{
			"cluster.lease": `warroom.yaml:11: cluster.lease: "2s" must be at least 1.5 × election (2s)`,
			"cluster.quota": `warroom.yaml:12: cluster.quota: "lots" is not a size`,
		}},
		{"executor steps longer than the lease", `cluster:
  node: a
  peers:
    - {name: a, peer_url: "http://10.0.0.1:2380", client_url: "http://10.0.0.1:2379"}
    - {name: b, peer_url: "http://10.0.0.2:2380", client_url: "http://10.0.0.2:2379"}
    - {name: c, peer_url: "http://10.0.0.3:2380", client_url: "http://10.0.0.3:2379"}
actions:
  executors:
    - {name: lb, haproxy: {address: 127.0.0.1:9999, backend: mirrors}}
    - {name: dns, timeout: 2s, haproxy: {address: 127.0.0.1:9998, backend: mirrors}}
    - {name: slow, timeout: 9s, haproxy: {address: 127.0.0.1:9997, backend: mirrors}}
`, map[string]string{
			"actions.executors[0].timeout": `actions.executors[0].timeout: "1m0s" must be shorter than cluster.lease (5s)`,
			"actions.executors[2].timeout": `warroom.yaml:17: actions.executors[2].timeout: "9s" must be shorter than cluster.lease (5s)`,
		}},
		{"endpoints with peers", `cluster:
  node: a
  endpoints: [etcd-1:2379, "ftp://etcd-2:2379"]
  listen_client: http://0.0.0.0:2379
  peers: [{name: a, peer_url: "http://127.0.0.1:2380", client_url: "http://127.0.0.1:2379"}]
`, map[string]string{
			"cluster.peers":        "warroom.yaml:11: cluster.peers: peers: are the members of an embedded etcd",
			"cluster.endpoints":    "warroom.yaml:9: cluster.endpoints: listen_peer: and listen_client: are an embedded member's",
			"cluster.endpoints[1]": `warroom.yaml:9: cluster.endpoints[1]: "ftp://etcd-2:2379": want an http:// URL`,
		}},
		{"nothing to join", "cluster:\n  node: a/b\n  unknown: 1\n", map[string]string{
			"cluster.node":    `warroom.yaml:8: cluster.node: "a/b" is not a usable node name`,
			"cluster.peers":   "warroom.yaml:7: cluster.peers: missing; list every member",
			"cluster.unknown": "warroom.yaml:9: cluster.unknown:",
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse("warroom.yaml", []byte(base+tc.text), nil)
			got := map[string]string{}
			for _, e := range fieldErrors(t, err) {
				got[e.Field] = e.Error()
			}
			for field, want := range tc.want {
				if !strings.Contains(got[field], want) {
					t.Errorf("%s: got %q, want it to contain %q\nall: %v", field, got[field], want, err)
				}
			}
		})
	}
}

// The round trip covers every field of Cluster across its two shapes
// (embedded members, an existing etcd): a field added without decode and
// marshal code fails here.
func TestClusterRoundTrip(t *testing.T) {
	embedded := base + `cluster:
  node: b
  region: "${REGION}"
  listen_peer: http://0.0.0.0:2380
  listen_client: http://0.0.0.0:2379
  peers:
    - {name: a, peer_url: "http://10.0.0.1:2380", client_url: "http://10.0.0.1:2379", region: eu-west}
    - {name: b, peer_url: "http://10.0.0.2:2380", client_url: "http://10.0.0.2:2379"}
    - {name: c, peer_url: "http://10.0.0.3:2380", client_url: "http://10.0.0.3:2379", region: ap-south}
  heartbeat: 50ms
  election: 750ms
  lease: 3s
  quota: 1GiB
`
	external := base + `cluster:
  node: edge-1
  region: eu-north
  endpoints: ["http://etcd-1:2379", "etcd-2:2379"]
  quota: 100000000
`
	vars := map[string]string{"REGION": "us-east"}
	all, set := map[string]bool{}, map[string]bool{}
	fieldPaths(reflect.TypeOf(Cluster{}), "Cluster", all)
	for _, text := range []string{embedded, external} {
		c := mustParse(t, text, vars)
		markSet(reflect.ValueOf(c.Cluster), "Cluster", set)
		out, err := c.Marshal()
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(text, "${REGION}") && !strings.Contains(string(out), "region: ${REGION}") {
			t.Errorf("Marshal lost the ${REGION} text:\n%s", out)
		}
		again, err := Parse("warroom.yaml", out, env(vars))
		if err != nil {
			t.Fatalf("re-parse of Marshal output: %v\n%s", err, out)
		}
		if out2, err := again.Marshal(); err != nil || !bytes.Equal(out, out2) {
			t.Errorf("Marshal is not a fixed point (err %v):\n%s\n---\n%s", err, out, out2)
		}
		sameConfig(t, again, c, false)
	}
	for path := range all {
		if !set[path] {
			t.Errorf("neither cluster example sets %s; set it so the round trip covers it", path)
		}
	}
}

func TestSizes(t *testing.T) {
	for in, want := range map[string]int64{"512MiB": 512 << 20, "1GiB": 1 << 30, "1.5 GB": 1.5e9, "2048": 2048, "8KiB": 8192, "10MB": 1e7} {
		if got, err := parseSize(in); err != nil || got != want {
			t.Errorf("parseSize(%q) = %d, %v; want %d", in, got, err, want)
		}
	}
	for _, bad := range []string{"", "MiB", "lots", "1e400", "NaN"} {
		if _, err := parseSize(bad); err == nil {
			t.Errorf("parseSize(%q): want an error", bad)
		}
	}
	for in, want := range map[int64]string{512 << 20: "512MiB", 3 << 30: "3GiB", 1e9: "1000000000", 2048: "2KiB"} {
		if got := formatSize(in); got != want {
			t.Errorf("formatSize(%d) = %q, want %q", in, got, want)
		}
	}
}
