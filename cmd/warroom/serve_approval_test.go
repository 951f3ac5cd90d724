package main

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	gossh "golang.org/x/crypto/ssh"

	"warroom/backends/room"
)

// approvalRoom is a served room where an operator's failover waits for a
// commander: ana and bo command, li.wei operates, ob observes.
type approvalRoom struct {
	*servedRoom
	cfg             string
	ana, bo, li, ob person
	second, third   string // the backup mirrors
}

func startApprovalRoom(t *testing.T) approvalRoom {
	t.Helper()
	f := startFleet(t, 3)
	ar := approvalRoom{ana: newPerson(t, "ana", "commander"), bo: newPerson(t, "bo", "commander"),
		li: newPerson(t, "li.wei", "operator"), ob: newPerson(t, "ob", "observer"),
		second: f.Mirrors()[1].Name, third: f.Mirrors()[2].Name}
	ar.cfg, _ = routedConfig(t, f)
	appendFile(t, ar.cfg, "  approvals: {failover: [1, 2, 3]}\n") // continues routedConfig's actions:
	appendFile(t, ar.cfg, serveSection(ar.ana, ar.bo, ar.li, ar.ob))
	ar.servedRoom = startServed(t, ar.cfg)
	return ar
}

// pending is a command still running on its SSH session.
type pending struct {
	out, errOut bytes.Buffer
	done        chan error
}

// start runs cmd as p without waiting for it.
func (sr *servedRoom) start(t *testing.T, p person, cmd string) *pending {
	t.Helper()
	sess, err := sr.mustDial(t, p).NewSession()
	if err != nil {
		t.Fatal(err)
	}
	pc := &pending{done: make(chan error, 1)}
	sess.Stdout, sess.Stderr = &pc.out, &pc.errOut
	if err := sess.Start(cmd); err != nil {
		t.Fatal(err)
	}
	go func() { pc.done <- sess.Wait() }()
	return pc
}

// wait returns the command's exit status once it ends.
func (pc *pending) wait(t *testing.T, d time.Duration) int {
	t.Helper()
	select {
	case err := <-pc.done:
		var exit *gossh.ExitError
		switch {
		case err == nil:
			return 0
		case errors.As(err, &exit):
			return exit.ExitStatus()
		}
		t.Fatalf("command: %v", err)
	case <-time.After(d):
		t.Fatalf("command still running after %s", d)
	}
	return 0
}

// awaitingID waits for the room to hold one request awaiting approval.
func awaitingID(t *testing.T, r *room.Room) string {
	t.Helper()
	var id string
	if !pollUntil(10*time.Second, func() bool {
		for _, a := range r.Snapshot().Actions {
			if a.State == room.ActionAwaiting {
				id = a.ID
				return true
			}
		}
		return false
	}) {
		t.Fatalf("no request awaits approval; actions %+v", r.Snapshot().Actions)
	}
	return id
}

// activeMirror is the mirror the room marks as serving.
func activeMirror(s *room.Snapshot) string {
	for _, m := range s.Mirrors {
		if m.Role == "active" {
			return m.Name
		}
	}
	return ""
}

// An operator asks from their terminal; a commander's session pops the
// request up, Y approves it, and the operator's failover runs.
func TestServeApprovalFlowsFromOperatorToCommander(t *testing.T) {
	sr := startApprovalRoom(t)
	ana, li := sr.ana, sr.li
	cmdr := openScreen(t, sr.mustDial(t, ana), 140, 45)
	cmdr.waitFor(t, "ana's room", 10*time.Second, "Mirrors", "Timeline")

	// li.wei's room: f, enter on the best candidate, type its name, enter.
	op := openScreen(t, sr.mustDial(t, li), 140, 45)
	op.waitFor(t, "li.wei's room", 10*time.Second, "Mirrors", "ana joined as commander")
	from := activeMirror(sr.live.room.Snapshot())
	best := room.Rank(sr.live.room.Snapshot(), from)[0].Mirror.Name
	op.key(t, "f")
	op.waitFor(t, "the failover dialog", 5*time.Second, "Fail over from "+from)
	op.key(t, "\r")
	op.waitFor(t, "the preview", 10*time.Second, "Type "+best+" to confirm")
	op.key(t, best)
	op.key(t, "\r")
	id := awaitingID(t, sr.live.room)
	op.waitFor(t, "the request waiting, in li.wei's room", 5*time.Second, "waits for a commander's approval")

	// It waits in a banner, never taking ana's keys; the review key opens it.
	cmdr.waitFor(t, "the request's banner in ana's room", 10*time.Second,
		"press ! to review · approval: li.wei asks to run failover "+from+" → "+best)
	cmdr.key(t, "!")
	cmdr.waitFor(t, "the request opened in ana's room", 10*time.Second,
		"Approval requested", "li.wei asks to run failover "+from+" → "+best, id)
	cmdr.key(t, "Y")
	if !pollUntil(15*time.Second, func() bool {
		for _, a := range sr.live.room.Snapshot().Actions {
			if a.ID == id {
				return a.State == room.ActionSucceeded
			}
		}
		return false
	}) {
		t.Fatalf("%s did not succeed after ana's Y: %+v", id, sr.live.room.Snapshot().Actions)
	}
	a := sr.live.room.Snapshot().Actions[0]
	if a.RequestedBy != "li.wei" || a.ApprovedBy != "ana" || activeMirror(sr.live.room.Snapshot()) != best {
		t.Errorf("action %+v, active %s: want li.wei's, approved by ana, %s active", a, activeMirror(sr.live.room.Snapshot()), best)
	}
	op.waitFor(t, "ana's approval, in li.wei's room", 5*time.Second, "approved by ana: it runs now")
	kinds := strings.Join(readJournalKinds(t, sr.cfg), " ")
	if !strings.Contains(kinds, "action.awaiting action.approved") {
		t.Errorf("journal kinds %s: want action.awaiting then action.approved", kinds)
	}
}

