package main

import (
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"warroom/backends/cluster/clustertest"
	"warroom/backends/room"
	"warroom/backends/sim"
)

// clusterNode is one `warroom serve` of a three-node cluster, a child
// process that dies with the test binary.
type clusterNode struct {
	name, cfg string
	args      []string // after the binary; nil: serve --config cfg
	cmd       *exec.Cmd
	out       *syncLog
	exited    chan struct{}
}

// clusterConfigs writes one config per node of an n-node cluster on
// loopback ports, each with its own state_dir, the same fleet and people.
func clusterConfigs(t *testing.T, f *sim.Fleet, n int, people ...person) []string {
	t.Helper()
	ports := clustertest.FreePorts(t, 2*n)
	var peers strings.Builder
	for i := range n {
		fmt.Fprintf(&peers, "    - {name: n%d, region: r%d, peer_url: \"http://127.0.0.1:%d\", client_url: \"http://127.0.0.1:%d\"}\n", i+1, i+1, ports[2*i], ports[2*i+1])
	}
	var out []string
	for i := range n {
		path := fleetConfig(t, f)
		appendFile(t, path, serveSection(people...))
		appendFile(t, path, fmt.Sprintf("cluster:\n  node: n%d\n  lease: %s\n  peers:\n%s", i+1, clusterTestLease, peers.String()))
		out = append(out, path)
	}
	return out
}

// clusterTestLease is long enough that a takeover well within it shows
// the old leader handed over rather than let its lease run out.
const clusterTestLease = 6 * time.Second

// startClusterNodes starts every node at once (each waits for a quorum of
// the others) and returns once every control socket answers.
func startClusterNodes(t *testing.T, bin string, cfgs []string) []*clusterNode {
	t.Helper()
	var nodes []*clusterNode
	for i, cfg := range cfgs {
		nodes = append(nodes, &clusterNode{name: fmt.Sprintf("n%d", i+1), cfg: cfg})
	}
	return startNodes(t, bin, nodes)
}

// startNodes starts the nodes at once and waits for each control socket.
func startNodes(t *testing.T, bin string, nodes []*clusterNode) []*clusterNode {
	t.Helper()
	for _, n := range nodes {
		n.start(t, bin)
	}
	for _, n := range nodes {
		n.waitUp(t)
	}
	return nodes
}

// start runs the node's `warroom serve` (or its args).
func (n *clusterNode) start(t *testing.T, bin string) {
	t.Helper()
	n.out, n.exited = &syncLog{}, make(chan struct{})
	args := n.args
	if args == nil {
		args = []string{"serve", "--config", n.cfg}
	}
	n.cmd = exec.Command(bin, args...)
	n.cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	n.cmd.Stdout, n.cmd.Stderr = n.out, n.out
	if err := n.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	cmd, exited := n.cmd, n.exited
	go func() { _ = cmd.Wait(); close(exited) }()
	t.Cleanup(func() { _ = cmd.Process.Kill(); <-exited })
}

// waitUp waits until the node's control socket answers.
func (n *clusterNode) waitUp(t *testing.T) {
	t.Helper()
	sock := controlPathOf(t, n.cfg)
	up := pollUntil(45*time.Second, func() bool {
		c, err := net.Dial("unix", sock)
		if err == nil {
			c.Close()
		}
		return err == nil || n.gone()
	})
	if !up || n.gone() {
		t.Fatalf("node %s never served its control socket:\n%s", n.name, n.out.String())
	}
}

// newLeader polls the cluster's view from cfg until a node other than
// old leads, for at most within.
func newLeader(t *testing.T, bin, cfg, old string, within time.Duration) (string, int64, bool) {
	t.Helper()
	var next string
	var term int64
	ok := pollEvery(within, statusPoll, func() bool {
		next, term = clusterLeader(t, bin, cfg)
		return next != "" && next != old
	})
	return next, term, ok
}

func (n *clusterNode) gone() bool {
	select {
	case <-n.exited:
		return true
	default:
		return false
	}
}

// statusPoll is how often a test asks `cluster status`: each look starts a
// warroom process, and a loop of them every few milliseconds takes the
// CPU the nodes under test need to renew leases and elect on 2 cores.
const statusPoll = 100 * time.Millisecond

// clusterLeader asks `cluster status --json` through cfg's view of the
// cluster for the room's leader; "" while there is none.
func clusterLeader(t *testing.T, bin, cfg string) (string, int64) {
	t.Helper()
	code, out, _ := runBinary(t, bin, "", "cluster", "status", "--config", cfg, "--json", "--timeout", "1s")
	var v clusterView
	if err := json.Unmarshal([]byte(out), &v); err != nil || code != 0 {
		return "", 0
	}
	return v.Leader, v.Term
}

