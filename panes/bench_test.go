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

// The mirrors view builds only the visible rows: drawing 20,000 mirrors
// allocates no more than drawing 200.
func TestMirrorsViewCostIndependentOfFleetSize(t *testing.T) {
	th := theme(t, "dark", termenv.ANSI256)
	allocs := func(n int) float64 {
		s := panestest.Big(n)
		p := NewMirrors()
		p.View(s, th, 158, 46, true) // order built once per snapshot
		return testing.AllocsPerRun(20, func() { p.View(s, th, 158, 46, true) })
	}
	small, big := allocs(200), allocs(20000)
	if big > small*1.1+5 {
		t.Fatalf("View allocates %.0f times for 20,000 mirrors, %.0f for 200: rows beyond the screen are being built", big, small)
	}
}

func TestVersionCountsViewStateChanges(t *testing.T) {
	km := keymaps.Default()
	s := panestest.Snapshot()
	th := theme(t, "dark", termenv.Ascii)
	tl := NewTimeline()
	tl.View(s, th, 80, 10, true)
	v := tl.Version()
	tl.Update(panestest.Press(km.Up), km, s) // already at the newest
	if tl.Version() != v {
		t.Error("a key that changed nothing bumped the version")
	}
	tl.Update(panestest.Press(km.Down), km, s)
	if tl.Version() == v {
		t.Error("scrolling did not bump the version")
	}
	m := NewMirrors()
	v = m.Version()
	m.Update(panestest.KeyMsg("x"), km, s) // not bound
	if m.Version() != v {
		t.Error("an unbound key bumped the version")
	}
}
