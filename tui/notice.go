package tui

import (
	"strings"
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

// noticeKeep is how many of other people's steps the footer holds at once.
const noticeKeep = 3

// notices are other people's recent steps, newest first, each shown for
// noticeFor on the room's clock. A new one does not push out an older one
// still in its time, and this person's own outcome (the flash) shows
// before them, not instead of them.
type notices struct {
	seq  uint64 // newest event looked at
	list []notice
}

type notice struct {
	text string
	at   time.Time
}

// noteOthers takes the steps other people took since the last snapshot,
// so every other session sees "li.wei confirmed failover tokyo → osaka",
// and lets go of those whose time is up. Steps from before this session
// opened are history, not news.
func (m *Model) noteOthers(s *room.Snapshot) {
	n := &m.notes
	if s == nil {
		return
	}
	if n.seq == 0 {
		n.seq = max(s.LastEventSeq, 1)
		return
	}
	for _, ev := range s.Timeline {
		if ev.Seq <= n.seq || ev.Actor == "" || ev.Actor == m.opts.Actor.Name {
			continue
		}
		if noticeKinds[ev.Kind] || isPersonStep(ev.Kind) {
			n.list = append([]notice{{text: ev.Text, at: ev.At}}, n.list...)
		}
	}
	n.seq = max(n.seq, s.LastEventSeq)
	kept := n.list[:0]
	for _, x := range n.list {
		if s.At.Sub(x.at) <= noticeFor && len(kept) < noticeKeep {
			kept = append(kept, x)
		}
	}
	n.list = kept
}

// noticeLine is other people's steps still in their time, newest first,
// or "".
func (m *Model) noticeLine() string {
	parts := make([]string, 0, len(m.notes.list))
	for _, x := range m.notes.list {
		parts = append(parts, "▸ "+cleanText(x.text))
	}
	if len(parts) == 0 {
		return ""
	}
	return m.th.Accent.Render(strings.Join(parts, "  "))
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
