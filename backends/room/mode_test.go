package room

import (
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/jonboulle/clockwork"

	"warroom/backends/actions"
	"warroom/backends/config"
	"warroom/backends/mirrors"
	"warroom/backends/notify"
)

// clusterConfig has a failover executor, a rollback that operators must
// have approved, and two channels.
func clusterConfig() *config.Config {
	cfg := actionConfig()
	cfg.Notify.Cadence = 20 * time.Minute
	cfg.Notify.Channels = []config.Channel{{Name: "slack", Kind: "slack", Public: true}, {Name: "ding", Kind: "dingtalk"}}
	cfg.Actions.Approvals = map[string][]int{Rollback: {1, 2, 3}}
	return cfg
}

// node is one cluster node's room, stopped by its own stop (or the test's end).
type node struct {
	*harness
	exec *fakeExec
	out  *memOutbox
	stop func()
}

func startNode(t *testing.T, name string, exec *fakeExec) *node {
	t.Helper()
	return startNodeWith(t, name, exec, clusterConfig())
}

// startNodeWith is startNode with the room's config.
func startNodeWith(t *testing.T, name string, exec *fakeExec, cfg *config.Config) *node {
	t.Helper()
	out := &memOutbox{}
	r, err := New(Options{Config: cfg, Replica: true, Node: name, Outbox: out, Clock: clockwork.NewFakeClockAt(t0),
		HungGrace: 20 * time.Millisecond, Executors: map[string]actions.Executor{"edge": exec, "deploy": exec}})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { _ = r.Run(ctx); close(done) }()
	stop := func() { cancel(); <-done }
	t.Cleanup(stop)
	return &node{harness: &harness{t: t, r: r, clock: r.clock.(*clockwork.FakeClock)}, exec: exec, out: out, stop: stop}
}

// follow gives n every record of j, as the cluster's watch would (records
// it holds already included: they are skipped).
func (n *node) follow(j *memJournal) *Snapshot {
	n.t.Helper()
	if err := n.r.Apply(j.records()); err != nil {
		n.t.Fatalf("apply: %v", err)
	}
	return n.settle()
}

// replicated is what the journal decides of a snapshot: every node must
// show the same.
func replicated(s *Snapshot) map[string]any {
	var tl []string
	for _, e := range s.Timeline {
		tl = append(tl, strings.Join([]string{e.Kind, e.Subject, e.Actor, e.Text}, "|"))
	}
	roles := map[string]string{}
	for _, m := range s.Mirrors {
		roles[m.Name] = m.Role
	}
	return map[string]any{"actions": s.Actions, "proposals": s.Proposals, "posts": s.Posts, "next": s.NextUpdateDue,
		"pen": s.Pen, "alerts": s.Alerts, "incident": s.Incident, "proposal": s.IncidentProposal, "roles": roles,
		"timeline": tl, "last": s.LastEventSeq, "leader": s.Leader, "term": s.LeaderTerm, "failback": s.Failback}
}

