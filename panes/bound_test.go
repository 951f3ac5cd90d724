package panes

import (
	"math"
	"runtime"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/muesli/termenv"

	"warroom/keymaps"
	"warroom/panes/panestest"
)

// drawer is one way of drawing something at a size.
type drawer struct {
	name string
	draw func(w, h int) string
}

func boundDrawers(t *testing.T) []drawer {
	th := theme(t, "dark", termenv.ANSI256)
	km := keymaps.Default()
	snap := panestest.Snapshot()
	var out []drawer
	for _, p := range append(allPanes(), NewActions(), NewPosts(), NewPresence(), NewIncident()) {
		out = append(out, drawer{p.ID(), func(w, h int) string { return p.View(snap, th, w, h, true) }})
		out = append(out, drawer{p.ID() + " waiting", func(w, h int) string { return p.View(nil, th, w, h, false) }})
	}
	return append(out,
		drawer{"frame", func(w, h int) string { return Frame(th, "Mirrors", "body", w, h, true) }},
		drawer{"help", func(w, h int) string { return HelpOverlay(th, km, w, h) }},
		drawer{"helpbar", func(w, _ int) string { return HelpBar(th, NewMirrors().Keys(km), w) }},
		drawer{"sparkline", func(w, _ int) string { return Sparkline([]float64{1, 2, 3}, w) }},
		drawer{"wrap", func(w, _ int) string { return strings.Join(Wrap("a few words to wrap", w), "\n") }},
	)
}

// allocated is the heap allocated while draw runs.
func allocated(draw func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	draw()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// A terminal's size is untrusted: whatever size a pane is given, it draws
// at most MaxWidth×MaxHeight, and allocates no more than at that size.
func TestHugeSizesDrawBounded(t *testing.T) {
	for _, d := range boundDrawers(t) {
		// A modest excess first: unbounded code fails here, cheaply,
		// before the sizes that would take the machine's memory.
		out := d.draw(2*MaxWidth, 2*MaxHeight)
		lines := strings.Split(out, "\n")
		if len(lines) > MaxHeight {
			t.Fatalf("%s at %d×%d: %d lines, want at most %d", d.name, 2*MaxWidth, 2*MaxHeight, len(lines), MaxHeight)
		}
		for i, l := range lines {
			if w := ansi.StringWidth(l); w > MaxWidth {
				t.Fatalf("%s at %d×%d: line %d is %d cells, want at most %d", d.name, 2*MaxWidth, 2*MaxHeight, i, w, MaxWidth)
			}
		}
		base := allocated(func() { d.draw(MaxWidth, MaxHeight) })
		for _, n := range []int{math.MaxUint16, math.MaxUint32, math.MaxInt} {
			got := allocated(func() { d.draw(n, n) })
			if limit := 2*base + 64<<10; got > limit {
				t.Fatalf("%s at %d×%d allocated %d bytes, at %d×%d %d: want at most %d", d.name, n, n, got, MaxWidth, MaxHeight, base, limit)
			}
		}
	}
}
