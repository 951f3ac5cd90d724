// Package tui is warroom's Bubble Tea app: it lays out the panes, routes
// keys, owns overlays, and turns pane intents into room commands.
package tui

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"warroom/backends/room"
	"warroom/keymaps"
	"warroom/panes"
	"warroom/themes"
)

// Room is what the app needs of the room: snapshots in, commands out.
type Room interface {
	Ack(ctx context.Context, alertID, actor string) error
}

// Options configure one session of the app.
type Options struct {
	Room     Room
	Theme    *themes.Theme
	Keymap   *keymaps.Keymap
	Actor    string // who is at this keyboard, for the journal
	LagWarn  time.Duration
	LagCrit  time.Duration
	Snapshot *room.Snapshot // the first frame's data, if already known
}

// SnapshotMsg carries a new room snapshot into the program.
type SnapshotMsg struct{ Snap *room.Snapshot }

// ackDoneMsg reports the outcome of an acknowledgement sent to the room.
type ackDoneMsg struct {
	id  string
	err error
}

// Model is one session's view of the room: its own focus, zoom and
// overlays over the shared snapshot.
type Model struct {
	opts   Options
	th     *themes.Theme
	km     *keymaps.Keymap
	panes  []panes.Pane
	focus  int
	zoomed bool
	help   bool
	snap   *room.Snapshot
	width  int
	height int
	flash  string // the outcome of the last command, until the next key
	cache  []paneCache
	frame  string
	stale  bool
}

// paneCache holds a pane's last framed render and what it was made from.
type paneCache struct {
	seq        uint64
	w, h       int
	focused    bool
	version    uint64
	out        string
	hasContent bool
}

// New builds the model.
func New(opts Options) *Model {
	lag := panes.NewLag()
	if opts.LagWarn > 0 {
		lag.LagThresholds = panes.LagThresholds{Warn: opts.LagWarn, Crit: opts.LagCrit}
	}
	ps := []panes.Pane{panes.NewMirrors(), lag, panes.NewHosts(), panes.NewAlerts(), panes.NewTimeline()}
	return &Model{
		opts: opts, th: opts.Theme, km: opts.Keymap, panes: ps,
		cache: make([]paneCache, len(ps)), snap: opts.Snapshot, stale: true,
	}
}

// Init implements tea.Model.
func (m *Model) Init() tea.Cmd { return nil }

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case SnapshotMsg:
		m.snap = msg.Snap
		m.stale = true
	case tea.WindowSizeMsg:
		m.width, m.height = msg.Width, msg.Height
		m.stale = true
	case ackDoneMsg:
		if msg.err != nil {
			m.flash = fmt.Sprintf("ack %s failed: %v", msg.id, msg.err)
		} else {
			m.flash = "acknowledged " + msg.id
		}
		m.stale = true
	case tea.KeyMsg:
		m.stale = true
		return m, m.key(msg)
	}
	return m, nil
}

// key routes one keystroke: a typing pane or the help overlay first, then
// the app's own keys, then the focused pane.
func (m *Model) key(msg tea.KeyMsg) tea.Cmd {
	m.flash = ""
	p := m.panes[m.focus]
	if p.Capturing() {
		return m.intent(p.Update(msg, m.km, m.snap))
	}
	km := m.km
	if m.help {
		switch {
		case key.Matches(msg, km.Quit):
			return tea.Quit
		case key.Matches(msg, km.Help, km.Back):
			m.help = false
		}
		return nil
	}
	switch {
	case key.Matches(msg, km.Quit):
		return tea.Quit
	case key.Matches(msg, km.Help):
		m.help = true
	case key.Matches(msg, km.NextPane):
		m.focus = (m.focus + 1) % len(m.panes)
	case key.Matches(msg, km.PrevPane):
		m.focus = (m.focus + len(m.panes) - 1) % len(m.panes)
	case key.Matches(msg, km.Zoom):
		m.zoomed = !m.zoomed
	case m.zoomed && key.Matches(msg, km.Back):
		m.zoomed = false
	default:
		for i := range m.panes {
			if i < len(km.Pane) && key.Matches(msg, km.Pane[i]) {
				m.focus = i
				return nil
			}
		}
		return m.intent(p.Update(msg, km, m.snap))
	}
	return nil
}

