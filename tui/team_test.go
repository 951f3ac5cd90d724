package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"warroom/backends/room"
	"warroom/keymaps"
	"warroom/panes/panestest"
)

// teamModel is a session of who over s, with a fake room.
func teamModel(t *testing.T, who room.Actor, s *room.Snapshot) (*Model, *fakeRoom) {
	t.Helper()
	m, r := actModel(t, keymaps.Default(), s, 120, 40)
	m.opts.Actor = who
	return m, r
}

// awaitingSnapshot has li.wei's failover waiting for a commander.
func awaitingSnapshot() *room.Snapshot {
	s := actionRoomSnapshot("type-name")
	now := panestest.Now()
	s.Actions = append(s.Actions, room.ActionView{ID: "act-9", Request: room.Request{Kind: room.Failover, From: "tokyo", To: "osaka"},
		Executor: "edge", Plan: []string{"set server mirrors/osaka state ready", "set server mirrors/tokyo state maint"},
		RequestedBy: "li.wei", RequestedAt: now, State: room.ActionAwaiting, ApprovalDue: now.Add(10 * time.Minute)})
	return s
}

func TestObserverSeesNoActionKeysAndForcedKeysAreRefused(t *testing.T) {
	s := actionRoomSnapshot("type-name")
	m, r := teamModel(t, room.Actor{Name: "ana", Role: room.RoleObserver}, s)
	km := m.km
	press(m, km.Pane[paneMirrors])
	if out := screen(m); strings.Contains(out, "failover") && strings.Contains(footerOf(out), km.Failover.Help().Key+" failover") {
		t.Fatalf("observer's help bar offers failover:\n%s", footerOf(out))
	}
	run(m, press(m, km.Failover))
	mustShow(t, m, "ana is observer: only commanders and operators may run failover")
	run(m, press(m, km.Announce))
	mustShow(t, m, "ana is observer: only commanders and comms may send announcements")
	if dlgOf(m) != nil || cmpOf(m) != nil {
		t.Fatal("a forced key opened a dialog for an observer")
	}
	hk := m.sessionKeymap()
	for _, b := range []bool{hk.Failover.Enabled(), hk.Rollback.Enabled(), hk.Announce.Enabled(), hk.Approve.Enabled(), hk.Ack.Enabled()} {
		if b {
			t.Fatal("help lists a key the observer may not use")
		}
	}
	noActs(t, r, "observer pressed failover")
}

func footerOf(screen string) string {
	lines := strings.Split(strings.TrimRight(screen, "\n"), "\n")
	return lines[len(lines)-1]
}

func TestCommanderApprovesAnOperatorsRequest(t *testing.T) {
	m, r := teamModel(t, room.Actor{Name: "chen.jing", Role: room.RoleCommander}, actionRoomSnapshot("type-name"))
	m.Update(SnapshotMsg{Snap: awaitingSnapshot()})
	// The request waits in a banner: nothing takes the keyboard by itself.
	mustShow(t, m, "press ! to review · approval: li.wei asks to run failover tokyo → osaka", "! review what waits")
	typeKeys(m, "y") // stray keys do nothing
	if openOf[*approval](&m.modals) != nil || len(r.answerCalls()) != 0 {
		t.Fatal("the request opened by itself, or a stray key answered it")
	}
	press(m, m.km.Review)
	mustShow(t, m, "Approval requested", "li.wei asks to run failover tokyo → osaka", "set server mirrors/tokyo state maint", "expires in 10m")
	run(m, press(m, m.km.Approve))
	if got := fmt.Sprint(r.answerCalls()); got != "[chen.jing:approve:act-9]" {
		t.Fatalf("answers = %s", got)
	}
	mustShow(t, m, "approved act-9")
}

