package room

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"warroom/backends/actions"
)

// fixedLease answers Remaining with what the test stores in left (or err).
type fixedLease struct {
	left  atomic.Int64 // time.Duration
	err   error
	calls atomic.Int32
}

func (l *fixedLease) Remaining(context.Context) (time.Duration, error) {
	l.calls.Add(1)
	return time.Duration(l.left.Load()), l.err
}

func leaseRoom(t *testing.T, exec *fakeExec, lease Lease) *harness {
	t.Helper()
	return startRoom(t, Options{Config: actionConfig(), Journal: &memJournal{}, HungGrace: 20 * time.Millisecond,
		Executors: map[string]actions.Executor{"edge": exec, "deploy": exec}, Lease: lease})
}

// A step whose timeout (1s here) the leader's lease may not cover is not
// started: the action fails saying both figures, and the executor never runs.
func TestShortLeaseRefusesToStartTheStep(t *testing.T) {
	exec := &fakeExec{}
	lease := &fixedLease{}
	lease.left.Store(int64(900 * time.Millisecond))
	h := leaseRoom(t, exec, lease)
	id, err := h.act(Request{Kind: Failover, From: "tokyo", To: "osaka"})
	if err != nil {
		t.Fatal(err)
	}
	a := h.waitAction(id, ActionFailed, ActionTimedOut, ActionSucceeded)
	want := "lease too short to start the step safely (900ms left, step may take 1s)"
	if a.State != ActionFailed || !strings.Contains(a.Err, want) {
		t.Fatalf("state %s, err %q; want failed with %q", a.State, a.Err, want)
	}
	if n := exec.runs.Load(); n != 0 {
		t.Fatalf("the executor ran %d times under a short lease", n)
	}
	if s := h.settle(); mirrorView(s, "tokyo").Role != "active" {
		t.Fatal("a refused failover moved the active marker")
	}

	// A lease longer than the step lets it run.
	lease.left.Store(int64(3 * time.Second))
	id, err = h.act(Request{Kind: Failover, From: "tokyo", To: "osaka"})
	if err != nil {
		t.Fatal(err)
	}
	if a := h.waitAction(id, ActionFailed, ActionTimedOut, ActionSucceeded); a.State != ActionSucceeded {
		t.Fatalf("with 3s of lease: state %s, err %q", a.State, a.Err)
	}
	if n := exec.runs.Load(); n != 1 {
		t.Fatalf("the executor ran %d times, want once", n)
	}
}

// A lease that cannot be confirmed (the cluster is unreachable) starts nothing.
func TestUnconfirmedLeaseRefusesToStartTheStep(t *testing.T) {
	exec := &fakeExec{}
	h := leaseRoom(t, exec, &fixedLease{err: errors.New("etcdserver: request timed out")})
	id, err := h.act(Request{Kind: Failover, From: "tokyo", To: "osaka"})
	if err != nil {
		t.Fatal(err)
	}
	a := h.waitAction(id, ActionFailed, ActionTimedOut, ActionSucceeded)
	if a.State != ActionFailed || !strings.Contains(a.Err, "lease could not be confirmed: etcdserver: request timed out") {
		t.Fatalf("state %s, err %q", a.State, a.Err)
	}
	if n := exec.runs.Load(); n != 0 {
		t.Fatalf("the executor ran %d times without a confirmed lease", n)
	}
}

// Every step is checked: a lease that runs short after the first batch of
// a rollback pauses it before the second, which never runs.
func TestLeaseIsCheckedBeforeEachStep(t *testing.T) {
	exec := &fakeExec{}
	lease := &fixedLease{}
	lease.left.Store(int64(5 * time.Second))
	var ran []string
	exec.run = func(ctx context.Context, op actions.Op, out func(string)) (string, error) {
		ran = append(ran, strings.Join(op.Instances, ","))
		lease.left.Store(int64(time.Second)) // not more than the 1s step
		return "deployed", nil
	}
	h := leaseRoom(t, exec, lease)
	id, err := h.act(Request{Kind: Rollback, Target: "web", Version: "2026.11.20"})
	if err != nil {
		t.Fatal(err)
	}
	a := h.waitAction(id, ActionPaused, ActionSucceeded, ActionFailed)
	if a.State != ActionPaused || a.Batch != 2 || !strings.Contains(a.Err, "lease too short") {
		t.Fatalf("after the lease ran short: %+v", a)
	}
	if strings.Join(ran, " | ") != "w1" || lease.calls.Load() != 2 {
		t.Fatalf("batches run %q, lease checked %d times; want w1 only, checked twice", ran, lease.calls.Load())
	}
}

// action.started names the leader's term it was committed under, and the
// executor starts only once that record is in the journal.
func TestActionStartedCarriesTheTerm(t *testing.T) {
	exec := &fakeExec{}
	n := startNode(t, "n1", exec)
	j := &memJournal{}
	if err := n.r.Promote(j, "7"); err != nil {
		t.Fatal(err)
	}
	id, err := n.r.Act(context.Background(), Request{Kind: Failover, From: "tokyo", To: "osaka"}, commander("ana"))
	if err != nil {
		t.Fatal(err)
	}
	n.waitAction(id, ActionSucceeded)
	var started *Event
	for _, ev := range j.events(t) {
		if ev.Kind == EvActionStarted {
			started = &ev
		}
	}
	if started == nil {
		t.Fatal("no action.started in the journal")
	}
	if f := started.ActionFacts(); f.ID != id || f.Term != "7" || !strings.HasSuffix(started.Text, "(term 7)") {
		t.Fatalf("action.started %q facts %+v: want the id and term 7", started.Text, f)
	}
}

// refusingJournal fails any append holding an action.started record.
type refusingJournal struct{ memJournal }

func (j *refusingJournal) Append(objs ...[]byte) (uint64, error) {
	for _, o := range objs {
		if bytes.Contains(o, []byte(`"`+EvActionStarted+`"`)) {
			return 0, errors.New("stale leader term")
		}
	}
	return j.memJournal.Append(objs...)
}

// An action.started the journal does not take runs nothing.
func TestExecutorWaitsForTheStartedRecord(t *testing.T) {
	exec := &fakeExec{}
	h := startRoom(t, Options{Config: actionConfig(), Journal: &refusingJournal{}, HungGrace: 20 * time.Millisecond,
		Executors: map[string]actions.Executor{"edge": exec}})
	id, err := h.act(Request{Kind: Failover, From: "tokyo", To: "osaka"})
	if err != nil {
		t.Fatal(err)
	}
	a := h.waitAction(id, ActionFailed, ActionTimedOut, ActionSucceeded)
	if a.State != ActionFailed || !strings.Contains(a.Err, "not started") || !strings.Contains(a.Err, "stale leader term") {
		t.Fatalf("state %s, err %q", a.State, a.Err)
	}
	if n := exec.runs.Load(); n != 0 {
		t.Fatalf("the executor ran %d times without its started record", n)
	}
}
