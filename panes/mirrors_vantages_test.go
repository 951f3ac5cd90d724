package panes

import (
	"strings"
	"testing"

	"github.com/muesli/termenv"

	"warroom/backends/room"
	"warroom/panes/panestest"
)

// clusterSnapshot is the fixture seen from three regions: ams-2 down from
// eu-west only, us-east isolated on the last mirror's row.
func clusterSnapshot() *room.Snapshot {
	s := panestest.Snapshot()
	s.Vantages = []room.VantageView{{Node: "c", Region: "ap-south"}, {Node: "a", Region: "eu-west", Own: true},
		{Node: "b", Region: "us-east", Isolated: true}}
	for _, m := range s.Mirrors {
		m.Votes = []room.Vote{{Node: "c", State: room.StateUp, Counted: true}, {Node: "a", State: room.StateUp, Counted: true},
			{Node: "b", State: room.StateDown}}
	}
	ams := s.Mirrors[1]
	ams.State, ams.Reason, ams.DownFrom = room.StatePartial, "down from eu-west: unreachable: connection refused", []string{"eu-west"}
	ams.Votes[1].State = room.StateDown
	return s
}

func TestMirrorsShowAMarkPerVantage(t *testing.T) {
	th := theme(t, "dark", termenv.Ascii)
	s := clusterSnapshot()
	p := NewMirrors()
	p.Sync(s, 160, 12)
	lines := plain(p.View(s, th, 160, 12, false))
	if !strings.Contains(lines[0], "◐ 1 partial") || !strings.Contains(lines[0], "seen from ap-south eu-west us-east(isolated)") {
		t.Fatalf("status line: %q", lines[0])
	}
	if !strings.Contains(lines[1], "SEEN") {
		t.Fatalf("header: %q", lines[1])
	}
	row := lines[find(lines, "ams-2")]
	for _, want := range []string{"◐ partial", "●✖·", "down from eu-west: unreachable"} {
		if !strings.Contains(row, want) {
			t.Errorf("ams-2's row lacks %q: %q", want, row)
		}
	}
	checkSize(t, "mirrors", p.View(s, th, 160, 12, false), 160, 12)

	// One vantage: no column, no note, as before the cluster.
	alone := panestest.Snapshot()
	lines = plain(p.View(alone, th, 160, 12, false))
	if strings.Contains(lines[1], "SEEN") || strings.Contains(lines[0], "seen from") {
		t.Fatalf("single vantage shows the cluster's column:\n%s", strings.Join(lines[:2], "\n"))
	}
}

func TestMirrorsVantageMarksFitNarrowScreens(t *testing.T) {
	th := theme(t, "dark", termenv.Ascii)
	s := clusterSnapshot()
	for _, w := range []int{20, 40, 80} {
		p := NewMirrors()
		p.Sync(s, w, 10)
		checkSize(t, "mirrors", p.View(s, th, w, 10, true), w, 10)
	}
}