func TestReplicaAppliesToTheLeadersState(t *testing.T) {
	j := &memJournal{}
	lead, repl := startNode(t, "eu-1", &fakeExec{}), startNode(t, "us-1", &fakeExec{})
	if err := lead.r.Promote(j, "7"); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	step := func(what string, err error) {
		t.Helper()
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		repl.follow(j) // in batches, as they commit
	}
	lead.r.ObserveProbe(ok("tokyo", t0, mirrors.SyncInfo{}))
	lead.r.ObserveProbe(fail("tokyo", t0.Add(time.Second)))
	lead.r.ObserveProbe(fail("tokyo", t0.Add(2*time.Second)))
	step("probes", lead.r.Settle(ctx))
	_, err := lead.r.Declare(ctx, IncidentSpec{Level: 2, Title: "tokyo down"}, commander("ana"))
	step("declare", err)
	step("ack", lead.r.Ack(ctx, "mirror-down/tokyo", commander("ana")))
	id, err := lead.r.Act(ctx, Request{Kind: Failover, From: "tokyo", To: "osaka"}, commander("ana"))
	step("failover", err)
	lead.waitAction(id, ActionSucceeded)
	ids, err := lead.r.Announce(ctx, hello, commander("ana"))
	step("announce", err)
	step("sending", lead.r.PostReport(notify.Report{PostID: ids[0], Channel: "slack", State: notify.StateSending, Attempt: 1}))
	lead.r.PostReport(notify.Report{PostID: ids[0], Channel: "slack", State: notify.StateSent, Attempt: 1})
	_, err = lead.r.Note(ctx, "customers told", true, commander("ana"))
	step("note", err)

	ls, rs := lead.settle(), repl.follow(j)
	if got, want := replicated(rs), replicated(ls); !reflect.DeepEqual(got, want) {
		t.Errorf("the replica's state differs from the leader's:\nreplica %+v\nleader  %+v", got, want)
	}
	if ls.Role != RoleLeader || rs.Role != RoleReplica || rs.Leader != "eu-1" || rs.LeaderTerm != "7" {
		t.Errorf("roles: leader %q, replica %q following %q term %q", ls.Role, rs.Role, rs.Leader, rs.LeaderTerm)
	}
	if mirrorView(rs, "osaka").Role != "active" || rs.Actions[0].State != ActionSucceeded || rs.Incident == nil {
		t.Errorf("replica: osaka %s, actions %+v, incident %+v", mirrorView(rs, "osaka").Role, rs.Actions, rs.Incident)
	}
	if repl.exec.runs.Load() != 0 || len(repl.out.posts) != 0 {
		t.Errorf("the replica ran %d actions and queued %d posts: side effects are the leader's", repl.exec.runs.Load(), len(repl.out.posts))
	}
	// A command on the replica names the leader.
	var nl *NotLeaderError
	err = repl.r.Ack(ctx, "mirror-down/tokyo", commander("bo"))
	if !errors.Is(err, ErrNotLeader) || !errors.As(err, &nl) || nl.Leader != "eu-1" || !strings.Contains(err.Error(), "eu-1 does") {
		t.Errorf("ack on a replica: %v", err)
	}
}

func TestApplyRefusesAGap(t *testing.T) {
	j := &memJournal{}
	lead, repl := startNode(t, "a", &fakeExec{}), startNode(t, "b", &fakeExec{})
	if err := lead.r.Promote(j, "1"); err != nil {
		t.Fatal(err)
	}
	if _, err := lead.r.Note(context.Background(), "one", false, commander("ana")); err != nil {
		t.Fatal(err)
	}
	err := repl.r.Apply(j.records()[1:])
	if err == nil || !strings.Contains(err.Error(), "record 2: the room holds up to 0: records are missing") {
		t.Fatalf("apply with record 1 missing: %v", err)
	}
}

