package tui

import (
	"math"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"warroom/keymaps"
	"warroom/panes"
)

// A window size is untrusted input: the app draws at most
// panes.MaxWidth×panes.MaxHeight whatever it is told, the too-small
// screen included. The modest sizes come first, so code that is not
// bounded fails there instead of taking the machine's memory.
func TestHugeWindowDrawsBounded(t *testing.T) {
	m := newModel(t, "dark", termenv.ANSI256, keymaps.Default(), nil)
	sizes := [][2]int{
		{2 * panes.MaxWidth, 2 * panes.MaxHeight}, {1, 2 * panes.MaxHeight},
		{math.MaxUint16, math.MaxUint16}, {1, math.MaxUint32}, {math.MaxUint32, math.MaxUint32},
	}
	for _, sz := range sizes {
		size(m, sz[0], sz[1])
		lines := strings.Split(m.View(), "\n")
		if len(lines) > panes.MaxHeight {
			t.Fatalf("%d×%d: %d lines, want at most %d", sz[0], sz[1], len(lines), panes.MaxHeight)
		}
		for i, l := range lines {
			if w := ansi.StringWidth(l); w > panes.MaxWidth {
				t.Fatalf("%d×%d: line %d is %d cells, want at most %d", sz[0], sz[1], i, w, panes.MaxWidth)
			}
		}
	}
}
