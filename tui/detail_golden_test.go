package tui

import (
	"io"
	"testing"
	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"warroom/backends/room"
	"warroom/keymaps"
	"warroom/panes/panestest"
	"warroom/themes"
)

// TestGoldenDetailScreens: the mirror detail over the room, for a mirror
// catching up (forecast, serial history) and for a drifted one on a hot
// host serving users 5xx (manifests, host row, traffic), at every size, in the dark theme and
// without colour. go test -update rewrites them.
func TestGoldenDetailScreens(t *testing.T) {
	km := keymaps.Default()
	detailOf := func(name string) func(m *Model) {
		return func(m *Model) {
			press(m, m.paneKey(paneMirrors))
			for range len(m.snap.Mirrors) {
				if sel := m.mirrors.Selected(m.snap); sel != nil && sel.Name == name {
					break
				}
				press(m, km.Down)
			}
			press(m, km.Detail)
		}
	}
	withTraffic := func() *room.Snapshot {
		s := panestest.FleetSnapshot()
		for _, mv := range s.Mirrors {
			if mv.Name == "nyc-3" {
				mv.Host = "web1"
				mv.Traffic = &room.TrafficView{ReqRate: 41.5, Share5xx: 0.3, Answers: 2490, RespTime: 180 * time.Millisecond,
					Baseline: 60 * time.Millisecond, At: s.At, Errors: true}
			}
		}
		return s
	}
	screens := []goldenScreen{
		{"detail_catching_up", panestest.Snapshot, detailOf("sao-paulo")},
		{"detail_drift_traffic", withTraffic, detailOf("nyc-3")},
	}
	checkGoldenScreens(t, screens, func(t *testing.T, p termenv.Profile, s *room.Snapshot, w, h int) *Model {
		rend := lipgloss.NewRenderer(io.Discard)
		rend.SetColorProfile(p)
		th, err := themes.New("dark", rend)
		if err != nil {
			t.Fatal(err)
		}
		m := New(Options{Room: &fakeRoom{}, Theme: th, Keymap: km, Actor: room.Actor{Name: "sam", Role: room.RoleObserver}, Snapshot: s})
		size(m, w, h)
		return m
	})
}
