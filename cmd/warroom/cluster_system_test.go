package main

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"warroom/backends/actions/actionstest"
	"warroom/backends/cluster"
	"warroom/backends/config"
	"warroom/backends/journal"
	"warroom/backends/room"
	"warroom/backends/sim"
)

// The multi-process tests: three `warroom serve` children with
// embedded etcd on loopback ports, failing over through a real HAProxy.
// The children are the plain binary (buildBinary builds without -race, so
// three etcd members fit on a shared machine); the test itself runs under
// -race.

// system is a three-node cluster whose failover executor reaches a real
// HAProxy (mirrors behind one backend, the first active) through one gate
// per node.
type system struct {
	bin   string
	fleet *sim.Fleet
	hx    *actionstest.HAProxy
	gates map[string]*apiGate // by node name
	nodes []*clusterNode
}

// startSystem starts the fleet, HAProxy and the nodes; rules go into the
// actions section, extra at the end of every config.
func startSystem(t *testing.T, rules, extra string, people ...person) *system {
	t.Helper()
	if testing.Short() {
		t.Skip("starts three nodes with etcd and HAProxy")
	}
	s := &system{bin: buildBinary(t), fleet: startFleet(t, 3), gates: map[string]*apiGate{}}
	servers := map[string]string{}
	for _, m := range s.fleet.Mirrors() {
		servers[m.Name] = m.URL
	}
	s.hx = actionstest.StartHAProxy(t, "mirrors", servers, s.fleet.Mirrors()[0].Name)
	cfgs := clusterConfigs(t, s.fleet, 3, people...)
	for i, cfg := range cfgs {
		g := startGate(t, s.hx.SocketPath)
		s.gates[fmt.Sprintf("n%d", i+1)] = g
		// The step's timeout stays under the lease: a leader starts no step
		// its lease might not outlast.
		appendFile(t, cfg, fmt.Sprintf("actions:\n  executors:\n    - {name: edge, timeout: 3s, haproxy: {address: %q, backend: mirrors}}\n  failover: edge\n%s%s", g.Addr(), rules, extra))
	}
	s.nodes = startClusterNodes(t, s.bin, cfgs)
	return s
}

func (s *system) node(name string) *clusterNode {
	for _, n := range s.nodes {
		if n.name == name {
			return n
		}
	}
	return nil
}

// others are the nodes but name.
func (s *system) others(name string) []*clusterNode {
	var out []*clusterNode
	for _, n := range s.nodes {
		if n.name != name {
			out = append(out, n)
		}
	}
	return out
}

// leader waits for the room's leader, as cluster status tells it.
func (s *system) leader(t *testing.T) (*clusterNode, int64) {
	t.Helper()
	var name string
	var term int64
	if !pollEvery(30*time.Second, statusPoll, func() bool { name, term = clusterLeader(t, s.bin, s.nodes[0].cfg); return name != "" }) {
		t.Fatalf("no room leader within 30s:\n%s", s.nodes[0].out.String())
	}
	n := s.node(name)
	if n == nil {
		t.Fatalf("cluster status names leader %q, not one of the nodes", name)
	}
	return n, term
}

// takeover waits for a leader other than old, named by the other nodes.
func (s *system) takeover(t *testing.T, old *clusterNode) (*clusterNode, int64) {
	t.Helper()
	const within = clusterTestLease + 15*time.Second // the lease runs out, then a campaign, on a loaded machine
	next, term, ok := newLeader(t, s.bin, s.others(old.name)[0].cfg, old.name, within)
	if !ok {
		t.Fatalf("no leader but %s within %s:\n%s", old.name, within, s.others(old.name)[0].out.String())
	}
	return s.node(next), term
}

// changes are the lines in which HAProxy itself reports a server's state
// changing: its own count of what was done to it.
func (s *system) changes() []string {
	var out []string
	for _, l := range strings.Split(s.hx.Log(), "\n") {
		if strings.Contains(l, "Server mirrors/") {
			out = append(out, strings.TrimSpace(l))
		}
	}
	return out
}

