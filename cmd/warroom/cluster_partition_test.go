package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"warroom/backends/cluster/clustertest"
	"warroom/backends/config"
	"warroom/backends/journal"
	"warroom/backends/room"
	"warroom/backends/sim"
)

// partitionLease is the room leader's lease in these tests: short, so the
// majority takes over from a cut-off leader quickly, yet whole seconds
// and 3 × the default election, as the config demands.
const partitionLease = 3 * time.Second

// peerNetConfigs writes one config per node of a cluster whose peer links
// all pass pn's proxies: each node advertises its proxy as its peer_url
// and listens on listen_peer behind it. Node i is in region r<i+1>;
// extra goes into every config.
func peerNetConfigs(t *testing.T, f *sim.Fleet, pn *clustertest.PeerNet, names []string, extra string, people ...person) []string {
	t.Helper()
	clients := clustertest.FreePorts(t, len(names))
	var peers strings.Builder
	for i, name := range names {
		fmt.Fprintf(&peers, "    - {name: %s, region: r%d, peer_url: %q, client_url: %q}\n", name, i+1, pn.AdvertiseURL(name), clustertest.URL(clients[i]))
	}
	var out []string
	for _, name := range names {
		path := fleetConfig(t, f)
		appendFile(t, path, serveSection(people...)+extra)
		appendFile(t, path, fmt.Sprintf("cluster:\n  node: %s\n  lease: %s\n  listen_peer: %q\n  peers:\n%s",
			name, partitionLease, pn.ListenURL(name), peers.String()))
		out = append(out, path)
	}
	return out
}

// askRoom runs a command in the room running on cfg's node, through its
// control socket, as `ssh NODE ARGS` would: the room's own view, where a
// local `warroom status` would probe afresh.
func askRoom(t *testing.T, cfgPath string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	cfg, err := config.Load(cfgPath)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var out, errOut bytes.Buffer
	_, err = throughRoom(ctx, cfg, args, oneShot{stdout: &out, stderr: &errOut})
	return out.String(), errOut.String(), err
}

// roomStatus is `status --json` of the room running on cfg's node.
func roomStatus(t *testing.T, cfgPath string) (statusJSON, error) {
	t.Helper()
	out, errOut, err := askRoom(t, cfgPath, "status", "--json")
	var v statusJSON
	if jerr := json.Unmarshal([]byte(out), &v); jerr != nil {
		return v, fmt.Errorf("status --json: %v (%v) %s", jerr, err, errOut)
	}
	return v, nil
}

// journalBytes is the node's materialised journal.jsonl.
func journalBytes(t *testing.T, n *clusterNode) []byte {
	t.Helper()
	b, err := os.ReadFile(nodeJournal(t, n))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return b
}

// byNodeName indexes the nodes by name.
func byNodeName(nodes []*clusterNode) map[string]*clusterNode {
	out := map[string]*clusterNode{}
	for _, n := range nodes {
		out[n.name] = n
	}
	return out
}

// waitClusterLeader waits for the room's leader as n's config sees it.
func waitClusterLeader(t *testing.T, bin string, n *clusterNode) (string, int64) {
	t.Helper()
	var leader string
	var term int64
	if !pollEvery(30*time.Second, statusPoll, func() bool { leader, term = clusterLeader(t, bin, n.cfg); return leader != "" }) {
		t.Fatalf("no room leader within 30s:\n%s", n.out.String())
	}
	return leader, term
}

