// Package tui is warroom's Bubble Tea app: it lays out the panes, routes
// keys, owns overlays, and turns pane intents into room commands.
package tui

import (
	"context"
	"fmt"
	"slices"
	"sort"
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
// Every call may wait on the room (or, for Versions, on an executor), so
// the app makes them in tea.Cmds, never in Update.
type Room interface {
	Ack(ctx context.Context, alertID string, actor room.Actor) error
	// Silence quiets the pages of the alerts a matcher selects for a
	// while and returns the silence's id; ExpireSilence ends one early.
	Silence(ctx context.Context, req room.SilenceRequest, actor room.Actor) (string, error)
	ExpireSilence(ctx context.Context, id string, actor room.Actor) error
	// Preview says what a request would run; it runs nothing.
	Preview(ctx context.Context, req room.Request, actor room.Actor) (room.Preview, error)
	// Act records a confirmed request and starts it, returning its id.
	Act(ctx context.Context, req room.Request, actor room.Actor) (string, error)
	// Decide tells a paused action to "retry", "continue" or "abort".
	Decide(ctx context.Context, id, decision string, actor room.Actor) error
	// Dismiss sets a rule's proposal aside.
	Dismiss(ctx context.Context, rule string, actor room.Actor) error
	// Versions lists a rollback target's versions, newest first.
	Versions(ctx context.Context, target string) ([]room.Version, error)
	// Announce queues one post per chosen channel and returns their ids;
	// its errors are meant for people ("already posted: …").
	Announce(ctx context.Context, a room.Announcement, actor room.Actor) ([]string, error)
	// RetryPost sends a failed post, or one of unknown outcome, again.
	RetryPost(ctx context.Context, id string, actor room.Actor) error
	// Approve and Reject answer an operator's request that waits for a commander.
	Approve(ctx context.Context, id string, actor room.Actor) error
	Reject(ctx context.Context, id, reason string, actor room.Actor) error
	// HandPen gives the pen (who may run actions) to a person.
	HandPen(ctx context.Context, to string, actor room.Actor) error
	// Look tells the room which pane this session shows; it never blocks long.
	Look(presenceID, pane string)
	// The incident (see incident*.go): declare one, change its level, hand
	// over command, advance its status, tick a checklist step, add and pin
	// notes; start and stop drills. The room checks the actor's role.
	Declare(ctx context.Context, spec room.IncidentSpec, actor room.Actor) (string, error)
	SetLevel(ctx context.Context, level int, actor room.Actor) error
	HandOver(ctx context.Context, to string, actor room.Actor) error
	Advance(ctx context.Context, status string, actor room.Actor) error
	Tick(ctx context.Context, step int, note string, actor room.Actor) error
	Note(ctx context.Context, text string, pinned bool, actor room.Actor) (uint64, error)
	Pin(ctx context.Context, noteSeq uint64, actor room.Actor) error
	StartScenario(ctx context.Context, sc room.Scenario, actor room.Actor) error
	StopDrill(ctx context.Context, reason string, actor room.Actor) error
	// Templates, Draft and ComposePreview draft announcements (see
	// room.Composer): they never wait on the room, so the composer calls
	// them on every keystroke.
	Templates() []room.Template
	Draft(s *room.Snapshot, template string) room.Draft
	ComposePreview(d room.Draft, channels []string) room.DraftPreview
}

// Options configure one session of the app.
type Options struct {
	Room   Room
	Theme  *themes.Theme
	Keymap *keymaps.Keymap
	Actor  room.Actor // who is at this keyboard: named in the journal, their role decides what they may do
	// PresenceID is this session's entry in the room's presence list, for
	// telling the room which pane it shows; "" when not joined.
	PresenceID string
	LagWarn    time.Duration
	LagCrit    time.Duration
	Snapshot   *room.Snapshot // the first frame's data, if already known
	// Shared, when set, shares untouched panes' renders with the other
	// sessions of an SSH server (RenderCache.For); nil renders alone.
	Shared *SharedPanes
	// Report writes the post-incident review of the open (or last)
	// incident and returns the file's path; nil leaves the report key out.
	Report func(ctx context.Context) (string, error)
	// Drills are the scenarios the drill key offers, by name, and
	// LoadDrill parses one (room.ScenarioOf). Without them the key only
	// stops a running drill.
	Drills    []string
	LoadDrill func(name string) (room.Scenario, error)
	// Hosting is set where quitting this session ends the others'
	// (demo --serve): q then asks first while others are in the room.
	Hosting bool
	// Greeting is shown in the footer until the first key, e.g. the
	// command that joins the demo's room over SSH.
	Greeting string
	// Context is the session's: its room calls end with it. Nil is
	// context.Background().
	Context context.Context
	// KillLeader (demo --cluster) kills the node leading the room and says
	// which; nil leaves the key out.
	KillLeader func(ctx context.Context) (string, error)
}

// SnapshotMsg carries a new room snapshot into the program.
type SnapshotMsg struct{ Snap *room.Snapshot }

// Model is one session's view of the room: its own focus, zoom and
// overlays over the shared snapshot.
type Model struct {
	opts     Options
	th       *themes.Theme
	km       *keymaps.Keymap
	panes    []panes.Pane
	focus    int
	zoomed   bool
	snap     *room.Snapshot
	width    int
	height   int
	flash    string // the outcome of the last command, until the next key
	flashBad bool   // the flash is a refusal or failure
	cache    []paneCache
	start    []uint64 // each pane's Version when the session opened (sharedFrame)
	frame    string
	stale    bool

	mirrors   *panes.Mirrors
	actions   *panes.Actions
	posts     *panes.Posts
	shared    int             // narrow layout: paneAlerts or paneActions in the shared place
	log       int             // narrow or short layout: paneTimeline or panePosts in the place they share
	dismissed map[string]bool // proposals this session dismissed (rule and request)
	asked     asked           // this session's last request, while it may wait for approval
	notes     notices         // other people's recent steps, shown in the footer for a while
	looked    string          // the pane the room was last told this session shows
	ir        incidentUI      // the incident's panes and the scorecards seen (incident.go)
	modals    modals          // the open dialogs, the top one taking keys (modal.go)
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
	if opts.Room != nil && len(opts.Room.Templates()) > 0 && opts.Actor.Role.Can(room.PermAnnounce) {
		posts.AnnounceKey = opts.Keymap.Announce.Help().Key // offered only to who may announce
	}
	inc, who := panes.NewIncident(), panes.NewPresence()
	ps := []panes.Pane{mirrors, lag, panes.NewHosts(), panes.NewAlerts(), panes.NewTimeline(), acts, posts, inc, who}
	m := &Model{
		opts: opts, th: opts.Theme, km: opts.Keymap, panes: ps,
		cache: make([]paneCache, len(ps)), stale: true,
		mirrors: mirrors, actions: acts, posts: posts, shared: paneAlerts, log: paneTimeline,
		dismissed: map[string]bool{},
		ir:        newIncidentUI(opts, inc, who), flash: opts.Greeting,
	}
	for _, p := range ps {
		m.start = append(m.start, p.Version())
	}
	m.setSnapshot(opts.Snapshot)
	return m
}

// Init implements tea.Model.
func (m *Model) Init() tea.Cmd { return nil }

// Update implements tea.Model.
func (m *Model) Update(msg tea.Msg) (tea.Model, tea.Cmd) {
	defer m.syncPanes() // cursors and windows move here, never in View
	switch msg := msg.(type) {
	case SnapshotMsg:
		if msg.Snap == nil {
			return m, nil // nothing new: keep showing the last one
		}
		m.stale = true
		return m, m.onSnapshot(msg.Snap)
	case tea.WindowSizeMsg:
		// A terminal's size is untrusted (an SSH client sends any number).
		m.width, m.height = panes.Bound(msg.Width, msg.Height)
		m.stale = true
	case callDone:
		m.stale = true
		return m, m.callDoneMsg(msg)
	case tea.KeyMsg:
		m.stale = true
		keys := splitKeys(msg)
		cmds := make([]tea.Cmd, 0, len(keys)+1)
		for _, k := range keys {
			cmds = append(cmds, m.key(k))
		}
		return m, tea.Batch(append(cmds, m.look())...)
	default:
	}
	return m, nil
}

// key routes one keystroke: a typing pane or the help overlay first, then
// the app's own keys, then the focused pane.
func (m *Model) key(msg tea.KeyMsg) tea.Cmd {
	m.flash, m.flashBad = "", false
	if m.modals.top() != nil && msg.Type == tea.KeyCtrlC {
		return m.quit() // from any modal, as from the room
	}
	if cmd, ok := m.modals.key(m, msg); ok {
		return cmd
	}
	p := m.panes[m.focus]
	if p.Capturing() {
		return m.intent(p.Update(msg, m.km, m.snap))
	}
	km := m.km
	if why := m.refused(msg); why != "" {
		m.say(themes.Symbol("critical")+" "+why, true) // the keymap's table says who may: nothing opens to be refused later
		return nil
	}
	switch {
	case key.Matches(msg, km.Quit):
		return m.quit()
	case key.Matches(msg, km.Help):
		m.modals.push(&helpOverlay{modalID: m.modals.newID()})
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
		return m.openRollback("", "", "")
	case key.Matches(msg, km.Announce):
		return m.openComposer()
	case key.Matches(msg, km.Approve):
		return m.openApproval()
	case key.Matches(msg, km.Review):
		return m.openReview()
	case key.Matches(msg, km.Pen):
		return m.openPen()
	case key.Matches(msg, km.KillLeader):
		return m.killLeader()
	case key.Matches(msg, km.Silence) && m.focus != paneAlerts:
		return m.openSilence("") // the Alerts pane offers its row's alert or silence
	default:
		if cmd, ok := m.incidentKey(msg); ok {
			return cmd
		}
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
	case paneHosts, paneIncident, panePresence:
		m.ir.ctx = i
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
		id := in.AlertID
		if m.opts.Room == nil {
			m.flash = "this room is read-only"
			return nil
		}
		return m.call(0, callErr(func(ctx context.Context, r Room, a room.Actor) error { return r.Ack(ctx, id, a) }),
			func(m *Model, _ any, err error) {
				if err != nil {
					m.say(fmt.Sprintf("ack %s failed: %v", id, err), false)
				} else {
					m.say("acknowledged "+id, false)
				}
			})
	case panes.IntentRetryPost:
		return m.retryPost(in.PostID)
	case panes.IntentSilence:
		return m.openSilence(in.AlertID)
	case panes.IntentExpire:
		return m.openExpire(in.SilenceID)
	case panes.IntentDetail:
		return m.openDetail(in.Mirror)
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
	if f, ok := m.sharedFrame(); ok {
		m.frame = f
	} else {
		m.frame = m.render()
	}
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
	// The review line is always there, so nothing moves when something
	// starts or stops waiting.
	top := m.sharedHeader(w) + "\n" + m.reviewLine(w)
	bodyH := h - chromeLines
	var body string
	switch {
	case m.zoomed:
		body = m.pane(m.focus, w, bodyH, "")
	default:
		rects := layout(w, bodyH, m.places())
		rendered := make([]string, len(rects))
		for i, r := range rects {
			if r.w > 0 {
				rendered[i] = m.pane(i, r.w, r.h, m.sharedHint(i, rects))
			}
		}
		body = compose(rects, rendered, bodyH)
	}
	switch {
	}
	body = m.modals.view(m, body, w, bodyH)
	// The footer comes last: the focused pane's keys depend on the row
	// its View just showed.
	return top + "\n" + body + "\n" + m.footer(w)
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
	render := func() string {
		return panes.Frame(m.th, title, p.View(m.snap, m.th, max(w-2, 0), max(h-2, 0), focused), w, h, focused)
	}
	var out string
	if m.opts.Shared != nil && p.Version() == 0 && (!focused || shareFocused(p.ID())) {
		// Untouched: the same in every session of this style.
		out = m.opts.Shared.get(renderKey{pane: p.ID(), seq: seq, w: w, h: h, focused: focused, title: title}, render)
	} else {
		out = render()
	}
	*c = paneCache{seq: seq, w: w, h: h, title: title, focused: focused, version: p.Version(), out: out, hasContent: true}
	return c.out
}

// compose lays framed panes into body lines by their rectangles, left to
// right whatever the pane order. It runs for every frame of every session,
// so it writes into one builder sized up front and reads each pane's lines
// in place instead of splitting them.
func compose(rects []rect, rendered []string, h int) string {
	order := make([]int, 0, len(rects))
	size := h
	for i, r := range rects {
		if r.w > 0 {
			order = append(order, i)
			size += len(rendered[i])
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return rects[order[a]].x < rects[order[b]].x })
	rest := slices.Clone(rendered) // each pane's lines not yet written
	var b strings.Builder
	b.Grow(size)
	for y := range h {
		if y > 0 {
			b.WriteByte('\n')
		}
		for _, i := range order {
			if r := rects[i]; y >= r.y && y < r.y+r.h {
				line, more, _ := strings.Cut(rest[i], "\n")
				b.WriteString(line)
				rest[i] = more
			}
		}
	}
	return b.String()
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
