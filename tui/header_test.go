package tui

import (
	"strings"
	"testing"

	"warroom/backends/room"
	"warroom/panes/panestest"
)

// firstLine is the header as a person reads it.
func firstLine(m *Model) string {
	line, _, _ := strings.Cut(plain(m.View()), "\n")
	return line
}

func TestHeaderSymbolIsTheWorstUnackedSeverity(t *testing.T) {
	cases := []struct {
		name  string
		edit  func([]room.Alert) []room.Alert
		want  string
		never []string
	}{
		{"a critical open", func(a []room.Alert) []room.Alert { return a }, "✖ 4 alerts (3 unacked)", []string{"▲ 4 alerts"}},
		{"warnings only", func(a []room.Alert) []room.Alert { return a[2:] }, "▲ 2 alerts (1 unacked)", []string{"✖ 2 alerts"}},
		{"criticals acknowledged", func(a []room.Alert) []room.Alert {
			for i := range a {
				a[i].Acked = true
			}
			return a
		}, "4 alerts", []string{"✖ 4", "▲ 4", "unacked"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := panestest.Snapshot()
			s.Alerts = c.edit(s.Alerts)
			m, _ := incModel(t, "li.wei", room.RoleCommander, s, 160, 48)
			h := firstLine(m)
			if !strings.Contains(h, c.want) {
				t.Fatalf("header %q lacks %q", h, c.want)
			}
			for _, n := range c.never {
				if strings.Contains(h, n) {
					t.Fatalf("header %q shows %q", h, n)
				}
			}
		})
	}
}

// The room's clock stays in the header during incidents and drills, at
// every width the room draws at; the site name and the words go first.
func TestHeaderKeepsTheClockDuringIncidentsAndDrills(t *testing.T) {
	for name, s := range map[string]*room.Snapshot{
		"quiet": panestest.Snapshot(), "incident": panestest.IncidentSnapshot(), "drill": panestest.DrillSnapshot(),
	} {
		for _, w := range []int{80, 100, 120, 160} {
			m, _ := incModel(t, "li.wei", room.RoleCommander, s, w, 40)
			h := firstLine(m)
			if !strings.Contains(h, "14:04") {
				t.Errorf("%s at %d wide: header %q lost the clock", name, w, h)
			}
			if !strings.Contains(h, "✖ 1") || !strings.Contains(h, "unacked") {
				t.Errorf("%s at %d wide: header %q lost the fleet or the alerts", name, w, h)
			}
			if s.Incident != nil && !strings.Contains(h, "RTO") {
				t.Errorf("%s at %d wide: header %q lost the RTO clock", name, w, h)
			}
			if s.Drill != nil && !strings.Contains(h, "DRILL") {
				t.Errorf("%s at %d wide: header %q lost the drill", name, w, h)
			}
		}
	}
}

// A clustered room says its part; without quorum it says so at every width.
func TestHeaderShowsTheClusterMode(t *testing.T) {
	for _, c := range []struct {
		role, leader, noQuorum, term string
		want                         []string
		narrow                       []string
	}{
		{role: room.RoleLeader, want: []string{"LEADER"}},
		{role: room.RoleLeader, term: "7", want: []string{"LEADER term 7"}},
		{role: room.RoleReplica, leader: "eu-1", want: []string{"replica of eu-1"}},
		{role: room.RoleReplica, leader: "eu-1", term: "7", want: []string{"replica of eu-1 term 7"}},
		{role: room.RoleReplica, noQuorum: room.NoQuorumText, want: []string{"no quorum — read-only", "replica"},
			narrow: []string{"no quorum — read-only"}},
		{want: nil, narrow: nil},
	} {
		s := panestest.Snapshot()
		s.Role, s.Leader, s.NoQuorum, s.LeaderTerm = c.role, c.leader, c.noQuorum, c.term
		for _, w := range []int{80, 160} {
			m, _ := incModel(t, "li.wei", room.RoleCommander, s, w, 40)
			h := firstLine(m)
			want := c.want
			if w == 80 {
				want = c.narrow
			}
			for _, x := range want {
				if !strings.Contains(h, x) {
					t.Errorf("%s/%s at %d wide: header %q lacks %q", c.role, c.noQuorum, w, h, x)
				}
			}
			if c.role == "" && (strings.Contains(h, "LEADER") || strings.Contains(h, "replica")) {
				t.Errorf("a room outside a cluster says %q", h)
			}
			if !strings.Contains(h, "14:04") {
				t.Errorf("%s at %d wide: header %q lost the clock", c.role, w, h)
			}
		}
	}
}
