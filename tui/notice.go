package tui

import (
	"time"

	tea "github.com/charmbracelet/bubbletea"

	"warroom/backends/room"
)

// noticeFor is how long another person's step stays in the footer, on the
// room's clock.
const noticeFor = 10 * time.Second

// noticeKinds are the steps of other people worth a line in every session.
var noticeKinds = map[string]bool{
	room.EvAlertAcked: true, room.EvActionRequested: true, room.EvActionAwaiting: true,
	room.EvActionApproved: true, room.EvActionRejected: true, room.EvActionResumed: true,
	room.EvActionDismissed: true, room.EvPostQueued: true, room.EvPostRequeued: true,
	room.EvPresenceJoined: true, room.EvPresenceLeft: true, room.EvPenHanded: true,
}

// noteOthers remembers the newest step another person took since the last
// snapshot, so every other session sees "li.wei confirmed failover tokyo →
// osaka". Steps from before this session opened are history, not news.
func (m *Model) noteOthers(s *room.Snapshot) {
	if s == nil {
		return
	}
	if m.noticeSeq == 0 {
		m.noticeSeq = max(s.LastEventSeq, 1)
		return
	}
	for _, ev := range s.Timeline {
		if ev.Seq <= m.noticeSeq || ev.Actor == "" || ev.Actor == m.opts.Actor.Name {
			continue
		}
		if noticeKinds[ev.Kind] || isPersonStep(ev.Kind) {
			m.notice, m.noticeAt = ev.Text, ev.At
		}
	}
	m.noticeSeq = max(m.noticeSeq, s.LastEventSeq)
	if m.notice != "" && s.At.Sub(m.noticeAt) > noticeFor {
		m.notice = ""
	}
}

// isPersonStep covers the incident, note and drill events: any of them with
// an actor is someone's step.
func isPersonStep(kind string) bool {
	for _, p := range []string{"incident.", "note.", "drill."} {
		if len(kind) > len(p) && kind[:len(p)] == p {
			return true
		}
	}
	return false
}

// look tells the room which pane this session is looking at, when it
// changed; the Presence pane shows it to everyone.
func (m *Model) look() tea.Cmd {
	if m.opts.PresenceID == "" || m.opts.Room == nil {
		return nil
	}
	pane := m.panes[m.focus].ID()
	if pane == m.looked {
		return nil
	}
	m.looked = pane
	r, id := m.opts.Room, m.opts.PresenceID
	return func() tea.Msg { r.Look(id, pane); return nil }
}