// intent turns a pane's request into a room command, run off the UI loop.
func (m *Model) intent(in panes.Intent) tea.Cmd {
	switch in.Kind {
	case "ack":
		r, actor, id := m.opts.Room, m.opts.Actor, in.AlertID
		if r == nil {
			m.flash = "this room is read-only"
			return nil
		}
		return func() tea.Msg {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			return ackDoneMsg{id: id, err: r.Ack(ctx, id, actor)}
		}
	}
	return nil
}

// View implements tea.Model. It rebuilds only what changed since the last
// call: Bubble Tea calls View after every message.
func (m *Model) View() string {
	if !m.stale {
		return m.frame
	}
	m.stale = false
	m.frame = m.render()
	return m.frame
}

func (m *Model) render() string {
	w, h := m.width, m.height
	if w == 0 || h == 0 {
		return ""
	}
	if w < minWidth || h < minHeight {
		return m.tooSmall(w, h)
	}
	header := m.header(w)
	footer := m.footer(w)
	bodyH := h - 2
	var body string
	switch {
	case m.help:
		body = panes.HelpOverlay(m.th, m.km, w, bodyH)
	case m.zoomed:
		body = m.pane(m.focus, w, bodyH)
	default:
		rects := layout(w, bodyH)
		rendered := make([]string, len(rects))
		for i, r := range rects {
			rendered[i] = m.pane(i, r.w, r.h)
		}
		body = compose(rects, rendered, bodyH)
	}
	return header + "\n" + body + "\n" + footer
}

// pane returns pane i framed at w×h, from the cache when nothing it depends on changed.
func (m *Model) pane(i, w, h int) string {
	p := m.panes[i]
	var seq uint64
	if m.snap != nil {
		seq = m.snap.Seq
	}
	focused := i == m.focus
	c := &m.cache[i]
	if c.hasContent && c.seq == seq && c.w == w && c.h == h && c.focused == focused && c.version == p.Version() {
		return c.out
	}
	title := fmt.Sprintf("%d %s", i+1, p.Title())
	body := p.View(m.snap, m.th, max(w-2, 0), max(h-2, 0), focused)
	*c = paneCache{seq: seq, w: w, h: h, focused: focused, version: p.Version(),
		out: panes.Frame(m.th, title, body, w, h, focused), hasContent: true}
	return c.out
}

// compose lays framed panes into body lines by their rectangles.
func compose(rects []rect, rendered []string, h int) string {
	lines := make([]strings.Builder, h)
	for i, r := range rects {
		for j, line := range strings.Split(rendered[i], "\n") {
			if j >= r.h || r.y+j >= h {
				break
			}
			lines[r.y+j].WriteString(line)
		}
	}
	out := make([]string, h)
	for i := range lines {
		out[i] = lines[i].String()
	}
	return strings.Join(out, "\n")
}

func (m *Model) tooSmall(w, h int) string {
	msg := []string{
		fmt.Sprintf("terminal too small: %d×%d", w, h),
		fmt.Sprintf("warroom needs %d×%d", minWidth, minHeight),
		"q quits",
	}
	out := make([]string, h)
	top := max((h-len(msg))/2, 0)
	for i := range out {
		line := ""
		if k := i - top; k >= 0 && k < len(msg) {
			line = truncate(msg[k], w)
			pad := max((w-lipgloss.Width(line))/2, 0)
			line = strings.Repeat(" ", pad) + m.th.Warn.Render(line)
		}
		out[i] = line
	}
	return strings.Join(out, "\n")
}
