package room

import (
	"context"
	"strings"
	"testing"
)

// presenceTexts are the journal's presence events, as their texts.
func presenceTexts(t *testing.T, j *memJournal) []string {
	var out []string
	for _, ev := range j.events(t) {
		if ev.Kind == EvPresenceJoined || ev.Kind == EvPresenceLeft {
			out = append(out, ev.Text)
		}
	}
	return out
}

func TestSharedPresenceIsJournaledOnceByWhoeverLeads(t *testing.T) {
	j := &memJournal{}
	cfg := clusterConfig()
	cfg.Actions.Pen = true
	a, b := startNodeWith(t, "a", &fakeExec{}, cfg), startNodeWith(t, "b", &fakeExec{}, cfg)
	if err := a.r.Promote(j, "1"); err != nil {
		t.Fatal(err)
	}
	ana := PresenceView{ID: "a/1", Name: "ana", Role: RoleCommander, Via: "local", Since: t0}
	bo := PresenceView{ID: "b/1", Name: "bo", Role: RoleOperator, Via: "ssh", Remote: "10.0.0.7", Since: t0}
	for _, n := range []*node{a, b} {
		n.r.ObservePresence("a", []PresenceView{ana})
		n.r.ObservePresence("b", []PresenceView{bo})
		n.r.ObservePresence("b", []PresenceView{{ID: "b/x", Name: "", Role: RoleOperator}, bo}) // nameless: not shown
	}
	s := a.settle()
	if len(s.Presence) != 2 || s.Presence[0].Node != "a" || s.Presence[1].Node != "b" || s.Presence[1].Remote != "10.0.0.7" {
		t.Fatalf("the leader shows %+v", s.Presence)
	}
	if got := b.follow(j).Presence; len(got) != 2 {
		t.Fatalf("the replica shows %+v", got)
	}
	want := []string{"ana joined as commander on a", "bo joined as operator over SSH from 10.0.0.7 on b"}
	if got := presenceTexts(t, j); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("journal says %q, want %q", got, want)
	}

	// The pen goes only to someone present on some node.
	ctx := context.Background()
	if err := a.r.HandPen(ctx, "cleo", commander("ana")); err == nil || !strings.Contains(err.Error(), "cleo is not in the room on any node") {
		t.Fatalf("the pen handed to someone absent: %v", err)
	}
	if err := b.r.HandPen(ctx, "bo", commander("ana")); err == nil {
		t.Fatal("a replica took the pen command")
	}
	if err := a.r.HandPen(ctx, "bo", commander("ana")); err != nil {
		t.Fatalf("the pen to someone on another node: %v", err)
	}

	// a dies; b hears that a's lease ended, then leads: the leave is
	// journaled once, by b.
	b.follow(j)
	a.stop()
	b.r.ForgetPresence("a", "node a lost")
	if got := b.settle().Presence; len(got) != 1 || got[0].Name != "bo" {
		t.Fatalf("after a was lost b shows %+v", got)
	}
	if n := len(presenceTexts(t, j)); n != 2 {
		t.Fatalf("a replica journaled presence: %d events", n)
	}
	if err := b.r.Promote(j, "2"); err != nil {
		t.Fatal(err)
	}
	b.r.ObservePresence("b", nil) // bo leaves
	b.settle()
	want = append(want, "ana left (node a lost)", "bo left (in the room 0s)")
	if got := presenceTexts(t, j); strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("journal says %q, want %q", got, want)
	}
}

// A joined session whose node the new leader never heard of is left only
// once the room knows it has heard from every node.
func TestUnheardSessionsLeaveOnceThePictureIsComplete(t *testing.T) {
	j := &memJournal{}
	a, b := startNode(t, "a", &fakeExec{}), startNode(t, "b", &fakeExec{})
	if err := a.r.Promote(j, "1"); err != nil {
		t.Fatal(err)
	}
	a.r.ObservePresence("c", []PresenceView{{ID: "c/1", Name: "cleo", Role: RoleComms, Since: t0}})
	a.settle()
	b.follow(j)
	a.stop()
	if err := b.r.Promote(j, "2"); err != nil {
		t.Fatal(err)
	}
	b.settle()
	if got := presenceTexts(t, j); len(got) != 1 {
		t.Fatalf("before the picture is complete: %q", got)
	}
	b.r.PresenceComplete()
	b.settle()
	if got := presenceTexts(t, j); len(got) != 2 || got[1] != "cleo left (node c lost)" {
		t.Fatalf("once complete: %q", got)
	}
}
