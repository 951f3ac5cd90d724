package panes

import (
	"strings"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"

	"warroom/backends/room"
	"warroom/keymaps"
	"warroom/themes"
)

// What a key in a pane asks the app to do (Intent.Kind).
const (
	IntentAck       = "ack"        // acknowledge Intent.AlertID
	IntentRetryPost = "retry-post" // send Intent.PostID again
	// IntentSilence opens the silence dialog for Intent.AlertID ("" for
	// none chosen); IntentExpire offers to end silence Intent.SilenceID.
	IntentSilence = "silence"
	IntentExpire  = "expire-silence"
	IntentDetail  = "detail" // open everything about mirror Intent.Mirror
)

// Intent is what a key in a pane asks the app to do; the zero Intent asks
// nothing. The app turns intents into room commands.
type Intent struct {
	Kind      string // one of the Intent… kinds above
	AlertID   string
	PostID    string
	SilenceID string
	Mirror    string
}

// Pane is one view of the room. Panes hold only view state (cursor, scroll,
// filter, sort); everything shown comes from the snapshot.
type Pane interface {
	ID() string    // "mirrors", "lag", "hosts", "alerts", "timeline"
	Title() string // "Mirrors", "Sync lag", …
	// Update handles a key while the pane is focused; s is the latest
	// snapshot and may be nil.
	Update(msg tea.KeyMsg, km *keymaps.Keymap, s *room.Snapshot) Intent
	// Capturing is true while the pane wants every key (typing a filter).
	Capturing() bool
	// Sync brings the view state up to a new snapshot or body size: the
	// cursor follows its row, the window keeps it in view. The app calls
	// it whenever either changed, before View.
	Sync(s *room.Snapshot, width, height int)
	// View renders the body (no border) into exactly width×height cells.
	// It computes and never moves a cursor or a window: drawing twice
	// draws the same, and a render may be shared between sessions.
	View(s *room.Snapshot, th *themes.Theme, width, height int, focused bool) string
	// Keys are the bindings for the help bar while the pane is focused.
	Keys(km *keymaps.Keymap) []key.Binding
	// Version increases whenever the pane's view state changes, so the app
	// can cache renders by (snapshot seq, size, focus, theme, Version).
	Version() uint64
}

var (
	_ Pane = (*Mirrors)(nil)
	_ Pane = (*Lag)(nil)
	_ Pane = (*Hosts)(nil)
	_ Pane = (*Alerts)(nil)
	_ Pane = (*Timeline)(nil)
	_ Pane = (*Posts)(nil)
	_ Pane = (*Actions)(nil)
	_ Pane = (*Incident)(nil)
	_ Pane = (*Presence)(nil)
)

// waiting is the body shown before the room has anything to show.
const waiting = "waiting for first probe…"

// preamble is the one "empty or waiting" body every pane shares: before
// the room's first snapshot, the waiting line; with nothing to list (n of
// the snapshot is 0), the pane's none line. done is false when the pane
// has rows to draw; n is only called with a snapshot.
func preamble(ik *inks, s *room.Snapshot, n func(*room.Snapshot) int, none string, w, h int) (body string, done bool) {
	switch {
	case s == nil:
		return message(ik, waiting, w, h), true
	case n != nil && n(s) == 0:
		return message(ik, none, w, h), true
	}
	return "", false
}

// message renders a single muted line as the whole body.
func message(ik *inks, text string, w, h int) string {
	return block([]string{ik.muted.paint(cell(text, w))}, w, h)
}

// moveKeys is one help-bar entry for up and down together.
func moveKeys(km *keymaps.Keymap) key.Binding {
	keys := append(append([]string{}, km.Up.Keys()...), km.Down.Keys()...)
	return key.NewBinding(key.WithKeys(keys...), key.WithHelp(firstKey(km.Up)+"/"+firstKey(km.Down), "move"))
}

// firstKey is the first key of a binding's help ("k" of "k/↑").
func firstKey(b key.Binding) string {
	h := b.Help().Key
	if i := strings.Index(h, "/"); i > 0 {
		return h[:i]
	}
	return h
}