func TestPromoteRestartsTheRoomOnThisNode(t *testing.T) {
	j := &memJournal{}
	block, running := make(chan struct{}), make(chan struct{})
	defer close(block)
	oldExec := &fakeExec{run: func(ctx context.Context, op actions.Op, out func(string)) (string, error) {
		out("half done")
		close(running)
		<-block // the old leader dies here
		return "", nil
	}}
	a, b := startNode(t, "a", oldExec), startNode(t, "b", &fakeExec{})
	id := a.leadAndFailOver(j)
	// "running" is journaled before the executor's goroutine starts: wait
	// for the executor itself, or the old leader may die before it ran.
	select {
	case <-running:
	case <-time.After(10 * time.Second):
		t.Fatal("the old leader's executor never started")
	}
	ctx := context.Background()
	held, err := a.r.Act(ctx, Request{Kind: Rollback, Target: "web", Version: "v2"}, Actor{Name: "bo", Role: RoleOperator})
	if err != nil {
		t.Fatal(err)
	}
	a.waitAction(held, ActionAwaiting)
	posts, err := a.r.Announce(ctx, hello, commander("ana"))
	if err != nil {
		t.Fatal(err)
	}
	b.follow(j)
	a.stop() // the old leader dies

	if err := b.r.Promote(j, "2"); err != nil {
		t.Fatal(err)
	}
	s := b.settle()
	if s.Role != RoleLeader || s.Leader != "b" || s.LeaderTerm != "2" {
		t.Fatalf("after promote: role %q, leader %q, term %q", s.Role, s.Leader, s.LeaderTerm)
	}
	act := actionByID(s, id)
	if act.State != ActionUnknown || !timelineHas(s, "outcome unknown — verify") {
		t.Errorf("the running action is %s after the takeover, want unknown (verify)", act.State)
	}
	if oldExec.runs.Load() != 1 || b.exec.runs.Load() != 0 {
		t.Errorf("executor runs: old leader %d, new leader %d; want 1 and 0 (never re-run)", oldExec.runs.Load(), b.exec.runs.Load())
	}
	if got := b.out.ids(); !reflect.DeepEqual(got, posts) {
		t.Errorf("the new leader's outbox got %v, want the queued posts %v once each", got, posts)
	}
	// The request awaiting approval survived, and the new leader runs it.
	if a := actionByID(s, held); a.State != ActionAwaiting {
		t.Fatalf("awaiting request after the takeover: %s", a.State)
	}
	if err := b.r.Approve(ctx, held, commander("ana")); err != nil {
		t.Fatalf("approve on the new leader: %v", err)
	}
	b.waitAction(held, ActionSucceeded)
	if b.exec.runs.Load() != 3 {
		t.Errorf("approved rollback ran %d batches on the new leader, want its 3", b.exec.runs.Load())
	}
	// The journal says who took over, once.
	var leaders []LeaderFacts
	for _, e := range j.events(t) {
		if e.Kind == EvRoomLeader {
			leaders = append(leaders, e.LeaderFacts())
		}
	}
	if want := []LeaderFacts{{Node: "a", Term: "1"}, {Node: "b", Term: "2"}}; !reflect.DeepEqual(leaders, want) {
		t.Errorf("room.leader records: %+v, want %+v", leaders, want)
	}
	if err := b.r.Promote(j, "3"); err == nil || !strings.Contains(err.Error(), "leads already (term 2)") {
		t.Errorf("promoting a leader: %v", err)
	}
}

func TestDemoteStopsStartingSideEffects(t *testing.T) {
	j := &memJournal{}
	cancelled := make(chan struct{})
	exec := &fakeExec{run: func(ctx context.Context, op actions.Op, out func(string)) (string, error) {
		<-ctx.Done()
		close(cancelled)
		return "", ctx.Err()
	}}
	a := startNode(t, "a", exec)
	id := a.leadAndFailOver(j)
	ctx := context.Background()
	posts, err := a.r.Announce(ctx, hello, commander("ana"))
	if err != nil {
		t.Fatal(err)
	}
	written := len(j.records())

	a.r.Demote("lost the lease")
	select {
	case <-cancelled:
	case <-time.After(10 * time.Second):
		t.Fatal("the running executor was not cancelled by Demote")
	}
	if s := a.settle(); s.Role != RoleReplica || actionByID(s, id).State != ActionRunning {
		t.Errorf("after demote: role %q, action %s (the next leader says how it ended)", s.Role, actionByID(s, id).State)
	}
	// Nothing starts: no command, no post attempt, no rule, no world fact.
	_, err = a.r.Act(ctx, Request{Kind: Rollback, Target: "web", Version: "v2"}, commander("ana"))
	if !errors.Is(err, ErrNotLeader) {
		t.Errorf("act after demote: %v", err)
	}
	if err := a.r.PostReport(notify.Report{PostID: posts[0], Channel: "slack", State: notify.StateSending, Attempt: 1}); !errors.Is(err, ErrNotLeader) {
		t.Errorf("a post attempt after demote: %v (it must not go out)", err)
	}
	for i := 0; i < 4; i++ {
		a.r.ObserveProbe(fail("tokyo", t0.Add(time.Duration(i)*time.Second)))
	}
	a.clock.Advance(time.Hour)
	if s := a.settle(); len(s.Alerts) != 0 || len(j.records()) != written {
		t.Errorf("a demoted room recorded: %d alerts, journal %d → %d records", len(s.Alerts), written, len(j.records()))
	}
	if exec.runs.Load() != 1 {
		t.Errorf("executor ran %d times", exec.runs.Load())
	}
}

