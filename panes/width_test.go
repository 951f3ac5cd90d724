package panes

import (
	"strings"
	"testing"

	"github.com/muesli/termenv"

	"warroom/panes/panestest"
)

// The timeline cuts an entry's text, never the mirror it is about.
func TestTimelineKeepsTheSubjectAtEveryWidth(t *testing.T) {
	th := theme(t, "dark", termenv.Ascii)
	s := panestest.Snapshot()
	for _, w := range []int{30, 36, 44, 60} {
		p := NewTimeline()
		p.Sync(s, w, 10)
		out := plain(p.View(s, th, w, 10, false))
		for r, line := range out {
			if subj := s.Timeline[len(s.Timeline)-1-r].Subject; !strings.Contains(line, subj) {
				t.Errorf("%d wide: row %q lost its subject %q", w, line, subj)
			}
		}
	}
}

// With the room to spare, a reason and a region show whole instead of
// being cut at a fixed width.
func TestReasonAndRegionTakeTheFreeWidth(t *testing.T) {
	th := theme(t, "dark", termenv.Ascii)
	s := panestest.Snapshot()
	p := NewMirrors()
	p.Sync(s, 190, 12)
	out := plain(p.View(s, th, 190, 12, false))
	for _, want := range []string{s.Mirrors[2].Reason, "us-west-2-backup-zone", "ap-northeast"} {
		if !contains(out, want) {
			t.Errorf("190 wide: %q is cut:\n%s", want, strings.Join(out, "\n"))
		}
	}
	// Narrow texts leave their room to the reason: at 120 the reason gets
	// more than the 20-odd cells it had.
	p.Sync(s, 118, 12)
	out = plain(p.View(s, th, 118, 12, false))
	if !contains(out, "unreachable: dial tcp 203.0.113.9:443") {
		t.Errorf("118 wide: the reason is cut short:\n%s", strings.Join(out, "\n"))
	}
}

func contains(lines []string, sub string) bool {
	for _, l := range lines {
		if strings.Contains(l, sub) {
			return true
		}
	}
	return false
}
