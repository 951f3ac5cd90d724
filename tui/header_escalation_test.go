package tui

import (
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"warroom/backends/room"
	"warroom/panes/panestest"
)

// The header names the escalation of the worst unacknowledged alert at
// every width the room draws at, cutting the receivers before the clock.
func TestHeaderNamesTheEscalation(t *testing.T) {
	for _, w := range []int{80, 100, 120, 160} {
		m, _ := incModel(t, "li.wei", room.RoleCommander, panestest.Snapshot(), w, 40)
		h := firstLine(m)
		if ansi.StringWidth(h) != w {
			t.Errorf("at %d wide the header is %d cells: %q", w, ansi.StringWidth(h), h)
		}
		for _, want := range []string{"⇑ unacked 6m — escalated to pd-", "14:04", "3 unacked"} {
			if !strings.Contains(h, want) {
				t.Errorf("at %d wide the header %q lacks %q", w, h, want)
			}
		}
		if w >= 120 && !strings.Contains(h, "escalated to pd-managers, oncall-mail") {
			t.Errorf("at %d wide the header %q cuts the receivers", w, h)
		}
	}
}

func TestHeaderEscalationIsTheWorstUnacked(t *testing.T) {
	s := panestest.Snapshot()
	warn := &s.Alerts[2] // sao-paulo's lag, older than tokyo's alert
	warn.EscalatedTo = []string{"lag-team"}
	m, _ := incModel(t, "li.wei", room.RoleCommander, s, 160, 40)
	if h := firstLine(m); !strings.Contains(h, "escalated to pd-managers") || strings.Contains(h, "lag-team") {
		t.Fatalf("the header %q does not name the critical alert's escalation", h)
	}
	s.Alerts[1].Acked = true // tokyo's
	m, _ = incModel(t, "li.wei", room.RoleCommander, s, 160, 40)
	if h := firstLine(m); !strings.Contains(h, "unacked 25m — escalated to lag-team") {
		t.Fatalf("with tokyo's acknowledged the header %q does not name the warning's", h)
	}
	warn.Acked = true
	m, _ = incModel(t, "li.wei", room.RoleCommander, s, 160, 40)
	if h := firstLine(m); strings.Contains(h, "escalated") {
		t.Fatalf("with every escalated alert acknowledged the header %q still names one", h)
	}
}

// During an incident and a drill the 80-column header still fits: the
// escalation gives way to the RTO clock and the drill.
func TestHeaderEscalationGivesWayWhenFull(t *testing.T) {
	for name, s := range map[string]*room.Snapshot{"incident": panestest.IncidentSnapshot(), "drill": panestest.DrillSnapshot()} {
		s.Alerts = panestest.Alerts()
		m, _ := incModel(t, "li.wei", room.RoleCommander, s, 80, 24)
		h := firstLine(m)
		if ansi.StringWidth(h) != 80 || !strings.Contains(h, "14:04") {
			t.Errorf("%s: the header %q overflows or lost the clock", name, h)
		}
	}
}
