package cluster

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"warroom/backends/actions"
	"warroom/backends/config"
	"warroom/backends/mirrors"
	"warroom/backends/room"
)

// holdExec is a failover executor that runs until its context ends, so an
// action is still running when its leader goes; it counts its runs.
type holdExec struct{ runs atomic.Int32 }

func (h *holdExec) Name() string { return "edge" }
func (h *holdExec) Kind() string { return "haproxy" }
func (h *holdExec) Plan(op actions.Op) ([]string, error) {
	return []string{fmt.Sprintf("move traffic %s → %s", op.From, op.To)}, nil
}
func (h *holdExec) Run(ctx context.Context, op actions.Op, out func(string)) (string, error) {
	h.runs.Add(1)
	out("draining " + op.From)
	<-ctx.Done()
	return "", ctx.Err()
}
func (h *holdExec) Check(context.Context) error { return nil }

// nodeConfig is a tiny room: an origin and two mirrors served by loopback
// HTTP servers, and a failover executor.
func nodeConfig(t *testing.T) *config.Config {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(w, time.Now().Unix())
	}))
	t.Cleanup(srv.Close)
	cfg := config.Default()
	cfg.Site = testSite
	mk := func(name, role string) config.Mirror {
		u, err := url.Parse(srv.URL + "/" + name + "/")
		if err != nil {
			t.Fatal(err)
		}
		return config.Mirror{Name: name, URL: u, Region: "r1", Role: role,
			Health: config.Health{Interval: time.Second, Timeout: time.Second, FailAfter: 2, RecoverAfter: 2}}
	}
	cfg.Origin = mk("origin", "origin")
	cfg.Mirrors = []config.Mirror{mk("tokyo", "active"), mk("osaka", "backup")}
	cfg.Actions.Failover = "edge"
	// The step's timeout stays under the lease (startNodes): a leader starts
	// no step its lease might not outlast.
	cfg.Actions.Executors = []config.Executor{{Name: "edge", Timeout: 15 * time.Second, HAProxy: &config.HAProxyExecutor{}}}
	cfg.ApplyDefaults()
	return &cfg
}

// testNodes is one warroom node per member of a test cluster.
type testNodes struct {
	t     *testing.T
	c     *testCluster
	dir   string
	exec  *holdExec
	mu    sync.Mutex
	nodes map[string]*Node
}

// testLease outlasts the failover step of nodeConfig; nodes handed over in
// these tests revoke their lease, so its length costs no waiting.
const testLease = 20 * time.Second

// startNodes runs a node on each member, each with its own state dir.
func startNodes(t *testing.T, c *testCluster) *testNodes {
	t.Helper()
	return startNodesWith(t, c, nodeConfig(t))
}

// startNodesWith is startNodes with the rooms' config.
func startNodesWith(t *testing.T, c *testCluster, cfg *config.Config) *testNodes {
	t.Helper()
	return startNodesOn(t, c, cfg, c.names...)
}

// startNodesOn runs a node on each of the named members only.
func startNodesOn(t *testing.T, c *testCluster, cfg *config.Config, names ...string) *testNodes {
	t.Helper()
	tn := &testNodes{t: t, c: c, dir: t.TempDir(), exec: &holdExec{}, nodes: map[string]*Node{}}
	for i, name := range names {
		n, err := StartNode(testCtx(t, 30*time.Second), NodeConfig{
			Client: c.cli(name), Site: testSite, Node: name, Region: fmt.Sprintf("r%d", i+1),
			JournalPath: filepath.Join(tn.dir, name, "journal.jsonl"),
			Room:        room.Options{Config: cfg, Executors: map[string]actions.Executor{"edge": tn.exec}},
			LeaseTTL:    testLease, QuorumEvery: 200 * time.Millisecond,
			Logf: t.Logf,
		})
		if err != nil {
			t.Fatal(err)
		}
		tn.nodes[name] = n
	}
	t.Cleanup(tn.closeAll)
	return tn
}

// closeAll closes every node while the members still make a quorum, so
// each revokes its leases at once (the cluster's cleanup stops the members).
func (tn *testNodes) closeAll() {
	for _, name := range tn.c.names {
		tn.close(name)
	}
}

