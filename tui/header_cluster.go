package tui

import (
	"warroom/backends/room"
	"warroom/themes"
)

// clusterBadges are the header's marks of a clustered room: "no quorum —
// read-only" at every width (nothing done here is recorded), and, when
// there is room, this node's part: LEADER or "replica of NODE", with the
// leader's term, which changes each time the room moves.
func (m *Model) clusterBadges(long bool) []string {
	th, s := m.th, m.snap
	var out []string
	if s.NoQuorum != "" {
		out = append(out, th.Crit.Render(themes.Symbol("critical")+" "+s.NoQuorum))
	}
	if !long {
		return out
	}
	term := ""
	if s.LeaderTerm != "" {
		term = " term " + s.LeaderTerm
	}
	switch s.Role {
	case room.RoleLeader:
		out = append(out, th.Info.Render("LEADER"+term))
	case room.RoleReplica:
		text := "replica"
		if s.Leader != "" {
			text += " of " + s.Leader + term
		}
		out = append(out, th.Muted.Render(text))
	}
	return out
}
