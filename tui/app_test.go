package tui

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/muesli/termenv"

	"warroom/backends/room"
	"warroom/keymaps"
	"warroom/panes/panestest"
	"warroom/themes"
)

// fakeRoom records what the app asks of the room and answers with canned
// previews and versions.
type fakeRoom struct {
	*room.Composer // drafts announcements; nil offers no templates

	mu        sync.Mutex
	acks      []string
	acts      []room.Request
	actErr    error
	decisions []string
	dismissed []string
	previews  int
	versions  []room.Version
	long      int // extra plan lines in previews

	answers []string // approvals, rejections and pen hand-overs
	looks   []string

	announced   []room.Announcement
	announceErr error
	retried     []string

	inc incidentCalls // the incident commands (incident_test.go)
}

func (f *fakeRoom) Announce(_ context.Context, a room.Announcement, by room.Actor) ([]string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.announceErr != nil {
		return nil, f.announceErr
	}
	f.announced = append(f.announced, a)
	ids := make([]string, len(a.Channels))
	for i := range ids {
		ids[i] = fmt.Sprintf("post-%d", 10+i)
	}
	return ids, nil
}

func (f *fakeRoom) RetryPost(_ context.Context, id string, by room.Actor) error {
	actor := by.Name
	f.mu.Lock()
	defer f.mu.Unlock()
	f.retried = append(f.retried, actor+":"+id)
	return nil
}

func (f *fakeRoom) announceCalls() []room.Announcement {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]room.Announcement(nil), f.announced...)
}

func (f *fakeRoom) Ack(_ context.Context, id string, by room.Actor) error {
	actor := by.Name
	f.mu.Lock()
	defer f.mu.Unlock()
	f.acks = append(f.acks, actor+":"+id)
	return nil
}

func (f *fakeRoom) Preview(_ context.Context, req room.Request, _ room.Actor) (room.Preview, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.previews++
	p := room.Preview{Request: req, Executor: "edge", Kind: "haproxy", Timeout: 10 * time.Second}
	switch req.Kind {
	case room.Rollback:
		p.Executor, p.Kind = "deploy", "exec"
		p.Batches = [][]string{{"w1"}, {"w2"}, {"w3", "w4"}}
		for i, b := range p.Batches {
			p.Plan = append(p.Plan, fmt.Sprintf("batch %d/3: /usr/local/bin/deploy-web --version %s --hosts %s", i+1, req.Version, strings.Join(b, ",")))
		}
	default:
		p.Plan = []string{"set server mirrors/" + req.To + " state ready", "set server mirrors/" + req.From + " state maint",
			"show servers state mirrors (read back)"}
		p.RPO, p.RPOKnown = 4*time.Minute+5*time.Second, true
	}
	for i := 0; i < f.long; i++ {
		p.Plan = append(p.Plan, fmt.Sprintf("step %d of a long plan", i+1))
	}
	return p, nil
}

func (f *fakeRoom) Act(_ context.Context, req room.Request, _ room.Actor) (string, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.actErr != nil {
		return "", f.actErr
	}
	f.acts = append(f.acts, req)
	return fmt.Sprintf("act-%d", len(f.acts)+2), nil
}

func (f *fakeRoom) Decide(_ context.Context, id, decision string, by room.Actor) error {
	actor := by.Name
	f.mu.Lock()
	defer f.mu.Unlock()
	f.decisions = append(f.decisions, actor+":"+id+":"+decision)
	return nil
}

func (f *fakeRoom) Dismiss(_ context.Context, rule string, by room.Actor) error {
	actor := by.Name
	f.mu.Lock()
	defer f.mu.Unlock()
	f.dismissed = append(f.dismissed, actor+":"+rule)
	return nil
}

func (f *fakeRoom) Versions(_ context.Context, target string) ([]room.Version, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.versions, nil
}

func (f *fakeRoom) actCalls() []room.Request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]room.Request(nil), f.acts...)
}

func newModel(t *testing.T, theme string, profile termenv.Profile, km *keymaps.Keymap, r Room) *Model {
	t.Helper()
	rend := lipgloss.NewRenderer(io.Discard)
	rend.SetColorProfile(profile)
	th, err := themes.New(theme, rend)
	if err != nil {
		t.Fatal(err)
	}
	return New(Options{Room: r, Theme: th, Keymap: km, Actor: room.Actor{Name: "li.wei", Role: room.RoleCommander}, Snapshot: panestest.Snapshot()})
}

