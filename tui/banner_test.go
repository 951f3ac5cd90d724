package tui

import (
	"strings"
	"testing"

	"warroom/keymaps"
	"warroom/panes/panestest"
)

// The banner takes a line of its own; the frame still fills the window
// exactly at the smallest sizes, and the review key survives the cut.
func TestBannerKeepsTheFrameToTheWindow(t *testing.T) {
	for _, sz := range [][2]int{{minWidth, minHeight}, {80, minHeight + 1}, {80, 24}, {160, 48}} {
		m, _ := actModel(t, keymaps.Default(), panestest.ProposalSnapshot(), sz[0], sz[1])
		out := m.View()
		fillsWindow(t, out, sz[0], sz[1])
		if lines := strings.Split(plain(out), "\n"); !strings.Contains(lines[1], "press ! to review") {
			t.Errorf("%d×%d: the second line is not the banner: %q", sz[0], sz[1], lines[1])
		}
	}
}
