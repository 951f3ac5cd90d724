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
	top := 1
	if m.banner(m.width) != "" {
		top++
	}
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

// A banner under the header takes its line from the top panes: every
// other pane keeps its place and size on the screen.
func TestBannerKeepsPanesInPlace(t *testing.T) {
	for _, sz := range []struct{ w, h int }{{80, 22}, {120, 38}, {160, 46}} {
		for _, inc := range []bool{false, true} {
			pl := places{shared: paneAlerts, log: paneTimeline, ctx: paneHosts, incident: inc, alerts: 4}
			without := layout(sz.w, sz.h, pl)
			pl.banner = true
			with := layout(sz.w, sz.h-1, pl)
			for i := range without {
				a, b := without[i], with[i]
				switch {
				case a.w == 0:
					if b.w != 0 {
						t.Errorf("%dx%d: pane %d shows only with the banner", sz.w, sz.h, i)
					}
				case a.y == 0:
					if b.y != 0 || b.h != a.h-1 || b.x != a.x || b.w != a.w {
						t.Errorf("%dx%d incident %v: top pane %d at %+v, then %+v: want one line less", sz.w, sz.h, inc, i, a, b)
					}
				case b.y+1 != a.y || b.h != a.h || b.x != a.x || b.w != a.w:
					t.Errorf("%dx%d incident %v: pane %d moved from %+v (on screen) to %+v (one line lower in the body)", sz.w, sz.h, inc, i, a, b)
				}
			}
		}
	}
}

// The Alerts pane grows with its alerts, within limits: the middle row of
// a narrow screen keeps room for the lag's pinned mirrors.
func TestAlertsPaneTakesTheRoomItNeeds(t *testing.T) {
	for _, sz := range []struct{ w, h int }{{80, 22}, {80, 38}, {120, 38}, {160, 46}} {
		pl := places{shared: paneAlerts, log: paneTimeline, ctx: paneHosts}
		pl.alerts = 2
		few := layout(sz.w, sz.h, pl)[paneAlerts]
		pl.alerts = 12
		many := layout(sz.w, sz.h, pl)
		if many[paneAlerts].h < few.h {
			t.Errorf("%dx%d: alerts pane shrank from %d to %d lines with more alerts", sz.w, sz.h, few.h, many[paneAlerts].h)
		}
		if sz.w < wideLayout && many[paneLag].h < 7 {
			t.Errorf("%dx%d: the lag pane fell to %d lines", sz.w, sz.h, many[paneLag].h)
		}
		if sz.w >= wideLayout && many[paneAlerts].h <= few.h {
			t.Errorf("%dx%d: alerts pane did not grow for 12 alerts (%d lines)", sz.w, sz.h, few.h)
		}
		if sz.w == 80 && sz.h == 38 && many[paneAlerts].h != alertsNeed(12) {
			t.Errorf("80x38: alerts pane %d lines for 12 alerts, want %d", many[paneAlerts].h, alertsNeed(12))
		}
	}
}
