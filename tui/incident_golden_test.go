package tui

import (
	"testing"

	"github.com/muesli/termenv"

	"warroom/backends/room"
	"warroom/keymaps"
	"warroom/panes/panestest"
)

// TestGoldenIncidentScreens renders the room during an incident and a
// drill, and the incident dialogs, as a commander sees them at 80×24 and
// 160×48, in the dark theme and without colour. go test -update rewrites
// them.
func TestGoldenIncidentScreens(t *testing.T) {
	km := keymaps.Default()
	screens := []goldenScreen{
		{"incident_room", panestest.IncidentSnapshot, func(m *Model) {}},
		{"declare_title", panestest.IncidentProposalSnapshot, func(m *Model) {
			press(m, km.Declare)
			press(m, km.Confirm)
		}},
		{"tick", panestest.IncidentSnapshot, func(m *Model) {
			press(m, km.Pane[paneIncident])
			press(m, km.Bottom)
			press(m, km.Up)
			press(m, km.Tick)
			typeKeys(m, "tokyo back, lag 12s")
		}},
		{"drill_room", panestest.DrillSnapshot, func(m *Model) { press(m, km.Pane[paneIncident]) }},
		{"scorecard_banner", panestest.DrillSnapshot, func(m *Model) { m.Update(SnapshotMsg{Snap: endedDrill()}) }},
		{"scorecard", panestest.DrillSnapshot, func(m *Model) {
			m.Update(SnapshotMsg{Snap: endedDrill()})
			press(m, km.Review)
		}},
	}
	checkGoldenScreens(t, screens, func(t *testing.T, p termenv.Profile, s *room.Snapshot, w, h int) *Model {
		m := New(incOptions(t, p, &fakeRoom{}, room.Actor{Name: "ana", Role: room.RoleCommander}, s))
		size(m, w, h)
		return m
	})
}
