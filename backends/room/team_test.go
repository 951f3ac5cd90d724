package room

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

func person(name string, role Role) Actor { return Actor{Name: name, Role: role} }

func bg() (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), 5*time.Second)
}

func TestRolesRefuseWhatTheyDoNotAllow(t *testing.T) {
	exec := &fakeExec{}
	h := actionRoom(t, actionConfig(), exec, &memJournal{}, nil)
	h.r.ObserveProbe(fail("tokyo", t0))
	h.r.ObserveProbe(fail("tokyo", t0))
	h.settle()
	ctx, cancel := bg()
	defer cancel()
	ana := person("ana", RoleObserver)
	mei := person("mei", RoleComms)
	var forbidden *ForbiddenError

	_, err := h.r.Act(ctx, Request{Kind: Failover, From: "tokyo", To: "osaka"}, ana)
	if !errors.As(err, &forbidden) || !strings.Contains(err.Error(), "ana is observer: only commanders and operators may run failover") {
		t.Fatalf("observer's failover: %v", err)
	}
	if _, err := h.r.Act(ctx, Request{Kind: Failover, From: "tokyo", To: "osaka"}, mei); !errors.As(err, &forbidden) {
		t.Fatalf("comms failover: %v", err)
	}
	if err := h.r.Ack(ctx, "mirror-down/tokyo", ana); !errors.As(err, &forbidden) {
		t.Fatalf("observer's ack: %v", err)
	}
	if _, err := h.r.Announce(ctx, Announcement{Text: "x"}, person("li.wei", RoleOperator)); !errors.As(err, &forbidden) {
		t.Fatalf("operator's announcement: %v", err)
	}
	if err := h.r.Approve(ctx, "act-1", person("li.wei", RoleOperator)); !errors.As(err, &forbidden) {
		t.Fatalf("operator's approval: %v", err)
	}
	if n := exec.runs.Load(); n != 0 {
		t.Fatalf("executor ran %d times for refused commands", n)
	}
	if err := h.r.Ack(ctx, "mirror-down/tokyo", person("li.wei", RoleOperator)); err != nil {
		t.Fatalf("operator's ack: %v", err)
	}
}