// kill ends a node and its member, as losing its host would.
func (tn *testNodes) kill(name string) {
	tn.close(name)
	tn.c.stop(name)
}

func (tn *testNodes) close(name string) {
	tn.mu.Lock()
	n := tn.nodes[name]
	delete(tn.nodes, name)
	tn.mu.Unlock()
	if n != nil {
		if err := n.Close(); err != nil {
			tn.t.Errorf("close node %s: %v", name, err)
		}
	}
}

// alive returns the running nodes.
func (tn *testNodes) alive() map[string]*Node {
	tn.mu.Lock()
	defer tn.mu.Unlock()
	out := map[string]*Node{}
	for k, v := range tn.nodes {
		out[k] = v
	}
	return out
}

// leader waits until exactly one running node leads and returns its name.
func (tn *testNodes) leader(d time.Duration) string {
	tn.t.Helper()
	var who string
	eventually(tn.t, d, "one node leads", func() bool {
		who = ""
		for name, n := range tn.alive() {
			if n.Leading() {
				if who != "" {
					return false
				}
				who = name
			}
		}
		return who != ""
	})
	return who
}

// converged waits until every running node applied seq and holds it in
// its local journal.
func (tn *testNodes) converged(seq uint64) {
	tn.t.Helper()
	eventually(tn.t, 10*time.Second, fmt.Sprintf("every node applied seq %d", seq), func() bool {
		for _, n := range tn.alive() {
			if n.Applied() < seq || n.local.LastSeq() < seq {
				return false
			}
		}
		return true
	})
}

// head is the replicated journal's last seq.
func (tn *testNodes) head() uint64 {
	tn.t.Helper()
	for name := range tn.alive() {
		h, err := NewJournal(tn.c.cli(name), testSite).Head(testCtx(tn.t, 5*time.Second))
		if err != nil {
			tn.t.Fatal(err)
		}
		return h
	}
	tn.t.Fatal("no node is running")
	return 0
}

// timelineHas reports whether a snapshot's timeline has an event whose
// text contains s.
func timelineHas(s *room.Snapshot, s2 string) bool {
	for _, ev := range s.Timeline {
		if strings.Contains(ev.Text, s2) {
			return true
		}
	}
	return false
}

func TestLeaderEventsReachEveryNodeByteIdentical(t *testing.T) {
	c := startCluster(t, 3)
	tn := startNodes(t, c)
	lead := tn.nodes[tn.leader(15*time.Second)]
	ana := room.Actor{Name: "ana", Role: room.RoleCommander}
	ctx := testCtx(t, 10*time.Second)
	if _, err := lead.Local().Declare(ctx, room.IncidentSpec{Level: 2, Title: "tokyo is slow"}, ana); err != nil {
		t.Fatal(err)
	}
	if _, err := lead.Local().Note(ctx, "paged the tokyo admins", false, ana); err != nil {
		t.Fatal(err)
	}
	head := tn.head()
	tn.converged(head)
	var first []byte
	for name, n := range tn.alive() {
		eventually(t, 5*time.Second, name+"'s snapshot shows the note", func() bool {
			s := n.Local().Snapshot()
			return timelineHas(s, "paged the tokyo admins") && s.Incident != nil && s.Incident.Title == "tokyo is slow"
		})
		b, err := os.ReadFile(n.local.Path())
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = b
		} else if !bytes.Equal(first, b) {
			t.Errorf("%s's journal.jsonl differs from another node's:\n%s\n---\n%s", name, b, first)
		}
	}
	if n := bytes.Count(first, []byte("\n")); uint64(n) != head {
		t.Errorf("local journals hold %d records, the cluster %d", n, head)
	}
}