func size(m *Model, w, h int) { m.Update(tea.WindowSizeMsg{Width: w, Height: h}) }

// press sends a binding's first key, as a person rebinding keys would.
func press(m *Model, b key.Binding) tea.Cmd {
	_, cmd := m.Update(panestest.Press(b))
	return cmd
}

func plain(s string) string { return ansi.Strip(s) }

func TestGoldenRoom(t *testing.T) {
	for _, theme := range themes.Names() {
		for _, sz := range []struct{ w, h int }{{80, 24}, {120, 40}, {160, 48}} {
			m := newModel(t, theme, termenv.ANSI256, keymaps.Default(), nil)
			size(m, sz.w, sz.h)
			out := m.View()
			t.Run(fmt.Sprintf("%s_%dx%d", theme, sz.w, sz.h), func(t *testing.T) {
				fillsWindow(t, out, sz.w, sz.h)
				golden.RequireEqual(t, []byte(out))
			})
		}
	}
	m := newModel(t, "dark", termenv.Ascii, keymaps.Default(), nil)
	size(m, 80, 24)
	t.Run("nocolor_80x24", func(t *testing.T) { golden.RequireEqual(t, []byte(m.View())) })
}

func TestFilterTypingCapturesQuit(t *testing.T) {
	km := keymaps.Default()
	m := newModel(t, "dark", termenv.Ascii, km, nil)
	size(m, 120, 40)
	press(m, km.Filter)
	if cmd := press(m, km.Quit); cmd != nil {
		if _, quit := cmd().(tea.QuitMsg); quit {
			t.Fatal("typing q into the filter quit the app")
		}
	}
	m.Update(tea.KeyMsg{Type: tea.KeyBackspace})
	for _, r := range "tok" {
		m.Update(tea.KeyMsg{Type: tea.KeyRunes, Runes: []rune{r}})
	}
	m.Update(tea.KeyMsg{Type: tea.KeyEnter})
	screen := plain(m.View())
	if strings.Contains(screen, "ams-2              200") || !strings.Contains(screen, "tokyo") {
		t.Fatalf("filter 'tok' should keep only matching mirrors:\n%s", screen)
	}
	// Now q quits.
	cmd := press(m, km.Quit)
	if cmd == nil {
		t.Fatal("q did nothing after the filter was kept")
	}
	if _, quit := cmd().(tea.QuitMsg); !quit {
		t.Fatal("q does not quit")
	}
}

func TestFocusZoomAndHelp(t *testing.T) {
	km := keymaps.Vim()
	m := newModel(t, "dark", termenv.Ascii, km, nil)
	size(m, 120, 40)
	press(m, km.Pane[4]) // timeline
	press(m, km.Zoom)
	screen := plain(m.View())
	if !strings.Contains(screen, "[ 5 Timeline ]") || strings.Contains(screen, "Mirrors") {
		t.Fatalf("zoom should show only the focused timeline:\n%s", screen)
	}
	press(m, km.Back)
	press(m, km.NextPane) // actions
	press(m, km.NextPane) // announcements
	press(m, km.NextPane) // incident
	press(m, km.NextPane) // people
	press(m, km.NextPane) // wraps to mirrors
	if screen = plain(m.View()); !strings.Contains(screen, "[ 1 Mirrors ]") || !strings.Contains(screen, "Timeline") {
		t.Fatalf("after esc and next pane, want all panes with mirrors focused:\n%s", screen)
	}
	press(m, km.Help)
	// A room without a command channel refuses acknowledgements, so its
	// help does not list them.
	if screen = plain(m.View()); !strings.Contains(screen, "Keys · vim keymap") || strings.Contains(screen, "acknowledge") {
		t.Fatalf("help overlay missing, or it lists the ack key the room refuses:\n%s", screen)
	}
	press(m, km.Back)
	if screen = plain(m.View()); strings.Contains(screen, "Keys · vim keymap") || !strings.Contains(screen, "Mirrors") {
		t.Fatal("esc did not close help")
	}
}

func TestAckGoesToTheRoomWithTheActor(t *testing.T) {
	km := keymaps.Default()
	r := &fakeRoom{}
	m := newModel(t, "dark", termenv.Ascii, km, r)
	size(m, 120, 40)
	press(m, km.Pane[3]) // alerts
	cmd := press(m, km.Ack)
	if cmd == nil {
		t.Fatal("ack key produced no command")
	}
	m.Update(cmd()) // run it as Bubble Tea would, and deliver the result
	r.mu.Lock()
	acks := append([]string(nil), r.acks...)
	r.mu.Unlock()
	first := panestest.Snapshot().Alerts[1] // tokyo: the oldest critical shows first
	if len(acks) != 1 || acks[0] != "li.wei:"+first.ID {
		t.Fatalf("room got %v, want li.wei acknowledging %s", acks, first.ID)
	}
	if screen := plain(m.View()); !strings.Contains(screen, "acknowledged "+first.ID) {
		t.Fatalf("no confirmation on screen:\n%s", screen)
	}
}

