package tui

import (
	"fmt"
	"io"
	"sync"
	"testing"

	"time"

	"github.com/charmbracelet/lipgloss"
	"github.com/muesli/termenv"

	"warroom/backends/room"
	"warroom/keymaps"
	"warroom/panes"
	"warroom/panes/panestest"
	"warroom/themes"
)

// sharedModel is a session's model on cache c, with its own renderer.
func sharedModel(t testing.TB, c *RenderCache, profile termenv.Profile) *Model {
	t.Helper()
	r := lipgloss.NewRenderer(io.Discard)
	r.SetColorProfile(profile)
	th, err := themes.New("dark", r)
	if err != nil {
		t.Fatal(err)
	}
	actor := room.Actor{Name: "viewer", Role: room.RoleObserver}
	return New(Options{Theme: th, Keymap: keymaps.Default(), Actor: actor, Snapshot: panestest.Snapshot(),
		Shared: c.For(th, r, string(actor.Role))})
}

func TestSharedRendersAreMadeOncePerSizeAndStyle(t *testing.T) {
	c := NewRenderCache()
	alone := newModel(t, "dark", termenv.ANSI256, keymaps.Default(), nil)
	size(alone, 120, 40)
	want := alone.View()

	const sessions = 20
	models := make([]*Model, sessions)
	for i := range models {
		models[i] = sharedModel(t, c, termenv.ANSI256)
		size(models[i], 120, 40)
	}
	var wg sync.WaitGroup
	views := make([]string, sessions)
	for i, m := range models { // sessions render at once, as the forwarders make them
		wg.Add(1)
		go func() { defer wg.Done(); views[i] = m.View() }()
	}
	wg.Wait()
	for i, v := range views {
		if plain(v) != plain(want) {
			t.Fatalf("session %d's frame differs from a session rendering alone:\n%s\nwant:\n%s", i, plain(v), plain(want))
		}
	}
	renders, hits := c.Stats()
	if renders == 0 || hits != sessions-1 {
		t.Fatalf("renders %d, hits %d: want the frame (and its panes) rendered once and taken whole by the other %d sessions", renders, hits, sessions-1)
	}

	// A new snapshot is rendered once more, not once per session.
	snap := *panestest.Snapshot()
	snap.Seq++
	for _, m := range models {
		m.Update(SnapshotMsg{Snap: &snap})
		m.View()
	}
	if r2, _ := c.Stats(); r2 != 2*renders {
		t.Errorf("after one new snapshot: %d renders, want %d", r2, 2*renders)
	}

	// Another size or colour profile is another render, never a copy.
	size(models[0], 100, 30)
	models[0].View()
	ascii := sharedModel(t, c, termenv.Ascii)
	size(ascii, 120, 40)
	ascii.Update(SnapshotMsg{Snap: &snap})
	if v := ascii.View(); v == models[1].View() || plain(v) != plain(models[1].View()) {
		t.Error("a session without colour got the colour session's frame (or different text)")
	}
	if r3, _ := c.Stats(); r3 <= 2*renders+renders {
		t.Errorf("%d renders: want new ones for the other size and the other profile", r3)
	}
}

func TestTouchedPaneIsRenderedBySessionItself(t *testing.T) {
	c := NewRenderCache()
	km := keymaps.Default()
	a, b := sharedModel(t, c, termenv.ANSI256), sharedModel(t, c, termenv.ANSI256)
	size(a, 120, 40)
	size(b, 120, 40)
	a.View()
	// b scrolls its timeline, then looks at another pane: its timeline is
	// its own from now on, and a's is untouched.
	press(b, km.Pane[paneTimeline])
	press(b, km.Down)
	press(b, km.Pane[0])
	if b.panes[paneTimeline].Version() == 0 {
		t.Skip("the timeline did not scroll with this snapshot; nothing to check")
	}
	if plain(b.View()) == plain(a.View()) {
		t.Error("b's scrolled timeline shows a's frame")
	}
}

// A new snapshot that changes nothing a session shows gives the same frame,
// which Bubble Tea's renderer does not send again: zero bytes to the client.
func TestUnchangedSnapshotGivesTheSameFrame(t *testing.T) {
	c := NewRenderCache()
	m := sharedModel(t, c, termenv.ANSI256)
	size(m, 120, 40)
	before := m.View()
	snap := *panestest.Snapshot()
	snap.Seq += 7
	m.Update(SnapshotMsg{Snap: &snap})
	if after := m.View(); after != before {
		t.Fatalf("the frame changed with only the snapshot's sequence number:\n%s\nwas:\n%s", plain(after), plain(before))
	}
}

// BenchmarkSharedSessionsView is what a server does for each new snapshot:
// 25 sessions (120×40, same style) each build their frame from the shared
// cache. One op is one snapshot shown in all 25 sessions. "people" has the
// 25 viewers in the room, every session showing the People pane (which is
// drawn per session: it marks the session's own row).
func BenchmarkSharedSessionsView(b *testing.B) {
	for _, people := range []bool{false, true} {
		name := "default"
		if people {
			name = "people"
		}
		b.Run(name, func(b *testing.B) {
			snap := *panestest.Snapshot()
			if people {
				for i := range 25 {
					snap.Presence = append(snap.Presence, room.PresenceView{ID: fmt.Sprintf("p%d", i), Name: fmt.Sprintf("viewer%d", i),
						Role: room.RoleObserver, Since: snap.At.Add(-time.Hour), Pane: "mirrors", Via: "ssh"})
				}
			}
			c := NewRenderCache()
			models := make([]*Model, 25)
			for i := range models {
				models[i] = sharedModel(b, c, termenv.ANSI256)
				models[i].opts.PresenceID = fmt.Sprintf("p%d", i)
				models[i].panes[panePresence].(*panes.Presence).Self = models[i].opts.PresenceID
				size(models[i], 120, 40)
				models[i].Update(SnapshotMsg{Snap: &snap})
				if people {
					press(models[i], models[i].km.Pane[panePresence])
				}
			}
			b.ReportAllocs()
			for b.Loop() {
				snap.Seq++
				s := snap
				for _, m := range models {
					m.Update(SnapshotMsg{Snap: &s})
					m.View()
				}
			}
		})
	}
}