func TestNoQuorumRefusesEveryCommandAndPost(t *testing.T) {
	j := &memJournal{}
	a := startNode(t, "a", &fakeExec{})
	if err := a.r.Promote(j, "1"); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	posts, err := a.r.Announce(ctx, hello, commander("ana"))
	if err != nil {
		t.Fatal(err)
	}
	a.r.SetQuorum(false, "2 of 3 members unreachable")
	s := a.settle()
	if s.NoQuorum != "no quorum — read-only" || s.NoQuorumWhy != "2 of 3 members unreachable" {
		t.Fatalf("snapshot without quorum: %q (%q)", s.NoQuorum, s.NoQuorumWhy)
	}
	written := len(j.records())
	anna := commander("ana")
	for what, err := range map[string]error{
		"act": func() error {
			_, err := a.r.Act(ctx, Request{Kind: Failover, From: "tokyo", To: "osaka"}, anna)
			return err
		}(),
		"announce": func() error {
			_, err := a.r.Announce(ctx, Announcement{Text: "x", Channels: []string{"slack"}}, anna)
			return err
		}(),
		"declare": func() error { _, err := a.r.Declare(ctx, IncidentSpec{Level: 1, Title: "x"}, anna); return err }(),
		"note":    func() error { _, err := a.r.Note(ctx, "x", false, anna); return err }(),
		"join":    func() error { _, err := a.r.Join(ctx, anna, Presence{Via: "local"}); return err }(),
		"retry":   a.r.RetryPost(ctx, posts[0], anna),
		"post":    a.r.PostReport(notify.Report{PostID: posts[0], Channel: "slack", State: notify.StateSending, Attempt: 1}),
	} {
		if !errors.Is(err, ErrNoQuorum) || !strings.Contains(err.Error(), "no quorum — read-only") ||
			!strings.Contains(err.Error(), "2 of 3 members unreachable") {
			t.Errorf("%s without quorum: %v", what, err)
		}
	}
	// World facts wait; the screen still shows what this node sees.
	for i := 1; i <= 2; i++ {
		a.r.ObserveProbe(fail("tokyo", t0.Add(time.Duration(i)*time.Second)))
	}
	if s := a.settle(); mirrorView(s, "tokyo").State != StateDown || len(j.records()) != written {
		t.Errorf("without quorum: tokyo %s, journal %d → %d records", mirrorView(s, "tokyo").State, written, len(j.records()))
	}
	a.r.SetQuorum(true, "")
	s = a.settle()
	if s.NoQuorum != "" || !hasKind(j.events(t)[written:], EvMirrorState) {
		t.Errorf("quorum back: %q, journal since %v", s.NoQuorum, j.kinds(t)[written:])
	}
	if _, err := a.r.Note(ctx, "back", false, anna); err != nil {
		t.Errorf("a note once quorum is back: %v", err)
	}
}

// leadAndFailOver promotes n (term 1) and starts a failover it leaves running.
func (n *node) leadAndFailOver(j *memJournal) string {
	n.t.Helper()
	if err := n.r.Promote(j, "1"); err != nil {
		n.t.Fatal(err)
	}
	id, err := n.r.Act(context.Background(), Request{Kind: Failover, From: "tokyo", To: "osaka"}, commander("ana"))
	if err != nil {
		n.t.Fatal(err)
	}
	n.waitAction(id, ActionRunning)
	return id
}

func actionByID(s *Snapshot, id string) ActionView {
	for _, a := range s.Actions {
		if a.ID == id {
			return a
		}
	}
	return ActionView{}
}