// TestPartitionedLeaderIsReadOnlyAndCatchesUp runs three `warroom serve`
// nodes whose peer links pass in-test TCP proxies and cuts the leading
// node off from both others. Its room says "no quorum — read-only" at
// once and refuses a command with that reason; the majority elects
// another leader, accepts the command and records the world; when the
// links return, the cut-off node's journal.jsonl catches up byte for byte.
func TestPartitionedLeaderIsReadOnlyAndCatchesUp(t *testing.T) {
	if testing.Short() {
		t.Skip("starts three nodes with etcd")
	}
	bin := buildBinary(t)
	f := startFleet(t, 3)
	names := []string{"n1", "n2", "n3"}
	pn := clustertest.NewPeerNet(t, names)
	nodes := startClusterNodes(t, bin, peerNetConfigs(t, f, pn, names, "", newPerson(t, "olga", "operator")))
	byName := byNodeName(nodes)
	leader, term := waitClusterLeader(t, bin, nodes[0])
	cutOff := byName[leader]
	if cutOff == nil {
		t.Fatalf("cluster status names leader %q, not one of the nodes", leader)
	}

	// An alert the whole cluster knows, to act on from both sides.
	down := f.Mirrors()[2]
	alert := alertEverywhere(t, nodes, down)

	cut := time.Now()
	pn.Isolate(leader)
	var st statusJSON
	readOnly := pollEvery(5*time.Second, 50*time.Millisecond, func() bool {
		var err error
		st, err = roomStatus(t, cutOff.cfg)
		return err == nil && st.Cluster != nil && st.Cluster.NoQuorum != ""
	})
	if !readOnly {
		etcdLog, _ := os.ReadFile(filepath.Join(stateDirOf(t, cutOff.cfg), "etcd", "etcd.log"))
		_, cs, _ := runBinary(t, bin, "", "cluster", "status", "--config", nodes[0].cfg, "--timeout", "2s")
		t.Fatalf("%s (leader, cut off) never said it has no quorum; last status %+v\n%s\netcd.log:\n%s\ncluster status:\n%s", leader, st.Cluster, cutOff.out.String(), tail(string(etcdLog), 4000), cs)
	}
	t.Logf("%s read-only %s after it was cut off", leader, time.Since(cut).Round(time.Millisecond))
	if !st.Critical {
		t.Errorf("%s's status without quorum is not critical", leader)
	}
	if text, _, _ := askRoom(t, cutOff.cfg, "status"); !strings.Contains(text, "critical "+room.NoQuorumText) {
		t.Errorf("%s's status does not say %q:\n%s", leader, room.NoQuorumText, text)
	}

	asked := time.Now()
	code, out, errOut := runBinaryAs(t, bin, "olga", "", "ack", alert, "--config", cutOff.cfg)
	if code == 0 || !strings.Contains(errOut, room.NoQuorumText) {
		t.Fatalf("ack on the cut-off %s: exit %d, want a refusal saying %q\n%s%s", leader, code, room.NoQuorumText, out, errOut)
	}
	if took := time.Since(asked); took > 5*time.Second {
		t.Errorf("the cut-off node took %s to refuse", took)
	}

	var majority []*clusterNode
	for _, n := range nodes {
		if n != cutOff {
			majority = append(majority, n)
		}
	}
	next, nextTerm, ok := newLeader(t, bin, majority[0].cfg, leader, partitionLease+20*time.Second)
	if !ok {
		t.Fatalf("the majority elected no leader after %s was cut off:\n%s", leader, majority[0].out.String())
	}
	if nextTerm <= term {
		t.Errorf("the majority's term %d is not after the cut-off leader's %d", nextTerm, term)
	}
	code, out, errOut = runBinaryAs(t, bin, "olga", "", "ack", alert, "--config", majority[1].cfg)
	if code != 0 || !strings.Contains(out, "acknowledged "+alert+" as olga") {
		t.Fatalf("ack through %s of the majority (leader %s): exit %d\n%s%s\n%s", majority[1].name, next, code, out, errOut, majority[1].out.String())
	}
	down.SetDown(false) // the world goes on: the majority records it answering again
	for _, n := range majority {
		path := nodeJournal(t, n)
		waitForRecord(t, path, "olga's ack in "+n.name+"'s journal", func(ev room.Event) bool {
			return ev.Kind == room.EvAlertAcked && ev.Actor == "olga"
		})
		waitForRecord(t, path, down.Name+" answering again in "+n.name+"'s journal", func(ev room.Event) bool {
			to := ev.MirrorFacts().To
			return ev.Kind == room.EvMirrorState && ev.Subject == down.Name && (to == room.StateUp || to == room.StateDegraded)
		})
	}
	if bytes.Contains(journalBytes(t, cutOff), []byte(`"alert.acked"`)) {
		t.Fatalf("the cut-off %s recorded the ack it refused", leader)
	}

	pn.Heal(leader)
	healed := time.Now()
	if !pollEvery(30*time.Second, 100*time.Millisecond, func() bool {
		st, err := roomStatus(t, cutOff.cfg)
		return err == nil && st.Cluster != nil && st.Cluster.NoQuorum == ""
	}) {
		t.Fatalf("%s never had quorum again after the links returned:\n%s", leader, cutOff.out.String())
	}
	// Caught up: every node's journal.jsonl is the same bytes.
	var journals [][]byte
	same := pollEvery(30*time.Second, 100*time.Millisecond, func() bool {
		journals = journals[:0]
		for _, n := range nodes {
			journals = append(journals, journalBytes(t, n))
		}
		return bytes.Contains(journals[0], []byte(`"alert.acked"`)) &&
			bytes.Equal(journals[0], journals[1]) && bytes.Equal(journals[0], journals[2])
	})
	if !same {
		for i, n := range nodes {
			t.Logf("%s's journal: %d bytes, %d records", n.name, len(journals[i]), bytes.Count(journals[i], []byte("\n")))
		}
		t.Fatalf("the journals differ 30s after %s's links returned", leader)
	}
	t.Logf("%s caught up %s after the links returned (%d records)", leader, time.Since(healed).Round(time.Millisecond), bytes.Count(journals[0], []byte("\n")))
}

