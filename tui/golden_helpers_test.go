package tui

import (
	"fmt"
	"strings"
	"testing"

	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"

	"warroom/backends/room"
)

// fillsWindow fails unless the frame is exactly the window: h lines, each
// w cells wide.
func fillsWindow(t *testing.T, out string, w, h int) {
	t.Helper()
	lines := strings.Split(out, "\n")
	if len(lines) != h {
		t.Fatalf("%d lines, want exactly the window height %d", len(lines), h)
	}
	for i, l := range lines {
		if lw := lipgloss.Width(l); lw != w {
			t.Fatalf("line %d is %d wide, want %d:\n%s", i, lw, w, plain(l))
		}
	}
}

// goldenScreen is one screen of a golden test: the snapshot the room
// starts from and the keys that lead to the screen.
type goldenScreen struct {
	name string
	snap func() *room.Snapshot
	keys func(m *Model)
}

// checkGoldenScreens renders each screen at 80×24, 120×40 and 160×48, in colour and
// without, from a model open makes at that size; each frame must fill the
// window and equal its golden file (go test -update rewrites them).
func checkGoldenScreens(t *testing.T, screens []goldenScreen, open func(t *testing.T, p termenv.Profile, s *room.Snapshot, w, h int) *Model) {
	t.Helper()
	for _, sc := range screens {
		for _, sz := range []struct{ w, h int }{{80, 24}, {120, 40}, {160, 48}} {
			for _, prof := range []struct {
				name string
				p    termenv.Profile
			}{{"dark", termenv.ANSI256}, {"nocolor", termenv.Ascii}} {
				t.Run(fmt.Sprintf("%s/%s_%dx%d", sc.name, prof.name, sz.w, sz.h), func(t *testing.T) {
					m := open(t, prof.p, sc.snap(), sz.w, sz.h)
					sc.keys(m)
					out := m.View()
					fillsWindow(t, out, sz.w, sz.h)
					golden.RequireEqual(t, []byte(out))
				})
			}
		}
	}
}
