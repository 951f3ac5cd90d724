// Package tui is warroom's Bubble Tea app: it lays out the panes, routes
// keys, owns overlays, and turns pane intents into room commands.
package tui

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/charmbracelet/bubbles/key"
	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/lipgloss"

	"warroom/backends/actions"
	"warroom/backends/notify"
	"warroom/backends/room"
	"warroom/keymaps"
	"warroom/panes"
	"warroom/themes"
)

// Room is what the app needs of the room: snapshots in, commands out.
// Every call may wait on the room (or, for Versions, on an executor), so
// the app makes them in tea.Cmds, never in Update.
type Room interface {
	Ack(ctx context.Context, alertID, actor string) error
	// Preview says what a request would run; it runs nothing.
	Preview(ctx context.Context, req room.Request) (room.Preview, error)
	// Act records a confirmed request and starts it, returning its id.
	Act(ctx context.Context, req room.Request, actor string) (string, error)
	// Decide tells a paused action to "retry", "continue" or "abort".
	Decide(ctx context.Context, id, decision, actor string) error
	// Dismiss sets a rule's proposal aside.
	Dismiss(ctx context.Context, rule, actor string) error
	// Versions lists a rollback target's versions, newest first.
	Versions(ctx context.Context, target string) ([]actions.Version, error)
	// Announce queues one post per chosen channel and returns their ids;
	// its errors are meant for people ("already posted: …").
	Announce(ctx context.Context, a room.Announcement, actor string) ([]string, error)
	// RetryPost sends a failed post, or one of unknown outcome, again.
	RetryPost(ctx context.Context, id, actor string) error
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
	// Templates and Channels feed the announcement composer: the templates
	// it offers, and each channel's exact payload and platform warnings for
	// the preview. Without templates, announcing is off in this session.
	Templates *notify.Templates
	Channels  []Previewer
}

// Previewer is what the composer needs of a channel to preview a post
// exactly as it will be sent; notify.Channel is one. Payload and Warnings
// do no I/O, so the composer calls them on every change.
type Previewer interface {
	Name() string
	Kind() string
	Target() string // masked
	Payload(notify.Post) ([]byte, error)
	Warnings(notify.Post) []string
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
	opts     Options
	th       *themes.Theme
	km       *keymaps.Keymap
	panes    []panes.Pane
	focus    int
	zoomed   bool
	help     bool
	snap     *room.Snapshot
	width    int
	height   int
	flash    string // the outcome of the last command, until the next key
	flashBad bool   // the flash is a refusal or failure
	cache    []paneCache
	frame    string
	stale    bool

	mirrors   *panes.Mirrors
	actions   *panes.Actions
	posts     *panes.Posts
	shared    int    // narrow layout: paneAlerts or paneActions in the shared place
	log       int    // narrow or short layout: paneTimeline or panePosts in the place they share
	live      string // the newest action and open offers, to notice new ones
	postsLive string // the newest post and the failed ones, to notice changes
	cmp       *composer
	cmpSeq    int // numbers composers, so a late reply names the right one
	dlg       *dialog
	dlgSeq    int             // numbers dialogs, so late replies to a closed one are dropped
	popped    map[string]bool // proposals this session has popped up
	dismissed map[string]bool // proposals this session dismissed (rule and request)
}

// paneCache holds a pane's last framed render and what it was made from.
type paneCache struct {
	seq        uint64
	w, h       int
	title      string
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
	mirrors, acts, posts := panes.NewMirrors(), panes.NewActions(), panes.NewPosts()
	if opts.Templates != nil {
		posts.AnnounceKey = opts.Keymap.Announce.Help().Key
	}
	ps := []panes.Pane{mirrors, lag, panes.NewHosts(), panes.NewAlerts(), panes.NewTimeline(), acts, posts}
	m := &Model{
		opts: opts, th: opts.Theme, km: opts.Keymap, panes: ps,
		cache: make([]paneCache, len(ps)), stale: true,
		mirrors: mirrors, actions: acts, posts: posts, shared: paneAlerts, log: paneTimeline,
		popped: map[string]bool{}, dismissed: map[string]bool{},
	}
	m.setSnapshot(opts.Snapshot)
	return m
}

// Init implements tea.Model.
func (m *Model) Init() tea.Cmd { return nil }

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	switch msg := msg.(type) {
	case SnapshotMsg:
		m.stale = true
		return m, m.onSnapshot(msg.Snap)
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
	default:
		if cmd, ok := m.actionResult(msg); ok {
			m.stale = true
			return m, cmd
		}
		if m.postResult(msg) {
			m.stale = true
		}
	}
	return m, nil
}

