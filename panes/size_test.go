package panes

import (
	"testing"

	"github.com/muesli/termenv"

	"warroom/backends/room"
	"warroom/keymaps"
	"warroom/panes/panestest"
)

// sizes is every width 1..200 at a few heights and every height 1..60 at
// a few widths: all the narrow and short edge cases, in a few seconds.
func sizes() [][2]int {
	var out [][2]int
	for w := 1; w <= 200; w++ {
		for _, h := range []int{1, 2, 3, 4, 7, 24, 60} {
			out = append(out, [2]int{w, h})
		}
	}
	for h := 1; h <= 60; h++ {
		for _, w := range []int{1, 2, 3, 5, 9, 17, 40, 79, 80, 120, 199} {
			out = append(out, [2]int{w, h})
		}
	}
	return out
}

// Every pane, with data, with none and with nil, at every size, is exactly
// the size asked for and never panics; so are the frame and the help.
func TestEverySizeFits(t *testing.T) {
	th := theme(t, "dark", termenv.ANSI256)
	km := keymaps.Default()
	full := panestest.Snapshot()
	empty := &room.Snapshot{At: full.At}
	for _, p := range allPanes() {
		p.View(full, th, 80, 10, true)
		p.Update(panestest.Press(km.Down), km, full) // a cursor off the top
		for i, sz := range sizes() {
			w, h := sz[0], sz[1]
			checkSize(t, p.ID(), p.View(full, th, w, h, true), w, h)
			if i%5 == 0 { // the waiting and empty bodies are one line: a sample will do
				checkSize(t, p.ID(), p.View(empty, th, w, h, true), w, h)
				checkSize(t, p.ID(), p.View(nil, th, w, h, false), w, h)
				checkSize(t, "frame", Frame(th, p.Title(), p.View(full, th, max(0, w-2), max(0, h-2), false), w, h, true), w, h)
			}
		}
	}
	for i, sz := range sizes() {
		if i%3 != 0 {
			continue
		}
		checkSize(t, "help", HelpOverlay(th, km, sz[0], sz[1]), sz[0], sz[1])
		checkSize(t, "helpbar", HelpBar(th, NewMirrors().Keys(km), sz[0]), sz[0], 1)
	}
	for _, sz := range [][2]int{{0, 0}, {0, 5}, {5, 0}, {-1, -1}} {
		for _, p := range allPanes() {
			checkSize(t, p.ID(), p.View(full, th, sz[0], sz[1], true), sz[0], sz[1])
		}
		checkSize(t, "frame", Frame(th, "x", "", sz[0], sz[1], true), sz[0], sz[1])
		checkSize(t, "help", HelpOverlay(th, km, sz[0], sz[1]), sz[0], sz[1])
	}
}
