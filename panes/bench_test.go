package panes

import (
	"testing"

	"github.com/muesli/termenv"

	"warroom/backends/room"
	"warroom/keymaps"
	"warroom/panes/panestest"
)

// BenchmarkMirrorsView2000 is a full-screen mirrors pane over 2,000
// mirrors: only the visible rows may cost anything.
func BenchmarkMirrorsView2000(b *testing.B) {
	th := theme(b, "dark", termenv.ANSI256)
	s := panestest.Big(2000)
	p := NewMirrors()
	km := keymaps.Default()
	p.View(s, th, 158, 46, true)
	for range 500 {
		p.Update(panestest.Press(km.Down), km, s) // cursor mid-list
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		p.View(s, th, 158, 46, true)
	}
}

// BenchmarkMirrorsViewSorted2000 adds a new snapshot every frame with a
// state sort and a filter, the worst case: order rebuilt each time.
func BenchmarkMirrorsViewSorted2000(b *testing.B) {
	th := theme(b, "dark", termenv.ANSI256)
	km := keymaps.Default()
	snaps := []*room.Snapshot{panestest.Big(2000), panestest.Big(2000)}
	p := NewMirrors()
	p.Update(panestest.Press(km.Sort), km, snaps[0])
	p.Update(panestest.Press(km.Filter), km, snaps[0])
	p.Update(panestest.KeyMsg("mirror-1"), km, snaps[0])
	p.Update(panestest.KeyMsg("enter"), km, snaps[0])
	b.ReportAllocs()
	b.ResetTimer()
	i := 0
	for b.Loop() {
		i++
		p.View(snaps[i%2], th, 158, 46, true)
	}
}

// BenchmarkTimelineView2000 is the timeline over 2,000 events.
func BenchmarkTimelineView2000(b *testing.B) {
	th := theme(b, "dark", termenv.ANSI256)
	s := panestest.Big(2000)
	p := NewTimeline()
	b.ReportAllocs()
	for b.Loop() {
		p.View(s, th, 158, 46, true)
	}
}