func timelineHas(s *Snapshot, text string) bool {
	for _, e := range s.Timeline {
		if strings.Contains(e.Text, text) {
			return true
		}
	}
	return false
}

func hasKind(evs []Event, kind string) bool {
	for _, e := range evs {
		if e.Kind == kind {
			return true
		}
	}
	return false
}

func (o *memOutbox) ids() []string {
	o.mu.Lock()
	defer o.mu.Unlock()
	var ids []string
	for _, p := range o.posts {
		ids = append(ids, p.ID)
	}
	return ids
}

// A leader whose write failed applied facts the journal may not hold:
// once another node leads, it must be rebuilt from the journal.
func TestALeaderWhoseWriteFailedIsRebuiltFromTheJournal(t *testing.T) {
	j := &memJournal{}
	a, b := startNode(t, "a", &fakeExec{}), startNode(t, "b", &fakeExec{})
	if err := a.r.Promote(j, "1"); err != nil {
		t.Fatal(err)
	}
	b.follow(j)
	j.mu.Lock()
	j.fail = errors.New("stale term")
	j.mu.Unlock()
	for i := 0; i < 2; i++ { // tokyo down, seen by a alone and never recorded
		a.r.ObserveProbe(fail("tokyo", t0.Add(time.Duration(i)*time.Second)))
	}
	if s := a.settle(); s.JournalErr == "" || alertByID(s, "mirror-down/tokyo") == nil {
		t.Fatalf("the failed write: journal error %q, alerts %+v", s.JournalErr, s.Alerts)
	}
	a.r.Demote("lost the lease")
	j.mu.Lock()
	j.fail = nil
	j.mu.Unlock()
	if err := b.r.Promote(j, "2"); err != nil {
		t.Fatal(err)
	}
	if _, err := b.r.Note(context.Background(), "b leads", false, commander("ana")); err != nil {
		t.Fatal(err)
	}
	if err := a.r.Apply(j.records()); !errors.Is(err, ErrResync) {
		t.Fatalf("apply on a room that diverged: %v, want ErrResync", err)
	}
	if err := a.r.Promote(j, "3"); !errors.Is(err, ErrResync) {
		t.Fatalf("promote a room that diverged: %v, want ErrResync", err)
	}
	if err := a.r.Resync(j.records()); err != nil {
		t.Fatal(err)
	}
	as, bs := a.settle(), b.settle()
	if got, want := replicated(as), replicated(bs); !reflect.DeepEqual(got, want) {
		t.Errorf("after resync the old leader differs:\n got %+v\nwant %+v", got, want)
	}
	if as.JournalErr != "" || as.Role != RoleReplica || as.Leader != "b" {
		t.Errorf("after resync: journal error %q, role %q, leader %q", as.JournalErr, as.Role, as.Leader)
	}
	if err := a.r.Promote(j, "3"); err != nil {
		t.Errorf("promote after resync: %v", err)
	}
}

// A leader that is given records it did not write stops leading.
func TestALeaderGivenAnotherNodesRecordsStepsDown(t *testing.T) {
	j := &memJournal{}
	a, b := startNode(t, "a", &fakeExec{}), startNode(t, "b", &fakeExec{})
	if err := a.r.Promote(j, "1"); err != nil {
		t.Fatal(err)
	}
	b.follow(j)
	if err := b.r.Promote(j, "2"); err != nil { // a was paused past its lease
		t.Fatal(err)
	}
	if err := a.r.Apply(j.records()); err != nil {
		t.Fatal(err)
	}
	s := a.settle()
	if s.Role != RoleReplica || s.Leader != "b" || s.LeaderTerm != "2" {
		t.Errorf("after another node's records: role %q, leader %q term %q", s.Role, s.Leader, s.LeaderTerm)
	}
	if _, err := a.r.Note(context.Background(), "x", false, commander("ana")); !errors.Is(err, ErrNotLeader) {
		t.Errorf("a note on the stepped-down room: %v", err)
	}
}