func TestReadOnlyRoomRefusesAck(t *testing.T) {
	km := keymaps.Default()
	m := newModel(t, "dark", termenv.Ascii, km, nil)
	size(m, 120, 40)
	press(m, km.Pane[3])
	if cmd := press(m, km.Ack); cmd != nil {
		t.Fatal("a room without a command channel ran an ack")
	}
	if !strings.Contains(plain(m.View()), "read-only") {
		t.Fatal("no read-only note")
	}
}

func TestEverySizeRendersWithoutPanic(t *testing.T) {
	m := newModel(t, "dark", termenv.ANSI256, keymaps.Default(), nil)
	for w := 1; w <= 200; w += 7 {
		for h := 1; h <= 60; h += 5 {
			size(m, w, h)
			out := m.View()
			if n := strings.Count(out, "\n") + 1; n > h {
				t.Fatalf("%dx%d: %d lines: taller than the window", w, h, n)
			}
		}
	}
	size(m, 40, 10)
	if !strings.Contains(plain(m.View()), "too small") {
		t.Fatal("no too-small note at 40x10")
	}
}

func TestUnchangedStateReusesTheFrame(t *testing.T) {
	m := newModel(t, "dark", termenv.ANSI256, keymaps.Default(), nil)
	size(m, 160, 48)
	first := m.View()
	m.Update(struct{}{}) // a message that changes nothing
	if m.stale {
		t.Fatal("an unrelated message marked the frame stale")
	}
	if m.View() != first {
		t.Fatal("frame changed without a change")
	}
}

func BenchmarkRoomView2000Mirrors(b *testing.B) { benchRoomView(b, 2000) }

// BenchmarkRoomView10000Mirrors: issue 17's goal is ≤ 3 ms at 160×48.
func BenchmarkRoomView10000Mirrors(b *testing.B) { benchRoomView(b, 10000) }

func benchRoomView(b *testing.B, mirrors int) {
	rend := lipgloss.NewRenderer(io.Discard)
	rend.SetColorProfile(termenv.ANSI256)
	th, _ := themes.New("dark", rend)
	snap := panestest.Big(mirrors)
	// As the room publishes it: its last 500 events, the last one's seq.
	snap.Timeline = snap.Timeline[max(0, len(snap.Timeline)-500):]
	snap.LastEventSeq = snap.Timeline[len(snap.Timeline)-1].Seq
	m := New(Options{Theme: th, Keymap: keymaps.Default(), Snapshot: snap})
	size(m, 160, 48)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		next := changed(snap, i)
		b.StartTimer()
		m.Update(SnapshotMsg{Snap: next})
		_ = m.View()
		snap = next
	}
}

// changed is the room's next snapshot after s: a new one (every pane
// renders again) in which the mirrors probed in the last 25 ms have new
// views — 17 at 10,000 mirrors on a 15 s interval — and the rest keep
// theirs, as the room publishes them.
func changed(s *room.Snapshot, i int) *room.Snapshot {
	next := *s
	next.Seq++
	next.Mirrors = slices.Clone(s.Mirrors)
	per := max(1, len(next.Mirrors)*25/15000)
	for k := range per {
		j := (i*per + k) % len(next.Mirrors)
		v := *next.Mirrors[j]
		v.Latency += time.Millisecond
		next.Mirrors[j] = &v
	}
	return &next
}

func (f *fakeRoom) Approve(_ context.Context, id string, by room.Actor) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.answers = append(f.answers, by.Name+":approve:"+id)
	return nil
}

func (f *fakeRoom) Reject(_ context.Context, id, reason string, by room.Actor) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.answers = append(f.answers, by.Name+":reject:"+id+":"+reason)
	return nil
}

func (f *fakeRoom) HandPen(_ context.Context, to string, by room.Actor) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.answers = append(f.answers, by.Name+":pen:"+to)
	return nil
}

func (f *fakeRoom) Look(id, pane string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.looks = append(f.looks, id+":"+pane)
}

func (f *fakeRoom) answerCalls() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]string(nil), f.answers...)
}