// regionGate stands in front of a mirror and resets the connections of
// probes from the regions it cuts off (by their X-Warroom-Region, which
// the cluster demo's nodes send): a network fault between some regions and
// the mirror, while it serves the rest.
type regionGate struct {
	URL string
	mu  sync.Mutex
	cut map[string]bool
}

func startRegionGate(t *testing.T, mirrorURL string) *regionGate {
	t.Helper()
	u, err := url.Parse(mirrorURL)
	if err != nil {
		t.Fatal(err)
	}
	g := &regionGate{cut: map[string]bool{}}
	proxy := httputil.NewSingleHostReverseProxy(u)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !g.cuts(r.Header.Get(sim.RegionHeader)) {
			proxy.ServeHTTP(w, r)
			return
		}
		if c, _, err := http.NewResponseController(w).Hijack(); err == nil {
			c.Close()
		}
	}))
	t.Cleanup(srv.Close)
	g.URL = srv.URL
	return g
}

// Cut stops region reaching the mirror.
func (g *regionGate) Cut(region string) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.cut[region] = true
}

func (g *regionGate) cuts(region string) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.cut[region]
}

// mirrorStatus is mirror's line in the status of the room on n.
func mirrorStatus(t *testing.T, n *clusterNode, mirror string) (mirrorJSON, bool) {
	t.Helper()
	st, err := roomStatus(t, n.cfg)
	if err != nil {
		return mirrorJSON{}, false
	}
	for _, m := range st.Mirrors {
		if m.Name == mirror {
			return m, true
		}
	}
	return mirrorJSON{}, false
}

