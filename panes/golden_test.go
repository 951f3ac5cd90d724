package panes

import (
	"fmt"
	"testing"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"

	"warroom/keymaps"
	"warroom/panes/panestest"
	"warroom/themes"
)

// goldenSets are the (profile, themes) combinations with golden screens:
// every theme in 256 colours, and the dark theme without colour (NO_COLOR).
func goldenSets() []struct {
	name    string
	profile termenv.Profile
	themes  []string
} {
	return []struct {
		name    string
		profile termenv.Profile
		themes  []string
	}{
		{"ansi256", termenv.ANSI256, themes.Names()},
		{"ascii", termenv.Ascii, []string{"dark"}},
	}
}

// TestGoldenPanes renders each pane, framed and focused, from the fixture
// with the cursor moved off the first row. go test -update rewrites them.
func TestGoldenPanes(t *testing.T) {
	km := keymaps.Default()
	s := panestest.Snapshot()
	for _, set := range goldenSets() {
		for _, name := range set.themes {
			th := theme(t, name, set.profile)
			for _, sz := range [][2]int{{80, 24}, {120, 40}, {160, 48}} {
				for _, p := range allPanes() {
					w, h := sz[0], sz[1]
					t.Run(fmt.Sprintf("%s/%s/%s/%dx%d", set.name, name, p.ID(), w, h), func(t *testing.T) {
						p.Sync(s, w-2, h-2)
						p.Update(panestest.Press(km.Down), km, s)
						p.Update(panestest.Press(km.Down), km, s)
						out := Frame(th, p.Title(), p.View(s, th, w-2, h-2, true), w, h, true)
						checkSize(t, p.ID(), out, w, h)
						golden.RequireEqual(t, out)
					})
				}
			}
		}
	}
}

// TestGoldenChrome covers an unfocused frame, the help bar and the help
// overlay.
func TestGoldenChrome(t *testing.T) {
	km := keymaps.Default()
	km.KillLeader.SetEnabled(false) // as every session but the cluster demo's has it
	s := panestest.Snapshot()
	for _, set := range goldenSets() {
		for _, name := range set.themes {
			th := theme(t, name, set.profile)
			t.Run(fmt.Sprintf("%s/%s/unfocused", set.name, name), func(t *testing.T) {
				p := NewMirrors()
				out := Frame(th, p.Title(), p.View(s, th, 78, 10, false), 80, 12, false)
				checkSize(t, "frame", out, 80, 12)
				golden.RequireEqual(t, out)
			})
			t.Run(fmt.Sprintf("%s/%s/helpbar", set.name, name), func(t *testing.T) {
				out := HelpBar(th, NewMirrors().Keys(km), 80)
				checkSize(t, "helpbar", out, 80, 1)
				golden.RequireEqual(t, out)
			})
			for _, sz := range [][2]int{{80, 24}, {160, 48}} {
				t.Run(fmt.Sprintf("%s/%s/help/%dx%d", set.name, name, sz[0], sz[1]), func(t *testing.T) {
					out := HelpOverlay(th, km, sz[0], sz[1])
					checkSize(t, "help", out, sz[0], sz[1])
					golden.RequireEqual(t, out)
				})
			}
		}
	}
}
