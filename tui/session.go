package tui

import (
	tea "github.com/charmbracelet/bubbletea"

	"warroom/backends/room"
)

// FPS caps the frame rate of every session, local or SSH. The local
// program's Bubble Tea renderer ticks at it; an SSH session's screen
// (sshroom) sends a lone change at once and only bursts at this rate, so
// there it costs nothing while nothing changes (docs/measurements.md).
const FPS = 30

// Session is one person's view of the room, at the local terminal or in an
// SSH session: the app, and the subscription that feeds it.
type Session struct {
	Model *Model
	sub   *room.Subscription
}

// NewSession builds one person's app, fed from sub. The session owns sub
// and closes it when its feed ends.
func NewSession(sub *room.Subscription, opts Options) *Session {
	return &Session{Model: New(opts), sub: sub}
}

// ProgramOptions are what every session's program takes: no signal handler
// of its own (the process handles SIGINT and SIGTERM once; two handlers
// race at shutdown and Run then never returned; in raw mode ctrl+c still
// arrives as a key, bound to quit), the alternate screen, and FPS.
func ProgramOptions() []tea.ProgramOption {
	return []tea.ProgramOption{tea.WithoutSignalHandler(), tea.WithAltScreen(), tea.WithFPS(FPS)}
}

// Feed is the session's one forwarder: it hands send the newest snapshot
// until done is closed, then closes the subscription. send may block while
// the program is busy: the subscription keeps only the newest snapshot, so
// the program skips frames and the room is never held up. send must
// return at once after the program has ended.
func (s *Session) Feed(done <-chan struct{}, send func(tea.Msg)) {
	defer s.sub.Close()
	for {
		select {
		case <-done:
			return
		case snap := <-s.sub.C():
			send(SnapshotMsg{Snap: snap})
		}
	}
}