func TestLeaderLossPromotesAnotherThatAcceptsCommands(t *testing.T) {
	c := startCluster(t, 3)
	tn := startNodes(t, c)
	old := tn.leader(15 * time.Second)
	ana := room.Actor{Name: "ana", Role: room.RoleCommander}
	ctx := testCtx(t, 30*time.Second)
	id, err := tn.nodes[old].Local().Act(ctx, room.Request{Kind: room.Failover, From: "tokyo", To: "osaka"}, ana)
	if err != nil {
		t.Fatal(err)
	}
	tn.converged(tn.head())
	for name, n := range tn.alive() {
		eventually(t, 5*time.Second, name+" sees the failover running", func() bool {
			a := actionByID(n.Local().Snapshot(), id)
			return a != nil && a.State == room.ActionRunning
		})
	}

	// A command sent while nobody leads waits for the next leader.
	start := time.Now()
	tn.kill(old)
	var asker *Node
	for _, n := range tn.alive() {
		asker = n
	}
	if _, err := asker.Room().Note(ctx, "who leads now?", false, ana); err != nil {
		t.Fatalf("a command sent through %s during the takeover: %v", asker.cfg.Node, err)
	}
	t.Logf("the first command after losing %s was accepted %v later", old, time.Since(start))
	next := tn.leader(10 * time.Second)
	n := tn.nodes[next]
	eventually(t, 5*time.Second, "the new leader shows the failover's outcome unknown", func() bool {
		a := actionByID(n.Local().Snapshot(), id)
		return a != nil && a.State == room.ActionUnknown
	})
	if !timelineHas(n.Local().Snapshot(), "outcome unknown — verify") {
		t.Error("the new leader's timeline does not say to verify the failover")
	}
	if _, err := n.Local().Note(ctx, "verifying the failover by hand", false, ana); err != nil {
		t.Fatalf("the new leader refuses a command: %v", err)
	}
	if runs := tn.exec.runs.Load(); runs != 1 {
		t.Errorf("the failover ran %d times across the cluster, want once", runs)
	}
	tn.converged(tn.head())
}

func actionByID(s *room.Snapshot, id string) *room.ActionView {
	for i := range s.Actions {
		if s.Actions[i].ID == id {
			return &s.Actions[i]
		}
	}
	return nil
}

// follower returns a running node that does not lead.
func (tn *testNodes) follower(leader string) *Node {
	for name, n := range tn.alive() {
		if name != leader {
			return n
		}
	}
	tn.t.Fatal("no follower is running")
	return nil
}

func TestFollowerCommandRunsOnTheLeader(t *testing.T) {
	c := startCluster(t, 3)
	tn := startNodes(t, c)
	leader := tn.leader(15 * time.Second)
	f := tn.follower(leader)
	ctx := testCtx(t, 20*time.Second)
	ana := room.Actor{Name: "ana", Role: room.RoleCommander}

	if _, err := f.Local().Note(ctx, "straight to a replica", false, ana); !errors.Is(err, room.ErrNotLeader) {
		t.Fatalf("a replica's own room took a command: %v", err)
	}
	id, err := f.Room().Declare(ctx, room.IncidentSpec{Level: 1, Title: "eu users see 502s"}, ana)
	if err != nil || id == "" {
		t.Fatalf("declare through %s: id %q, %v", f.cfg.Node, id, err)
	}
	seq, err := f.Room().Note(ctx, "forwarded by a follower", false, ana)
	if err != nil {
		t.Fatal(err)
	}
	var ev *room.Event
	for _, e := range tn.nodes[leader].Local().Snapshot().Timeline {
		if e.Seq == seq {
			ev = &e
		}
	}
	if ev == nil || ev.Kind != room.EvNoteAdded || ev.Actor != "ana" || !strings.Contains(ev.Text, "forwarded by a follower") {
		t.Fatalf("the leader's event at the returned seq %d: %+v", seq, ev)
	}
	eventually(t, 5*time.Second, "the follower's own snapshot shows its command", func() bool {
		s := f.Local().Snapshot()
		return timelineHas(s, "forwarded by a follower") && s.Incident != nil && s.Incident.ID == id
	})

	// A refusal stays a refusal: the same error type as from a local room.
	olga := room.Actor{Name: "olga", Role: room.RoleObserver}
	_, err = f.Room().Note(ctx, "observers may not write", false, olga)
	var fe *room.ForbiddenError
	if !errors.As(err, &fe) || fe.Actor != olga || fe.Perm != room.PermNote {
		t.Fatalf("an observer's note through a follower: %v (%T)", err, err)
	}
	if want := (&room.ForbiddenError{Actor: olga, Perm: room.PermNote}).Error(); err.Error() != want {
		t.Errorf("refusal reads %q, want %q", err, want)
	}
}

