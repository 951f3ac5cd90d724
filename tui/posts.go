package tui

import (
	"context"
	"fmt"

	tea "github.com/charmbracelet/bubbletea"

	"warroom/backends/room"
	"warroom/themes"
)

// retryPost asks the room to send post id again.
func (m *Model) retryPost(id string) tea.Cmd {
	if ok, why := m.may(room.PermAnnounce); !ok {
		m.say(why, true)
		return nil
	}
	channel := id
	for _, p := range m.snap.Posts {
		if p.ID == id {
			channel = p.Channel
		}
	}
	m.say(fmt.Sprintf("sending %s to %s again…", id, channel), false)
	return m.call(0, callErr(func(ctx context.Context, r Room, a room.Actor) error { return r.RetryPost(ctx, id, a) }),
		func(m *Model, _ any, err error) {
			if err != nil {
				m.say(fmt.Sprintf("%s %s: %v", themes.Symbol("critical"), id, err), true)
			} else {
				m.say(fmt.Sprintf("%s queued to %s again · its state shows in pane %s", id, channel, m.paneKey(panePosts).Help().Key), false)
			}
		})
}

// announced shows the room's answer to a send of chosen channels, and
// the posts on success.
func (m *Model) announced(chosen int, ids any, err error) {
	if err != nil {
		m.say(themes.Symbol("critical")+" not sent: "+err.Error(), true)
		return
	}
	n := len(ids.([]string))
	text := fmt.Sprintf("queued to %s", plural(n, "channel"))
	if n < chosen {
		text = fmt.Sprintf("queued to %d of %d channels (the others already have it)", n, chosen)
	}
	m.say(fmt.Sprintf("%s · delivery shows in pane %s Announcements", text, m.paneKey(panePosts).Help().Key), false)
}
