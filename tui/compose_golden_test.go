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

// TestGoldenAnnounceScreens renders the composer's steps and the room with
// posts in every state, at 80×24 and 160×48, in the dark theme and without
// colour. go test -update rewrites them.
func TestGoldenAnnounceScreens(t *testing.T) {
	km := keymaps.Default()
	screens := []struct {
		name string
		snap func() *room.Snapshot
		keys func(m *Model)
	}{
		{"compose_templates", roomWithChannels, func(m *Model) { press(m, km.Announce) }},
		{"compose_slack", roomWithChannels, func(m *Model) {
			press(m, km.Announce)
			press(m, km.Confirm)
			press(m, km.Confirm) // edit the title
			runAll(m, typeKeys(m, "tokyo unreachable"))
			press(m, km.Confirm)
			press(m, km.NextPane)
		}},
		{"compose_dingtalk_keyword", roomWithChannels, func(m *Model) {
			press(m, km.Announce)
			press(m, km.Confirm)
			press(m, km.NextPane)
			press(m, km.NextPane)
		}},
		{"compose_editing", roomWithChannels, func(m *Model) {
			press(m, km.Announce)
			press(m, km.Confirm)
			press(m, km.Down)
			press(m, km.Confirm)
			runAll(m, typeKeys(m, "SEV2"))
		}},
		{"compose_render_error", roomWithChannels, func(m *Model) {
			press(m, km.Announce)
			press(m, km.Bottom)
			press(m, km.Confirm)
		}},
		{"posts_room", panestest.PostsSnapshot, func(m *Model) {
			m.Update(panestest.KeyMsg("7"))
			for m.posts.Selected(m.snap).ID != "post-3" {
				press(m, km.Down)
			}
		}},
	}
	for _, sc := range screens {
		for _, sz := range []struct{ w, h int }{{80, 24}, {160, 48}} {
			for _, prof := range []struct {
				name string
				p    termenv.Profile
			}{{"dark", termenv.ANSI256}, {"nocolor", termenv.Ascii}} {
				t.Run(fmt.Sprintf("%s/%s_%dx%d", sc.name, prof.name, sz.w, sz.h), func(t *testing.T) {
					m, _ := announceModel(t, km, prof.p, sc.snap(), sz.w, sz.h)
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