// sent lists every state change a gate passed, by node.
func (s *system) sent() map[string][]string {
	out := map[string][]string{}
	for name, g := range s.gates {
		if c := g.Changes(); len(c) > 0 {
			out[name] = c
		}
	}
	return out
}

func nodeJournal(t *testing.T, n *clusterNode) string {
	t.Helper()
	return filepath.Join(stateDirOf(t, n.cfg), "journal.jsonl")
}

// eventsOf reads a node's journal.jsonl as it is now.
func eventsOf(t *testing.T, n *clusterNode) []room.Event {
	t.Helper()
	recs, err := journal.Read(nodeJournal(t, n))
	if err != nil {
		t.Fatalf("%s's journal: %v", n.name, err)
	}
	return decodeEvents(t, recs)
}

// recordHashes is one "seq:hash" per record of a journal file.
func recordHashes(path string) ([]string, error) {
	recs, err := journal.Read(path)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(recs))
	for i, r := range recs {
		out[i] = fmt.Sprintf("%d:%x", r.Seq, sha256.Sum256(r.Data))
	}
	return out, nil
}

// waitSameJournals waits until every node's journal.jsonl holds the same
// records (by hash), at least min of them, and returns their events.
func (s *system) waitSameJournals(t *testing.T, min int) []room.Event {
	t.Helper()
	var why string
	same := pollEvery(60*time.Second, 50*time.Millisecond, func() bool { // reads and hashes every journal
		var first []string
		for i, n := range s.nodes {
			h, err := recordHashes(nodeJournal(t, n))
			switch {
			case err != nil:
				why = err.Error()
				return false
			case len(h) < min:
				why = fmt.Sprintf("%s holds %d records, want at least %d", n.name, len(h), min)
				return false
			case i == 0:
				first = h
			case !slices.Equal(h, first):
				why = fmt.Sprintf("%s's %d records differ from %s's %d", n.name, len(h), s.nodes[0].name, len(first))
				return false
			}
		}
		return true
	})
	if !same {
		t.Fatalf("the nodes' journals never became identical: %s", why)
	}
	return eventsOf(t, s.nodes[0])
}

func count(evs []room.Event, match func(room.Event) bool) int {
	n := 0
	for _, ev := range evs {
		if match(ev) {
			n++
		}
	}
	return n
}

// leaderUnder is the index of node's room.leader under term, or -1.
func leaderUnder(evs []room.Event, node string, term int64) int {
	want := room.LeaderFacts{Node: node, Term: strconv.FormatInt(term, 10)}
	for i, ev := range evs {
		if ev.Kind == room.EvRoomLeader && ev.LeaderFacts() == want {
			return i
		}
	}
	return -1
}

