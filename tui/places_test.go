package tui

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"warroom/backends/room"
	"warroom/panes/panestest"
)

// roomDoes is what the room can do while a person watches, each step a
// snapshot the session receives without pressing anything.
var roomDoes = []struct {
	name string
	snap func() *room.Snapshot
}{
	{"a proposal appears", panestest.ProposalSnapshot},
	{"a post fails", panestest.PostsSnapshot},
	{"an incident is proposed", panestest.IncidentProposalSnapshot},
	{"an incident is declared", panestest.IncidentSnapshot},
	{"the incident changes", func() *room.Snapshot {
		s := panestest.IncidentSnapshot()
		s.Incident.Level, s.Incident.Status = 3, room.StatusMitigated
		return s
	}},
	{"a drill starts", panestest.DrillSnapshot},
	{"an approval waits", func() *room.Snapshot {
		s := panestest.Snapshot()
		s.CanFailover = true
		s.Actions = []room.ActionView{{ID: "act-9", Request: room.Request{Kind: room.Failover, From: "fra-1", To: "ams-2"},
			RequestedBy: "bob", RequestedAt: panestest.Now(), State: room.ActionAwaiting}}
		return s
	}},
	{"alerts pile up", func() *room.Snapshot {
		s := panestest.Snapshot()
		for i := range 12 {
			s.Alerts = append(s.Alerts, room.Alert{ID: fmt.Sprintf("x/%d", i), Severity: room.Critical, Subject: "syd",
				Text: "syd down", Raised: panestest.Now().Add(-time.Minute)})
		}
		return s
	}},
	{"the drill ends", panestest.EndedDrillSnapshot},
	{"all is quiet again", panestest.Snapshot},
}

// lineOf is the screen line that shows sub first, or -1.
func lineOf(m *Model, sub string) int {
	for i, l := range strings.Split(plain(m.View()), "\n") {
		if strings.Contains(l, sub) {
			return i
		}
	}
	return -1
}

// feed gives the session each of the room's steps in turn and fails when
// a pane's place changes, on the screen or in the layout.
func feed(t *testing.T, m *Model, how string) {
	t.Helper()
	want, top := m.paneRects(), lineOf(m, "1 Mirrors")
	for i, step := range roomDoes {
		s := step.snap()
		s.Seq = uint64(1000 + i)
		m.Update(SnapshotMsg{Snap: s})
		got := m.paneRects()
		for p := range paneCount {
			if got[p] != want[p] {
				t.Errorf("%dx%d %s, %s: pane %d moved from %+v to %+v", m.width, m.height, how, step.name, p+1, want[p], got[p])
			}
		}
		if at := lineOf(m, "1 Mirrors"); at != top {
			t.Errorf("%dx%d %s, %s: the Mirrors pane's top moved from line %d to %d", m.width, m.height, how, step.name, top, at)
		}
	}
}

// Panes stay where they are whatever the room does; only the person's
// keys move them: a pane key shows that pane in its slot, in the place
// of its slot's mate, and nothing else moves.
func TestPanesKeepTheirPlacesWhateverTheRoomDoes(t *testing.T) {
	for _, sz := range []struct{ w, h int }{{80, 24}, {120, 40}, {160, 48}} {
		m, _ := incModel(t, "li.wei", room.RoleCommander, panestest.Snapshot(), sz.w, sz.h)
		feed(t, m, "untouched")
		for _, pk := range []struct{ show, mate int }{{panePosts, paneTimeline}, {panePresence, paneHosts}, {paneActions, paneAlerts}} {
			before := m.paneRects()
			press(m, m.paneKey(pk.show))
			after := m.paneRects()
			for p := range paneCount {
				switch {
				case before[p] == after[p]:
				case p == pk.show && after[p] == before[pk.mate] && after[pk.mate].w == 0:
				case p == pk.mate && after[p].w == 0 && after[pk.show] == before[p]:
				default:
					t.Errorf("%dx%d: pane key %d moved pane %d from %+v to %+v", sz.w, sz.h, pk.show+1, p+1, before[p], after[p])
				}
			}
			feed(t, m, fmt.Sprintf("after pane key %d", pk.show+1))
		}
	}
}

// What changes in a pane hidden behind its slot's mate shows as a mark in
// the slot's title, without moving anything; its key shows it.
func TestAHiddenPaneMarksItsSlotTitle(t *testing.T) {
	m, _ := incModel(t, "li.wei", room.RoleCommander, panestest.Snapshot(), 80, 24)
	mustShow(t, m, "5 Timeline · 7 Announcements ─", "3 Hosts · 8 Incident · 9 People ─", "4 Alerts · 6 shows Actions ─")

	m.Update(SnapshotMsg{Snap: panestest.PostsSnapshot()})
	mustShow(t, m, "5 Timeline · 7 ✖ 1 failed ─")
	press(m, m.paneKey(panePosts))
	mustShow(t, m, "[ 7 Announcements · 5 Timeline ]", "▲ retrying in 12s")
	press(m, m.paneKey(paneTimeline))
	m.Update(SnapshotMsg{Snap: panestest.IncidentProposalSnapshot()})
	mustShow(t, m, "3 Hosts · 8 ▲ L2 proposed · 9 ─")
	m.Update(SnapshotMsg{Snap: panestest.IncidentSnapshot()})
	mustShow(t, m, "3 Hosts · 8 ▲ L2 identified · 9 ─")
	s := panestest.ActionsSnapshot()
	s.Actions[3].State = room.ActionRunning // no batch paused: the running ones count
	m.Update(SnapshotMsg{Snap: s})
	mustShow(t, m, "4 Alerts · 6 Actions ⟳ 2 running ─")

	press(m, m.paneKey(paneActions))
	mustShow(t, m, "[ 6 Actions · 4 Alerts ✖ 2 critical ]")
	press(m, m.paneKey(paneIncident))
	mustShow(t, m, "[ 8 Incident · 3 Hosts · 9 People ]")

	// Where the pane has a place of its own, it needs no mark.
	size(m, 160, 48)
	m.Update(SnapshotMsg{Snap: panestest.IncidentSnapshot()})
	mustShow(t, m, "[ 8 Incident ]", "3 Hosts · 9 shows People ─")
}
