package tui

import (
	"io"
	"testing"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"warroom/backends/config"
	"warroom/backends/room"
	"warroom/keymaps"
	"warroom/themes"
)

// The one forwarder hands the program the snapshot waiting in the
// subscription, and when its session ends it returns and the room
// forgets the subscription.
func TestSessionFeedForwardsThenLetsGo(t *testing.T) {
	cfg := config.Default()
	r, err := room.New(room.Options{Config: &cfg})
	if err != nil {
		t.Fatal(err)
	}
	th, err := themes.New("dark", lipgloss.NewRenderer(io.Discard))
	if err != nil {
		t.Fatal(err)
	}
	s := NewSession(r.Subscribe(), Options{Theme: th, Keymap: keymaps.Default()})
	got := make(chan tea.Msg)
	done := make(chan struct{})
	fed := make(chan struct{})
	go func() {
		defer close(fed)
		s.Feed(done, func(m tea.Msg) {
			select {
			case got <- m:
			case <-done:
			}
		})
	}()
	select {
	case m := <-got:
		if sm, ok := m.(SnapshotMsg); !ok || sm.Snap != r.Snapshot() {
			t.Fatalf("forwarded %#v, want the room's latest snapshot", m)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("no snapshot forwarded")
	}
	close(done)
	select {
	case <-fed:
	case <-time.After(10 * time.Second):
		t.Fatal("Feed did not return after its session ended")
	}
	if n := r.Subscribers(); n != 0 {
		t.Fatalf("%d subscriptions left after the session ended", n)
	}
}
