package panes

import (
	"strings"
	"testing"
	"time"

	"github.com/muesli/termenv"

	"warroom/backends/room"
	"warroom/panes/panestest"
)

// lagRow is the Sync lag pane's row of mirror name at w×h.
func lagRow(t *testing.T, s *room.Snapshot, name string, w, h int) string {
	t.Helper()
	th := theme(t, "dark", termenv.Ascii)
	p := NewLag()
	p.Sync(s, w, h)
	out := p.View(s, th, w, h, false)
	checkSize(t, "lag", out, w, h)
	for _, l := range plain(out) {
		if strings.Contains(l, " "+name+" ") {
			return l
		}
	}
	t.Fatalf("no row for %s:\n%s", name, strings.Join(plain(out), "\n"))
	return ""
}

// A shrinking lag has ↘ and its ETA, counting down with the room's clock;
// a growing one ↗ and no ETA; a steady one neither; at every width.
func TestLagPaneShowsTheCatchUpForecast(t *testing.T) {
	s := panestest.Snapshot()
	for _, w := range []int{60, 78, 118, 158} {
		if row := lagRow(t, s, "sao-paulo", w, 12); !strings.Contains(row, "2h10m↘") || !strings.Contains(row, "~11m") {
			t.Errorf("%d wide: sao-paulo catching up, want ↘ and ~11m: %q", w, row)
		}
		if row := lagRow(t, s, "lon-edge", w, 12); !strings.Contains(row, "12m00s↗") || strings.Contains(row, "~") {
			t.Errorf("%d wide: lon-edge falling behind, want ↗ and no ETA: %q", w, row)
		}
		if row := lagRow(t, s, "nyc-3", w, 12); strings.ContainsAny(row, "↘↗~") {
			t.Errorf("%d wide: nyc-3 steady, want no mark: %q", w, row)
		}
	}
	later := *s
	later.At = s.At.Add(5 * time.Minute)
	if row := lagRow(t, &later, "sao-paulo", 118, 12); !strings.Contains(row, "~6m") {
		t.Errorf("five minutes later, want ~6m left: %q", row)
	}
	later.At = s.At.Add(time.Hour)
	if row := lagRow(t, &later, "sao-paulo", 118, 12); !strings.Contains(row, "~0s") {
		t.Errorf("past its ETA and not caught up yet, want ~0s: %q", row)
	}
}

// Without a trend anywhere, the status line has no legend of the marks.
func TestLagLegendOnlyWithATrend(t *testing.T) {
	s := panestest.Snapshot()
	legend := func(s *room.Snapshot) bool {
		p := NewLag()
		p.Sync(s, 118, 12)
		return strings.Contains(plain(p.View(s, theme(t, "dark", termenv.Ascii), 118, 12, false))[0], "↘ shrinking  ↗ growing")
	}
	if !legend(s) {
		t.Error("no legend with trends shown")
	}
	calm := *s
	calm.Mirrors = nil
	for _, m := range s.Mirrors {
		c := *m
		c.CatchUp = room.CatchUp{}
		calm.Mirrors = append(calm.Mirrors, &c)
	}
	if legend(&calm) {
		t.Error("a legend without any trend")
	}
}