// The same over plain SSH commands: the operator's failover waits and says
// so, approve lists and approves, reject ends a request with the reason,
// and nobody approves their own request or above their role.
func TestServeApproveAndRejectCommands(t *testing.T) {
	sr := startApprovalRoom(t)
	ana, bo, li, ob := sr.ana, sr.bo, sr.li, sr.ob

	code, out, _ := sr.command(t, ana, "approve")
	if code != 0 || !strings.Contains(out, "no request awaits approval") {
		t.Fatalf("approve with nothing waiting: exit %d, %q", code, out)
	}

	first := sr.start(t, li, "failover --yes "+sr.second)
	id := awaitingID(t, sr.live.room)
	code, out, _ = sr.command(t, ana, "approve")
	if code != 0 || !strings.Contains(out, id) || !strings.Contains(out, "li.wei") || !strings.Contains(out, "→ "+sr.second) {
		t.Errorf("approve listing: exit %d\n%s", code, out)
	}
	for _, c := range []struct {
		who  person
		cmd  string
		want string
	}{
		{li, "approve " + id, "li.wei is operator"},
		{ob, "reject " + id, "ob is observer"},
		{ana, "approve NOPE-1", `no action "NOPE-1"`},
		{ana, "reject", "usage: reject ID"},
	} {
		if code, out, errOut := sr.command(t, c.who, c.cmd); code == 0 || !strings.Contains(errOut, c.want) {
			t.Errorf("%s: %s: exit %d, stderr %q, stdout %q; want a refusal saying %q", c.who.name, c.cmd, code, errOut, out, c.want)
		}
	}
	if code, out, errOut := sr.command(t, bo, "approve "+id); code != 0 || !strings.Contains(out, "approved "+id+" as bo") {
		t.Fatalf("bo approves: exit %d\n%s%s", code, out, errOut)
	}
	if code := first.wait(t, 15*time.Second); code != 0 {
		t.Fatalf("li.wei's failover after approval: exit %d\n%s%s", code, &first.out, &first.errOut)
	}
	for _, want := range []string{"awaits a commander's approval", "ssh warroom approve " + id, "approved by bo", "succeeded"} {
		if !strings.Contains(first.out.String(), want) {
			t.Errorf("li.wei's output lacks %q:\n%s", want, &first.out)
		}
	}

	// li.wei's next request is rejected, with the reason.
	back := sr.start(t, li, "failover --yes "+sr.third)
	id2 := awaitingID(t, sr.live.room)
	if code, out, errOut := sr.command(t, ana, "reject "+id2+" --reason 'origin still flapping'"); code != 0 || !strings.Contains(out, "rejected "+id2) {
		t.Fatalf("ana rejects: exit %d\n%s%s", code, out, errOut)
	}
	if code := back.wait(t, 10*time.Second); code != 1 || !strings.Contains(back.errOut.String(), "rejected by ana: origin still flapping") {
		t.Errorf("li.wei's second failover after rejection: exit %d, stderr %q; want 1 and ana's reason", code, &back.errOut)
	}
}

// A local `warroom approve` says where requests are answered.
func TestLocalApproveSaysWhereToAnswer(t *testing.T) {
	code, _, errOut := runCmd(t, "", "approve", "ACT-1")
	if code != 2 || !strings.Contains(errOut, "ssh warroom approve ID") || !strings.Contains(errOut, "Y in the room") {
		t.Errorf("local approve: exit %d, stderr %q", code, errOut)
	}
}