// A command forwarded while the leadership changes hands may come back
// "not the leader" from the old leader (its room demoted, its requests not
// yet stopped). When the leadership lands on the command's own node, the
// next try runs there instead of going round again to be refused until the
// tries run out (a woken node once answered its user "this node does not
// lead the room: n1 does" on n1 itself).
func TestForwardedCommandRunsHereOnceThisNodeLeads(t *testing.T) {
	c := startCluster(t, 3)
	ctx := testCtx(t, 60*time.Second)
	old, _ := campaign(t, c, "m1", "old") // the old leader: a term and a request server, no room
	n := startNodesOn(t, c, nodeConfig(t), "m2").nodes["m2"]
	if n.Leading() {
		t.Fatal("m2 leads while old holds the term")
	}

	sctx, stop := context.WithCancel(ctx)
	served := make(chan struct{})
	defer func() { stop(); <-served }()
	var asked atomic.Int32
	go func() {
		defer close(served)
		NewRequests(c.cli("m1"), testSite, "old", newLease(t, c, "m1"), time.Second).Serve(sctx, func(ctx context.Context, _ Request) Reply {
			if asked.Add(1) == 1 { // the leadership passes to m2 while old answers
				if err := old.Resign(ctx); err != nil {
					t.Error(err)
				}
				for !n.Leading() && ctx.Err() == nil {
					time.Sleep(10 * time.Millisecond) // polling m2's state, bounded by ctx
				}
			}
			return Reply{Code: codeNotLeader, Err: "this node does not lead the room: m2 does"}
		})
	}()

	before := revision(t, c.cli("m3"))
	ana := room.Actor{Name: "ana", Role: room.RoleCommander}
	if _, err := n.Room().Note(ctx, "while the leadership passes here", false, ana); err != nil {
		t.Fatalf("the note on m2, which leads now: %v (old was asked %d times)", err, asked.Load())
	}
	if !timelineHas(n.Local().Snapshot(), "while the leadership passes here") {
		t.Error("m2's timeline lacks the note")
	}
	if sent := requestsSince(t, c.cli("m3"), before); sent != 1 || asked.Load() != 1 {
		t.Errorf("%d requests forwarded, old asked %d times; want one of each, then the note run on m2", sent, asked.Load())
	}
}

// A request served as the term ends (serving stopped, its context gone)
// still gets the room's answer: a room that no longer leads says "not the
// leader", which sends the caller on to the next leader, never a bare
// "context canceled".
func TestRequestServedAsTheTermEndsIsRefusedNotCut(t *testing.T) {
	c := startCluster(t, 3)
	tn := startNodes(t, c)
	f := tn.follower(tn.leader(15 * time.Second)) // its room does not lead, as a demoted leader's
	ended, cancel := context.WithCancel(context.Background())
	cancel()
	actor, _ := json.Marshal(room.Actor{Name: "ana", Role: room.RoleCommander})
	args, _ := json.Marshal(noteArgs{Text: "served as the term ends"})
	for range 20 { // the room's inbox and the ended context are both ready: either may be picked
		rep := f.serve(ended, Request{ID: "r", Method: mNote.name, Actor: actor, Args: args, From: "n9"})
		if rep.Code != codeNotLeader {
			t.Fatalf("reply %+v, want code %q", rep, codeNotLeader)
		}
	}
}

// revision is the cluster's revision now.
func revision(t *testing.T, cli *clientv3.Client) int64 {
	t.Helper()
	resp, err := cli.Get(testCtx(t, 10*time.Second), "revision")
	if err != nil {
		t.Fatal(err)
	}
	return resp.Header.Revision
}