// TestClusterLeaderKilledMidFailoverRunsItOnce: the leader is kill -9'd in
// the middle of a failover through a real HAProxy — the target already
// switched on, the old mirror's switch-off sent but not yet at HAProxy
// (its gate holds it). Across the cluster the executor ran once: HAProxy
// counts one switch-on and one switch-off, all from the dead leader; the
// action ends "outcome unknown" on the new leader, never re-run; and the
// new leader takes a command.
func TestClusterLeaderKilledMidFailoverRunsItOnce(t *testing.T) {
	s := startSystem(t, "", "", newPerson(t, "olga", "operator"))
	ms := s.fleet.Mirrors()
	from, to := ms[0].Name, ms[1].Name
	old, term := s.leader(t)
	ms[2].SetDown(true) // an alert for the new leader to take an ack on

	for _, g := range s.gates {
		g.Hold(func(cmd string) bool { return strings.HasPrefix(cmd, "set server mirrors/"+from+" ") })
	}
	client := startClient(t, s.bin, "olga", "failover", "--yes", to, "--config", s.others(old.name)[0].cfg)
	middle := pollUntil(30*time.Second, func() bool {
		return s.gates[old.name].Held() == 1 && slices.ContainsFunc(s.changes(), func(l string) bool {
			return strings.Contains(l, "Server mirrors/"+to+" is UP")
		})
	})
	if !middle {
		t.Fatalf("the failover never reached its middle on %s: sent %v, HAProxy %v\nclient:\n%s\nleader:\n%s",
			old.name, s.sent(), s.changes(), client.out.String(), old.out.String())
	}
	_ = old.cmd.Process.Signal(syscall.SIGKILL)
	<-old.exited
	for _, g := range s.gates {
		g.Release() // the switch-off was sent: it lands, late
	}
	if !pollUntil(10*time.Second, func() bool { return len(s.changes()) == 2 }) {
		t.Fatalf("the released switch-off never reached HAProxy: %v", s.changes())
	}

	next, nextTerm := s.takeover(t, old)
	if nextTerm <= term {
		t.Errorf("new term %d is not after the old one %d", nextTerm, term)
	}
	var alert string
	for _, n := range s.others(old.name) {
		waitForRecord(t, nodeJournal(t, n), "the failover's outcome unknown in "+n.name+"'s journal", func(ev room.Event) bool {
			return ev.Kind == room.EvActionUnknown
		})
		alert = waitForRecord(t, nodeJournal(t, n), "the alert on "+ms[2].Name+" in "+n.name+"'s journal", func(ev room.Event) bool {
			return ev.Kind == room.EvAlertRaised && ev.Subject == ms[2].Name
		}).Fields["alert"]
	}
	code, out, errOut := runBinaryAs(t, s.bin, "olga", "", "ack", alert, "--config", next.cfg)
	if code != 0 || !strings.Contains(out, "acknowledged "+alert) {
		t.Fatalf("ack on the new leader %s: exit %d\n%s%s\n%s", next.name, code, out, errOut, next.out.String())
	}
	waitForRecord(t, nodeJournal(t, next), "olga's ack", func(ev room.Event) bool { return ev.Kind == room.EvAlertAcked })

	sent := s.sent()
	want := []string{"set server mirrors/" + to + " state ready", "set server mirrors/" + from + " state maint"}
	if len(sent) != 1 || !slices.Equal(sent[old.name], want) {
		t.Errorf("state changes sent to HAProxy, by node: %v; want only %s's %v", sent, old.name, want)
	}
	if c := s.changes(); len(c) != 2 {
		t.Errorf("HAProxy saw %d state changes, want 2 (one failover):\n%s", len(c), strings.Join(c, "\n"))
	}
	for _, n := range s.others(old.name) {
		evs := eventsOf(t, n)
		started := count(evs, func(ev room.Event) bool { return ev.Kind == room.EvActionStarted })
		ended := count(evs, func(ev room.Event) bool {
			return ev.Kind == room.EvActionSucceeded || ev.Kind == room.EvActionFailed || ev.Kind == room.EvActionUnknown
		})
		if started != 1 || ended != 1 {
			t.Errorf("%s's journal: %d action.started and %d endings, want one of each", n.name, started, ended)
		}
	}
	t.Logf("%s (term %d) killed mid-failover; %s leads (term %d); the client said:\n%s", old.name, term, next.name, nextTerm, tail(client.out.String(), 400))
}

