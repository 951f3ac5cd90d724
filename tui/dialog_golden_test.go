package tui

import (
	"io"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"warroom/backends/room"
	"warroom/keymaps"
	"warroom/panes/panestest"
	"warroom/themes"
)

// TestGoldenActionScreens renders the room with actions, and each step of
// the action dialogs, as a user sees them at 80×24 and 160×48, in the
// dark theme and without colour. go test -update rewrites them.
func TestGoldenActionScreens(t *testing.T) {
	km := keymaps.Default()
	screens := []goldenScreen{
		{"actions_room", panestest.ActionsSnapshot, func(m *Model) {}},
		{"failover_candidates", func() *room.Snapshot { return actionRoomSnapshot("type-name") }, func(m *Model) {
			press(m, km.Failover)
		}},
		{"failover_confirm", func() *room.Snapshot { return actionRoomSnapshot("type-name") }, func(m *Model) {
			press(m, km.Failover)
			press(m, km.Down) // ams-2: the drifted nyc-3 ranks after every fit mirror
			run(m, press(m, km.Confirm))
			typeKeys(m, "ams")
		}},
		{"proposal_banner", func() *room.Snapshot { return actionRoomSnapshot("type-name") }, func(m *Model) {
			m.Update(SnapshotMsg{Snap: panestest.ProposalSnapshot()})
		}},
		{"proposal", func() *room.Snapshot { return actionRoomSnapshot("type-name") }, func(m *Model) {
			m.Update(SnapshotMsg{Snap: panestest.ProposalSnapshot()})
			run(m, press(m, km.Review))
		}},
		{"rollback_versions", func() *room.Snapshot { return actionRoomSnapshot("type-name") }, func(m *Model) {
			press(m, km.Rollback)
			run(m, press(m, km.Confirm))
			press(m, km.Down)
		}},
		{"rollback_confirm", func() *room.Snapshot { return actionRoomSnapshot("type-name") }, func(m *Model) {
			press(m, km.Rollback)
			run(m, press(m, km.Confirm))
			press(m, km.Down)
			run(m, press(m, km.Confirm))
			typeKeys(m, "we")
		}},
		{"failback_yes", panestest.FailbackSnapshot, func(m *Model) { run(m, press(m, km.Failback)) }},
	}
	checkGoldenScreens(t, screens, func(t *testing.T, p termenv.Profile, s *room.Snapshot, w, h int) *Model {
		rend := lipgloss.NewRenderer(io.Discard)
		rend.SetColorProfile(p)
		th, err := themes.New("dark", rend)
		if err != nil {
			t.Fatal(err)
		}
		r := &fakeRoom{versions: fixtureVersions()}
		m := New(Options{Room: r, Theme: th, Keymap: km, Actor: room.Actor{Name: "li.wei", Role: room.RoleCommander}, Snapshot: s})
		size(m, w, h)
		return m
	})
}