// requestsSince counts the requests forwarded after revision from up to
// now, reading the requests at each revision (a request is gone once
// answered).
func requestsSince(t *testing.T, cli *clientv3.Client, from int64) int {
	t.Helper()
	ctx := testCtx(t, 10*time.Second)
	created := map[int64]bool{}
	to := revision(t, cli)
	for rev := from + 1; rev <= to; rev++ {
		resp, err := cli.Get(ctx, prefix(testSite)+"requests/", clientv3.WithPrefix(), clientv3.WithRev(rev))
		if err != nil {
			t.Fatal(err)
		}
		for _, kv := range resp.Kvs {
			if kv.CreateRevision > from {
				created[kv.CreateRevision] = true
			}
		}
	}
	return len(created)
}

func TestMinorityIsReadOnlyAtOnceAndCatchesUp(t *testing.T) {
	c := startCluster(t, 3)
	tn := startNodes(t, c)
	leader := tn.leader(15 * time.Second)
	f := tn.follower(leader)
	ana := room.Actor{Name: "ana", Role: room.RoleCommander}
	ctx := testCtx(t, 30*time.Second)

	cut := time.Now()
	c.net.Isolate(f.cfg.Node)
	eventually(t, 5*time.Second, f.cfg.Node+" says it has no quorum", func() bool {
		return f.Local().Snapshot().NoQuorum == room.NoQuorumText
	})
	t.Logf("%s read-only %v after it was cut off", f.cfg.Node, time.Since(cut))
	asked := time.Now()
	if _, err := f.Room().Note(ctx, "from the cut-off side", false, ana); !errors.Is(err, room.ErrNoQuorum) {
		t.Fatalf("a command on the minority side: %v", err)
	}
	if took := time.Since(asked); took > time.Second {
		t.Errorf("the minority side took %v to refuse", took)
	}
	// The cut-off member may have been etcd's raft leader: the majority may
	// be without quorum for an election, and refuses (records nothing) then.
	eventually(t, 10*time.Second, "the majority carries on", func() bool {
		_, err := tn.nodes[leader].Room().Note(ctx, "the majority carries on", false, ana)
		if err != nil && !errors.Is(err, room.ErrNoQuorum) {
			t.Fatalf("the majority refuses: %v", err)
		}
		return err == nil
	})

	c.net.Heal(f.cfg.Node)
	eventually(t, 15*time.Second, f.cfg.Node+" has quorum again", func() bool {
		return f.Local().Snapshot().NoQuorum == ""
	})
	tn.converged(tn.head())
	if !timelineHas(f.Local().Snapshot(), "the majority carries on") {
		t.Error("the healed node did not catch up with what the majority recorded")
	}
}

// voteOf is node's vote on mirror in s, if s shows one.
func voteOf(s *room.Snapshot, mirror, node string) (room.Vote, bool) {
	for _, m := range s.Mirrors {
		if m.Name != mirror {
			continue
		}
		for _, v := range m.Votes {
			if v.Node == node {
				return v, true
			}
		}
	}
	return room.Vote{}, false
}

func TestVerdictsCrossTheClusterAndGoWithTheNode(t *testing.T) {
	c := startCluster(t, 3)
	tn := startNodes(t, c)
	leader := tn.leader(15 * time.Second)
	f := tn.follower(leader)
	// The follower's own probes see tokyo fail; only its verdict crosses.
	for range 3 {
		f.Local().ObserveProbe(mirrors.Observation{Mirror: "tokyo", Start: time.Now(), Err: "unreachable: connection refused"})
	}
	for name, n := range tn.alive() {
		if name == f.cfg.Node {
			continue
		}
		eventually(t, 10*time.Second, name+" counts "+f.cfg.Node+"'s verdict that tokyo is down", func() bool {
			v, ok := voteOf(n.Local().Snapshot(), "tokyo", f.cfg.Node)
			return ok && v.State == room.StateDown && v.Region == f.cfg.Region
		})
	}
	gone := f.cfg.Node
	tn.kill(gone)
	eventually(t, 10*time.Second, "the leader forgets the lost node's verdicts", func() bool {
		_, ok := voteOf(tn.nodes[leader].Local().Snapshot(), "tokyo", gone)
		return !ok
	})
}
