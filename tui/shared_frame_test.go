package tui

import (
	"strings"
	"testing"
	"unsafe"

	"github.com/muesli/termenv"

	"warroom/panes/panestest"
)

// sameMemory says whether two frames are one shared string, not two
// equal ones: a shared frame is rendered once.
func sameMemory(a, b string) bool {
	return len(a) == len(b) && unsafe.StringData(a) == unsafe.StringData(b)
}

func TestSessionsOfOneSizeShareOneFrame(t *testing.T) {
	c := NewRenderCache()
	a, b, other := sharedModel(t, c, termenv.ANSI256), sharedModel(t, c, termenv.ANSI256), sharedModel(t, c, termenv.ANSI256)
	size(a, 120, 40)
	size(b, 120, 40)
	size(other, 100, 30)
	if fa, fb := a.View(), b.View(); !sameMemory(fa, fb) {
		t.Fatal("two untouched sessions of one size and style rendered a frame each")
	}
	if sameMemory(a.View(), other.View()) {
		t.Fatal("a session of another size got the 120×40 frame")
	}
	renders, _ := c.Stats()
	snap := *panestest.Snapshot()
	snap.Seq++
	for _, m := range []*Model{a, b} {
		m.Update(SnapshotMsg{Snap: &snap})
	}
	if fa, fb := a.View(), b.View(); !sameMemory(fa, fb) {
		t.Fatal("after a new snapshot the sessions no longer share their frame")
	}
	if r, _ := c.Stats(); r == renders {
		t.Fatal("a new snapshot was not rendered at all")
	}
}

func TestPersonalStateKeepsItsOwnFrame(t *testing.T) {
	c := NewRenderCache()
	a, b, d := sharedModel(t, c, termenv.ANSI256), sharedModel(t, c, termenv.ANSI256), sharedModel(t, c, termenv.ANSI256)
	for _, m := range []*Model{a, b, d} {
		size(m, 120, 40)
		m.View()
	}
	// a's own outcome (a refused key) shows in its footer only.
	press(a, a.km.Failover)
	if fa, fb := lastLine(a.View()), lastLine(b.View()); fa == fb {
		t.Fatalf("a's refusal is not on its screen alone: a's footer %q, b's %q", fa, fb)
	}
	// d looks at another pane: its frame is its own, b's still shared.
	press(d, d.km.Pane[paneLag])
	if fd, fb := d.View(), b.View(); sameMemory(fd, fb) || plain(fd) == plain(fb) {
		t.Fatal("d focused the lag pane but shows b's frame")
	}
	e := sharedModel(t, c, termenv.ANSI256)
	size(e, 120, 40)
	if !sameMemory(e.View(), b.View()) {
		t.Fatal("an untouched session no longer shares b's frame")
	}
}

func lastLine(frame string) string { return plain(frame[strings.LastIndexByte(frame, '\n')+1:]) }
