package tui

import (
	"context"

	tea "github.com/charmbracelet/bubbletea"

	"warroom/backends/room"
	"warroom/themes"
)

// killLeader runs the demo's kill of the leading node off the UI loop and
// says which node it killed; the header then shows the room moving.
func (m *Model) killLeader() tea.Cmd {
	kill := m.opts.KillLeader
	if kill == nil {
		return nil
	}
	return m.call(0, func(ctx context.Context, _ Room, _ room.Actor) (any, error) { return kill(ctx) },
		func(m *Model, val any, err error) {
			if err != nil {
				m.say(themes.Symbol("critical")+" kill the leader: "+err.Error(), true)
				return
			}
			m.say("killed "+val.(string)+" (SIGKILL): watch another node take the room over", false)
		})
}
