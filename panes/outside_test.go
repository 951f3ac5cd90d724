package panes

import (
	"strings"
	"testing"

	"github.com/muesli/termenv"

	"warroom/panes/panestest"
)

// An event from a journal no room cleaned (or any other path) still reaches
// the screen without escape sequences, controls or bidi overrides.
func TestTimelineRendersOutsideTextInert(t *testing.T) {
	th := theme(t, "dark", termenv.Ascii)
	s := panestest.Snapshot()
	ev := s.Timeline[len(s.Timeline)-1]
	ev.Seq++
	ev.Subject = "tokyo\u202e"
	ev.Text = "hook said \x1b[2J\x1b]0;pwned\x07 \u009b31mred\u2066 done"
	ev.Actor = "mei\x1b[5m"
	s.Timeline = append(s.Timeline[:len(s.Timeline):len(s.Timeline)], ev)
	out := NewTimeline().View(s, th, 160, 10, true)
	if strings.ContainsAny(out, "\x1b\x07\u009b\u202e\u2066") {
		t.Fatalf("timeline shows controls: %q", out)
	}
	if first := strings.Split(out, "\n")[0]; !strings.Contains(first, "hook said") || !strings.Contains(first, "done") {
		t.Fatalf("the event's words are missing: %q", first)
	}
}