// TestClusterPausedLeaderDoesNotActWhenItWakes: the active mirror is down
// and the leader is SIGSTOPped in the middle of a failover (its first
// command to HAProxy, the read of the servers' state that must match the
// plan, held at its gate). Its lease runs out; another node leads, ends
// that failover "outcome unknown" and fails over by the automatic rule.
// SIGCONT the old leader, with its held read let through and an ack
// already waiting on its control socket: it changes nothing at HAProxy,
// nothing of its old term lands in the journal after the new leader's
// room.leader, an append under its old term is refused, the ack is
// refused or carried out by the new leader (never twice), and it follows
// the new leader to an identical journal.
func TestClusterPausedLeaderDoesNotActWhenItWakes(t *testing.T) {
	rules := "  rules:\n    - {name: active-down, when: active-down, for: 10s, propose: failover, auto: true}\n"
	s := startSystem(t, rules, "", newPerson(t, "olga", "operator"))
	ms := s.fleet.Mirrors()
	old, term := s.leader(t)
	ms[0].SetDown(true)
	alert := waitForRecord(t, nodeJournal(t, old), "the alert on the active "+ms[0].Name, func(ev room.Event) bool {
		return ev.Kind == room.EvAlertRaised && ev.Subject == ms[0].Name
	}).Fields["alert"]
	s.gates[old.name].Hold(func(string) bool { return true })
	client := startClient(t, s.bin, "olga", "failover", "--yes", ms[1].Name, "--config", s.others(old.name)[0].cfg)
	if !pollUntil(30*time.Second, func() bool { return s.gates[old.name].Held() > 0 }) {
		t.Fatalf("the failover never reached HAProxy's gate on %s:\n%s\n%s", old.name, client.out.String(), old.out.String())
	}
	if err := old.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	paused := time.Now()
	if evs := eventsOf(t, old); count(evs, func(ev room.Event) bool { return ev.Kind == room.EvActionRequested }) != 1 {
		t.Fatalf("%s was paused with other actions than olga's failover requested: the test's rule is too quick", old.name)
	}

	next, nextTerm := s.takeover(t, old)
	t.Logf("%s (term %d) paused; %s leads (term %d) after %s", old.name, term, next.name, nextTerm, time.Since(paused).Round(time.Millisecond))
	waitForRecord(t, nodeJournal(t, next), "the rule's failover succeeding on "+next.name, func(ev room.Event) bool {
		return ev.Kind == room.EvActionSucceeded
	})
	before := s.sent()

	// Sent while it sleeps: the first things it may do when it wakes.
	ack := startClient(t, s.bin, "olga", "ack", alert, "--config", old.cfg)
	if err := old.cmd.Process.Signal(syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	s.gates[old.name].Release()
	select {
	case <-ack.exited:
	case <-time.After(45 * time.Second):
		t.Fatalf("the ack sent to the woken %s never ended:\n%s", old.name, ack.out.String())
	}
	acked := ack.cmd.ProcessState.ExitCode() == 0 && strings.Contains(ack.out.String(), "acknowledged "+alert)
	if !acked && !strings.Contains(ack.out.String(), "not recorded") && !strings.Contains(ack.out.String(), "stale") {
		t.Errorf("the ack sent to the woken %s neither carried out nor refused for its stale term: exit %d\n%s",
			old.name, ack.cmd.ProcessState.ExitCode(), ack.out.String())
	}
	// It follows the new leader: every journal alike, its own included.
	evs := s.waitSameJournals(t, 0)
	if old.gone() {
		t.Fatalf("%s exited after it woke:\n%s", old.name, old.out.String())
	}

	if got := s.sent(); len(got) != 1 || got[old.name] != nil || !slices.Equal(got[next.name], before[next.name]) || len(got[next.name]) != 2 {
		t.Errorf("state changes sent to HAProxy, by node: %v; want %s's one failover only", got, next.name)
	}
	if c := s.changes(); len(c) != 2 {
		t.Errorf("HAProxy saw %d state changes, want 2 (one failover):\n%s", len(c), strings.Join(c, "\n"))
	}
	// Nothing of the old term after the takeover. Leadership may move on
	// later, under a newer term: a lease running out on a loaded machine,
	// or (4 runs in 42 here) the new leader's lease revoked by the woken
	// node's etcd member, etcd's raft leader before the pause, which
	// proposes revoking the leases it saw expire before it learns it no
	// longer leads (its etcd.log shows the lease_revoke requests as it
	// wakes; etcd-io/etcd#15247); the woken node then wins the election.
	lead := leaderUnder(evs, next.name, nextTerm)
	if lead < 0 {
		t.Fatalf("no room.leader of %s under term %d in the journal", next.name, nextTerm)
	}
	for _, ev := range evs[lead+1:] {
		if ev.Kind != room.EvRoomLeader {
			continue
		}
		f := ev.LeaderFacts()
		if later, _ := strconv.ParseInt(f.Term, 10, 64); later <= nextTerm {
			t.Fatalf("after %s's room.leader (term %d), %s's under term %s", next.name, nextTerm, f.Node, f.Term)
		}
		t.Logf("later, %s led under term %s", f.Node, f.Term)
	}
	// After the takeover, olga's failover (the old term's) only ends as
	// unknown; every other action record is the rule's, under the new term.
	var ruleAct string
	for _, ev := range evs[lead:] {
		if ev.Kind == room.EvActionRequested {
			ruleAct = ev.Fields["id"]
		}
	}
	for _, ev := range evs[lead:] {
		if !strings.HasPrefix(ev.Kind, "action.") || ev.Kind == room.EvActionUnknown {
			continue
		}
		if ev.Fields["id"] != ruleAct || ev.Kind == room.EvActionStarted && ev.Fields["term"] != strconv.FormatInt(nextTerm, 10) {
			t.Errorf("after %s's room.leader (term %d), a record not of its rule's %s: %s %v", next.name, nextTerm, ruleAct, ev.Kind, ev.Fields)
		}
	}
	// Before the takeover: olga's failover requested and started; after
	// it: that one unknown, the rule's requested, started and succeeded.
	for kind, want := range map[string][2]int{
		room.EvActionRequested: {1, 1}, room.EvActionStarted: {1, 1}, room.EvActionUnknown: {0, 1},
		room.EvActionSucceeded: {0, 1}, room.EvActionFailed: {0, 0},
	} {
		got := [2]int{count(evs[:lead], func(ev room.Event) bool { return ev.Kind == kind }), count(evs[lead:], func(ev room.Event) bool { return ev.Kind == kind })}
		if got != want {
			t.Errorf("%s: %d before and %d after %s's room.leader, want %d and %d", kind, got[0], got[1], next.name, want[0], want[1])
		}
	}
	if n := count(evs, func(ev room.Event) bool { return ev.Kind == room.EvAlertAcked }); n != map[bool]int{true: 1, false: 0}[acked] {
		t.Errorf("%d acks in the journal; the command said: %s", n, ack.out.String())
	}
	// It never got as far as writing: its etcd client ends the session on
	// waking, before anything else runs. What it would have written under
	// its term is refused by the cluster.
	if err := appendUnderTerm(t, old, term); !errors.Is(err, cluster.ErrStaleTerm) {
		t.Errorf("an append under %s's old term %d: %v, want %v", old.name, term, err, cluster.ErrStaleTerm)
	}
	if want := fmt.Sprintf("stopped leading (term %d)", term); !strings.Contains(old.out.String(), want) {
		t.Errorf("%s's log does not say %q:\n%s", old.name, want, old.out.String())
	}
	t.Logf("the woken %s answered the ack: %s\nits log:\n%s", old.name, strings.TrimSpace(ack.out.String()), tail(old.out.String(), 1500))
}

// appendUnderTerm appends one record to the cluster's journal as n did
// while it led under term, with the leader key that term had.
func appendUnderTerm(t *testing.T, n *clusterNode, term int64) error {
	t.Helper()
	cfg, err := config.Load(n.cfg)
	if err != nil {
		t.Fatal(err)
	}
	var endpoints []string
	for _, p := range cfg.Cluster.Peers {
		endpoints = append(endpoints, p.ClientURL)
	}
	cli, err := cluster.Connect(endpoints, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer cli.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	resp, err := cli.Get(ctx, "/warroom/"+cfg.Site+"/leader/", clientv3.WithPrefix(), clientv3.WithRev(term))
	if err != nil {
		t.Fatalf("the leader keys at revision %d: %v", term, err)
	}
	key := ""
	for _, kv := range resp.Kvs {
		if kv.CreateRevision == term {
			key = string(kv.Key)
		}
	}
	if key == "" {
		t.Fatalf("no leader key was created at revision %d", term)
	}
	rec := fmt.Sprintf(`{"at":%q,"kind":"alert.acked","actor":"olga","text":"written under term %d"}`, time.Now().UTC().Format(time.RFC3339Nano), term)
	_, err = cluster.NewJournal(cli, cfg.Site).Append(ctx, cluster.Term{Node: n.name, Rev: term, Key: key}, []byte(rec))
	return err
}

// TestClusterRestartsEveryNodeWhileEventsFlow restarts each node in turn
// (SIGTERM, then serve again on the same state_dir) while announcements
// keep coming through the nodes' control sockets: in the end the three
// journal.jsonl hold the same records, and every announcement a command
// saw accepted is in them.
func TestClusterRestartsEveryNodeWhileEventsFlow(t *testing.T) {
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	t.Cleanup(hook.Close)
	// One template per announcement: the room sends the same template
	// only once a few minutes (a double key press is not a second post).
	var notify strings.Builder
	fmt.Fprintf(&notify, "notify:\n  channels:\n    - {name: hook, kind: webhook, url: %q, body: '{\"text\": {{json .Text}}}'}\n  templates:\n", hook.URL+"/h")
	for i := range announcements {
		fmt.Fprintf(&notify, "    - {name: tick%d, title: tick, text: \"tick %d\"}\n", i, i)
	}
	s := startSystem(t, "", notify.String(), newPerson(t, "olga", "comms"))
	s.leader(t)

	ctx, stop := context.WithCancel(context.Background())
	acked := make(chan []int, 1)
	var lastRefusal atomic.Value
	var tried atomic.Int64
	go func() {
		var ok []int
		defer func() { acked <- ok }()
		tick := time.NewTicker(150 * time.Millisecond) // pacing the load, not waiting for a state
		defer tick.Stop()
		for i := 0; i < announcements && ctx.Err() == nil; i++ {
			n := s.nodes[i%len(s.nodes)]
			if sent, out := announce(ctx, s.bin, n.cfg, i); sent {
				ok = append(ok, i)
			} else {
				lastRefusal.Store(out)
			}
			tried.Add(1)
			select {
			case <-ctx.Done():
			case <-tick.C:
			}
		}
	}()
	for _, n := range s.nodes {
		_ = n.cmd.Process.Signal(syscall.SIGTERM)
		<-n.exited
		if code := n.cmd.ProcessState.ExitCode(); code != 0 {
			t.Fatalf("%s after SIGTERM: exit %d\n%s", n.name, code, n.out.String())
		}
		n.start(t, s.bin)
		n.waitUp(t)
		// Events came while it was away and since: a few more commands.
		seen := tried.Load()
		if !pollUntil(60*time.Second, func() bool { return tried.Load() >= seen+3 }) {
			t.Fatalf("no commands were tried after %s came back", n.name)
		}
	}
	stop()
	ok := <-acked
	if len(ok) < 3 {
		t.Fatalf("only %d of %d announcements were accepted while nodes restarted; the last refused said:\n%v", len(ok), tried.Load(), lastRefusal.Load())
	}
	evs := s.waitSameJournals(t, 1)
	for _, i := range ok {
		text := fmt.Sprintf("tick %d", i)
		if count(evs, func(ev room.Event) bool { return ev.Kind == room.EvPostQueued && ev.Fields["text"] == text }) != 1 {
			t.Errorf("announcement %q was accepted but is not in the journals once", text)
		}
	}
	t.Logf("%d of %d announcements accepted across three restarts; %d records alike on every node", len(ok), tried.Load(), len(evs))
}

// announcements bounds the load of the restart test.
const announcements = 300

// announce sends announcement i through cfg's node and reports whether the
// command said it was sent, and what it said. A node restarting meanwhile
// fails it: fine.
func announce(ctx context.Context, bin, cfg string, i int) (bool, string) {
	ctx, cancel := context.WithTimeout(ctx, 20*time.Second)
	defer cancel()
	cmd := exec.CommandContext(ctx, bin, "announce", "--yes", "--template", fmt.Sprintf("tick%d", i), "--config", cfg)
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	cmd.Env = append(os.Environ(), "WARROOM_USER=olga")
	out, err := cmd.CombinedOutput()
	return err == nil && strings.Contains(string(out), "sent"), string(out)
}
