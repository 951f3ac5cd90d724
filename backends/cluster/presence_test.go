package cluster

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"warroom/backends/room"
)

// present is the session named name in s, if s shows one.
func present(s *room.Snapshot, name string) (room.PresenceView, bool) {
	for _, p := range s.Presence {
		if p.Name == name {
			return p, true
		}
	}
	return room.PresenceView{}, false
}

// presenceEvents are the replicated journal's presence events, as texts.
func (tn *testNodes) presenceEvents() []string {
	tn.t.Helper()
	for name := range tn.alive() {
		recs, _, err := NewJournal(tn.c.cli(name), testSite).ReadFrom(testCtx(tn.t, 5*time.Second), 0)
		if err != nil {
			tn.t.Fatal(err)
		}
		var out []string
		for _, rec := range recs {
			var ev room.Event
			if err := json.Unmarshal(rec.Data, &ev); err != nil {
				tn.t.Fatal(err)
			}
			if ev.Kind == room.EvPresenceJoined || ev.Kind == room.EvPresenceLeft {
				out = append(out, ev.Text)
			}
		}
		return out
	}
	tn.t.Fatal("no node is running")
	return nil
}

// count is how many of texts contain s.
func count(texts []string, s string) int {
	n := 0
	for _, t := range texts {
		if strings.Contains(t, s) {
			n++
		}
	}
	return n
}

func TestPresenceIsSharedEverywhereAndGoesWithItsNode(t *testing.T) {
	cfg := nodeConfig(t)
	cfg.Actions.Pen = true
	c := startCluster(t, 3)
	tn := startNodesWith(t, c, cfg)
	leader := tn.leader(15 * time.Second)
	f := tn.follower(leader)
	ctx := testCtx(t, 30*time.Second)
	ana := room.Actor{Name: "ana", Role: room.RoleCommander}
	if _, err := tn.nodes[leader].Room().Join(ctx, ana, room.Presence{Via: "local"}); err != nil {
		t.Fatal(err)
	}
	id, err := f.Room().Join(ctx, room.Actor{Name: "bo", Role: room.RoleOperator}, room.Presence{Via: "ssh", Remote: "10.0.0.7"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Room().Join(ctx, room.Actor{Name: "nobody"}, room.Presence{}); err == nil {
		t.Error("a session with no role joined")
	}
	f.Room().Look(id, "mirrors")
	for name, n := range tn.alive() {
		eventually(t, 10*time.Second, name+" shows bo on "+f.cfg.Node+" looking at mirrors, and ana", func() bool {
			s := n.Local().Snapshot()
			bo, ok := present(s, "bo")
			_, anaHere := present(s, "ana")
			return ok && anaHere && bo.Node == f.cfg.Node && bo.Pane == "mirrors" && bo.Remote == "10.0.0.7"
		})
	}
	eventually(t, 10*time.Second, "the journal holds each join once", func() bool {
		evs := tn.presenceEvents()
		return count(evs, "bo joined as operator over SSH from 10.0.0.7 on "+f.cfg.Node) == 1 && count(evs, "ana joined") == 1
	})

	// The pen goes to someone present on some node, through any node.
	if err := f.Room().HandPen(ctx, "cleo", ana); err == nil || !strings.Contains(err.Error(), "cleo is not in the room on any node") {
		t.Fatalf("the pen handed to someone absent: %v", err)
	}
	if err := f.Room().HandPen(ctx, "bo", ana); err != nil {
		t.Fatalf("the pen to someone on a follower: %v", err)
	}

	// The leader goes: its sessions go with it, and the next leader
	// journals their leave once.
	lost := time.Now()
	tn.kill(leader)
	next := tn.leader(15 * time.Second)
	for name, n := range tn.alive() {
		eventually(t, 10*time.Second, name+" no longer shows ana", func() bool {
			_, ok := present(n.Local().Snapshot(), "ana")
			return !ok
		})
	}
	t.Logf("ana gone from every node %v after %s was lost", time.Since(lost), leader)
	eventually(t, 10*time.Second, next+" journals ana's leave", func() bool {
		return count(tn.presenceEvents(), "ana left (node "+leader+" lost)") == 1
	})
	if _, ok := present(tn.nodes[next].Local().Snapshot(), "bo"); !ok {
		t.Error("bo went with another node")
	}
	f.Room().Leave(id)
	eventually(t, 10*time.Second, "bo's leave is journaled once", func() bool {
		return count(tn.presenceEvents(), "bo left (in the room") == 1
	})
	if evs := tn.presenceEvents(); len(evs) != 4 {
		t.Errorf("presence events: %q", evs)
	}
}