func TestCommanderRejectsWithAReasonAndEscLeavesItWaiting(t *testing.T) {
	m, r := teamModel(t, room.Actor{Name: "chen.jing", Role: room.RoleCommander}, actionRoomSnapshot("type-name"))
	m.Update(SnapshotMsg{Snap: awaitingSnapshot()})
	press(m, m.km.Review)
	press(m, m.km.Back)
	if openOf[*approval](&m.modals) != nil || len(r.answerCalls()) != 0 {
		t.Fatal("esc answered or left the approval open")
	}
	m.Update(SnapshotMsg{Snap: awaitingSnapshot()})
	if openOf[*approval](&m.modals) != nil {
		t.Fatal("the request opened by itself")
	}
	press(m, m.km.Approve) // reopens it
	press(m, m.km.Reject)
	typeKeys(m, "osaka lags")
	mustShow(t, m, "Reason (optional): osaka lags")
	press(m, m.km.Back) // back to the choice, nothing sent
	press(m, m.km.Reject)
	_, c := m.Update(panestest.KeyMsg("enter"))
	run(m, c)
	if got := fmt.Sprint(r.answerCalls()); got != "[chen.jing:reject:act-9:osaka lags]" {
		t.Fatalf("answers = %s", got)
	}
}

func TestRequesterAndOperatorsAreNotAskedToApprove(t *testing.T) {
	for _, who := range []room.Actor{{Name: "li.wei", Role: room.RoleCommander}, {Name: "ana", Role: room.RoleOperator}} {
		m, _ := teamModel(t, who, actionRoomSnapshot("type-name"))
		m.Update(SnapshotMsg{Snap: awaitingSnapshot()})
		if openOf[*approval](&m.modals) != nil {
			t.Fatalf("%s (%s) was asked to approve", who.Name, who.Role)
		}
	}
}

// The requester learns that their request waits, from the first snapshot
// that shows it (Act returns before the room publishes it), and then how
// the commander answered.
func TestRequesterIsToldTheRequestWaitsAndTheAnswer(t *testing.T) {
	due := panestest.Now().Add(10 * time.Minute).Format("15:04:05")
	answered := func(f func(a *room.ActionView)) *room.Snapshot {
		s := awaitingSnapshot()
		a := &s.Actions[len(s.Actions)-1]
		f(a)
		s.Seq++
		return s
	}
	for _, c := range []struct {
		name   string
		answer *room.Snapshot
		want   string
	}{
		{"approved", answered(func(a *room.ActionView) { a.State, a.ApprovedBy = room.ActionRunning, "ana" }), "failover act-9 approved by ana: it runs now"},
		{"rejected", answered(func(a *room.ActionView) { a.State, a.RejectedBy, a.Err = room.ActionRejected, "ana", "origin flapping" }), "failover act-9 rejected by ana: origin flapping"},
		{"expired", answered(func(a *room.ActionView) { a.State, a.Err = room.ActionExpired, "nobody approved it by "+due }), "failover act-9 expired: nobody approved it by " + due},
	} {
		m, r := teamModel(t, room.Actor{Name: "li.wei", Role: room.RoleOperator}, actionRoomSnapshot("type-name"))
		r.acts = make([]room.Request, 6) // the room's next id is act-9
		m.Update(m.act(room.Request{Kind: room.Failover, From: "tokyo", To: "osaka"})())
		mustShow(t, m, "failover act-9 started")
		m.Update(SnapshotMsg{Snap: awaitingSnapshot()})
		mustShow(t, m, "failover act-9 waits for a commander's approval until "+due)
		m.Update(SnapshotMsg{Snap: c.answer})
		if !strings.Contains(footerOf(screen(m)), c.want) {
			t.Errorf("%s: footer %q, want %q", c.name, footerOf(screen(m)), c.want)
		}
	}
}

