package panes

import (
	"strings"
	"testing"

	"github.com/muesli/termenv"

	"warroom/backends/room"
	"warroom/panes/panestest"
)

// In a cluster each person's row names the node hosting their session;
// outside one the column is not there.
func TestPresenceNamesEachSessionsNode(t *testing.T) {
	th := theme(t, "dark", termenv.Ascii)
	s := *panestest.IncidentSnapshot()
	if lines := plain(NewPresence().View(&s, th, 100, 8, false)); find(lines, "NODE") >= 0 {
		t.Fatalf("a NODE column outside a cluster:\n%s", strings.Join(lines, "\n"))
	}
	s.Presence = append([]room.PresenceView(nil), s.Presence...)
	for i := range s.Presence {
		s.Presence[i].Node = "eu-1"
	}
	s.Presence[1].Node = "ap-2"
	lines := plain(NewPresence().View(&s, th, 100, 8, false))
	row := lines[find(lines, "operator    ")]
	if find(lines, "NODE") < 0 || !strings.Contains(row, "ap-2") || strings.Contains(row, "eu-1") {
		t.Fatalf("li.wei's row %q in:\n%s", row, strings.Join(lines, "\n"))
	}
}
