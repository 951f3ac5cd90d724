package tui

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
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
	screens := []struct {
		name string
		snap func() *room.Snapshot
		keys func(m *Model)
	}{
		{"actions_room", panestest.ActionsSnapshot, func(m *Model) {}},
		{"failover_candidates", func() *room.Snapshot { return actionRoomSnapshot("type-name") }, func(m *Model) {
			press(m, km.Failover)
		}},
		{"failover_confirm", func() *room.Snapshot { return actionRoomSnapshot("type-name") }, func(m *Model) {
			press(m, km.Failover)
			press(m, km.Down)
			press(m, km.Down)
			run(m, press(m, km.Confirm))
			typeKeys(m, "ams")
		}},
		{"proposal", func() *room.Snapshot { return actionRoomSnapshot("type-name") }, func(m *Model) {
			_, cmd := m.Update(SnapshotMsg{Snap: panestest.ProposalSnapshot()})
			run(m, cmd)
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
	for _, sc := range screens {
		for _, sz := range []struct{ w, h int }{{80, 24}, {160, 48}} {
			for _, prof := range []struct {
				name string
				p    termenv.Profile
			}{{"dark", termenv.ANSI256}, {"nocolor", termenv.Ascii}} {
				t.Run(fmt.Sprintf("%s/%s_%dx%d", sc.name, prof.name, sz.w, sz.h), func(t *testing.T) {
					rend := lipgloss.NewRenderer(io.Discard)
					rend.SetColorProfile(prof.p)
					th, err := themes.New("dark", rend)
					if err != nil {
						t.Fatal(err)
					}
					r := &fakeRoom{versions: fixtureVersions()}
					m := New(Options{Room: r, Theme: th, Keymap: km, Actor: room.Actor{Name: "li.wei", Role: room.RoleCommander}, Snapshot: sc.snap()})
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
