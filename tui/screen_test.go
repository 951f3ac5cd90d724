package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"warroom/backends/room"
	"warroom/panes/panestest"
)

// paneText is what pane i shows on the screen, border included, as plain
// lines.
func paneText(m *Model, i int) []string {
	lines := strings.Split(plain(m.View()), "\n")
	top := chromeLines - 1 // the header and the review line
	r := m.paneRects()[i]
	var out []string
	for y := r.y; y < r.y+r.h; y++ {
		out = append(out, ansi.Cut(lines[top+y], r.x, r.x+r.w))
	}
	return out
}

func contains(lines []string, sub string) bool {
	for _, l := range lines {
		if strings.Contains(l, sub) {
			return true
		}
	}
	return false
}

// lastActiveDown is the fixture with the active mirror last but one in
// config order and down, and syd down too.
func lastActiveDown() *room.Snapshot {
	s := panestest.Snapshot()
	for _, mv := range s.Mirrors {
		c := *mv
		switch c.Name {
		case "fra-1":
			c.Role = "backup"
		case "lon-edge":
			c.Role, c.State, c.Status, c.Reason = "active", room.StateDown, 0, "unreachable: connection refused"
		}
		*mv = c
	}
	return s
}

// At 80×24, with or without a banner, the down active mirror shows in the
// Mirrors and Sync lag panes whichever row the cursor is on, and the
// Alerts pane opens on a critical alert.
func TestTheImportantThingIsVisibleAt80x24(t *testing.T) {
	for _, banner := range []bool{false, true} {
		s := lastActiveDown()
		if banner {
			s.Proposals = []room.Proposal{{Rule: "active-down", Request: room.Request{Kind: room.Failover, From: "lon-edge", To: "ams-2", Rule: "active-down"}, At: s.At}}
		}
		m, _ := incModel(t, "li.wei", room.RoleCommander, s, 80, 24)
		if (m.banner(80) != "") != banner {
			t.Fatalf("banner %v: want %v", m.banner(80) != "", banner)
		}
		for _, down := range []int{0, 1} { // the cursor on the first row, then the second
			if down == 1 {
				run(m, press(m, m.km.Down))
			}
			mirrors, lag := paneText(m, paneMirrors), paneText(m, paneLag)
			if !contains(mirrors, "lon-edge") || !contains(mirrors, "more") {
				t.Errorf("banner %v, cursor row %d: Mirrors pane lacks the down active lon-edge or its +N more:\n%s", banner, down, strings.Join(mirrors, "\n"))
			}
			if !contains(lag, "lon-edge") {
				t.Errorf("banner %v, cursor row %d: Sync lag pane lacks the active lon-edge:\n%s", banner, down, strings.Join(lag, "\n"))
			}
		}
		alerts := paneText(m, paneAlerts)
		if len(alerts) < 4 || !strings.Contains(alerts[3], "✖ critical") {
			t.Errorf("banner %v: the Alerts pane does not open on a critical alert:\n%s", banner, strings.Join(alerts, "\n"))
		}
	}
}
