package tui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
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
	screens := []struct {
		name string
		snap func() *room.Snapshot
		keys func(m *Model)
	}{
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
		{"scorecard", panestest.DrillSnapshot, func(m *Model) { m.Update(SnapshotMsg{Snap: panestest.EndedDrillSnapshot()}) }},
	}
	for _, sc := range screens {
		for _, sz := range []struct{ w, h int }{{80, 24}, {160, 48}} {
			for _, prof := range []struct {
				name string
				p    termenv.Profile
			}{{"dark", termenv.ANSI256}, {"nocolor", termenv.Ascii}} {
				t.Run(fmt.Sprintf("%s/%s_%dx%d", sc.name, prof.name, sz.w, sz.h), func(t *testing.T) {
					m := New(incOptions(t, prof.p, &fakeRoom{}, room.Actor{Name: "ana", Role: room.RoleCommander}, sc.snap()))
					size(m, sz.w, sz.h)
					sc.keys(m)
					out := m.View()
					lines := strings.Split(out, "\n")
					if len(lines) != sz.h {
						t.Fatalf("%d lines, want exactly the window height", len(lines))
					}
					for i, l := range lines {
						if w := lipgloss.Width(l); w != sz.w {
							t.Fatalf("line %d is %d wide:\n%s", i, w, plain(l))
						}
					}
					golden.RequireEqual(t, []byte(out))
				})
			}
		}
	}
}