// key routes one keystroke: a typing pane or the help overlay first, then
// the app's own keys, then the focused pane.
func (m *Model) key(msg tea.KeyMsg) tea.Cmd {
	m.flash, m.flashBad = "", false
	if m.cmp != nil {
		if msg.Type == tea.KeyCtrlC {
			return tea.Quit
		}
		return m.composeKey(msg)
	}
	if m.dlg != nil {
		if msg.Type == tea.KeyCtrlC {
			return tea.Quit
		}
		return m.dialogKey(msg)
	}
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
		m.setFocus((m.focus + 1) % len(m.panes))
	case key.Matches(msg, km.PrevPane):
		m.setFocus((m.focus + len(m.panes) - 1) % len(m.panes))
	case key.Matches(msg, km.Zoom):
		m.zoomed = !m.zoomed
	case m.zoomed && key.Matches(msg, km.Back):
		m.zoomed = false
	case key.Matches(msg, km.Failover):
		return m.openFailover()
	case key.Matches(msg, km.Failback):
		return m.openFailback()
	case key.Matches(msg, km.Rollback):
		return m.openRollback("", "")
	case key.Matches(msg, km.Announce):
		return m.openComposer()
	default:
		for i := range m.panes {
			if key.Matches(msg, m.paneKey(i)) {
				m.setFocus(i)
				return nil
			}
		}
		if m.focus == paneActions {
			return m.actionIntent(m.actions.Key(msg, km, m.snap))
		}
		return m.intent(p.Update(msg, km, m.snap))
	}
	return nil
}

// setFocus focuses pane i; alerts and actions, and the timeline and the
// announcements, take the place they share when focused.
func (m *Model) setFocus(i int) {
	m.focus = i
	switch i {
	case paneAlerts, paneActions:
		m.shared = i
	case paneTimeline, panePosts:
		m.log = i
	}
}

// paneKey is the key that focuses pane i: the keymap's, or for a pane the
// keymap has no key for (7, Announcements), its number.
func (m *Model) paneKey(i int) key.Binding {
	if i < len(m.km.Pane) {
		return m.km.Pane[i]
	}
	n := fmt.Sprint(i + 1)
	return key.NewBinding(key.WithKeys(n), key.WithHelp(n, "focus pane "+n))
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
	case panes.IntentRetryPost:
		return m.retryPost(in.PostID)
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
	bodyH := h - 2
	var body string
	switch {
	case m.help:
		body = panes.HelpOverlay(m.th, m.helpKeymap(), w, bodyH)
	case m.zoomed:
		body = m.pane(m.focus, w, bodyH, "")
	default:
		rects := layout(w, bodyH, m.shared, m.log)
		rendered := make([]string, len(rects))
		for i, r := range rects {
			if r.w > 0 {
				rendered[i] = m.pane(i, r.w, r.h, m.sharedHint(i, rects))
			}
		}
		body = compose(rects, rendered, bodyH)
	}
	switch {
	case m.cmp != nil:
		body = overlay(body, m.composeBox(w, bodyH), w, bodyH)
	case m.dlg != nil:
		body = overlay(body, m.dialogBox(w, bodyH), w, bodyH)
	}
	// The footer comes last: the focused pane's keys depend on the row
	// its View just showed.
	return m.header(w) + "\n" + body + "\n" + m.footer(w)
}

// sharedHint is the title suffix of a pane in a shared place, naming the
// key of the pane it hides ("shows" is dropped when the title is long).
func (m *Model) sharedHint(i int, rects []rect) string {
	partner := map[int]int{paneAlerts: paneActions, paneActions: paneAlerts, paneTimeline: panePosts, panePosts: paneTimeline}
	other, ok := partner[i]
	if !ok || rects[other].w > 0 {
		return ""
	}
	k := m.paneKey(other).Help().Key
	hint := fmt.Sprintf(" · %s shows %s", k, m.panes[other].Title())
	// The frame's title room: the width less the corners, a rule and the focus brackets.
	if lipgloss.Width(fmt.Sprintf("%d %s%s", i+1, m.panes[i].Title(), hint)) > rects[i].w-7 {
		hint = fmt.Sprintf(" · %s %s", k, m.panes[other].Title())
	}
	return hint
}

// pane returns pane i framed at w×h, from the cache when nothing it depends on changed.
func (m *Model) pane(i, w, h int, hint string) string {
	p := m.panes[i]
	var seq uint64
	if m.snap != nil {
		seq = m.snap.Seq
	}
	focused := i == m.focus
	c := &m.cache[i]
	title := fmt.Sprintf("%d %s", i+1, p.Title()) + hint
	if c.hasContent && c.seq == seq && c.w == w && c.h == h && c.title == title && c.focused == focused && c.version == p.Version() {
		return c.out
	}
	body := p.View(m.snap, m.th, max(w-2, 0), max(h-2, 0), focused)
	*c = paneCache{seq: seq, w: w, h: h, title: title, focused: focused, version: p.Version(),
		out: panes.Frame(m.th, title, body, w, h, focused), hasContent: true}
	return c.out
}

// compose lays framed panes into body lines by their rectangles, left to
// right whatever the pane order.
func compose(rects []rect, rendered []string, h int) string {
	lines := make([]strings.Builder, h)
	order := make([]int, 0, len(rects))
	for i := range rects {
		order = append(order, i)
	}
	sort.SliceStable(order, func(a, b int) bool { return rects[order[a]].x < rects[order[b]].x })
	for _, i := range order {
		r := rects[i]
		if r.w == 0 {
			continue
		}
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