// TestServeClusterCarriesOnWhenItsLeaderIsKilled runs three `warroom serve`
// nodes with embedded etcd. SIGTERM the leader: it hands over, so another
// leads well within the lease, and it exits 0; it comes back as a replica.
// kill -9 the leader: another leads within a bound, and its room still
// works: a mirror that goes down raises an alert, replicated into every
// surviving node's journal.jsonl, and an ack through a replica's control
// socket is forwarded to the leader and recorded.
func TestServeClusterCarriesOnWhenItsLeaderIsKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("starts three nodes with etcd")
	}
	bin := buildBinary(t)
	f := startFleet(t, 3)
	nodes := startClusterNodes(t, bin, clusterConfigs(t, f, 3, newPerson(t, "olga", "operator")))
	byName := map[string]*clusterNode{}
	for _, n := range nodes {
		byName[n.name] = n
	}

	var leader string
	var term int64
	if !pollEvery(30*time.Second, statusPoll, func() bool { leader, term = clusterLeader(t, bin, nodes[0].cfg); return leader != "" }) {
		t.Fatalf("no room leader within 30s:\n%s", nodes[0].out.String())
	}
	if byName[leader] == nil {
		t.Fatalf("cluster status names leader %q, not one of the nodes", leader)
	}

	stopped := byName[leader]
	_ = stopped.cmd.Process.Signal(syscall.SIGTERM)
	handover := clusterTestLease * 2 / 3
	next, nextTerm, ok := newLeader(t, bin, nodes[(indexOf(nodes, stopped)+1)%3].cfg, leader, handover)
	if !ok {
		t.Fatalf("no new leader within %s of a SIGTERM to %s (lease %s): it did not hand over\n%s", handover, leader, clusterTestLease, stopped.out.String())
	}
	<-stopped.exited
	if code := stopped.cmd.ProcessState.ExitCode(); code != 0 || !strings.Contains(stopped.out.String(), "handed the room over") {
		t.Fatalf("%s after SIGTERM: exit %d, want 0 and a hand-over\n%s", leader, code, stopped.out.String())
	}
	if nextTerm <= term {
		t.Errorf("new term %d is not after the old one %d", nextTerm, term)
	}
	stopped.start(t, bin) // back, as a replica of the new leader
	stopped.waitUp(t)
	leader, term = next, nextTerm

	old := byName[leader]
	_ = old.cmd.Process.Signal(syscall.SIGKILL)
	<-old.exited
	killed := time.Now()

	var rest []*clusterNode
	for _, n := range nodes {
		if n != old {
			rest = append(rest, n)
		}
	}
	const takeover = clusterTestLease + 15*time.Second // the lease runs out, then a campaign, on a loaded machine
	if next, nextTerm, ok = newLeader(t, bin, rest[0].cfg, leader, takeover); !ok {
		t.Fatalf("no new leader within %s of killing %s:\n%s", takeover, leader, rest[0].out.String())
	}
	t.Logf("%s (term %d) killed; %s leads (term %d) after %s", leader, term, next, nextTerm, time.Since(killed).Round(time.Millisecond))
	if nextTerm <= term {
		t.Errorf("new term %d is not after the old one %d", nextTerm, term)
	}

	alert := alertEverywhere(t, rest, f.Mirrors()[2])
	// Through the replica's control socket: forwarded to the leader.
	replica := rest[0]
	if replica.name == next {
		replica = rest[1]
	}
	code, out, errOut := runBinaryAs(t, bin, "olga", "", "ack", alert, "--config", replica.cfg)
	if code != 0 || !strings.Contains(out, "acknowledged "+alert+" as olga") {
		t.Fatalf("ack through the replica %s (leader %s): exit %d\n%s%s\n%s", replica.name, next, code, out, errOut, replica.out.String())
	}
	for _, n := range rest {
		waitForRecord(t, filepath.Join(stateDirOf(t, n.cfg), "journal.jsonl"), "olga's ack in "+n.name+"'s journal", func(ev room.Event) bool {
			return ev.Kind == room.EvAlertAcked && ev.Actor == "olga"
		})
	}
	if _, err := os.Stat(filepath.Join(stateDirOf(t, old.cfg), "etcd")); err != nil {
		t.Errorf("the killed node kept no etcd data dir in its state_dir: %v", err)
	}
}

// alertEverywhere takes the mirror down and waits for its alert in every
// node's journal.jsonl; it returns the alert's id.
func alertEverywhere(t *testing.T, nodes []*clusterNode, down *sim.Node) string {
	t.Helper()
	down.SetDown(true)
	var alert string
	for _, n := range nodes {
		raised := waitForRecord(t, nodeJournal(t, n), "the alert on "+down.Name+" in "+n.name+"'s journal", func(ev room.Event) bool {
			return ev.Kind == room.EvAlertRaised && ev.Subject == down.Name
		})
		alert = raised.Fields["alert"]
	}
	return alert
}

func indexOf(nodes []*clusterNode, n *clusterNode) int {
	for i := range nodes {
		if nodes[i] == n {
			return i
		}
	}
	return -1
}
