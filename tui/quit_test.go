package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"

	"warroom/backends/room"
	"warroom/keymaps"
	"warroom/panes/panestest"
)

// hostModel is the local session of demo --serve (presence p1) with the
// given people in the room besides itself.
func hostModel(t *testing.T, hosting bool, others ...string) *Model {
	t.Helper()
	s := actionRoomSnapshot("type-name")
	s.Presence = []room.PresenceView{{ID: "p1", Name: "li.wei", Role: room.RoleCommander}}
	for i, n := range others {
		s.Presence = append(s.Presence, room.PresenceView{ID: string(rune('2'+i)) + "-ssh", Name: n, Role: room.RoleOperator})
	}
	m, _ := actModel(t, keymaps.Default(), s, 120, 40)
	m.opts.Hosting, m.opts.PresenceID = hosting, "p1"
	return m
}

func TestQuitAsksTheHostWhileOthersAreIn(t *testing.T) {
	km := keymaps.Default()
	m := hostModel(t, true, "ana", "mei", "chen.jing")
	if quits(press(m, km.Quit)) {
		t.Fatal("q ended the room with three people in it, without asking")
	}
	mustShow(t, m, "Quit warroom?", "3 people are in the room (ana, mei, chen.jing): quit and", "end their sessions? y/n")
	if f := footerOf(screen(m)); !strings.Contains(f, "y quit, ending every session") || !strings.Contains(f, "n keep serving") {
		t.Fatalf("footer %q does not name y and n", f)
	}
	// A reflex q or enter does not confirm; n keeps serving.
	for _, k := range []tea.KeyMsg{panestest.KeyMsg("q"), panestest.Press(km.Confirm)} {
		if _, cmd := m.Update(k); quits(cmd) {
			t.Fatalf("%q confirmed the quit", k.String())
		}
	}
	if _, cmd := m.Update(panestest.KeyMsg("n")); quits(cmd) || m.modals.top() != nil {
		t.Fatal("n did not keep the room open")
	}
	mustShow(t, m, "still serving the room")
	press(m, km.Quit)
	if _, cmd := m.Update(panestest.KeyMsg("y")); !quits(cmd) {
		t.Fatal("y did not quit")
	}
}

func TestQuitAsksNothingWhenNobodyWouldBeCutOff(t *testing.T) {
	km := keymaps.Default()
	for name, m := range map[string]*Model{
		"hosting, alone":           hostModel(t, true),
		"not hosting, with others": hostModel(t, false, "ana", "mei"),
	} {
		if !quits(press(m, km.Quit)) {
			t.Errorf("%s: q did not quit at once", name)
		}
	}
}

// The count follows the room while the question is open.
func TestQuitQuestionFollowsWhoIsIn(t *testing.T) {
	m := hostModel(t, true, "ana")
	press(m, keymaps.Default().Quit)
	mustShow(t, m, "ana is in the room: quit and end their session? y/n")
	s := *m.snap
	s.Seq++
	s.Presence = s.Presence[:1]
	m.Update(SnapshotMsg{Snap: &s})
	mustShow(t, m, "nobody else is in the room now: quit? y/n")
}
