package tui

import (
	"testing"

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
	screens := []goldenScreen{
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
	checkGoldenScreens(t, screens, func(t *testing.T, p termenv.Profile, s *room.Snapshot, w, h int) *Model {
		m, _ := announceModel(t, km, p, s, w, h)
		return m
	})
}