func TestOthersStepsShowAsNotices(t *testing.T) {
	m, _ := teamModel(t, room.Actor{Name: "ana", Role: room.RoleObserver}, actionRoomSnapshot("type-name"))
	s := actionRoomSnapshot("type-name")
	s.LastEventSeq = 100
	m.Update(SnapshotMsg{Snap: s})
	next := *s
	next.Timeline = append(append([]room.Event(nil), s.Timeline...),
		room.Event{Seq: 101, At: s.At, Kind: room.EvActionRequested, Actor: "li.wei", Text: "li.wei confirmed failover tokyo → osaka (act-3 via edge)"},
		room.Event{Seq: 102, At: s.At, Kind: room.EvAlertAcked, Actor: "ana", Text: "ana acknowledged mirror-down/tokyo"})
	next.LastEventSeq = 102
	m.Update(SnapshotMsg{Snap: &next})
	if f := footerOf(screen(m)); !strings.Contains(f, "▸ li.wei confirmed failover tokyo → osaka") {
		t.Fatalf("footer: %s", f)
	}
	later := next
	later.At = s.At.Add(11 * time.Second)
	m.Update(SnapshotMsg{Snap: &later})
	if strings.Contains(footerOf(screen(m)), "li.wei confirmed") {
		t.Fatal("the notice outlived its time")
	}
}

func TestFocusChangesAreToldToTheRoom(t *testing.T) {
	m, r := teamModel(t, room.Actor{Name: "ana", Role: room.RoleObserver}, actionRoomSnapshot("type-name"))
	m.opts.PresenceID = "p3"
	run(m, press(m, m.km.Pane[paneTimeline]))
	run(m, press(m, m.km.Down)) // same pane: nothing new to say
	r.mu.Lock()
	defer r.mu.Unlock()
	if got := fmt.Sprint(r.looks); got != "[p3:timeline]" {
		t.Fatalf("looks = %s", got)
	}
}

// Other people's steps stay in the footer for their time: a second one
// does not push out the first, and this person's own outcome shows before
// them instead of hiding them.
func TestOthersNoticesOutlastYourOwnStep(t *testing.T) {
	m, r := teamModel(t, room.Actor{Name: "ana", Role: room.RoleOperator}, actionRoomSnapshot("type-name"))
	s := actionRoomSnapshot("type-name")
	s.LastEventSeq = 100
	m.Update(SnapshotMsg{Snap: s})
	next := *s
	next.Timeline = append(append([]room.Event(nil), s.Timeline...),
		room.Event{Seq: 101, At: s.At, Kind: room.EvActionRequested, Actor: "li.wei", Text: "li.wei confirmed failover tokyo → osaka"},
		room.Event{Seq: 102, At: s.At.Add(2 * time.Second), Kind: room.EvNoteAdded, Actor: "bob", Text: "bob: osaka is warm"})
	next.LastEventSeq = 102
	next.At = s.At.Add(3 * time.Second)
	m.Update(SnapshotMsg{Snap: &next})
	f := footerOf(screen(m))
	if !strings.Contains(f, "▸ bob: osaka is warm") || !strings.Contains(f, "▸ li.wei confirmed failover") {
		t.Fatalf("footer %q, want both people's steps", f)
	}
	run(m, press(m, m.km.Pane[paneAlerts]))
	run(m, press(m, m.km.Ack))
	f = footerOf(screen(m))
	if !strings.Contains(f, "acknowledged") || !strings.Contains(f, "▸ bob: osaka is warm") {
		t.Fatalf("after ana's own ack the footer is %q: want her outcome, then the others' steps", f)
	}
	r.mu.Lock()
	acked := len(r.acks)
	r.mu.Unlock()
	if acked == 0 {
		t.Fatal("the ack never reached the room")
	}
	later := next
	later.At = s.At.Add(11 * time.Second)
	m.Update(SnapshotMsg{Snap: &later})
	if f = footerOf(screen(m)); strings.Contains(f, "li.wei confirmed") || !strings.Contains(f, "bob: osaka") {
		t.Fatalf("at +11s the footer is %q: li.wei's step is past its time, bob's is not", f)
	}
}