func TestPresenceJoinLookLeave(t *testing.T) {
	j := &memJournal{}
	h := newHarness(t, j, nil)
	ctx, cancel := bg()
	defer cancel()
	id1, err := h.r.Join(ctx, person("li.wei", RoleOperator), Presence{Via: "ssh", Remote: "10.0.0.7:51234"})
	if err != nil {
		t.Fatal(err)
	}
	id2, err := h.r.Join(ctx, person("ana", RoleObserver), Presence{Via: "local"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.r.Join(ctx, person("x", "boss"), Presence{}); err == nil || !strings.Contains(err.Error(), `unknown role "boss"`) {
		t.Fatalf("join with an unknown role: %v", err)
	}
	h.r.Look(id1, "timeline")
	s := h.settle()
	if len(s.Presence) != 2 || s.Presence[0].Name != "li.wei" || s.Presence[0].Pane != "timeline" || s.Presence[1].Role != RoleObserver {
		t.Fatalf("presence: %+v", s.Presence)
	}
	h.r.Leave(id1)
	h.r.Leave(id1) // twice is harmless
	s = h.settle()
	if len(s.Presence) != 1 || s.Presence[0].ID != id2 {
		t.Fatalf("after leave: %+v", s.Presence)
	}
	var lines []string
	for _, e := range j.events(t) {
		if strings.HasPrefix(e.Kind, "presence.") {
			lines = append(lines, e.Text)
		}
	}
	want := []string{"li.wei joined as operator over SSH from 10.0.0.7:51234", "ana joined as observer", "li.wei left (in the room 0s)"}
	if strings.Join(lines, "|") != strings.Join(want, "|") {
		t.Fatalf("journaled presence:\n%q\nwant\n%q", lines, want)
	}
}

func TestOperatorsFailoverWaitsForACommander(t *testing.T) {
	cfg := actionConfig()
	cfg.Actions.Approvals = map[string][]int{Failover: {1, 2, 3}}
	cfg.Actions.ApprovalExpiry = time.Minute
	exec := &fakeExec{}
	j := &memJournal{}
	h := actionRoom(t, cfg, exec, j, nil)
	ctx, cancel := bg()
	defer cancel()
	liwei := person("li.wei", RoleOperator)
	id, err := h.r.Act(ctx, Request{Kind: Failover, From: "tokyo", To: "osaka"}, liwei)
	if err != nil {
		t.Fatal(err)
	}
	v := h.waitAction(id, ActionAwaiting)
	if !v.ApprovalDue.Equal(t0.Add(time.Minute)) || exec.runs.Load() != 0 {
		t.Fatalf("awaiting: due %v, runs %d", v.ApprovalDue, exec.runs.Load())
	}
	if _, err := h.r.Act(ctx, Request{Kind: Failover, From: "tokyo", To: "berlin"}, person("chen.jing", RoleCommander)); err == nil ||
		!strings.Contains(err.Error(), "already running") {
		t.Fatalf("a second failover while one awaits approval: %v", err)
	}
	if err := h.r.Approve(ctx, id, person("li.wei", RoleCommander)); err == nil || !strings.Contains(err.Error(), "your own request") {
		t.Fatalf("self-approval: %v", err)
	}
	if err := h.r.Approve(ctx, id, person("chen.jing", RoleCommander)); err != nil {
		t.Fatal(err)
	}
	done := h.waitAction(id, ActionSucceeded)
	if done.ApprovedBy != "chen.jing" || exec.runs.Load() != 1 {
		t.Fatalf("approved action: %+v, runs %d", done, exec.runs.Load())
	}
	if err := h.r.Approve(ctx, id, person("chen.jing", RoleCommander)); err == nil {
		t.Fatal("approving twice was accepted")
	}
	kinds := strings.Join(j.kinds(t), " ")
	if !strings.Contains(kinds, "action.awaiting:tokyo action.approved:tokyo action.started:tokyo") {
		t.Fatalf("journal: %s", kinds)
	}
}

func TestCommandersAndUnlistedActionsDoNotWait(t *testing.T) {
	cfg := actionConfig()
	cfg.Actions.Approvals = map[string][]int{Rollback: {2}}
	cfg.Actions.ApprovalExpiry = time.Minute
	h := actionRoom(t, cfg, &fakeExec{}, &memJournal{}, nil)
	ctx, cancel := bg()
	defer cancel()
	id, err := h.r.Act(ctx, Request{Kind: Failover, From: "tokyo", To: "osaka"}, person("li.wei", RoleOperator))
	if err != nil {
		t.Fatal(err)
	}
	h.waitAction(id, ActionSucceeded)
}

func TestRejectedAndExpiredRequestsNeverRun(t *testing.T) {
	cfg := actionConfig()
	cfg.Actions.Approvals = map[string][]int{Failover: {1}}
	cfg.Actions.ApprovalExpiry = time.Minute
	exec := &fakeExec{}
	j := &memJournal{}
	h := actionRoom(t, cfg, exec, j, nil)
	ctx, cancel := bg()
	defer cancel()
	liwei := person("li.wei", RoleOperator)
	id, err := h.r.Act(ctx, Request{Kind: Failover, From: "tokyo", To: "osaka"}, liwei)
	if err != nil {
		t.Fatal(err)
	}
	if err := h.r.Reject(ctx, id, "osaka is lagging", person("chen.jing", RoleCommander)); err != nil {
		t.Fatal(err)
	}
	v := h.waitAction(id, ActionRejected)
	if v.RejectedBy != "chen.jing" || v.Err != "osaka is lagging" {
		t.Fatalf("rejected: %+v", v)
	}
	id2, err := h.r.Act(ctx, Request{Kind: Failover, From: "tokyo", To: "osaka"}, liwei)
	if err != nil {
		t.Fatalf("the lock was not released by the rejection: %v", err)
	}
	h.waitAction(id2, ActionAwaiting)
	h.clock.Advance(61 * time.Second)
	h.waitAction(id2, ActionExpired)
	if err := h.r.Approve(ctx, id2, person("chen.jing", RoleCommander)); err == nil || !strings.Contains(err.Error(), "not awaiting") {
		t.Fatalf("approving an expired request: %v", err)
	}
	if n := exec.runs.Load(); n != 0 {
		t.Fatalf("executor ran %d times", n)
	}

	// A request still awaiting when warroom stops expires at restart: its
	// worker is gone and nothing ran.
	id3, err := h.r.Act(ctx, Request{Kind: Failover, From: "tokyo", To: "osaka"}, liwei)
	if err != nil {
		t.Fatal(err)
	}
	h.waitAction(id3, ActionAwaiting)
	h2 := actionRoom(t, cfg, exec, &memJournal{}, j.records())
	s := h2.settle()
	for _, a := range s.Actions {
		if a.ID == id3 && a.State != ActionExpired {
			t.Fatalf("after restart %s is %s", id3, a.State)
		}
	}
}

func TestPenLimitsWhoActs(t *testing.T) {
	cfg := actionConfig()
	cfg.Actions.Pen = true
	exec := &fakeExec{}
	j := &memJournal{}
	h := actionRoom(t, cfg, exec, j, nil)
	ctx, cancel := bg()
	defer cancel()
	liwei, chen := person("li.wei", RoleOperator), person("chen.jing", RoleCommander)
	failover := Request{Kind: Failover, From: "tokyo", To: "osaka"}
	if _, err := h.r.Act(ctx, failover, chen); err == nil || !strings.Contains(err.Error(), "nobody holds the pen") {
		t.Fatalf("act with no pen holder: %v", err)
	}
	if err := h.r.HandPen(ctx, "chen.jing", liwei); err == nil {
		t.Fatal("an operator without the pen handed it over")
	}
	if err := h.r.HandPen(ctx, "li.wei", chen); err != nil {
		t.Fatal(err)
	}
	if _, err := h.r.Act(ctx, failover, chen); err == nil || !strings.Contains(err.Error(), "li.wei holds the pen") {
		t.Fatalf("act without the pen: %v", err)
	}
	id, err := h.r.Act(ctx, failover, liwei)
	if err != nil {
		t.Fatal(err)
	}
	h.waitAction(id, ActionSucceeded)
	if err := h.r.HandPen(ctx, "mei", liwei); err != nil {
		t.Fatalf("the holder passing the pen on: %v", err)
	}
	if s := h.settle(); s.Pen != "mei" || !s.PenRequired {
		t.Fatalf("pen = %q", s.Pen)
	}
	h2 := actionRoom(t, cfg, exec, &memJournal{}, j.records())
	if s := h2.settle(); s.Pen != "mei" {
		t.Fatalf("after restart the pen is with %q", s.Pen)
	}
}

func TestApprovalsFollowTheIncidentLevel(t *testing.T) {
	cfg := actionConfig()
	cfg.Actions.Approvals = map[string][]int{Failover: {2, 3}}
	cfg.Actions.ApprovalExpiry = time.Minute
	h := actionRoom(t, cfg, &fakeExec{}, &memJournal{}, nil)
	ctx, cancel := bg()
	defer cancel()
	chen, liwei := person("chen.jing", RoleCommander), person("li.wei", RoleOperator)
	if _, err := h.r.Declare(ctx, IncidentSpec{Level: 1, Title: "tokyo slow"}, chen); err != nil {
		t.Fatal(err)
	}
	id, err := h.r.Act(ctx, Request{Kind: Failover, From: "tokyo", To: "osaka"}, liwei)
	if err != nil {
		t.Fatal(err)
	}
	h.waitAction(id, ActionSucceeded) // level 1 is not listed: no approval
	if err := h.r.SetLevel(ctx, 2, chen); err != nil {
		t.Fatal(err)
	}
	id, err = h.r.Act(ctx, Request{Kind: Failback, From: "osaka", To: "tokyo"}, liwei)
	if err != nil {
		t.Fatal(err)
	}
	h.waitAction(id, ActionSucceeded) // failback is not listed
	id, err = h.r.Act(ctx, Request{Kind: Failover, From: "tokyo", To: "osaka"}, liwei)
	if err != nil {
		t.Fatal(err)
	}
	h.waitAction(id, ActionAwaiting) // level 2 is
}
