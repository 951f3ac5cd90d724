package tui

import (
	"strings"
	"testing"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/muesli/termenv"

	"warroom/backends/room"
	"warroom/keymaps"
	"warroom/panes/panestest"
)

// modalOpen reports whether any modal holds the keyboard.
func modalOpen(m *Model) bool {
	return m.modals.top() != nil
}

// next is s as the room's next snapshot, changed by change.
func next(s *room.Snapshot, change func(*room.Snapshot)) *room.Snapshot {
	c := *s
	c.Seq++
	change(&c)
	return &c
}

// TestEveryModalSurvivesItsSubjectGoing opens each modal, then delivers a
// snapshot in which what it is about is gone or changed: the incident
// closed, the request answered by someone else, the people left, the
// traffic moved. Each modal closes, or stays with sending off, and says
// why; none panics or keeps working on what is gone. (The status dialog
// once dereferenced the closed incident and took the whole room down.)
func TestEveryModalSurvivesItsSubjectGoing(t *testing.T) {
	km := keymaps.Default()
	noIncident := func(s *room.Snapshot) { s.Incident = nil }
	otherIncident := func(s *room.Snapshot) {
		inc := *s.Incident
		inc.ID, inc.Status = "INC-20260822-2", room.StatusInvestigating
		s.Incident = &inc
	}
	incident := func(t *testing.T, open func(m *Model)) *Model {
		m, _ := incModel(t, "ana", room.RoleCommander, panestest.IncidentSnapshot(), 120, 40)
		open(m)
		return m
	}
	acts := func(t *testing.T, s *room.Snapshot, open func(m *Model)) *Model {
		m, _ := actModel(t, km, s, 120, 40)
		open(m)
		return m
	}
	cases := []struct {
		name   string
		open   func(t *testing.T) *Model
		gone   func(*room.Snapshot)
		closed bool   // the modal must close (else it stays, with sending off)
		notice string // what the screen must say
	}{
		{"level, incident closed", func(t *testing.T) *Model { return incident(t, func(m *Model) { press(m, km.Level) }) },
			noIncident, true, "INC-20260822-1 was closed meanwhile: its level dialog closed"},
		{"hand over, incident closed", func(t *testing.T) *Model { return incident(t, func(m *Model) { press(m, km.HandOver) }) },
			noIncident, true, "its hand-over dialog closed"},
		{"status, incident closed", func(t *testing.T) *Model { return incident(t, func(m *Model) { press(m, km.Advance) }) },
			noIncident, true, "its status dialog closed, nothing was sent"},
		{"status, another incident", func(t *testing.T) *Model { return incident(t, func(m *Model) { press(m, km.Advance) }) },
			otherIncident, true, "INC-20260822-2 is open now"},
		{"status, status changed", func(t *testing.T) *Model { return incident(t, func(m *Model) { press(m, km.Advance) }) },
			func(s *room.Snapshot) {
				inc := *s.Incident
				inc.Status = room.StatusMitigated
				s.Incident = &inc
			}, false, "the status changed meanwhile to mitigated"},
		{"tick, incident closed", func(t *testing.T) *Model {
			return incident(t, func(m *Model) { press(m, km.Tick); typeKeys(m, "found it") })
		}, noIncident, true, "its checklist dialog closed"},
		{"pin, incident closed", func(t *testing.T) *Model { return incident(t, func(m *Model) { press(m, km.Pin) }) },
			noIncident, true, "its pin dialog closed"},
		{"pinned note, incident closed", func(t *testing.T) *Model {
			return incident(t, func(m *Model) { press(m, km.Note); typeKeys(m, "a line"); m.Update(tea.KeyMsg{Type: tea.KeyTab}) })
		}, noIncident, false, "no incident is open"},
		{"declare, declared meanwhile", func(t *testing.T) *Model {
			m, _ := incModel(t, "ana", room.RoleCommander, panestest.IncidentProposalSnapshot(), 120, 40)
			press(m, km.Declare)
			return m
		}, func(s *room.Snapshot) { s.Incident = panestest.IncidentSnapshot().Incident }, false, "INC-20260822-1 was declared meanwhile"},
		{"drill stop, drill ended", func(t *testing.T) *Model {
			m, _ := incModel(t, "ana", room.RoleCommander, panestest.DrillSnapshot(), 120, 40)
			press(m, km.Drill)
			return m
		}, func(s *room.Snapshot) { s.Drill = panestest.EndedDrillSnapshot().Drill }, false, "the drill has ended"},
		{"failover, traffic moved", func(t *testing.T) *Model {
			return acts(t, actionRoomSnapshot("type-name"), func(m *Model) { press(m, km.Failover) })
		}, func(s *room.Snapshot) { s.Mirrors = panestest.FailbackSnapshot().Mirrors }, false, "traffic moved since this opened"},
		{"failover confirm, target gone", func(t *testing.T) *Model {
			return acts(t, actionRoomSnapshot("type-name"), func(m *Model) { run(m, press(m, km.Failover)); run(m, press(m, km.Confirm)) })
		}, func(s *room.Snapshot) {
			to := room.Rank(s, "fra-1")[0].Mirror.Name
			s.Mirrors = slicesWithout(s.Mirrors, to)
		}, false, "is no longer in the room's fleet"},
		{"rollback, target gone", func(t *testing.T) *Model {
			return acts(t, actionRoomSnapshot("type-name"), func(m *Model) { run(m, press(m, km.Rollback)); run(m, press(m, km.Confirm)) })
		}, func(s *room.Snapshot) { s.RollbackTargets = []string{"api"} }, false, "web is no longer a rollback target"},
		{"proposal, withdrawn", func(t *testing.T) *Model {
			return acts(t, panestest.ProposalSnapshot(), func(m *Model) {
				if dlgOf(m) == nil {
					press(m, km.Pane[paneActions])
					run(m, press(m, km.Confirm))
				}
			})
		}, func(s *room.Snapshot) { s.Proposals = nil }, false, "proposal was withdrawn"},
		{"failback, offer withdrawn", func(t *testing.T) *Model {
			return acts(t, panestest.FailbackSnapshot(), func(m *Model) { run(m, press(m, km.Failback)) })
		}, func(s *room.Snapshot) { s.Failback = nil }, false, "the failback offer was withdrawn"},
		{"approval, answered elsewhere", func(t *testing.T) *Model {
			m, _ := teamModel(t, room.Actor{Name: "ana", Role: room.RoleCommander}, awaitingSnapshot())
			press(m, km.Approve)
			return m
		}, func(s *room.Snapshot) {
			s.Actions = append([]room.ActionView(nil), s.Actions...)
			a := &s.Actions[len(s.Actions)-1]
			a.State, a.ApprovedBy = room.ActionRunning, "bo"
		}, true, "act-9 no longer waits for approval: approved by bo"},
		{"pen, everyone left", func(t *testing.T) *Model {
			m, _ := incModel(t, "li.wei", room.RoleOperator, panestest.IncidentSnapshot(), 120, 40)
			press(m, km.Pen)
			return m
		}, func(s *room.Snapshot) { s.Presence = s.Presence[1:2] }, true, "nobody else present may take the pen now"},
		{"composer, incident closed", func(t *testing.T) *Model {
			s := roomWithChannels()
			s.Incident = panestest.IncidentSnapshot().Incident
			m, _ := announceModel(t, km, termenv.Ascii, s, 120, 40)
			press(m, km.Announce)
			press(m, km.Confirm)
			return m
		}, noIncident, false, "Announce ·"}, // the person's own text: it stays, pre-filled as it was
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m := c.open(t)
			if !modalOpen(m) {
				t.Fatalf("nothing opened:\n%s", screen(m))
			}
			before := screen(m)
			m.Update(SnapshotMsg{Snap: next(m.snap, c.gone)})
			out := screen(m) // a panic here fails the test
			if c.closed == modalOpen(m) {
				t.Fatalf("closed %v, want %v; before:\n%s\nafter:\n%s", !modalOpen(m), c.closed, before, out)
			}
			if !strings.Contains(strings.Join(strings.Fields(out), " "), c.notice) {
				t.Fatalf("the screen does not say %q:\n%s", c.notice, out)
			}
		})
	}
}

// slicesWithout is ms without the mirror named name.
func slicesWithout(ms []*room.MirrorView, name string) []*room.MirrorView {
	var out []*room.MirrorView
	for _, mv := range ms {
		if mv.Name != name {
			out = append(out, mv)
		}
	}
	return out
}