// TestMirrorDownFromOneRegionIsPartialThenDownFromTwo runs the cluster
// demo's three nodes (regions r1, r2, r3; their probes name their region)
// and cuts the active mirror off from r1 only: every room shows it "down
// from r1" (partial) and no failover is proposed, even well past the
// rule's for:. Cut off from r2 as well, two of three regions see it down:
// it is down, and the rule proposes a failover once down has held for:.
func TestMirrorDownFromOneRegionIsPartialThenDownFromTwo(t *testing.T) {
	if testing.Short() {
		t.Skip("starts three nodes with etcd")
	}
	const ruleFor = 2 * time.Second
	bin := buildBinary(t)
	f := startFleet(t, 3)
	active := f.Mirrors()[0] // fleetConfig makes the first one active
	gate := startRegionGate(t, active.URL)
	pids := t.TempDir()
	var nodes []*clusterNode
	for i, cfg := range clusterConfigs(t, f, 3) {
		replaceInFile(t, cfg, fmt.Sprintf("%q", active.URL), fmt.Sprintf("%q", gate.URL))
		appendFile(t, cfg, fmt.Sprintf("actions:\n  executors:\n    - {name: edge, timeout: 3s, exec: {command: [\"false\"]}}\n  failover: edge\n"+
			"  rules:\n    - {name: active-down, when: active-down, for: %s, propose: failover}\n", ruleFor))
		nodes = append(nodes, &clusterNode{name: fmt.Sprintf("n%d", i+1), cfg: cfg,
			args: []string{"demo-node", "--config", cfg, "--pids", pids}})
	}
	startNodes(t, bin, nodes)
	leader, _ := waitClusterLeader(t, bin, nodes[0])
	lead := byNodeName(nodes)[leader]
	journalPath := nodeJournal(t, lead)
	proposed := func(ev room.Event) bool { return ev.Kind == room.EvActionProposed }

	gate.Cut("r1")
	for _, n := range nodes {
		var m mirrorJSON
		if !pollEvery(30*time.Second, 100*time.Millisecond, func() bool {
			m, _ = mirrorStatus(t, n, active.Name)
			return m.State == string(room.StatePartial)
		}) {
			t.Fatalf("%s's room never showed %s down from r1 only; last %+v\n%s", n.name, active.Name, m, n.out.String())
		}
		if !strings.HasPrefix(m.Reason, "down from r1") {
			t.Errorf("%s's room says %s is partial because %q, want it down from r1", n.name, active.Name, m.Reason)
		}
	}
	partialAt := waitForRecord(t, journalPath, active.Name+" partial", func(ev room.Event) bool {
		return ev.Kind == room.EvMirrorState && ev.Subject == active.Name && ev.MirrorFacts().To == room.StatePartial
	}).At
	// Held well past the rule's for: still partial, still nothing proposed.
	const window = 2*ruleFor + 2*time.Second // for: and two probe rounds past it
	held := pollEvery(window, 200*time.Millisecond, func() bool {
		if m, ok := mirrorStatus(t, lead, active.Name); ok && m.State != string(room.StatePartial) {
			t.Fatalf("%s went %s (%s) while only r1 could not reach it", active.Name, m.State, m.Reason)
		}
		if hasRecord(t, journalPath, proposed) {
			t.Fatalf("a failover was proposed while %s was down from r1 only", active.Name)
		}
		return false
	})
	if held || time.Since(partialAt) < window {
		t.Fatalf("the window after %s went partial at %s ended early", active.Name, partialAt)
	}

	gate.Cut("r2")
	downAt := waitForRecord(t, journalPath, active.Name+" down from two regions", func(ev room.Event) bool {
		return ev.Kind == room.EvMirrorState && ev.Subject == active.Name && ev.MirrorFacts().To == room.StateDown
	}).At
	p := waitForRecord(t, journalPath, "a failover proposed", proposed)
	if p.Subject != active.Name || !strings.Contains(p.Text, "failover") {
		t.Errorf("the proposal %q on %s, want a failover from %s", p.Text, p.Subject, active.Name)
	}
	if waited := p.At.Sub(downAt); waited < ruleFor {
		t.Errorf("proposed %s after %s went down, before the rule's for: %s", waited, active.Name, ruleFor)
	}
	t.Logf("partial at %s, down at %s, proposed %s later", partialAt.Format("15:04:05.000"), downAt.Format("15:04:05.000"), p.At.Sub(downAt).Round(time.Millisecond))
}

// hasRecord reports whether the journal at path holds a matching record now.
func hasRecord(t *testing.T, path string, match func(room.Event) bool) bool {
	t.Helper()
	recs, _ := journal.Read(path)
	return slices.ContainsFunc(decodeEvents(t, recs), match)
}

// replaceInFile replaces old by new in the file, once.
func replaceInFile(t *testing.T, path, old, new string) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte(old)) {
		t.Fatalf("%s lacks %s", path, old)
	}
	if err := os.WriteFile(path, bytes.Replace(b, []byte(old), []byte(new), 1), 0o600); err != nil {
		t.Fatal(err)
	}
}
